import Crypto
import EduLedgerCasework
import EduLedgerCore
import Foundation
import SQLKit

/// Which cases a list shows.
public struct CaseQuery: Sendable {
    public var kinds: [CaseKind]?
    /// The user's visibility (`CaseAccess.visibility`); `nil` = everything (CLI, reports).
    public var visibility: CaseAccess.Visibility?
    public var state: String?
    public var section: Role?
    public var schoolID: SchoolID?
    public var campaignID: Int64?
    public var openOnly: Bool
    /// Open cases whose deadline falls on or before this day (overdue and due-soon queues).
    public var dueBy: CivilDate?
    /// Received in this range (both days included).
    public var receivedFrom: CivilDate?
    public var receivedThrough: CivilDate?
    /// Part of the number or title.
    public var search: String?
    public var offset: Int
    public var limit: Int

    public init(kinds: [CaseKind]? = nil, visibility: CaseAccess.Visibility? = nil, state: String? = nil, section: Role? = nil,
                schoolID: SchoolID? = nil, campaignID: Int64? = nil, openOnly: Bool = false, dueBy: CivilDate? = nil,
                receivedFrom: CivilDate? = nil, receivedThrough: CivilDate? = nil, search: String? = nil,
                offset: Int = 0, limit: Int = 100) {
        self.kinds = kinds; self.visibility = visibility; self.state = state; self.section = section; self.schoolID = schoolID
        self.campaignID = campaignID; self.openOnly = openOnly; self.dueBy = dueBy; self.receivedFrom = receivedFrom
        self.receivedThrough = receivedThrough; self.search = search; self.offset = offset; self.limit = limit
    }
}

/// Casework on SQL (SQLite and PostgreSQL): cases, their steps, notices and attachments. Every
/// opening and every step runs the engine on the case as stored, then writes the new state, the
/// step, its attachments and its audit line in one transaction — a refused step writes nothing.
public final class SQLCaseStore: Sendable {
    public let database: Database
    public let engine: CaseEngine

    public init(database: Database, engine: CaseEngine) {
        self.database = database; self.engine = engine
    }

    /// Runs several openings and steps in one transaction (the demo, an inspection round's findings).
    public func write<T: Sendable>(_ body: @escaping @Sendable (CaseWriter) async throws -> T) async throws -> T {
        let engine = self.engine
        return try await database.transaction { sql in try await body(CaseWriter(sql: sql, engine: engine)) }
    }

    /// Opens a case; returns it with its id and number. `trackingCode` (drawn by the caller from
    /// a secure random source) lets the petitioner or applicant look it up without an account.
    public func open(kind: CaseKind, title: String, fields: [String: String], attachments: [CaseAttachment] = [],
                     by actor: CaseActor, on date: CivilDate, campaignID: Int64? = nil, trackingCode: String? = nil) async throws -> CaseRecord {
        try await openWithStep(kind: kind, title: title, fields: fields, attachments: attachments, by: actor, on: date,
                               campaignID: campaignID, trackingCode: trackingCode).record
    }

    /// Opens a case; returns it with its opening step as stored (its whole history so far), so
    /// an answer need not read the steps back.
    public func openWithStep(kind: CaseKind, title: String, fields: [String: String], attachments: [CaseAttachment] = [],
                             by actor: CaseActor, on date: CivilDate, campaignID: Int64? = nil,
                             trackingCode: String? = nil) async throws -> (record: CaseRecord, step: CaseStep) {
        try await write { try await $0.openWithStep(kind: kind, title: title, fields: fields, attachments: attachments, by: actor,
                                                    on: date, campaignID: campaignID, trackingCode: trackingCode) }
    }

    /// The case with this tracking code (exact match; the caller normalises what the public typed).
    public func caseRecord(trackingCode: String) async throws -> CaseRecord? {
        try await database.reader.raw("""
            SELECT \(unsafeRaw: CaseReads.caseColumns) FROM cases WHERE tracking_code = \(bind: trackingCode)
            """).all().first.map(CaseReads.decode)
    }

    // MARK: the public's requests (throttling)

    /// Records a submission (`submit`) or a failed look-up (`lookup`) from `address`.
    public func recordPublicRequest(kind: String, address: String, now: Date = Date()) async throws {
        try await database.transaction { sql in
            try await sql.raw("""
                INSERT INTO public_case_requests (kind, address, at)
                VALUES (\(bind: String(kind.prefix(16))), \(bind: String(address.prefix(64))), \(bind: SQLAccountStore.timestamp(now)))
                """).run()
            // Requests older than a day no longer count; sweep them as new ones come.
            try await sql.raw("""
                DELETE FROM public_case_requests WHERE at < \(bind: SQLAccountStore.timestamp(now.addingTimeInterval(-86_400)))
                """).run()
        }
    }

    /// How many requests of `kind` came from `address` since `since`.
    public func publicRequests(kind: String, address: String, since: Date) async throws -> Int {
        try await database.reader.raw("""
            SELECT COUNT(*) AS n FROM public_case_requests
            WHERE address = \(bind: String(address.prefix(64))) AND kind = \(bind: kind) AND at >= \(bind: SQLAccountStore.timestamp(since))
            """).first(decodingColumn: "n", as: Int.self) ?? 0
    }

    /// Takes a step; `expectedVersion` (the version the user's form showed) refuses a stale form.
    public func take(_ action: String, caseID: Int64, by actor: CaseActor, fields: [String: String] = [:],
                     attachments: [CaseAttachment] = [], on date: CivilDate, expectedVersion: Int? = nil) async throws -> CaseRecord {
        try await write { try await $0.take(action, caseID: caseID, by: actor, fields: fields, attachments: attachments, on: date,
                                            expectedVersion: expectedVersion) }
    }

    /// Records 督办 (or a licence's deemed acceptance) on every open case whose deadline passed
    /// before `today`, each once; returns the steps written.
    public func escalateOverdue(today: CivilDate) async throws -> [CaseStep] {
        try await write { w in
            let due = try await CaseReads(sql: w.sql).cases(CaseQuery(openOnly: true, dueBy: today.adding(days: -1), limit: 1_000_000)).items
            var steps: [CaseStep] = []
            for record in due {
                guard let (next, step) = w.engine.escalation(of: record, today: today) else { continue }
                steps.append(try await w.record(before: record, after: next, step: step, attachments: []))
            }
            return steps
        }
    }

    public func cases(_ query: CaseQuery) async throws -> Page<CaseRecord> { try await CaseReads(sql: database.reader).cases(query) }
    public func caseRecord(id: Int64) async throws -> CaseRecord? { try await CaseReads(sql: database.reader).caseRecord(id: id) }
    public func caseRecord(number: String) async throws -> CaseRecord? {
        try await CaseReads(sql: database.reader).caseRecord(number: number)
    }
    /// The case's history, oldest first, each step with its attachments.
    public func steps(caseID: Int64) async throws -> [CaseStep] { try await CaseReads(sql: database.reader).steps(caseID: caseID) }

    /// An attachment's bytes and the case it belongs to.
    public func attachment(id: Int64) async throws -> (caseID: Int64, info: CaseAttachmentInfo, bytes: [UInt8])? {
        let rows = try await database.reader.raw("""
            SELECT id, case_id, step_id, name, content_type, size, sha256, content FROM case_attachments WHERE id = \(bind: id)
            """).all()
        guard let row = rows.first else { return nil }
        let info = try CaseReads.attachmentInfo(row)
        return (try row.decode(column: "case_id", as: Int64.self), info, Array(try row.decode(column: "content", as: Data.self)))
    }

    public func createCampaign(_ campaign: InspectionCampaign) async throws -> InspectionCampaign {
        let checked = try campaign.validated()
        return try await database.transaction { sql in
            let ids = checked.schoolIDs.map { String($0.rawValue) }.joined(separator: ",")
            let now = Timestamp.now()
            guard let id = try await sql.raw("""
                INSERT INTO inspection_campaigns (name, started_on, ends_on, school_ids, created_by, created_at)
                VALUES (\(bind: checked.name), \(bind: checked.startedOn.description), \(Column.date(checked.endsOn)), \(bind: ids),
                        \(bind: checked.createdBy), \(bind: now)) RETURNING id
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw StorageError(code: "storage.insert_failed", message: "写入排查活动失败")
            }
            var saved = checked
            saved.id = id
            try await CaseWriter.audit(sql, actor: checked.createdBy, action: .insert, entity: "inspection_campaign", id: id,
                                       before: String?.none, after: saved)
            return saved
        }
    }

    public func campaigns() async throws -> [InspectionCampaign] {
        try await database.reader.raw("SELECT * FROM inspection_campaigns ORDER BY started_on DESC, id DESC").all().map(CaseReads.campaign)
    }

    public func campaign(id: Int64) async throws -> InspectionCampaign? {
        try await database.reader.raw("SELECT * FROM inspection_campaigns WHERE id = \(bind: id)").all().first.map(CaseReads.campaign)
    }

    /// The facts of the casework indicators for cases received in calendar years `years`.
    public func facts(years: ClosedRange<Int>) async throws -> [CaseFact] {
        try await CaseReads(sql: database.reader).facts(years: years, scan: SQLiteScan(database))
    }
}

/// Openings and steps inside one open transaction.
public struct CaseWriter: Sendable {
    let sql: any SQLDatabase
    public let engine: CaseEngine

    public func open(kind: CaseKind, title: String, fields: [String: String], attachments: [CaseAttachment] = [],
                     by actor: CaseActor, on date: CivilDate, campaignID: Int64? = nil, trackingCode: String? = nil) async throws -> CaseRecord {
        try await openWithStep(kind: kind, title: title, fields: fields, attachments: attachments, by: actor, on: date,
                               campaignID: campaignID, trackingCode: trackingCode).record
    }

    func openWithStep(kind: CaseKind, title: String, fields: [String: String], attachments: [CaseAttachment],
                      by actor: CaseActor, on date: CivilDate, campaignID: Int64?,
                      trackingCode: String?) async throws -> (record: CaseRecord, step: CaseStep) {
        var (record, step) = try engine.open(kind: kind, title: title, fields: fields, attachments: attachments, by: actor, on: date)
        record.campaignID = campaignID
        record.trackingCode = trackingCode
        if let school = record.schoolID { try await checkSchool(school) }
        let prefix = "\(kind.numberPrefix)\(date.year)-"
        let sequence = try await CaseFactColumns.nextSequence(sql, prefix: prefix)
        let digits = String(sequence)
        record.number = prefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        let now = Timestamp.now()
        guard let id = try await sql.raw("""
            INSERT INTO cases (kind, number, title, state, section, co_sections, school_id, campaign_id, received_on, due_on,
                               due_label, escalated, extended, completed_on, completed_on_time, closed_on, fields_json, version,
                               tracking_code, rating, refund_ordered, refund_proven, first_steps, created_at, updated_at)
            VALUES (\(bind: kind.rawValue), \(bind: record.number), \(bind: record.title), \(bind: record.state),
                    \(Column.text(record.section?.rawValue)), \(bind: Self.sectionList(record.coSections)),
                    \(Column.id(record.schoolID)), \(Column.int(record.campaignID)), \(bind: record.receivedOn.description),
                    \(Column.date(record.dueOn)), \(Column.text(record.dueLabel)), \(Column.flag(record.escalated)),
                    \(Column.flag(record.extended)), \(Column.date(record.completedOn)),
                    \(Column.int(record.completedOnTime.map { $0 ? 1 : 0 })), \(Column.date(record.closedOn)),
                    \(bind: try Self.json(record.fields)), \(bind: record.version), \(Column.text(trackingCode)),
                    \(Column.text(record.fields["rating"])), \(Column.int(CaseFactColumns.fen(record.fields["refundOrdered"]))),
                    \(Column.int(CaseFactColumns.fen(record.fields["refundProven"]))),
                    \(bind: CaseFactColumns.encode([step.action: step.on])), \(bind: now), \(bind: now))
            RETURNING id
            """).first(decodingColumn: "id", as: Int64.self) else {
            throw StorageError(code: "storage.insert_failed", message: "写入案件失败：数据库未返回新记录编号")
        }
        record.id = id
        step.caseID = id
        let saved = try await insert(step: step, record: record, attachments: attachments, at: now)
        try await Self.audit(sql, actor: actor.login, action: .insert, entity: "case", id: id, before: CaseRecord?.none,
                             after: AuditedStep(record: record, step: step))
        return (record, saved)
    }

    public func take(_ action: String, caseID: Int64, by actor: CaseActor, fields: [String: String] = [:],
                     attachments: [CaseAttachment] = [], on date: CivilDate, expectedVersion: Int? = nil) async throws -> CaseRecord {
        let lock: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        // The case and its first step days in one read: the step may add to them.
        guard let row = try await sql.raw("SELECT \(unsafeRaw: CaseReads.caseColumns), first_steps FROM cases WHERE id = \(bind: caseID)" + lock)
            .all().first else { throw CaseError.notFound }
        let record = try CaseReads.decode(row)
        if let expectedVersion, expectedVersion != record.version { throw CaseError.staleVersion }
        let (next, step) = try engine.take(action, on: record, by: actor, fields: fields, attachments: attachments, date: date)
        _ = try await self.record(before: record, after: next, step: step, attachments: attachments,
                                  firstSteps: try row.decode(column: "first_steps", as: String.self))
        return next
    }

    /// Writes a step computed by the engine: the case's new state, the step, attachments,
    /// notices and the audit line.
    /// `firstSteps`: the case's first step days as stored, if the caller read them with the case.
    func record(before: CaseRecord, after: CaseRecord, step: CaseStep, attachments: [CaseAttachment],
                firstSteps known: String? = nil) async throws -> CaseStep {
        let now = Timestamp.now()
        var firstSteps = known ?? ""
        if known == nil {
            firstSteps = try await sql.raw("SELECT first_steps FROM cases WHERE id = \(bind: before.id)")
                .first(decodingColumn: "first_steps", as: String.self) ?? ""
        }
        try await sql.raw("""
            UPDATE cases SET state = \(bind: after.state), section = \(Column.text(after.section?.rawValue)),
                co_sections = \(bind: Self.sectionList(after.coSections)), due_on = \(Column.date(after.dueOn)),
                due_label = \(Column.text(after.dueLabel)), escalated = \(Column.flag(after.escalated)),
                extended = \(Column.flag(after.extended)), completed_on = \(Column.date(after.completedOn)),
                completed_on_time = \(Column.int(after.completedOnTime.map { $0 ? 1 : 0 })),
                closed_on = \(Column.date(after.closedOn)), fields_json = \(bind: try Self.json(after.fields)),
                rating = \(Column.text(after.fields["rating"])), refund_ordered = \(Column.int(CaseFactColumns.fen(after.fields["refundOrdered"]))),
                refund_proven = \(Column.int(CaseFactColumns.fen(after.fields["refundProven"]))),
                first_steps = \(bind: CaseFactColumns.adding(step.action, on: step.on, to: firstSteps)),
                version = \(bind: after.version), updated_at = \(bind: now)
            WHERE id = \(bind: before.id) AND version = \(bind: before.version)
            """).run()
        let saved = try await insert(step: step, record: after, attachments: attachments, at: now)
        try await Self.audit(sql, actor: step.actor.login, action: .update, entity: "case", id: before.id, before: before,
                             after: AuditedStep(record: after, step: saved))
        return saved
    }

    private func insert(step: CaseStep, record: CaseRecord, attachments: [CaseAttachment], at now: String) async throws -> CaseStep {
        var step = step
        step.at = now
        // The (case, sequence) key makes a concurrent second step on the same version fail here.
        let stepID: Int64
        do {
            guard let id = try await sql.raw("""
                INSERT INTO case_steps (case_id, sequence, action, action_title, from_state, to_state, actor_kind, actor_login,
                                        actor_name, actor_role, on_date, at, fields_json)
                VALUES (\(bind: step.caseID), \(bind: step.sequence), \(bind: step.action), \(bind: step.actionTitle),
                        \(Column.text(step.fromState)), \(bind: step.toState), \(bind: step.actor.kind.rawValue),
                        \(bind: step.actor.login), \(bind: step.actor.displayName), \(Column.text(step.actor.role?.rawValue)),
                        \(bind: step.on.description), \(bind: now), \(bind: try Self.json(step.fields)))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw StorageError(code: "storage.insert_failed", message: "写入办理步骤失败")
            }
            stepID = id
        } catch {
            let text = String(reflecting: error).lowercased()
            if text.contains("unique") || text.contains("duplicate key") || text.contains("23505") { throw CaseError.staleVersion }
            throw error
        }
        step.id = stepID
        for a in attachments {
            // The type the engine recognised from the bytes, never the sender's claim.
            let type = a.detectedType ?? a.contentType.lowercased()
            let digest = SHA256.hash(data: a.bytes).map { String(format: "%02x", $0) }.joined()
            guard let aid = try await sql.raw("""
                INSERT INTO case_attachments (case_id, step_id, name, content_type, size, sha256, content)
                VALUES (\(bind: step.caseID), \(bind: stepID), \(bind: String(a.name.prefix(200))), \(bind: type),
                        \(bind: a.bytes.count), \(bind: digest), \(bind: Data(a.bytes)))
                RETURNING id
                """).first(decodingColumn: "id", as: Int64.self) else {
                throw StorageError(code: "storage.insert_failed", message: "写入附件失败")
            }
            step.attachments.append(CaseAttachmentInfo(id: aid, stepID: stepID, name: String(a.name.prefix(200)),
                                                       contentType: type, size: a.bytes.count, sha256: digest))
        }
        if step.action == "issueNotice", let number = step.fields["noticeNumber"], let due = record.dueOn {
            try await sql.raw("""
                INSERT INTO case_notices (notice_number, case_id, step_id, school_id, issued_on, due_on)
                VALUES (\(bind: number), \(bind: step.caseID), \(bind: stepID), \(Column.id(record.schoolID)),
                        \(bind: step.on.description), \(bind: due.description))
                """).run()
        }
        return step
    }

    private func checkSchool(_ id: SchoolID) async throws {
        let n = try await sql.raw("SELECT COUNT(*) AS n FROM schools WHERE id = \(bind: id.rawValue)")
            .first(decodingColumn: "n", as: Int64.self) ?? 0
        guard n > 0 else { throw CaseError.invalidField(label: "学校", reason: "没有编号为\(id.rawValue)的学校") }
    }

    static func sectionList(_ roles: [Role]) -> String { roles.isEmpty ? "" : "," + roles.map(\.rawValue).joined(separator: ",") + "," }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The same shape of audit line as the registry writes: the case as it was, and the case
    /// with the step (who, when, what, attachments by name, size and SHA-256) as it is now.
    static func audit<B: Encodable, A: Encodable>(_ sql: any SQLDatabase, actor: String, action: AuditEntry.Action, entity: String,
                                                  id: Int64, before: B?, after: A?) async throws {
        var beforeText: String?
        if let before { beforeText = try json(before) }
        var afterText: String?
        if let after { afterText = try json(after) }
        try await sql.insert(into: "audit_log")
            .columns("at", "actor", "action", "entity", "entity_id", "before_json", "after_json")
            .values(SQLBind(Timestamp.now()), SQLBind(actor), SQLBind(action.rawValue), SQLBind(entity), SQLBind(String(id)),
                    Column.text(beforeText), Column.text(afterText))
            .run()
    }

    struct AuditedStep: Encodable {
        var record: CaseRecord
        var step: CaseStep
    }
}

/// Reads of cases, steps and the indicator facts.
struct CaseReads {
    let sql: any SQLDatabase

    static let caseColumns = """
        id, kind, number, title, state, section, co_sections, school_id, campaign_id, received_on, due_on, due_label, escalated,
        extended, completed_on, completed_on_time, closed_on, fields_json, version, tracking_code
        """

    func caseRecord(id: Int64) async throws -> CaseRecord? {
        try await sql.raw("SELECT \(unsafeRaw: Self.caseColumns) FROM cases WHERE id = \(bind: id)").all().first.map(Self.decode)
    }

    func caseRecord(number: String) async throws -> CaseRecord? {
        try await sql.raw("SELECT \(unsafeRaw: Self.caseColumns) FROM cases WHERE number = \(bind: number)").all().first.map(Self.decode)
    }

    func cases(_ q: CaseQuery) async throws -> Page<CaseRecord> {
        var w: SQLQueryString = " FROM cases WHERE 1 = 1"
        if let kinds = q.kinds { w += " AND kind IN (\(SQLList(kinds.map { SQLBind($0.rawValue) })))" }
        if let v = q.visibility {
            var parts: [SQLQueryString] = []
            if !v.allOfKinds.isEmpty {
                let kinds = v.allOfKinds.map(\.rawValue).sorted()
                parts.append("kind IN (\(SQLList(kinds.map { SQLBind($0) })))")
            }
            if let s = v.section {
                parts.append("section = \(bind: s.rawValue) OR co_sections LIKE \(bind: "%," + s.rawValue + ",%")")
            }
            if let schools = v.hazardSchools, !schools.isEmpty {
                let ids = schools.map(\.rawValue).sorted()
                parts.append("(kind = 'hazard' AND state <> 'found' AND school_id IN (\(SQLList(ids.map { SQLBind($0) }))))")
            }
            if parts.isEmpty { return Page(items: [], total: 0, offset: q.offset, limit: q.limit) }
            w += " AND (" + parts.joined(separator: " OR ") + ")"
        }
        if let s = q.state { w += " AND state = \(bind: s)" }
        if let s = q.section { w += " AND section = \(bind: s.rawValue)" }
        if let s = q.schoolID { w += " AND school_id = \(bind: s.rawValue)" }
        if let c = q.campaignID { w += " AND campaign_id = \(bind: c)" }
        if q.openOnly { w += " AND closed_on IS NULL" }
        if let d = q.dueBy { w += " AND closed_on IS NULL AND due_on IS NOT NULL AND due_on <= \(bind: d.description)" }
        if let d = q.receivedFrom { w += " AND received_on >= \(bind: d.description)" }
        if let d = q.receivedThrough { w += " AND received_on <= \(bind: d.description)" }
        if let s = q.search, !s.isEmpty {
            let like = "%" + s.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
            w += " AND (number LIKE \(bind: like) OR title LIKE \(bind: like))"
        }
        let total = try await sql.raw("SELECT COUNT(*) AS n" + w).first(decodingColumn: "n", as: Int.self) ?? 0
        let order: SQLQueryString = q.dueBy != nil ? " ORDER BY due_on, id" : " ORDER BY received_on DESC, id DESC"
        let rows = try await sql.raw("SELECT \(unsafeRaw: Self.caseColumns)" + w + order
                                     + " LIMIT \(bind: q.limit) OFFSET \(bind: q.offset)").all()
        return Page(items: try rows.map(Self.decode), total: total, offset: q.offset, limit: q.limit)
    }

    func steps(caseID: Int64) async throws -> [CaseStep] {
        let files = try await sql.raw("""
            SELECT id, case_id, step_id, name, content_type, size, sha256 FROM case_attachments WHERE case_id = \(bind: caseID) ORDER BY id
            """).all().map(Self.attachmentInfo)
        let byStep = Dictionary(grouping: files, by: \.stepID)
        return try await sql.raw("SELECT * FROM case_steps WHERE case_id = \(bind: caseID) ORDER BY sequence").all().map { row in
            let r = RowReader(row: row, table: "case_steps")
            let kind = try r.enumValue("actor_kind", CaseActor.Kind.self)
            let actor: CaseActor
            switch kind {
            case .system: actor = .system
            case .publicPerson: actor = .publicPerson(try r.string("actor_name"))
            case .user:
                actor = CaseActor(login: try r.string("actor_login"), displayName: try r.string("actor_name"),
                                  role: try r.optionalEnum("actor_role", Role.self) ?? .office, scope: .district)
            }
            let id = try r.int64("id")
            return CaseStep(id: id, caseID: try r.int64("case_id"), sequence: try r.int("sequence"), action: try r.string("action"),
                            actionTitle: try r.string("action_title"), fromState: try r.optionalString("from_state"),
                            toState: try r.string("to_state"), actor: actor, on: try r.date("on_date"), at: try r.string("at"),
                            fields: try Self.fields(try r.string("fields_json")), attachments: byStep[id] ?? [])
        }
    }

    static func decode(_ row: any SQLRow) throws -> CaseRecord {
        let r = RowReader(row: row, table: "cases")
        return CaseRecord(
            id: try r.int64("id"), kind: try r.enumValue("kind", CaseKind.self), number: try r.string("number"),
            title: try r.string("title"), state: try r.string("state"), section: try r.optionalEnum("section", Role.self),
            coSections: CaseEngineSupport.sections(try r.string("co_sections")), schoolID: try r.optionalID("school_id"),
            campaignID: try r.optionalInt64("campaign_id"), receivedOn: try r.date("received_on"), dueOn: try r.optionalDate("due_on"),
            dueLabel: try r.optionalString("due_label"), escalated: try r.flag("escalated"), extended: try r.flag("extended"),
            completedOn: try r.optionalDate("completed_on"), completedOnTime: try r.optionalInt64("completed_on_time").map { $0 != 0 },
            closedOn: try r.optionalDate("closed_on"), trackingCode: try r.optionalString("tracking_code"),
            fields: try fields(try r.string("fields_json")), version: try r.int("version"))
    }

    static func attachmentInfo(_ row: any SQLRow) throws -> CaseAttachmentInfo {
        let r = RowReader(row: row, table: "case_attachments")
        return CaseAttachmentInfo(id: try r.int64("id"), stepID: try r.int64("step_id"), name: try r.string("name"),
                                  contentType: try r.string("content_type"), size: try r.int("size"), sha256: try r.string("sha256"))
    }

    static func campaign(_ row: any SQLRow) throws -> InspectionCampaign {
        let r = RowReader(row: row, table: "inspection_campaigns")
        return InspectionCampaign(
            id: try r.int64("id"), name: try r.string("name"), startedOn: try r.date("started_on"), endsOn: try r.optionalDate("ends_on"),
            schoolIDs: try r.string("school_ids").split(separator: ",").compactMap { Int64($0) }.map(SchoolID.init),
            createdBy: try r.string("created_by"))
    }

    /// A case's or step's fields. `JSONSerialization` rather than `JSONDecoder`: the rates read
    /// every case of a year, and the decoder was most of that time (benchmark of issue 9).
    static func fields(_ json: String) throws -> [String: String] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw StorageError(code: "storage.corrupt", message: "案件字段数据损坏")
        }
        var out: [String: String] = [:]
        for (key, value) in object {
            guard let text = value as? String else { throw StorageError(code: "storage.corrupt", message: "案件字段“\(key)”数据损坏") }
            out[key] = text
        }
        return out
    }
}

enum CaseEngineSupport {
    static func sections(_ text: String) -> [Role] {
        text.split(separator: ",").compactMap { Role(rawValue: String($0)) }
    }
}
