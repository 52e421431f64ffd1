import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import OfficeFormats
import Testing

@Suite("学生导入")
struct StudentImportTests {
    @Test("valid rows from .xlsx are written with their enrolment and one audit summary", arguments: TestBackend.available)
    func validImport(backend: TestBackend) async throws {
        try await withDistrict(backend) { store, district, scratch in
            let file = try scratch.xlsx("ok.xlsx", header: StudentRows.header, rows: (1...5).map { StudentRows.pupil($0) })
            let report = try await Importer(store: store).run(.students, file: file)
            #expect(report.problems.isEmpty)
            #expect(report.committed && report.inserted == 5 && report.rowsRead == 5)
            let row = StudentRows.pupil(3)
            let student = try #require(try await store.student(number: row[0]))
            #expect(student.name == "学生3" && student.gender == .male)
            let enrolments = try await store.enrolments(studentID: student.id)
            #expect(enrolments.count == 1)
            #expect(enrolments.first?.classID == district.primaryClass.id && enrolments.first?.grade == .p1)
            let audit = try await store.auditEntries(entity: "import", actor: nil, offset: 0, limit: 10)
            #expect(audit.total == 1)
            #expect(audit.items.first?.after?.contains("\"inserted\":5") == true)
            // A later insert through the ordinary path gets a fresh id (sequences moved past the batch).
            let more = SmallDistrict.student(name: "后来者", birth: CivilDate(year: 2019, month: 1, day: 5)!, sequence: 901)
            _ = try await RegistryService(store: store).admit(more, schoolCode: "2143110201", grade: .p1, classNumber: 1,
                                                              from: SmallDistrict.day, entry: .intake, by: .commandLine)
        }
    }

    /// One bad value per case: the code and the column it must be reported on.
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var column: String
        var code: String
        var edit: @Sendable ([String]) -> [String]
    }

    static let cases: [Case] = [
        Case(description: "check digit", column: "E", code: "resident_id.check_character") { r in
            var r = r; let last = r[4].last == "0" ? "1" : "0"; r[4] = String(r[4].dropLast()) + last; r[0] = ""; return r
        },
        Case(description: "birth date disagrees with the ID", column: "D", code: "import.birth_date_mismatch") { r in
            var r = r; r[3] = "2019-01-01"; return r
        },
        Case(description: "gender disagrees with the ID", column: "C", code: "resident_id.gender_mismatch") { r in
            var r = r; r[2] = r[2] == "男" ? "女" : "男"; return r
        },
        Case(description: "2023-02-30 refused", column: "I", code: "import.date.nonexistent") { r in
            var r = r; r[8] = "2023-02-30"; return r
        },
        Case(description: "unreadable date", column: "I", code: "import.date") { r in
            var r = r; r[8] = "去年九月"; return r
        },
        Case(description: "unknown school", column: "F", code: "import.school_not_found") { r in
            var r = r; r[5] = "9999999999"; return r
        },
        Case(description: "grade not taught", column: "G", code: "registry.grade_not_taught") { r in
            var r = r; r[6] = "七年级"; r[7] = ""; return r
        },
        Case(description: "class does not exist", column: "H", code: "import.class_not_found") { r in
            var r = r; r[7] = "(7)班"; return r
        },
        Case(description: "text in the class number column", column: "H", code: "import.class_number") { r in
            var r = r; r[7] = "三班"; return r
        },
        Case(description: "student number shape", column: "A", code: "import.student_number") { r in
            var r = r; r[0] = "X123"; return r
        },
        Case(description: "student number differs from the ID", column: "A", code: "import.student_number_mismatch") { r in
            var r = r; r[0] = "G" + StudentRows.id(CivilDate(year: 2018, month: 1, day: 1)!, 5); return r
        },
        Case(description: "missing name", column: "B", code: "import.required") { r in
            var r = r; r[1] = " "; return r
        },
        Case(description: "school closed on the entry date", column: "I", code: "registry.school_closed") { r in
            var r = r; r[5] = "2143110203"; r[7] = ""; return r
        },
        Case(description: "gender text", column: "C", code: "import.gender") { r in
            var r = r; r[2] = "未知"; return r
        },
    ]

    @Test("each rule reports the right cell", arguments: cases)
    func rule(_ c: Case) async throws {
        try await withDistrict { store, _, scratch in
            let before = try await fingerprint(store)
            let rows = [StudentRows.pupil(1), c.edit(StudentRows.pupil(2))]
            let file = try scratch.xlsx("bad.xlsx", header: StudentRows.header, rows: rows)
            let report = try await Importer(store: store).run(.students, file: file)
            let problem = try #require(report.problems.first, "no problem reported")
            #expect(report.problems.allSatisfy { $0.row == 3 })
            #expect(problem.code == c.code && problem.column == c.column, "\(report.problems.map(\.text))")
            #expect(problem.sheet == "学生信息" && !problem.message.isEmpty)
            #expect(!report.committed && report.rejectedRows == 1 && report.validRows == 1)
            #expect(try await fingerprint(store) == before)
        }
    }

    @Test("all problems of a file are reported at once, with Chinese text naming the place")
    func allProblemsAtOnce() async throws {
        try await withDistrict { store, _, scratch in
            var bad = StudentRows.pupil(2)
            bad[8] = "2023-02-30"; bad[2] = "X"; bad[6] = "五十年级"
            let file = try scratch.xlsx("many.xlsx", header: StudentRows.header,
                                        rows: [StudentRows.pupil(1), bad, StudentRows.pupil(3), StudentRows.pupil(3)])
            let report = try await Importer(store: store).run(.students, file: file)
            #expect(Set(report.problems.filter { $0.row == 3 }.compactMap(\.column)) == ["C", "G", "I"])
            // The duplicate rejects both rows 4 and 5.
            #expect(Set(report.problems.filter { $0.code == "import.duplicate_in_file" }.map(\.row)) == [4, 5])
            #expect(report.rejectedRows == 3)
            let text = try #require(report.problems.first { $0.column == "I" }?.text)
            #expect(text.contains("第3行I列（入学日期）“2023-02-30”") && text.contains("不是真实存在的日期"))
        }
    }

    @Test("all-or-nothing writes nothing; valid-rows writes the good rows and the rejected ones to a file")
    func modes() async throws {
        try await withDistrict { store, _, scratch in
            var bad = StudentRows.pupil(2)
            bad[3] = "2019-13-01"
            let file = try scratch.xlsx("mixed.xlsx", header: StudentRows.header, rows: [StudentRows.pupil(1), bad, StudentRows.pupil(3)])
            let before = try await fingerprint(store)
            let strict = try await Importer(store: store).run(.students, file: file)
            let afterStrict = try await fingerprint(store)
            #expect(!strict.committed && strict.inserted == 0 && afterStrict == before)

            let lenient = try await Importer(store: store).run(.students, file: file, options: ImportOptions(mode: .validRows))
            #expect(lenient.committed && lenient.inserted == 2 && lenient.rejectedRows == 1)
            #expect(try await store.student(number: StudentRows.pupil(3)[0]) != nil)
            #expect(try await store.student(number: bad[0]) == nil)

            for name in ["rejected.xlsx", "rejected.csv"] {
                try ImportAnnotation.writeRejectedRows(source: file, report: lenient, to: scratch.url(name))
                let rows = try TableReader.readAll(url: scratch.url(name))
                #expect(rows.count == 2)
                #expect(rows[0].values.suffix(2) == [ImportAnnotation.rowNumberHeader, ImportAnnotation.messageHeader])
                #expect(rows[1][1] == "学生2" && rows[1].values.contains("3"))
                #expect(rows[1].values.last?.contains("出生日期") == true)
            }
            try ImportAnnotation.writeAnnotatedCopy(source: file, report: lenient, to: scratch.url("annotated.xlsx"))
            let copy = try TableReader.readAll(url: scratch.url("annotated.xlsx"))
            #expect(copy.map(\.number) == [1, 2, 3, 4])
            #expect(copy[2].values.last?.contains("不是真实存在的日期") == true)
            #expect(copy[1].cells.count == StudentRows.header.count)
        }
    }

    @Test("an existing 学籍号 is a duplicate unless an update import is asked for; updates are audited")
    func updates() async throws {
        try await withDistrict { store, _, scratch in
            let first = try scratch.xlsx("a.xlsx", header: StudentRows.header, rows: [StudentRows.pupil(1), StudentRows.pupil(2)])
            _ = try await Importer(store: store).run(.students, file: first)
            var renamed = StudentRows.pupil(1, name: "王改名")
            renamed.append("是")
            let second = try scratch.xlsx("b.xlsx", header: StudentRows.header + ["留守儿童"],
                                          rows: [renamed, StudentRows.pupil(2) + ["否"]])
            let refused = try await Importer(store: store).run(.students, file: second)
            #expect(refused.problems.map(\.code) == ["import.duplicate_in_registry", "import.duplicate_in_registry"])
            #expect(try await store.student(number: renamed[0])?.name == "学生1")

            let report = try await Importer(store: store).run(.students, file: second, options: ImportOptions(allowUpdates: true))
            #expect(report.committed && report.updated == 1 && report.unchanged == 1 && report.inserted == 0)
            let student = try #require(try await store.student(number: renamed[0]))
            #expect(student.name == "王改名" && student.flags.leftBehind)
            let audit = try await store.auditEntries(entity: "student", actor: nil, offset: 0, limit: 10)
            let line = try #require(audit.items.first { $0.action == .update })
            #expect(line.before?.contains("学生1") == true && line.after?.contains("王改名") == true)

            var moved = StudentRows.pupil(2)
            moved[6] = "二年级"; moved[7] = ""
            let third = try scratch.xlsx("c.xlsx", header: StudentRows.header, rows: [moved])
            let refusedMove = try await Importer(store: store).run(.students, file: third, options: ImportOptions(allowUpdates: true))
            #expect(refusedMove.problems.first?.code == "import.update_moves_student")
        }
    }

    @Test("a registrar's import is limited to their school")
    func schoolScope() async throws {
        try await withDistrict { store, district, scratch in
            var header = StudentRows.header
            header.remove(at: 5)
            let rows = [StudentRows.pupil(1), StudentRows.pupil(2)].map { r -> [String] in var r = r; r.remove(at: 5); return r }
            let file = try scratch.csv("own.csv", header: header, rows: rows)
            let ok = try await Importer(store: store).run(.students, file: file, options: ImportOptions(schoolCode: district.primary.code))
            #expect(ok.committed && ok.inserted == 2)
            let other = try scratch.xlsx("other.xlsx", header: StudentRows.header, rows: [StudentRows.pupil(3)])
            let refused = try await Importer(store: store).run(.students, file: other, options: ImportOptions(schoolCode: district.junior.code))
            #expect(refused.problems.map(\.code) == ["import.other_school"])
            let missing = try scratch.csv("missing.csv", header: header, rows: rows)
            await #expect(throws: ImportError.self) { try await Importer(store: store).run(.students, file: missing) }
        }
    }

    @Test("aliases, date shapes and gender codes of bureau sheets are understood")
    func aliases() async throws {
        try await withDistrict { store, _, scratch in
            let header = ["序号", "全国学籍号", "学生姓名", "性别", "出生\n日期", "身份证件号", "学校代码", "所在年级", "班号", "入学时间"]
            let shapes = ["2019/3/2", "2019年3月3日", "20190304", "2019.3.5", "2019-03-06 00:00:00"]
            let rows = shapes.enumerated().map { i, shape -> [String] in
                let r = StudentRows.pupil(i + 1)
                return [String(i + 1), r[0], r[1], r[2] == "男" ? "1" : "2", shape, r[4], r[5], "1年级", "1班", "2025/9/1"]
            }
            let file = try scratch.csv("alias.csv", header: header, rows: rows)
            let report = try await Importer(store: store).run(.students, file: file)
            #expect(report.problems.isEmpty, "\(report.problems.map(\.text))")
            #expect(report.inserted == 5 && report.ignoredColumns == ["序号"])
        }
    }

    @Test("a generated 20 000-row CSV streams through validation and one commit, with progress")
    func streaming() async throws {
        try await withDistrict { store, _, scratch in
            let url = scratch.url("big.csv")
            var w = try CSVWriter(url: url)
            try w.writeRow(StudentRows.header)
            for n in 0..<20_000 {
                let birth = CivilDate(year: 2018, month: 9, day: 1)!.adding(days: n / 900)
                let rid = StudentRows.id(birth, n % 900 + 1)
                try w.writeRow(["G" + rid, "学生\(n)", (n % 900 + 1) % 2 == 1 ? "男" : "女", birth.description, rid,
                                "2143110201", "一年级", "", "2025-09-01"])
            }
            try w.finish()
            let seen = ProgressLog()
            let report = try await Importer(store: store).run(
                .students, file: url, options: ImportOptions(progress: { done, total in seen.record(done, total) }))
            #expect(report.problems.isEmpty && report.inserted == 20_000)
            #expect(try await store.counts(on: SmallDistrict.day).studentsEnrolled == 20_000)
            let last = try #require(seen.last)
            #expect(last.0 == last.1 && last.1 > 0 && seen.count > 2)
        }
    }

    @Test("template → fill → import")
    func templateRoundTrip() async throws {
        try await withDistrict { store, _, scratch in
            let template = scratch.url("模板.xlsx")
            try ImportTemplate.write(.students, to: template)
            let sheets = try TableReader.sheets(url: template).map(\.name)
            #expect(sheets == ["学生信息", ImportTemplate.notesSheetName])
            let templateRows = try TableReader.readAll(url: template, options: TableReadOptions(sheets: .named("学生信息")))
            let header = templateRows[0].values
            #expect(header.count == ImportKind.students.fields.count)
            // Fill: keep the example row, add two pupils by header name.
            let byTitle = Dictionary(uniqueKeysWithValues: StudentRows.header.enumerated().map { ($1, $0) })
            let filled = [templateRows[1].values] + [StudentRows.pupil(1), StudentRows.pupil(2)].map { r in
                header.map { title in byTitle[title].map { r[$0] } ?? "" }
            }
            var w = try XLSXWriter(url: scratch.url("filled.xlsx"))
            try w.addSheet("学生信息")
            try w.writeHeader(header)
            for r in filled { try w.writeRow(r) }
            try w.addSheet(ImportTemplate.notesSheetName)
            try w.writeRow(["说明"])
            try w.finish()
            let report = try await Importer(store: store).run(.students, file: scratch.url("filled.xlsx"))
            #expect(report.problems.isEmpty, "\(report.problems.map(\.text))")
            #expect(report.inserted == 2 && report.skippedExampleRows == [2])
        }
    }
}

final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(UInt64, UInt64)] = []
    func record(_ done: UInt64, _ total: UInt64) { lock.lock(); entries.append((done, total)); lock.unlock() }
    var last: (UInt64, UInt64)? { lock.lock(); defer { lock.unlock() }; return entries.last }
    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }
}
