import Foundation
import Hummingbird
import OfficeFormats

/// A table of text as it stands on a page, sent as .csv or .xlsx — the "导出" of the smaller
/// lists (drill-down records, the 控辍保学 ledger), so each list exports exactly what it shows.
enum TableDownload {
    /// `format` is the `format` query value; anything but csv/xlsx is a 400 with the reason.
    /// `cells`, when given, are the workbook's rows with typed values (numbers stay numbers in
    /// Excel); the CSV always has the text of `rows`.
    static func response(format: String, fileTitle: String, sheet: String, header: [String], rows: [[String]],
                         cells: [[XLSXCell]]? = nil, columnWidths: [Double]) throws -> Response {
        try check(format)
        let url = FileDownload.scratch(format)
        defer { try? FileManager.default.removeItem(at: url) }
        if format == "csv" {
            var writer = try CSVWriter(url: url)
            try writer.writeRow(header)
            for row in rows { try writer.writeRow(row) }
            try writer.finish()
        } else {
            var writer = try XLSXWriter(url: url)
            try writer.addSheet(sheet, options: XLSXSheetOptions(columnWidths: columnWidths))
            try writer.writeHeader(header)
            for row in cells ?? rows.map({ $0.map { XLSXCell.text($0) } }) { try writer.writeRow(row) }
            try writer.finish()
        }
        return try FileDownload.response(url, fileName: "\(fileTitle).\(format)", removeAfter: false)
    }

    /// Refuses any `format` but csv/xlsx (400 with the reason), before the caller reads anything.
    static func check(_ format: String) throws {
        guard format == "csv" || format == "xlsx" else {
            throw AppError.badRequest(code: "request.invalid_query", message: "导出格式只能是 csv 或 xlsx",
                                      fields: [FieldError(field: "format", message: "应为 csv 或 xlsx")])
        }
    }
}
