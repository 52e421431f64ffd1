import EduLedgerCore
import Foundation
import SQLKit

/// The registry on SQL — one implementation for SQLite and PostgreSQL.
public final class SQLRegistryStore: RegistryStore {
    public let database: Database
    private let reads: SQLRegistryReads

    public init(database: Database) {
        self.database = database
        self.reads = SQLRegistryReads(sql: database.reader)
    }

    public func write<T: Sendable>(
        by user: ActingUser, _ body: @escaping @Sendable (any RegistryWriting) async throws -> T
    ) async throws -> T {
        let flavor = database.flavor
        return try await database.transaction { session in
            try await body(SQLRegistryWriter(sql: session, flavor: flavor, user: user))
        }
    }

    public func isEmpty() async throws -> Bool { try await reads.district() == nil }

    public func district() async throws -> District? { try await reads.district() }
    public func townships() async throws -> [Township] { try await reads.townships() }
    public func schoolZones() async throws -> [SchoolZone] { try await reads.schoolZones() }
    public func schools(_ filter: SchoolFilter) async throws -> [School] { try await reads.schools(filter) }
    public func school(id: SchoolID) async throws -> School? { try await reads.school(id: id) }
    public func school(code: String) async throws -> School? { try await reads.school(code: code) }
    public func classes(schoolID: SchoolID, year: SchoolYear) async throws -> [SchoolClass] {
        try await reads.classes(schoolID: schoolID, year: year)
    }
    public func schoolClass(id: ClassID) async throws -> SchoolClass? { try await reads.schoolClass(id: id) }
    public func students(_ query: StudentQuery) async throws -> Page<StudentRow> { try await reads.students(query) }
    public func student(id: StudentID) async throws -> Student? { try await reads.student(id: id) }
    public func student(number: String) async throws -> Student? { try await reads.student(number: number) }
    public func enrolments(studentID: StudentID) async throws -> [Enrolment] {
        try await reads.enrolments(studentID: studentID)
    }
    public func enrolmentHistory(studentID: StudentID) async throws -> [EnrolmentListing] {
        try await reads.enrolmentHistory(studentID: studentID)
    }
    public func enrolments(startingAt schoolID: SchoolID, after date: CivilDate, limit: Int) async throws -> [Enrolment] {
        try await reads.enrolments(startingAt: schoolID, after: date, limit: limit)
    }
    public func staff(_ query: StaffQuery) async throws -> Page<StaffMember> { try await reads.staff(query) }
    public func staffMember(id: StaffID) async throws -> StaffMember? { try await reads.staffMember(id: id) }
    public func staffMember(number: String) async throws -> StaffMember? { try await reads.staffMember(number: number) }
    public func counts(on date: CivilDate) async throws -> RegistryCounts { try await reads.counts(on: date) }
    public func auditEntries(entity: String?, actor: String?, offset: Int, limit: Int) async throws -> Page<AuditEntry> {
        try await reads.auditEntries(entity: entity, actor: actor, offset: offset, limit: limit)
    }
}

/// Writes inside one transaction; every insert and update appends its audit line through the
/// same session, so both commit or neither does.
struct SQLRegistryWriter: RegistryWriting {
    let sql: any SQLDatabase
    let flavor: SQLFlavor
    let user: ActingUser
    private var reads: SQLRegistryReads { SQLRegistryReads(sql: sql) }

    init(sql: any SQLDatabase, flavor: SQLFlavor, user: ActingUser) {
        self.sql = sql; self.flavor = flavor; self.user = user
    }

    // MARK: generic insert / update with audit

    private func insertRow(table: String, columns: [String], values: [any SQLExpression]) async throws -> Int64 {
        let head: String = "INSERT INTO \(table) (" + columns.dropFirst().joined(separator: ", ") + ") VALUES ("
        let list: SQLQueryString = "\(SQLList(Array(values.dropFirst())))"
        let query = SQLQueryString(head) + list + ") RETURNING id"
        guard let id = try await sql.raw(query).first(decodingColumn: "id", as: Int64.self) else {
            throw StorageError(code: "storage.insert_failed", message: "写入\(table)失败：数据库未返回新记录编号")
        }
        return id
    }

    private func updateRow(table: String, columns: [String], values: [any SQLExpression], id: Int64) async throws {
        let head: String = "UPDATE \(table) SET "
        var q = SQLQueryString(head)
        var first = true
        for (column, value) in zip(columns.dropFirst(), values.dropFirst()) {
            let assignment: String = (first ? "" : ", ") + column + " = "
            let bound: SQLQueryString = "\(value)"
            q += SQLQueryString(assignment) + bound
            first = false
        }
        q += " WHERE id = \(bind: id)"
        try await sql.raw(q).run()
    }

    func audit<T: Encodable>(_ action: AuditEntry.Action, entity: String, id: Int64, before: T?, after: T?) async throws {
        var beforeText: String?
        if let before { beforeText = try Self.json(before) }
        var afterText: String?
        if let after { afterText = try Self.json(after) }
        try await sql.insert(into: "audit_log")
            .columns("at", "actor", "action", "entity", "entity_id", "before_json", "after_json")
            .values(SQLBind(Timestamp.now()), SQLBind(user.login), SQLBind(action.rawValue), SQLBind(entity),
                    SQLBind(String(id)), Column.text(beforeText), Column.text(afterText))
            .run()
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Maps a uniqueness violation to a clear duplicate error; other errors pass through.
    private func guardingDuplicates<T>(kind: String, key: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            let text = String(reflecting: error).lowercased()
            if text.contains("unique") || text.contains("duplicate key") || text.contains("23505") {
                throw RegistryError.duplicate(kind: kind, key: key)
            }
            throw error
        }
    }

    /// Inserts a new row (the store assigns the id), then its audit line, in the open transaction.
    private func insertAudited<T: Encodable>(
        entity: String, table: String, columns: [String], values: [any SQLExpression],
        duplicateKind: String, duplicateKey: String, withID: (Int64) -> T
    ) async throws -> T {
        let id = try await guardingDuplicates(kind: duplicateKind, key: duplicateKey) {
            try await insertRow(table: table, columns: columns, values: values)
        }
        let saved = withID(id)
        try await audit(.insert, entity: entity, id: id, before: T?.none, after: saved)
        return saved
    }

    /// Updates a row found by id (refusing an unknown one), then writes its audit line with
    /// the row as it was and as it is now.
    private func updateAudited<T: Encodable>(
        _ value: T, id: Int64, before: T?, notFound: RegistryError, entity: String, table: String, columns: [String],
        values: [any SQLExpression], duplicateKind: String, duplicateKey: String
    ) async throws {
        guard let before else { throw notFound }
        try await guardingDuplicates(kind: duplicateKind, key: duplicateKey) {
            try await updateRow(table: table, columns: columns, values: values, id: id)
        }
        try await audit(.update, entity: entity, id: id, before: before, after: value)
    }

    func insert(_ district: District) async throws -> District {
        try await insertAudited(entity: "district", table: Tables.Districts.name, columns: Tables.Districts.columns,
                                values: Tables.Districts.values(district), duplicateKind: "区县", duplicateKey: district.code) {
            var d = district; d.id = DistrictID($0); return d
        }
    }

    func insert(_ township: Township) async throws -> Township {
        try await insertAudited(entity: "township", table: Tables.Townships.name, columns: Tables.Townships.columns,
                                values: Tables.Townships.values(township), duplicateKind: "乡镇", duplicateKey: township.code) {
            var t = township; t.id = TownshipID($0); return t
        }
    }

    func insert(_ zone: SchoolZone) async throws -> SchoolZone {
        try await insertAudited(entity: "school_zone", table: Tables.Zones.name, columns: Tables.Zones.columns,
                                values: Tables.Zones.values(zone), duplicateKind: "学区", duplicateKey: zone.name) {
            var z = zone; z.id = SchoolZoneID($0); return z
        }
    }

    func insert(_ school: School) async throws -> School {
        try await insertAudited(entity: "school", table: Tables.Schools.name, columns: Tables.Schools.columns,
                                values: Tables.Schools.values(school), duplicateKind: "学校标识码", duplicateKey: school.code) {
            var s = school; s.id = SchoolID($0); return s
        }
    }

    func update(_ school: School) async throws {
        try await updateAudited(school, id: school.id.rawValue, before: try await reads.school(id: school.id),
                                notFound: .notFound(kind: "学校", key: school.code), entity: "school",
                                table: Tables.Schools.name, columns: Tables.Schools.columns,
                                values: Tables.Schools.values(school), duplicateKind: "学校标识码", duplicateKey: school.code)
    }

    func insert(_ schoolClass: SchoolClass) async throws -> SchoolClass {
        try await insertAudited(entity: "class", table: Tables.Classes.name, columns: Tables.Classes.columns,
                                values: Tables.Classes.values(schoolClass), duplicateKind: "班级", duplicateKey: "\(schoolClass.schoolYear.name)\(schoolClass.name)") {
            var r = schoolClass; r.id = ClassID($0); return r
        }
    }

    func update(_ schoolClass: SchoolClass) async throws {
        try await updateAudited(schoolClass, id: schoolClass.id.rawValue, before: try await reads.schoolClass(id: schoolClass.id),
                                notFound: .notFound(kind: "班级", key: schoolClass.name), entity: "class",
                                table: Tables.Classes.name, columns: Tables.Classes.columns,
                                values: Tables.Classes.values(schoolClass), duplicateKind: "班级",
                                duplicateKey: "\(schoolClass.schoolYear.name)\(schoolClass.name)")
    }

    func insert(_ student: Student) async throws -> Student {
        try await insertAudited(entity: "student", table: Tables.Students.name, columns: Tables.Students.columns,
                                values: Tables.Students.values(student), duplicateKind: "学籍号或身份证号", duplicateKey: student.residentID?.value ?? student.studentNumber) {
            var r = student; r.id = StudentID($0); return r
        }
    }

    func update(_ student: Student) async throws {
        try await updateAudited(student, id: student.id.rawValue, before: try await reads.student(id: student.id),
                                notFound: .notFound(kind: "学生", key: student.studentNumber), entity: "student",
                                table: Tables.Students.name, columns: Tables.Students.columns,
                                values: Tables.Students.values(student), duplicateKind: "学籍号或身份证号",
                                duplicateKey: student.residentID?.value ?? student.studentNumber)
    }

    func insert(_ enrolment: Enrolment) async throws -> Enrolment {
        try await insertAudited(entity: "enrolment", table: Tables.Enrolments.name, columns: Tables.Enrolments.columns,
                                values: Tables.Enrolments.values(enrolment), duplicateKind: "学籍记录", duplicateKey: String(enrolment.studentID.rawValue)) {
            var r = enrolment; r.id = EnrolmentID($0); return r
        }
    }

    func update(_ enrolment: Enrolment) async throws {
        let rows = try await sql.raw(SQLQueryString("SELECT " + Tables.Enrolments.columns.joined(separator: ", "))
            + " FROM enrolments WHERE id = \(bind: enrolment.id.rawValue)").all()
        guard let row = rows.first else { throw RegistryError.notFound(kind: "学籍记录", key: enrolment.id.description) }
        let before = try Tables.Enrolments.decode(RowReader(row: row, table: "enrolments"))
        try await updateRow(table: Tables.Enrolments.name, columns: Tables.Enrolments.columns,
                            values: Tables.Enrolments.values(enrolment), id: enrolment.id.rawValue)
        try await audit(.update, entity: "enrolment", id: enrolment.id.rawValue, before: before, after: enrolment)
    }

    func insert(_ staff: StaffMember) async throws -> StaffMember {
        try await insertAudited(entity: "staff", table: Tables.Staff.name, columns: Tables.Staff.columns,
                                values: Tables.Staff.values(staff), duplicateKind: "教职工号或身份证号", duplicateKey: staff.residentID?.value ?? staff.staffNumber) {
            var r = staff; r.id = StaffID($0); return r
        }
    }

    func update(_ staff: StaffMember) async throws {
        try await updateAudited(staff, id: staff.id.rawValue, before: try await reads.staffMember(id: staff.id),
                                notFound: .notFound(kind: "教职工", key: staff.staffNumber), entity: "staff",
                                table: Tables.Staff.name, columns: Tables.Staff.columns, values: Tables.Staff.values(staff),
                                duplicateKind: "教职工号或身份证号", duplicateKey: staff.residentID?.value ?? staff.staffNumber)
    }

    // MARK: bulk

    /// Multi-row INSERTs of records whose ids are set, then one summary audit line.
    func bulkInsert(_ batch: RegistryBatch) async throws {
        try await insertMany(Tables.Districts.name, Tables.Districts.columns, batch.districts.map(Tables.Districts.values))
        try await insertMany(Tables.Townships.name, Tables.Townships.columns, batch.townships.map(Tables.Townships.values))
        try await insertMany(Tables.Zones.name, Tables.Zones.columns, batch.zones.map(Tables.Zones.values))
        try await insertMany(Tables.Schools.name, Tables.Schools.columns, batch.schools.map(Tables.Schools.values))
        try await insertMany(Tables.Staff.name, Tables.Staff.columns, batch.staff.map(Tables.Staff.values))
        try await insertMany(Tables.Classes.name, Tables.Classes.columns, batch.classes.map(Tables.Classes.values))
        try await insertMany(Tables.Students.name, Tables.Students.columns, batch.students.map(Tables.Students.values))
        try await insertMany(Tables.Enrolments.name, Tables.Enrolments.columns, batch.enrolments.map(Tables.Enrolments.values))
        if flavor == .postgres {
            // Explicit ids bypass the identity sequences; move them past the highest id.
            for table in Migrations.identityTables where table != "audit_log" {
                let statement: String =
                    "SELECT setval(pg_get_serial_sequence('\(table)', 'id'), COALESCE((SELECT MAX(id) FROM \(table)), 0) + 1, false)"
                try await sql.raw(SQLQueryString(statement)).run()
            }
        }
        let summary = [
            "districts": batch.districts.count, "townships": batch.townships.count, "zones": batch.zones.count,
            "schools": batch.schools.count, "staff": batch.staff.count, "classes": batch.classes.count,
            "students": batch.students.count, "enrolments": batch.enrolments.count,
        ]
        try await audit(.bulkLoad, entity: "batch", id: 0, before: [String: Int]?.none, after: summary)
    }

    private func insertMany(_ table: String, _ columns: [String], _ rows: [[any SQLExpression]]) async throws {
        guard !rows.isEmpty else { return }
        // Stay under SQLite's 32 766 bound-parameter limit and PostgreSQL's 65 535.
        let perStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            var builder = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { builder = builder.values(row) }
            try await builder.run()
            start = end
        }
    }

    // MARK: reads inside the transaction

    func district() async throws -> District? { try await reads.district() }
    func townships() async throws -> [Township] { try await reads.townships() }
    func schoolZones() async throws -> [SchoolZone] { try await reads.schoolZones() }
    func schools(_ filter: SchoolFilter) async throws -> [School] { try await reads.schools(filter) }
    func school(id: SchoolID) async throws -> School? { try await reads.school(id: id) }
    func school(code: String) async throws -> School? { try await reads.school(code: code) }
    func classes(schoolID: SchoolID, year: SchoolYear) async throws -> [SchoolClass] {
        try await reads.classes(schoolID: schoolID, year: year)
    }
    func schoolClass(id: ClassID) async throws -> SchoolClass? { try await reads.schoolClass(id: id) }
    func students(_ query: StudentQuery) async throws -> Page<StudentRow> { try await reads.students(query) }
    func student(id: StudentID) async throws -> Student? { try await reads.student(id: id) }
    func student(number: String) async throws -> Student? { try await reads.student(number: number) }
    func enrolments(studentID: StudentID) async throws -> [Enrolment] { try await reads.enrolments(studentID: studentID) }
    func enrolmentHistory(studentID: StudentID) async throws -> [EnrolmentListing] {
        try await reads.enrolmentHistory(studentID: studentID)
    }
    func enrolments(startingAt schoolID: SchoolID, after date: CivilDate, limit: Int) async throws -> [Enrolment] {
        try await reads.enrolments(startingAt: schoolID, after: date, limit: limit)
    }
    func staff(_ query: StaffQuery) async throws -> Page<StaffMember> { try await reads.staff(query) }
    func staffMember(id: StaffID) async throws -> StaffMember? { try await reads.staffMember(id: id) }
    func staffMember(number: String) async throws -> StaffMember? { try await reads.staffMember(number: number) }
    func counts(on date: CivilDate) async throws -> RegistryCounts { try await reads.counts(on: date) }
    func auditEntries(entity: String?, actor: String?, offset: Int, limit: Int) async throws -> Page<AuditEntry> {
        try await reads.auditEntries(entity: entity, actor: actor, offset: offset, limit: limit)
    }
}
