import Foundation
import OfficeFormats

/// The report as a Word document: headings styled as the genre does (黑体/楷体/仿宋), figures
/// bookmarked by their id (and linked to the app when its address is known), tables, and the
/// appendix 数据口径与来源 listing every figure.
public enum ReportDocx {
    /// `traceBase`: the app's address (e.g. `https://edu.example.cn`); figure links then point to
    /// `<traceBase>/reports/<reportID>/figures/<figure>` for a published report, or to the trace page.
    public static func document(_ doc: ReportDocument, reportID: Int64? = nil, traceBase: String? = nil) -> DocxDocument {
        var d = DocxDocument()
        d.documentTitle = doc.title
        d.title(doc.title)
        func url(_ f: ReportFigure) -> String? {
            guard let base = traceBase else { return nil }
            if let reportID { return base + "/reports/\(reportID)/figures/\(f.id)" }
            return base + ReportHTML.traceLink(f)
        }
        let byID = Dictionary(doc.figures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func runs(_ rs: [ReportRun]) -> [DocxRun] {
            rs.map { r in
                switch r {
                case .text(let t): return DocxRun(t)
                case .figure(let id, let text):
                    return DocxRun.figure(text, bookmark: id, traceURL: byID[id].flatMap(url))
                }
            }
        }
        for block in doc.blocks {
            switch block {
            case .heading(let level, let number, let rs):
                d.heading(number + rs.map(\.text).joined(), level: level)
            case .paragraph(let rs): d.paragraph(runs(rs))
            case .signature(let rs): d.blocks.append(.centered(runs(rs)))
            case .pageBreak: d.pageBreak()
            case .chart(let chart):
                d.chart(docxChart(chart))
                d.centered(chart.caption)
            case .table(let header, let rows):
                d.table(header: header.map { $0.map(\.text).joined() }, rows: rows.map { $0.map { $0.map(\.text).joined() } })
            }
        }
        d.pageBreak()
        d.heading("附录：数据口径与来源", level: 1)
        d.paragraph("本报告中的数字均由系统根据业务记录计算生成。下表列出每个数字的编号、定义、统计时点和记录数；"
            + (reportID.map { "在系统中打开“报告\($0)”并输入编号即可查看其记录。" } ?? "在系统中按编号可查看其记录。"))
        d.table(header: ["编号", "数字", "指标", "统计单位", "统计时点", "记录数", "定义"],
                rows: doc.figures.map { f in
                    [reportID.map { "R\($0)-\(f.id)" } ?? f.id, f.text, f.name, f.unit.name, f.referenceDate, f.recordCounts, f.definition]
                })
        return d
    }

    /// The chart as a native Word chart: the same categories and values the HTML draws, the caption
    /// printed below it as reports do (图1 …), and the values in words as its alternative text.
    static func docxChart(_ chart: ReportChart) -> DocxChart {
        let description = chart.caption + "。" + chart.series.map { s in
            s.name + "：" + zip(chart.categories, s.points).map { "\($0)\($1.text)" }.joined(separator: "，")
        }.joined(separator: "；")
        let many = chart.categories.count > 8
        return DocxChart(kind: chart.kind == .bar ? .bar : .line, title: "", categories: chart.categories,
                         series: chart.series.map { DocxChart.Series(name: $0.name, values: $0.points.map(\.value)) },
                         decimals: chart.decimals, valueUnit: chart.valueUnit, widthCentimetres: 15, heightCentimetres: many ? 9 : 7.5,
                         description: description)
    }

    /// The .docx bytes (written through a temporary file, as `DocxDocument` writes files).
    public static func data(_ doc: ReportDocument, reportID: Int64? = nil, traceBase: String? = nil) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-report-\(UUID().uuidString).docx")
        defer { try? FileManager.default.removeItem(at: url) }
        try document(doc, reportID: reportID, traceBase: traceBase).write(to: url)
        return try Data(contentsOf: url)
    }
}
