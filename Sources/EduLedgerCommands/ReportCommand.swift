import ArgumentParser
import Foundation
import OfficeFormats
import ReportChecker

/// `eduledger report check FILE`: finds the arithmetic and consistency errors in a typed report.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "工作总结：核对人工填写的数字", subcommands: [Check.self])

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
