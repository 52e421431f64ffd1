import EduLedgerCore
import EduLedgerIndicators
import Foundation
import Testing
@testable import OfficeFormats
@testable import EduLedgerReports

@Suite("Charts: @图表 in the template, inline SVG in HTML, a native chart part in .docx")
struct ChartTests {
    let generator = DemoFacts.generator

    func district() throws -> ReportingUnit { try DemoFacts.district() }

    @Test("the directive parses: kind, level, series, years and caption")
    func parses() throws {
        let parsed = TemplateParser.parse("@图表 折线 {在校生数 学段=小学 年数=4} {在校生数 学段=初中} 近年在校生\n@图表 柱状 乡镇 {大班额班数 学段=义务教育}")
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        guard case .chart(let a) = parsed.template.blocks[0], case .chart(let b) = parsed.template.blocks[1] else {
            Issue.record("no charts"); return
        }
        #expect(a.kind == .line && a.level == nil && a.years == 4)
        #expect(a.series.map(\.target) == [.indicator("students.primary"), .indicator("students.junior")])
        #expect(a.caption == [.text("近年在校生")])
        #expect(b.kind == .bar && b.level == .township && b.years == ChartSpec.defaultYears)
        #expect(b.series.count == 1 && b.caption.isEmpty)
    }

    @Test("mistakes are reported at their line and column")
    func errors() {
        let text = "正文\n@图表 饼图 {在校生数 学段=小学}\n@图表 柱状 县 {在校生数 学段=小学}\n@图表 柱状\n"
            + "@图表 折线 {在校生数 学段=小学} {入学率 学段=小学}\n@图表 柱状 {在校生数 学段=小学 比上年}\n@图表 柱状 {教学仪器设备值}\n"
            + "@图表 柱状 乡镇 {在校生数 学段=小学 年数=3}\n@图表 柱状 {在校人数}"
        let errors = TemplateParser.parse(text).errors
        #expect(errors.map(\.position) == [
            TemplatePosition(line: 2, column: 5), TemplatePosition(line: 3, column: 8), TemplatePosition(line: 4, column: 8),
            TemplatePosition(line: 5, column: 22), TemplatePosition(line: 6, column: 9), TemplatePosition(line: 7, column: 9),
            TemplatePosition(line: 8, column: 12), TemplatePosition(line: 9, column: 9),
        ], "\(errors)")
        #expect(errors[0].message.contains("柱状或折线"))
        #expect(errors[1].message.contains("“县”"))
        #expect(errors[2].message.contains("至少一个{指标}"))
        #expect(errors[3].message.contains("单位应相同"))
        #expect(errors[4].message.contains("“比上年”"))
        #expect(errors[5].message.contains("@金额表"))
        #expect(errors[6].message.contains("年数="))
        #expect(errors[7].message.contains("未知指标“在校人数”"))
    }

    @Test("a chart over the years: one figure per year, equal to the engine's values, in the appendix")
    func overYears() throws {
        let doc = try generator.generate(text: "@图表 折线 {在校生数 学段=小学 年数=5}", year: 2026, unit: try district())
        guard case .chart(let chart) = doc.blocks[0] else { Issue.record("no chart"); return }
        #expect(chart.categories == (2022...2026).map { "\($0)年" })
        #expect(chart.caption == "图1 2022—2026年全区小学在校生数")
        #expect(chart.valueUnit == "人")
        let engine = try generator.engine.compute(years: 2022...2026, indicators: ["students.primary"], levels: [.district]).values
        let points = try #require(chart.series.first?.points)
        #expect(points.map(\.value) == engine.sorted { $0.year < $1.year }.map(\.value))
        #expect(points.allSatisfy { $0.value != nil })
        for (p, y) in zip(points, 2022...2026) {
            let fid = try #require(p.figureID)
            let f = try #require(doc.figure(fid))
            #expect(f.years == [y] && f.indicatorID == "students.primary" && f.text == p.text)
            #expect(f.referenceDate == "\(y)年9月1日")
        }
    }

    @Test("a chart by township: one bar per township, equal to the table's figures")
    func byTownship() throws {
        let text = "@分单位表 乡镇 {大班额班数 学段=义务教育}\n@图表 柱状 乡镇 {大班额班数 学段=义务教育}"
        let doc = try generator.generate(text: text, year: 2026, unit: try district())
        guard case .table(_, let rows) = doc.blocks[0], case .chart(let chart) = doc.blocks[1] else { Issue.record("blocks"); return }
        let townships = generator.engine.units.filter { $0.kind == .township }
        #expect(chart.categories == townships.map(\.name))
        #expect(chart.series[0].points.map(\.text) == rows.map { $0[1].map(\.text).joined() })
        let engine = try generator.engine.compute(years: 2026...2026, indicators: ["large_classes.compulsory"], levels: [.township]).values
        for (t, p) in zip(townships, chart.series[0].points) {
            #expect(p.value == engine.first { $0.unit == t }?.value)
        }
        #expect(chart.caption == "图1 2026年全区各乡镇义务教育大班额班数")
    }

    @Test("HTML: inline SVG without script, an accessible title, each bar a link to its figure's records")
    func svg() throws {
        let doc = try generator.generate(text: "@图表 柱状 乡镇 {在校生数 学段=小学}\n@图表 折线 {入学率 学段=小学 年数=3}", year: 2026,
                                         unit: try district())
        let html = ReportHTML.render(doc)
        #expect(html.components(separatedBy: "<svg ").count == 3)
        #expect(!html.contains("<script"))
        // No address outside the app but the SVG namespace: nothing is fetched from a CDN.
        #expect(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http") == false)
        #expect(html.contains("<title id=\"chart1-title\">图1 2026年全区各乡镇小学在校生数</title>"))
        #expect(html.contains("role=\"img\""))
        guard case .chart(let chart) = doc.blocks[0] else { Issue.record("no chart"); return }
        for (name, p) in zip(chart.categories, chart.series[0].points) {
            #expect(html.contains(">\(ReportHTML.escape(name))</text>"))
            let fid = try #require(p.figureID)
            let f = try #require(doc.figure(fid))
            #expect(html.contains("<a href=\"\(ReportHTML.escape(ReportHTML.traceLink(f)))\" class=\"figure\" data-figure=\"\(f.id)\">"))
        }
        #expect(html.contains("<polyline "))
    }

    @Test(".docx: a chart part whose cached values and labels are the computed figures, with its relationships")
    func docxChartPart() throws {
        let doc = try generator.generate(text: "正文。\n@图表 柱状 乡镇 {大班额班数 学段=义务教育}\n@图表 折线 {在校生数 学段=小学 年数=5} {在校生数 学段=初中 年数=5}",
                                         year: 2026, unit: try district())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-chart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("chart.docx")
        try ReportDocx.data(doc).write(to: url)
        let package = try ZipPackage(url: url, limits: FileLimits(), expected: .wordDocument)
        func part(_ path: String) throws -> String {
            let data = try #require(try package.data(path), "\(path) missing")
            return String(decoding: data, as: UTF8.self)
        }
        let types = try part("[Content_Types].xml")
        #expect(types.contains("PartName=\"/word/charts/chart1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\""))
        #expect(types.contains("PartName=\"/word/charts/chart2.xml\""))
        let rels = try part("word/_rels/document.xml.rels")
        #expect(rels.contains("relationships/chart\" Target=\"charts/chart1.xml\""))
        let body = try part("word/document.xml")
        #expect(body.contains("graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\""))
        #expect(try part("word/charts/_rels/chart1.xml.rels").contains("../embeddings/Microsoft_Excel_Worksheet1.xlsx"))
        #expect(package.contains("word/embeddings/Microsoft_Excel_Worksheet1.xlsx"))
        let charts = doc.blocks.compactMap { b -> ReportChart? in if case .chart(let c) = b { return c }; return nil }
        for (index, chart) in charts.enumerated() {
            let xml = try part("word/charts/chart\(index + 1).xml")
            #expect(xml.contains(chart.kind == .bar ? "<c:barChart>" : "<c:lineChart>"))
            for label in chart.categories { #expect(xml.contains("<c:v>\(label)</c:v>")) }
            // Cached values, in order, are the figures' values.
            let cached = Self.values(in: xml)
            let expected = chart.series.map { $0.points.map { $0.value.map { DocxChart.cached($0) } } }
            #expect(cached == expected)
            #expect(xml.contains("<a:ea typeface=\"宋体\"/>"))
        }
        let paragraphs = try DocxText.paragraphs(url: url)
        #expect(paragraphs.contains(charts[0].caption))
        #expect(paragraphs.contains(charts[1].caption))
    }

    /// The `<c:val>` caches of a chart part, series by series, index by index (`nil` for a gap).
    static func values(in xml: String) -> [[String?]] {
        xml.components(separatedBy: "<c:val>").dropFirst().map { block in
            let cache = block.components(separatedBy: "</c:val>")[0]
            let count = Int(cache.components(separatedBy: "<c:ptCount val=\"")[1].prefix { $0.isNumber }) ?? 0
            var out = [String?](repeating: nil, count: count)
            for pt in cache.components(separatedBy: "<c:pt idx=\"").dropFirst() {
                guard let i = Int(pt.prefix { $0.isNumber }), i < count else { continue }
                out[i] = pt.components(separatedBy: "<c:v>")[1].components(separatedBy: "</c:v>")[0]
            }
            return out
        }
    }
}
