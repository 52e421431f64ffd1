import EduLedgerCore
import Foundation
import SQLKit

/// Where a class draw (电脑随机编班) stands. Each step can only follow the one before it, and a
/// locked draw (不调) changes only through a recorded, reasoned change such as a late placement.
public enum ClassDrawState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Created; the roster may still be uploaded and replaced.
    case draft
    /// 名单已公布: the roster file and its SHA-256 are fixed.
    case published
    /// 种子已确定: the public seed is composed from the parts entered.
    case seeded
    /// 已编班: the draw record is stored.
    case assigned
    /// 已锁定（不调）.
    case locked

    public var title: String {
        switch self {
        case .draft: return "待公布名单"
        case .published: return "名单已公布，待输入种子"
        case .seeded: return "种子已确定，待编班"
        case .assigned: return "已编班，待锁定"
        case .locked: return "已锁定（不调）"
        }
    }
}

/// One class draw of one school's grade in one school year, as stored.
public struct ClassDraw: Sendable, Hashable {
    public var id: Int64
    public var schoolID: SchoolID
    public var schoolYear: SchoolYear
    public var grade: GradeLevel
    public var state: ClassDrawState
    public var classCount: Int
    /// The column choices (scores, flags, together, apart, pin) as the web layer encodes them.
    public var columnsJSON: String
    public var rosterFileName: String?
    /// The published roster file, byte for byte; only filled by `draw(id:)`.
    public var rosterFile: Data?
    public var rosterHash: String?
    public var studentCount: Int?
    public var seed: String?
    public var recordJSON: String?
    public var labelsJSON: String?
    public var teachersJSON: String?
    public var createdAt: String
    public var createdBy: String
    public var publishedAt: String?
    public var publishedBy: String?
    public var seededAt: String?
    public var seededBy: String?
    public var assignedAt: String?
    public var assignedBy: String?
    public var lockedAt: String?
    public var lockedBy: String?
}

/// One part of the public seed: what was typed, by whom (a drawn parent representative, a
/// supervisor, or a stated public value), and who recorded it when.
public struct ClassDrawSeedPart: Sendable, Hashable {
    public var position: Int
    public var value: String
    /// The person who supplied the number, as announced (e.g. 家长代表 张某某).
    public var enteredBy: String
    /// 家长代表 / 监督员 / 公开值.
    public var capacity: String
    public var recordedBy: String
    public var recordedAt: String
}

/// A change to a locked draw, always with its reason (late placement, correction).
public struct ClassDrawChange: Sendable, Hashable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var kind: String
    public var reason: String
    public var detailJSON: String
}

/// Refusals of the draw store, in Chinese.
public struct ClassDrawError: UserFacingError, Equatable {
    public var code: String
    public var message: String
    public var description: String { message }
    public init(code: String, message: String) { self.code = code; self.message = message }

    public static func wrongState(_ state: ClassDrawState?, action: String) -> ClassDrawError {
        guard let state else { return ClassDrawError(code: "draw.not_found", message: "找不到该编班") }
        if state == .locked {
            return ClassDrawError(code: "draw.locked", message: "编班已锁定（不调），不能\(action)；如需调整，只能以记录理由的方式插班")
        }
        return ClassDrawError(code: "draw.wrong_state", message: "编班当前状态为“\(state.title)”，不能\(action)")
    }
}

/// Class draws in SQL. Every state change and its audit line (entity `class_draw`) are written in
/// one transaction; a change whose precondition no longer holds (another clerk got there first)
/// is refused, not applied twice.
public struct SQLDrawStore: Sendable {
    let database: Database

    public init(database: Database) { self.database = database }

    static let listColumns = """
        id, school_id, school_year, grade, state, class_count, columns_json, roster_file_name, roster_hash,
        student_count, seed, record_json, labels_json, teachers_json, created_at, created_by, published_at,
        published_by, seeded_at, seeded_by, assigned_at, assigned_by, locked_at, locked_by
        """

    /// What the audit log keeps of a draw: its state and public figures, never the roster file.
    struct Audited: Encodable {
        var event: String
        var state: String
        var schoolID: Int64
        var schoolYear: Int
        var grade: String
        var classCount: Int
        var rosterHash: String?
        var studentCount: Int?
        var seed: String?
        var detail: String?
        init(_ d: ClassDraw, event: String, detail: String? = nil) {
            self.event = event; state = d.state.rawValue; schoolID = d.schoolID.rawValue; schoolYear = d.schoolYear.startYear
            grade = d.grade.rawValue; classCount = d.classCount; rosterHash = d.rosterHash; studentCount = d.studentCount
            seed = d.seed; self.detail = detail
        }
    }

    static func decode(_ row: any SQLRow, withFile: Bool) throws -> ClassDraw {
        let r = RowReader(row: row, table: "class_draws")
        let stateText = try r.string("state")
        guard let state = ClassDrawState(rawValue: stateText) else {
            throw RowDecodingError(table: "class_draws", column: "state", value: stateText)
        }
        let gradeText = try r.string("grade")
        guard let grade = GradeLevel(rawValue: gradeText) else {
            throw RowDecodingError(table: "class_draws", column: "grade", value: gradeText)
        }
        var file: Data?
        if withFile, let text = try r.optionalString("roster_file_base64") {
            guard let data = Data(base64Encoded: text) else {
                throw RowDecodingError(table: "class_draws", column: "roster_file_base64", value: String(text.prefix(20)))
            }
            file = data
        }
        return ClassDraw(
            id: try r.int64("id"), schoolID: SchoolID(try r.int64("school_id")),
            schoolYear: SchoolYear(Int(try r.int64("school_year"))), grade: grade, state: state,
            classCount: Int(try r.int64("class_count")), columnsJSON: try r.string("columns_json"),
            rosterFileName: try r.optionalString("roster_file_name"), rosterFile: file,
            rosterHash: try r.optionalString("roster_hash"), studentCount: try r.optionalInt64("student_count").map(Int.init),
            seed: try r.optionalString("seed"), recordJSON: try r.optionalString("record_json"),
            labelsJSON: try r.optionalString("labels_json"), teachersJSON: try r.optionalString("teachers_json"),
            createdAt: try r.string("created_at"), createdBy: try r.string("created_by"),
            publishedAt: try r.optionalString("published_at"), publishedBy: try r.optionalString("published_by"),
            seededAt: try r.optionalString("seeded_at"), seededBy: try r.optionalString("seeded_by"),
            assignedAt: try r.optionalString("assigned_at"), assignedBy: try r.optionalString("assigned_by"),
            lockedAt: try r.optionalString("locked_at"), lockedBy: try r.optionalString("locked_by"))
    }

    // MARK: reads

    /// One draw with its roster file, or nil.
    public func draw(id: Int64) async throws -> ClassDraw? {
        try await Self.load(database.reader, id: id)
    }

    static func load(_ sql: any SQLDatabase, id: Int64) async throws -> ClassDraw? {
        try await sql.raw(SQLQueryString(text: "SELECT \(listColumns), roster_file_base64 FROM class_draws") + " WHERE id = \(bind: id)")
            .all().first.map { try decode($0, withFile: true) }
    }

    /// Draws of the given schools (nil = all), optionally of one school year, newest first.
    public func draws(schoolIDs: Set<SchoolID>?, year: SchoolYear? = nil) async throws -> [ClassDraw] {
        var q = SQLQueryString(text: "SELECT \(Self.listColumns) FROM class_draws WHERE 1 = 1")
        if let year { q += " AND school_year = \(bind: year.startYear)" }
        if let ids = schoolIDs {
            if ids.isEmpty { return [] }
            let list = ids.map(\.rawValue).sorted().map(String.init).joined(separator: ", ")
            q += SQLQueryString(text: " AND school_id IN (\(list))")
        }
        q += " ORDER BY school_year DESC, id DESC"
        return try await database.reader.raw(q).all().map { try Self.decode($0, withFile: false) }
    }

    public func seedParts(drawID: Int64) async throws -> [ClassDrawSeedPart] {
        try await database.reader.raw("""
            SELECT position, value, entered_by, capacity, recorded_by, recorded_at FROM class_draw_seed_parts
            WHERE draw_id = \(bind: drawID) ORDER BY position
            """).all().map { row in
            let r = RowReader(row: row, table: "class_draw_seed_parts")
            return ClassDrawSeedPart(position: Int(try r.int64("position")), value: try r.string("value"),
                                     enteredBy: try r.string("entered_by"), capacity: try r.string("capacity"),
                                     recordedBy: try r.string("recorded_by"), recordedAt: try r.string("recorded_at"))
        }
    }

    public func changes(drawID: Int64) async throws -> [ClassDrawChange] {
        try await database.reader.raw("""
            SELECT id, at, actor, kind, reason, detail_json FROM class_draw_changes WHERE draw_id = \(bind: drawID) ORDER BY id
            """).all().map { row in
            let r = RowReader(row: row, table: "class_draw_changes")
            return ClassDrawChange(id: try r.int64("id"), at: try r.string("at"), actor: try r.string("actor"),
                                   kind: try r.string("kind"), reason: try r.string("reason"), detailJSON: try r.string("detail_json"))
        }
    }

    // MARK: writes

    /// The audit line of a draw change, written by the registry's own audit writer so every
    /// entity's lines have the same shape.
    private static func audit(_ sql: any SQLDatabase, flavor: SQLFlavor, actor: ActingUser, action: AuditEntry.Action,
                              before: ClassDraw?, after: ClassDraw, event: String, detail: String? = nil) async throws {
        try await SQLRegistryWriter(sql: sql, flavor: flavor, user: actor)
            .audit(action, entity: "class_draw", id: after.id, before: before.map { Audited($0, event: event) },
                   after: Audited(after, event: event, detail: detail))
    }

    /// Creates a draft draw and its audit line.
    public func create(schoolID: SchoolID, year: SchoolYear, grade: GradeLevel, classCount: Int, columnsJSON: String,
                       by actor: ActingUser) async throws -> ClassDraw {
        let flavor = database.flavor
        return try await database.transaction { sql in
            let now = Timestamp.now()
            let q: SQLQueryString = """
                INSERT INTO class_draws (school_id, school_year, grade, state, class_count, columns_json, created_at, created_by)
                VALUES (\(bind: schoolID.rawValue), \(bind: year.startYear), \(bind: grade.rawValue),
                    \(bind: ClassDrawState.draft.rawValue), \(bind: classCount), \(bind: columnsJSON), \(bind: now), \(bind: actor.login))
                RETURNING id
                """
            guard let id = try await sql.raw(q).first(decodingColumn: "id", as: Int64.self),
                  let saved = try await Self.load(sql, id: id) else {
                throw StorageError(code: "storage.insert_failed", message: "写入编班失败：数据库未返回新记录编号")
            }
            try await Self.audit(sql, flavor: flavor, actor: actor, action: .insert, before: nil, after: saved, event: "create")
            return saved
        }
    }

    /// Applies `change` to the draw if it is in one of `from`, in one transaction with the audit line.
    private func transition(
        _ id: Int64, from: Set<ClassDrawState>, action: String, event: String, by actor: ActingUser, detail: String? = nil,
        _ change: @escaping @Sendable (any SQLDatabase, ClassDraw) async throws -> Void
    ) async throws -> ClassDraw {
        let flavor = database.flavor
        return try await database.transaction { sql in
            // Takes the row lock first (PostgreSQL; SQLite writes one at a time anyway), so two
            // clerks pressing the same button cannot both pass the state check below.
            try await sql.raw("UPDATE class_draws SET state = state WHERE id = \(bind: id)").run()
            guard let before = try await Self.load(sql, id: id) else {
                throw ClassDrawError.wrongState(nil, action: action)
            }
            guard from.contains(before.state) else { throw ClassDrawError.wrongState(before.state, action: action) }
            try await change(sql, before)
            guard let after = try await Self.load(sql, id: id) else { throw ClassDrawError.wrongState(nil, action: action) }
            try await Self.audit(sql, flavor: flavor, actor: actor, action: .update, before: before, after: after, event: event, detail: detail)
            return after
        }
    }

    /// Stores (or replaces) the roster file of a draft, with its hash and student count.
    public func setRoster(_ id: Int64, fileName: String, file: Data, hash: String, studentCount: Int, columnsJSON: String,
                          classCount: Int, by actor: ActingUser) async throws -> ClassDraw {
        try await transition(id, from: [.draft], action: "更换名单", event: "roster_uploaded", by: actor) { sql, _ in
            try await sql.raw("""
                UPDATE class_draws SET roster_file_name = \(bind: fileName), roster_file_base64 = \(bind: file.base64EncodedString()),
                    roster_hash = \(bind: hash), student_count = \(bind: studentCount), columns_json = \(bind: columnsJSON),
                    class_count = \(bind: classCount)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    /// 公布名单: fixes the roster; from now on it cannot be replaced.
    public func publish(_ id: Int64, by actor: ActingUser) async throws -> ClassDraw {
        try await transition(id, from: [.draft], action: "公布名单", event: "published", by: actor) { sql, draw in
            guard draw.rosterHash != nil else {
                throw ClassDrawError(code: "draw.no_roster", message: "尚未上传名单，不能公布")
            }
            try await sql.raw("""
                UPDATE class_draws SET state = 'published', published_at = \(bind: Timestamp.now()), published_by = \(bind: actor.login)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    /// Records one part of the public seed, in the order entered.
    public func addSeedPart(_ id: Int64, value: String, enteredBy: String, capacity: String, by actor: ActingUser) async throws -> ClassDraw {
        try await transition(id, from: [.published], action: "输入种子", event: "seed_part",
                             by: actor, detail: "\(capacity) \(enteredBy)：\(value)") { sql, _ in
            let next = (try await sql.raw("SELECT COUNT(*) AS n FROM class_draw_seed_parts WHERE draw_id = \(bind: id)")
                .first(decodingColumn: "n", as: Int.self) ?? 0) + 1
            try await sql.raw("""
                INSERT INTO class_draw_seed_parts (draw_id, position, value, entered_by, capacity, recorded_by, recorded_at)
                VALUES (\(bind: id), \(bind: next), \(bind: value), \(bind: enteredBy), \(bind: capacity), \(bind: actor.login),
                    \(bind: Timestamp.now()))
                """).run()
        }
    }

    /// 确定种子: stores the composed seed string; no more parts may be added.
    public func fixSeed(_ id: Int64, seed: String, by actor: ActingUser) async throws -> ClassDraw {
        try await transition(id, from: [.published], action: "确定种子", event: "seeded", by: actor) { sql, _ in
            try await sql.raw("""
                UPDATE class_draws SET state = 'seeded', seed = \(bind: seed), seeded_at = \(bind: Timestamp.now()),
                    seeded_by = \(bind: actor.login) WHERE id = \(bind: id)
                """).run()
        }
    }

    /// 编班: stores the draw record (JSON) with who pressed and when.
    public func assign(_ id: Int64, recordJSON: String, by actor: ActingUser) async throws -> ClassDraw {
        try await transition(id, from: [.seeded], action: "编班", event: "assigned", by: actor) { sql, _ in
            try await sql.raw("""
                UPDATE class_draws SET state = 'assigned', record_json = \(bind: recordJSON), assigned_at = \(bind: Timestamp.now()),
                    assigned_by = \(bind: actor.login) WHERE id = \(bind: id)
                """).run()
        }
    }

    /// 锁定（不调）.
    public func lock(_ id: Int64, by actor: ActingUser) async throws -> ClassDraw {
        try await transition(id, from: [.assigned], action: "锁定", event: "locked", by: actor) { sql, _ in
            try await sql.raw("""
                UPDATE class_draws SET state = 'locked', locked_at = \(bind: Timestamp.now()), locked_by = \(bind: actor.login)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    public enum Lottery: String, Sendable { case labels, teachers }

    /// Stores a lottery result (class labels or 班主任), once per draw, after the assignment.
    public func setLottery(_ id: Int64, _ lottery: Lottery, json: String, by actor: ActingUser) async throws -> ClassDraw {
        let what = lottery == .labels ? "抽取班级名称" : "抽取班主任"
        return try await transition(id, from: [.assigned, .locked], action: what, event: "lottery_" + lottery.rawValue,
                                    by: actor, detail: json) { sql, draw in
            let existing = lottery == .labels ? draw.labelsJSON : draw.teachersJSON
            if existing != nil {
                throw ClassDrawError(code: "draw.lottery_done", message: "已\(what)，结果不可重抽")
            }
            let column = lottery == .labels ? "labels_json" : "teachers_json"
            try await sql.raw(SQLQueryString(text: "UPDATE class_draws SET \(column) = ") + "\(bind: json) WHERE id = \(bind: id)").run()
        }
    }

    /// A reasoned change to a locked draw (e.g. 插班), recorded with its detail.
    public func recordChange(_ id: Int64, kind: String, reason: String, detailJSON: String, by actor: ActingUser) async throws -> ClassDraw {
        let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw ClassDrawError(code: "draw.reason_required", message: "锁定后的任何变动都必须填写理由") }
        return try await transition(id, from: [.locked], action: "记录变动", event: "change_" + kind, by: actor,
                                    detail: trimmed + "｜" + detailJSON) { sql, _ in
            try await sql.raw("""
                INSERT INTO class_draw_changes (draw_id, at, actor, kind, reason, detail_json)
                VALUES (\(bind: id), \(bind: Timestamp.now()), \(bind: actor.login), \(bind: kind), \(bind: trimmed), \(bind: detailJSON))
                """).run()
        }
    }
}
