import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Context every sheet of a workbook shares when cells are turned into text.
struct CellContext: Sendable {
    let sharedStrings: [String]
    let formats: CellFormats
    let uses1904: Bool
    let fileName: String
    let fastScan: Bool
    var maxColumns = 1024
}

/// A merged range, 0-based columns and 1-based rows, inclusive.
struct MergeRange: Sendable, Equatable {
    let firstRow: Int
    let lastRow: Int
    let firstColumn: Int
    let lastColumn: Int

    init?(_ ref: String) {
        let parts = ref.split(separator: ":")
        guard parts.count == 2, let a = CellReference.parse(parts[0]), let b = CellReference.parse(parts[1]) else {
            return nil
        }
        firstRow = min(a.row, b.row)
        lastRow = max(a.row, b.row)
        firstColumn = min(a.column, b.column)
        lastColumn = max(a.column, b.column)
    }
}

/// Reads one extracted worksheet XML file row by row.
///
/// XMLParser only pushes events and parses to the end, but callers pull rows one at a time. So the
/// sheet is cut, on raw bytes, into batches of whole `<row>` elements (about 1 MB each); each batch is
/// wrapped in the sheet's own root start tag (keeping its namespace declarations) and given to a fresh
/// XMLParser. Memory stays at one batch, whatever the size of the sheet. `<mergeCell>` elements come
/// after the rows in the file, so the tail after `</sheetData>` is parsed first.
struct SheetStream: Sendable {
    let sheet: String
    let partPath: String
    private let handle: FileHandle
    private let rootStart: [UInt8]
    private let rootClose: [UInt8]
    private var position: UInt64
    private let regionEnd: UInt64
    let fileSize: UInt64
    private var carry: [UInt8] = []
    private var merges: [MergeRange]
    private var nextMerge = 0
    private var active: [(range: MergeRange, value: TableCell)] = []
    private var lastRowNumber = 0
    private var deferredFailure: OfficeFormatError?

    static let batchBytes = 1 << 20

    init(sheet: String, partPath: String, file: URL, fileName: String) throws(OfficeFormatError) {
        self.sheet = sheet
        self.partPath = partPath
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw OfficeFormatError.writeFailed("临时文件")
        }
        self.handle = handle
        let size = (try? handle.seekToEnd()) ?? 0
        fileSize = size
        let malformed = SmallXML.malformed(part: partPath, fileName: fileName, line: 1)

        // Head: root start tag and the <sheetData> start tag.
        var head: [UInt8] = []
        var headInfo: (rootStart: [UInt8], rootName: [UInt8], regionStart: Int, selfClosing: Bool)?
        var offset: UInt64 = 0
        while headInfo == nil {
            guard offset < size, head.count < 64 << 20 else { break }
            let chunk = SheetStream.read(handle, at: offset, count: 256 << 10)
            if chunk.isEmpty { break }
            head += chunk
            offset += UInt64(chunk.count)
            headInfo = SheetStream.parseHead(head)
        }
        guard let info = headInfo else {
            // No <sheetData> at all: a sheet without cells, or not a worksheet.
            if SheetStream.rootElement(head) != nil {
                self.rootStart = []
                self.rootClose = []
                position = 0
                regionEnd = 0
                merges = []
                return
            }
            throw malformed
        }
        rootStart = info.rootStart
        rootClose = Array("</".utf8) + info.rootName + Array(">".utf8)
        position = UInt64(info.regionStart)

        // Tail: the end of sheetData and what follows it (merged ranges).
        let tailStart: UInt64
        if info.selfClosing {
            regionEnd = position
            tailStart = position
        } else {
            guard let end = SheetStream.findSheetDataEnd(handle, size: size, notBefore: position) else {
                throw malformed
            }
            regionEnd = end.start
            tailStart = end.afterEnd
        }
        var tail = SheetStream.read(handle, at: tailStart, count: Int(min(size - tailStart, 64 << 20)))
        var foundMerges: [MergeRange] = []
        if tail.count > 0 {
            tail = rootStart + tail
            let elements = try SmallXML.elements(Data(tail), part: partPath, fileName: fileName, named: ["mergeCell"])
            for element in elements {
                if let ref = element.attributes["ref"], let range = MergeRange(ref) {
                    foundMerges.append(range)
                }
            }
        }
        merges = foundMerges.sorted { ($0.firstRow, $0.firstColumn) < ($1.firstRow, $1.firstColumn) }
    }

    func close() {
        try? handle.close()
    }

    /// Bytes of the sheet XML consumed so far, for progress bars.
    var bytesRead: UInt64 { min(position, fileSize) }

    /// The next batch of rows (possibly empty when a batch held only blank rows); nil at the end.
    mutating func nextBatch(context: CellContext) throws(OfficeFormatError) -> [TableRow]? {
        if let failure = deferredFailure {
            deferredFailure = nil
            throw failure
        }
        var batch: [UInt8]?
        while batch == nil {
            if position >= regionEnd {
                if carry.isEmpty { return nil }
                batch = carry
                carry = []
                break
            }
            let count = Int(min(UInt64(SheetStream.batchBytes), regionEnd - position))
            let chunk = SheetStream.read(handle, at: position, count: count)
            if chunk.isEmpty {
                throw SmallXML.malformed(part: partPath, fileName: context.fileName, line: 0)
            }
            position += UInt64(chunk.count)
            carry += chunk
            if let cut = SheetStream.lastRowEnd(carry) {
                batch = Array(carry[..<cut])
                carry.removeSubrange(..<cut)
            }
        }
        guard let batch else { return nil }
        let rows = try parse(batch, context: context)
        return try finish(rows, context: context)
    }

    private mutating func parse(_ batch: [UInt8], context: CellContext) throws(OfficeFormatError) -> [RawRow] {
        var scanner = FastRowScanner(sheet: sheet, context: context, previousRow: lastRowNumber)
        if context.fastScan && scanner.scan(batch) {
            if let error = scanner.failure {
                position = regionEnd
                carry = []
                if scanner.rows.isEmpty { throw error }
                deferredFailure = error
            }
            return scanner.rows
        }
        return try parseWithXMLParser(batch, context: context)
    }

    /// The reference path: XMLParser on the batch wrapped in the sheet's root element.
    private mutating func parseWithXMLParser(_ batch: [UInt8], context: CellContext) throws(OfficeFormatError) -> [RawRow] {
        var document = Data(capacity: rootStart.count + batch.count + rootClose.count)
        document.append(contentsOf: rootStart)
        document.append(contentsOf: batch)
        document.append(contentsOf: rootClose)
        let parser = XMLParser(data: document)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let collector = RowCollector(sheet: sheet, context: context, previousRow: lastRowNumber)
        parser.delegate = collector
        let ok = parser.parse()
        if let error = collector.failure {
            // Rows before the faulty cell are still delivered; the error comes on the next call.
            position = regionEnd
            carry = []
            if collector.rows.isEmpty { throw error }
            deferredFailure = error
            return collector.rows
        }
        if !SmallXML.wellFormed(parser, ok: ok, depth: collector.depth, elements: collector.elements) {
            throw OfficeFormatError(
                .malformedXML,
                "文件“\(context.fileName)”已损坏：工作表“\(sheet)”的数据不是格式正确的 XML（约在第 \(collector.previousRow + 1) 行附近）。请在 Office/WPS 中打开后重新保存再试。",
                sheet: sheet, row: collector.previousRow + 1
            )
        }
        return collector.rows
    }

    /// Dense rows, merged values filled in, blank rows dropped.
    private mutating func finish(_ raw: [RawRow], context: CellContext) throws(OfficeFormatError) -> [TableRow] {
        var out: [TableRow] = []
        out.reserveCapacity(raw.count)
        for row in raw {
            lastRowNumber = row.number
            var width = 0
            for (column, cell) in row.cells where !cell.value.isEmpty { width = max(width, column + 1) }
            var cells = [TableCell](repeating: .empty, count: width)
            for (column, cell) in row.cells where column < width { cells[column] = cell }

            // Merged ranges starting at or above this row.
            active.removeAll { $0.range.lastRow < row.number }
            while nextMerge < merges.count && merges[nextMerge].firstRow <= row.number {
                let range = merges[nextMerge]
                nextMerge += 1
                guard range.lastRow >= row.number else { continue }
                let source = range.firstRow == row.number && range.firstColumn < cells.count
                    ? cells[range.firstColumn] : .empty
                if !source.value.isEmpty {
                    active.append((range, source))
                }
            }
            for (range, value) in active where range.firstRow <= row.number {
                if cells.count <= range.lastColumn {
                    cells += [TableCell](repeating: .empty, count: range.lastColumn + 1 - cells.count)
                }
                for column in range.firstColumn...range.lastColumn
                where !(column == range.firstColumn && row.number == range.firstRow) {
                    var copy = value
                    copy.isFromMergedRange = true
                    cells[column] = copy
                }
            }
            if cells.count > context.maxColumns {
                throw OfficeFormatError(
                    .tooManyColumns,
                    "工作表“\(sheet)”第 \(row.number) 行在第 \(CellReference.columnLetters(cells.count - 1)) 列仍有内容（或合并单元格），超过了允许的 \(context.maxColumns) 列。请删除表格右侧多余的列后再导入。",
                    sheet: sheet, row: row.number
                )
            }
            if cells.allSatisfy({ $0.value.isEmpty }) { continue }
            out.append(TableRow(sheet: sheet, number: row.number, cells: cells))
        }
        return out
    }
}

/// A row as parsed, before merged ranges and padding: (0-based column, cell) pairs.
struct RawRow {
    let number: Int
    var cells: [(Int, TableCell)]
}

/// The parts of one `<c>` element seen so far, and how they become a `TableCell`.
/// Shared by the fast byte scanner and the XMLParser delegate so both give the same values.
struct CellDraft {
    var column = -1
    var type: CellType = .number
    var style = 0
    var hasFormula = false
    var hasValue = false
    var valueText = ""
    var inlineText = ""
    /// For shared-string cells the index is read straight from the bytes.
    var sharedIndex: Int?

    enum CellType { case number, shared, inline, formulaString, boolean, error, isoDate, other }

    static func cellType(_ t: String) -> CellType {
        switch t {
        case "", "n": return .number
        case "s": return .shared
        case "inlineStr": return .inline
        case "str": return .formulaString
        case "b": return .boolean
        case "e": return .error
        case "d": return .isoDate
        default: return .other
        }
    }

    mutating func start(column: Int, type: CellType, style: Int) {
        self.column = column
        self.type = type
        self.style = style
        hasFormula = false
        hasValue = false
        valueText = ""
        inlineText = ""
        sharedIndex = nil
    }

    /// nil cell: nothing to store. The error names the cell.
    func make(sheet: String, row rowNumber: Int, context: CellContext) -> Result<TableCell?, OfficeFormatError> {
        var reference: String { CellReference.name(column: column, row: rowNumber) }
        if hasFormula && (!hasValue || (valueText.isEmpty && sharedIndex == nil && type != .formulaString)) {
            return .failure(OfficeFormatError(
                .formulaWithoutValue,
                "工作表“\(sheet)”单元格 \(reference) 含有公式，但文件中没有保存计算结果。请在 Excel/WPS 中打开该文件、保存后再导入（或把公式复制后“选择性粘贴为数值”）。",
                sheet: sheet, row: rowNumber, cell: reference
            ))
        }
        switch type {
        case .shared:
            guard let index = sharedIndex ?? Int(valueText) ?? Int(valueText.trimmingCharacters(in: .whitespaces)), index >= 0,
                  index < context.sharedStrings.count else {
                if !hasValue { return .success(nil) }
                return .failure(OfficeFormatError(
                    .malformedXML,
                    "文件“\(context.fileName)”已损坏：工作表“\(sheet)”单元格 \(reference) 引用了不存在的共享文本。请在 Office/WPS 中打开后重新保存再试。",
                    sheet: sheet, row: rowNumber, cell: reference
                ))
            }
            return .success(TableCell(value: ExcelEscapes.decode(context.sharedStrings[index]), kind: .text, isFormula: hasFormula))
        case .inline:
            return .success(TableCell(value: ExcelEscapes.decode(inlineText.isEmpty ? valueText : inlineText), kind: .text, isFormula: hasFormula))
        case .formulaString, .other:
            return .success(TableCell(value: ExcelEscapes.decode(valueText), kind: .text, isFormula: hasFormula))
        case .boolean:
            guard hasValue else { return .success(nil) }
            let truthy = valueText == "1" || valueText.lowercased() == "true"
            return .success(TableCell(value: truthy ? "TRUE" : "FALSE", kind: .boolean, isFormula: hasFormula))
        case .error:
            return .success(TableCell(value: valueText, kind: .error, isFormula: hasFormula))
        case .isoDate:
            // ISO 8601 date cell (strict OOXML and some generators).
            if valueText.hasSuffix("T00:00:00") || valueText.hasSuffix("T00:00:00Z") || valueText.utf8.count == 10 {
                return .success(TableCell(value: String(valueText.prefix(10)), kind: .date, isFormula: hasFormula))
            }
            return .success(TableCell(value: valueText.replacingOccurrences(of: "T", with: " "), kind: .dateTime, isFormula: hasFormula))
        case .number:
            let raw = valueText.utf8.contains(32) ? valueText.trimmingCharacters(in: .whitespaces) : valueText
            if raw.isEmpty { return .success(nil) }
            let display = context.formats.display(style: style)
            if display != .number, let serial = Double(raw),
               let text = SerialDate.text(serial: serial, display: display, uses1904: context.uses1904) {
                let kind: TableCell.Kind = display == .date ? .date : (display == .time && serial < 1 ? .time : .dateTime)
                return .success(TableCell(value: text, kind: kind, isFormula: hasFormula))
            }
            return .success(TableCell(value: NumberText.general(raw), kind: .number, isFormula: hasFormula))
        }
    }
}

/// XMLParser delegate for a batch of `<row>` elements; used when the fast scanner declines a batch.
private final class RowCollector: NSObject, XMLParserDelegate {
    let sheet: String
    let context: CellContext
    var rows: [RawRow] = []
    var previousRow: Int
    var failure: OfficeFormatError?
    var depth = 0
    var elements = 0

    private var current: RawRow?
    private var cell = CellDraft()
    private var capture: Capture = .none
    private var phoneticDepth = 0
    private var inInline = false

    private enum Capture { case none, value, inline }

    init(sheet: String, context: CellContext, previousRow: Int) {
        self.sheet = sheet
        self.context = context
        self.previousRow = previousRow
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        depth += 1
        elements += 1
        switch XMLText.plainName(elementName) {
        case "row":
            let number = attributeDict["r"].flatMap { Int($0) } ?? previousRow + 1
            current = RawRow(number: number, cells: [])
            cell.column = -1
        case "c":
            let column: Int
            if let ref = attributeDict["r"], let parsed = CellReference.parse(ref) {
                column = parsed.column
            } else {
                column = cell.column + 1
            }
            cell.start(
                column: column, type: CellDraft.cellType(attributeDict["t"] ?? ""),
                style: attributeDict["s"].flatMap { Int($0) } ?? 0
            )
            inInline = false
        case "v":
            cell.hasValue = true
            capture = .value
        case "f":
            cell.hasFormula = true
        case "is":
            inInline = true
        case "t":
            if inInline && phoneticDepth == 0 { capture = .inline }
        case "rPh":
            phoneticDepth += 1
        default:
            break
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        depth -= 1
        switch XMLText.plainName(elementName) {
        case "v", "t":
            capture = .none
        case "is":
            inInline = false
        case "rPh":
            phoneticDepth -= 1
        case "c":
            guard let row = current, cell.column >= 0, cell.column < CellReference.maxColumn else { return }
            switch cell.make(sheet: sheet, row: row.number, context: context) {
            case .success(let made):
                if let made { current?.cells.append((cell.column, made)) }
            case .failure(let error):
                if failure == nil { failure = error }
                parser.abortParsing()
            }
        case "row":
            if let row = current {
                rows.append(row)
                previousRow = row.number
            }
            current = nil
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        switch capture {
        case .none: break
        case .value: cell.valueText += string
        case .inline: cell.inlineText += string
        }
    }
}

/// Numbers as Excel's "General" format shows them.
enum NumberText {
    static func general(_ raw: String) -> String {
        var simple = true
        var index = 0
        for b in raw.utf8 {
            if !(b >= 48 && b <= 57) && !(b == 45 && index == 0) { simple = false; break }
            index += 1
        }
        // Plain integers are returned as written: the digits are in the file, nothing is lost.
        if simple && index > 0 && raw != "-" { return raw }
        guard let number = Double(raw), number.isFinite else { return raw }
        if number == number.rounded(), abs(number) < 9.0e18 {
            return String(Int64(number))
        }
        var text = String(format: "%.15g", number)
        if text.contains("e") {
            return text.uppercased()
        }
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }

    /// Shortest text for a number we write ourselves.
    static func written(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 9.0e15 {
            return String(Int64(number))
        }
        return "\(number)"
    }
}

/// Excel stores characters XML cannot carry as "_xHHHH_" (e.g. "_x000D_" for a carriage return).
enum ExcelEscapes {
    static func decode(_ text: String) -> String {
        var candidate = false
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == 120 && previous == 95 { candidate = true; break }  // "_x"
            previous = b
        }
        guard candidate else { return text }
        var out = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let first = scalars.first {
            if first == "_", scalars.count >= 7 {
                let candidate = scalars.prefix(7)
                let chars = Array(candidate)
                if chars[1] == "x", chars[6] == "_",
                   let value = UInt32(String(String.UnicodeScalarView(chars[2...5])), radix: 16),
                   let scalar = Unicode.Scalar(value) {
                    out.unicodeScalars.append(scalar)
                    scalars = scalars.dropFirst(7)
                    continue
                }
            }
            out.unicodeScalars.append(first)
            scalars = scalars.dropFirst()
        }
        return out
    }
}
