import EduLedgerCore
import Foundation
import Hummingbird

/// 撤并 and 停办 of a school in the browser, for the bureau (who keeps the schools' register):
/// preview who moves where, confirm in one transaction, and afterwards the school page shows
/// the reconciliation (everyone who left arrived at the receiving school).
struct SchoolMergerController {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/schools/:id/merge", use: form)
        r.post("/schools/:id/merge", use: confirm)
        r.post("/schools/:id/close", use: close)
        return r
    }

    struct LineView: Sendable { var number: String; var name: String; var grade: String }
    struct GradeCount: Sendable { var grade: String; var count: Int }
    struct Page: Sendable {
        var schoolName: String
        var schoolHref: String
        var action: String
        var receiverOptions: [Option]
        var date: String
        var error: String?
        var previewed: Bool
        var into: String
        var intoName: String
        var total: Int
        var byGrade: [GradeCount]
        var lines: [LineView]
        var more: Int
        var hasMore: Bool
    }

    /// The school, if open and inside the user's scope; the bureau only (撤并 is a district decision).
    func target(_ context: AppRequestContext) async throws -> (CurrentUser, School) {
        let user = try context.require(.editSchools)
        let school = try await SchoolsController.visibleSchool(context.parameters.get("id"), user: user, deps: deps)
        guard user.readable == nil else { throw AppError.forbidden }
        return (user, school)
    }

    func page(_ school: School, into: String?, date: String, error: String? = nil) async throws -> Page {
        let receivers = try await deps.registry.schools(SchoolFilter(openOn: deps.today)).filter { $0.id != school.id }
        return Page(schoolName: school.name, schoolHref: "/schools/\(school.id.rawValue)", action: "/schools/\(school.id.rawValue)/merge",
                    receiverOptions: receivers.map { Option(value: $0.code, label: "\($0.name)（\($0.type.rawValue)）", selected: $0.code == into) },
                    date: date, error: error, previewed: false, into: into ?? "", intoName: "", total: 0, byGrade: [], lines: [], more: 0, hasMore: false)
    }

    func render(_ user: CurrentUser, _ page: Page, status: HTTPResponse.Status = .ok) -> Response {
        deps.views.render("school_merge", ViewContext(chrome: Chrome(title: "学校撤并", user: user, active: "schools"), page: page), status: status)
    }

    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, school) = try await target(context)
        let into = request.query("into")
        let dateText = request.query("date") ?? deps.today.description
        var page = try await page(school, into: into, date: dateText)
        guard request.query("preview") != nil, let into else { return render(user, page) }
        do {
            let date = try SchoolYearActions.date(dateText, field: "date")
            let plan = try await deps.service.previewMerger(schoolCode: school.code, intoCode: into, on: date)
            page.previewed = true
            page.intoName = plan.into.name
            page.total = plan.lines.count
            page.byGrade = plan.byGrade.map { GradeCount(grade: $0.grade.name, count: $0.count) }
            page.lines = plan.lines.prefix(300).map { LineView(number: $0.studentNumber, name: $0.name, grade: $0.enrolment.grade.name) }
            page.more = max(0, plan.lines.count - 300)
            page.hasMore = page.more > 0
            return render(user, page)
        } catch let e as any UserFacingError {
            page.error = e.message
            return render(user, page, status: .unprocessableContent)
        } catch AppError.badRequest(_, let message, _) {
            page.error = message
            return render(user, page, status: .badRequest)
        }
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, school) = try await target(context)
        let f = context.form ?? FormData(pairs: [])
        let dateText = f["date"] ?? ""
        do {
            let date = try SchoolYearActions.date(dateText, field: "date")
            guard let into = f["into"], !into.isEmpty else {
                throw AppError.badRequest(code: "request.missing_field", message: "请选择接收学校", fields: [FieldError(field: "into", message: "请选择接收学校")])
            }
            let plan = try await deps.service.confirmMerger(schoolCode: school.code, intoCode: into, on: date, by: user.account.actingUser)
            return Redirect.to(urlWithQuery("/schools/\(school.id.rawValue)", [("merged", "\(plan.lines.count)")]), status: .seeOther)
        } catch let e as any UserFacingError {
            return render(user, try await page(school, into: f["into"], date: dateText, error: e.message), status: .unprocessableContent)
        } catch AppError.badRequest(_, let message, _) {
            return render(user, try await page(school, into: f["into"], date: dateText, error: message), status: .badRequest)
        }
    }

    @Sendable func close(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, school) = try await target(context)
        let f = context.form ?? FormData(pairs: [])
        let dateText = f["date"] ?? ""
        do {
            let date = try SchoolYearActions.date(dateText, field: "date")
            _ = try await deps.service.closeSchool(schoolCode: school.code, on: date, by: user.account.actingUser)
            return Redirect.to("/schools/\(school.id.rawValue)?saved=1", status: .seeOther)
        } catch let e as any UserFacingError {
            return render(user, try await page(school, into: nil, date: dateText, error: e.message), status: .unprocessableContent)
        } catch AppError.badRequest(_, let message, _) {
            return render(user, try await page(school, into: nil, date: dateText, error: message), status: .badRequest)
        }
    }
}
