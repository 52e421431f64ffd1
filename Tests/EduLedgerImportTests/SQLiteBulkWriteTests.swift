import EduLedgerTestSupport
import Foundation
import SQLKit
import Testing
@testable import EduLedgerCore
@testable import EduLedgerImport
@testable import EduLedgerStorage

/// The SQLite write path of large imports (prepared statements on the transaction's own
/// connection) and the fast paths of validation give exactly what the general paths give.
@Suite("导入：SQLite 快速写入与快速校验")
struct SQLiteBulkWriteTests {
    @Test("the import's transaction on SQLite reaches its connection's handle, and it is inside the transaction")
    func handleIsFound() async throws {
        try await TestDatabases.withFreshDatabase(.sqlite) { location in
            let db = try await Database.open(location)
            do {
                let found = try await db.transaction { sql -> Bool in
                    guard let handle = SQLiteRawHandle(sql) else { return false }
                    return handle.inTransaction
                }
                #expect(found, "without the handle every import silently takes the slower SQLKit path")
                #expect(SQLiteRawHandle(db.reader) == nil, "the read connections are spread over several: no single handle")
                try await db.close()
            } catch {
                try? await db.close()
                throw error
            }
        }
    }

    /// Students and enrolments with every optional field both set and empty.
    /// `count` rows (more than two statements' worth by default, with a shorter last one); `gap` leaves
    /// one id out, so the ids are not consecutive and the rows must go one by one with their ids.
    static func records(_ district: SmallDistrict, after base: RegistryHighestIDs, count: Int = 2 * SQLiteBulkInsert.rowsPerStatement + 22,
                        gap: Bool = false) -> ([Student], [Enrolment]) {
        var students: [Student] = []
        var enrolments: [Enrolment] = []
        for n in 1...count where !(gap && n == count / 2) {
            let birth = CivilDate(year: 2018, month: 9, day: 1)!.adding(days: n)
            var s = SmallDistrict.student(name: n % 7 == 0 ? "O'Brien·阿依古丽\(n)" : "学生\(n)", birth: birth, sequence: 300 + n)
            s.id = StudentID(base.students + Int64(n))
            if n % 5 == 0 { s.residentID = nil; s.studentNumber = "L2025\(n)" }
            // An empty text must stay text (''), not become NULL, on the in-place binding.
            s.ethnicity = n % 11 == 0 ? "" : n % 3 == 0 ? "回族" : "汉族"
            s.hukouType = n % 2 == 0 ? .agricultural : .resident
            s.hukouTownshipID = n % 4 == 0 ? district.primary.townshipID : nil
            s.flags = StudentFlags(leftBehind: n % 2 == 0, migrantWorkerChild: n % 3 == 0,
                                   disability: n % 6 == 0 ? DisabilityType.allCases.first : nil, inclusiveClass: n % 6 == 0,
                                   poverty: n % 8 == 0 ? PovertyStatus.allCases.last : nil, boarding: n % 5 == 1)
            students.append(s)
            let until: CivilDate? = n % 9 == 0 ? CivilDate(year: 2026, month: 1, day: 15) : nil
            enrolments.append(Enrolment(
                id: EnrolmentID(base.enrolments + Int64(n)), studentID: s.id, schoolID: district.primary.id, grade: .p1,
                classID: n % 2 == 0 ? district.primaryClass.id : nil, from: SmallDistrict.day, until: until,
                entry: n % 4 == 0 ? .transferIn : .intake, exit: until == nil ? nil : ExitReason.allCases.first))
        }
        return (students, enrolments)
    }

    /// A fresh SQLite database with the small district, its highest ids before `body` writes.
    static func withSmallDistrict(_ body: (Database, SmallDistrict, RegistryHighestIDs) async throws -> Void) async throws {
        try await TestDatabases.withFreshDatabase(.sqlite) { location in
            let db = try await Database.open(location)
            do {
                let store = SQLRegistryStore(database: db)
                let district = try await SmallDistrict.make(in: store)
                try await body(db, district, try await store.highestIDs())
                try await db.close()
            } catch {
                try? await db.close()
                throw error
            }
        }
    }

    /// Every stored value with its storage class (`quote` writes integers bare, text quoted, NULL as NULL).
    static func stored(_ db: Database, _ table: String, _ columns: [String], after id: Int64) async throws -> [String] {
        let row = columns.map { "quote(\($0))" }.joined(separator: " || '|' || ")
        return try await db.reader.raw(SQLQueryString(text: "SELECT \(row) AS r FROM \(table) WHERE id > \(id) ORDER BY id"))
            .all(decodingColumn: "r", as: String.self)
    }

    @Test("prepared INSERTs store the same values, with the same storage classes, as the SQLKit multi-row INSERTs",
          arguments: [false, true])
    func sameRowsAsSQLKit(gap: Bool) async throws {
        var tables: [[String]] = []
        for fast in [true, false] {
            try await Self.withSmallDistrict { db, district, base in
                let (students, enrolments) = Self.records(district, after: base, gap: gap)
                try await db.transaction { sql in
                    if fast {
                        let handle = try #require(SQLiteRawHandle(sql))
                        // Appended with ids from SQLite when they are consecutive, else one row at a time.
                        #expect(try SQLiteBulkInsert.appends("students", students, \.id.rawValue, handle) == !gap)
                        try await SQLiteBulkInsert.insert(students: students, enrolments: enrolments, handle: handle)
                    } else {
                        try await BulkRows.insert(into: sql, Tables.Students.name, Tables.Students.columns, students, BulkRows.student)
                        try await BulkRows.insert(into: sql, Tables.Enrolments.name, Tables.Enrolments.columns, enrolments,
                                                  BulkRows.enrolment)
                    }
                }
                let written = try await Self.stored(db, "students", Tables.Students.columns, after: base.students)
                    + Self.stored(db, "enrolments", Tables.Enrolments.columns, after: base.enrolments)
                #expect(written.count == 2 * students.count && students.count == (gap ? 149 : 150))
                tables.append(written)
            }
        }
        #expect(tables.count == 2 && tables[0] == tables[1])
        #expect(tables.first?.contains { $0.contains("'O''Brien·阿依古丽7'") } == true)
        #expect(tables.first?.contains { $0.contains("|''|") } == true)
    }

    @Test("rows are appended with SQLite's ids only when those are the ids the importer chose")
    func appendOnlyAfterTheHighestID() async throws {
        try await Self.withSmallDistrict { db, district, base in
            let (students, _) = Self.records(district, after: base, count: 10)
            let later = students.map { s -> Student in
                var moved = s
                moved.id = StudentID(s.id.rawValue + 1)
                return moved
            }
            try await db.transaction { sql in
                let handle = try #require(SQLiteRawHandle(sql))
                #expect(try SQLiteBulkInsert.appends("students", students, \.id.rawValue, handle))
                // The highest id is not the one before the first (rows retracted at the end, say).
                #expect(try !SQLiteBulkInsert.appends("students", later, \.id.rawValue, handle))
                #expect(try !SQLiteBulkInsert.appends("students", Array(students.reversed()), \.id.rawValue, handle))
            }
        }
    }

    @Test("a failing row inside the prepared path fails the import and leaves the database as it was")
    func failureRollsBack() async throws {
        try await withDistrict { store, district, _ in
            let before = try await fingerprint(store)
            let base = try await store.highestIDs()
            let (records, enrolments) = Self.records(district, after: base)
            var students = records
            students[30].residentID = students[3].residentID  // 身份证号 is UNIQUE in the table
            let stored = students
            let pending = enrolments
            await #expect(throws: StorageError.self) {
                try await store.write(by: .commandLine) { tx in
                    guard let bulk = tx as? any RegistryBulkSupport else { return }
                    try await bulk.insertStudentChunk(students: stored, enrolments: pending)
                }
            }
            #expect(try await fingerprint(store) == before)
        }
    }

    @Test("the byte checks of the trim answer as the scalar check: every blank of either end is still trimmed")
    func trimFastPath() {
        let blanks: [Unicode.Scalar] = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{1680}", "\u{2000}",
                                        "\u{2005}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}"]
        for blank in blanks {
            let b = String(Character(blank))
            #expect(CellParsing.trim(b + "张三") == "张三", "leading U+\(String(blank.value, radix: 16))")
            #expect(CellParsing.trim("张三" + b) == "张三", "trailing U+\(String(blank.value, radix: 16))")
            #expect(CellParsing.trim(b + "12" + b) == "12")
        }
        // Characters whose UTF-8 shares a first or last byte with a blank are kept.
        for kept in ["\u{2010}", "\u{3001}", "\u{FEFE}", "\u{1681}", "\u{C0}", "一"] {
            #expect(CellParsing.trim(kept + "x" + kept) == kept + "x" + kept)
        }
        #expect(CellParsing.classNumber("3") == 3 && CellParsing.classNumber("012") == 12 && CellParsing.classNumber("0") == nil)
        #expect(CellParsing.classNumber("1234") == nil && CellParsing.classNumber("(3)班") == 3 && CellParsing.classNumber(" 5 ") == 5)
    }

    @Test("RegistryRules' blank-name check answers as Foundation's trimming of .whitespaces, for every scalar up to U+FFFF")
    func blankNameMatchesFoundation() {
        var differing: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            if RegistryRules.isBlank(text) != text.trimmingCharacters(in: .whitespaces).isEmpty {
                differing.append("U+" + String(value, radix: 16))
            }
        }
        #expect(differing.isEmpty)
        #expect(RegistryRules.isBlank("") && RegistryRules.isBlank(" \u{3000}\t") && !RegistryRules.isBlank(" 张 "))
    }
}
