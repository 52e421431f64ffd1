import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import Foundation
import Hummingbird

/// Spreadsheet imports in the browser: upload, map unrecognised headers, preview every problem
/// at once, choose the mode, commit in one transaction (with its audit lines, by the importer),
/// and download the annotated copy, the rejected rows and the templates.
///
/// A school account imports into its own school only (the importer refuses rows of other
/// schools, row by row); bureau sections import district-wide; roles without the kind's import
/// permission get 403. A large file runs as a background task whose progress the page polls.
struct ImportsController {
    let deps: AppDependencies
    let jobs = ImportJobs()
    /// Files up to this size are validated before the response (the page shows the result at
    /// once); larger ones run in the background behind a progress bar.
    static let inlineBytes = 2 * 1_048_576
    /// Problems listed in the page; the annotated copy always holds all of them.
    static let shownProblems = 2_000

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/imports", use: start)
        r.post("/imports", use: upload)
        r.get("/import-templates/:kind", use: template)
        r.get("/imports/:id", use: answeringGone(show))
        r.get("/imports/:id/progress", use: progressOrGone)
        r.get("/imports/:id/mapping", use: answeringGone(mappingForm))
        r.post("/imports/:id/mapping", use: answeringGone(saveMapping))
        r.post("/imports/:id/commit", use: answeringGone(commit))
        r.get("/imports/:id/annotated", use: answeringGone(annotated))
        r.get("/imports/:id/rejected", use: answeringGone(rejected))
        return r
    }

    /// A job id this server does not know (for this user): jobs live in the server's memory, so
    /// after a restart — or once a job has expired — its address leads nowhere. The page says so,
    /// and where the data is, instead of a bare 404.
    struct ImportJobGone: Error {}

    static let goneMessage = "服务器重启后该导入任务已不可查：已提交的数据在库中，可在相应名单中查看；"
        + "尚未提交的导入没有写入任何数据，请重新上传文件。导入任务只在服务器运行期间保留，最长\(Int(ImportJobs.lifetime / 3600))小时。"

    struct GonePage { var message: String }

    /// `handler`, answering an unknown job with the explanation page (404).
    func answeringGone(_ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response)
        -> @Sendable (Request, AppRequestContext) async throws -> Response {
        let views = deps.views
        return { request, context in
            do {
                return try await handler(request, context)
            } catch is ImportJobGone {
                let user = try context.requireUser()
                return views.render("import_gone", ViewContext(chrome: Chrome(title: "导入任务已不可查", user: user, active: "imports"),
                                                               page: GonePage(message: Self.goneMessage)),
                                    status: .notFound)
            }
        }
    }

    /// The progress poll of an unknown job gets JSON too (stage `gone`), so the page's script
    /// reloads and shows the explanation instead of polling forever.
    @Sendable func progressOrGone(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            return try await progress(request, context: context)
        } catch is ImportJobGone {
            return JSONResponse.make(ProgressBody(stage: "gone", done: 0, total: 0, percent: 0, secondsLeft: nil, text: Self.goneMessage),
                                     status: .notFound)
        }
    }

    static func permission(_ kind: ImportKind) -> Permission {
        switch kind {
        case .students: return .importStudents
        case .staff: return .importStaff
        case .schools: return .importSchools
        case .population, .resources: return .importStatistics
        }
    }

    /// The kinds this user may import; empty for a role that may never import (403).
    static func kinds(for user: CurrentUser) -> [ImportKind] {
        ImportKind.allCases.filter { user.may(permission($0)) }
    }

    /// A school account's own school code; nil for district-wide accounts. Accounts of a
    /// township or zone have no import permission, so they never get here.
    func ownSchoolCode(_ user: CurrentUser) async throws -> String? {
        switch user.account.scope {
        case .district: return nil
        case .school(let id):
            guard let school = try await deps.registry.school(id: id) else { throw AppError.forbidden }
            return school.code
        case .township, .zone: throw AppError.forbidden
        }
    }

    // MARK: Start page

    struct KindView { var value: String; var label: String; var selected: Bool; var templateHref: String }
    struct StartPage { var kinds: [KindView]; var csrf: String; var scopeNote: String; var maxMegabytes: Int }

    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let kinds = Self.kinds(for: user)
        guard !kinds.isEmpty else { throw AppError.forbidden }
        let chosen = request.query("kind").flatMap(ImportKind.init(rawValue:))
        let school = try await ownSchoolCode(user)
        let page = StartPage(
            kinds: kinds.enumerated().map { i, k in
                KindView(value: k.rawValue, label: k.chineseName, selected: chosen.map { $0 == k } ?? (i == 0),
                         templateHref: "/import-templates/\(k.rawValue)")
            },
            csrf: user.csrfToken,
            scopeNote: school.map { "学校账号只能导入本校（学校标识码\($0)）的数据，其他学校的行会被拒绝。" } ?? "可导入全区的数据。",
            maxMegabytes: Int(ImportOptions.defaultLimits.maxFileBytes / 1_048_576))
        return deps.views.render("import", ViewContext(chrome: Chrome(title: "数据导入", user: user, active: "imports"), page: page))
    }

    // MARK: Upload

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard !Self.kinds(for: user).isEmpty else { throw AppError.forbidden }
        guard let boundary = ImportUpload.boundary(of: request) else {
            throw AppError.badRequest(code: "import.upload", message: "上传的表单格式不正确，请重新选择文件上传", fields: [])
        }
        let (id, directory) = try jobs.makeDirectory()
        do {
            let body = try await ImportUpload.receive(request, into: directory)
            let form = try ImportUpload.parse(body: body, boundary: boundary, into: directory)
            try? FileManager.default.removeItem(at: body)
            guard let sent = form.fields["_csrf"], Tokens.constantTimeEqual(sent, user.csrfToken) else { throw AppError.csrf }
            guard let kind = form.fields["kind"].flatMap(ImportKind.init(rawValue:)) else {
                throw AppError.badRequest(code: "import.kind", message: "请选择要导入的数据类别", fields: [])
            }
            guard user.may(Self.permission(kind)) else { throw AppError.forbidden }
            guard let file = form.file, let fileName = form.fileName else {
                throw AppError.badRequest(code: "import.no_file", message: "请选择要导入的文件（.xlsx 或 .csv）", fields: [])
            }
            var job = ImportJob(id: id, kind: kind, owner: user.account.login, actingUser: user.account.actingUser,
                                schoolCode: try await ownSchoolCode(user), fileName: fileName, directory: directory, file: file,
                                created: Date(), stage: .previewing)
            job.allowUpdates = form.fields["update"] == "1"
            do {
                let check = try Importer.checkHeader(kind, file: file, options: options(job, mode: .allOrNothing, dryRun: true))
                job.header = check
                if check.needsMapping(kind) { job.stage = .mapping }
            } catch {
                job.stage = .failed
                job.failure = error.message
            }
            jobs.add(job)
            if job.stage == .previewing { await run(id, commit: false, mode: .allOrNothing) }
            return Redirect.to(job.stage == .mapping ? "/imports/\(id)/mapping" : "/imports/\(id)", status: .seeOther)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    func options(_ job: ImportJob, mode: ImportMode, dryRun: Bool) -> ImportOptions {
        var o = ImportOptions(mode: mode, allowUpdates: job.allowUpdates, dryRun: dryRun, schoolCode: job.schoolCode,
                              user: job.actingUser)
        o.columnMapping = job.mapping
        return o
    }

    /// Validates (a dry run) or commits the job's file. Small files are done before this returns;
    /// larger ones continue in a background task while the page polls the progress.
    func run(_ id: String, commit: Bool, mode: ImportMode) async {
        var found: ImportJob?
        jobs.update(id) { job in
            job.stage = commit ? .committing : .previewing
            job.started = Date()
            job.done = 0
            job.total = 0
            found = job
        }
        guard let job = found else { return }
        var options = options(job, mode: mode, dryRun: !commit)
        let jobs = self.jobs
        options.progress = { done, total in jobs.update(id) { $0.done = done; $0.total = total } }
        let store = deps.registry
        let task = Task {
            do {
                let report = try await Importer(store: store).run(job.kind, file: job.file, options: options)
                jobs.update(id) { j in
                    if commit { j.result = report; j.stage = .finished } else { j.preview = report; j.stage = .previewed }
                }
            } catch let error as any UserFacingError {
                jobs.update(id) { $0.stage = .failed; $0.failure = error.message }
            } catch {
                jobs.update(id) { $0.stage = .failed; $0.failure = "导入时出错，数据库未作任何修改：\(error)" }
            }
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: job.file.path)[.size] as? Int) ?? Int.max
        if size <= Self.inlineBytes { await task.value }
    }

    /// The job of this user, or `ImportJobGone` (404; another user's job does not exist for them).
    func visibleJob(_ context: AppRequestContext) throws -> (CurrentUser, ImportJob) {
        let user = try context.requireUser()
        guard let id = context.parameters.get("id"), let job = jobs.job(id, owner: user.account.login) else { throw ImportJobGone() }
        guard user.may(Self.permission(job.kind)) else { throw AppError.forbidden }
        return (user, job)
    }

    // MARK: Mapping step

    struct ColumnChoice { var value: String; var selected: Bool }
    struct FieldChoice { var key: String; var title: String; var required: Bool; var note: String; var choices: [ColumnChoice]; var unmapped: Bool }
    struct MappingPage {
        var id: String; var kindName: String; var fileName: String; var sheet: String; var headerRow: Int
        var unrecognised: String; var hasUnrecognised: Bool; var missing: String; var hasMissing: Bool
        var fields: [FieldChoice]; var csrf: String; var error: String?
    }

    func mappingPage(_ job: ImportJob, user: CurrentUser, error: String?) -> MappingPage {
        let header = job.header
        let columns = header?.columns ?? []
        let matched = Dictionary((header?.matched ?? []).map { ($0.field, $0.column) }, uniquingKeysWith: { a, _ in a })
        let missingTitles = job.kind.fields.filter { (header?.missingRequired ?? []).contains($0.key) }.map(\.title)
        let fields = job.kind.fields.map { f in
            let current = job.mapping[f.key] ?? matched[f.key]
            return FieldChoice(key: f.key, title: f.title, required: f.required && !(f.key == "schoolCode" && job.schoolCode != nil),
                               note: f.note, choices: columns.map { ColumnChoice(value: $0, selected: $0 == current) },
                               unmapped: current == nil)
        }
        return MappingPage(
            id: job.id, kindName: job.kind.chineseName, fileName: job.fileName, sheet: header?.sheet ?? "", headerRow: header?.headerRow ?? 1,
            unrecognised: (header?.unrecognised ?? []).joined(separator: "、"), hasUnrecognised: !(header?.unrecognised ?? []).isEmpty,
            missing: missingTitles.joined(separator: "、"), hasMissing: !missingTitles.isEmpty, fields: fields, csrf: user.csrfToken,
            error: error)
    }

    @Sendable func mappingForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, job) = try visibleJob(context)
        guard job.header != nil, job.stage == .mapping || job.stage == .previewed else { return Redirect.to("/imports/\(job.id)") }
        return deps.views.render("import_mapping", ViewContext(chrome: Chrome(title: "对应列名", user: user, active: "imports"),
                                                               page: mappingPage(job, user: user, error: nil)))
    }

    @Sendable func saveMapping(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, job) = try visibleJob(context)
        guard job.stage == .mapping || job.stage == .previewed else { return Redirect.to("/imports/\(job.id)", status: .seeOther) }
        let form = context.form ?? FormData(pairs: [])
        var mapping: [String: String] = [:]
        for f in job.kind.fields {
            if let column = form["field.\(f.key)"], !column.isEmpty { mapping[f.key] = column }
        }
        var changed = job
        changed.mapping = mapping
        do {
            let check = try Importer.checkHeader(job.kind, file: job.file, options: options(changed, mode: .allOrNothing, dryRun: true))
            changed.header = check
            if !check.missingRequired.isEmpty {
                let titles = job.kind.fields.filter { check.missingRequired.contains($0.key) }.map(\.title)
                return deps.views.render(
                    "import_mapping", ViewContext(chrome: Chrome(title: "对应列名", user: user, active: "imports"),
                                                  page: mappingPage(changed, user: user, error: "还缺少必填列：\(titles.joined(separator: "、"))")),
                    status: .unprocessableContent)
            }
        } catch {
            return deps.views.render("import_mapping", ViewContext(chrome: Chrome(title: "对应列名", user: user, active: "imports"),
                                                                   page: mappingPage(changed, user: user, error: error.message)),
                                     status: .unprocessableContent)
        }
        let header = changed.header
        jobs.update(job.id) { $0.mapping = mapping; $0.header = header }
        await run(job.id, commit: false, mode: .allOrNothing)
        return Redirect.to("/imports/\(job.id)", status: .seeOther)
    }

    // MARK: Preview, progress and result

    struct ProblemView { var sheet: String; var row: Int; var column: String; var header: String; var value: String; var message: String }
    struct JobPage {
        var id: String; var kindName: String; var fileName: String
        var isRunning: Bool; var isPreviewed: Bool; var isFinished: Bool; var isFailed: Bool
        var runningTitle: String; var percent: Int; var etaText: String; var progressHref: String
        var failure: String; var summary: String
        var rowsRead: Int; var validRows: Int; var rejectedRows: Int; var problemCount: Int
        var problems: [ProblemView]; var hasProblems: Bool; var truncated: Bool; var shownProblems: Int
        var ignoredColumns: String; var hasIgnored: Bool
        var canCommit: Bool; var allOrNothingBlocked: Bool; var allowUpdates: Bool
        var committed: Bool; var inserted: Int; var updated: Int; var unchanged: Int
        var annotatedHref: String; var rejectedXlsxHref: String; var rejectedCsvHref: String; var hasRejected: Bool
        var mappingHref: String; var canRemap: Bool; var listHref: String?
        var csrf: String
    }

    static func etaText(_ job: ImportJob) -> String {
        if let left = job.secondsLeft(now: Date()) {
            return left >= 60 ? "预计还需约\(left / 60)分\(left % 60)秒" : "预计还需约\(left)秒"
        }
        return "正在估算剩余时间"
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, job) = try visibleJob(context)
        if job.stage == .mapping { return Redirect.to("/imports/\(job.id)/mapping") }
        let report = job.result ?? job.preview
        let problems = report?.problems ?? []
        let shown = problems.prefix(Self.shownProblems).map {
            ProblemView(sheet: $0.sheet, row: $0.row, column: $0.column ?? "", header: $0.header ?? "", value: $0.value, message: $0.message)
        }
        let running = job.stage == .previewing || job.stage == .committing
        let listHref: String? = switch job.kind {
        case .students: "/students"
        case .staff: "/staff"
        case .schools: "/schools"
        case .population, .resources: nil
        }
        let page = JobPage(
            id: job.id, kindName: job.kind.chineseName, fileName: job.fileName,
            isRunning: running, isPreviewed: job.stage == .previewed, isFinished: job.stage == .finished, isFailed: job.stage == .failed,
            runningTitle: job.stage == .committing ? "正在导入并写入数据库" : "正在读取并校验", percent: job.percent,
            etaText: Self.etaText(job), progressHref: "/imports/\(job.id)/progress",
            failure: job.failure ?? "", summary: report?.summary ?? "",
            rowsRead: report?.rowsRead ?? 0, validRows: report?.validRows ?? 0, rejectedRows: report?.rejectedRows ?? 0,
            problemCount: problems.count, problems: Array(shown), hasProblems: !problems.isEmpty,
            truncated: problems.count > shown.count, shownProblems: shown.count,
            ignoredColumns: (report?.ignoredColumns ?? []).joined(separator: "、"), hasIgnored: !(report?.ignoredColumns ?? []).isEmpty,
            canCommit: job.stage == .previewed && (report?.validRows ?? 0) > 0,
            allOrNothingBlocked: (report?.rejectedRows ?? 0) > 0, allowUpdates: job.allowUpdates,
            committed: job.result?.committed ?? false, inserted: job.result?.inserted ?? 0, updated: job.result?.updated ?? 0,
            unchanged: job.result?.unchanged ?? 0,
            annotatedHref: "/imports/\(job.id)/annotated", rejectedXlsxHref: "/imports/\(job.id)/rejected?format=xlsx",
            rejectedCsvHref: "/imports/\(job.id)/rejected?format=csv", hasRejected: (report?.rejectedRows ?? 0) > 0,
            mappingHref: "/imports/\(job.id)/mapping", canRemap: job.stage == .previewed && job.header != nil,
            listHref: listHref, csrf: user.csrfToken)
        return deps.views.render("import_job", ViewContext(chrome: Chrome(title: "\(job.kind.chineseName)导入", user: user, active: "imports"),
                                                           page: page))
    }

    struct ProgressBody: Encodable {
        var stage: String
        var done: UInt64
        var total: UInt64
        var percent: Int
        var secondsLeft: Int?
        var text: String
    }

    @Sendable func progress(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, job) = try visibleJob(context)
        var response = JSONResponse.make(ProgressBody(stage: job.stage.rawValue, done: job.done, total: job.total, percent: job.percent,
                                                      secondsLeft: job.secondsLeft(now: Date()), text: Self.etaText(job)))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func commit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, job) = try visibleJob(context)
        guard job.stage == .previewed else {
            throw AppError.badRequest(code: "import.stage", message: "该文件已导入或尚未校验完成，不能再次提交", fields: [])
        }
        let form = context.form ?? FormData(pairs: [])
        guard let mode = form["mode"].flatMap(ImportMode.init(rawValue:)) else {
            throw AppError.badRequest(code: "import.mode", message: "请选择导入方式", fields: [])
        }
        await run(job.id, commit: true, mode: mode)
        return Redirect.to("/imports/\(job.id)", status: .seeOther)
    }

    // MARK: Downloads

    @Sendable func annotated(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, job) = try visibleJob(context)
        guard let report = job.result ?? job.preview else { throw AppError.notFound }
        let url = job.directory.appendingPathComponent("annotated-\(Tokens.random().prefix(8)).xlsx")
        try ImportAnnotation.writeAnnotatedCopy(source: job.file, report: report, to: url, limits: ImportOptions.defaultLimits)
        return try FileDownload.response(url, fileName: Self.baseName(job.fileName) + "（标注问题）.xlsx", removeAfter: true)
    }

    @Sendable func rejected(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, job) = try visibleJob(context)
        guard let report = job.result ?? job.preview, report.rejectedRows > 0 else { throw AppError.notFound }
        let ext = request.query("format") == "csv" ? "csv" : "xlsx"
        let url = job.directory.appendingPathComponent("rejected-\(Tokens.random().prefix(8)).\(ext)")
        try ImportAnnotation.writeRejectedRows(source: job.file, report: report, to: url)
        return try FileDownload.response(url, fileName: Self.baseName(job.fileName) + "（未通过的行）.\(ext)", removeAfter: true)
    }

    @Sendable func template(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        var raw = context.parameters.get("kind") ?? ""
        if raw.hasSuffix(".xlsx") { raw = String(raw.dropLast(5)) }
        guard let kind = ImportKind(rawValue: raw) else { throw AppError.notFound }
        guard user.may(Self.permission(kind)) else { throw AppError.forbidden }
        let url = FileDownload.scratch("xlsx")
        try ImportTemplate.write(kind, to: url)
        return try FileDownload.response(url, fileName: "\(kind.chineseName)导入模板.xlsx", removeAfter: true)
    }

    static func baseName(_ fileName: String) -> String {
        let base = URL(fileURLWithPath: fileName).deletingPathExtension().lastPathComponent
        return base.isEmpty ? "导入文件" : base
    }
}
