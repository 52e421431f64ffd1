import Foundation
@testable import OfficeFormats

/// Builds test inputs in a private temporary directory; nothing binary is committed.
struct Scratch: ~Copyable {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    deinit { directory.remove() }

    func url(_ name: String) -> URL { directory.url.appendingPathComponent(name) }

    func file(_ name: String, bytes: [UInt8]) throws -> URL {
        let url = url(name)
        try Data(bytes).write(to: url)
        return url
    }

    func file(_ name: String, text: String) throws -> URL {
        try file(name, bytes: Array(text.utf8))
    }

    /// A zip package of hand-written parts, in the order given.
    func package(_ name: String, parts: [(String, String)]) throws -> URL {
        let url = url(name)
        let writer = try PackageWriter(destination: url)
        for (path, text) in parts { try writer.add(path, text) }
        return url
    }
}

/// Hand-written OOXML parts in the shapes Excel and WPS produce.
enum Parts {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\r\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    static let contentTypes = declaration
        + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#

    static let rootRels = declaration
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#

    static func workbook(sheets: [(name: String, state: String?)], date1904: Bool = false) -> String {
        var xml = declaration + "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\">"
        xml += date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr defaultThemeVersion=\"124226\"/>"
        xml += "<sheets>"
        for (index, sheet) in sheets.enumerated() {
            let state = sheet.state.map { " state=\"\($0)\"" } ?? ""
            xml += "<sheet name=\"\(sheet.name)\" sheetId=\"\(index + 1)\"\(state) r:id=\"rId\(index + 1)\"/>"
        }
        return xml + "</sheets><calcPr calcId=\"145621\"/></workbook>"
    }

    /// Relationships with absolute targets for sheets (as some writers do) and relative for the rest.
    static func workbookRels(sheetCount: Int, sharedStrings: Bool = true, styles: Bool = true) -> String {
        var xml = declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for index in 0..<sheetCount {
            let target = index == 0 ? "/xl/worksheets/sheet1.xml" : "worksheets/sheet\(index + 1).xml"
            xml += "<Relationship Id=\"rId\(index + 1)\" Type=\"\(rel)/worksheet\" Target=\"\(target)\"/>"
        }
        if sharedStrings {
            xml += "<Relationship Id=\"rId90\" Type=\"\(rel)/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        }
        if styles {
            xml += "<Relationship Id=\"rId91\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/>"
        }
        return xml + "</Relationships>"
    }

    /// Shared strings: plain, rich text in runs, a phonetic guide to ignore, an escaped carriage return.
    static let sharedStrings = declaration
        + "<sst xmlns=\"\(main)\" count=\"6\" uniqueCount=\"6\">"
        + "<si><t>学生花名册</t></si>"
        + "<si><t>姓名</t></si>"
        + "<si><r><rPr><b/><sz val=\"11\"/></rPr><t>出生</t></r><r><t xml:space=\"preserve\">日期</t></r></si>"
        + "<si><t>张三</t><rPh sb=\"0\" eb=\"1\"><t>ZHANG</t></rPh></si>"
        + "<si><t>A&amp;B &lt;1&gt;</t></si>"
        + "<si><t>第一行_x000D_第二行</t></si>"
        + "</sst>"

    /// Style 0 general, 1 built-in date 14, 2 custom 年月日 date, 3 custom number with quoted text,
    /// 4 built-in date-time 22, 5 Chinese built-in 31, 6 time 20.
    static let styles = declaration
        + "<styleSheet xmlns=\"\(main)\"><numFmts count=\"2\">"
        + "<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
        + "<numFmt numFmtId=\"177\" formatCode=\"0.00&quot;元&quot;;[Red]\\-0.00&quot;元&quot;\"/>"
        + "</numFmts><fonts count=\"1\"><font><sz val=\"11\"/><name val=\"宋体\"/></font></fonts>"
        + "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\" fontId=\"0\"/></cellStyleXfs>"
        + "<cellXfs count=\"7\"><xf numFmtId=\"0\" xfId=\"0\"/><xf numFmtId=\"14\" xfId=\"0\" applyNumberFormat=\"1\"/>"
        + "<xf numFmtId=\"176\" xfId=\"0\"/><xf numFmtId=\"177\" xfId=\"0\"/><xf numFmtId=\"22\" xfId=\"0\"/>"
        + "<xf numFmtId=\"31\" xfId=\"0\"/><xf numFmtId=\"20\" xfId=\"0\"/></cellXfs></styleSheet>"

    static func sheet(_ rows: String, merges: [String] = [], prefix: String = "") -> String {
        let p = prefix.isEmpty ? "" : prefix + ":"
        let ns = prefix.isEmpty ? "xmlns=\"\(main)\"" : "xmlns:\(prefix)=\"\(main)\""
        var xml = declaration + "<\(p)worksheet \(ns) xmlns:r=\"\(rel)\">"
        xml += "<\(p)dimension ref=\"A1:AB9\"/><\(p)sheetViews><\(p)sheetView workbookViewId=\"0\"/></\(p)sheetViews>"
        xml += "<\(p)cols><\(p)col min=\"1\" max=\"3\" width=\"12\"/></\(p)cols>"
        xml += "<\(p)sheetData>\(rows)</\(p)sheetData>"
        if !merges.isEmpty {
            xml += "<\(p)mergeCells count=\"\(merges.count)\">"
            xml += merges.map { "<\(p)mergeCell ref=\"\($0)\"/>" }.joined()
            xml += "</\(p)mergeCells>"
        }
        return xml + "<\(p)pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/></\(p)worksheet>"
    }

    static func workbookParts(sheets: [(name: String, state: String?, xml: String)], date1904: Bool = false) -> [(String, String)] {
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", rootRels),
            ("xl/workbook.xml", workbook(sheets: sheets.map { ($0.name, $0.state) }, date1904: date1904)),
            ("xl/_rels/workbook.xml.rels", workbookRels(sheetCount: sheets.count)),
            ("xl/sharedStrings.xml", sharedStrings),
            ("xl/styles.xml", styles),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", sheet.xml))
        }
        return parts
    }
}

/// The `OfficeFormatError` a body throws; nil when it throws nothing (or something else).
func caught(_ body: () throws -> Void) -> OfficeFormatError? {
    do {
        try body()
        return nil
    } catch let error as OfficeFormatError {
        return error
    } catch {
        return nil
    }
}
