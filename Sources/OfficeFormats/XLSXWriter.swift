import Foundation

/// One cell to write.
public struct XLSXCell: Sendable, Hashable, ExpressibleByStringLiteral {
    public enum Value: Sendable, Hashable {
        case text(String)
        case number(Double)
        /// Written as a real date (serial number with a yyyy-mm-dd format), so Excel can sort and filter it.
        case date(year: Int, month: Int, day: Int)
        case empty
    }

    public enum Style: Sendable, Hashable {
        case normal
        /// Bold on light grey: header rows.
        case bold
        /// Yellow fill: a cell with a problem in an annotated copy of a workbook.
        case highlighted
        /// Red, wrapped text: the message column of an annotated copy.
        case note
    }

    public var value: Value
    public var style: Style

    public init(_ value: Value, style: Style = .normal) {
        self.value = value
        self.style = style
    }

    public init(stringLiteral text: String) {
        self.init(.text(text))
    }

    public static func text(_ text: String, style: Style = .normal) -> XLSXCell { XLSXCell(.text(text), style: style) }
    public static func number(_ number: Double, style: Style = .normal) -> XLSXCell { XLSXCell(.number(number), style: style) }
    public static func number(_ number: Int, style: Style = .normal) -> XLSXCell { XLSXCell(.number(Double(number)), style: style) }
    public static let empty = XLSXCell(.empty)
}

/// A drop-down list on a column of a sheet (below the header), for templates: "男,女".
public struct XLSXDropDown: Sendable, Hashable {
    /// 0-based column.
    public var column: Int
    public var choices: [String]

    public init(column: Int, choices: [String]) {
        self.column = column
        self.choices = choices
    }
}

/// Options of one sheet that must be known before its rows are written.
public struct XLSXSheetOptions: Sendable, Hashable {
    /// Widths in Excel's character units, from column A on (a Chinese character is about 2 units).
    public var columnWidths: [Double]
    /// Keep the first row visible while scrolling.
    public var freezeFirstRow: Bool
    public var dropDowns: [XLSXDropDown]

    public init(columnWidths: [Double] = [], freezeFirstRow: Bool = true, dropDowns: [XLSXDropDown] = []) {
        self.columnWidths = columnWidths
        self.freezeFirstRow = freezeFirstRow
        self.dropDowns = dropDowns
    }
}

/// Writes an .xlsx workbook row by row: each sheet's XML goes to a temporary file as rows arrive, and
/// `finish()` zips the package. Memory does not grow with the number of rows.
///
/// The package is minimal and written by us: content types, relationships, workbook, styles and one
/// worksheet part per sheet, with inline strings (no shared string table, which would need every string
/// in memory). Opens in Excel, WPS and LibreOffice.
///
/// Usage: `var w = try XLSXWriter(url: out)`, `try w.addSheet("学生")`, `try w.writeHeader([...])`,
/// `try w.writeRow([...])` …, `try w.finish()`. Without `finish()` nothing is written at `url`.
public struct XLSXWriter: ~Copyable, Sendable {
    public let url: URL
    private let scratch: TemporaryDirectory
    private var sheets: [(name: String, file: URL)] = []
    private var writer: BufferedFileWriter?
    private var options = XLSXSheetOptions()
    private var nextRow = 1

    /// Excel's limit on the characters in one cell.
    static let maxCellCharacters = 32_767

    public init(url: URL) throws(OfficeFormatError) {
        self.url = url
        scratch = try TemporaryDirectory()
    }

    deinit {
        writer?.abandon()
        scratch.remove()
    }

    /// Starts a new sheet (ending the previous one). Names are made valid for Excel: the characters
    /// `[]:*?/\` become "_", at most 31 characters, and a repeated name gets " (2)", " (3)" …
    public mutating func addSheet(_ name: String, options: XLSXSheetOptions = XLSXSheetOptions()) throws(OfficeFormatError) {
        try endSheet()
        let clean = XLSXWriter.sheetName(name, taken: sheets.map(\.name))
        let file = scratch.url.appendingPathComponent("sheet\(sheets.count + 1).xml")
        var writer = try BufferedFileWriter(url: file)
        sheets.append((clean, file))
        self.options = options
        nextRow = 1
        var head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        head += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        head += "<sheetViews><sheetView workbookViewId=\"0\"\(sheets.count == 1 ? " tabSelected=\"1\"" : "")>"
        if options.freezeFirstRow {
            head += #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>"#
        }
        head += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/>"
        let widths = options.columnWidths.enumerated().filter { $0.element > 0 }
        if !widths.isEmpty {
            head += "<cols>"
            for (index, width) in widths {
                head += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(NumberText.written(min(width, 255)))\" customWidth=\"1\"/>"
            }
            head += "</cols>"
        }
        head += "<sheetData>"
        try writer.write(head)
        self.writer = writer
    }

    /// A header row: bold on grey.
    public mutating func writeHeader(_ names: [String]) throws(OfficeFormatError) {
        try writeRow(names.map { XLSXCell(.text($0), style: .bold) })
    }

    /// A row of text cells.
    public mutating func writeRow(_ values: [String]) throws(OfficeFormatError) {
        try writeRow(values.map { XLSXCell(.text($0)) })
    }

    /// A row of cells from column A on. `rowNumber` (1-based) places it further down, e.g. to keep the
    /// row numbers of an annotated copy equal to the original's; it must be after the last row written.
    public mutating func writeRow(_ cells: [XLSXCell], rowNumber: Int? = nil) throws(OfficeFormatError) {
        if writer == nil { try addSheet("Sheet1") }
        let number = rowNumber ?? nextRow
        guard number >= nextRow, number <= CellReference.maxRow else {
            throw OfficeFormatError(.invalidArgument, "写入第 \(number) 行失败：行号必须大于已写入的第 \(nextRow - 1) 行，且不超过 \(CellReference.maxRow)。")
        }
        guard cells.count <= CellReference.maxColumn else {
            throw OfficeFormatError(.invalidArgument, "写入第 \(number) 行失败：一行最多 \(CellReference.maxColumn) 列。")
        }
        var xml = "<row r=\"\(number)\">"
        for (index, cell) in cells.enumerated() {
            let ref = CellReference.name(column: index, row: number)
            let style = XLSXWriter.styleIndex(cell)
            let s = style == 0 ? "" : " s=\"\(style)\""
            switch cell.value {
            case .empty:
                if style != 0 { xml += "<c r=\"\(ref)\"\(s)/>" }
            case .text(let text):
                var text = text
                if text.utf16.count > XLSXWriter.maxCellCharacters {
                    text = String(text.utf16.prefix(XLSXWriter.maxCellCharacters)) ?? String(text.prefix(XLSXWriter.maxCellCharacters / 2))
                }
                let space = XMLText.needsPreserve(text) ? " xml:space=\"preserve\"" : ""
                xml += "<c r=\"\(ref)\"\(s) t=\"inlineStr\"><is><t\(space)>\(XMLText.escaped(text))</t></is></c>"
            case .number(let number):
                if number.isFinite {
                    xml += "<c r=\"\(ref)\"\(s)><v>\(NumberText.written(number))</v></c>"
                } else {
                    xml += "<c r=\"\(ref)\"\(s) t=\"inlineStr\"><is><t>\(number.isNaN ? "NaN" : (number > 0 ? "∞" : "-∞"))</t></is></c>"
                }
            case .date(let year, let month, let day):
                xml += "<c r=\"\(ref)\"\(s)><v>\(SerialDate.serial(year: year, month: month, day: day))</v></c>"
            }
        }
        xml += "</row>"
        try writer?.write(xml)
        nextRow = number + 1
    }

    private mutating func endSheet() throws(OfficeFormatError) {
        guard var writer else { return }
        var tail = "</sheetData>"
        let validations = options.dropDowns.filter { !$0.choices.isEmpty && $0.column >= 0 && $0.column < CellReference.maxColumn }
        if !validations.isEmpty {
            tail += "<dataValidations count=\"\(validations.count)\">"
            for drop in validations {
                let letters = CellReference.columnLetters(drop.column)
                let list = drop.choices.map { $0.replacingOccurrences(of: ",", with: "，").replacingOccurrences(of: "\"", with: "") }
                    .joined(separator: ",")
                tail += "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" sqref=\"\(letters)2:\(letters)\(CellReference.maxRow)\">"
                tail += "<formula1>\(XMLText.escaped("\"" + list + "\""))</formula1></dataValidation>"
            }
            tail += "</dataValidations>"
        }
        tail += #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#
        try writer.write(tail)
        try writer.close()
        self.writer = nil
    }

    /// Ends the last sheet and writes the package at `url`.
    public consuming func finish() throws(OfficeFormatError) {
        if sheets.isEmpty { try addSheet("Sheet1") }
        try endSheet()
        let package = try PackageWriter(destination: url)
        do {
            try package.add("[Content_Types].xml", contentTypes())
            try package.add("_rels/.rels", XLSXWriter.rootRelationships)
            try package.add("xl/workbook.xml", workbook())
            try package.add("xl/_rels/workbook.xml.rels", workbookRelationships())
            try package.add("xl/styles.xml", XLSXWriter.styles)
            for (index, sheet) in sheets.enumerated() {
                try package.add("xl/worksheets/sheet\(index + 1).xml", file: sheet.file)
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }

    // MARK: parts

    private static func styleIndex(_ cell: XLSXCell) -> Int {
        let isDate: Bool
        if case .date = cell.value { isDate = true } else { isDate = false }
        switch cell.style {
        case .normal: return isDate ? 4 : 0
        case .bold: return 1
        case .highlighted: return isDate ? 5 : 2
        case .note: return 3
        }
    }

    static func sheetName(_ raw: String, taken: [String]) -> String {
        var name = String(raw.map { "[]:*?/\\".contains($0) ? "_" : $0 })
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        if name.trimmingCharacters(in: .whitespaces).isEmpty { name = "Sheet\(taken.count + 1)" }
        if name.count > 31 { name = String(name.prefix(31)) }
        let lowered = Set(taken.map { $0.lowercased() })
        var candidate = name
        var counter = 2
        while lowered.contains(candidate.lowercased()) {
            let suffix = " (\(counter))"
            candidate = String(name.prefix(31 - suffix.count)) + suffix
            counter += 1
        }
        return candidate
    }

    private func contentTypes() -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        xml += #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        xml += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
        xml += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        xml += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        for index in sheets.indices {
            xml += "<Override PartName=\"/xl/worksheets/sheet\(index + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return xml + "</Types>"
    }

    private static let rootRelationships = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
        + "</Relationships>"

    private func workbook() -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        xml += #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        xml += "<bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>"
        for (index, sheet) in sheets.enumerated() {
            xml += "<sheet name=\"\(XMLText.escaped(sheet.name, attribute: true))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        return xml + "</sheets></workbook>"
    }

    private func workbookRelationships() -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        xml += #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        for index in sheets.indices {
            xml += "<Relationship Id=\"rId\(index + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index + 1).xml\"/>"
        }
        xml += "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return xml + "</Relationships>"
    }

    /// Cell formats: 0 normal, 1 bold header on grey, 2 yellow highlight, 3 red wrapped note,
    /// 4 date, 5 highlighted date. Font 宋体 11pt as Chinese Excel/WPS default.
    private static let styles = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>"#
        + #"<fonts count="3">"#
        + #"<font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>"#
        + #"<font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>"#
        + #"<font><sz val="11"/><color rgb="FFC00000"/><name val="宋体"/><family val="3"/><charset val="134"/></font>"#
        + "</fonts>"
        + #"<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#
        + #"<fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/><bgColor indexed="64"/></patternFill></fill>"#
        + #"<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="6">"#
        + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>"#
        + #"<xf numFmtId="0" fontId="0" fillId="2" borderId="0" xfId="0" applyFill="1"/>"#
        + #"<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="2" borderId="0" xfId="0" applyNumberFormat="1" applyFill="1"/>"#
        + "</cellXfs>"
        + #"<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>"#
        + "</styleSheet>"
}
