import EduLedgerCore
import Foundation
import OfficeFormats

/// Copies of an imported sheet for the person who fixes it: the whole sheet with problem cells
/// highlighted and a column of messages, or only the rejected rows (to correct and import again).
///
/// The source is read again, row by row, so a large file is never held in memory.
public enum ImportAnnotation {
    /// Column added at the right of the copy.
    public static let messageHeader = "问题说明"
    public static let rowNumberHeader = "原行号"

    /// The whole sheet as .xlsx, with the original row numbers.
    public static func writeAnnotatedCopy(source: URL, report: ImportReport, to url: URL,
                                          limits: FileLimits = ImportOptions.defaultLimits) throws {
        let index = ProblemIndex(report.problems)
        var w = try XLSXWriter(url: url)
        try w.addSheet(report.sheet)
        try forEachRow(source: source, report: report, limits: limits) { row in
            let found = index.problems(row: row.number)
            let bad = Set(found.compactMap(\.column).compactMap(CellReference.columnIndex))
            let isHeader = row.number == report.headerRow
            var cells = row.cells.enumerated().map { i, c in
                cell(c, style: isHeader ? .bold : (bad.contains(i) ? .highlighted : .normal))
            }
            if isHeader {
                cells.append(.text(messageHeader, style: .bold))
            } else if !found.isEmpty {
                for i in bad.sorted() where i >= cells.count {
                    cells += Array(repeating: XLSXCell.empty, count: i - cells.count) + [XLSXCell.text("", style: .highlighted)]
                }
                cells = pad(cells, to: width(report, row))
                cells.append(.text(messages(found), style: .note))
            }
            try w.writeRow(cells, rowNumber: row.number)
        }
        try w.finish()
    }

    /// Only the header and the rejected rows, with their original row numbers and messages; .csv when
    /// `url` ends in .csv, else .xlsx.
    public static func writeRejectedRows(source: URL, report: ImportReport, to url: URL,
                                         limits: FileLimits = ImportOptions.defaultLimits) throws {
        let index = ProblemIndex(report.problems)
        if url.pathExtension.lowercased() == "csv" {
            var w = try CSVWriter(url: url)
            try forEachRow(source: source, report: report, limits: limits) { row in
                if row.number == report.headerRow {
                    try w.writeRow(row.values + [rowNumberHeader, messageHeader])
                } else if row.number > report.headerRow {
                    let found = index.problems(row: row.number)
                    if !found.isEmpty {
                        var values = row.values
                        values += Array(repeating: "", count: max(0, width(report, row) - values.count))
                        try w.writeRow(values + [String(row.number), messages(found)])
                    }
                }
            }
            try w.finish()
            return
        }
        var w = try XLSXWriter(url: url)
        try w.addSheet(report.sheet)
        try forEachRow(source: source, report: report, limits: limits) { row in
            if row.number == report.headerRow {
                try w.writeRow(row.cells.map { cell($0, style: .bold) }
                               + [.text(rowNumberHeader, style: .bold), .text(messageHeader, style: .bold)])
            } else if row.number > report.headerRow {
                let found = index.problems(row: row.number)
                guard !found.isEmpty else { return }
                let bad = Set(found.compactMap(\.column).compactMap(CellReference.columnIndex))
                let cells = pad(row.cells.enumerated().map { i, c in cell(c, style: bad.contains(i) ? .highlighted : .normal) },
                                to: width(report, row))
                try w.writeRow(cells + [.number(row.number), .text(messages(found), style: .note)])
            }
        }
        try w.finish()
    }

    private struct ProblemIndex {
        var byRow: [Int: [ImportProblem]] = [:]
        init(_ problems: [ImportProblem]) {
            for p in problems { byRow[p.row, default: []].append(p) }
        }
        func problems(row: Int) -> [ImportProblem] { byRow[row] ?? [] }
    }

    private static func messages(_ problems: [ImportProblem]) -> String {
        problems.map { p in
            let place = p.column.map { "\($0)列" + (p.header.map { "（\($0)）" } ?? "") + "：" } ?? ""
            return place + p.message
        }.joined(separator: "；")
    }

    /// Rows are padded to the header's width so the message column lines up.
    private static func width(_ report: ImportReport, _ row: TableRow) -> Int { max(report.headerWidth, row.cells.count) }

    private static func pad(_ cells: [XLSXCell], to count: Int) -> [XLSXCell] {
        cells.count >= count ? cells : cells + Array(repeating: XLSXCell.empty, count: count - cells.count)
    }

    private static func cell(_ c: TableCell, style: XLSXCell.Style) -> XLSXCell {
        switch c.kind {
        case .number:
            if let d = Double(c.value), c.value.count < 15 { return .number(d, style: style) }
        case .date:
            if let d = CivilDate(iso: c.value) { return XLSXCell(.date(year: d.year, month: d.month, day: d.day), style: style) }
        default: break
        }
        return .text(c.value, style: style)
    }

    private static func forEachRow(source: URL, report: ImportReport, limits: FileLimits,
                                   _ body: (TableRow) throws -> Void) throws {
        do {
            var reader = try TableReader.open(url: source, options: TableReadOptions(limits: limits, sheets: .named(report.sheet)))
            while let row = try reader.next() {
                guard row.sheet == report.sheet else { break }
                try body(row)
            }
        } catch let error as OfficeFormatError {
            throw ImportError(error)
        }
    }
}
