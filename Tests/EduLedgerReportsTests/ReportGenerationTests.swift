import EduLedgerCore
import EduLedgerIndicators
import Foundation
import OfficeFormats
import Testing
@testable import EduLedgerReports

@Suite("Generating reports from the demo district")
struct ReportGenerationTests {
    let generator = DemoFacts.generator

    func district() throws -> ReportingUnit { try #require(generator.district) }

    @Test("the default summary: figures equal the indicator engine's, years from the period, no 无数据 in the main figures")
    func defaultSummary() throws {
        let doc = try generator.generate(text: DefaultTemplates.annualSummary, year: 2026, unit: try district())
        #expect(doc.title == "全区2026年教育工作总结")
        let primary = try #require(doc.figures.first { $0.indicatorID == "students.primary" })
        let engineValue = try generator.engine.compute(years: 2026...2026, indicators: ["students.primary"], levels: [.district])
            .values.first?.value
        #expect(primary.value == engineValue)
        #expect(primary.text == ReportPhrases.fixed(engineValue ?? -1, 0) + "人")
        #expect(primary.referenceDate == "2026年9月1日")
        // Headings numbered as the genre does.
        let headings = doc.blocks.compactMap { b -> String? in if case .heading(_, let n, let r) = b { return n + r.map(\.text).joined() }; return nil }
        #expect(headings.first == "一、2026年主要工作")
        #expect(headings.contains("（一）巩固普及成果，办学规模保持稳定"))
        #expect(headings.contains("1、在校生规模"))
        #expect(headings.contains("二、存在的问题"))
        // Every comparison is worded from the series.
        let compared = doc.figures.filter { $0.source.contains("比上年") }
        #expect(!compared.isEmpty)
        for f in compared { #expect(f.text.contains("比上年") || f.text.contains("与上年持平") || f.text.contains("无可比"), "\(f.text)") }
        // 逐年 only where the series rises or falls every year.
        for f in doc.figures where f.text.contains("逐年提升") || f.text.contains("逐年增加") {
            let series = try generator.engine.compute(years: 2024...2026, indicators: [f.indicatorID], levels: [.district])
                .values.filter { $0.unit == f.unit }.compactMap(\.value)
            #expect(zip(series, series.dropFirst()).allSatisfy { $0 < $1 }, "\(f.id) \(f.text)")
        }
    }

    @Test("a township's report computes for the township and differs from the district's")
    func township() throws {
        let t = try #require(generator.engine.units.first { $0.kind == .township })
        let d = try generator.generate(text: DefaultTemplates.annualSummary, year: 2026, unit: try district())
        let doc = try generator.generate(text: DefaultTemplates.annualSummary, year: 2026, unit: t)
        #expect(doc.title == "\(t.name)2026年教育工作总结")
        let tp = try #require(doc.figures.first { $0.indicatorID == "students.primary" })
        let dp = try #require(d.figures.first { $0.indicatorID == "students.primary" })
        #expect(tp.unit == t)
        #expect((tp.value ?? 0) < (dp.value ?? 0))
        #expect(ReportHTML.render(doc) != ReportHTML.render(d))
        // A township has no townships below it: the table is noted, not invented.
        #expect(doc.notes.contains { $0.contains("下没有乡镇") })
        // A school-level report prints indicators that exist only per township as “—” and says so.
        let s = try #require(generator.engine.units.first { $0.kind == .school })
        let school = try generator.generate(text: "入学率{入学率 学段=小学}，在校生{在校生数 学段=小学}人。", year: 2026, unit: s)
        #expect(school.blocks.first.map { if case .paragraph(let r) = $0 { return r.map(\.text).joined() }; return "" }?.hasPrefix("入学率—") == true)
        #expect(school.notes.count == 1)
    }

    @Test("money table: rows rounded once from exact 分 add to the printed total, which is the district's exact total")
    func moneyTable() throws {
        let doc = try generator.generate(text: "@金额表 乡镇 教学仪器设备值 单位=万元 小数=2\n共计{教学仪器设备值 单位=万元 小数=4}。",
                                         year: 2026, unit: try district())
        guard case .table(_, let rows) = doc.blocks[0] else { Issue.record("no table"); return }
        let printed = rows.map { $0[1].map(\.text).joined() }
        let parts = try printed.dropLast().map { try Money(wanyuan: $0) }
        let total = try Money(wanyuan: try #require(printed.last))
        #expect(parts.reduce(Money.zero, +) == total)
        let exact = DemoFacts.facts.resources.filter { $0.year.startYear == 2026 }.reduce(Money.zero) { $0 + $1.equipmentValue }
        #expect(total.amount(in: .wanyuan, decimals: 2) == exact.amount(in: .wanyuan, decimals: 2))
        #expect(doc.figures.last?.text == exact.text(in: .wanyuan, decimals: 4))
        #expect(rows.count == generator.engine.units.filter { $0.kind == .township }.count + 1)
    }

    @Test("述职 over two years: flow rates are Σ分子 ÷ Σ分母 of both years, stocks at the end, 合计 sums counts")
    func dutyReport() throws {
        let text = "@体裁 述职\n@年数 2\n{起止年度}年，辍学率{辍学率 学段=初中}，在校生{在校生数 学段=小学}人，两年在校生合计{在校生数 学段=小学 合计}人。"
        let doc = try generator.generate(text: text, year: 2026, unit: try district())
        #expect(doc.dataYears == [2025, 2026])
        let values = try generator.engine.compute(years: 2025...2026, indicators: ["dropout_rate.junior", "students.primary"], levels: [.district]).values
        let d = values.filter { $0.indicatorID == "dropout_rate.junior" }
        let expected = d.reduce(0) { $0 + $1.numerator } / d.reduce(0) { $0 + ($1.denominator ?? 0) } * 100
        #expect(doc.figures[0].value.map { abs($0 - expected) < 1e-9 } == true)
        #expect(doc.figures[0].referenceDate.contains("2个学年合计"))
        let p = values.filter { $0.indicatorID == "students.primary" }
        #expect(doc.figures[1].value == p.last?.value)
        #expect(doc.figures[2].value == p.reduce(0) { $0 + ($1.value ?? 0) })
        guard case .paragraph(let runs) = doc.blocks[0] else { Issue.record("no paragraph"); return }
        #expect(runs.map(\.text).joined().hasPrefix("2025—2026年，"))
    }

    @Test("a plan for 2027 takes its figures from 2026")
    func plan() throws {
        let doc = try generator.generate(text: "@体裁 计划\n{年度}年计划：在{基准年度}年{在校生数 学段=小学}人的基础上……", year: 2027, unit: try district())
        #expect(doc.dataYears == [2026])
        #expect(doc.figures[0].years == [2026])
    }

    @Test(".docx: opens, carries the figures and the appendix; LibreOffice converts it when installed")
    func docx() throws {
        let doc = try generator.generate(text: DefaultTemplates.annualSummary, year: 2026, unit: try district())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("report-docx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("report.docx")
        try ReportDocx.data(doc, reportID: 7, traceBase: "https://edu.example.cn").write(to: url)
        let paragraphs = try DocxText.paragraphs(url: url)
        let all = paragraphs.joined(separator: "\n")
        #expect(paragraphs.first == "全区2026年教育工作总结")
        #expect(all.contains("附录：数据口径与来源"))
        let primary = try #require(doc.figures.first { $0.indicatorID == "students.primary" })
        #expect(all.contains("全区2026年教育工作总结"))
        #expect(all.contains("R7-F001"))
        #expect(all.contains(primary.text))
        #expect(all.contains("一、2026年主要工作"))
        // The default template has charts: the document still converts, to text and to PDF.
        let charts = doc.blocks.compactMap { b -> ReportChart? in if case .chart(let c) = b { return c }; return nil }
        #expect(charts.count == 2)
        for c in charts { #expect(paragraphs.contains(c.caption)) }
        guard LibreOffice.available else { return }
        let text = try String(contentsOf: try LibreOffice.convert(url, to: "txt:Text (encoded):UTF8", extension: "txt", in: dir), encoding: .utf8)
        #expect(text.contains(primary.text))
        #expect(text.contains("附录：数据口径与来源"))
        let pdf = try LibreOffice.convert(url, to: "pdf", extension: "pdf", in: dir)
        #expect(((try? FileManager.default.attributesOfItem(atPath: pdf.path)[.size] as? Int) ?? 0) > 10_000)
        guard let pdfText = try LibreOffice.pdfText(pdf, in: dir) else { return }
        // pdftotext puts a blank between Latin digits and Chinese; compare without blanks.
        let flat = pdfText.filter { !$0.isWhitespace }
        #expect(flat.contains(primary.text))
        for c in charts { #expect(flat.contains(c.caption.filter { !$0.isWhitespace })) }
    }

    @Test(".docx chart: LibreOffice draws it — its category labels and values are in the PDF's text")
    func chartInPDF() throws {
        guard LibreOffice.available else { return }
        // Labels that appear nowhere but in the chart, so finding them in the PDF proves it was drawn.
        var d = DocxDocument()
        d.paragraph("图表测试。")
        d.chart(DocxChart(kind: .bar, title: "", categories: ["甲子乡", "乙丑镇", "丙寅街道"],
                          series: [DocxChart.Series(name: "在校生", values: [4321, 8765, nil])], valueUnit: "人"))
        d.chart(DocxChart(kind: .line, title: "入学率走势", categories: ["二〇二四", "二〇二五"],
                          series: [DocxChart.Series(name: "入学率", values: [98.6, 99.1])], decimals: 1, valueUnit: "%"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chart-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("chart.docx")
        try d.write(to: url)
        let pdf = try LibreOffice.convert(url, to: "pdf", extension: "pdf", in: dir)
        guard let text = try LibreOffice.pdfText(pdf, in: dir) else { return }
        let flat = text.filter { !$0.isWhitespace }
        for label in ["甲子乡", "乙丑镇", "丙寅街道", "4321", "8765", "二〇二四", "二〇二五", "98.6", "99.1", "入学率走势"] {
            #expect(flat.contains(label), "\(label) not in the PDF")
        }
    }

    @Test("frozen: the stored document renders identically after the records change; the diff names the changed figure")
    func freezing() throws {
        let template = "小学在校生{在校生数 学段=小学}人，初中在校生{在校生数 学段=初中}人。"
        let doc = try generator.generate(text: template, year: 2026, unit: try district())
        let frozen = try JSONEncoder().encode(doc)
        let html = ReportHTML.render(doc)
        // A primary pupil leaves before 9月1日 2026.
        var facts = DemoFacts.facts
        let day = try #require(CivilDate(year: 2026, month: 9, day: 1))
        let index = try #require(facts.enrolments.firstIndex { $0.grade.stage == .primary && $0.covers(day) })
        facts.enrolments[index].until = CivilDate(year: 2026, month: 6, day: 30)
        let today = try ReportGenerator(facts: facts).generate(text: template, year: 2026, unit: try district())
        let restored = try JSONDecoder().decode(ReportDocument.self, from: frozen)
        #expect(ReportHTML.render(restored) == html)
        let changes = ReportDiff.compare(frozen: restored, current: today)
        #expect(changes.map(\.id) == ["F001"])
        #expect(changes.first?.today == ReportPhrases.fixed((doc.figures[0].value ?? 0) - 1, 0) + "人")
    }

    @Test("HTML: every figure links to its trace page; text is escaped")
    func html() throws {
        let doc = try generator.generate(text: "<b>小学</b>{在校生数 学段=小学}人", year: 2026, unit: try district())
        let html = ReportHTML.render(doc)
        #expect(html.contains("&lt;b&gt;小学&lt;/b&gt;"))
        #expect(html.contains("href=\"/reports/trace?indicator=students.primary&amp;unit=district%3A"))
        #expect(html.contains("附录：数据口径与来源"))
    }
}

/// LibreOffice and poppler, when installed: converting a document is the test that Word-like
/// readers open it.
enum LibreOffice {
    static let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/opt/libreoffice/program/soffice"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var available: Bool { soffice != nil }

    /// Converts `url` with `--convert-to filter` into `dir`; the result's file.
    static func convert(_ url: URL, to filter: String, extension ext: String, in dir: URL) throws -> URL {
        let soffice = try #require(soffice)
        try run(soffice, ["-env:UserInstallation=file://" + dir.appendingPathComponent("profile").path, "--headless",
                          "--convert-to", filter, "--outdir", dir.path, url.path])
        let out = dir.appendingPathComponent(url.deletingPathExtension().lastPathComponent + "." + ext)
        #expect(FileManager.default.fileExists(atPath: out.path), "LibreOffice did not convert \(url.lastPathComponent) to \(ext)")
        return out
    }

    /// The PDF's text through pdftotext, or nil when it is not installed.
    static func pdfText(_ pdf: URL, in dir: URL) throws -> String? {
        guard let tool = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        let out = dir.appendingPathComponent(pdf.deletingPathExtension().lastPathComponent + ".pdf.txt")
        try run(tool, ["-enc", "UTF-8", pdf.path, out.path])
        return try String(contentsOf: out, encoding: .utf8)
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
}
