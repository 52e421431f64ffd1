import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

@Suite("Server")
struct ServerTests {
    /// The real server on a free port: it answers over TCP, and stops cleanly when its task is cancelled
    /// (the path SIGINT/SIGTERM take through the service group).
    @Test func servesOverTCPAndStopsGracefully() async throws {
        try await TestDatabases.withFreshDatabase(.sqlite) { location in
            let db = try await Database.open(location)
            _ = try await WebWorld.make(db)
            let config = WebConfig(database: db, port: 0, secureCookies: false, bcryptCost: 4, today: SmallDistrict.day, logLevel: .critical)
            let (urls, continuation) = AsyncStream.makeStream(of: String.self)
            let server = Task { try await runWebServer(config) { url in continuation.yield(url) } }
            var iterator = urls.makeAsyncIterator()
            let base = try #require(await iterator.next())
            #expect(base.hasPrefix("http://127.0.0.1:"))
            let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: base + "/login")))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("工作人员登录"))
            server.cancel()
            _ = await server.result
            try await db.close()
        }
    }

    /// On a loaded demo district (set EDULEDGER_WEB_DEMO_DB to an SQLite file made by `eduledger demo`):
    /// every page renders for the demo accounts. Skipped when the variable is not set.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["EDULEDGER_WEB_DEMO_DB"] != nil))
    func pagesOnTheDemoDistrict() async throws {
        let path = try #require(ProcessInfo.processInfo.environment["EDULEDGER_WEB_DEMO_DB"])
        let db = try await Database.open(.sqlite(path: path))
        let infos = try await DemoAccounts.create(in: db, bcryptCost: 4)
        let app = try await buildApplication(WebConfig(database: db, demoMode: true, secureCookies: false, bcryptCost: 4,
                                                       logLevel: .critical))
        let store = SQLRegistryStore(database: db)
        let someStudent = try #require(try await store.students(StudentQuery(date: WebConfig(database: db).currentDate, limit: 1)).items.first)
        try await app.test(.router) { client in
            for info in infos {
                let (r, session) = try await attemptLogin(client, login: info.login, password: DemoAccounts.password)
                let s = try #require(session, "login \(info.login): \(r.status)")
                for path in ["/dashboard", "/schools", "/students", "/students?page=400", "/students?q=王", "/staff", "/audit",
                             "/students/\(someStudent.student.id.rawValue)", "/api/v1/students?limit=200&offset=20000"] {
                    let started = ContinuousClock.now
                    let page = try await client.execute(uri: path, method: .get, headers: s.headers)
                    let took = ContinuousClock.now - started
                    #expect([200, 403, 404].contains(Int(page.status.code)), "\(info.login) \(path): \(page.status)")
                    print("\(info.login) \(path) \(page.status.code) \(took)")
                }
            }
        }
        try await db.close()
    }
}
