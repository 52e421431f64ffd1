import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import OfficeFormats
import Testing

@Suite("导入：无法读取的文件")
struct BadInputTests {
    enum Kind: String, CaseIterable, Sendable {
        case corruptZip, encrypted, notExcel, emptySheet, noKnownHeader, missingColumns, tooLarge, emptyFile
    }

    @Test("a clear Chinese message and an unchanged database", arguments: Kind.allCases)
    func refused(_ kind: Kind) async throws {
        try await withDistrict { store, _, scratch in
            var options = ImportOptions()
            let url: URL
            switch kind {
            case .corruptZip:
                url = scratch.url("corrupt.xlsx")
                try Data([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0x41, count: 200)).write(to: url)
            case .encrypted:
                url = scratch.url("encrypted.xlsx")
                try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 504)).write(to: url)
            case .notExcel:
                url = scratch.url("photo.xlsx")
                try Data("这不是表格，只是一段文字。".utf8).write(to: url)
            case .emptySheet:
                url = scratch.url("empty-sheet.xlsx")
                var w = try XLSXWriter(url: url)
                try w.addSheet("学生信息")
                try w.finish()
            case .noKnownHeader:
                url = try scratch.xlsx("unknown.xlsx", header: ["甲", "乙", "丙"], rows: [["1", "2", "3"]])
            case .missingColumns:
                url = try scratch.xlsx("missing.xlsx", header: ["姓名", "性别", "出生日期"], rows: [["张三", "男", "2019-01-01"]])
            case .tooLarge:
                url = try scratch.xlsx("big.xlsx", header: StudentRows.header, rows: (1...50).map { StudentRows.pupil($0) })
                options.limits = FileLimits(maxFileBytes: 1_000)
            case .emptyFile:
                url = scratch.url("empty.csv")
                try Data().write(to: url)
            }
            let before = try await fingerprint(store)
            let error = await #expect(throws: ImportError.self) {
                try await Importer(store: store).run(.students, file: url, options: options)
            }
            let message = try #require(error?.message)
            #expect(message.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }, "\(message)")
            switch kind {
            case .encrypted: #expect(error?.code == "import.file.encrypted_or_legacy")
            case .tooLarge: #expect(error?.code == "import.file.file_too_large")
            case .emptySheet: #expect(error?.code == "import.no_rows")
            case .noKnownHeader: #expect(error?.code == "import.no_header")
            case .missingColumns: #expect(error?.code == "import.missing_columns" && message.contains("年级"))
            default: #expect(error?.code.hasPrefix("import.file.") == true)
            }
            #expect(try await fingerprint(store) == before)
        }
    }

    @Test("an impossible date and text in a number column are row problems, and nothing is written")
    func rowLevelBadValues() async throws {
        try await withDistrict { store, _, scratch in
            var a = StudentRows.pupil(1)
            a[8] = "2023-02-30"
            var b = StudentRows.pupil(2)
            b[7] = "二"
            let file = try scratch.csv("bad.csv", header: StudentRows.header, rows: [a, b])
            let before = try await fingerprint(store)
            let report = try await Importer(store: store).run(.students, file: file)
            #expect(report.problems.map(\.code) == ["import.date.nonexistent", "import.class_number"])
            #expect(try await fingerprint(store) == before)
        }
    }
}

@Suite("教职工与学校导入")
struct StaffAndSchoolImportTests {
    static let staffHeader = ["教职工号", "姓名", "性别", "出生日期", "身份证号", "学校标识码", "岗位类别", "最高学历", "职称",
                              "任教学科", "教师资格种类", "教师资格证号", "入职日期"]

    static func teacher(_ n: Int) -> [String] {
        let birth = CivilDate(year: 1985, month: 1, day: 1)!.adding(days: n)
        let rid = StudentRows.id(birth, n)
        return ["T\(1000 + n)", "教师\(n)", n % 2 == 1 ? "男" : "女", birth.description, rid, "2143110201", "专任教师", "本科",
                "二级教师", "语文、数学", "小学教师资格", "2010431024100\(n)", "2010-09-01"]
    }

    @Test("staff rows are validated and written; a certificate needs both level and number")
    func staff() async throws {
        try await withDistrict { store, _, scratch in
            var bad = Self.teacher(3)
            bad[11] = ""
            var young = Self.teacher(4)
            young[12] = "1990-01-01"
            let file = try scratch.xlsx("staff.xlsx", sheet: "教职工信息", header: Self.staffHeader,
                                        rows: [Self.teacher(1), Self.teacher(2), bad, young])
            let report = try await Importer(store: store).run(.staff, file: file, options: ImportOptions(mode: .validRows))
            #expect(report.problems.map(\.code) == ["import.certificate", "import.hired_too_young"])
            #expect(report.inserted == 2)
            let m = try #require(try await store.staffMember(number: "T1001"))
            #expect(m.subjects == ["语文", "数学"] && m.certificate?.level == .primary && m.qualification == .bachelor)
            let again = try await Importer(store: store).run(.staff, file: file, options: ImportOptions(mode: .validRows))
            #expect(again.problems.filter { $0.code == "import.duplicate_in_registry" }.count == 2)
        }
    }

    @Test("schools: codes, townships, a central school earlier in the same file")
    func schools() async throws {
        try await withDistrict { store, _, scratch in
            let header = ["学校标识码", "学校名称", "办学类型", "城乡分类", "所属乡镇", "中心校标识码", "开办日期"]
            let rows = [
                ["2143110210", "王家镇中心小学", "小学", "乡村", "王家镇", "", "1995-09-01"],
                ["2143110211", "王家镇杨柳教学点", "小学", "乡村", "431102101", "2143110210", "2001-09-01"],
                ["214311021", "短码学校", "初中", "镇区", "王家镇", "", "2001-09-01"],
                ["2143110201", "重复学校", "小学", "城区", "东城街道", "", "2001-09-01"],
            ]
            let file = try scratch.xlsx("schools.xlsx", sheet: "学校信息", header: header, rows: rows)
            let report = try await Importer(store: store).run(.schools, file: file, options: ImportOptions(mode: .validRows))
            #expect(report.problems.map(\.code) == ["import.school_code", "import.duplicate_in_registry"])
            #expect(report.inserted == 2)
            let central = try #require(try await store.school(code: "2143110210"))
            let point = try #require(try await store.school(code: "2143110211"))
            #expect(point.centralSchoolID == central.id && point.isTeachingPoint)
        }
    }
}
