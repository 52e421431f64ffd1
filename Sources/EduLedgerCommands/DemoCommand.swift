import ArgumentParser
import EduLedgerCore
import EduLedgerDemo
import EduLedgerStorage
import EduLedgerWeb
import Foundation

extension DemoScale: ExpressibleByArgument {
    public init?(argument: String) {
        switch argument {
        case "district": self = .district
        case "city": self = .city
        case "province": self = .province
        default: return nil
        }
    }
}

/// `eduledger demo`: loads a realistic, deterministic demo district into an empty database.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "生成并装载演示区县（同一种子生成的数据完全相同）")

    @Option(help: "随机种子") var seed: UInt64 = 20_260_901
    @Option(help: "规模：district（约4万学生）、city（约100万）、province（约1000万）") var scale: DemoScale = .district
    @Flag(help: "数据库已有数据时不报错，直接跳过") var ifEmpty = false
    @Flag(help: "以 JSON 输出装载结果") var json = false
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            try await db.withStore { store in
                guard try await store.isEmpty() else {
                    if ifEmpty {
                        if !json { print("数据库（\(db.location)）已有数据，跳过演示数据装载。") }
                        return
                    }
                    throw StorageError(code: "demo.not_empty",
                                       message: "数据库（\(db.location)）已有数据；演示数据只能装入空数据库，请用 --database 指定新文件")
                }
                let summary = try await DemoLoader.load(seed: seed, scale: scale, into: store,
                                                        progress: ProgressBar(title: "装载演示数据"))
                let accounts = try await DemoAccounts.create(in: store.database)
                // One finished class draw, so the bureau's draw overview is not empty (after the digest).
                let drawID = try await DrawDemo.create(in: store.database, today: WebConfig(database: store.database).currentDate)
                if json {
                    try printJSON(summary)
                } else {
                    DemoLoader.printSummary(summary, location: db.location)
                    DemoLoader.printAccounts(accounts)
                    if let drawID { print("演示编班：已完成并锁定一次一年级电脑随机编班，公开核验页 /public/draws/\(drawID)") }
                }
            }
        }
    }
}

/// Generates the demo and stores it in one transaction: a run that fails or is killed leaves
/// the database as empty as it was, so it can simply be run again.
public enum DemoLoader {
    public static func load(seed: UInt64, scale: DemoScale, into store: some RegistryStore,
                            progress: ProgressBar? = nil) async throws -> DemoSummary {
        let generator = DemoGenerator(seed: seed, scale: scale)
        let demoUser = ActingUser(login: "system:demo", displayName: "演示数据生成")
        let statistics = DemoStatisticsCollector(generator: generator)
        let summary = try await store.write(by: demoUser) { tx in
            let summary = try await generator.generate(
                into: { batch in
                    try await tx.bulkInsert(batch)
                    await statistics.add(batch)
                },
                progress: { done, total in progress?.update(done: done, total: total) })
            // Population and resources of the same five years, in the same transaction.
            if let writer = tx as? any StatisticsWriting { try await writer.bulkUpsert(await statistics.makeBatch()) }
            return summary
        }
        progress?.finish()
        _ = try await DropoutDemo.seed(into: store, on: summary.latestYear.referenceDate)
        // The demo year's casework (信访, 建议提案, 排查隐患, 许可, 违规), in its own transaction.
        if let sql = store as? SQLRegistryStore {
            try await DemoCaseworkLoader.load(seed: seed, year: generator.latestYear.startYear, database: sql.database)
        }
        return summary
    }

    static func printSummary(_ s: DemoSummary, location: DatabaseLocation) {
        print("演示数据已装入 \(location)（种子 \(s.seed)，校验摘要 \(s.digest)）")
        print("\(s.districtName)（\(s.districtCode)）：乡镇（街道）\(s.townships)个，学区\(s.zones)个，学校\(s.schools)所，"
              + "\(s.latestYear.previous.previous.previous.previous.name)至\(s.latestYear.name)共五个学年")
        let stages = s.studentsByStage.map { "\($0.stage.rawValue)\($0.students)人" }.joined(separator: "，")
        print("\(s.latestYear.referenceDate.chinese)在校学生\(s.studentsOnReferenceDate)人：\(stages)")
        print("在职教职工\(s.staffOnReferenceDate)人，其中专任教师\(s.fullTimeTeachersOnReferenceDate)人；"
              + "历年学生\(s.students)人、学籍记录\(s.enrolments)条、班级\(s.classes)个")
        for m in s.mergers {
            print("学校撤并：\(m.closedSchoolName)于\(m.closedOn.chinese)并入\(m.receivingSchoolName)，转入学生\(m.pupilsMoved)人")
        }
    }
}

extension DemoLoader {
    /// The demo logins, one per role, and their shared password.
    static func printAccounts(_ accounts: [DemoAccountInfo]) {
        print("演示账号（共\(accounts.count)个，密码均为 \(DemoAccounts.password)；非演示模式下首次登录须修改密码）：")
        var table = TextTable(header: ["登录名", "角色", "范围"])
        for a in accounts { table.rows.append([a.login, a.roleTitle, a.place]) }
        print(table.render())
    }
}

/// A one-line progress bar with ETA on standard error, drawn only when stderr is a terminal.
public final class ProgressBar: @unchecked Sendable {
    private let title: String
    private let lock = NSLock()
    private let started = Date()
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    public init(title: String) {
        self.title = title
        self.enabled = isatty(STDERR_FILENO) != 0
    }

    public func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let elapsed = now.timeIntervalSince(started)
        let eta = fraction > 0.01 ? Int(elapsed / fraction - elapsed) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(title) \(bar) \(Int(fraction * 100))%  剩余约\(eta)秒 ".utf8))
    }

    public func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
