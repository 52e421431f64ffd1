import ArgumentParser
import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import Foundation

extension ImportKind: ExpressibleByArgument {}
extension ImportMode: ExpressibleByArgument {}

/// `eduledger import students|schools|staff FILE`: validates every row, reports every problem,
/// and writes the valid rows in one transaction (or none, in all-or-nothing mode).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "从 .xlsx/.csv 导入学校、学生、教职工、适龄人口或办学条件（逐行校验，全部问题一次列出）",
        discussion: "退出码：0 全部导入；1 文件无法导入；2 有行未通过校验（问题清单见输出）。")

    @Argument(help: "类别：students（学生）、schools（学校）、staff（教职工）、population（适龄人口）、resources（办学条件）")
    var kind: ImportKind
    @Argument(help: "文件（.xlsx 或 .csv，CSV 可为 UTF-8 或 GB18030）") var file: String
    @Option(help: "本校导入：只接受该学校标识码的记录（表中可不填学校标识码）") var school: String?
    @Option(help: "all-or-nothing（有任何问题即全部不导入，默认）或 valid-rows（只导入有效行）") var mode: ImportMode = .allOrNothing
    @Option(help: "把未通过的行写入此文件（.xlsx 或 .csv），附问题说明") var rejected: String?
    @Option(help: "写出标注问题单元格的整表副本（.xlsx）") var annotated: String?
    @Option(help: "要读取的工作表名称（默认模板工作表或第一个可见工作表）") var sheet: String?
    @Flag(help: "更新导入：学籍号（教职工号、学校标识码）已存在的行更新该记录，并记入审计日志") var update = false
    @Flag(help: "只校验，不写入数据库") var dryRun = false
    @Flag(help: "以 JSON 输出导入报告") var json = false
    @Flag(help: "在标准错误输出显示进度和剩余时间（终端中默认显示）") var progress = false
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let report = try await reportingErrors { try await importFile() }
        if json {
            try printJSON(report)
        } else {
            if !report.problems.isEmpty {
                var table = TextTable(header: ["工作表", "行", "列", "列名", "值", "问题"])
                for p in report.problems {
                    table.rows.append([p.sheet, String(p.row), p.column ?? "", p.header ?? "", p.value, p.message])
                }
                print(table.render())
            }
            if !report.ignoredColumns.isEmpty { print("未识别而忽略的列：\(report.ignoredColumns.joined(separator: "、"))") }
            print(report.summary)
            if let rejected, report.rejectedRows > 0 { print("未通过的行已写入 \(rejected)") }
        }
        if report.rejectedRows > 0 { throw ExitCode(2) }
    }
}

extension ImportCommand {
    /// Validates (and unless refused, commits) the file; writes the rejected rows and annotated copy.
    func importFile() async throws -> ImportReport {
        let url = URL(fileURLWithPath: file)
        let bar = ImportProgressLine(title: "校验\(kind.chineseName)数据", forced: progress)
        var options = ImportOptions(mode: mode, allowUpdates: update, dryRun: dryRun, schoolCode: school, sheet: sheet)
        if bar.enabled {
            options.progress = { done, total in bar.update(done: done, total: total) }
        }
        let report: ImportReport = try await db.withStore { store in
            try await Importer(store: store).run(kind, file: url, options: options)
        }
        bar.finish()
        if let rejected, report.rejectedRows > 0 {
            try ImportAnnotation.writeRejectedRows(source: url, report: report, to: URL(fileURLWithPath: rejected))
        }
        if let annotated {
            try ImportAnnotation.writeAnnotatedCopy(source: url, report: report, to: URL(fileURLWithPath: annotated))
        }
        return report
    }
}

/// `eduledger template students|schools|staff FILE`: the import template workbook.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "template", abstract: "生成导入模板（.xlsx，含示例行和填写说明）")
    @Argument(help: "类别：students、schools、staff、population、resources") var kind: ImportKind
    @Argument(help: "输出文件 .xlsx") var file: String

    func run() async throws {
        try await reportingErrors {
            try ImportTemplate.write(kind, to: URL(fileURLWithPath: file))
            print("已生成\(kind.chineseName)导入模板：\(file)")
        }
    }
}

/// `eduledger export students|staff|schools|statistics FILE`
struct ExportCommand: AsyncParsableCommand {
    enum What: String, ExpressibleByArgument, CaseIterable { case students, staff, schools, statistics }

    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "导出学生、教职工、学校名单（.xlsx 或 .csv），或上级要求格式的统计表（statistics，.xlsx）")
    @Argument(help: "内容：students、staff、schools、statistics") var what: What
    @Argument(help: "输出文件：.xlsx 或 .csv（统计表只能是 .xlsx）") var file: String
    @Option(help: "学校标识码") var school: String?
    @Option(help: "年级，如 一年级、七年级（学生）") var grade: GradeLevel?
    @Option(help: "岗位（教职工）") var post: String?
    @Option(help: "按姓名、编号或身份证号开头查找") var search: String?
    @Option(help: "日期 YYYY-MM-DD（默认本学年9月1日）") var date: String?
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let on = try date.map { try parseDate($0, field: "日期") } ?? currentReferenceDate()
            let url = URL(fileURLWithPath: file)
            try await db.withStore { store in
                var ids: Set<SchoolID>?
                if let code = school {
                    guard let s = try await store.school(code: code) else { throw RegistryError.notFound(kind: "学校", key: code) }
                    ids = [s.id]
                }
                switch what {
                case .students:
                    let n = try await RegistryExport.students(
                        from: store, query: StudentQuery(date: on, schoolIDs: ids, grade: grade, search: search), to: url)
                    print("已导出\(on.chinese)在校学生\(n)人：\(file)")
                case .staff:
                    var staffPost: StaffPost?
                    if let post {
                        guard let p = StaffPost(rawValue: post) else { throw ValidationError("岗位“\(post)”无效") }
                        staffPost = p
                    }
                    let n = try await RegistryExport.staff(
                        from: store, query: StaffQuery(date: on, schoolIDs: ids, post: staffPost, search: search), to: url)
                    print("已导出\(on.chinese)在职教职工\(n)人：\(file)")
                case .schools:
                    let n = try await RegistryExport.schools(from: store, filter: SchoolFilter(onlyIDs: ids), to: url)
                    print("已导出学校\(n)所：\(file)")
                case .statistics:
                    guard url.pathExtension.lowercased() == "xlsx" else { throw ValidationError("统计表只能导出为 .xlsx 文件") }
                    let t = try await StatisticsWorkbook.write(from: store, on: on, to: url)
                    print("已导出\(on.chinese)统计表：在校生\(t.students)人（女\(t.girls)人），班级\(t.classes)个"
                          + "（大班额\(t.largeClasses)个，超大班额\(t.veryLargeClasses)个），教职工\(t.staff)人：\(file)")
                }
            }
        }
    }
}

/// `eduledger backup FILE`: every record of every table, audit log included.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "完整备份数据库（含审计日志）到一个文件")
    @Argument(help: "备份文件，如 backup-2025-09-01.eduledger") var file: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let db = try await Database.open(self.db.location)
            do {
                let manifest = try await DatabaseBackup.write(db, to: URL(fileURLWithPath: file))
                try await db.close()
                print("已备份\(manifest.tables.count)张表共\(manifest.tables.reduce(0) { $0 + $1.rows })条记录到 \(file)")
            } catch {
                try? await db.close()
                throw error
            }
        }
    }
}

/// `eduledger restore FILE`: into an empty database only.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "从备份文件恢复到空数据库")
    @Argument(help: "备份文件") var file: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let db = try await Database.open(self.db.location)
            do {
                let manifest = try await DatabaseBackup.restore(from: URL(fileURLWithPath: file), into: db)
                try await db.close()
                print("已从 \(file) 恢复\(manifest.tables.count)张表共\(manifest.tables.reduce(0) { $0 + $1.rows })条记录（备份于\(manifest.createdAt)）")
            } catch {
                try? await db.close()
                throw error
            }
        }
    }
}

/// The import's progress on stderr: percentage of the file read, rows-independent (bytes), and the
/// time left at the rate so far. Shown on a terminal, or always with `--progress` (then one line
/// per update, so a log file or a pipe gets readable lines).
final class ImportProgressLine: @unchecked Sendable {
    let enabled: Bool
    private let title: String
    private let isTerminal: Bool
    private let lock = NSLock()
    private let started = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(title: String, forced: Bool) {
        self.title = title
        isTerminal = isatty(STDERR_FILENO) != 0
        enabled = forced || isTerminal
    }

    func update(done: UInt64, total: UInt64) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= (isTerminal ? 0.1 : 1) || done >= total else { return }
        lastDraw = now
        drawn = true
        let line = Self.line(title: title, done: done, total: total, elapsed: now.timeIntervalSince(started))
        FileHandle.standardError.write(Data((isTerminal ? "\r" + line + " " : line + "\n").utf8))
    }

    /// `校验学生数据 [██████░░░░] 60%  已用12秒，剩余约8秒`
    static func line(title: String, done: UInt64, total: UInt64, elapsed: Double) -> String {
        let fraction = min(1, Double(done) / Double(max(total, 1)))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = fraction > 0.01 ? "剩余约\(Int((elapsed / fraction - elapsed).rounded()))秒" : "正在估算剩余时间"
        return "\(title) \(bar) \(Int(fraction * 100))%  已用\(Int(elapsed))秒，\(eta)"
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        if enabled && isTerminal && drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
