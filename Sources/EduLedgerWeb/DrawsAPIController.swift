import ClassAssignment
import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// The class draw in the JSON API under `/api/v1/draws`: the same steps, scope and refusals as
/// the pages (`DrawActions`): 401 without a session, 403 for a role that may never, 404 outside
/// the scope, 422 when the rules refuse. Described in `OpenAPIDocument`.
struct DrawsAPIController {
    let deps: AppDependencies
    var actions: DrawActions { DrawActions(deps: deps) }

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("draws", use: list)
        r.post("draws", use: create)
        r.get("draws/:id", use: show)
        r.get("draws/:id/record", use: record)
        r.get("draws/:id/report", use: report)
        r.post("draws/:id/roster", use: roster)
        r.post("draws/:id/publish", use: publish)
        r.post("draws/:id/seed-parts", use: addSeedPart)
        r.post("draws/:id/seed", use: fixSeed)
        r.post("draws/:id/assign", use: assign)
        r.post("draws/:id/lock", use: lock)
        r.post("draws/:id/lottery/labels", use: labels)
        r.post("draws/:id/lottery/teachers", use: teachers)
        r.post("draws/:id/late", use: late)
        return r
    }

    /// For 405 answers (see `APIController.methodsByPattern`).
    static let methodsByPattern: [(pattern: [String], methods: [String])] = [
        (["draws"], ["GET", "POST"]), (["draws", "*"], ["GET"]), (["draws", "*", "record"], ["GET"]),
        (["draws", "*", "report"], ["GET"]), (["draws", "*", "roster"], ["POST"]), (["draws", "*", "publish"], ["POST"]),
        (["draws", "*", "seed-parts"], ["POST"]), (["draws", "*", "seed"], ["POST"]), (["draws", "*", "assign"], ["POST"]),
        (["draws", "*", "lock"], ["POST"]), (["draws", "*", "lottery", "labels"], ["POST"]),
        (["draws", "*", "lottery", "teachers"], ["POST"]), (["draws", "*", "late"], ["POST"]),
    ]

    // MARK: DTOs

    struct SeedPartDTO: Codable { var position: Int; var value: String; var enteredBy: String; var capacity: String; var recordedBy: String; var recordedAt: String }
    struct LotDTO: Codable { var classNumber: Int; var drawn: String }
    struct ChangeDTO: Codable { var at: String; var actor: String; var kind: String; var reason: String; var detail: String }
    struct DrawDTO: Codable {
        var id: Int64; var schoolID: Int64; var schoolYear: Int; var grade: String; var state: String; var stateTitle: String
        var classCount: Int; var columns: DrawColumns; var rosterFileName: String?; var rosterHash: String?; var studentCount: Int?
        var seed: String?; var seedParts: [SeedPartDTO]?; var labels: [LotDTO]; var teachers: [LotDTO]; var changes: [ChangeDTO]?
        var createdAt: String; var createdBy: String; var publishedAt: String?; var seededAt: String?; var assignedAt: String?
        var lockedAt: String?; var publicURL: String
    }

    func dto(_ d: ClassDraw, detail: Bool) async throws -> DrawDTO {
        let lots = { (json: String?) in DrawActions.lottery(json).map { LotDTO(classNumber: $0.classNumber, drawn: $0.drawn) } }
        var parts: [SeedPartDTO]?
        var changes: [ChangeDTO]?
        if detail {
            parts = try await actions.store.seedParts(drawID: d.id).map {
                SeedPartDTO(position: $0.position, value: $0.value, enteredBy: $0.enteredBy, capacity: $0.capacity,
                            recordedBy: $0.recordedBy, recordedAt: $0.recordedAt)
            }
            changes = try await actions.store.changes(drawID: d.id).map {
                ChangeDTO(at: $0.at, actor: $0.actor, kind: $0.kind, reason: $0.reason, detail: $0.detailJSON)
            }
        }
        return DrawDTO(
            id: d.id, schoolID: d.schoolID.rawValue, schoolYear: d.schoolYear.startYear, grade: d.grade.rawValue, state: d.state.rawValue,
            stateTitle: d.state.title, classCount: d.classCount, columns: DrawActions.columns(of: d), rosterFileName: d.rosterFileName,
            rosterHash: d.rosterHash, studentCount: d.studentCount, seed: d.seed, seedParts: parts, labels: lots(d.labelsJSON),
            teachers: lots(d.teachersJSON), changes: changes, createdAt: d.createdAt, createdBy: d.createdBy, publishedAt: d.publishedAt,
            seededAt: d.seededAt, assignedAt: d.assignedAt, lockedAt: d.lockedAt, publicURL: "/public/draws/\(d.id)")
    }

    // MARK: body and refusals

    func body<T: Decodable>(_ request: Request, context: AppRequestContext, as: T.Type) async throws -> T {
        guard (request.headers[.contentType] ?? "").hasPrefix("application/json") else {
            throw AppError.badRequest(code: "request.content_type", message: "请求体必须是 application/json", fields: [])
        }
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        do { return try JSONDecoder().decode(T.self, from: Data(buffer: buffer)) } catch {
            throw AppError.badRequest(code: "request.invalid_body", message: "请求体不是有效的 JSON 或缺少必填字段", fields: [])
        }
    }

    /// Runs a step on a draw in scope for a role that may run draws; the roster problems of a
    /// refused upload become field errors ("第N行 列名").
    func step(_ request: Request, _ context: AppRequestContext,
              _ body: @escaping @Sendable (CurrentUser, ClassDraw) async throws -> ClassDraw) async throws -> Response {
        let user = try context.require(.runDraws)
        let draw = try await actions.visibleDraw(context.parameters.get("id"), user: user)
        do {
            return JSONResponse.make(try await dto(try await body(user, draw), detail: true))
        } catch let refusal as DrawRefusal where !refusal.problems.isEmpty {
            throw AppError.unprocessable(code: refusal.code, message: refusal.message, fields: refusal.problems.map {
                FieldError(field: "第\($0.row)行 \($0.column)", message: $0.message)
            })
        }
    }

    struct Empty: Decodable {}

    // MARK: handlers

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        var year: SchoolYear?
        if let raw = request.uri.queryParameters.get("year") {
            guard let n = Int(String(raw)), (2000...2100).contains(n) else {
                throw AppError.badRequest(code: "request.invalid_query", message: "学年 year 须为 2000 到 2100 之间的整数",
                                          fields: [FieldError(field: "year", message: "应为 2000 到 2100 之间的整数")])
            }
            year = SchoolYear(n)
        }
        var items: [DrawDTO] = []
        for d in try await actions.store.draws(schoolIDs: user.readable, year: year) { items.append(try await dto(d, detail: false)) }
        return JSONResponse.make(APIController.ListDTO(items: items, total: items.count, offset: 0, limit: items.count))
    }

    struct CreateBody: Decodable { var schoolID: Int64; var schoolYear: Int; var grade: String; var classCount: Int }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.runDraws)
        let b = try await body(request, context: context, as: CreateBody.self)
        let draw = try await actions.create(user: user, schoolID: SchoolID(b.schoolID), year: b.schoolYear,
                                            grade: GradeLevel(rawValue: b.grade), classCount: b.classCount,
                                            columns: DrawColumns(scores: [], flags: [], together: nil, apart: [], pin: nil))
        return JSONResponse.make(try await dto(draw, detail: true), status: .created)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        return JSONResponse.make(try await dto(try await actions.visibleDraw(context.parameters.get("id"), user: user), detail: true))
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let draw = try await actions.visibleDraw(context.parameters.get("id"), user: user)
        guard let json = draw.recordJSON else { throw AppError.notFound }
        return DrawsController.recordResponse(json, id: draw.id)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let draw = try await actions.visibleDraw(context.parameters.get("id"), user: user)
        guard let built = try await actions.rebuilt(draw) else {
            throw AppError.unprocessable(code: "draw.not_assigned", message: "尚未编班，没有均衡报告", fields: [])
        }
        return JSONResponse.make(built.assignment.report)
    }

    struct RosterBody: Decodable {
        var fromRegistry: Bool?
        var fileName: String?
        var contentBase64: String?
        var columns: DrawColumns?
        var classCount: Int?
    }

    @Sendable func roster(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.runDraws)
        let b = try await body(request, context: context, as: RosterBody.self)
        return try await step(request, context) { user, draw in
            if b.fromRegistry == true { return try await actions.rosterFromRegistry(user: user, draw: draw, classCount: b.classCount) }
            guard let text = b.contentBase64, let data = Data(base64Encoded: text) else {
                throw DrawActions.refuse("draw.roster_unreadable", "contentBase64 须为名单文件内容的 Base64 编码，或设 fromRegistry 为 true")
            }
            return try await actions.setRoster(user: user, draw: draw, fileName: b.fileName ?? "名单.csv", data: data,
                                               columns: b.columns ?? DrawColumns(scores: [], flags: [], together: nil, apart: [], pin: nil),
                                               classCount: b.classCount)
        }
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await step(request, context) { user, draw in try await actions.publish(user: user, draw: draw) }
    }

    struct SeedPartBody: Decodable { var value: String; var enteredBy: String; var capacity: String? }

    @Sendable func addSeedPart(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.runDraws)
        let b = try await body(request, context: context, as: SeedPartBody.self)
        return try await step(request, context) { user, draw in
            try await actions.addSeedPart(user: user, draw: draw, value: b.value, enteredBy: b.enteredBy, capacity: b.capacity)
        }
    }

    @Sendable func fixSeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await step(request, context) { user, draw in try await actions.fixSeed(user: user, draw: draw) }
    }

    @Sendable func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await step(request, context) { user, draw in try await actions.assign(user: user, draw: draw) }
    }

    @Sendable func lock(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await step(request, context) { user, draw in try await actions.lock(user: user, draw: draw) }
    }

    @Sendable func labels(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await step(request, context) { user, draw in try await actions.drawLabels(user: user, draw: draw) }
    }

    struct TeachersBody: Decodable { var staffIDs: [Int64] }

    @Sendable func teachers(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.runDraws)
        let b = try await body(request, context: context, as: TeachersBody.self)
        return try await step(request, context) { user, draw in
            try await actions.drawTeachers(user: user, draw: draw, staffIDs: Set(b.staffIDs))
        }
    }

    struct LateBody: Decodable {
        var studentID: String; var name: String; var gender: String; var scores: [String]?; var flags: [Bool]?; var reason: String?
    }

    @Sendable func late(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.runDraws)
        let b = try await body(request, context: context, as: LateBody.self)
        return try await step(request, context) { user, draw in
            try await actions.placeLate(user: user, draw: draw, input: DrawActions.LateInput(
                studentID: b.studentID, name: b.name, gender: b.gender, scores: b.scores ?? [], flags: b.flags ?? [],
                reason: b.reason ?? "")).0
        }
    }
}
