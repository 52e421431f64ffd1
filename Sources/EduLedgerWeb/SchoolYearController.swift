import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// Who may take which step of the school-year casework, and the steps themselves, shared by the
/// pages and the API. The domain (`RegistryService`) checks the rules of the registry; this
/// checks the place: the receiving school requests, the sending school approves its step, only
/// the bureau (district scope) approves the last step, runs the district's year end and opens
/// the new year; a school acts on its own students only.
struct SchoolYearActions: Sendable {
    let deps: AppDependencies
    let user: CurrentUser

    var actor: ActingUser { user.account.actingUser }
    var isBureau: Bool { user.readable == nil }
    var today: CivilDate { deps.today }

    func school(code: String) async throws -> School {
        guard let s = try await deps.registry.school(code: code), AccessPolicy.contains(user.readable, s.id) else { throw AppError.notFound }
        return s
    }

    /// The student, if they belong to the user's place (their latest period is at a readable school).
    func student(number: String) async throws -> Student {
        guard let s = try await deps.registry.student(number: number) else { throw AppError.notFound }
        let enrolments = try await deps.registry.enrolments(studentID: s.id)
        guard AccessPolicy.mayRead(studentEnrolments: enrolments, readable: user.readable) else { throw AppError.notFound }
        return s
    }

    func transfer(_ id: Int64) async throws -> TransferRequest {
        guard let r = try await deps.registry.transferRequest(id: id),
              AccessPolicy.contains(user.readable, r.fromSchoolID) || AccessPolicy.contains(user.readable, r.toSchoolID) else {
            throw AppError.notFound
        }
        return r
    }

    /// Whether the user may take the next step of this request.
    func mayApprove(_ r: TransferRequest) -> Bool {
        switch r.status {
        case .requested: return isBureau || AccessPolicy.contains(user.readable, r.fromSchoolID)
        case .sendingApproved: return isBureau
        case .completed, .refused: return false
        }
    }

    func requestTransfer(studentNumber: String, toSchoolCode: String, grade: GradeLevel?, classNumber: Int?, date: CivilDate,
                         reason: String) async throws -> TransferRequest {
        _ = try await school(code: toSchoolCode)
        return try await deps.service.requestTransfer(studentNumber: studentNumber, toSchoolCode: toSchoolCode, grade: grade,
                                                      classNumber: classNumber, on: date, reason: reason, by: actor)
    }

    /// The next step of the chain: the sending school's, then the bureau's.
    func approve(_ id: Int64) async throws -> TransferRequest {
        let r = try await transfer(id)
        guard mayApprove(r) else {
            if r.status == .completed || r.status == .refused {
                throw SchoolYearError.transferWrongStep(id: id, status: r.status, expected: "审核")
            }
            throw AppError.forbidden
        }
        if r.status == .requested { return try await deps.service.approveTransferBySendingSchool(id: id, by: actor) }
        return try await deps.service.approveTransferByBureau(id: id, by: actor)
    }

    func refuse(_ id: Int64, reason: String) async throws -> TransferRequest {
        let r = try await transfer(id)
        if r.status == .requested || r.status == .sendingApproved, !mayApprove(r) { throw AppError.forbidden }
        return try await deps.service.refuseTransfer(id: id, reason: reason, by: actor)
    }

    func leave(studentNumber: String, date: CivilDate, reason: ExitReason) async throws -> Enrolment {
        _ = try await student(number: studentNumber)
        return try await deps.service.leave(studentNumber: studentNumber, on: date, reason: reason, by: actor)
    }

    func returnToSchool(studentNumber: String, date: CivilDate) async throws -> Enrolment {
        _ = try await student(number: studentNumber)
        return try await deps.service.returnToSchool(studentNumber: studentNumber, on: date, by: actor)
    }

    /// A school's year end needs the school in scope; the district's, the bureau.
    func checkYearEndScope(_ schoolCode: String?) async throws {
        if let code = schoolCode { _ = try await school(code: code) } else if !isBureau { throw AppError.forbidden }
    }

    var year: SchoolYear { SchoolYear(containing: today) }

    func previewYearEnd(schoolCode: String?, repeaters: Set<String>) async throws -> YearEndPlan {
        try await checkYearEndScope(schoolCode)
        return try await deps.service.previewYearEnd(schoolCode: schoolCode, year: year, repeaters: repeaters)
    }

    func confirmYearEnd(schoolCode: String?, repeaters: Set<String>) async throws -> YearEndRun {
        try await checkYearEndScope(schoolCode)
        return try await deps.service.confirmYearEnd(schoolCode: schoolCode, year: year, repeaters: repeaters, by: actor)
    }

    func undoYearEnd(_ id: Int64) async throws -> YearEndRun {
        guard let run = try await deps.registry.yearEndRun(id: id) else { throw AppError.notFound }
        if let s = run.schoolID { guard AccessPolicy.contains(user.readable, s) else { throw AppError.notFound } } else if !isBureau { throw AppError.forbidden }
        return try await deps.service.undoYearEnd(runID: id, today: today, by: actor)
    }

    func rollOver() async throws -> [SchoolClass] {
        guard isBureau else { throw AppError.forbidden }
        return try await deps.service.rollOverYear(from: year, by: actor)
    }

    static func repeaters(_ text: String?) -> Set<String> {
        Set((text ?? "").split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "," || $0 == "，" || $0 == " " || $0 == "、" })
            .map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    static func date(_ text: String?, field: String) throws -> CivilDate {
        guard let text, let d = CivilDate(iso: text.trimmingCharacters(in: .whitespaces)) else {
            throw AppError.badRequest(code: "request.invalid_date", message: "日期格式应为 YYYY-MM-DD", fields: [FieldError(field: field, message: "日期格式应为 YYYY-MM-DD")])
        }
        return d
    }
}

/// 学年业务 in the browser: transfer requests through the three steps, 休学/辍学 and return,
/// the year end (preview, confirm, undo) and the start of the new year.
struct SchoolYearController {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/school-year", use: show)
        r.post("/school-year/transfers", use: requestTransfer)
        r.post("/school-year/transfers/:id/approve", use: approve)
        r.post("/school-year/transfers/:id/refuse", use: refuse)
        r.post("/school-year/leave", use: leave)
        r.post("/school-year/return", use: returnToSchool)
        r.get("/school-year/year-end", use: yearEnd)
        r.post("/school-year/year-end", use: confirmYearEnd)
        r.post("/school-year/year-end/:id/undo", use: undoYearEnd)
        r.post("/school-year/rollover", use: rollOver)
        return r
    }

    struct TransferView: Sendable {
        var id: Int64; var student: String; var from: String; var to: String; var grade: String; var date: String
        var reason: String; var status: String; var steps: [String]; var refusal: String?
        var approveHref: String; var refuseHref: String; var canAct: Bool; var approveLabel: String
    }
    struct RunView: Sendable { var id: Int64; var year: String; var scope: String; var closed: Int; var opened: Int; var confirmed: String; var undone: String?; var undoHref: String; var canUndo: Bool }
    struct Page: Sendable {
        var message: String?
        var error: String?
        var yearName: String
        var today: String
        var schoolOptions: [Option]
        var gradeOptions: [Option]
        var transfers: [TransferView]
        var runs: [RunView]
        var isBureau: Bool
        var yearEndHref: String
    }

    func actions(_ context: AppRequestContext) throws -> SchoolYearActions {
        SchoolYearActions(deps: deps, user: try context.require(.manageSchoolYear))
    }

    func page(_ a: SchoolYearActions, message: String? = nil, error: String? = nil) async throws -> Page {
        let schools = try await deps.registry.schools(SchoolFilter())
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.name) })
        let requests = try await deps.registry.transferRequests(schoolIDs: a.user.readable, limit: 100)
        var transfers: [TransferView] = []
        for r in requests {
            let s = try await deps.registry.student(id: r.studentID)
            var steps = ["转入校申请：\(r.requested.by) \(r.requested.at.prefix(16))"]
            if let x = r.sendingApproved { steps.append("转出校同意：\(x.by) \(x.at.prefix(16))") }
            if let x = r.bureauApproved { steps.append("教育局同意：\(x.by) \(x.at.prefix(16))") }
            if let x = r.refused { steps.append("拒绝：\(x.by) \(x.at.prefix(16))") }
            transfers.append(TransferView(
                id: r.id, student: s.map { "\($0.name)（\($0.studentNumber)）" } ?? "学生#\(r.studentID.rawValue)",
                from: names[r.fromSchoolID] ?? "", to: names[r.toSchoolID] ?? "", grade: r.grade.name, date: r.date.description,
                reason: r.reason, status: r.status.rawValue, steps: steps, refusal: r.refusalReason,
                approveHref: "/school-year/transfers/\(r.id)/approve", refuseHref: "/school-year/transfers/\(r.id)/refuse",
                canAct: a.mayApprove(r), approveLabel: r.status == .requested ? "转出校同意" : "教育局审核同意"))
        }
        let runs = try await deps.registry.yearEndRuns(schoolIDs: a.user.readable, limit: 20).map { run in
            RunView(id: run.id, year: run.year.name, scope: run.schoolID.flatMap { names[$0] } ?? "全区",
                    closed: run.closedEnrolments.count, opened: run.openedEnrolmentIDs.count,
                    confirmed: "\(run.confirmed.by) \(run.confirmed.at.prefix(16))", undone: run.undone.map { "\($0.by) \($0.at.prefix(16))" },
                    undoHref: "/school-year/year-end/\(run.id)/undo", canUndo: run.undone == nil && deps.today < run.year.next.firstDay)
        }
        let open = schools.filter { $0.isOpen(on: deps.today) && AccessPolicy.contains(a.user.readable, $0.id) }
        return Page(message: message, error: error, yearName: a.year.name, today: deps.today.description,
                    schoolOptions: schools.filter { $0.isOpen(on: deps.today) }.map { Option(value: $0.code, label: $0.name, selected: false) },
                    gradeOptions: GradeLevel.allCases.map { Option(value: $0.rawValue, label: $0.name, selected: false) },
                    transfers: transfers, runs: runs, isBureau: a.isBureau,
                    yearEndHref: open.count == 1 ? urlWithQuery("/school-year/year-end", [("school", open.first?.code)]) : "/school-year/year-end")
    }

    func render(_ a: SchoolYearActions, message: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        deps.views.render("school_year", ViewContext(chrome: Chrome(title: "学年业务", user: a.user, active: "school-year"),
                                                      page: try await page(a, message: message, error: error)), status: status)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        return try await render(a, message: request.query("done"))
    }

    /// Runs a step; a broken rule is shown on the page with its reason (422), nothing changed.
    func perform(_ context: AppRequestContext, done: String, _ body: (SchoolYearActions, FormData) async throws -> String) async throws -> Response {
        let a = try actions(context)
        let form = context.form ?? FormData(pairs: [])
        do {
            let text = try await body(a, form)
            return Redirect.to(urlWithQuery("/school-year", [("done", done + text)]), status: .seeOther)
        } catch let e as any UserFacingError {
            return try await render(a, error: e.message, status: .unprocessableContent)
        } catch AppError.badRequest(_, let message, let fields) {
            return try await render(a, error: ([message] + fields.map(\.message)).joined(separator: "："), status: .badRequest)
        }
    }

    static func id(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { throw AppError.notFound }
        return id
    }

    @Sendable func requestTransfer(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await perform(context, done: "已提交转学申请") { a, f in
            let grade = try f["grade"].flatMap { $0.isEmpty ? nil : $0 }.map { g -> GradeLevel in
                guard let v = GradeLevel(rawValue: g) else { throw AppError.badRequest(code: "request.invalid_grade", message: "年级无效", fields: []) }
                return v
            }
            let r = try await a.requestTransfer(studentNumber: (f["student"] ?? "").trimmingCharacters(in: .whitespaces),
                                                toSchoolCode: f["to"] ?? "", grade: grade, classNumber: f["class"].flatMap { Int($0) },
                                                date: try SchoolYearActions.date(f["date"], field: "date"),
                                                reason: (f["reason"] ?? "").isEmpty ? "家长申请" : (f["reason"] ?? ""))
            return "（编号 \(r.id)）"
        }
    }

    @Sendable func approve(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        return try await perform(context, done: "转学申请 \(id) ") { a, _ in (try await a.approve(id)).status.rawValue }
    }

    @Sendable func refuse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        return try await perform(context, done: "转学申请 \(id) 已拒绝") { a, f in
            _ = try await a.refuse(id, reason: f["reason"] ?? "")
            return ""
        }
    }

    @Sendable func leave(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await perform(context, done: "已办理") { a, f in
            let reason: ExitReason = f["reason"] == ExitReason.droppedOut.rawValue ? .droppedOut : .suspended
            let e = try await a.leave(studentNumber: (f["student"] ?? "").trimmingCharacters(in: .whitespaces),
                                      date: try SchoolYearActions.date(f["date"], field: "date"), reason: reason)
            return "\(reason.rawValue)（学籍截至\(e.until?.description ?? "")）"
        }
    }

    @Sendable func returnToSchool(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await perform(context, done: "已办理复学（返校）") { a, f in
            let e = try await a.returnToSchool(studentNumber: (f["student"] ?? "").trimmingCharacters(in: .whitespaces),
                                               date: try SchoolYearActions.date(f["date"], field: "date"))
            return "：\(e.grade.name)，自\(e.from.description)起"
        }
    }

    // MARK: Year end

    struct LineView: Sendable { var number: String; var name: String; var from: String; var action: String; var to: String }
    struct YearEndPage: Sendable {
        var yearName: String
        var schoolOptions: [Option]
        var allowDistrict: Bool
        var school: String
        var repeaters: String
        var previewed: Bool
        var promotions: Int
        var repetitions: Int
        var graduations: Int
        var lines: [LineView]
        var more: Int
        var hasMore: Bool
        var error: String?
    }

    @Sendable func yearEnd(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let school = request.query("school")
        let repeaters = request.query("repeaters") ?? ""
        var page = try await yearEndPage(a, school: school, repeaters: repeaters)
        var status: HTTPResponse.Status = .ok
        if request.query("preview") != nil {
            do {
                let plan = try await a.previewYearEnd(schoolCode: school, repeaters: SchoolYearActions.repeaters(repeaters))
                let schools = Dictionary(uniqueKeysWithValues: try await deps.registry.schools(SchoolFilter()).map { ($0.id, $0.name) })
                page.previewed = true
                page.promotions = plan.promotions; page.repetitions = plan.repetitions; page.graduations = plan.graduations
                page.lines = plan.lines.prefix(300).map { l in
                    LineView(number: l.studentNumber, name: l.name, from: "\(schools[l.enrolment.schoolID] ?? "")\(l.enrolment.grade.name)",
                             action: l.action.rawValue,
                             to: l.action == .graduate ? "—" : "\(l.nextSchoolID.flatMap { schools[$0] } ?? schools[l.enrolment.schoolID] ?? "")\((l.nextGrade ?? l.enrolment.grade).name)")
                }
                page.more = max(0, plan.lines.count - 300)
                page.hasMore = page.more > 0
            } catch let e as any UserFacingError {
                page.error = e.message
                status = .unprocessableContent
            }
        }
        return deps.views.render("year_end", ViewContext(chrome: Chrome(title: "年终升级与毕业", user: a.user, active: "school-year"), page: page), status: status)
    }

    func yearEndPage(_ a: SchoolYearActions, school: String?, repeaters: String) async throws -> YearEndPage {
        let schools = try await deps.registry.schools(SchoolFilter(openOn: a.year.lastDay, onlyIDs: a.user.readable))
        return YearEndPage(yearName: a.year.name,
                           schoolOptions: schools.map { Option(value: $0.code, label: $0.name, selected: $0.code == school) },
                           allowDistrict: a.isBureau, school: school ?? "", repeaters: repeaters, previewed: false, promotions: 0,
                           repetitions: 0, graduations: 0, lines: [], more: 0, hasMore: false, error: nil)
    }

    @Sendable func confirmYearEnd(_ request: Request, context: AppRequestContext) async throws -> Response {
        let a = try actions(context)
        let f = context.form ?? FormData(pairs: [])
        let school = f["school"].flatMap { $0.isEmpty ? nil : $0 }
        do {
            let run = try await a.confirmYearEnd(schoolCode: school, repeaters: SchoolYearActions.repeaters(f["repeaters"]))
            return Redirect.to(urlWithQuery("/school-year", [("done", "年终升级已确认（记录 \(run.id)：结束\(run.closedEnrolments.count)段学籍，新开\(run.openedEnrolmentIDs.count)段），新学年开始前可撤销")]), status: .seeOther)
        } catch let e as any UserFacingError {
            var page = try await yearEndPage(a, school: school, repeaters: f["repeaters"] ?? "")
            page.error = e.message
            return deps.views.render("year_end", ViewContext(chrome: Chrome(title: "年终升级与毕业", user: a.user, active: "school-year"), page: page),
                                     status: .unprocessableContent)
        }
    }

    @Sendable func undoYearEnd(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.id(context)
        return try await perform(context, done: "年终升级记录 \(id) 已撤销") { a, _ in
            _ = try await a.undoYearEnd(id)
            return ""
        }
    }

    @Sendable func rollOver(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await perform(context, done: "新学年已开始") { a, _ in
            let created = try await a.rollOver()
            return "：新建起始年级班级\(created.count)个"
        }
    }
}
