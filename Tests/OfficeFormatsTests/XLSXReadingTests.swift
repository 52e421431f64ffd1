import Foundation
import Testing
@testable import OfficeFormats

@Suite("Reading .xlsx written by Excel and WPS")
struct XLSXReadingTests {
    /// Title merged over A1:D1, header with rich text, data rows with every kind of cell.
    static let mainSheetRows =
        "<row r=\"1\" spans=\"1:4\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" s=\"0\"/><c r=\"C1\"/><c r=\"D1\"/></row>"
        + "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" t=\"s\"><v>2</v></c><c r=\"C2\" t=\"inlineStr\"><is><t>金额</t></is></c><c r=\"D2\" t=\"inlineStr\"><is><r><t>是否</t></r><r><rPr><b/></rPr><t>寄宿</t></r></is></c></row>"
        + "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>3</v></c><c r=\"B3\" s=\"1\"><v>45292</v></c><c r=\"C3\" s=\"3\"><v>1234.5</v></c><c r=\"D3\" t=\"b\"><v>1</v></c></row>"
        + "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>4</v></c><c r=\"B5\" s=\"2\"><v>40179</v></c><c r=\"C5\"><f>SUM(C3:C4)</f><v>1234.5</v></c><c r=\"D5\" t=\"str\"><f>IF(1,\"否\",\"是\")</f><v>否</v></c></row>"
        + "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>5</v></c><c r=\"C6\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c r=\"AA6\"><v>0.30000000000000004</v></c><c r=\"AB6\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> 空格 </t></is></c></row>"
        + "<row r=\"7\"><c r=\"B7\" s=\"4\"><v>45292.5</v></c><c r=\"C7\" s=\"5\"><v>45293</v></c><c r=\"D7\" s=\"6\"><v>0.75</v></c></row>"
        + "<row r=\"8\"><c r=\"A8\" s=\"1\"/><c r=\"B8\"/></row>"
        + "<row r=\"9\"><c r=\"A9\"><v>110101199001011234</v></c><c r=\"B9\"><v>20230901</v></c><c r=\"C9\"><v>-12</v></c></row>"

    @Test func readsSharedInlineNumbersDatesFormulasAndSparseCells() throws {
        let scratch = try Scratch()
        let url = try scratch.package("学生.xlsx", parts: Parts.workbookParts(sheets: [
            ("学生名册", nil, Parts.sheet(XLSXReadingTests.mainSheetRows, merges: ["A1:D1"])),
        ]))
        let rows = try TableReader.readAll(url: url)
        #expect(rows.map(\.number) == [1, 2, 3, 5, 6, 7, 9])  // row 8 has only empty cells
        #expect(rows.allSatisfy { $0.sheet == "学生名册" })

        // Merged title fills its range.
        #expect(rows[0].values == ["学生花名册", "学生花名册", "学生花名册", "学生花名册"])
        #expect(rows[0].cells[1].isFromMergedRange && !rows[0].cells[0].isFromMergedRange)
        // Rich text runs are concatenated, in shared and inline strings.
        #expect(rows[1].values == ["姓名", "出生日期", "金额", "是否寄宿"])
        // Phonetic guide ignored; built-in date style 14; custom number format stays a number; boolean.
        #expect(rows[2].values == ["张三", "2024-01-01", "1234.5", "TRUE"])
        #expect(rows[2].cells.map(\.kind) == [.text, .date, .number, .boolean])
        // Entities decoded, custom 年月日 date, formulas use the cached value.
        #expect(rows[3].values == ["A&B <1>", "2010-01-01", "1234.5", "否"])
        #expect(rows[3].cells[2].isFormula && rows[3].cells[3].isFormula && !rows[3].cells[1].isFormula)
        // Sparse row: B empty, AA and AB filled; _x000D_ decoded; error value kept as text.
        let sparse = rows[4]
        #expect(sparse.cells.count == 28)
        #expect(sparse[column: "A"] == "第一行\r第二行")
        #expect(sparse[column: "B"] == "" && sparse.cell(at: 1).kind == .empty)
        #expect(sparse[column: "C"] == "#DIV/0!" && sparse.cell(at: 2).kind == .error)
        #expect(sparse[column: "AA"] == "0.3")
        #expect(sparse[column: "ab"] == " 空格 ")
        #expect(sparse[column: "AC"] == "" && sparse[column: "not a column"] == "")
        #expect(sparse.reference(column: 27) == "AB6")
        // Date-time (22), Chinese built-in date (31), time (20).
        #expect(rows[5].values == ["", "2024-01-01 12:00:00", "2024-01-02", "18:00:00"])
        #expect(rows[5].cells.map(\.kind) == [.empty, .dateTime, .date, .time])
        // Integers are returned with the digits written in the file.
        #expect(rows[6].values == ["110101199001011234", "20230901", "-12"])
    }

    /// The byte scanner and the XMLParser path must agree on every fixture.
    @Test func fastScannerAgreesWithXMLParser() throws {
        let scratch = try Scratch()
        let prefixed = "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>甲&amp;乙&#x4E19;&#19969;</x:t></x:is></x:c><x:c t=\"s\"><x:v>3</x:v></x:c></x:row>"
            + "<!-- comment --><x:row><x:c r=\"C2\" t=\"inlineStr\"><x:is><x:t><![CDATA[<原样>]]></x:t></x:is></x:c><x:c r=\"D2\"/></x:row>"
        let books = [
            try scratch.package("a.xlsx", parts: Parts.workbookParts(sheets: [("S", nil, Parts.sheet(XLSXReadingTests.mainSheetRows, merges: ["A1:D1"]))])),
            try scratch.package("b.xlsx", parts: Parts.workbookParts(sheets: [("S", nil, Parts.sheet(prefixed, prefix: "x"))])),
        ]
        for url in books {
            var slow = TableReadOptions()
            slow.fastScan = false
            let fast = try TableReader.readAll(url: url)
            let reference = try TableReader.readAll(url: url, options: slow)
            #expect(fast == reference)
            #expect(!fast.isEmpty)
        }
        let prefixedRows = try TableReader.readAll(url: books[1])
        #expect(prefixedRows.map(\.values) == [["甲&乙丙丁", "张三"], ["", "", "<原样>"]])
    }

    @Test func headerSkipsMergedTitleRow() throws {
        let scratch = try Scratch()
        let url = try scratch.package("学生.xlsx", parts: Parts.workbookParts(sheets: [
            ("学生名册", nil, Parts.sheet(XLSXReadingTests.mainSheetRows, merges: ["A1:D1"])),
        ]))
        var reader = try TableReader.open(url: url)
        let header = try #require(try reader.readHeader())
        #expect(header.rowNumber == 2)
        #expect(header.skippedRowNumbers == [1])
        #expect(header.names == ["姓名", "出生日期", "金额", "是否寄宿"])
        #expect(header.column(named: "出生 日期", "birth_date") == 1)
        #expect(header.column(named: "学籍号") == nil)
        let first = try #require(try reader.next())
        #expect(first.number == 3)
    }

    @Test func verticalMergeFillsDownAndPrefixedNamespacesWork() throws {
        let rows = "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>学校</x:t></x:is></x:c><x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>姓名</x:t></x:is></x:c></x:row>"
            + "<x:row r=\"2\"><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t>城关小学</x:t></x:is></x:c><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>甲</x:t></x:is></x:c></x:row>"
            + "<x:row r=\"3\"><x:c r=\"B3\" t=\"inlineStr\"><x:is><x:t>乙</x:t></x:is></x:c></x:row>"
            + "<x:row r=\"4\"><x:c r=\"B4\" t=\"inlineStr\"><x:is><x:t>丙</x:t></x:is></x:c></x:row>"
        let scratch = try Scratch()
        let url = try scratch.package("prefixed.xlsx", parts: Parts.workbookParts(sheets: [
            ("Sheet1", nil, Parts.sheet(rows, merges: ["A2:A3"], prefix: "x")),
        ]))
        let read = try TableReader.readAll(url: url)
        #expect(read.map(\.values) == [["学校", "姓名"], ["城关小学", "甲"], ["城关小学", "乙"], ["", "丙"]])
    }

    @Test func sheetSelectionAndHiddenSheets() throws {
        let one = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>一</t></is></c></row>"
        let two = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>二</t></is></c></row>"
        let three = "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>三</t></is></c></row>"
        let scratch = try Scratch()
        let url = try scratch.package("多表.xlsx", parts: Parts.workbookParts(sheets: [
            ("第一", nil, Parts.sheet(one)), ("下拉", "hidden", Parts.sheet(two)), ("第三", "visible", Parts.sheet(three)),
        ]))
        let infos = try TableReader.sheets(url: url)
        #expect(infos.map(\.name) == ["第一", "下拉", "第三"])
        #expect(infos.map(\.isHidden) == [false, true, false])
        let visible = try TableReader.readAll(url: url)
        #expect(visible.map { "\($0.sheet)!\($0.number)=\($0[0])" } == ["第一!1=一", "第三!3=三"])
        let all = try TableReader.readAll(url: url, options: TableReadOptions(sheets: .all))
        #expect(all.count == 3)
        let named = try TableReader.readAll(url: url, options: TableReadOptions(sheets: .named("下拉")))
        #expect(named.map(\.values) == [["二"]])
        let first = try TableReader.readAll(url: url, options: TableReadOptions(sheets: .firstVisible))
        #expect(first.map(\.sheet) == ["第一"])
        #expect(throws: OfficeFormatError.self) { _ = try TableReader.readAll(url: url, options: TableReadOptions(sheets: .named("无此表"))) }
        do {
            _ = try TableReader.readAll(url: url, options: TableReadOptions(sheets: .named("无此表")))
        } catch {
            #expect(error.code == .sheetNotFound)
            #expect(error.message.contains("“第一”、“下拉”、“第三”"))
        }
    }

    @Test func date1904SystemAndSerialEdgeCases() throws {
        let rows = "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>43830</v></c></row>"
        let scratch = try Scratch()
        let url = try scratch.package("mac.xlsx", parts: Parts.workbookParts(sheets: [("S", nil, Parts.sheet(rows))], date1904: true))
        let read = try TableReader.readAll(url: url)
        #expect(read.first?.values == ["1904-01-01", "2024-01-01"])

        #expect(SerialDate.text(serial: 1, display: .date, uses1904: false) == "1900-01-01")
        #expect(SerialDate.text(serial: 59, display: .date, uses1904: false) == "1900-02-28")
        #expect(SerialDate.text(serial: 60, display: .date, uses1904: false) == "1900-02-29")
        #expect(SerialDate.text(serial: 61, display: .date, uses1904: false) == "1900-03-01")
        #expect(SerialDate.text(serial: 45351, display: .date, uses1904: false) == "2024-02-29")
        #expect(SerialDate.text(serial: 2_958_465, display: .date, uses1904: false) == "9999-12-31")
        #expect(SerialDate.text(serial: -1, display: .date, uses1904: false) == nil)
        #expect(SerialDate.serial(year: 2024, month: 1, day: 1) == 45292)
        #expect(SerialDate.serial(year: 1900, month: 3, day: 1) == 61)
    }

    @Test func customFormatClassification() {
        #expect(CellFormats.classify("yyyy\"年\"m\"月\"d\"日\"") == .date)
        #expect(CellFormats.classify("[DBNum1][$-804]yyyy\"年\"m\"月\"") == .date)
        #expect(CellFormats.classify("yyyy/m/d h:mm") == .dateTime)
        #expect(CellFormats.classify("[h]:mm") == .time)
        #expect(CellFormats.classify("0.00E+00") == .number)
        #expect(CellFormats.classify("General") == .number)
        #expect(CellFormats.classify("#,##0.00_);[Red](#,##0.00)") == .number)
        #expect(CellFormats.classify("0\"天\"") == .number)
        #expect(CellFormats.builtIn(14) == .date && CellFormats.builtIn(58) == .date && CellFormats.builtIn(0) == .number)
    }

    @Test func formulaWithoutCachedValueNamesTheCell() throws {
        let rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>合计</t></is></c></row>"
            + "<row r=\"5\"><c r=\"A5\"><v>1</v></c><c r=\"C5\"><f>SUM(A1:A4)</f></c></row>"
        let scratch = try Scratch()
        let url = try scratch.package("公式.xlsx", parts: Parts.workbookParts(sheets: [("汇总", nil, Parts.sheet(rows))]))
        var reader = try TableReader.open(url: url)
        #expect(try reader.next()?.number == 1)
        do {
            _ = try reader.next()
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .formulaWithoutValue)
            #expect(error.cell == "C5" && error.row == 5 && error.sheet == "汇总")
            #expect(error.message.contains("C5") && error.message.contains("汇总"))
        }
    }

    @Test func emptySheetsAndSheetWithoutRows() throws {
        let scratch = try Scratch()
        let selfClosing = Parts.declaration + "<worksheet xmlns=\"\(Parts.main)\"><sheetData/></worksheet>"
        let url = try scratch.package("空.xlsx", parts: Parts.workbookParts(sheets: [
            ("空一", nil, selfClosing), ("空二", nil, Parts.sheet("")),
        ]))
        #expect(try TableReader.readAll(url: url).isEmpty)
        var reader = try TableReader.open(url: url)
        #expect(try reader.readHeader() == nil)
    }

    @Test func manyRowsAcrossBatchesKeepOrderAndMerges() throws {
        // More than one 1 MB batch, with a merged range spanning a batch boundary.
        var rows = ""
        let filler = String(repeating: "填", count: 100)
        for r in 1...6_000 {
            let merged = r == 1 ? "<c r=\"C1\" t=\"inlineStr\"><is><t>合并</t></is></c>" : ""
            rows += "<row r=\"\(r)\"><c r=\"A\(r)\"><v>\(r)</v></c><c r=\"B\(r)\" t=\"inlineStr\"><is><t>\(filler)</t></is></c>\(merged)</row>"
        }
        let scratch = try Scratch()
        let url = try scratch.package("大.xlsx", parts: Parts.workbookParts(sheets: [
            ("S", nil, Parts.sheet(rows, merges: ["C1:C6000"])),
        ]))
        var reader = try TableReader.open(url: url)
        var expected = 1
        while let row = try reader.next() {
            #expect(row.number == expected && row[0] == String(expected) && row[2] == "合并")
            expected += 1
        }
        #expect(expected == 6_001)
        #expect(reader.progress.done == reader.progress.total && reader.progress.total > 1 << 20)
    }
}
