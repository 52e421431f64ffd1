import EduLedgerCore
import Foundation
import SQLKit

/// The reference dates a snapshot's enrolment periods and staff must touch (ISO text).
struct FactWindow: Sendable {
    let start: String
    let end: String
}

/// Reads the snapshot's two big tables — enrolment periods and students — each in one pass.
///
/// SQLite: a plain SELECT over the table (no index: the window covers nearly every row, and an
/// index walk would look each row up again), read in place by `SQLiteScan`. PostgreSQL: the rows
/// come back packed as text, a few thousand rows per value (`string_agg` per block of ids), so
/// the driver hands over a few hundred values instead of millions of rows, and memory stays
/// bounded at city scale.
struct BigFactReads: Sendable {
    let database: Database
    let window: FactWindow

    static let enrolmentColumns = ["id", "student_id", "school_id", "grade", "class_id", "from_date", "until_date", "entry",
                                   "exit_reason"]
    static let studentColumns = ["id", "gender", "birth_date", "hukou_township_id", "left_behind", "migrant_worker_child",
                                 "disability", "inclusive_class", "poverty", "boarding"]
    /// The columns of the two lists that may be NULL (the schema's; the others are NOT NULL).
    /// PostgreSQL's `concat_ws` skips a NULL, so these are packed as `coalesce(…, '')`; a
    /// column missing here that held a NULL would shift the fields and fail the row's decoding.
    static let nullableColumns: Set<String> = ["class_id", "until_date", "exit_reason", "hukou_township_id", "disability",
                                               "poverty", "school_id", "left_date", "head_teacher_id"]
    static let staffColumns = ["id", "school_id", "post", "qualification", "backbone", "subjects", "hired", "left_date"]
    static let classColumns = ["id", "school_id", "school_year", "grade", "number", "head_teacher_id"]

    private static let grades = ByteLookup<GradeLevel>()
    private static let entries = ByteLookup<EntryReason>()
    private static let exits = ByteLookup<ExitReason>()
    private static let genders = ByteLookup<Gender>()
    private static let disabilities = ByteLookup<DisabilityType>()
    private static let poverty = ByteLookup<PovertyStatus>()
    private static let posts = ByteLookup<StaffPost>()
    private static let qualifications = ByteLookup<Qualification>()

    private var scan: SQLiteScan? { SQLiteScan(database) }

    /// Enrolment periods touching the window, by id.
    func enrolments() async throws -> [Enrolment] {
        var out: [Enrolment]
        if let scan {
            out = []
            try scan.rows("SELECT " + Self.enrolmentColumns.joined(separator: ", ") + " FROM enrolments NOT INDEXED"
                          + " WHERE from_date <= ?1 AND (until_date IS NULL OR until_date > ?2) ORDER BY id",
                          binds: [window.end, window.start]) { row in out.append(try Self.enrolment(row)) }
        } else {
            out = try await packed(table: "enrolments", Self.enrolmentColumns, filter: .period(from: "from_date", until: "until_date"), id: { $0.id.rawValue }, Self.enrolment)
        }
        if !Self.isSorted(out, by: \.id.rawValue) { out.sort { $0.id < $1.id } }
        return out
    }

    /// Every student, by id (`enrolled(_:in:)` keeps those with a period in the window).
    func students() async throws -> [StudentFact] {
        var out: [StudentFact]
        if let scan {
            out = []
            try scan.rows("SELECT " + Self.studentColumns.joined(separator: ", ") + " FROM students ORDER BY id") { row in
                out.append(try Self.student(row))
            }
        } else {
            out = try await packed(table: "students", Self.studentColumns, filter: .none, id: { $0.id.rawValue }, Self.student)
        }
        if !Self.isSorted(out, by: \.id.rawValue) { out.sort { $0.id < $1.id } }
        return out
    }

    /// Staff employed at some time in the window, by id — PostgreSQL only, packed like the big
    /// tables (`nil` on SQLite, whose driver reads the 2 000 rows of a district fast enough).
    /// Why: 80 000 rows at city scale decoded cell by cell through the driver cost a second.
    func staff() async throws -> [StaffFact]? {
        guard database.flavor == .postgres else { return nil }
        return try await packed(table: "staff", Self.staffColumns, filter: .period(from: "hired", until: "left_date"),
                                id: { $0.id.rawValue }, Self.staffMember)
    }

    /// The classes of the school years, by id — PostgreSQL only, as `staff()`.
    func classes(schoolYears: ClosedRange<Int>) async throws -> [SchoolClass]? {
        guard database.flavor == .postgres else { return nil }
        return try await packed(table: "classes", Self.classColumns, filter: .schoolYears(schoolYears), id: { $0.id.rawValue },
                                Self.schoolClass)
    }

    /// The students with at least one of the enrolment periods (both lists sorted by id).
    func enrolled(_ students: [StudentFact], in enrolments: [Enrolment]) -> [StudentFact] {
        guard let lo = students.first?.id.rawValue, let hi = students.last?.id.rawValue else { return [] }
        // Dense ids (the usual case): mark the enrolled ones in a table, no sort of 5 M ids.
        if hi >= lo, hi - lo < Int64(4 * students.count + 65_536) {
            var marked = [Bool](repeating: false, count: Int(hi - lo) + 1)
            for e in enrolments {
                let k = e.studentID.rawValue &- lo
                if k >= 0 && k < Int64(marked.count) { marked[Int(k)] = true }
            }
            return students.filter { marked[Int($0.id.rawValue - lo)] }
        }
        var ids = enrolments.map(\.studentID.rawValue)
        ids.sort()
        var out: [StudentFact] = []
        out.reserveCapacity(students.count)
        var k = 0
        for s in students {
            let id = s.id.rawValue
            while k < ids.count && ids[k] < id { k += 1 }
            if k < ids.count && ids[k] == id { out.append(s) }
        }
        return out
    }

    private static func isSorted<T>(_ rows: [T], by key: (T) -> Int64) -> Bool {
        var last = Int64.min
        for r in rows {
            let k = key(r)
            if k < last { return false }
            last = k
        }
        return true
    }

    // MARK: Rows

    private static func enrolment<R: FactRow>(_ r: R) throws -> Enrolment {
        func bad(_ i: Int32) -> RowDecodingError { r.error(table: "enrolments", column: enrolmentColumns[Int(i)], i) }
        guard let id = r.int64(0) else { throw bad(0) }
        guard let student = r.int64(1) else { throw bad(1) }
        guard let school = r.int64(2) else { throw bad(2) }
        guard let grade = r.text(3).flatMap(grades.value) else { throw bad(3) }
        var classID: ClassID?
        if r.text(4) != nil {
            guard let c = r.int64(4) else { throw bad(4) }
            classID = ClassID(c)
        }
        guard let from = r.text(5).flatMap(FactBytes.date) else { throw bad(5) }
        var until: CivilDate?
        if let u = r.text(6) {
            guard let d = FactBytes.date(u) else { throw bad(6) }
            until = d
        }
        guard let entry = r.text(7).flatMap(entries.value) else { throw bad(7) }
        var exit: ExitReason?
        if let x = r.text(8) {
            guard let e = exits.value(x) else { throw bad(8) }
            exit = e
        }
        return Enrolment(id: EnrolmentID(id), studentID: StudentID(student), schoolID: SchoolID(school), grade: grade,
                         classID: classID, from: from, until: until, entry: entry, exit: exit)
    }

    private static func student<R: FactRow>(_ r: R) throws -> StudentFact {
        func bad(_ i: Int32) -> RowDecodingError { r.error(table: "students", column: studentColumns[Int(i)], i) }
        guard let id = r.int64(0) else { throw bad(0) }
        guard let gender = r.text(1).flatMap(genders.value) else { throw bad(1) }
        guard let birth = r.text(2).flatMap(FactBytes.date) else { throw bad(2) }
        var hukou: TownshipID?
        if r.text(3) != nil {
            guard let t = r.int64(3) else { throw bad(3) }
            hukou = TownshipID(t)
        }
        var disability: DisabilityType?
        if let d = r.text(6) {
            guard let v = disabilities.value(d) else { throw bad(6) }
            disability = v
        }
        var povertyStatus: PovertyStatus?
        if let p = r.text(8) {
            guard let v = poverty.value(p) else { throw bad(8) }
            povertyStatus = v
        }
        func flag(_ i: Int32) -> Bool { (r.int64(i) ?? 0) != 0 }
        return StudentFact(id: StudentID(id), gender: gender, birthDate: birth, hukouTownshipID: hukou,
                           flags: StudentFlags(leftBehind: flag(4), migrantWorkerChild: flag(5), disability: disability,
                                               inclusiveClass: flag(7), poverty: povertyStatus, boarding: flag(9)))
    }

    private static func staffMember<R: FactRow>(_ r: R) throws -> StaffFact {
        func bad(_ i: Int32) -> RowDecodingError { r.error(table: "staff", column: staffColumns[Int(i)], i) }
        guard let id = r.int64(0) else { throw bad(0) }
        var school: SchoolID?
        if r.text(1) != nil {
            guard let s = r.int64(1) else { throw bad(1) }
            school = SchoolID(s)
        }
        guard let post = r.text(2).flatMap(posts.value) else { throw bad(2) }
        guard let qualification = r.text(3).flatMap(qualifications.value) else { throw bad(3) }
        guard let backbone = r.int64(4) else { throw bad(4) }
        guard let subjects = r.text(5).flatMap(FactBytes.stringList) else { throw bad(5) }
        guard let hired = r.text(6).flatMap(FactBytes.date) else { throw bad(6) }
        var left: CivilDate?
        if let l = r.text(7) {
            guard let d = FactBytes.date(l) else { throw bad(7) }
            left = d
        }
        return StaffFact(id: StaffID(id), schoolID: school, post: post, qualification: qualification, backbone: backbone != 0,
                         subjects: subjects, hired: hired, left: left)
    }

    private static func schoolClass<R: FactRow>(_ r: R) throws -> SchoolClass {
        func bad(_ i: Int32) -> RowDecodingError { r.error(table: "classes", column: classColumns[Int(i)], i) }
        guard let id = r.int64(0) else { throw bad(0) }
        guard let school = r.int64(1) else { throw bad(1) }
        guard let year = r.int64(2), let startYear = Int(exactly: year) else { throw bad(2) }
        guard let grade = r.text(3).flatMap(grades.value) else { throw bad(3) }
        guard let number = r.int64(4), let n = Int(exactly: number) else { throw bad(4) }
        var head: StaffID?
        if r.text(5) != nil {
            guard let h = r.int64(5) else { throw bad(5) }
            head = StaffID(h)
        }
        return SchoolClass(id: ClassID(id), schoolID: SchoolID(school), schoolYear: SchoolYear(startYear), grade: grade,
                           number: n, headTeacherID: head)
    }

    // MARK: Packed text (PostgreSQL, and SQLite without a file)

    /// Which rows of a block are read: all, those of a period touching the window (the columns
    /// of its first day and of the day after its last), or those of some school years.
    enum PackedFilter: Sendable {
        case none
        case period(from: String, until: String)
        case schoolYears(ClosedRange<Int>)
    }

    /// Rows per packed value: large enough that the driver's per-row cost vanishes, small
    /// enough that one value stays a few megabytes.
    static let rowsPerBlock: Int64 = 32_768
    /// Blocks read at the same time (PostgreSQL pool connections; the server formats the text).
    static let blocksInFlight = 4

    /// `SELECT` of `columns`, one text per block of ids (fields joined by U+001F, NULL as
    /// empty, rows joined by U+001E). Each block is a range of the primary key, so the server
    /// reads it by index and aggregates without sorting or spilling the whole table; the blocks
    /// are parsed as they arrive and joined in id order.
    private func packed<T: Sendable>(table: String, _ columns: [String], filter: PackedFilter, id: @escaping @Sendable (T) -> Int64,
                                     _ decode: @escaping @Sendable (PackedRow) throws -> T) async throws -> [T] {
        let sql = database.reader
        guard let bounds = try await sql.raw(SQLQueryString("SELECT MIN(id) AS lo, MAX(id) AS hi FROM " + table)).first(),
              let lo = try bounds.decode(column: "lo", as: Int64?.self),
              let hi = try bounds.decode(column: "hi", as: Int64?.self) else { return [] }
        let starts: [Int64] = Array(stride(from: lo, through: hi, by: Int64.Stride(Self.rowsPerBlock)))
        var blocks = [[T]](repeating: [], count: starts.count)
        try await withThrowingTaskGroup(of: (Int, [T]).self) { group in
            var next = 0
            while next < min(Self.blocksInFlight, starts.count) {
                let k = next
                group.addTask { (k, try await self.block(table, columns, from: starts[k], filter: filter, decode)) }
                next += 1
            }
            while let (k, rows) = try await group.next() {
                blocks[k] = rows
                // A block comes in the key's order unless the server chose to read it otherwise;
                // sorted here, a block at a time, the blocks joined in order are in id order.
                if !Self.isSorted(rows, by: id) { blocks[k].sort { id($0) < id($1) } }
                if next < starts.count {
                    let k = next
                    group.addTask { (k, try await self.block(table, columns, from: starts[k], filter: filter, decode)) }
                    next += 1
                }
            }
        }
        // Joined into one array of the final size (no regrowth), each block freed once copied.
        var out: [T] = []
        out.reserveCapacity(blocks.reduce(0) { $0 + $1.count })
        for k in blocks.indices {
            out.append(contentsOf: blocks[k])
            blocks[k] = []
        }
        return out
    }

    private func block<T>(_ table: String, _ columns: [String], from start: Int64, filter: PackedFilter,
                          _ decode: (PackedRow) throws -> T) async throws -> [T] {
        let sqlite = database.flavor == .sqlite
        // PostgreSQL: `concat_ws` formats the numbers itself, at about half the server's time
        // of casting and `||`-joining each field; the rows come in the primary key's order
        // without an ORDER BY (no sort per block; checked after).
        let packedRow = sqlite
            ? columns.map { "COALESCE(CAST(\($0) AS TEXT), '')" }.joined(separator: " || char(31) || ")
            : "concat_ws(chr(31), " + columns.map { Self.nullableColumns.contains($0) ? "coalesce(\($0)::text, '')" : $0 }
                .joined(separator: ", ") + ")"
        let aggregate = sqlite ? "group_concat(packed, char(30))" : "string_agg(packed, chr(30))"
        var query = SQLQueryString("SELECT " + aggregate + " AS packed FROM (SELECT id, " + packedRow + " AS packed FROM " + table)
            + " WHERE id >= \(bind: start) AND id < \(bind: start + Self.rowsPerBlock)"
        switch filter {
        case .none: break
        case .period(let from, let until):
            // ISO dates compare the same byte by byte: on PostgreSQL without the database's
            // collation rules (strcoll per row under a zh_CN or C.UTF-8 locale).
            let c = SQLQueryString(sqlite ? "" : " COLLATE \"C\"")
            query = query + " AND " + SQLQueryString(from) + " <= \(bind: window.end)" + c + " AND (" + SQLQueryString(until)
                + " IS NULL OR " + SQLQueryString(until) + " > \(bind: window.start)" + c + ")"
        case .schoolYears(let years):
            query = query + " AND school_year BETWEEN \(bind: years.lowerBound) AND \(bind: years.upperBound)"
        }
        query = query + (sqlite ? " ORDER BY id" : "") + ") AS rows"
        guard let row = try await database.reader.raw(query).first() else { return [] }
        if sqlite {
            guard var text = try row.decode(column: "packed", as: String?.self) else { return [] }
            return try text.withUTF8 { try PackedRow.rows(in: $0, table: table, columns: columns, decode) }
        }
        // The text's bytes as they came (no UTF-8 check nor copy into a String: the fields are
        // parsed from bytes and only the enumerations' fixed names are compared).
        guard let bytes = try row.decode(column: "packed", as: Data?.self) else { return [] }
        return try bytes.withUnsafeBytes { raw in
            try PackedRow.rows(in: raw.bindMemory(to: UInt8.self), table: table, columns: columns, capacity: Int(Self.rowsPerBlock),
                               decode)
        }
    }
}

/// One row's values, as the decoders above read them: `nil` for NULL (and for empty text).
protocol FactRow {
    func int64(_ i: Int32) -> Int64?
    func text(_ i: Int32) -> FactBytes.Field?
}

extension FactRow {
    func error(table: String, column: String, _ i: Int32) -> RowDecodingError {
        RowDecodingError(table: table, column: column, value: text(i).map(FactBytes.text) ?? "NULL")
    }
}

/// A row of a packed value: its fields as byte ranges of the value's text.
struct PackedRow: FactRow {
    let bytes: UnsafeBufferPointer<UInt8>
    /// `starts[i]` … `starts[i + 1] − 1` is field i.
    let starts: UnsafeMutableBufferPointer<Int>

    func text(_ i: Int32) -> FactBytes.Field? {
        let lo = starts[Int(i)], hi = starts[Int(i) + 1] - 1
        guard hi > lo, let base = bytes.baseAddress else { return nil }
        return UnsafeBufferPointer(start: base + lo, count: hi - lo)
    }

    func int64(_ i: Int32) -> Int64? { text(i).flatMap(FactBytes.int64) }

    /// Splits `bytes` into rows (U+001E) and fields (U+001F) and decodes each row.
    static func rows<T>(in bytes: UnsafeBufferPointer<UInt8>, table: String, columns: [String], capacity: Int = 0,
                        _ decode: (PackedRow) throws -> T) throws -> [T] {
        let count = columns.count
        var out: [T] = []
        out.reserveCapacity(capacity)
        let starts = UnsafeMutableBufferPointer<Int>.allocate(capacity: count + 1)
        defer { starts.deallocate() }
        var field = 0
        starts[0] = 0
        func finish(_ end: Int) throws {
            guard field == count - 1 else {
                let from = starts[0]
                throw RowDecodingError(table: table, column: "packed",
                                       value: String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<min(end, from + 60)]),
                                                     as: UTF8.self))
            }
            starts[count] = end + 1
            out.append(try decode(PackedRow(bytes: bytes, starts: starts)))
            field = 0
            starts[0] = end + 1
        }
        var k = 0
        while k < bytes.count {
            switch bytes[k] {
            case 0x1F:
                field += 1
                if field < count { starts[field] = k + 1 }
            case 0x1E:
                try finish(k)
            default: break
            }
            k += 1
        }
        if !bytes.isEmpty { try finish(bytes.count) }
        return out
    }
}
