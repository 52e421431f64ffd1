import EduLedgerCore
import EduLedgerIndicators
import EduLedgerStorage
import Foundation
import Hummingbird

/// 控辍保学 in the browser: the school-age children per township (from the population data and
/// the registry), the ledger of suspected and confirmed dropouts with the responsible people,
/// home visits and outcomes, the schools' monthly reports and the county's quarterly review.
/// Reading needs the right to read student records; writing, `manageDropouts`; a user sees and
/// acts on the cases of their own schools only.
struct DropoutController {
    let deps: AppDependencies
    let service: IndicatorService

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/dropouts", use: list)
        r.post("/dropouts", use: report)
        r.get("/dropouts/:id", use: show)
        r.post("/dropouts/:id/visits", use: visit)
        r.post("/dropouts/:id/confirm", use: confirm)
        r.post("/dropouts/:id/outcome", use: outcome)
        r.post("/dropouts/reports", use: submitReport)
        return r
    }

    struct PopulationRow: Sendable { var township: String; var primaryPopulation: String; var primaryEnrolled: String; var primaryRate: String; var juniorPopulation: String; var juniorEnrolled: String; var juniorRate: String }
    struct CaseRow: Sendable { var id: Int64; var href: String; var student: String; var school: String; var grade: String; var absentSince: String; var status: String; var people: String; var visits: Int; var outcome: String }
    struct ReportRow: Sendable { var kind: String; var period: String; var school: String; var counts: String; var notes: String; var submitted: String }
    struct ListPage: Sendable {
        var message: String?
        var error: String?
        var population: [PopulationRow]
        var populationYear: String
        var cases: [CaseRow]
        var reports: [ReportRow]
        var canWrite: Bool
        var isBureau: Bool
        var schoolOptions: [Option]
        var today: String
        var month: String
        var quarter: String
        var open: Int
        var confirmed: Int
    }

    static func countsText(_ c: DropoutCounts) -> String {
        "疑似\(c.suspected)、确认\(c.confirmed)、劝返\(c.returned)、迁出\(c.moved)、免修缓学\(c.exempt)、仍未返校\(c.stillOut)、家访\(c.visits)次"
    }

    /// The ledger's rows as the page lists them, newest first, within the user's schools.
    func ledgerRows(_ user: CurrentUser, names: [SchoolID: String]) async throws -> (rows: [CaseRow], cases: [DropoutCase]) {
        let (cases, visits) = try await deps.registry.dropoutLedger(schoolIDs: user.readable)
        var visitCount: [Int64: Int] = [:]
        for v in visits { visitCount[v.caseID, default: 0] += 1 }
        var rows: [CaseRow] = []
        for c in cases.reversed() {
            let s = try await deps.registry.student(id: c.studentID)
            rows.append(CaseRow(id: c.id, href: "/dropouts/\(c.id)", student: s.map { "\($0.name)（\($0.studentNumber)）" } ?? "",
                                school: names[c.schoolID] ?? "", grade: c.grade.name, absentSince: c.absentSince.description,
                                status: c.status.rawValue, people: "包村干部 \(c.villageCadre)；班主任 \(c.classTeacher)",
                                visits: visitCount[c.id] ?? 0, outcome: c.outcome.map { "\($0.rawValue)（\(c.outcomeOn?.description ?? "")）" } ?? "—"))
        }
        return (rows, cases)
    }

    func schoolNames() async throws -> (schools: [School], names: [SchoolID: String]) {
        let schools = try await deps.registry.schools(SchoolFilter())
        return (schools, Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0.name) }))
    }

    func listPage(_ user: CurrentUser, message: String? = nil, error: String? = nil) async throws -> ListPage {
        let (schools, names) = try await schoolNames()
        let (rows, cases) = try await ledgerRows(user, names: names)
        let reports = try await deps.registry.dropoutReports(schoolIDs: user.readable).map { r in
            ReportRow(kind: r.kind.rawValue, period: r.period, school: r.schoolID.flatMap { names[$0] } ?? "全区", counts: Self.countsText(r.counts),
                      notes: r.notes, submitted: "\(r.submittedBy) \(r.submittedAt.prefix(16))")
        }
        // School-age children and how many of them are registered, per township, from the indicators.
        var population: [PopulationRow] = []
        var populationYear = ""
        if let snapshot = try? await service.snapshot() {
            let scope = IndicatorScope(user: user, snapshot: snapshot)
            let year = min(snapshot.latestYear, SchoolYear(containing: deps.today).startYear)
            populationYear = "\(year)年9月1日"
            let units = user.readable == nil ? [snapshot.engine.units[0]] + scope.units(.township) : (scope.home.map { $0.kind == .township ? [$0] : [] } ?? [])
            for u in units {
                let p = snapshot.value("enrolment_rate.primary", u, year), j = snapshot.value("enrolment_rate.junior", u, year)
                let dp = IndicatorEngine.definition("enrolment_rate.primary"), dj = IndicatorEngine.definition("enrolment_rate.junior")
                population.append(PopulationRow(
                    township: u.name, primaryPopulation: p?.denominator.map(IndicatorsController.number) ?? "—",
                    primaryEnrolled: p.map { IndicatorsController.number($0.numerator) } ?? "—", primaryRate: dp?.format(p?.value) ?? "—",
                    juniorPopulation: j?.denominator.map(IndicatorsController.number) ?? "—",
                    juniorEnrolled: j.map { IndicatorsController.number($0.numerator) } ?? "—", juniorRate: dj?.format(j?.value) ?? "—"))
            }
        }
        let today = deps.today
        let month = String(today.description.prefix(7))
        let monthNumber = Int(today.description.dropFirst(5).prefix(2)) ?? 1
        let quarter = "\(today.description.prefix(4))-Q\((monthNumber - 1) / 3 + 1)"
        return ListPage(
            message: message, error: error, population: population, populationYear: populationYear, cases: rows, reports: reports,
            canWrite: user.may(.manageDropouts), isBureau: user.readable == nil,
            schoolOptions: schools.filter { $0.isOpen(on: today) && AccessPolicy.contains(user.readable, $0.id) }.map { Option(value: String($0.id.rawValue), label: $0.name, selected: false) },
            today: today.description, month: month, quarter: quarter,
            open: cases.filter { $0.status != .closed }.count, confirmed: cases.filter { $0.status == .confirmed }.count)
    }

    func render(_ user: CurrentUser, message: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        deps.views.render("dropouts", ViewContext(chrome: Chrome(title: "控辍保学", user: user, active: "dropouts"),
                                                   page: try await listPage(user, message: message, error: error)), status: status)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStudents)
        if let format = request.query("format") {
            try TableDownload.check(format)
            // The ledger as shown (the user's schools), for the monthly report mailed upward.
            let rows = try await ledgerRows(user, names: try await schoolNames().names).rows.map { c in
                [String(c.id), c.student, c.school, c.grade, c.absentSince, c.status, c.people, String(c.visits), c.outcome]
            }
            return try TableDownload.response(format: format, fileTitle: "控辍保学台账\(deps.today.description)", sheet: "控辍保学台账",
                                              header: ["编号", "学生（学籍号）", "学校", "年级", "缺勤自", "状态", "责任人", "家访次数", "结果"],
                                              rows: rows, columnWidths: [8, 28, 24, 10, 12, 10, 36, 10, 24])
        }
        return try await render(user, message: request.query("done"))
    }

    func writer(_ context: AppRequestContext) throws -> CurrentUser {
        let user = try context.require(.viewStudents)
        guard user.may(.manageDropouts) else { throw AppError.forbidden }
        return user
    }

    /// The case, if it belongs to one of the user's schools.
    func visibleCase(_ context: AppRequestContext, user: CurrentUser) async throws -> DropoutCase {
        guard let id = context.parameters.get("id").flatMap(Int64.init), let c = try await deps.registry.dropoutCase(id: id),
              AccessPolicy.contains(user.readable, c.schoolID) else { throw AppError.notFound }
        return c
    }

    func perform(_ context: AppRequestContext, back: String, done: String, _ body: (CurrentUser, FormData) async throws -> Void) async throws -> Response {
        let user = try writer(context)
        do {
            try await body(user, context.form ?? FormData(pairs: []))
            return Redirect.to(urlWithQuery(back, [("done", done)]), status: .seeOther)
        } catch let e as any UserFacingError {
            return try await render(user, error: e.message, status: .unprocessableContent)
        } catch AppError.badRequest(_, let message, _) {
            return try await render(user, error: message, status: .badRequest)
        }
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await perform(context, back: "/dropouts", done: "已登记疑似辍学") { user, f in
            let number = (f["student"] ?? "").trimmingCharacters(in: .whitespaces)
            _ = try await SchoolYearActions(deps: deps, user: user).student(number: number)
            _ = try await deps.service.reportSuspectedDropout(
                studentNumber: number, absentSince: try SchoolYearActions.date(f["absentSince"], field: "absentSince"),
                reportedOn: deps.today, reason: f["reason"] ?? "", villageCadre: f["cadre"] ?? "", classTeacher: f["teacher"] ?? "",
                by: user.account.actingUser)
        }
    }

    struct VisitRow: Sendable { var date: String; var visitors: String; var notes: String; var recordedBy: String }
    struct DetailPage: Sendable {
        var id: Int64; var student: String; var studentHref: String; var school: String; var grade: String; var absentSince: String
        var reported: String; var reason: String; var cadre: String; var teacher: String; var status: String
        var confirmedOn: String?; var outcome: String?; var visits: [VisitRow]; var canWrite: Bool; var open: Bool
        var suspected: Bool; var outcomes: [Option]; var today: String; var message: String?
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStudents)
        let c = try await visibleCase(context, user: user)
        let s = try await deps.registry.student(id: c.studentID)
        let school = try await deps.registry.school(id: c.schoolID)
        let (_, visits) = try await deps.registry.dropoutLedger(schoolIDs: [c.schoolID])
        let page = DetailPage(
            id: c.id, student: s.map { "\($0.name)（\($0.studentNumber)）" } ?? "", studentHref: "/students/\(c.studentID.rawValue)",
            school: school?.name ?? "", grade: c.grade.name, absentSince: c.absentSince.description,
            reported: "\(c.reportedBy) \(c.reportedOn.description)", reason: c.reason, cadre: c.villageCadre, teacher: c.classTeacher,
            status: c.status.rawValue, confirmedOn: c.confirmedOn?.description,
            outcome: c.outcome.map { "\($0.rawValue)（\(c.outcomeOn?.description ?? "")）\(c.outcomeNote.map { "：" + $0 } ?? "")" },
            visits: visits.filter { $0.caseID == c.id }.map { VisitRow(date: $0.date.description, visitors: $0.visitors, notes: $0.notes, recordedBy: $0.recordedBy) },
            canWrite: user.may(.manageDropouts), open: c.status != .closed, suspected: c.status == .suspected,
            outcomes: DropoutCase.Outcome.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: false) },
            today: deps.today.description, message: request.query("done"))
        return deps.views.render("dropout", ViewContext(chrome: Chrome(title: "控辍保学台账 \(c.id)", user: user, active: "dropouts"), page: page))
    }

    @Sendable func visit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try writer(context)
        let c = try await visibleCase(context, user: user)
        return try await perform(context, back: "/dropouts/\(c.id)", done: "已登记家访") { user, f in
            _ = try await deps.service.recordHomeVisit(caseID: c.id, date: try SchoolYearActions.date(f["date"], field: "date"),
                                                       visitors: f["visitors"] ?? "", notes: f["notes"] ?? "", by: user.account.actingUser)
        }
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try writer(context)
        let c = try await visibleCase(context, user: user)
        return try await perform(context, back: "/dropouts/\(c.id)", done: "已确认辍学") { user, _ in
            _ = try await deps.service.confirmDropout(caseID: c.id, on: deps.today, by: user.account.actingUser)
        }
    }

    @Sendable func outcome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try writer(context)
        let c = try await visibleCase(context, user: user)
        return try await perform(context, back: "/dropouts/\(c.id)", done: "已登记结果") { user, f in
            guard let o = f["outcome"].flatMap(DropoutCase.Outcome.init(rawValue:)) else {
                throw AppError.badRequest(code: "request.invalid_outcome", message: "请选择结果", fields: [])
            }
            _ = try await deps.service.recordDropoutOutcome(caseID: c.id, outcome: o, on: try SchoolYearActions.date(f["date"], field: "date"),
                                                            note: f["note"] ?? "", by: user.account.actingUser)
        }
    }

    @Sendable func submitReport(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await perform(context, back: "/dropouts", done: "报告已提交") { user, f in
            var school: SchoolID?
            if let raw = f["school"], !raw.isEmpty {
                guard let id = Int64(raw).map(SchoolID.init), AccessPolicy.contains(user.readable, id) else { throw AppError.notFound }
                school = id
            } else if user.readable != nil {
                throw AppError.forbidden
            }
            _ = try await deps.service.submitDropoutReport(period: (f["period"] ?? "").trimmingCharacters(in: .whitespaces), schoolID: school,
                                                           notes: f["notes"] ?? "", by: user.account.actingUser)
        }
    }
}
