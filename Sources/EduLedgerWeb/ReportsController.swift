import EduLedgerCore
import EduLedgerIndicators
import EduLedgerReports
import EduLedgerStorage
import Foundation
import Hummingbird
import OfficeFormats
import ReportChecker

/// The annual report in the browser: templates (bureau staff edit them with an indicator picker and
/// a live preview), generation for a year and a unit within the user's place (HTML view, .docx
/// download), publishing (frozen figures), the diff against today's records, the trace of every
/// figure to its records, and the checker's upload page. The public has no access.
struct ReportsController {
    let deps: AppDependencies
    var store: SQLReportStore { SQLReportStore(database: deps.config.database) }

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/reports", use: index)
        r.post("/reports/templates", use: createTemplate)
        r.get("/reports/templates/:id/edit", use: edit)
        r.post("/reports/templates/:id", use: saveTemplate)
        r.post("/reports/preview", use: preview)
        r.get("/reports/indicators", use: picker)
        r.get("/reports/generate", use: generate)
        r.post("/reports/publish", use: publish)
        r.get("/reports/trace", use: trace)
        r.get("/reports/check", use: checkForm)
        r.post("/reports/check", use: check)
        r.get("/reports/:id", use: show)
        r.get("/reports/:id/docx", use: frozenDocx)
        r.get("/reports/:id/diff", use: diff)
        r.get("/reports/:id/figures/:figure", use: figure)
        return r
    }

    // MARK: Scope

    /// Bureau accounts (the district's place) edit templates; everyone else only generates.
    static func mayEditTemplates(_ user: CurrentUser) -> Bool { user.account.scope == .district }

    /// The units the user may generate a report for: any for the bureau, their township (zone) and
    /// its schools, their school.
    static func allowedUnits(_ user: CurrentUser, _ generator: ReportGenerator) -> [ReportingUnit] {
        let units = generator.engine.units.filter { $0.kind != .group }
        switch user.account.scope {
        case .district: return units
        case .township(let id):
            guard let t = generator.unit(township: id) else { return [] }
            return [t] + generator.children(of: t, level: .school)
        case .zone(let id):
            guard let z = generator.unit(zone: id) else { return [] }
            return [z] + generator.children(of: z, level: .school)
        case .school(let id):
            return generator.unit(school: id).map { [$0] } ?? []
        }
    }

    /// The unit named `kind:key`, or the user's own place; 404 outside the user's place.
    static func unit(_ parameter: String?, user: CurrentUser, generator: ReportGenerator) throws -> ReportingUnit {
        let allowed = allowedUnits(user, generator)
        guard let parameter else {
            guard let first = allowed.first else { throw AppError.notFound }
            return first
        }
        let parts = parameter.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let u = allowed.first(where: { $0.kind.rawValue == parts[0] && $0.key == parts[1] }) else {
            throw AppError.notFound
        }
        return u
    }

    static func parameter(_ u: ReportingUnit) -> String { u.kind.rawValue + ":" + u.key }

    /// The records of the years a report of `year` may need (five years for trends and comparisons).
    func generator(for year: Int?) async throws -> (ReportGenerator, Int) {
        let loader = IndicatorFactsLoader(database: deps.config.database)
        guard let available = try await loader.availableYears() else {
            throw AppError.unprocessable(code: "report.no_data", message: "还没有任何学年的记录，无法生成报告", fields: [])
        }
        let y = min(max(year ?? available.upperBound, available.lowerBound), available.upperBound + 1)
        let last = min(y, available.upperBound)
        let facts = try await loader.load(years: max(available.lowerBound, last - 4)...last)
        return (ReportGenerator(facts: facts), y)
    }

    func loggedIn(_ context: AppRequestContext) throws -> CurrentUser { try context.require(.viewSchools) }

    func templateBody(_ id: String?) async throws -> (StoredReportTemplate?, String) {
        guard let id, id != "default" else { return (nil, DefaultTemplates.annualSummary) }
        guard let n = Int64(id), let t = try await store.template(id: n) else { throw AppError.notFound }
        return (t, t.body)
    }

    // MARK: Pages

    struct TemplateRow { var id: String; var name: String; var version: Int; var editedBy: String; var editedAt: String; var editHref: String? }
    struct ReportRow { var href: String; var title: String; var unit: String; var year: Int; var publishedBy: String; var publishedAt: String }
    struct IndexPage {
        var templates: [TemplateRow]
        var reports: [ReportRow]
        var hasReports: Bool
        var units: [Option]
        var years: [Option]
        var mayEdit: Bool
        var csrf: String
    }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let (generator, year) = try await generator(for: nil)
        let allowed = Self.allowedUnits(user, generator)
        let mayEdit = Self.mayEditTemplates(user)
        var rows = [TemplateRow(id: "default", name: "默认：年度工作总结（系统提供）", version: 1, editedBy: "系统", editedAt: "", editHref: nil)]
        rows += try await store.templates().map {
            TemplateRow(id: String($0.id), name: $0.name, version: $0.version, editedBy: $0.editedBy, editedAt: String($0.editedAt.prefix(16)),
                        editHref: mayEdit ? "/reports/templates/\($0.id)/edit" : nil)
        }
        let reports = try await store.reports(units: user.account.scope == .district ? nil : allowed.map { ($0.kind.rawValue, $0.key) })
        let years = generator.facts.years
        let page = IndexPage(
            templates: rows,
            reports: reports.map { ReportRow(href: "/reports/\($0.id)", title: $0.title, unit: $0.unitName, year: $0.year,
                                             publishedBy: $0.publishedBy, publishedAt: String($0.publishedAt.prefix(16))) },
            hasReports: !reports.isEmpty,
            units: allowed.map { Option(value: Self.parameter($0), label: "\($0.kind.chinese)：\($0.name)", selected: false) },
            years: (years.lowerBound...(years.upperBound + 1)).reversed().map { Option(value: String($0), label: "\($0)年", selected: $0 == year) },
            mayEdit: mayEdit, csrf: user.csrfToken)
        return deps.views.render("reports", ViewContext(chrome: Chrome(title: "工作报告", user: user, active: "reports"), page: page))
    }

    @Sendable func createTemplate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        guard Self.mayEditTemplates(user) else { throw AppError.forbidden }
        let name = context.form?["name"] ?? ""
        let created = try await store.createTemplate(name: name, body: DefaultTemplates.annualSummary, by: user.account.actingUser)
        return Redirect.to("/reports/templates/\(created.id)/edit", status: .seeOther)
    }

    struct EditPage {
        var id: Int64; var name: String; var version: Int; var body: String; var csrf: String
        var units: [Option]; var years: [Option]; var versions: [StoredTemplateVersion]; var saved: Bool; var error: String?
    }

    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        guard Self.mayEditTemplates(user) else { throw AppError.forbidden }
        guard let id = context.parameters.get("id").flatMap(Int64.init), let t = try await store.template(id: id) else { throw AppError.notFound }
        return try await editPage(t, body: t.body, user: user, saved: request.query("saved") != nil, error: nil)
    }

    func editPage(_ t: StoredReportTemplate, body: String, user: CurrentUser, saved: Bool, error: String?) async throws -> Response {
        let (generator, year) = try await generator(for: nil)
        let years = generator.facts.years
        let page = EditPage(
            id: t.id, name: t.name, version: t.version, body: body, csrf: user.csrfToken,
            units: Self.allowedUnits(user, generator).map { Option(value: Self.parameter($0), label: "\($0.kind.chinese)：\($0.name)", selected: false) },
            years: (years.lowerBound...(years.upperBound + 1)).reversed().map { Option(value: String($0), label: "\($0)年", selected: $0 == year) },
            versions: try await store.versions(templateID: t.id), saved: saved, error: error)
        return deps.views.render("report_edit", ViewContext(chrome: Chrome(title: "编辑模板：\(t.name)", user: user, active: "reports"), page: page),
                                 status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func saveTemplate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        guard Self.mayEditTemplates(user) else { throw AppError.forbidden }
        guard let id = context.parameters.get("id").flatMap(Int64.init), let t = try await store.template(id: id) else { throw AppError.notFound }
        let body = (context.form?["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let parsed = TemplateParser.parse(body)
        if !parsed.isValid {
            return try await editPage(t, body: body, user: user, saved: false,
                                      error: "未保存：" + parsed.errors.prefix(5).map(\.description).joined(separator: "；"))
        }
        let expected = context.form?["version"].flatMap(Int.init) ?? -1
        do {
            _ = try await store.updateTemplate(id: id, body: body, expectedVersion: expected, by: user.account.actingUser)
        } catch let e as StorageError {
            return try await editPage(t, body: body, user: user, saved: false, error: e.message)
        }
        return Redirect.to("/reports/templates/\(id)/edit?saved=1", status: .seeOther)
    }

    struct PreviewResult: Encodable {
        struct ErrorItem: Encodable { var line: Int; var column: Int; var message: String }
        var errors: [ErrorItem]
        var html: String
        var notes: [String]
    }

    /// The live preview: errors at line and column, or the report rendered for the chosen unit and year.
    @Sendable func preview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let body = (context.form?["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        let parsed = TemplateParser.parse(body)
        guard parsed.isValid else {
            return JSONResponse.make(PreviewResult(errors: parsed.errors.map { .init(line: $0.position.line, column: $0.position.column, message: $0.message) },
                                                   html: "", notes: []))
        }
        let (generator, year) = try await generator(for: context.form?["year"].flatMap(Int.init))
        let unit = try Self.unit(context.form?["unit"], user: user, generator: generator)
        do {
            let doc = try generator.generate(parsed.template, year: year, unit: unit)
            return JSONResponse.make(PreviewResult(errors: [], html: ReportHTML.render(doc), notes: doc.notes))
        } catch let e as ReportError {
            return JSONResponse.make(PreviewResult(errors: [.init(line: 0, column: 0, message: e.message)], html: "", notes: []))
        }
    }

    /// The indicator picker: entries whose Chinese name contains the query.
    @Sendable func picker(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try loggedIn(context)
        let q = request.query("q") ?? ""
        let entries = ReportVocabulary.entries.filter { q.isEmpty || $0.name.contains(q) || $0.id.contains(q) }.prefix(40)
        return JSONResponse.make(Array(entries))
    }

    struct ViewPage {
        var title: String; var html: String; var notes: [String]; var csrf: String
        var docxHref: String; var template: String; var unit: String; var year: Int
        var published: PublishedInfo?; var mayPublish: Bool
    }
    struct PublishedInfo { var id: Int64; var by: String; var at: String; var auditPosition: Int64; var diffHref: String }

    /// Generates for a year and a unit: the HTML view, or the .docx with `format=docx`.
    @Sendable func generate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let (stored, body) = try await templateBody(request.query("template"))
        let (generator, year) = try await generator(for: request.query("year").flatMap(Int.init))
        let unit = try Self.unit(request.query("unit"), user: user, generator: generator)
        let doc: ReportDocument
        do { doc = try generator.generate(text: body, year: year, unit: unit) } catch let e as ReportError {
            throw AppError.unprocessable(code: e.code, message: e.message, fields: [])
        }
        if request.query("format") == "docx" { return try docx(doc, reportID: nil, request: request) }
        let page = ViewPage(
            title: doc.title, html: ReportHTML.render(doc), notes: doc.notes, csrf: user.csrfToken,
            docxHref: urlWithQuery("/reports/generate", [("template", request.query("template")), ("year", String(year)),
                                                        ("unit", Self.parameter(unit)), ("format", "docx")]),
            template: request.query("template") ?? "default", unit: Self.parameter(unit), year: year, published: nil,
            mayPublish: stored != nil || request.query("template") == nil || request.query("template") == "default")
        return deps.views.render("report_view", ViewContext(chrome: Chrome(title: doc.title, user: user, active: "reports"), page: page))
    }

    func docx(_ doc: ReportDocument, reportID: Int64?, request: Request) throws -> Response {
        let host = request.head.authority.map { "http://" + $0 }
        let data = try ReportDocx.data(doc, reportID: reportID, traceBase: host)
        let name = (doc.title.isEmpty ? "report" : doc.title) + ".docx"
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "report.docx"
        return Response(status: .ok, headers: [
            .contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            .contentDisposition: "attachment; filename=\"report.docx\"; filename*=UTF-8''\(encoded)",
            .cacheControl: "no-store",
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Freezes the report: every figure with its value, definition, record counts and the audit position.
    @Sendable func publish(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let (stored, body) = try await templateBody(context.form?["template"])
        let (generator, year) = try await generator(for: context.form?["year"].flatMap(Int.init))
        let unit = try Self.unit(context.form?["unit"], user: user, generator: generator)
        let position = try await store.auditPosition()
        let doc: ReportDocument
        do { doc = try generator.generate(text: body, year: year, unit: unit) } catch let e as ReportError {
            throw AppError.unprocessable(code: e.code, message: e.message, fields: [])
        }
        let json = String(decoding: try JSONEncoder().encode(doc), as: UTF8.self)
        let published = try await store.publish(NewPublishedReport(
            templateID: stored?.id, templateVersion: stored?.version, templateBody: body, title: doc.title, unitKind: unit.kind.rawValue,
            unitKey: unit.key, unitName: unit.name, year: year, documentJSON: json, auditPosition: position,
            figures: doc.figures.map(Self.stored)), by: user.account.actingUser)
        return Redirect.to("/reports/\(published.id)", status: .seeOther)
    }

    static func stored(_ f: ReportFigure) -> StoredReportFigure {
        StoredReportFigure(figureID: f.id, indicatorID: f.indicatorID, name: f.name, unitName: f.unit.name,
                           years: f.years.map(String.init).joined(separator: ","), printed: f.text, value: f.value, fen: f.fen,
                           numerator: f.numerator, denominator: f.denominator, definition: f.definition, referenceDate: f.referenceDate,
                           recordCounts: f.recordCounts, source: f.source)
    }

    /// A published report the user may see (its unit within their place), with its document.
    func published(_ id: String?, user: CurrentUser) async throws -> (PublishedReport, ReportDocument) {
        guard let id = id.flatMap(Int64.init), let r = try await store.report(id: id) else { throw AppError.notFound }
        if user.account.scope != .district {
            let (generator, _) = try await generator(for: r.year)
            guard Self.allowedUnits(user, generator).contains(where: { $0.kind.rawValue == r.unitKind && $0.key == r.unitKey }) else {
                throw AppError.notFound
            }
        }
        let doc = try JSONDecoder().decode(ReportDocument.self, from: Data(r.documentJSON.utf8))
        return (r, doc)
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let (r, doc) = try await published(context.parameters.get("id"), user: user)
        let html = ReportHTML.render(doc) { "/reports/\(r.id)/figures/\($0.id)" }
        let page = ViewPage(
            title: doc.title, html: html, notes: doc.notes, csrf: user.csrfToken, docxHref: "/reports/\(r.id)/docx",
            template: r.templateID.map(String.init) ?? "default", unit: r.unitKind + ":" + r.unitKey, year: r.year,
            published: PublishedInfo(id: r.id, by: r.publishedBy, at: String(r.publishedAt.prefix(16)), auditPosition: r.auditPosition,
                                     diffHref: "/reports/\(r.id)/diff"),
            mayPublish: false)
        return deps.views.render("report_view", ViewContext(chrome: Chrome(title: doc.title, user: user, active: "reports"), page: page))
    }

    @Sendable func frozenDocx(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let (r, doc) = try await published(context.parameters.get("id"), user: user)
        return try docx(doc, reportID: r.id, request: request)
    }

    struct DiffPage { var id: Int64; var title: String; var changes: [FigureChange]; var none: Bool; var auditPosition: Int64; var today: Int64 }

    /// Which figures would print differently if the report were generated from today's records.
    @Sendable func diff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let (r, frozen) = try await published(context.parameters.get("id"), user: user)
        let (generator, _) = try await generator(for: r.year)
        guard let unit = generator.engine.units.first(where: { $0.kind.rawValue == r.unitKind && $0.key == r.unitKey }) else {
            throw AppError.notFound
        }
        let current = try generator.generate(text: r.templateBody, year: r.year, unit: unit)
        let changes = ReportDiff.compare(frozen: frozen, current: current)
        let page = DiffPage(id: r.id, title: r.title, changes: changes, none: changes.isEmpty, auditPosition: r.auditPosition,
                            today: try await store.auditPosition())
        return deps.views.render("report_diff", ViewContext(chrome: Chrome(title: "与今日数据比较", user: user, active: "reports"), page: page))
    }

    struct FigurePage {
        var reportID: Int64; var reportTitle: String; var figure: StoredReportFigure; var traceHref: String?; var auditPosition: Int64
    }

    /// Resolves a figure ID printed in a .docx appendix (R12-F003) to its frozen value and definition.
    @Sendable func figure(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let (r, doc) = try await published(context.parameters.get("id"), user: user)
        let fid = context.parameters.get("figure") ?? ""
        guard let f = try await store.figures(reportID: r.id).first(where: { $0.figureID == fid }) else { throw AppError.notFound }
        let trace = doc.figure(fid).flatMap { $0.indicatorID.hasPrefix("money.") ? nil : ReportHTML.traceLink($0) }
        let page = FigurePage(reportID: r.id, reportTitle: r.title, figure: f, traceHref: trace, auditPosition: r.auditPosition)
        return deps.views.render("report_figure", ViewContext(chrome: Chrome(title: "R\(r.id)-\(fid)", user: user, active: "reports"), page: page))
    }

    struct TracePage {
        var name: String; var unit: String; var year: Int; var value: String; var definition: [String]
        var numeratorCount: Int; var denominatorCount: Int
        var numerator: [RecordLink]; var denominator: [RecordLink]; var hasDenominator: Bool; var shown: Int
        var recordsHidden: Bool
    }
    struct RecordLink { var label: String; var href: String? }

    /// A figure's definition and the records behind its numerator and denominator (today's records).
    @Sendable func trace(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        guard let id = request.query("indicator"), let d = IndicatorEngine.definition(id) else { throw AppError.notFound }
        let (generator, year) = try await generator(for: request.query("year").flatMap(Int.init))
        let unit = try Self.unit(request.query("unit"), user: user, generator: generator)
        guard d.levels.contains(unit.kind) else { throw AppError.notFound }
        let value = try generator.engine.compute(years: year...year, indicators: [id], levels: [unit.kind]).values.first { $0.unit == unit }
        let drill = try generator.engine.drillDown(indicatorID: id, unit: unit, year: year)
        let limit = 200
        // Personal records are listed only to roles that may read them; the counts are shown to all.
        let showStudents = user.may(.viewStudents), showStaff = user.may(.viewStaff)
        func links(_ refs: [RecordRef]) -> [RecordLink] {
            refs.prefix(limit).compactMap { ref in
                switch ref.kind {
                case .student: return showStudents ? RecordLink(label: generator.engine.describe(ref), href: "/students/\(ref.id)") : nil
                case .staff: return showStaff ? RecordLink(label: generator.engine.describe(ref), href: "/staff/\(ref.id)") : nil
                case .schoolClass: return RecordLink(label: generator.engine.describe(ref), href: "/classes/\(ref.id)")
                case .school, .resources: return RecordLink(label: generator.engine.describe(ref), href: "/schools/\(ref.id)")
                case .population: return RecordLink(label: generator.engine.describe(ref), href: nil)
                // The case page applies the casework access rules itself.
                case .casework: return RecordLink(label: generator.engine.describe(ref), href: "/cases/\(ref.id)")
                case .classDraw: return RecordLink(label: generator.engine.describe(ref), href: "/draws/\(ref.id)")
                }
            }
        }
        let num = links(drill.numerator), den = links(drill.denominator)
        var definition = ["分子：\(d.numerator)"]
        if let den = d.denominator { definition.append("分母：\(den)") }
        definition += ["统计时点：\(d.reference.rawValue)", "计入范围：\(d.records)"]
        if let s = d.standard { definition.append("标准：\(s)") }
        let page = TracePage(
            name: d.nameZH, unit: unit.name, year: year, value: ReportPhrases.value(value?.value, d), definition: definition,
            numeratorCount: drill.numerator.count, denominatorCount: drill.denominator.count, numerator: num, denominator: den,
            hasDenominator: d.denominator != nil, shown: limit,
            recordsHidden: num.count < min(limit, drill.numerator.count) || den.count < min(limit, drill.denominator.count))
        return deps.views.render("report_trace", ViewContext(chrome: Chrome(title: d.nameZH, user: user, active: "reports"), page: page))
    }

    // MARK: Checker

    struct FindingRow { var line: Int; var quote: String; var kind: String; var expected: String; var found: String; var severity: String; var message: String }
    struct CheckPage { var csrf: String; var checked: Bool; var fileName: String; var paragraphs: Int; var findings: [FindingRow]; var none: Bool; var error: String? }

    @Sendable func checkForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let page = CheckPage(csrf: user.csrfToken, checked: false, fileName: "", paragraphs: 0, findings: [], none: false, error: nil)
        return deps.views.render("report_check", ViewContext(chrome: Chrome(title: "核对报告数字", user: user, active: "reports"), page: page))
    }

    /// The upload arrives as a form field: the browser reads the file and sends it base64-encoded
    /// (forms here are url-encoded, so the CSRF check sees every post); pasted text works without script.
    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try loggedIn(context)
        let form = context.form
        let fileName = form?["filename"] ?? ""
        var page = CheckPage(csrf: user.csrfToken, checked: true, fileName: fileName, paragraphs: 0, findings: [], none: false, error: nil)
        do {
            let paragraphs: [String]
            if let b64 = form?["file"], !b64.isEmpty {
                guard let data = Data(base64Encoded: b64) else { throw CheckInputError(message: "上传的文件内容无法读取") }
                paragraphs = try Self.paragraphs(data, name: fileName)
            } else {
                paragraphs = ReportChecker.lines(of: form?["text"] ?? "")
            }
            let findings = ReportChecker.check(paragraphs: paragraphs, options: CheckOptions(reportYear: form?["year"].flatMap(Int.init)))
            page.paragraphs = paragraphs.count
            page.findings = findings.map {
                FindingRow(line: $0.line, quote: $0.quote, kind: $0.kind.rawValue, expected: $0.expected, found: $0.found,
                           severity: $0.severity.rawValue, message: $0.message)
            }
            page.none = findings.isEmpty
        } catch let e as CheckInputError {
            page.error = e.message
        }
        return deps.views.render("report_check", ViewContext(chrome: Chrome(title: "核对报告数字", user: user, active: "reports"), page: page),
                                 status: page.error == nil ? .ok : .unprocessableContent)
    }

    struct CheckInputError: Error { let message: String }

    /// .docx through OfficeFormats (a corrupt or encrypted file is refused with its message); text as UTF-8 or GB18030.
    static func paragraphs(_ data: Data, name: String) throws -> [String] {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || name.lowercased().hasSuffix(".docx") {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-check-\(UUID().uuidString).docx")
            defer { try? FileManager.default.removeItem(at: url) }
            try data.write(to: url)
            do { return try DocxText.paragraphs(url: url) } catch { throw CheckInputError(message: error.message) }
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw CheckInputError(message: "这是旧版 .doc 文件或受密码保护的文档：请另存为 .docx 或 .txt 后上传")
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: String.Encoding(rawValue: 0x8000_0632)) else {
            throw CheckInputError(message: "文件既不是 UTF-8 也不是 GB18030 编码的文本")
        }
        return ReportChecker.lines(of: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
    }
}
