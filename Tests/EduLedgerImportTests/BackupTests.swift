import EduLedgerCore
import EduLedgerDemo
import EduLedgerImport
import OfficeFormats
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Testing

@Suite("备份与恢复", .serialized)
struct BackupTests {
    /// The demo district plus audited changes (an import and an update), so every kind of row is present.
    static func fill(_ store: SQLRegistryStore, scratch: Scratch) async throws {
        let generator = DemoGenerator(seed: 7, scale: .district)
        _ = try await store.write(by: ActingUser(login: "system:demo", displayName: "演示")) { tx in
            try await generator.generate(into: { batch in try await tx.bulkInsert(batch) }, progress: { _, _ in })
        }
        let school = try #require(try await store.schools(SchoolFilter(type: .primary)).first)
        var student = try #require(try await store.students(StudentQuery(date: CivilDate(year: 2025, month: 9, day: 1)!,
                                                                         schoolIDs: [school.id], limit: 1)).items.first).student
        student.name += "（改）"
        student.ethnicity = "回族\"引号\\"
        let changed = student
        try await store.write(by: .commandLine) { tx in try await tx.update(changed) }
    }

    @Test("backup → restore into an empty database → backup gives identical tables", arguments: TestBackend.available)
    func roundTrip(backend: TestBackend) async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = scratch.url("district.eduledger")
        let original = try await TestDatabases.withStore(backend) { store in
            try await Self.fill(store, scratch: scratch)
            return try await DatabaseBackup.write(store.database, to: file)
        }
        #expect(original.tables.contains { $0.name == "audit_log" && $0.rows >= 2 })
        #expect(original.tables.contains { $0.name == "students" && $0.rows > 10_000 })
        #expect(original.tables.contains { $0.name == "accounts" })
        // Into the same kind of database, and from SQLite into PostgreSQL as well (a bureau moving up).
        for target in TestBackend.available where target == backend || backend == .sqlite {
            try await TestDatabases.withStore(target) { store in
                let restored = try await DatabaseBackup.restore(from: file, into: store.database)
                #expect(restored == original)
                let again = try await DatabaseBackup.write(store.database, to: scratch.url("again-\(target).eduledger"))
                #expect(again.tables.map(\.sha256) == original.tables.map(\.sha256), "restored into \(target)")
                // The restored database keeps working: a new record gets a fresh id after the restored ones.
                let s = SmallDistrict.student(name: "恢复后新生", birth: CivilDate(year: 2019, month: 2, day: 3)!, sequence: 77)
                let school = try #require(try await store.schools(SchoolFilter(type: .primary, openOn: SmallDistrict.day)).first)
                _ = try await RegistryService(store: store).admit(s, schoolCode: school.code, grade: .p1, classNumber: nil,
                                                                  from: SmallDistrict.day, entry: .intake, by: .commandLine)
                // A second restore is refused: the database is no longer empty.
                await #expect(throws: (any Error).self) { try await DatabaseBackup.restore(from: file, into: store.database) }
            }
        }
    }

    @Test("a damaged backup is refused before anything is written")
    func damaged() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = scratch.url("small.eduledger")
        try await TestDatabases.withStore(.sqlite) { store in
            _ = try await SmallDistrict.make(in: store)
            try await DatabaseBackup.write(store.database, to: file)
        }
        var bytes = try Data(contentsOf: file)
        try Data("not a zip".utf8).write(to: scratch.url("junk.eduledger"))
        bytes[bytes.count / 3] ^= 0xFF
        try bytes.write(to: scratch.url("flipped.eduledger"))
        for name in ["junk.eduledger", "flipped.eduledger"] {
            let url = scratch.url(name)
            try await TestDatabases.withStore(.sqlite) { store in
                await #expect(throws: (any Error).self) { try await DatabaseBackup.restore(from: url, into: store.database) }
                let empty = try await store.isEmpty()
                let audit = try await store.auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total
                #expect(empty && audit == 0)
            }
        }
    }
}

@Suite("导出")
struct ExportTests {
    @Test("exported students import back as an unchanged update; statistics workbook has its sheets and totals")
    func exportRoundTrip() async throws {
        try await withDistrict { store, _, scratch in
            let file = try scratch.xlsx("in.xlsx", header: StudentRows.header, rows: (1...6).map { StudentRows.pupil($0) })
            _ = try await Importer(store: store).run(.students, file: file)
            for name in ["out.xlsx", "out.csv"] {
                let n = try await RegistryExport.students(from: store, query: StudentQuery(date: SmallDistrict.day), to: scratch.url(name))
                #expect(n == 6)
                let back = try await Importer(store: store).run(.students, file: scratch.url(name), options: ImportOptions(allowUpdates: true))
                #expect(back.problems.isEmpty, "\(back.problems.map(\.text))")
                #expect(back.unchanged == 6 && back.updated == 0 && back.inserted == 0)
            }
            let stats = scratch.url("stats.xlsx")
            let totals = try await StatisticsWorkbook.write(from: store, on: SmallDistrict.day, to: stats)
            #expect(totals.students == 6 && totals.girls == 3 && totals.classes == 1)
            let sheets = try TableReader.sheets(url: stats).map(\.name)
            #expect(sheets == ["在校生分年级", "班额", "教职工学历", "说明"])
            let rows = try TableReader.readAll(url: stats, options: TableReadOptions(sheets: .named("班额")))
            let total = try #require(rows.last)
            #expect(total[0] == "合计" && total[4] == "1" && total[5] == "6" && total[6] == "6.0")
        }
    }
}
