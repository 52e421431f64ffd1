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
    static func resave(_ file: URL, in dir: URL) throws -> URL {
        let soffice = try #require(soffice)
        let out = dir.appendingPathComponent("lo")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=file://" + dir.appendingPathComponent("profile").path, "--headless",
                             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out.path, file.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let saved = out.appendingPathComponent(file.deletingPathExtension().lastPathComponent + ".xlsx")
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
}
