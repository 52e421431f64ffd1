import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import OfficeFormats
import Testing

/// The registrar's round trip with a workbook LibreOffice Calc saved (its own dialect of
/// .xlsx: shared strings, its styles, its sheet XML): the template is filled, one ID number
/// is mistyped, the import reports it at its row and column and writes nothing; the row is
/// fixed, the file saved again, and the import commits every pupil.
@Suite("Import of workbooks saved by LibreOffice")
struct LibreOfficeImportTests {
    static let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `file` opened and saved again as .xlsx by LibreOffice Calc, into `dir/lo/`.
    static func resave(_ file: URL, in dir: URL, as filter: String = "xlsx:Calc MS Excel 2007 XML", extension ext: String = "xlsx") throws -> URL {
        let soffice = try #require(soffice)
        let out = dir.appendingPathComponent("lo")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=file://" + dir.appendingPathComponent("profile").path, "--headless",
                             "--convert-to", filter, "--outdir", out.path, file.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let saved = out.appendingPathComponent(file.deletingPathExtension().lastPathComponent + "." + ext)
        #expect(FileManager.default.fileExists(atPath: saved.path), "LibreOffice did not save \(file.lastPathComponent)")
        return saved
    }

    @Test("fill the template, save in LibreOffice, import, fix the reported row, import again", arguments: TestBackend.available)
    func roundTrip(_ backend: TestBackend) async throws {
        guard Self.soffice != nil else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("LibreOffice (soffice) is not installed on CI") }
            return
        }
        try await withDistrict(backend) { store, _, scratch in
            // The template's columns and its example row (row 2), which the import skips.
            let header = ImportKind.students.fields.map(\.title)
            let example = ImportKind.students.fields.map(\.example)
            func row(_ pupil: [String]) -> [String] {
                header.map { title in StudentRows.header.firstIndex(of: title).map { pupil[$0] } ?? "" }
            }
            var pupils = (1...4).map { StudentRows.pupil(400 + $0) }
            var mistyped = pupils[2]
            let goodID = mistyped[4]
            mistyped[4] = String(goodID.dropLast()) + (goodID.last == "1" ? "2" : "1")
            mistyped[0] = ""
            pupils[2] = mistyped
            let filled = try scratch.xlsx("学生名单.xlsx", sheet: ImportKind.students.sheetName, header: header,
                                          rows: [example] + pupils.map(row))
            let before = try await fingerprint(store)

            let first = try await Importer(store: store).run(.students, file: try Self.resave(filled, in: scratch.dir))
            #expect(!first.committed && first.inserted == 0)
            #expect(first.rowsRead == 4, "the example row is skipped: \(first.skippedExampleRows)")
            let problem = try #require(first.problems.first)
            #expect(first.problems.count == 1)
            #expect(problem.row == 5 && problem.header == "身份证号" && problem.code.hasPrefix("resident_id"), "\(problem)")
            #expect(problem.message.contains("校验"), "\(problem.message)")
            #expect(try await fingerprint(store) == before)

            pupils[2][4] = goodID
            pupils[2][0] = "G" + goodID
            let fixed = try scratch.xlsx("学生名单（改）.xlsx", sheet: ImportKind.students.sheetName, header: header,
                                         rows: [example] + pupils.map(row))
            let second = try await Importer(store: store).run(.students, file: try Self.resave(fixed, in: scratch.dir))
            #expect(second.problems.isEmpty && second.committed && second.inserted == 4, "\(second.problems)")
            for p in pupils {
                let student = try await store.student(number: p[0])
                #expect(student?.name == p[1] && student?.residentID?.value == p[4])
            }
        }
    }

    @Test("the statistics workbook opens in LibreOffice Calc with its figures")
    func statisticsOpens() async throws {
        guard Self.soffice != nil else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("LibreOffice (soffice) is not installed on CI") }
            return
        }
        try await withDistrict { store, district, scratch in
            let pupils = try scratch.xlsx("pupils.xlsx", header: StudentRows.header, rows: (1...6).map { StudentRows.pupil(500 + $0) })
            #expect(try await Importer(store: store).run(.students, file: pupils).inserted == 6)
            let url = scratch.url("教育统计表.xlsx")
            let totals = try await StatisticsWorkbook.write(from: store, on: SmallDistrict.day, to: url)
            // Calc's CSV export writes the first sheet (在校生分年级) as Calc read it.
            let csv = try String(contentsOf: try Self.resave(url, in: scratch.dir, as: "csv:Text - txt - csv (StarCalc):44,34,76", extension: "csv"),
                                 encoding: .utf8)
            #expect(csv.contains(district.primary.name) && csv.contains("一年级"), "\(csv.prefix(400))")
            // The total row as Calc shows it: 在校生合计 and 其中女 of the district.
            let totalRow = try #require(csv.split(whereSeparator: \.isNewline).first { $0.contains("合计") && !$0.contains("在校生合计") })
            #expect(totalRow.contains(",\(totals.students),\(totals.girls),"), "\(totalRow)")
            #expect(totals.students == 6 && totals.girls == 3)
        }
    }
}
