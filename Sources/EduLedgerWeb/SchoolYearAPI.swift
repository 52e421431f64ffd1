import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// `/api/v1/school-year/…`: the school-year casework as JSON, with the same scope and refusals
/// as the pages (`SchoolYearActions`). A broken rule is 422 with the reason in Chinese.
struct SchoolYearAPI {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("school-year/transfers", use: transfers)
        r.post("school-year/transfers", use: requestTransfer)
        r.post("school-year/transfers/:id/approve", use: approve)
        r.post("school-year/transfers/:id/refuse", use: refuse)
        r.post("school-year/leave", use: leave)
        r.post("school-year/return", use: returnToSchool)
        r.post("school-year/year-end/preview", use: preview)
        r.post("school-year/year-end", use: confirm)
        r.post("school-year/year-end/:id/undo", use: undo)
        r.post("school-year/rollover", use: rollOver)
        return r
    }

    struct TransferBody: Decodable { var studentNumber: String; var toSchoolCode: String; var grade: String?; var classNumber: Int?; var date: String; var reason: String? }
    struct ReasonBody: Decodable { var reason: String }
    struct LeaveBody: Decodable { var studentNumber: String; var date: String; var reason: String }
    struct ReturnBody: Decodable { var studentNumber: String; var date: String }
    struct YearEndBody: Decodable { var schoolCode: String?; var repeaters: [String]? }
    struct PlanDTO: Codable { var year: Int; var promotions: Int; var repetitions: Int; var graduations: Int; var lines: [YearEndLine] }
    struct RunDTO: Codable { var id: Int64; var year: Int; var schoolID: Int64?; var closed: Int; var opened: Int; var confirmedBy: String; var confirmedAt: String; var undoneBy: String?; var undoneAt: String? }
    struct RolloverDTO: Codable { var year: Int; var classesCreated: Int }

    static func runDTO(_ r: YearEndRun) -> RunDTO {
        RunDTO(id: r.id, year: r.year.startYear, schoolID: r.schoolID?.rawValue, closed: r.closedEnrolments.count,
               opened: r.openedEnrolmentIDs.count, confirmedBy: r.confirmed.by, confirmedAt: r.confirmed.at,
               undoneBy: r.undone?.by, undoneAt: r.undone?.at)
    }

    func actions(_ context: AppRequestContext) throws -> SchoolYearActions {
        SchoolYearActions(deps: deps, user: try context.require(.manageSchoolYear))
    }

    static func decode<T: Decodable>(_ request: Request, _ context: AppRequestContext, _: T.Type) async throws -> T {
        guard (request.headers[.contentType] ?? "").hasPrefix("application/json") else {
            throw AppError.badRequest(code: "request.content_type", message: "请求体必须是 application/json", fields: [])
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        do { return try JSONDecoder().decode(T.self, from: Data(buffer: body)) } catch {
            throw AppError.badRequest(code: "request.invalid_body", message: "请求体有误：缺少必填字段或类型不符", fields: [])
        }
    }

    static func grade(_ text: String?) throws -> GradeLevel? {
        guard let text, !text.isEmpty else { return nil }
        guard let g = GradeLevel(rawValue: text) else {
            throw AppError.badRequest(code: "request.invalid_body", message: "请求体有误", fields: [FieldError(field: "grade", message: "年级“\(text.prefix(20))”无效")])
        }
        return g
    }

    @Sendable func transfers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let list = try await deps.registry.transferRequests(schoolIDs: a.user.readable, openOnly: request.query("open") != nil)
        return JSONResponse.make(list)
    }

    @Sendable func requestTransfer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let b = try await Self.decode(request, context, TransferBody.self)
        let r = try await a.requestTransfer(studentNumber: b.studentNumber, toSchoolCode: b.toSchoolCode, grade: try Self.grade(b.grade),
                                            classNumber: b.classNumber, date: try SchoolYearActions.date(b.date, field: "date"),
                                            reason: b.reason ?? "家长申请")
        return JSONResponse.make(r, status: .created)
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        JSONResponse.make(try await actions(context).approve(try SchoolYearController.id(context)))
    }

    @Sendable func refuse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let b = try await Self.decode(request, context, ReasonBody.self)
        return JSONResponse.make(try await a.refuse(try SchoolYearController.id(context), reason: b.reason))
    }

    @Sendable func leave(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let b = try await Self.decode(request, context, LeaveBody.self)
        guard let reason = ExitReason(rawValue: b.reason), reason == .suspended || reason == .droppedOut else {
            throw AppError.badRequest(code: "request.invalid_body", message: "请求体有误", fields: [FieldError(field: "reason", message: "应为“休学”或“辍学”")])
        }
        return JSONResponse.make(try await a.leave(studentNumber: b.studentNumber, date: try SchoolYearActions.date(b.date, field: "date"), reason: reason))
    }

    @Sendable func returnToSchool(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let b = try await Self.decode(request, context, ReturnBody.self)
        return JSONResponse.make(try await a.returnToSchool(studentNumber: b.studentNumber, date: try SchoolYearActions.date(b.date, field: "date")),
                                 status: .created)
    }

    @Sendable func preview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let b = try await Self.decode(request, context, YearEndBody.self)
        let plan = try await a.previewYearEnd(schoolCode: b.schoolCode, repeaters: Set(b.repeaters ?? []))
        return JSONResponse.make(PlanDTO(year: plan.year.startYear, promotions: plan.promotions, repetitions: plan.repetitions,
                                         graduations: plan.graduations, lines: plan.lines))
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let b = try await Self.decode(request, context, YearEndBody.self)
        return JSONResponse.make(Self.runDTO(try await a.confirmYearEnd(schoolCode: b.schoolCode, repeaters: Set(b.repeaters ?? []))),
                                 status: .created)
    }

    @Sendable func undo(_ request: Request, context: AppRequestContext) async throws -> Response {
        JSONResponse.make(Self.runDTO(try await actions(context).undoYearEnd(try SchoolYearController.id(context))))
    }

    @Sendable func rollOver(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let created = try await a.rollOver()
        return JSONResponse.make(RolloverDTO(year: a.year.next.startYear, classesCreated: created.count))
    }
}
