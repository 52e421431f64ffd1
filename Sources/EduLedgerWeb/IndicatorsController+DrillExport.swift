import EduLedgerIndicators
import Foundation
import Hummingbird

/// The records behind a figure as a workbook: every record of the chosen side (分子 or 分母),
/// not only the page on screen, with the same names the page shows — so a clerk can mail the
/// list of, say, the 辍学 pupils behind 初中年辍学率 to the township for checking. Personal data
/// stays hidden for roles that may not read it, exactly as on the page.
extension IndicatorsController {
    static func drillRows(_ records: [RecordView]) -> [[String]] {
        records.map { r in
            // Students, staff and schools are labelled "学籍号/工号/标识码 姓名/校名".
            if r.href != nil, ["学生", "教职工", "学校", "办学条件"].contains(r.kind),
               let space = r.label.firstIndex(of: " ") {
                return [r.kind, String(r.label[..<space]), String(r.label[r.label.index(after: space)...])]
            }
            return [r.kind, "", r.label]
        }
    }

    func drillExport(format: String, refs: [RecordRef], user: CurrentUser, engine: IndicatorEngine, title: String) async throws -> Response {
        try TableDownload.check(format)
        let (records, _) = try await recordViews(refs, user: user, engine: engine)
        return try TableDownload.response(format: format, fileTitle: title, sheet: "记录", header: ["类别", "编号", "名称或说明"],
                                          rows: Self.drillRows(records), columnWidths: [10, 24, 40])
    }
}
