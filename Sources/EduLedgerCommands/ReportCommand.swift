import ArgumentParser
import EduLedgerIndicators
import EduLedgerReports
import EduLedgerStorage
import Foundation
import OfficeFormats
import ReportChecker

/// `eduledger report check FILE`: finds the arithmetic and consistency errors in a typed report.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "工作总结：由记录生成报告；核对人工填写的数字", subcommands: [Generate.self, Check.self])

    /// `eduledger report generate --year Y [--level L --unit CODE] [--template FILE] --out FILE.docx|.html`
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按模板由记录生成工作报告（.docx 或 .html），每个数字附定义、统计时点和记录数")

        enum Level: String, ExpressibleByArgument, CaseIterable { case district, township, zone, school }

        @OptionGroup var db: DatabaseOptions
        @Option(help: "报告年度（学年起始年，如 2026 指 2026年9月1日的数据）") var year: Int
        @Option(help: "统计层级：district、township、zone、school") var level: Level = .district
        @Option(help: "单位：乡镇代码、学区编号或名称、学校标识码（层级不是 district 时必填）") var unit: String?
        @Option(help: "模板文件（UTF-8 文本；默认为系统的年度工作总结模板）") var template: String?
        @Option(help: "输出文件：.docx 或 .html") var out: String

        func run() async throws {
            try await reportingErrors {
                let text: String
                if let template {
                    guard let t = try? String(contentsOfFile: template, encoding: .utf8) else {
                        throw ValidationError("无法读取模板文件“\(template)”（须为 UTF-8 文本）")
                    }
                    text = t
                } else {
                    text = DefaultTemplates.annualSummary
                }
                let parsed = TemplateParser.parse(text)
                guard parsed.isValid else {
                    throw ValidationError("模板有错误：\n" + parsed.errors.map(\.description).joined(separator: "\n"))
                }
                let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
                guard ext == "docx" || ext == "html" else { throw ValidationError("--out 须以 .docx 或 .html 结尾") }
                let document = try await db.withStore { store in
                    let loader = IndicatorFactsLoader(database: store.database)
                    // Only years with records: a year before the records began would count as zeros.
                    guard let available = try await loader.availableYears() else { throw ValidationError("数据库中还没有任何学年的记录") }
                    let last = min(year, available.upperBound)
                    let facts = try await loader.load(years: max(available.lowerBound, last - 4)...last)
                    let generator = ReportGenerator(facts: facts)
                    let kind = UnitKind(rawValue: level.rawValue) ?? .district
                    if kind != .district && unit == nil { throw ValidationError("--level \(level.rawValue) 须用 --unit 指定单位") }
                    let target = try generator.engine.unit(kind: kind, key: unit)
                    return try generator.generate(parsed.template, year: year, unit: target)
                }
                let url = URL(fileURLWithPath: out)
                if ext == "docx" {
                    try ReportDocx.document(document).write(to: url)
                } else {
                    let page = "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>"
                        + ReportHTML.escape(document.title) + "</title><body>" + ReportHTML.render(document) + "</body></html>"
                    try Data(page.utf8).write(to: url)
                }
                print("已生成“\(document.title)”：\(document.figures.count)个数字，写入 \(out)")
                for note in document.notes { print("注意：\(note)") }
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "核对报告中的数字：合计、百分比、平均数、增减方向、前后不一致、年份、序号（.txt/.md/.docx，简体或繁体）")

        @Argument(help: "报告文件：.txt、.md 或 .docx") var file: String
        @Option(help: "报告所属年度（默认从标题或落款日期识别）") var year: Int?
        @Flag(help: "以 JSON 输出（字段 line, quote, kind, expected, found, severity）") var json = false

        func run() async throws {
            try await reportingErrors {
                let paragraphs = try Self.readParagraphs(file)
                let findings = ReportChecker.check(paragraphs: paragraphs, options: CheckOptions(reportYear: year))
                if json {
                    try printJSON(findings)
                } else if findings.isEmpty {
                    print("未发现数字错误（共检查\(paragraphs.count)段）。")
                } else {
                    for f in findings {
                        print("第\(f.line)行［\(f.severity.rawValue)］\(f.message)")
                        print("　　原文：\(f.quote)")
                        if !f.computation.isEmpty { print("　　计算：\(f.computation)") }
                    }
                    let errors = findings.filter { $0.severity == .error }.count
                    print("共\(findings.count)处：错误\(errors)处，存疑\(findings.count - errors)处。")
                }
                if findings.contains(where: { $0.severity == .error }) { throw ExitCode(2) }
            }
        }

        /// .docx through OfficeFormats; text files as UTF-8, or GB18030 as Chinese Windows saves them.
        static func readParagraphs(_ path: String) throws -> [String] {
            let url = URL(fileURLWithPath: path)
            guard FileManager.default.fileExists(atPath: path) else {
                throw ValidationError("找不到文件“\(path)”")
            }
            if url.pathExtension.lowercased() == "docx" {
                do { return try DocxText.paragraphs(url: url) } catch {
                    throw ValidationError(error.message)
                }
            }
            let data = try Data(contentsOf: url)
            if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
                throw ValidationError("文件“\(url.lastPathComponent)”不是纯文本：请另存为 .txt，或以 .docx 提供")
            }
            let text = String(data: data, encoding: .utf8)
                ?? String(data: data, encoding: String.Encoding(rawValue: 0x8000_0632))
            guard let text else { throw ValidationError("文件“\(url.lastPathComponent)”既不是 UTF-8 也不是 GB18030 编码的文本") }
            return ReportChecker.lines(of: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        }
    }
}
