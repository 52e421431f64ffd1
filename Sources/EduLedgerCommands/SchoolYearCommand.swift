import ArgumentParser
import EduLedgerCore
import EduLedgerStorage
import Foundation

/// `eduledger school-year …`: transfers through the three-step chain, suspension, dropout and
/// return, and the year-end promotion and graduation (preview, confirm, undo).
struct SchoolYearCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "school-year", abstract: "学年业务：转学（三级审核）、休学、辍学、复学、年终升级与毕业",
        subcommands: [TransferRequestCommand.self, TransferApproveCommand.self, TransferRefuseCommand.self,
                      LeaveCommand.self, ReturnCommand.self, YearEndCommand.self, YearEndUndoCommand.self, RolloverCommand.self])
}

/// The operator named on the command line, for the who-and-when of each step.
struct OperatorOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: "经办人登录名（记入审核记录与审计日志）") var login: String = ActingUser.commandLine.login

    var user: ActingUser {
        login == ActingUser.commandLine.login ? .commandLine : ActingUser(login: login, displayName: login)
    }
}

private func describe(_ r: TransferRequest) -> String {
    var lines = ["转学申请 \(r.id)：\(r.status.rawValue)，\(r.grade.name)，转入日期\(r.date.chinese)，理由：\(r.reason)",
                 "  转入校申请：\(r.requested.by) \(r.requested.at)"]
    if let s = r.sendingApproved { lines.append("  转出校审核通过：\(s.by) \(s.at)") }
    if let s = r.bureauApproved { lines.append("  教育局审核通过：\(s.by) \(s.at)") }
    if let s = r.refused { lines.append("  拒绝：\(s.by) \(s.at)，理由：\(r.refusalReason ?? "")") }
    return lines.joined(separator: "\n")
}

struct TransferRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer-request", abstract: "转入校提出转学申请")
    @Option(help: "学籍号") var student: String
    @Option(help: "转入学校标识码") var to: String
    @Option(help: "转入年级（默认原年级）") var grade: String?
    @Option(help: "转入班号") var classNumber: Int?
    @Option(help: "转入日期 YYYY-MM-DD") var date: String
    @Option(help: "转学理由") var reason: String = "随家长工作调动"
    @Flag(help: "以 JSON 输出") var json = false
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let day = try parseDate(date, field: "转入日期")
            let g = try grade.map(parseGrade)
            try await db.withStore { store in
                let r = try await RegistryService(store: store).requestTransfer(
                    studentNumber: student, toSchoolCode: to, grade: g, classNumber: classNumber, on: day, reason: reason,
                    by: who.user)
                if json { try printJSON(r) } else { print(describe(r)) }
            }
        }
    }
}

struct TransferApproveCommand: AsyncParsableCommand {
    enum Step: String, ExpressibleByArgument { case sending, bureau }
    static let configuration = CommandConfiguration(commandName: "transfer-approve",
                                                    abstract: "审核通过转学申请：sending（转出校）或 bureau（教育局，通过后学籍变更）")
    @Argument(help: "申请编号") var id: Int64
    @Option(help: "审核环节：sending 或 bureau") var step: Step
    @Flag(help: "以 JSON 输出") var json = false
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            try await db.withStore { store in
                let service = RegistryService(store: store)
                let r = step == .sending
                    ? try await service.approveTransferBySendingSchool(id: id, by: who.user)
                    : try await service.approveTransferByBureau(id: id, by: who.user)
                if json { try printJSON(r) } else { print(describe(r)) }
            }
        }
    }
}

struct TransferRefuseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transfer-refuse", abstract: "拒绝转学申请（须填写理由）")
    @Argument(help: "申请编号") var id: Int64
    @Option(help: "拒绝理由") var reason: String
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            try await db.withStore { store in
                print(describe(try await RegistryService(store: store).refuseTransfer(id: id, reason: reason, by: who.user)))
            }
        }
    }
}

struct LeaveCommand: AsyncParsableCommand {
    enum Kind: String, ExpressibleByArgument { case suspend, dropout }
    static let configuration = CommandConfiguration(commandName: "leave", abstract: "办理休学（suspend）或登记辍学（dropout）")
    @Option(help: "学籍号") var student: String
    @Option(help: "suspend（休学）或 dropout（辍学）") var kind: Kind
    @Option(help: "离校日期（第一天不在校）YYYY-MM-DD") var date: String
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let day = try parseDate(date, field: "离校日期")
            try await db.withStore { store in
                let e = try await RegistryService(store: store).leave(
                    studentNumber: student, on: day, reason: kind == .suspend ? .suspended : .droppedOut, by: who.user)
                print("学籍号\(student)：\(e.grade.name)学籍于\(day.chinese)因\(e.exit?.rawValue ?? "")结束")
            }
        }
    }
}

struct ReturnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "return", abstract: "办理复学或辍学返校")
    @Option(help: "学籍号") var student: String
    @Option(help: "返校日期 YYYY-MM-DD") var date: String
    @Option(help: "学校标识码（默认原学校）") var school: String?
    @Option(help: "年级（默认原年级）") var grade: String?
    @Option(help: "班号") var classNumber: Int?
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let day = try parseDate(date, field: "返校日期")
            let g = try grade.map(parseGrade)
            try await db.withStore { store in
                let e = try await RegistryService(store: store).returnToSchool(
                    studentNumber: student, on: day, schoolCode: school, grade: g, classNumber: classNumber, by: who.user)
                print("学籍号\(student)：\(e.entry.rawValue)，自\(day.chinese)起在读\(e.grade.name)")
            }
        }
    }
}

struct YearEndCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "year-end", abstract: "年终升级与毕业：默认只预览，加 --confirm 在一个事务中执行（全部成功或全部不变）")
    @Option(help: "学年（起始年份，如 2025 表示2025—2026学年）") var year: Int
    @Option(help: "学校标识码（不填为全区）") var school: String?
    @Option(name: .customLong("repeat"), help: "留级学生的学籍号（可重复）") var repeaters: [String] = []
    @Flag(help: "确认执行") var confirm = false
    @Flag(help: "以 JSON 输出") var json = false
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            try await db.withStore { store in
                let service = RegistryService(store: store)
                let plan = try await service.previewYearEnd(schoolCode: school, year: SchoolYear(year), repeaters: Set(repeaters))
                if !confirm {
                    if json { try printJSON(plan); return }
                    print("\(SchoolYear(year).name)年终预览（\(school ?? "全区")）：升级\(plan.promotions)人，留级\(plan.repetitions)人，毕业\(plan.graduations)人")
                    print("未执行任何变更；确认后请加 --confirm")
                    return
                }
                let run = try await service.confirmYearEnd(schoolCode: school, year: SchoolYear(year),
                                                           repeaters: Set(repeaters), by: who.user)
                if json { try printJSON(run); return }
                print("年终升级已执行（记录编号 \(run.id)）：结束学籍\(run.closedEnrolments.count)段，新开学籍\(run.openedEnrolmentIDs.count)段")
                print("新学年（\(SchoolYear(year).next.firstDay.chinese)）开始前可用 eduledger school-year year-end-undo \(run.id) 撤销")
            }
        }
    }
}

struct YearEndUndoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "year-end-undo", abstract: "撤销年终升级（新学年开始前）")
    @Argument(help: "年终升级记录编号") var id: Int64
    @Option(help: "今天的日期 YYYY-MM-DD（默认系统日期）") var today: String?
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let day = try today.map { try parseDate($0, field: "今天的日期") } ?? todayInChina()
            try await db.withStore { store in
                let run = try await RegistryService(store: store).undoYearEnd(runID: id, today: day, by: who.user)
                print("年终升级记录 \(run.id) 已撤销：恢复学籍\(run.closedEnrolments.count)段，删除新开学籍\(run.openedEnrolmentIDs.count)段")
            }
        }
    }
}

/// Today's date in China.
func todayInChina() -> CivilDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
    let c = calendar.dateComponents([.year, .month, .day], from: Date())
    return CivilDate(year: c.year ?? 2025, month: c.month ?? 9, day: c.day ?? 1) ?? CivilDate(dayNumber: 0)
}

/// Parses a grade argument (一年级, 初一, 七年级 …) with a Chinese error.
func parseGrade(_ text: String) throws -> GradeLevel {
    guard let g = GradeLevel(text: text) else { throw ValidationError("年级“\(text)”无效，应为如“一年级”“七年级”“初一”") }
    return g
}

struct RolloverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollover",
                                                    abstract: "开始新学年：各校年终升级办结后，按本学年数量新建起始年级（小班、一年级、七年级、高一）班级")
    @Option(help: "结束的学年（起始年份，如 2025 表示2025—2026学年）") var year: Int
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            try await db.withStore { store in
                let created = try await RegistryService(store: store).rollOverYear(from: SchoolYear(year), by: who.user)
                print("\(SchoolYear(year).next.name)已开始：新建起始年级班级\(created.count)个")
            }
        }
    }
}
