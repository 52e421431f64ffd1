import EduLedgerCore
import Foundation
import SQLKit

/// A report template with its current text.
public struct StoredReportTemplate: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var version: Int
    public var body: String
    public var editedBy: String
    public var editedAt: String
}

/// One saved version of a template (every edit adds one).
public struct StoredTemplateVersion: Sendable, Hashable, Codable {
    public var version: Int
    public var body: String
    public var editedBy: String
    public var editedAt: String
}

/// A figure of a published report, as frozen.
public struct StoredReportFigure: Sendable, Hashable, Codable {
    public var figureID: String
    public var indicatorID: String
    public var name: String
    public var unitName: String
    /// Years, comma-separated.
    public var years: String
    public var printed: String
    public var value: Double?
    public var fen: Int64?
    public var numerator: Double?
    public var denominator: Double?
    public var definition: String
    public var referenceDate: String
    public var recordCounts: String
    /// The reference as written in the template.
    public var source: String

    public init(figureID: String, indicatorID: String, name: String, unitName: String, years: String, printed: String, value: Double?,
                fen: Int64?, numerator: Double?, denominator: Double?, definition: String, referenceDate: String,
                recordCounts: String, source: String) {
        self.figureID = figureID; self.indicatorID = indicatorID; self.name = name; self.unitName = unitName; self.years = years
        self.printed = printed; self.value = value; self.fen = fen; self.numerator = numerator; self.denominator = denominator
        self.definition = definition; self.referenceDate = referenceDate; self.recordCounts = recordCounts; self.source = source
    }
}

/// A report to publish: what it was generated from and the laid-out document (JSON of
/// `EduLedgerReports.ReportDocument`, which this layer stores without reading).
public struct NewPublishedReport: Sendable {
    public var templateID: Int64?
    public var templateVersion: Int?
    public var templateBody: String
    public var title: String
    public var unitKind: String
    public var unitKey: String
    public var unitName: String
    public var year: Int
    public var documentJSON: String
    public var auditPosition: Int64
    public var figures: [StoredReportFigure]

    public init(templateID: Int64?, templateVersion: Int?, templateBody: String, title: String, unitKind: String, unitKey: String,
                unitName: String, year: Int, documentJSON: String, auditPosition: Int64, figures: [StoredReportFigure]) {
        self.templateID = templateID; self.templateVersion = templateVersion; self.templateBody = templateBody; self.title = title
        self.unitKind = unitKind; self.unitKey = unitKey; self.unitName = unitName; self.year = year
        self.documentJSON = documentJSON; self.auditPosition = auditPosition; self.figures = figures
    }
}

/// A published (frozen) report.
public struct PublishedReport: Sendable, Hashable, Codable {
    public var id: Int64
    public var templateID: Int64?
    public var templateVersion: Int?
    public var templateBody: String
    public var title: String
    public var unitKind: String
    public var unitKey: String
    public var unitName: String
    public var year: Int
    public var documentJSON: String
    /// The last audit-log line when the figures were computed: the records' state the report shows.
    public var auditPosition: Int64
    public var publishedBy: String
    public var publishedAt: String
}

/// Report templates (versioned, every edit audited) and published reports (frozen) on SQL — the
/// same statements for SQLite and PostgreSQL.
public final class SQLReportStore: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    private static let templateSelect = """
        SELECT t.id, t.name, t.current_version, v.body, v.edited_by, v.edited_at FROM report_templates t
        JOIN report_template_versions v ON v.template_id = t.id AND v.version = t.current_version
        """

    private static func decodeTemplate(_ row: any SQLRow) throws -> StoredReportTemplate {
        let r = RowReader(row: row, table: "report_templates")
        return StoredReportTemplate(id: try r.int64("id"), name: try r.string("name"), version: try r.int("current_version"),
                                    body: try r.string("body"), editedBy: try r.string("edited_by"), editedAt: try r.string("edited_at"))
    }

    public func templates() async throws -> [StoredReportTemplate] {
        try await database.reader.raw(SQLQueryString(Self.templateSelect + " ORDER BY t.id")).all().map(Self.decodeTemplate)
    }

    public func template(id: Int64) async throws -> StoredReportTemplate? {
        try await database.reader.raw(SQLQueryString(Self.templateSelect) + " WHERE t.id = \(bind: id)").all().first.map(Self.decodeTemplate)
    }

    public func versions(templateID: Int64) async throws -> [StoredTemplateVersion] {
        try await database.reader.raw("""
            SELECT version, body, edited_by, edited_at FROM report_template_versions WHERE template_id = \(bind: templateID)
            ORDER BY version DESC
            """).all().map { row in
            let r = RowReader(row: row, table: "report_template_versions")
            return StoredTemplateVersion(version: try r.int("version"), body: try r.string("body"), editedBy: try r.string("edited_by"),
                                         editedAt: try r.string("edited_at"))
        }
    }

    /// What the audit log keeps of a template edit.
    private struct AuditedTemplate: Encodable {
        var name: String
        var version: Int
        var body: String
    }

    private static func audit<B: Encodable, A: Encodable>(_ sql: any SQLDatabase, actor: ActingUser, action: AuditEntry.Action,
                                                          entity: String, id: Int64, before: B?, after: A?) async throws {
        var beforeText: String?
        if let before { beforeText = try SQLRegistryWriter.json(before) }
        var afterText: String?
        if let after { afterText = try SQLRegistryWriter.json(after) }
        try await sql.insert(into: "audit_log")
            .columns("at", "actor", "action", "entity", "entity_id", "before_json", "after_json")
            .values(SQLBind(Timestamp.now()), SQLBind(actor.login), SQLBind(action.rawValue), SQLBind(entity), SQLBind(String(id)),
                    Column.text(beforeText), Column.text(afterText))
            .run()
    }

    /// Creates a template with its first version, audited.
    public func createTemplate(name: String, body: String, by actor: ActingUser) async throws -> StoredReportTemplate {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw StorageError(code: "report.template_name", message: "模板名称不能为空，且不超过100个字")
        }
        let now = Timestamp.now()
        return try await database.transaction { sql in
            if try await !sql.raw("SELECT id FROM report_templates WHERE name = \(bind: trimmed)").all().isEmpty {
                throw StorageError(code: "report.template_duplicate", message: "已有名为“\(trimmed)”的模板")
            }
            guard let id = try await sql.raw("""
                INSERT INTO report_templates (name, current_version, created_by, created_at)
                VALUES (\(bind: trimmed), 1, \(bind: actor.login), \(bind: now)) RETURNING id
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw StorageError(code: "storage.insert_failed", message: "写入模板失败：数据库未返回新记录编号")
            }
            try await sql.raw("""
                INSERT INTO report_template_versions (template_id, version, body, edited_by, edited_at)
                VALUES (\(bind: id), 1, \(bind: body), \(bind: actor.login), \(bind: now))
                """).run()
            try await Self.audit(sql, actor: actor, action: .insert, entity: "report_template", id: id,
                                 before: AuditedTemplate?.none, after: AuditedTemplate(name: trimmed, version: 1, body: body))
            return StoredReportTemplate(id: id, name: trimmed, version: 1, body: body, editedBy: actor.login, editedAt: now)
        }
    }

    /// Saves a new version. `expectedVersion` is the version the editor started from: when someone
    /// saved in between, the edit is refused rather than silently overwriting theirs.
    public func updateTemplate(id: Int64, body: String, expectedVersion: Int, by actor: ActingUser) async throws -> StoredReportTemplate {
        let now = Timestamp.now()
        return try await database.transaction { sql in
            guard let row = try await sql.raw(SQLQueryString(Self.templateSelect) + " WHERE t.id = \(bind: id)").all().first else {
                throw RegistryError.notFound(kind: "报告模板", key: String(id))
            }
            let before = try Self.decodeTemplate(row)
            guard before.version == expectedVersion else {
                throw StorageError(code: "report.template_conflict",
                                   message: "模板已被\(before.editedBy)修改为第\(before.version)版；请重新打开后再保存")
            }
            if before.body == body { return before }
            let version = before.version + 1
            try await sql.raw("""
                INSERT INTO report_template_versions (template_id, version, body, edited_by, edited_at)
                VALUES (\(bind: id), \(bind: version), \(bind: body), \(bind: actor.login), \(bind: now))
                """).run()
            try await sql.raw("UPDATE report_templates SET current_version = \(bind: version) WHERE id = \(bind: id)").run()
            try await Self.audit(sql, actor: actor, action: .update, entity: "report_template", id: id,
                                 before: AuditedTemplate(name: before.name, version: before.version, body: before.body),
                                 after: AuditedTemplate(name: before.name, version: version, body: body))
            return StoredReportTemplate(id: id, name: before.name, version: version, body: body, editedBy: actor.login, editedAt: now)
        }
    }

    /// The last line of the audit log: every change to the records writes one, so this names the
    /// state of the records a report was computed from.
    public func auditPosition() async throws -> Int64 {
        try await database.reader.raw("SELECT MAX(id) AS position FROM audit_log").first(decodingColumn: "position", as: Int64?.self)
            .flatMap { $0 } ?? 0
    }

    /// Stores a report and every figure, frozen, with its audit line — in one transaction.
    public func publish(_ report: NewPublishedReport, by actor: ActingUser) async throws -> PublishedReport {
        let now = Timestamp.now()
        return try await database.transaction { sql in
            guard let id = try await sql.raw("""
                INSERT INTO reports (template_id, template_version, template_body, title, unit_kind, unit_key, unit_name, year,
                    document_json, audit_position, published_by, published_at)
                VALUES (\(Column.int(report.templateID)), \(Column.int(report.templateVersion.map(Int64.init))),
                    \(bind: report.templateBody), \(bind: report.title), \(bind: report.unitKind), \(bind: report.unitKey),
                    \(bind: report.unitName), \(bind: report.year), \(bind: report.documentJSON), \(bind: report.auditPosition),
                    \(bind: actor.login), \(bind: now)) RETURNING id
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw StorageError(code: "storage.insert_failed", message: "写入报告失败：数据库未返回新记录编号")
            }
            for f in report.figures {
                try await sql.raw("""
                    INSERT INTO report_figures (report_id, figure_id, indicator_id, name, unit_name, years, printed, value, fen,
                        numerator, denominator, definition, reference_date, record_counts, source)
                    VALUES (\(bind: id), \(bind: f.figureID), \(bind: f.indicatorID), \(bind: f.name), \(bind: f.unitName),
                        \(bind: f.years), \(bind: f.printed), \(Self.double(f.value)), \(Column.int(f.fen)), \(Self.double(f.numerator)),
                        \(Self.double(f.denominator)), \(bind: f.definition), \(bind: f.referenceDate), \(bind: f.recordCounts),
                        \(bind: f.source))
                    """).run()
            }
            struct AuditedReport: Encodable { var title: String; var unit: String; var year: Int; var figures: Int; var auditPosition: Int64 }
            try await Self.audit(sql, actor: actor, action: .insert, entity: "report", id: id, before: AuditedReport?.none,
                                 after: AuditedReport(title: report.title, unit: report.unitName, year: report.year,
                                                      figures: report.figures.count, auditPosition: report.auditPosition))
            return PublishedReport(id: id, templateID: report.templateID, templateVersion: report.templateVersion,
                                   templateBody: report.templateBody, title: report.title, unitKind: report.unitKind,
                                   unitKey: report.unitKey, unitName: report.unitName, year: report.year,
                                   documentJSON: report.documentJSON, auditPosition: report.auditPosition,
                                   publishedBy: actor.login, publishedAt: now)
        }
    }

    private static func double(_ v: Double?) -> any SQLExpression { v.map { SQLBind($0) } ?? SQLLiteral.null }

    private static let reportColumns = """
        SELECT id, template_id, template_version, template_body, title, unit_kind, unit_key, unit_name, year, document_json,
            audit_position, published_by, published_at FROM reports
        """

    private static func decodeReport(_ row: any SQLRow) throws -> PublishedReport {
        let r = RowReader(row: row, table: "reports")
        return PublishedReport(
            id: try r.int64("id"), templateID: try r.optionalInt64("template_id"), templateVersion: try r.optionalInt64("template_version").map(Int.init),
            templateBody: try r.string("template_body"), title: try r.string("title"), unitKind: try r.string("unit_kind"),
            unitKey: try r.string("unit_key"), unitName: try r.string("unit_name"), year: try r.int("year"),
            documentJSON: try r.string("document_json"), auditPosition: try r.int64("audit_position"),
            publishedBy: try r.string("published_by"), publishedAt: try r.string("published_at"))
    }

    /// Published reports, newest first; `units` limits them to the given (kind, key) places.
    public func reports(units: [(kind: String, key: String)]? = nil) async throws -> [PublishedReport] {
        let all = try await database.reader.raw(SQLQueryString(Self.reportColumns + " ORDER BY id DESC")).all().map(Self.decodeReport)
        guard let units else { return all }
        return all.filter { r in units.contains { $0.kind == r.unitKind && $0.key == r.unitKey } }
    }

    public func report(id: Int64) async throws -> PublishedReport? {
        try await database.reader.raw(SQLQueryString(Self.reportColumns) + " WHERE id = \(bind: id)").all().first.map(Self.decodeReport)
    }

    /// Every frozen figure of a report, in document order.
    public func figures(reportID: Int64) async throws -> [StoredReportFigure] {
        try await database.reader.raw("""
            SELECT figure_id, indicator_id, name, unit_name, years, printed, value, fen, numerator, denominator, definition,
                reference_date, record_counts, source FROM report_figures WHERE report_id = \(bind: reportID) ORDER BY figure_id
            """).all().map { row in
            let r = RowReader(row: row, table: "report_figures")
            return StoredReportFigure(
                figureID: try r.string("figure_id"), indicatorID: try r.string("indicator_id"), name: try r.string("name"),
                unitName: try r.string("unit_name"), years: try r.string("years"), printed: try r.string("printed"),
                value: try row.decode(column: "value", as: Double?.self), fen: try r.optionalInt64("fen"),
                numerator: try row.decode(column: "numerator", as: Double?.self),
                denominator: try row.decode(column: "denominator", as: Double?.self), definition: try r.string("definition"),
                referenceDate: try r.string("reference_date"), recordCounts: try r.string("record_counts"), source: try r.string("source"))
        }
    }
}
