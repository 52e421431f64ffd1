import Foundation
import Testing
@testable import OfficeFormats

@Suite("Reading .csv as Chinese offices write it")
struct CSVTests {
    @Test func utf8WithQuotingCRLFAndTrailingBlankLines() throws {
        let scratch = try Scratch()
        let text = "姓名,地址,备注\r\n张三,\"城关镇,一村\",\"他说\"\"好\"\"\"\r\n李四,\"两行\n地址\",\r\n\r\n,,\r\n王五,,末尾\r\n\r\n\r\n"
        let url = try scratch.file("学生.csv", text: text)
        var reader = try TableReader.open(url: url)
        #expect(reader.format == .csv && reader.csvEncoding == .utf8 && reader.sheetNames == ["学生"])
        var rows: [TableRow] = []
        while let row = try reader.next() { rows.append(row) }
        #expect(rows.map(\.number) == [1, 2, 3, 6])  // rows 4 (blank) and 5 (",,") are empty
        #expect(rows[1].values == ["张三", "城关镇,一村", "他说\"好\""])
        #expect(rows[2].values == ["李四", "两行\n地址"])
        #expect(rows[3].values == ["王五", "", "末尾"])
        #expect(rows[0].sheet == "学生")
    }

    /// Lines without quotes are cut in place, the others byte by byte: across the 1 MB buffer
    /// boundaries, with every line ending and with quoted fields between plain lines, both give
    /// the fields and row numbers the file has.
    @Test func plainAndQuotedLinesAcrossBufferBoundaries() throws {
        let endings = ["\r\n", "\n", "\r"]
        var text = "学号,姓名,备注\r\n"
        var expected: [[String]] = [["学号", "姓名", "备注"]]
        for n in 0..<80_000 {
            let row: [String]
            switch n % 5 {
            case 0: row = ["\(n)", "学生\(n)", "城关镇,一村\(n)"]
            case 1: row = ["\(n)", "", "他说\"好\"\(n)"]
            case 2: row = ["\(n)", "王五\(n)"]
            default: row = ["\(n)", "李四\(n)", "末尾 \(n)"]
            }
            let cells = row.map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
            text += cells.joined(separator: ",") + endings[n % 3]
            expected.append(row)
        }
        let scratch = try Scratch()
        let url = try scratch.file("大文件.csv", text: text)
        #expect(text.utf8.count > 2 * CSVStream.chunkBytes)
        var reader = try TableReader.open(url: url)
        var rows: [TableRow] = []
        while let row = try reader.next() { rows.append(row) }
        #expect(rows.count == expected.count)
        #expect(rows.map(\.number) == Array(1...expected.count))
        #expect(rows.map(\.values) == expected)
    }

    @Test func utf8BOMIsRemoved() throws {
        let scratch = try Scratch()
        let url = try scratch.file("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("学号,姓名\n1,甲\n".utf8))
        let rows = try TableReader.readAll(url: url)
        #expect(rows.first?.values == ["学号", "姓名"])
        #expect(rows.first?[0].unicodeScalars.first == "学")
    }

    @Test func gb18030AsChineseExcelWritesIt() throws {
        // "学生,姓名\r\n1,张三\r\n" in GB18030: 学 D1A7 生 C9FA 姓 D0D5 名 C3FB 张 D5C5 三 C8FD.
        let bytes: [UInt8] = [0xD1, 0xA7, 0xC9, 0xFA, 0x2C, 0xD0, 0xD5, 0xC3, 0xFB, 0x0D, 0x0A,
                              0x31, 0x2C, 0xD5, 0xC5, 0xC8, 0xFD, 0x0D, 0x0A,
                              // a four-byte GB18030 sequence (81 30 81 30 = U+0080) inside quotes with a comma
                              0x22, 0x81, 0x30, 0x81, 0x30, 0x2C, 0x41, 0x22, 0x0D, 0x0A]
        let scratch = try Scratch()
        let url = try scratch.file("gbk.csv", bytes: bytes)
        var reader = try TableReader.open(url: url)
        #expect(reader.csvEncoding == .gb18030)
        #expect(try reader.next()?.values == ["学生", "姓名"])
        #expect(try reader.next()?.values == ["1", "张三"])
        #expect(try reader.next()?.values == ["\u{80},A"])
        #expect(try reader.next() == nil)
    }

    @Test func gbkBytesThatLookLikeUTF8AtFirstAreStillDetected() throws {
        // 学 = D1 A7 is also valid UTF-8 (U+0467); only the whole-file check catches the rest.
        var bytes: [UInt8] = []
        for _ in 0..<5_000 { bytes += Array("abc,".utf8) + [0xD1, 0xA7, 0x0A] }
        bytes += [0xC9, 0xFA, 0x0A]  // 生, invalid as UTF-8
        let scratch = try Scratch()
        let url = try scratch.file("late.csv", bytes: bytes)
        let rows = try TableReader.readAll(url: url)
        #expect(rows.first?.values == ["abc", "学"])
        #expect(rows.last?.values == ["生"])
        #expect(rows.last?.number == 5_001)
    }

    @Test func unterminatedQuoteNamesTheRow() throws {
        let scratch = try Scratch()
        let url = try scratch.file("bad.csv", text: "姓名,备注\n甲,好\n乙,\"没有结束\n丙,正常\n")
        var reader = try TableReader.open(url: url)
        #expect(try reader.next()?.number == 1)
        #expect(try reader.next()?.number == 2)
        do {
            _ = try reader.next()
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unterminatedQuote)
            #expect(error.row == 3)
            #expect(error.message.contains("第 3 行"))
        }
    }

    @Test func lonelyCarriageReturnsAndTabDelimiter() throws {
        let scratch = try Scratch()
        let mac = try scratch.file("mac.csv", text: "a,b\rc,d\r")
        #expect(try TableReader.readAll(url: mac).map(\.values) == [["a", "b"], ["c", "d"]])
        let tsv = try scratch.file("list.tsv", text: "a\tb,c\n")
        #expect(try TableReader.readAll(url: tsv).map(\.values) == [["a", "b,c"]])
        let semicolon = try TableReader.readAll(url: try scratch.file("s.csv", text: "a;b\n"), options: TableReadOptions(csvDelimiter: ";"))
        #expect(semicolon.map(\.values) == [["a", "b"]])
    }

    @Test func headerDetectionOnCSVWithTitleAndUnitLine() throws {
        let scratch = try Scratch()
        let url = try scratch.file("t.csv", text: "2024年秋季学期在校生名册,,,,\n填报单位：城关小学,,,填表日期：,\n学籍号,姓名,性别,出生日期,班级\nG1,甲,男,2015-01-01,一(1)班\n")
        var reader = try TableReader.open(url: url)
        let header = try #require(try reader.readHeader())
        #expect(header.rowNumber == 3 && header.skippedRowNumbers == [1, 2])
        #expect(header.names == ["学籍号", "姓名", "性别", "出生日期", "班级"])
        #expect(try reader.next()?.values.first == "G1")
        #expect(try reader.next() == nil)
    }

    @Test func utf8Validator() {
        func valid(_ bytes: [UInt8]) -> Bool {
            var v = UTF8Validator()
            bytes.withUnsafeBytes { v.feed($0) }
            return v.isValid && v.isComplete
        }
        #expect(valid(Array("学生 abc".utf8)))
        #expect(!valid([0xC0, 0x80]))          // overlong
        #expect(!valid([0xED, 0xA0, 0x80]))    // surrogate
        #expect(!valid([0xE5, 0xAD]))          // truncated
        #expect(!valid([0xC9, 0xFA]))
    }
}

@Suite("Writing .csv")
struct CSVWriterTests {
    @Test func roundTripWithQuotingAndFormulaProtection() throws {
        let scratch = try Scratch()
        let url = scratch.url("导出.csv")
        var writer = try CSVWriter(url: url)
        try writer.writeRow(["学籍号", "姓名", "备注"])
        try writer.writeRow(["G1", "张\"三\"", "城关镇,一村\n二组"])
        try writer.writeRow(["=1+1", "-12", "-abc", "@x", " 前后空格 "])
        try writer.finish()
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let rows = try TableReader.readAll(url: url)
        #expect(rows.map(\.values) == [
            ["学籍号", "姓名", "备注"],
            ["G1", "张\"三\"", "城关镇,一村\n二组"],
            ["'=1+1", "-12", "'-abc", "'@x", " 前后空格 "],
        ])
        #expect(rows.map(\.number) == [1, 2, 3])
    }
}

extension CSVWriterTests {
    @Test func unfinishedExportIsRemoved() throws {
        let scratch = try Scratch()
        let url = scratch.url("半.csv")
        do {
            var writer = try CSVWriter(url: url)
            try writer.writeRow(["a"])
        }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}
