import ArgumentParser
import EduLedgerCore
import Foundation

/// `eduledger workdays add|between`: deadline arithmetic on the working-day calendar.
struct WorkdaysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workdays", abstract: "按工作日历（含法定节假日与调休）计算期限",
        subcommands: [Add.self, Between.self])

    struct CalendarOptions: ParsableArguments {
        @Option(help: "管理员维护的日历目录（YYYY.json），覆盖或补充内置的年度日历；也可用环境变量 EDULEDGER_CALENDARS")
        var calendars: String?

        func load() throws -> WorkingDayCalendar {
            let dir = calendars ?? ProcessInfo.processInfo.environment["EDULEDGER_CALENDARS"]
            if let dir, !dir.isEmpty {
                return try WorkingDayCalendar.load(directory: URL(fileURLWithPath: dir), overShipped: true)
            }
            return try WorkingDayCalendar.shipped()
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "输出 DATE 之后第 N 个工作日（DATE 当天不计）")
        @Argument(help: "起算日期 YYYY-MM-DD") var date: String
        @Argument(help: "工作日数") var days: Int
        @OptionGroup var calendar: CalendarOptions

        func run() async throws {
            try await reportingErrors {
                let start = try parseDate(date, field: "起算日期")
                guard days >= 0 else { throw ValidationError("工作日数不能为负数") }
                print(try calendar.load().date(days, workingDaysAfter: start).description)
            }
        }
    }

    struct Between: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "输出 A 之后至 B（含 B）之间的工作日数")
        @Argument(help: "开始日期 YYYY-MM-DD（不计入）") var from: String
        @Argument(help: "结束日期 YYYY-MM-DD（计入）") var through: String
        @OptionGroup var calendar: CalendarOptions

        func run() async throws {
            try await reportingErrors {
                let a = try parseDate(from, field: "开始日期")
                let b = try parseDate(through, field: "结束日期")
                print(try calendar.load().workingDays(from: a, through: b))
            }
        }
    }
}
