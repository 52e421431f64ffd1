import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import OfficeFormats

/// A 2×1 PNG (one red, one blue pixel) assembled byte by byte with correct CRCs; the writer reads its header.
let tinyPNG: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x7B, 0x40, 0xE8,
    0xDD, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0x00, 0x04,
    0xFF, 0x01, 0x07, 0x00, 0x01, 0xFF, 0xE2, 0x23, 0x9E, 0x59, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
]

/// Every XML part of a package parses as well-formed XML.
func assertWellFormed(_ url: URL, parts: [String]) throws {
    let package = try ZipPackage(url: url, limits: FileLimits(), expected: .wordDocument)
    for part in parts {
        let data = try #require(try package.data(part), "missing \(part)")
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "\(part) is not well-formed: \(String(describing: parser.parserError))")
    }
}

@Suite("Writing and reading .docx")
struct DocxTests {
    func sampleReport() throws -> DocxDocument {
        var document = DocxDocument(numberHeadings: true)
        document.title("城关区教育局2024年工作总结")
        document.heading("基本情况", level: 1)
        document.paragraph([
            .plain("全区小学在校学生"), .figure("24341", bookmark: "fig-primary-students", traceURL: "https://example.invalid/trace?id=1&x=2"),
            .plain("人，"), .bold("初中"), .plain("在校学生"), DocxRun("12458", link: .bookmark("fig-primary-students")), .plain("人。"),
        ])
        document.heading("办学条件", level: 2)
        document.heading("校舍", level: 3)
        document.paragraph("第一行\n第二行\t制表 <&> \"引号\"")
        document.table(header: ["学校", "学生数"], rows: [["城关小学", "1200"], ["东关小学"]])
        document.pageBreak()
        document.heading("下一步工作", level: 1)
        document.image(try DocxImage(png: Data(tinyPNG), widthCentimetres: 10, description: "学生数柱状图"))
        document.centered("城关区教育局")
        return document
    }

    @Test func roundTripParagraphs() throws {
        let scratch = try Scratch()
        let url = scratch.url("报告.docx")
        try sampleReport().write(to: url)
        let paragraphs = try DocxText.paragraphs(url: url)
        #expect(paragraphs == [
            "城关区教育局2024年工作总结",
            "一、基本情况",
            "全区小学在校学生24341人，初中在校学生12458人。",
            "（一）办学条件",
            "1．校舍",
            "第一行 第二行 制表 <&> \"引号\"",
            "学校", "学生数", "城关小学", "1200", "东关小学", "",
            "",  // paragraph after the table
            "",  // page break paragraph (a page break adds no space)
            "二、下一步工作",
            "",  // picture
            "城关区教育局",
        ])
    }

    @Test func partsAreWellFormedAndChineseAware() throws {
        let scratch = try Scratch()
        let url = scratch.url("报告.docx")
        try sampleReport().write(to: url)
        try assertWellFormed(url, parts: [
            "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
            "word/styles.xml", "word/settings.xml", "word/footer1.xml", "docProps/core.xml",
        ])
        let package = try ZipPackage(url: url, limits: FileLimits(), expected: .wordDocument)
        let document = String(decoding: try #require(try package.data("word/document.xml")), as: UTF8.self)
        let styles = String(decoding: try #require(try package.data("word/styles.xml")), as: UTF8.self)
        // Every run names its East Asian font.
        let runs = document.components(separatedBy: "<w:r>").count - 1
        let fontTags = document.components(separatedBy: "<w:rFonts ").dropFirst()
        #expect(runs > 10 && fontTags.count == runs)
        #expect(fontTags.allSatisfy { $0.prefix(while: { $0 != ">" }).contains("w:eastAsia=\"") })
        #expect(document.contains("w:eastAsia=\"黑体\"") && document.contains("w:eastAsia=\"仿宋\"") && document.contains("w:eastAsia=\"宋体\""))
        #expect(styles.contains("w:eastAsia=\"zh-CN\""))
        #expect(styles.contains("<w:sz w:val=\"32\"/>"))  // 三号 = 16 pt
        #expect(document.contains("<w:bookmarkStart w:id=\"0\" w:name=\"fig_primary_students\"/>"))
        #expect(document.contains("w:anchor=\"fig_primary_students\""))
        #expect(document.contains("<w:br w:type=\"page\"/>"))
        #expect(try package.data("word/media/image1.png") == Data(tinyPNG))
        let rels = String(decoding: try #require(try package.data("word/_rels/document.xml.rels")), as: UTF8.self)
        #expect(rels.contains("Target=\"https://example.invalid/trace?id=1&amp;x=2\" TargetMode=\"External\""))
        #expect(rels.contains("media/image1.png"))
    }

    @Test func writingIsDeterministic() throws {
        let scratch = try Scratch()
        try sampleReport().write(to: scratch.url("a.docx"))
        try sampleReport().write(to: scratch.url("b.docx"))
        #expect(try Data(contentsOf: scratch.url("a.docx")) == Data(contentsOf: scratch.url("b.docx")))
    }

    @Test func readsHandWrittenWordFeatures() throws {
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"\(w)\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>"
            + "<w:p><w:r><w:t>入学率</w:t></w:r><w:ins><w:r><w:t>达</w:t></w:r></w:ins><w:del><w:r><w:delText>为</w:delText></w:r></w:del><w:r><w:t>100%</w:t></w:r></w:p>"
            + "<w:p><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>3</w:t></w:r><w:r><w:noBreakHyphen/><w:t>4</w:t></w:r></w:p>"
            + "<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>点</w:t></w:r></w:p>"
            + "</w:body></w:document>"
        let scratch = try Scratch()
        let url = try scratch.package("手写.docx", parts: [
            ("[Content_Types].xml", Parts.contentTypes),
            ("_rels/.rels", Parts.rootRels.replacingOccurrences(of: "xl/workbook.xml", with: "word/document.xml")),
            ("word/document.xml", body),
        ])
        #expect(try DocxText.paragraphs(url: url) == ["入学率达100%", "3-4", "文本框", "锚点"])
    }

    @Test func refusesEncryptedCorruptAndWrongFiles() throws {
        let scratch = try Scratch()
        func code(_ url: URL) -> OfficeFormatError.Code? {
            do {
                _ = try DocxText.paragraphs(url: url)
                return nil
            } catch {
                return error.code
            }
        }
        let ole = try scratch.file("加密.docx", bytes: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 100))
        #expect(code(ole) == .encryptedOrLegacy)
        do {
            _ = try DocxText.paragraphs(url: ole)
        } catch {
            #expect(error.message.hasPrefix("文件已加密或为旧版 .doc 格式，请另存为 .docx"))
        }
        #expect(code(try scratch.file("文本.docx", text: "不是文档")) == .notAZip)
        #expect(code(try scratch.file("坏.docx", bytes: [0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 7, count: 64))) == .corruptPackage)
        #expect(code(try scratch.file("空.docx", bytes: [])) == .emptyFile)
        let xlsx = scratch.url("表.docx")
        var writer = try XLSXWriter(url: xlsx)
        try writer.writeRow(["a"])
        try writer.finish()
        #expect(code(xlsx) == .wrongDocumentKind)
        let broken = try scratch.package("坏XML.docx", parts: [
            ("_rels/.rels", Parts.rootRels.replacingOccurrences(of: "xl/workbook.xml", with: "word/document.xml")),
            ("word/document.xml", "<w:document xmlns:w=\"x\"><w:body><w:p></w:body>"),
        ])
        #expect(code(broken) == .malformedXML)
    }

    @Test func rejectsNonPNGAndNumbersHeadings() throws {
        #expect(throws: OfficeFormatError.self) { _ = try DocxImage(png: Data("GIF89a".utf8)) }
        #expect(DocxDocument.chineseNumeral(1) == "一")
        #expect(DocxDocument.chineseNumeral(10) == "十")
        #expect(DocxDocument.chineseNumeral(12) == "十二")
        #expect(DocxDocument.chineseNumeral(20) == "二十")
        #expect(DocxDocument.chineseNumeral(105) == "一百零五")
        #expect(DocxDocument.chineseNumeral(110) == "一百一十")
    }
}
