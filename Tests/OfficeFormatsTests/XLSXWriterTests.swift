import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import OfficeFormats

@Suite("Writing .xlsx")
struct XLSXWriterTests {
    @Test func roundTripThroughOurReader() throws {
        let scratch = try Scratch()
        let url = scratch.url("导出.xlsx")
        var writer = try XLSXWriter(url: url)
        try writer.addSheet("学生名册", options: XLSXSheetOptions(columnWidths: [16, 10, 0, 12], dropDowns: [XLSXDropDown(column: 2, choices: ["男", "女"])]))
        try writer.writeHeader(["学籍号", "姓名", "性别", "出生日期", "人数"])
        try writer.writeRow([.text("G001"), .text(" 张三 "), .text("男"), XLSXCell(.date(year: 2015, month: 3, day: 9)), .number(42)])
        try writer.writeRow([.text("A&B <c> \"d\""), .text("两行\n文字"), .empty, XLSXCell(.date(year: 2016, month: 2, day: 29), style: .highlighted), .number(2.5)])
        try writer.writeRow([.text("跳行"), .text("出错", style: .highlighted), .empty, .empty, .empty, .text("姓名不能为空", style: .note)], rowNumber: 9)
        try writer.addSheet("学生名册")  // duplicate name gets a suffix
        try writer.writeRow(["第二张表"])
        try writer.addSheet("a/b:c*d?[e]")
        try writer.finish()

        let sheets = try TableReader.sheets(url: url)
        #expect(sheets.map(\.name) == ["学生名册", "学生名册 (2)", "a_b_c_d__e_"])
        let rows = try TableReader.readAll(url: url)
        #expect(rows.map(\.number) == [1, 2, 3, 9, 1])
        #expect(rows[0].values == ["学籍号", "姓名", "性别", "出生日期", "人数"])
        #expect(rows[1].values == ["G001", " 张三 ", "男", "2015-03-09", "42"])
        #expect(rows[1].cells.map(\.kind) == [.text, .text, .text, .date, .number])
        #expect(rows[2].values == ["A&B <c> \"d\"", "两行\n文字", "", "2016-02-29", "2.5"])
        #expect(rows[3].values == ["跳行", "出错", "", "", "", "姓名不能为空"])
        #expect(rows[4].sheet == "学生名册 (2)" && rows[4].values == ["第二张表"])
    }

    @Test func packagePartsAreWellFormedAndStyled() throws {
        let scratch = try Scratch()
        let url = scratch.url("x.xlsx")
        var writer = try XLSXWriter(url: url)
        try writer.addSheet("S", options: XLSXSheetOptions(dropDowns: [XLSXDropDown(column: 1, choices: ["是", "否"])]))
        try writer.writeHeader(["甲"])
        try writer.writeRow([.text("\u{1}控制字符\u{1F}被去掉"), .text("问题", style: .highlighted)])
        try writer.finish()
        let package = try ZipPackage(url: url, limits: FileLimits(), expected: .workbook)
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/worksheets/sheet1.xml"] {
            let data = try #require(try package.data(part), "missing \(part)")
            let parser = XMLParser(data: data)
            #expect(parser.parse() && parser.parserError == nil, "\(part) is not well-formed")
        }
        let sheet = String(decoding: try #require(try package.data("xl/worksheets/sheet1.xml")), as: UTF8.self)
        #expect(sheet.contains("<c r=\"A1\" s=\"1\" t=\"inlineStr\">"))  // bold header
        #expect(sheet.contains("<c r=\"B2\" s=\"2\" t=\"inlineStr\">"))  // highlighted
        #expect(sheet.contains("state=\"frozen\""))
        #expect(sheet.contains("<formula1>&quot;是,否&quot;</formula1>") || sheet.contains("<formula1>\"是,否\"</formula1>"))
        #expect(try TableReader.readAll(url: url).last?.values == ["控制字符被去掉", "问题"])
    }

    @Test func rowsMustGoDownward() throws {
        let scratch = try Scratch()
        var writer = try XLSXWriter(url: scratch.url("x.xlsx"))
        try writer.writeRow(["a"], rowNumber: 5)
        let found = caught { try writer.writeRow(["b"], rowNumber: 5) }
        #expect(found?.code == .invalidArgument)
        try writer.finish()
    }

    @Test func unfinishedWriterLeavesNothingBehind() throws {
        let scratch = try Scratch()
        let url = scratch.url("x.xlsx")
        do {
            var writer = try XLSXWriter(url: url)
            try writer.writeRow(["a"])
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func sameRowsGiveSameBytes() throws {
        let scratch = try Scratch()
        for name in ["a.xlsx", "b.xlsx"] {
            var writer = try XLSXWriter(url: scratch.url(name))
            try writer.writeHeader(["学号"])
            try writer.writeRow([.number(1)])
            try writer.finish()
        }
        #expect(try Data(contentsOf: scratch.url("a.xlsx")) == Data(contentsOf: scratch.url("b.xlsx")))
    }

    @Test func cellReferences() {
        #expect(CellReference.columnLetters(0) == "A")
        #expect(CellReference.columnLetters(25) == "Z")
        #expect(CellReference.columnLetters(26) == "AA")
        #expect(CellReference.columnLetters(27) == "AB")
        #expect(CellReference.columnLetters(16_383) == "XFD")
        #expect(CellReference.columnIndex("xfd") == 16_383)
        #expect(CellReference.columnIndex("XFE") == nil)
        #expect(CellReference.parse("$AB$12")?.column == 27)
        #expect(CellReference.parse("AB12")?.row == 12)
        #expect(CellReference.parse("12AB") == nil && CellReference.parse("A0") == nil)
    }
}
