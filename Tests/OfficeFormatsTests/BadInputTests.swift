import Foundation
import Testing
@testable import OfficeFormats

@Suite("Bad input gets a Chinese message, never a crash")
struct BadInputTests {
    func error(_ body: () throws -> Void) -> OfficeFormatError? {
        caught(body)
    }

    @Test func emptyMissingAndTooLarge() throws {
        let scratch = try Scratch()
        let empty = try scratch.file("空.xlsx", bytes: [])
        #expect(error { _ = try TableReader.open(url: empty) }?.code == .emptyFile)
        #expect(error { _ = try TableReader.open(url: scratch.url("无.xlsx")) }?.code == .fileNotFound)
        #expect(error { _ = try TableReader.open(url: scratch.directory.url) }?.code == .fileNotFound)
        let big = try scratch.file("大.csv", text: String(repeating: "a,b\n", count: 1000))
        let tooLarge = error { _ = try TableReader.open(url: big, options: TableReadOptions(limits: FileLimits(maxFileBytes: 1000))) }
        #expect(tooLarge?.code == .fileTooLarge)
        #expect(tooLarge?.message.contains("超过") == true)
    }

    @Test func encryptedOrLegacyXLS() throws {
        let scratch = try Scratch()
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        for name in ["加密.xlsx", "旧.xls", "未知"] {
            let url = try scratch.file(name, bytes: ole)
            let found = error { _ = try TableReader.open(url: url) }
            #expect(found?.code == .encryptedOrLegacy)
            #expect(found?.message.hasPrefix("文件已加密或为旧版 .xls 格式，请另存为 .xlsx") == true)
            #expect(found?.message.contains(name) == true)
        }
    }

    @Test func notAZipAndCorruptZip() throws {
        let scratch = try Scratch()
        let html = try scratch.file("导出.xls", text: "<html><table><tr><td>1</td></tr></table></html>")
        #expect(error { _ = try TableReader.open(url: html) }?.code == .notAZip)
        var corrupt: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        corrupt += [UInt8](repeating: 0x41, count: 300)
        let broken = try scratch.file("坏.xlsx", bytes: corrupt)
        let found = error { _ = try TableReader.open(url: broken) }
        #expect(found?.code == .corruptPackage)
        #expect(found?.message.contains("已损坏") == true)
    }

    @Test func truncatedZipFromAGoodWorkbook() throws {
        let scratch = try Scratch()
        let good = scratch.url("好.xlsx")
        var writer = try XLSXWriter(url: good)
        for i in 0..<2_000 { try writer.writeRow(["行\(i)", "内容\(i * 7919)"]) }
        try writer.finish()
        let data = try Data(contentsOf: good)
        let cut = try scratch.file("截断.xlsx", bytes: Array(data.prefix(data.count / 2)))
        #expect(error { _ = try TableReader.readAll(url: cut) } != nil)
    }

    @Test func wordDocumentGivenAsWorkbook() throws {
        let scratch = try Scratch()
        let docx = scratch.url("报告.xlsx")
        var document = DocxDocument()
        document.paragraph("正文")
        try document.write(to: docx)
        let found = error { _ = try TableReader.open(url: docx) }
        #expect(found?.code == .wrongDocumentKind)
        #expect(found?.message.contains("Word 文档") == true)
    }

    @Test func workbookWithoutSheetsAndMissingSheetPart() throws {
        let scratch = try Scratch()
        let noSheets = try scratch.package("无表.xlsx", parts: [
            ("[Content_Types].xml", Parts.contentTypes), ("_rels/.rels", Parts.rootRels),
            ("xl/workbook.xml", Parts.workbook(sheets: [])), ("xl/_rels/workbook.xml.rels", Parts.workbookRels(sheetCount: 0)),
        ])
        #expect(error { _ = try TableReader.open(url: noSheets) }?.code == .noSheet)
        let missing = try scratch.package("缺表.xlsx", parts: [
            ("[Content_Types].xml", Parts.contentTypes), ("_rels/.rels", Parts.rootRels),
            ("xl/workbook.xml", Parts.workbook(sheets: [("S", nil)])), ("xl/_rels/workbook.xml.rels", Parts.workbookRels(sheetCount: 1)),
        ])
        #expect(error { _ = try TableReader.open(url: missing) }?.code == .corruptPackage)
        let otherZip = try scratch.package("other.xlsx", parts: [("readme.txt", "hello")])
        #expect(error { _ = try TableReader.open(url: otherZip) }?.code == .wrongDocumentKind)
    }

    @Test func malformedSheetXML() throws {
        let scratch = try Scratch()
        let broken = Parts.declaration + "<worksheet xmlns=\"\(Parts.main)\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</c></row></sheetData></worksheet>"
        let url = try scratch.package("坏XML.xlsx", parts: Parts.workbookParts(sheets: [("S", nil, broken)]))
        let found = error { _ = try TableReader.readAll(url: url) }
        #expect(found?.code == .malformedXML)
        // Unclosed and mismatched tags that Linux XMLParser alone would accept.
        for rows in ["<row r=\"1\"><c r=\"A1\"><v>1</v></c>", "<row r=\"1\"><c r=\"A1\"><v>1</v></row></c>", "<row r=\"1\"><c r=\"A1\"><v>1&bogus;</v></c></row>"] {
            let xml = Parts.declaration + "<worksheet xmlns=\"\(Parts.main)\"><sheetData>\(rows)</sheetData></worksheet>"
            let bad = try scratch.package("坏\(rows.count).xlsx", parts: Parts.workbookParts(sheets: [("S", nil, xml)]))
            #expect(error { _ = try TableReader.readAll(url: bad) }?.code == .malformedXML, "\(rows)")
        }
        let badShared = Parts.workbookParts(sheets: [("S", nil, Parts.sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row>"))])
        let url2 = try scratch.package("坏引用.xlsx", parts: badShared)
        let found2 = error { _ = try TableReader.readAll(url: url2) }
        #expect(found2?.code == .malformedXML && found2?.cell == "A1")
    }

    @Test func zipBombPartLimit() throws {
        let scratch = try Scratch()
        let rows = String(repeating: "<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>", count: 5_000)
        let url = try scratch.package("炸弹.xlsx", parts: Parts.workbookParts(sheets: [("S", nil, Parts.sheet(rows))]))
        let found = error { _ = try TableReader.open(url: url, options: TableReadOptions(limits: FileLimits(maxPartBytes: 100_000))) }
        #expect(found?.code == .fileTooLarge)
    }
}

extension BadInputTests {
    @Test func farRightColumnsAreRefusedWithTheRow() throws {
        let scratch = try Scratch()
        let rows = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A2\"><v>2</v></c><c r=\"XFD2\"><v>9</v></c></row>"
        let url = try scratch.package("宽.xlsx", parts: Parts.workbookParts(sheets: [("S", nil, Parts.sheet(rows))]))
        let found = error { _ = try TableReader.readAll(url: url) }
        #expect(found?.code == .tooManyColumns && found?.row == 2 && found?.message.contains("XFD") == true)
        var wide = TableReadOptions()
        wide.maxColumns = CellReference.maxColumn
        #expect(try TableReader.readAll(url: url, options: wide).last?[column: "XFD"] == "9")
        let merged = try scratch.package("宽合并.xlsx", parts: Parts.workbookParts(sheets: [("S", nil, Parts.sheet(rows, merges: ["A1:AMK1"]))]))
        #expect(error { _ = try TableReader.readAll(url: merged) }?.row == 1)
    }
}

extension BadInputTests {
    /// Deterministic byte mutations of a valid sheet: each read either succeeds or throws an
    /// `OfficeFormatError`; none may crash. Fixed-seed linear congruential generator, no system RNG.
    @Test func mutatedSheetsNeverCrash() throws {
        let scratch = try Scratch()
        let original = Array(Parts.sheet(XLSXReadingTests.mainSheetRows, merges: ["A1:D1", "B7:C8"]).utf8)
        let alphabet = Array("<>/=\"'&;:#x0123456789 rcvtsf!?[]-".utf8) + [0xE5, 0x00, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var outcomes = (ok: 0, refused: 0)
        var disagreements: [String] = []
        for round in 0..<100 {
            var bytes = original
            for _ in 0..<(1 + next(4)) {
                let position = next(bytes.count)
                switch next(3) {
                case 0: bytes[position] = alphabet[next(alphabet.count)]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[next(alphabet.count)], at: position)
                }
            }
            var parts = Parts.workbookParts(sheets: [("S", nil, "")])
            parts[parts.count - 1].1 = String(decoding: bytes, as: UTF8.self)
            let url = try scratch.package("m\(round).xlsx", parts: parts)
            var results: [[TableRow]] = []
            for fast in [true, false] {
                var options = TableReadOptions()
                options.fastScan = fast
                var rows: [TableRow] = []
                if caught({ rows = try TableReader.readAll(url: url, options: options) }) == nil {
                    outcomes.ok += 1
                    results.append(rows)
                } else {
                    outcomes.refused += 1
                }
            }
            // When both paths accept a mutated sheet they must read the same rows.
            if results.count == 2 && results[0] != results[1] {
                disagreements.append(String(decoding: bytes, as: UTF8.self))
            }
            try FileManager.default.removeItem(at: url)
        }
        #expect(outcomes.ok + outcomes.refused == 200)
        #expect(disagreements.isEmpty, "\(disagreements.first ?? "")")
        #expect(outcomes.refused > 0 && outcomes.ok > 0)
    }
}
