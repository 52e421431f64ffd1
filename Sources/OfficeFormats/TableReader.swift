import Foundation

/// Which file format a table was read from.
public enum TableFormat: String, Sendable, Hashable {
    case csv
    case xlsx
}

/// Which worksheets of a workbook to read. CSV files have exactly one "sheet".
public enum SheetSelection: Sendable, Hashable {
    /// Every visible worksheet in tab order (hidden sheets usually hold drop-down lists).
    case allVisible
    /// Every worksheet, hidden ones included.
    case all
    /// The first visible worksheet.
    case firstVisible
    /// The worksheet with this name; `sheetNotFound` when there is none.
    case named(String)
}

public struct TableReadOptions: Sendable, Hashable {
    public var limits: FileLimits
    public var sheets: SheetSelection
    /// Field separator for CSV; "," unless given (".tsv" files default to a tab).
    public var csvDelimiter: Character?
    /// Widest row accepted (after merged ranges are filled in). A value far to the right (column XFD)
    /// in many rows would otherwise make every row 16 384 cells wide; the error names the row instead.
    public var maxColumns: Int = 1024
    /// Internal switch for tests: false sends every sheet batch through XMLParser (the reference path).
    var fastScan = true

    public init(limits: FileLimits = FileLimits(), sheets: SheetSelection = .allVisible, csvDelimiter: Character? = nil) {
        self.limits = limits
        self.sheets = sheets
        self.csvDelimiter = csvDelimiter
    }
}

/// Reads .xlsx and .csv files as rows of strings, one row at a time, with sheet name and row number.
///
/// One API for both formats so importers do not care which one a school sent. Rows are pulled with
/// `next()`; memory does not grow with the file (an .xlsx sheet is decompressed to a temporary file and
/// parsed in batches of about 1 MB; a CSV is read in 1 MB chunks). Completely blank rows are skipped but
/// the row numbers of the others stay those Excel shows. Values are as written (not trimmed).
///
/// The format is decided by the content, not the extension: a zip is read as .xlsx, an OLE compound file
/// (encrypted workbook or old .xls) is refused, anything else is read as CSV unless the name ends in
/// .xlsx/.xlsm/.xls, which then is reported as not a workbook.
///
/// Not copyable: it owns open files and a temporary directory, removed when it goes away.
public struct TableReader: ~Copyable, Sendable {
    public let format: TableFormat
    /// Sheets that will be read, in order (for CSV: the file name without extension).
    public let sheetNames: [String]
    /// For CSV, the encoding detected; nil for .xlsx.
    public let csvEncoding: CSVEncoding?

    private var csv: CSVStream?
    private var xlsx: WorkbookStream?
    private var pending: [TableRow] = []
    private let scratch: TemporaryDirectory?

    private init(csv: CSVStream) {
        format = .csv
        sheetNames = [csv.name]
        csvEncoding = csv.encoding
        self.csv = csv
        xlsx = nil
        scratch = nil
    }

    private init(xlsx: WorkbookStream, scratch: TemporaryDirectory) {
        format = .xlsx
        sheetNames = xlsx.sheetNames
        csvEncoding = nil
        csv = nil
        self.xlsx = xlsx
        self.scratch = scratch
    }

    deinit {
        csv?.close()
        xlsx?.close()
        scratch?.remove()
    }

    /// Opens a table file for row-by-row reading. Errors name the file and say what to do, in Chinese.
    public static func open(url: URL, options: TableReadOptions = TableReadOptions()) throws(OfficeFormatError) -> TableReader {
        let (signature, _) = try FileSignature.check(url, limits: options.limits, what: "表格文件")
        let ext = url.pathExtension.lowercased()
        switch signature {
        case .zip:
            let scratch = try TemporaryDirectory()
            do {
                let stream = try WorkbookStream(url: url, options: options, scratch: scratch)
                return TableReader(xlsx: stream, scratch: scratch)
            } catch {
                scratch.remove()
                throw error
            }
        case .oleCompound:
            throw OfficeFormatError(.encryptedOrLegacy, ExpectedPackage.workbook.legacyMessage(url.lastPathComponent))
        case .other:
            if ["xlsx", "xlsm", "xls", "et"].contains(ext) {
                // Let the package reader word the "not a workbook" message.
                _ = try ZipPackage(url: url, limits: options.limits, expected: .workbook)
            }
            let delimiter: UInt8
            if let chosen = options.csvDelimiter, let ascii = chosen.asciiValue {
                delimiter = ascii
            } else {
                delimiter = ext == "tsv" ? 9 : 44
            }
            return TableReader(csv: try CSVStream(url: url, delimiter: delimiter))
        }
    }

    /// Sheets of a workbook with their visibility, without reading any rows; for a CSV, one entry.
    public static func sheets(url: URL, limits: FileLimits = FileLimits()) throws(OfficeFormatError) -> [SheetInfo] {
        let (signature, _) = try FileSignature.check(url, limits: limits, what: "表格文件")
        if signature != .zip {
            if signature == .oleCompound {
                throw OfficeFormatError(.encryptedOrLegacy, ExpectedPackage.workbook.legacyMessage(url.lastPathComponent))
            }
            return [SheetInfo(name: url.deletingPathExtension().lastPathComponent, isHidden: false, partPath: "")]
        }
        let package = try ZipPackage(url: url, limits: limits, expected: .workbook)
        return try WorkbookStructure(package: package).sheets
    }

    /// Reads every row into memory. For small files (templates, rosters); use `next()` for large ones.
    public static func readAll(url: URL, options: TableReadOptions = TableReadOptions()) throws(OfficeFormatError) -> [TableRow] {
        var reader = try open(url: url, options: options)
        var rows: [TableRow] = []
        while let row = try reader.next() { rows.append(row) }
        return rows
    }

    /// The next non-blank row, or nil at the end of the last selected sheet.
    public mutating func next() throws(OfficeFormatError) -> TableRow? {
        if !pending.isEmpty { return pending.removeFirst() }
        return try pull()
    }

    private mutating func pull() throws(OfficeFormatError) -> TableRow? {
        if var stream = csv {
            defer { csv = stream }
            while let (number, fields) = try stream.next() {
                if fields.allSatisfy({ $0.isEmpty }) { continue }
                var cells = fields.map { TableCell(value: $0, kind: $0.isEmpty ? .empty : .text) }
                while let last = cells.last, last.value.isEmpty { cells.removeLast() }
                return TableRow(sheet: stream.name, number: number, cells: cells)
            }
            return nil
        }
        if var stream = xlsx {
            defer { xlsx = stream }
            return try stream.next()
        }
        return nil
    }

    /// Progress through the input as (bytes done, bytes in total), for a progress bar with an ETA.
    /// For .xlsx this counts the uncompressed sheet XML of the selected sheets.
    public var progress: (done: UInt64, total: UInt64) {
        if let csv { return (csv.bytesRead, csv.fileSize) }
        if let xlsx { return xlsx.progress }
        return (0, 0)
    }

    /// Finds the header row of the current sheet and consumes the rows up to and including it.
    ///
    /// Rule: among the first `lookahead` non-blank rows of the sheet the next row comes from, the header
    /// is the first row with at least two distinct non-empty values and at least half as many as the
    /// fullest of those rows. So a merged title row above the header ("2024年秋季学期学生名册", one value
    /// even when filled across the merged range) and a short "填报单位：…" line are skipped, and a
    /// one-column file uses its first row. Rows after the header are returned by `next()` as usual.
    /// Returns nil when the sheet has no rows left.
    public mutating func readHeader(lookahead: Int = 10) throws(OfficeFormatError) -> TableHeader? {
        var window = pending
        pending = []
        while window.count < max(lookahead, 1) {
            guard let row = try pull() else { break }
            if let first = window.first, row.sheet != first.sheet {
                pending.append(row)
                break
            }
            window.append(row)
        }
        guard let found = TableHeader.detect(in: window) else {
            pending = window + pending
            return nil
        }
        pending = Array(window[(found.index + 1)...]) + pending
        return found.header
    }
}

/// The header row of a sheet: column names by position.
public struct TableHeader: Sendable, Hashable {
    public let sheet: String
    /// 1-based row number of the header row.
    public let rowNumber: Int
    /// Row numbers of the title rows skipped above the header.
    public let skippedRowNumbers: [Int]
    /// Column names from column A on, trimmed of blanks (including full-width spaces) and line breaks
    /// inside the cell ("出生\n日期" → "出生日期"); "" for unnamed columns.
    public let names: [String]

    public init(sheet: String, rowNumber: Int, skippedRowNumbers: [Int], names: [String]) {
        self.sheet = sheet
        self.rowNumber = rowNumber
        self.skippedRowNumbers = skippedRowNumbers
        self.names = names
    }

    /// 0-based column of the first header equal to any of the given names (after the same cleaning).
    public func column(named candidates: String...) -> Int? {
        column(namedAnyOf: candidates)
    }

    public func column(namedAnyOf candidates: [String]) -> Int? {
        let wanted = Set(candidates.map(TableHeader.clean))
        return names.firstIndex { !$0.isEmpty && wanted.contains($0) }
    }

    /// Header cleaning used for `names`: whitespace and line breaks anywhere are removed.
    public static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// The header among the given rows by the rule described at `TableReader.readHeader`, with its index.
    public static func detect(in rows: [TableRow]) -> (header: TableHeader, index: Int)? {
        guard let first = rows.first else { return nil }
        let sameSheet = rows.prefix { $0.sheet == first.sheet }
        let counts = sameSheet.map { row in Set(row.values.map(clean).filter { !$0.isEmpty }).count }
        guard let most = counts.max(), most > 0 else { return nil }
        let threshold = max(2, (most + 1) / 2)
        let index = counts.firstIndex { $0 >= threshold } ?? 0
        let row = sameSheet[sameSheet.startIndex + index]
        return (
            TableHeader(
                sheet: row.sheet, rowNumber: row.number,
                skippedRowNumbers: sameSheet.prefix(index).map(\.number),
                names: row.values.map(clean)
            ),
            index
        )
    }
}

/// Rows of the selected worksheets of one workbook, sheet after sheet.
struct WorkbookStream: Sendable {
    let sheetNames: [String]
    private let context: CellContext
    private var queue: [(info: SheetInfo, file: URL)]
    private var current: SheetStream?
    private var rows: [TableRow] = []
    private var rowIndex = 0
    private let totalBytes: UInt64
    private var doneBytes: UInt64 = 0
    private let fileName: String

    init(url: URL, options: TableReadOptions, scratch: TemporaryDirectory) throws(OfficeFormatError) {
        let package = try ZipPackage(url: url, limits: options.limits, expected: .workbook)
        let structure = try WorkbookStructure(package: package)
        fileName = package.fileName
        if structure.sheets.isEmpty {
            throw OfficeFormatError(.noSheet, "工作簿“\(package.fileName)”中没有任何工作表。")
        }
        let selected: [SheetInfo]
        switch options.sheets {
        case .all: selected = structure.sheets
        case .allVisible: selected = structure.sheets.filter { !$0.isHidden }
        case .firstVisible: selected = Array(structure.sheets.filter { !$0.isHidden }.prefix(1))
        case .named(let name):
            selected = structure.sheets.filter { $0.name == name }
            if selected.isEmpty {
                let names = structure.sheets.map { "“\($0.name)”" }.joined(separator: "、")
                throw OfficeFormatError(.sheetNotFound, "工作簿“\(package.fileName)”中没有名为“\(name)”的工作表（现有：\(names)）。", sheet: name)
            }
        }
        if selected.isEmpty {
            throw OfficeFormatError(.noSheet, "工作簿“\(package.fileName)”中没有可见的工作表。")
        }
        var queue: [(SheetInfo, URL)] = []
        var total: UInt64 = 0
        for (number, sheet) in selected.enumerated() {
            let file = scratch.url.appendingPathComponent("sheet\(number + 1).xml")
            guard try package.extract(sheet.partPath, to: file) else {
                throw OfficeFormatError(
                    .corruptPackage,
                    "工作簿“\(package.fileName)”已损坏：找不到工作表“\(sheet.name)”的数据（\(sheet.partPath)）。请在 Office/WPS 中打开后重新保存再试。",
                    sheet: sheet.name
                )
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.uint64Value ?? 0
            total += size
            queue.append((sheet, file))
        }
        let shared = try SharedStrings.read(package: package, path: structure.sharedStringsPath, scratch: scratch)
        let formats = try CellFormats(package: package, path: structure.stylesPath)
        context = CellContext(
            sharedStrings: shared, formats: formats, uses1904: structure.uses1904DateSystem, fileName: package.fileName,
            fastScan: options.fastScan, maxColumns: max(options.maxColumns, 1)
        )
        sheetNames = selected.map(\.name)
        self.queue = queue
        totalBytes = total
    }

    func close() {
        current?.close()
    }

    var progress: (done: UInt64, total: UInt64) {
        (doneBytes + (current?.bytesRead ?? 0), totalBytes)
    }

    mutating func next() throws(OfficeFormatError) -> TableRow? {
        while true {
            if rowIndex < rows.count {
                rowIndex += 1
                return rows[rowIndex - 1]
            }
            rows = []
            rowIndex = 0
            if var stream = current {
                if let batch = try stream.nextBatch(context: context) {
                    current = stream
                    rows = batch
                    continue
                }
                stream.close()
                doneBytes += stream.fileSize
                current = nil
            }
            guard !queue.isEmpty else { return nil }
            let (info, file) = queue.removeFirst()
            current = try SheetStream(sheet: info.name, partPath: info.partPath, file: file, fileName: fileName)
        }
    }
}
