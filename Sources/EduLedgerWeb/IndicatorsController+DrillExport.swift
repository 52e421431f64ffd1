import EduLedgerIndicators
import Foundation
import Hummingbird
import OfficeFormats

/// The records behind a figure as a workbook: every record of the chosen side (分子 or 分母),
/// not only the page on screen, with the same names the page shows — so a clerk can mail the
/// list of, say, the 辍学 pupils behind 初中年辍学率 to the township for checking. Personal data
/// stays hidden for roles that may not read it, exactly as on the page.
extension IndicatorsController {
    static func drillRows(_ records: [RecordView]) -> [[String]] {
        [["类别", "编号", "名称或说明"]] + records.map { r in
            // Students, staff and schools are labelled "学籍号/工号/标识码 姓名/校名".
            if r.href != nil, ["学生", "教职工", "学校", "办学条件"].contains(r.kind),
               let space = r.label.firstIndex(of: " ") {
                return [r.kind, String(r.label[..<space]), String(r.label[r.label.index(after: space)...])]
            }
            return [r.kind, "", r.label]
        }
    }

    func drillExport(format: String, refs: [RecordRef], user: CurrentUser, engine: IndicatorEngine, title: String) async throws -> Response {
        guard format == "csv" || format == "xlsx" else {
            throw AppError.badRequest(code: "request.invalid_query", message: "导出格式只能是 csv 或 xlsx",
                                      fields: [FieldError(field: "format", message: "应为 csv 或 xlsx")])
        }
        let (records, _) = try await recordViews(refs, user: user, engine: engine)
        let rows = Self.drillRows(records)
        let url = Self.temporaryFile(format)
        defer { try? FileManager.default.removeItem(at: url) }
        if format == "csv" {
            var writer = try CSVWriter(url: url)
            for row in rows { try writer.writeRow(row) }
            try writer.finish()
            return Self.attachment(Array(try Data(contentsOf: url)), type: "text/csv; charset=utf-8", name: "\(title).csv")
        }
        var writer = try XLSXWriter(url: url)
        try writer.addSheet("记录", options: XLSXSheetOptions(columnWidths: [10, 24, 40]))
        if let header = rows.first { try writer.writeHeader(header) }
        for row in rows.dropFirst() { try writer.writeRow(row.map { XLSXCell.text($0) }) }
        try writer.finish()
        return Self.attachment(Array(try Data(contentsOf: url)), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               name: "\(title).xlsx")
    }
}
