import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import OfficeFormats
import Testing

/// Large student files are written chunk by chunk inside the one transaction while the rest of the
/// file is still validated; these tests put the decisive row after the first chunks were written.
@Suite("学生导入：分批写入")
struct ChunkedImportTests {
    /// `count` valid grade-1 pupils of 东城第一小学 (no class), row 2 onwards.
    static func pupils(_ count: Int) -> [[String]] {
        (0..<count).map { n in
            let birth = CivilDate(year: 2018, month: 9, day: 1)!.adding(days: n / 900)
            let rid = StudentRows.id(birth, n % 900 + 1)
            return ["G" + rid, "学生\(n)", (n % 900 + 1) % 2 == 1 ? "男" : "女", birth.description, rid,
                    "2143110201", "一年级", "", "2025-09-01"]
        }
    }

    @Test("a duplicate of a row already written rejects both rows; the rest is committed with one summary",
          arguments: TestBackend.available)
    func lateDuplicate(backend: TestBackend) async throws {
        try await withDistrict(backend) { store, _, scratch in
            var rows = Self.pupils(5_000)
            rows[4_500] = rows[0]
            rows[4_500][1] = "重复者"
            let file = try scratch.csv("dup.csv", header: StudentRows.header, rows: rows)
            let report = try await Importer(store: store).run(.students, file: file, options: ImportOptions(mode: .validRows))
            #expect(report.committed && report.inserted == 4_998 && report.rejectedRows == 2)
            #expect(Set(report.problems.map(\.row)) == [2, 4_502])
            #expect(try await store.student(number: rows[0][0]) == nil)
            #expect(try await store.student(number: rows[1][0]) != nil)
            #expect(try await store.student(number: rows[4_999][0])?.name == "学生4999")
            #expect(try await store.counts(on: SmallDistrict.day).studentsEnrolled == 4_998)
            let batch = try await store.auditEntries(entity: "batch", actor: nil, offset: 0, limit: 10)
            #expect(batch.items.contains { $0.after?.contains("\"students\":4998") == true })
            let summary = try await store.auditEntries(entity: "import", actor: nil, offset: 0, limit: 10)
            #expect(summary.total == 1 && summary.items.first?.after?.contains("\"inserted\":4998") == true)
            // The ordinary path still gets a fresh id after the chunks (sequences moved past them).
            let more = SmallDistrict.student(name: "后来者", birth: CivilDate(year: 2019, month: 1, day: 5)!, sequence: 901)
            _ = try await RegistryService(store: store).admit(more, schoolCode: "2143110201", grade: .p1, classNumber: 1,
                                                              from: SmallDistrict.day, entry: .intake, by: .commandLine)
        }
    }

    @Test("all-or-nothing: a bad row after chunks were written leaves the database unchanged")
    func lateRejectionRollsBack() async throws {
        try await withDistrict { store, _, scratch in
            var rows = Self.pupils(5_000)
            rows[4_800][8] = "2025-02-30"
            let file = try scratch.csv("late.csv", header: StudentRows.header, rows: rows)
            let before = try await fingerprint(store)
            let report = try await Importer(store: store).run(.students, file: file)
            #expect(!report.committed && report.inserted == 0 && report.rejectedRows == 1)
            #expect(report.problems.map(\.row) == [4_802])
            #expect(try await fingerprint(store) == before)
            // The same file in valid-rows mode writes the other 4 999.
            let lenient = try await Importer(store: store).run(.students, file: file, options: ImportOptions(mode: .validRows))
            #expect(lenient.committed && lenient.inserted == 4_999)
        }
    }

    @Test("blanks around values (ASCII, full-width, no-break, BOM) are trimmed as before")
    func paddedValues() async throws {
        try await withDistrict { store, _, scratch in
            let pads = [" ", "\u{3000}", "\u{00A0}", "\t", "\u{FEFF}", " \u{3000}"]
            let rows = (1...6).map { n -> [String] in
                let pad = pads[n - 1]
                return StudentRows.pupil(n).map { pad + $0 + pad } + [pad + (n % 2 == 0 ? "是" : "否") + pad]
            }
            let file = try scratch.xlsx("padded.xlsx", header: StudentRows.header + ["留守儿童"], rows: rows)
            let report = try await Importer(store: store).run(.students, file: file)
            #expect(report.problems.isEmpty, "\(report.problems.map(\.text))")
            #expect(report.inserted == 6)
            let second = try #require(try await store.student(number: StudentRows.pupil(2)[0]))
            #expect(second.name == "学生2" && second.flags.leftBehind && second.gender == .female)
        }
    }
}
