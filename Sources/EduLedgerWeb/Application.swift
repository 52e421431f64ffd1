import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird
import HummingbirdBcrypt
import Logging
import ServiceLifecycle

/// What every controller needs, built once at start.
struct AppDependencies: Sendable {
    let config: WebConfig
    let registry: SQLRegistryStore
    let accounts: SQLAccountStore
    /// Casework (信访, 建议提案, 安全隐患, 行政许可, 违规) on the shipped working-day calendar.
    let cases: SQLCaseStore
    let service: RegistryService
    let views: Views
    let assets: StaticAssets
    /// A bcrypt hash of a random string nobody knows, checked for unknown logins so the time
    /// a login takes does not tell whether the login name exists.
    let dummyHash: String

    static func make(_ config: WebConfig) async throws -> AppDependencies {
        let registry = SQLRegistryStore(database: config.database)
        return AppDependencies(config: config, registry: registry, accounts: SQLAccountStore(database: config.database),
                               cases: SQLCaseStore(database: config.database, engine: CaseEngine(calendar: try WorkingDayCalendar.shipped())),
                               service: RegistryService(store: registry), views: try await Views.load(),
                               assets: try StaticAssets.load(),
                               dummyHash: Bcrypt.hash(Tokens.random(), cost: config.bcryptCost))
    }

    /// The day lists and counts are taken on.
    var today: CivilDate { config.currentDate }
}

/// The web application on an open, migrated database. Tests run it in-process with
/// `app.test(.router)`; `eduledger serve` runs it through `runWebServer`.
public func buildApplication(_ config: WebConfig) async throws -> some ApplicationProtocol {
    try await makeApplication(config, onServerRunning: { _ in })
}

/// Serves until SIGINT or SIGTERM, then shuts down gracefully (open requests finish; the
/// swift-service-lifecycle `ServiceGroup` of Hummingbird's `runService()`). `onReady` receives
/// the URL once the server listens (with the real port when `config.port` is 0).
public func runWebServer(_ config: WebConfig, onReady: @escaping @Sendable (_ url: String) async -> Void = { _ in }) async throws {
    let host = config.host
    let app = try await makeApplication(config, onServerRunning: { port in
        let shownHost = host.contains(":") ? "[\(host)]" : host
        await onReady("http://\(shownHost):\(port)")
    })
    try await app.runService()
}

func makeApplication(_ config: WebConfig, onServerRunning: @escaping @Sendable (Int) async -> Void) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "eduledger.web")
    logger.logLevel = config.logLevel
    let deps = try await AppDependencies.make(config)
    let configuredPort = config.port
    var services: [any Service] = []
    if let interval = config.deadlineWatchInterval {
        services.append(DeadlineWatch(cases: deps.cases, interval: interval, today: { config.currentDate }, logger: logger))
    }
    return Application(
        router: buildRouter(deps),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "EduLedger"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuredPort) },
        logger: logger)
}

/// Every route of the application, with its middleware: errors mapped in one place (outermost),
/// security headers, then the session and CSRF check.
func buildRouter(_ deps: AppDependencies) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorMiddleware(views: deps.views))
    router.add(middleware: SessionMiddleware(deps: deps))
    router.addRoutes(StaticController(assets: deps.assets).routes, atPath: "/static")
    router.addRoutes(AuthController(deps: deps).routes)
    router.addRoutes(DashboardController(deps: deps).routes)
    router.addRoutes(SchoolsController(deps: deps).routes)
    router.addRoutes(StudentsController(deps: deps).routes)
    router.addRoutes(StaffController(deps: deps).routes)
    router.addRoutes(RegistryEditController(deps: deps).routes)
    router.addRoutes(SchoolMergerController(deps: deps).routes)
    router.addRoutes(AccountsController(deps: deps).routes)
    router.addRoutes(AuditController(deps: deps).routes)
    router.addRoutes(CasesController(deps: deps).routes)
    router.addRoutes(PublicCasesController(deps: deps).routes)
    router.addRoutes(ImportsController(deps: deps).routes)
    router.addRoutes(ExportsController(deps: deps).routes)
    router.addRoutes(DrawsController(deps: deps).routes)
    router.addRoutes(ReportsController(deps: deps).routes)
    router.addRoutes(APIController(deps: deps).routes, atPath: "/api/v1")
    addStatisticsRoutes(router, deps)
    router.addRoutes(DrawsAPIController(deps: deps).routes, atPath: "/api/v1")
    router.addRoutes(CasesController(deps: deps).apiRoutes, atPath: "/api/v1")
    router.get("/api/openapi.json") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }
    router.get("/healthz") { _, _ in "ok" }
    return router
}

/// CSS and JS shipped in the module's resources, read into memory once and served with a
/// long cache lifetime; nothing comes from the internet.
struct StaticAssets: Sendable {
    struct Asset: Sendable {
        var contentType: String
        var bytes: [UInt8]
    }
    let files: [String: Asset]

    static func load() throws -> StaticAssets {
        guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw WebSetupError(message: "找不到静态资源目录（资源包缺失）")
        }
        let dir = root.appendingPathComponent("static")
        var files: [String: Asset] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
            let type: String
            if name.hasSuffix(".css") { type = "text/css; charset=utf-8" }
            else if name.hasSuffix(".js") { type = "text/javascript; charset=utf-8" }
            else if name.hasSuffix(".svg") { type = "image/svg+xml" }
            else { continue }
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            files[name] = Asset(contentType: type, bytes: Array(data))
        }
        return StaticAssets(files: files)
    }
}

struct StaticController {
    let assets: StaticAssets
    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get(":file", use: file)
        return r
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let name = context.parameters.get("file"), let asset = assets.files[name] else { throw AppError.notFound }
        return Response(status: .ok, headers: [.contentType: asset.contentType, .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }
}
