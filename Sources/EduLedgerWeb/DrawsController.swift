import ClassAssignment
import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// The public class draw (电脑随机编班) in the browser: a school's registrar or principal creates
/// the draw, uploads (or takes from the registry) and publishes the roster — its SHA-256 printed
/// before anything is drawn — records the seed parts typed by parent representatives and
/// supervisors, runs and locks the draw, draws class labels and 班主任, places late enrolees
/// without moving anybody, and hands outsiders the record that `eduledger verify-draw` recomputes.
/// The bureau sees every intake of the year. The steps themselves live in `DrawActions`.
struct DrawsController {
    let deps: AppDependencies
    var actions: DrawActions { DrawActions(deps: deps) }
    var store: SQLDrawStore { actions.store }

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/draws", use: list)
        r.get("/draws/overview", use: overview)
        r.get("/draws/new", use: newForm)
        r.post("/draws", use: create)
        r.get("/draws/:id", use: show)
        r.get("/draws/:id/notice", use: notice)
        r.get("/draws/:id/report", use: report)
        r.get("/draws/:id/record.json", use: recordFile)
        r.get("/draws/:id/roster", use: rosterFile)
        r.post("/draws/:id/roster", use: upload)
        r.post("/draws/:id/roster/registry", use: fromRegistry)
        r.post("/draws/:id/publish", use: publish)
        r.post("/draws/:id/seed", use: addSeedPart)
        r.post("/draws/:id/seed/fix", use: fixSeed)
        r.post("/draws/:id/assign", use: assign)
        r.post("/draws/:id/lock", use: lock)
        r.post("/draws/:id/lottery/labels", use: drawLabels)
        r.post("/draws/:id/lottery/teachers", use: drawTeachers)
        r.post("/draws/:id/late", use: placeLate)
        r.get("/public/draws/:id", use: publicPage)
        r.get("/public/draws/:id/record.json", use: publicRecord)
        return r
    }

    // MARK: helpers

    func visibleDraw(_ context: AppRequestContext, user: CurrentUser) async throws -> ClassDraw {
        try await actions.visibleDraw(context.parameters.get("id"), user: user)
    }

    func schoolName(_ id: SchoolID) async throws -> String {
        try await deps.registry.school(id: id)?.name ?? ""
    }

    static func list(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" })
            .map { String($0.trimmingCharacters(in: .whitespaces).prefix(40)) }.filter { !$0.isEmpty }
    }

    static func columns(from form: FormData) -> DrawColumns {
        func opt(_ n: String) -> String? {
            let v = (form[n] ?? "").trimmingCharacters(in: .whitespaces)
            return v.isEmpty ? nil : String(v.prefix(40))
        }
        return DrawColumns(scores: list(form["scores"]), flags: list(form["flags"]), together: opt("together"),
                           apart: list(form["apart"]), pin: opt("pin"))
    }

    static func classCount(_ form: FormData) -> Int? {
        form["classCount"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    static func format(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }

    // MARK: list, create

    struct DrawRow { var href: String; var school: String; var year: String; var grade: String; var state: String; var classes: Int; var students: String }
    struct ListPage { var rows: [DrawRow]; var empty: Bool; var canCreate: Bool }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let draws = try await store.draws(schoolIDs: user.readable)
        var names: [SchoolID: String] = [:]
        for s in try await deps.registry.schools(SchoolFilter(onlyIDs: user.readable)) { names[s.id] = s.name }
        let rows = draws.map {
            DrawRow(href: "/draws/\($0.id)", school: names[$0.schoolID] ?? "", year: $0.schoolYear.name, grade: $0.grade.name,
                    state: $0.state.title, classes: $0.classCount, students: $0.studentCount.map(String.init) ?? "—")
        }
        let page = ListPage(rows: rows, empty: rows.isEmpty, canCreate: user.may(.runDraws))
        return deps.views.render("draws", ViewContext(chrome: Chrome(title: "电脑随机编班", user: user, active: "draws"), page: page))
    }

    struct NewPage {
        var schoolOptions: [Option]
        var yearOptions: [Option]
        var gradeOptions: [Option]
        var classCount: String
        var formError: String?
    }

    func newPage(user: CurrentUser, form: FormData?, error: String?) async throws -> NewPage {
        let schools = try await deps.registry.schools(SchoolFilter(openOn: deps.today, onlyIDs: user.readable))
            .filter { s in DrawActions.intakeGrades.contains { s.type.grades.contains($0) } }
        let thisYear = SchoolYear(containing: deps.today)
        let chosenSchool = form?["school"].flatMap(Int64.init)
        let chosenYear = form?["year"].flatMap(Int.init) ?? thisYear.startYear
        let chosenGrade = form?["grade"].flatMap(GradeLevel.init(rawValue:))
        return NewPage(
            schoolOptions: schools.map { Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id.rawValue == chosenSchool) },
            yearOptions: [thisYear.startYear, thisYear.startYear + 1].map {
                Option(value: String($0), label: SchoolYear($0).name, selected: $0 == chosenYear)
            },
            gradeOptions: DrawActions.intakeGrades.map { Option(value: $0.rawValue, label: $0.name, selected: $0 == chosenGrade) },
            classCount: form?["classCount"] ?? "", formError: error)
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.runDraws)
        return deps.views.render("draw_new", ViewContext(chrome: Chrome(title: "新建编班", user: user, active: "draws"),
                                                         page: try await newPage(user: user, form: nil, error: nil)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.runDraws)
        let form = context.form ?? FormData(pairs: [])
        func refuse(_ message: String) async throws -> Response {
            deps.views.render("draw_new", ViewContext(chrome: Chrome(title: "新建编班", user: user, active: "draws"),
                                                      page: try await newPage(user: user, form: form, error: message)),
                              status: .unprocessableContent)
        }
        guard let schoolRaw = form["school"].flatMap(Int64.init) else { return try await refuse("请选择学校") }
        do {
            let draw = try await actions.create(user: user, schoolID: SchoolID(schoolRaw), year: form["year"].flatMap(Int.init),
                                                grade: form["grade"].flatMap(GradeLevel.init(rawValue:)),
                                                classCount: Self.classCount(form),
                                                columns: DrawColumns(scores: [], flags: [], together: nil, apart: [], pin: nil))
            return Redirect.to("/draws/\(draw.id)", status: .seeOther)
        } catch let refusal as DrawRefusal {
            return try await refuse(refusal.message)
        }
    }

    // MARK: detail

    struct SeedPartView { var position: Int; var value: String; var enteredBy: String; var capacity: String; var recordedBy: String; var at: String }
    struct LotteryView { var classNumber: Int; var drawn: String }
    struct CheckOption { var value: String; var label: String }
    struct ChangeView { var at: String; var actor: String; var kind: String; var reason: String; var detail: String }
    struct FieldView { var name: String; var label: String }

    struct DetailPage {
        var id: Int64
        var school: String
        var year: String
        var grade: String
        var state: String
        var classCount: Int
        var columnsText: String
        var canRun: Bool
        var runDraft: Bool
        var runPublished: Bool
        var runSeeded: Bool
        var runAssigned: Bool
        var runLocked: Bool
        var runLottery: Bool
        var hasRoster: Bool
        var rosterFileName: String
        var rosterHash: String
        var studentCount: String
        var publishedLine: String?
        var scores: String
        var flags: String
        var together: String
        var apart: String
        var pin: String
        var problems: [DrawWorkflow.UploadProblem]
        var hasProblems: Bool
        var formError: String?
        var notice: String?
        var seedParts: [SeedPartView]
        var hasSeedParts: Bool
        var seed: String?
        var seedLine: String?
        var assignedLine: String?
        var lockedLine: String?
        var summary: String?
        var hasResult: Bool
        var labels: [LotteryView]
        var hasLabels: Bool
        var teachers: [LotteryView]
        var hasTeachers: Bool
        var canDrawLabels: Bool
        var teacherOptions: [CheckOption]
        var canDrawTeachers: Bool
        var scoreFields: [FieldView]
        var flagFields: [FieldView]
        var changes: [ChangeView]
        var hasChanges: Bool
        var isPublic: Bool
        var publicHref: String
        var registryFlags: String
    }

    func detailPage(_ draw: ClassDraw, user: CurrentUser, problems: [DrawWorkflow.UploadProblem] = [],
                    error: String? = nil, notice: String? = nil) async throws -> DetailPage {
        let cols = DrawActions.columns(of: draw)
        let parts = try await store.seedParts(drawID: draw.id)
        var summary = ""
        var scoreFields: [FieldView] = []
        var flagFields: [FieldView] = []
        let hasResult = draw.state == .assigned || draw.state == .locked
        if hasResult {
            do {
                if let built = try await actions.rebuilt(draw) {
                    let r = built.assignment.report
                    summary = "已分为 \(built.assignment.classSizes.count) 个班（各班 \(built.assignment.classSizes.map(String.init).joined(separator: "/")) 人）："
                        + "均分极差 \(Self.format(r.meanRange, 2))，标准差极差 \(Self.format(r.sdRange, 3))，"
                        + "性别最大差 \(r.genderMaxDiff)，违反约束 \(r.constraintsViolated) 处；按记录复算，结果一致"
                    scoreFields = built.roster.scoreColumns.enumerated().map { FieldView(name: "score_\($0.offset)", label: $0.element) }
                    flagFields = built.roster.flagColumns.enumerated().map { FieldView(name: "flag_\($0.offset)", label: $0.element) }
                }
            } catch {
                summary = "无法复算：\(error)"
            }
        }
        let canRun = user.may(.runDraws)
        var teacherOptions: [CheckOption] = []
        if canRun, draw.teachersJSON == nil, hasResult {
            teacherOptions = try await actions.teachers(of: draw).map {
                CheckOption(value: String($0.id.rawValue), label: "\($0.name)（\($0.staffNumber)）")
            }
        }
        let changes = try await store.changes(drawID: draw.id).map {
            ChangeView(at: $0.at, actor: $0.actor, kind: $0.kind == "late" ? "插班" : $0.kind, reason: $0.reason,
                       detail: Self.changeDetail($0))
        }
        let labels = DrawActions.lottery(draw.labelsJSON).map { LotteryView(classNumber: $0.classNumber, drawn: $0.drawn) }
        let teachers = DrawActions.lottery(draw.teachersJSON).map { LotteryView(classNumber: $0.classNumber, drawn: $0.drawn) }
        func none(_ list: [String]) -> String { list.isEmpty ? "无" : list.joined(separator: "、") }
        return DetailPage(
            id: draw.id, school: try await schoolName(draw.schoolID), year: draw.schoolYear.name, grade: draw.grade.name,
            state: draw.state.title, classCount: draw.classCount,
            columnsText: "成绩列：\(cols.scores.isEmpty ? "成绩/总分（默认）" : cols.scores.joined(separator: "、"))；均衡标记：\(none(cols.flags))；同班列：\(cols.together ?? "无")；分开列：\(none(cols.apart))；指定班级列：\(cols.pin ?? "无")",
            canRun: canRun, runDraft: canRun && draw.state == .draft, runPublished: canRun && draw.state == .published,
            runSeeded: canRun && draw.state == .seeded, runAssigned: canRun && draw.state == .assigned,
            runLocked: canRun && draw.state == .locked, runLottery: canRun && hasResult,
            hasRoster: draw.rosterHash != nil, rosterFileName: draw.rosterFileName ?? "", rosterHash: draw.rosterHash ?? "",
            studentCount: draw.studentCount.map(String.init) ?? "—",
            publishedLine: draw.publishedAt.map { "\($0) 由 \(draw.publishedBy ?? "") 公布" },
            scores: cols.scores.joined(separator: ","), flags: cols.flags.joined(separator: ","), together: cols.together ?? "",
            apart: cols.apart.joined(separator: ","), pin: cols.pin ?? "",
            problems: problems, hasProblems: !problems.isEmpty, formError: error, notice: notice,
            seedParts: parts.map { SeedPartView(position: $0.position, value: $0.value, enteredBy: $0.enteredBy, capacity: $0.capacity,
                                                recordedBy: $0.recordedBy, at: $0.recordedAt) },
            hasSeedParts: !parts.isEmpty, seed: draw.seed,
            seedLine: draw.seededAt.map { "\($0) 由 \(draw.seededBy ?? "") 确定" },
            assignedLine: draw.assignedAt.map { "\($0) 由 \(draw.assignedBy ?? "") 执行" },
            lockedLine: draw.lockedAt.map { "\($0) 由 \(draw.lockedBy ?? "") 锁定" },
            summary: summary.isEmpty ? nil : summary, hasResult: hasResult, labels: labels, hasLabels: !labels.isEmpty, teachers: teachers,
            hasTeachers: !teachers.isEmpty, canDrawLabels: canRun && hasResult && labels.isEmpty, teacherOptions: teacherOptions,
            canDrawTeachers: canRun && hasResult && teachers.isEmpty, scoreFields: scoreFields, flagFields: flagFields,
            changes: changes, hasChanges: !changes.isEmpty, isPublic: draw.state != .draft, publicHref: "/public/draws/\(draw.id)",
            registryFlags: DrawActions.registryFlags.joined(separator: "、"))
    }

    static func changeDetail(_ change: ClassDrawChange) -> String {
        guard change.kind == "late",
              let e = try? JSONDecoder().decode(DrawWorkflow.LateEntry.self, from: Data(change.detailJSON.utf8)) else { return change.detailJSON }
        return "\(e.name)（\(e.id)）编入第 \(e.classNumber) 班：\(e.engineReason)"
    }

    func render(_ draw: ClassDraw, user: CurrentUser, problems: [DrawWorkflow.UploadProblem] = [], error: String? = nil,
                notice: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let page = try await detailPage(draw, user: user, problems: problems, error: error, notice: notice)
        return deps.views.render("draw", ViewContext(chrome: Chrome(title: "\(page.school)\(draw.grade.name)编班", user: user, active: "draws"),
                                                     page: page), status: status)
    }

    static let notices = ["uploaded": "名单已保存，请核对人数和摘要后公布", "published": "名单已公布，摘要已固定，请打印公示",
                          "seed": "种子组成部分已记录", "seeded": "种子已确定", "assigned": "编班完成",
                          "locked": "编班结果已锁定（不调）", "labels": "班级名称已抽定", "teachers": "班主任已抽定",
                          "late": "插班学生已编入"]

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let draw = try await visibleDraw(context, user: user)
        return try await render(draw, user: user, notice: request.query("done").flatMap { Self.notices[$0] })
    }

    /// Runs a step for a user who may run draws (403 otherwise), on a draw in scope (404
    /// otherwise); a refusal by the rules re-shows the page with the reason (422).
    func act(_ context: AppRequestContext, done: String,
             _ body: @escaping @Sendable (CurrentUser, ClassDraw, FormData) async throws -> Void) async throws -> Response {
        let user = try context.require(.runDraws)
        let draw = try await visibleDraw(context, user: user)
        do {
            try await body(user, draw, context.form ?? FormData(pairs: []))
        } catch let error as ClassDrawError {
            return try await render(try await store.draw(id: draw.id) ?? draw, user: user, error: error.message, status: .unprocessableContent)
        } catch let error as DrawRefusal {
            return try await render(try await store.draw(id: draw.id) ?? draw, user: user, problems: error.problems,
                                    error: error.message, status: .unprocessableContent)
        }
        return Redirect.to("/draws/\(draw.id)?done=\(done)", status: .seeOther)
    }

    // MARK: steps

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "uploaded") { user, draw, form in
            let data: Data
            var fileName = (form["rosterName"] ?? "").trimmingCharacters(in: .whitespaces)
            if let b64 = form["rosterBase64"], !b64.isEmpty {
                guard let d = Data(base64Encoded: b64) else {
                    throw DrawActions.refuse("draw.roster_unreadable", "上传的文件内容无法读取，请重新选择文件")
                }
                data = d
            } else {
                data = Data((form["rosterText"] ?? "").utf8)
                fileName = "粘贴名单.csv"
            }
            _ = try await actions.setRoster(user: user, draw: draw, fileName: fileName, data: data, columns: Self.columns(from: form),
                                            classCount: Self.classCount(form))
        }
    }

    @Sendable func fromRegistry(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "uploaded") { user, draw, form in
            _ = try await actions.rosterFromRegistry(user: user, draw: draw, classCount: Self.classCount(form))
        }
    }

    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "published") { user, draw, _ in _ = try await actions.publish(user: user, draw: draw) }
    }

    @Sendable func addSeedPart(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "seed") { user, draw, form in
            _ = try await actions.addSeedPart(user: user, draw: draw, value: form["value"] ?? "", enteredBy: form["enteredBy"] ?? "",
                                              capacity: form["capacity"])
        }
    }

    @Sendable func fixSeed(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "seeded") { user, draw, _ in _ = try await actions.fixSeed(user: user, draw: draw) }
    }

    @Sendable func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "assigned") { user, draw, _ in _ = try await actions.assign(user: user, draw: draw) }
    }

    @Sendable func lock(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "locked") { user, draw, _ in _ = try await actions.lock(user: user, draw: draw) }
    }

    @Sendable func drawLabels(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "labels") { user, draw, _ in _ = try await actions.drawLabels(user: user, draw: draw) }
    }

    @Sendable func drawTeachers(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "teachers") { user, draw, form in
            let chosen = Set(form.pairs.filter { $0.name == "teacher" }.compactMap { Int64($0.value) })
            _ = try await actions.drawTeachers(user: user, draw: draw, staffIDs: chosen)
        }
    }

    @Sendable func placeLate(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await act(context, done: "late") { user, draw, form in
            let scores = (0..<20).map { form["score_\($0)"] ?? "" }
            let flags = (0..<40).map { form["flag_\($0)"] == "1" || form["flag_\($0)"] == "on" }
            _ = try await actions.placeLate(user: user, draw: draw, input: DrawActions.LateInput(
                studentID: form["studentID"] ?? "", name: form["name"] ?? "", gender: form["gender"] ?? "", scores: scores,
                flags: flags, reason: form["reason"] ?? ""))
        }
    }
}
