import EduLedgerCore
import Foundation
import SQLKit

/// The registry's reads, on any SQL session: the shared reader, or the session of an open
/// transaction (so a writer reads its own uncommitted changes).
struct SQLRegistryReads: RegistryReading {
    let sql: any SQLDatabase

    private func rows(_ query: SQLQueryString) async throws -> [any SQLRow] {
        try await sql.raw(query).all()
    }

    private func select(_ columns: [String], from table: String, prefix: String = "") -> String {
        "SELECT " + columns.map { prefix.isEmpty ? $0 : "\(prefix).\($0)" }.joined(separator: ", ") + " FROM \(table)"
    }

    func district() async throws -> District? {
        try await rows(SQLQueryString(select(Tables.Districts.columns, from: "districts") + " ORDER BY id LIMIT 1"))
            .first.map { try Tables.Districts.decode(RowReader(row: $0, table: "districts")) }
    }

    func townships() async throws -> [Township] {
        try await rows(SQLQueryString(select(Tables.Townships.columns, from: "townships") + " ORDER BY code"))
            .map { try Tables.Townships.decode(RowReader(row: $0, table: "townships")) }
    }

    func schoolZones() async throws -> [SchoolZone] {
        try await rows(SQLQueryString(select(Tables.Zones.columns, from: "school_zones") + " ORDER BY id"))
            .map { try Tables.Zones.decode(RowReader(row: $0, table: "school_zones")) }
    }

    func schools(_ filter: SchoolFilter) async throws -> [School] {
        var q = SQLQueryString(select(Tables.Schools.columns, from: "schools") + " WHERE 1 = 1")
        if let t = filter.townshipID { q += " AND township_id = \(bind: t.rawValue)" }
        if let z = filter.zoneID { q += " AND zone_id = \(bind: z.rawValue)" }
        if let type = filter.type { q += " AND type = \(bind: type.rawValue)" }
        if let d = filter.openOn {
            q += " AND opened <= \(bind: d.description) AND (closed IS NULL OR closed >= \(bind: d.description))"
        }
        if let ids = filter.onlyIDs {
            if ids.isEmpty { return [] }
            q += " AND id IN (\(binds: ids.sorted().map(\.rawValue)))"
        }
        q += " ORDER BY code"
        return try await rows(q).map { try Tables.Schools.decode(RowReader(row: $0, table: "schools")) }
    }

    func school(id: SchoolID) async throws -> School? {
        try await rows(SQLQueryString(select(Tables.Schools.columns, from: "schools")) + " WHERE id = \(bind: id.rawValue)")
            .first.map { try Tables.Schools.decode(RowReader(row: $0, table: "schools")) }
    }

    func school(code: String) async throws -> School? {
        try await rows(SQLQueryString(select(Tables.Schools.columns, from: "schools")) + " WHERE code = \(bind: code)")
            .first.map { try Tables.Schools.decode(RowReader(row: $0, table: "schools")) }
    }

    func classes(schoolID: SchoolID, year: SchoolYear) async throws -> [SchoolClass] {
        try await rows(SQLQueryString(select(Tables.Classes.columns, from: "classes"))
            + " WHERE school_id = \(bind: schoolID.rawValue) AND school_year = \(bind: year.startYear) ORDER BY id")
            .map { try Tables.Classes.decode(RowReader(row: $0, table: "classes")) }
            .sorted { ($0.grade, $0.number) < ($1.grade, $1.number) }
    }

    func schoolClass(id: ClassID) async throws -> SchoolClass? {
        try await rows(SQLQueryString(select(Tables.Classes.columns, from: "classes")) + " WHERE id = \(bind: id.rawValue)")
            .first.map { try Tables.Classes.decode(RowReader(row: $0, table: "classes")) }
    }

    /// Students enrolled on the query date, newest registrations last, one page at a time.
    func students(_ query: StudentQuery) async throws -> Page<StudentRow> {
        let d = query.date.description
        var conditions: SQLQueryString = " FROM enrolments e JOIN students s ON s.id = e.student_id"
        conditions += " WHERE e.from_date <= \(bind: d) AND (e.until_date IS NULL OR e.until_date > \(bind: d))"
        if let ids = query.schoolIDs {
            if ids.isEmpty { return Page(items: [], total: 0, offset: query.offset, limit: query.limit) }
            conditions += " AND e.school_id IN (\(binds: ids.sorted().map(\.rawValue)))"
        }
        if let g = query.grade { conditions += " AND e.grade = \(bind: g.rawValue)" }
        if let c = query.classID { conditions += " AND e.class_id = \(bind: c.rawValue)" }
        if let text = query.search?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = Self.likePrefix(text)
            conditions += " AND (s.name LIKE \(bind: pattern) ESCAPE '\\' OR s.student_number LIKE \(bind: pattern) ESCAPE '\\'"
                + " OR s.resident_id LIKE \(bind: pattern) ESCAPE '\\')"
        }
        let total = try await sql.raw("SELECT COUNT(*) AS n" + conditions).first(decodingColumn: "n", as: Int.self) ?? 0
        let columns = Tables.Students.columns.map { "s.\($0) AS s_\($0)" }
            + Tables.Enrolments.columns.map { "e.\($0) AS e_\($0)" }
        let page = SQLQueryString("SELECT " + columns.joined(separator: ", ")) + conditions
            + " ORDER BY s.id LIMIT \(literal: max(0, query.limit)) OFFSET \(literal: max(0, query.offset))"
        let items = try await rows(page).map { row in
            StudentRow(student: try Tables.Students.decode(RowReader(row: row, table: "students", prefix: "s_")),
                       enrolment: try Tables.Enrolments.decode(RowReader(row: row, table: "enrolments", prefix: "e_")))
        }
        return Page(items: items, total: total, offset: query.offset, limit: query.limit)
    }

    /// `LIKE` pattern matching a prefix, with the user's `%` and `_` taken literally.
    static func likePrefix(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    func student(id: StudentID) async throws -> Student? {
        try await rows(SQLQueryString(select(Tables.Students.columns, from: "students")) + " WHERE id = \(bind: id.rawValue)")
            .first.map { try Tables.Students.decode(RowReader(row: $0, table: "students")) }
    }

    func student(number: String) async throws -> Student? {
        try await rows(SQLQueryString(select(Tables.Students.columns, from: "students"))
            + " WHERE student_number = \(bind: number)")
            .first.map { try Tables.Students.decode(RowReader(row: $0, table: "students")) }
    }

    func enrolments(studentID: StudentID) async throws -> [Enrolment] {
        try await rows(SQLQueryString(select(Tables.Enrolments.columns, from: "enrolments"))
            + " WHERE student_id = \(bind: studentID.rawValue) ORDER BY from_date, id")
            .map { try Tables.Enrolments.decode(RowReader(row: $0, table: "enrolments")) }
    }

    func enrolments(startingAt schoolID: SchoolID, after date: CivilDate, limit: Int) async throws -> [Enrolment] {
        try await rows(SQLQueryString(select(Tables.Enrolments.columns, from: "enrolments"))
            + " WHERE school_id = \(bind: schoolID.rawValue) AND from_date > \(bind: date.description)"
            + " ORDER BY from_date, id LIMIT \(bind: limit)")
            .map { try Tables.Enrolments.decode(RowReader(row: $0, table: "enrolments")) }
    }

    func enrolmentHistory(studentID: StudentID) async throws -> [EnrolmentListing] {
        let columns = Tables.Enrolments.columns.map { "e.\($0) AS e_\($0)" }.joined(separator: ", ")
        let query = SQLQueryString("SELECT " + columns + ", s.name AS school_name, c.grade AS class_grade, c.number AS class_number"
            + " FROM enrolments e JOIN schools s ON s.id = e.school_id LEFT JOIN classes c ON c.id = e.class_id")
            + " WHERE e.student_id = \(bind: studentID.rawValue) ORDER BY e.from_date, e.id"
        return try await rows(query).map { row in
            let r = RowReader(row: row, table: "enrolments")
            var className: String?
            if let grade = try r.optionalEnum("class_grade", GradeLevel.self), let number = try r.optionalInt64("class_number") {
                className = "\(grade.name)(\(number))班"
            }
            return EnrolmentListing(enrolment: try Tables.Enrolments.decode(RowReader(row: row, table: "enrolments", prefix: "e_")),
                                    schoolName: try r.string("school_name"), className: className)
        }
    }

    func staff(_ query: StaffQuery) async throws -> Page<StaffMember> {
        let d = query.date.description
        var conditions: SQLQueryString = " FROM staff WHERE hired <= \(bind: d) AND (left_date IS NULL OR left_date > \(bind: d))"
        if let ids = query.schoolIDs {
            if ids.isEmpty { return Page(items: [], total: 0, offset: query.offset, limit: query.limit) }
            conditions += " AND school_id IN (\(binds: ids.sorted().map(\.rawValue)))"
        }
        if let p = query.post { conditions += " AND post = \(bind: p.rawValue)" }
        if let text = query.search?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            let pattern = Self.likePrefix(text)
            conditions += " AND (name LIKE \(bind: pattern) ESCAPE '\\' OR staff_number LIKE \(bind: pattern) ESCAPE '\\')"
        }
        let total = try await sql.raw("SELECT COUNT(*) AS n" + conditions).first(decodingColumn: "n", as: Int.self) ?? 0
        let page = SQLQueryString("SELECT " + Tables.Staff.columns.joined(separator: ", ")) + conditions
            + " ORDER BY id LIMIT \(literal: max(0, query.limit)) OFFSET \(literal: max(0, query.offset))"
        let items = try await rows(page).map { try Tables.Staff.decode(RowReader(row: $0, table: "staff")) }
        return Page(items: items, total: total, offset: query.offset, limit: query.limit)
    }

    func staffMember(id: StaffID) async throws -> StaffMember? {
        try await rows(SQLQueryString(select(Tables.Staff.columns, from: "staff")) + " WHERE id = \(bind: id.rawValue)")
            .first.map { try Tables.Staff.decode(RowReader(row: $0, table: "staff")) }
    }

    func staffMember(number: String) async throws -> StaffMember? {
        try await rows(SQLQueryString(select(Tables.Staff.columns, from: "staff")) + " WHERE staff_number = \(bind: number)")
            .first.map { try Tables.Staff.decode(RowReader(row: $0, table: "staff")) }
    }

    func counts(on date: CivilDate) async throws -> RegistryCounts {
        let d = date.description
        func count(_ q: SQLQueryString) async throws -> Int {
            try await sql.raw(q).first(decodingColumn: "n", as: Int.self) ?? 0
        }
        let enrolledOn: SQLQueryString = "from_date <= \(bind: d) AND (until_date IS NULL OR until_date > \(bind: d))"
        var byStage: [String: Int] = [:]
        let gradeRows = try await rows("SELECT grade, COUNT(*) AS n FROM enrolments WHERE " + enrolledOn + " GROUP BY grade")
        for row in gradeRows {
            let grade = try RowReader(row: row, table: "enrolments").enumValue("grade", GradeLevel.self)
            byStage[grade.stage.rawValue, default: 0] += try row.decode(column: "n", as: Int.self)
        }
        let year = SchoolYear(containing: date).startYear
        return RegistryCounts(
            townships: try await count("SELECT COUNT(*) AS n FROM townships"),
            schoolsOpen: try await count(
                "SELECT COUNT(*) AS n FROM schools WHERE opened <= \(bind: d) AND (closed IS NULL OR closed >= \(bind: d))"),
            schoolsEver: try await count("SELECT COUNT(*) AS n FROM schools"),
            classes: try await count("SELECT COUNT(*) AS n FROM classes WHERE school_year = \(bind: year)"),
            studentsEnrolled: byStage.values.reduce(0, +),
            studentsByStage: byStage,
            staffEmployed: try await count(
                "SELECT COUNT(*) AS n FROM staff WHERE hired <= \(bind: d) AND (left_date IS NULL OR left_date > \(bind: d))"),
            fullTimeTeachers: try await count(
                "SELECT COUNT(*) AS n FROM staff WHERE post = \(bind: StaffPost.fullTimeTeacher.rawValue) AND hired <= \(bind: d) AND (left_date IS NULL OR left_date > \(bind: d))"))
    }

    func auditEntries(entity: String?, actor: String?, offset: Int, limit: Int) async throws -> Page<AuditEntry> {
        var conditions: SQLQueryString = " FROM audit_log WHERE 1 = 1"
        if let entity { conditions += " AND entity = \(bind: entity)" }
        if let actor { conditions += " AND actor = \(bind: actor)" }
        let total = try await sql.raw("SELECT COUNT(*) AS n" + conditions).first(decodingColumn: "n", as: Int.self) ?? 0
        let q = "SELECT id, at, actor, action, entity, entity_id, before_json, after_json" + conditions
            + " ORDER BY id DESC LIMIT \(literal: max(0, limit)) OFFSET \(literal: max(0, offset))"
        let items = try await rows(q).map { row in
            let r = RowReader(row: row, table: "audit_log")
            return AuditEntry(id: try r.int64("id"), at: try r.string("at"), actor: try r.string("actor"),
                              action: try r.enumValue("action", AuditEntry.Action.self), entity: try r.string("entity"),
                              entityID: try r.string("entity_id"), before: try r.optionalString("before_json"),
                              after: try r.optionalString("after_json"))
        }
        return Page(items: items, total: total, offset: offset, limit: limit)
    }
}
