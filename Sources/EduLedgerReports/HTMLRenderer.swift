import OfficeFormats
import EduLedgerIndicators

/// The report as HTML for the web app: every figure a link to the page that shows its definition
/// and the records behind its numerator and denominator, and the appendix of sources.
public enum ReportHTML {
    /// `link(figure)` gives the address a figure points to (the app passes its trace route).
    public static func render(_ doc: ReportDocument, link: (ReportFigure) -> String = Self.traceLink) -> String {
        var out = "<article class=\"report\">\n<h1 class=\"report-title\">\(escape(doc.title))</h1>\n"
        let byID = Dictionary(doc.figures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func runs(_ rs: [ReportRun]) -> String {
            rs.map { r in
                switch r {
                case .text(let t): return escape(t)
                case .figure(let id, let text):
                    guard let f = byID[id] else { return escape(text) }
                    return "<a class=\"figure\" id=\"\(id)\" href=\"\(escape(link(f)))\" title=\"\(escape(f.name + "｜" + f.referenceDate + "｜" + f.recordCounts))\">\(escape(text))</a>"
                }
            }.joined()
        }
        for block in doc.blocks {
            switch block {
            case .heading(let level, let number, let rs):
                out += "<h\(level + 1)>\(escape(number))\(runs(rs))</h\(level + 1)>\n"
            case .paragraph(let rs): out += "<p>\(runs(rs))</p>\n"
            case .signature(let rs): out += "<p class=\"signature\">\(runs(rs))</p>\n"
            case .pageBreak: out += "<hr class=\"page-break\">\n"
            case .chart(let chart): out += ReportChartSVG.render(chart, figures: byID, link: link)
            case .table(let header, let rows):
                out += "<div class=\"table-wrap\"><table class=\"table\"><thead><tr>"
                out += header.map { "<th>\(runs($0))</th>" }.joined() + "</tr></thead><tbody>\n"
                for row in rows { out += "<tr>" + row.map { "<td>\(runs($0))</td>" }.joined() + "</tr>\n" }
                out += "</tbody></table></div>\n"
            }
        }
        out += "<section class=\"appendix\"><h2>附录：数据口径与来源</h2>\n"
        out += "<div class=\"table-wrap\"><table class=\"table\"><thead><tr><th>编号</th><th>数字</th><th>指标</th><th>单位</th><th>统计时点</th><th>记录数</th><th>定义</th></tr></thead><tbody>\n"
        for f in doc.figures {
            out += "<tr><td><a href=\"#\(f.id)\">\(f.id)</a></td><td><a href=\"\(escape(link(f)))\">\(escape(f.text))</a></td><td>\(escape(f.name))</td><td>\(escape(f.unit.name))</td>"
            out += "<td>\(escape(f.referenceDate))</td><td>\(escape(f.recordCounts))</td><td>\(escape(f.definition))</td></tr>\n"
        }
        out += "</tbody></table></div></section>\n</article>\n"
        return out
    }

    /// The app's trace page for a figure: its definition and drill-down at the figure's unit and year.
    public static func traceLink(_ f: ReportFigure) -> String {
        "/reports/trace?indicator=\(query(f.indicatorID))&unit=\(query(f.unit.kind.rawValue + ":" + f.unit.key))&year=\(f.years.last ?? 0)"
    }

    static func query(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || c == "-" || c == "." || c == "_" || c == "~" {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    /// The shared escaper (`OfficeFormats.HTMLText`), kept under this name for the renderer's callers.
    public static func escape(_ s: String) -> String { HTMLText.escape(s) }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}
