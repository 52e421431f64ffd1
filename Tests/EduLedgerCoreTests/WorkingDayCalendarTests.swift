import Foundation
import Testing
@testable import EduLedgerCore

@Suite("工作日历 WorkingDayCalendar")
struct WorkingDayCalendarTests {
    private func day(_ iso: String) throws -> CivilDate { try #require(CivilDate(iso: iso)) }

    @Test func shippedYearsHave248WorkingDays() throws {
        let calendar = try WorkingDayCalendar.shipped()
        #expect(calendar.years.map(\.year) == [2025, 2026])
        #expect(try calendar.workingDays(in: 2025) == 248)
        #expect(try calendar.workingDays(in: 2026) == 248)
        #expect(try calendar.workingDays(from: try day("2024-12-31"), through: try day("2025-12-31")) == 248)
        #expect(try calendar.workingDays(from: try day("2025-12-31"), through: try day("2026-12-31")) == 248)
        #expect(calendar.years[0].source.contains("国务院办公厅"))
    }

    /// The shipped files say exactly what DOMAIN.md's table of the two notices says.
    @Test func shippedDataMatchesTheNotices() throws {
        let calendar = try WorkingDayCalendar.shipped()
        let expected: [(Int, [(String, String, String)], [String])] = [
            (2025, [("元旦", "01-01", "01-01"), ("春节", "01-28", "02-04"), ("清明节", "04-04", "04-06"),
                    ("劳动节", "05-01", "05-05"), ("端午节", "05-31", "06-02"), ("国庆节、中秋节", "10-01", "10-08")],
             ["01-26", "02-08", "04-27", "09-28", "10-11"]),
            (2026, [("元旦", "01-01", "01-03"), ("春节", "02-15", "02-23"), ("清明节", "04-04", "04-06"),
                    ("劳动节", "05-01", "05-05"), ("端午节", "06-19", "06-21"), ("中秋节", "09-25", "09-27"),
                    ("国庆节", "10-01", "10-07")],
             ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"]),
        ]
        for (year, holidays, worked) in expected {
            let data = try #require(calendar.years.first { $0.year == year })
            #expect(data.holidays.count == holidays.count)
            for (holiday, (name, from, to)) in zip(data.holidays, holidays) {
                #expect(holiday.name == name)
                #expect(holiday.from == (try day("\(year)-\(from)")))
                #expect(holiday.to == (try day("\(year)-\(to)")))
            }
            #expect(data.workingWeekendDays == (try worked.map { try day("\(year)-\($0)") }))
        }
    }

    @Test func nationalDayWeek2025() throws {
        let calendar = try WorkingDayCalendar.shipped()
        // 10-01…10-08 are off; Saturday 10-11 is worked.
        #expect(try calendar.date(1, workingDaysAfter: try day("2025-09-30")) == (try day("2025-10-09")))
        #expect(try calendar.date(3, workingDaysAfter: try day("2025-09-30")) == (try day("2025-10-11")))
        #expect(try calendar.isWorkingDay(try day("2025-10-11")))
        #expect(try calendar.isWorkingDay(try day("2025-09-28")))      // Sunday, worked
        #expect(try !calendar.isWorkingDay(try day("2025-10-08")))     // Wednesday, off
        #expect(try !calendar.isWorkingDay(try day("2025-10-12")))     // ordinary Sunday
        #expect(try calendar.holidayName(on: try day("2025-10-06")) == "国庆节、中秋节")
        #expect(try calendar.holidayName(on: try day("2025-10-09")) == nil)
        // A 5-working-day one-time notice for an application received on Friday 2025-09-26:
        // 09-28 (Sun, worked), 09-29, 09-30, 10-09, 10-10.
        #expect(try calendar.date(5, workingDaysAfter: try day("2025-09-26")) == (try day("2025-10-10")))
    }

    @Test func springFestival2026() throws {
        let calendar = try WorkingDayCalendar.shipped()
        // Friday 02-13 → Saturday 02-14 is worked.
        #expect(try calendar.date(1, workingDaysAfter: try day("2026-02-13")) == (try day("2026-02-14")))
        // From the worked Saturday, the next working day is Tuesday 02-24 (02-15…02-23 off).
        #expect(try calendar.date(1, workingDaysAfter: try day("2026-02-14")) == (try day("2026-02-24")))
        #expect(try calendar.workingDays(from: try day("2026-02-13"), through: try day("2026-02-28")) == 6)
        #expect(try calendar.holidayName(on: try day("2026-02-17")) == "春节")
        // 20 working days of a licensing decision accepted on 2026-02-10.
        #expect(try calendar.date(20, workingDaysAfter: try day("2026-02-10")) == (try day("2026-03-16")))
    }

    @Test func spanOverTheYearBoundary() throws {
        let calendar = try WorkingDayCalendar.shipped()
        // 2025-12-29 (Mon) … 12-31 are worked, 2026-01-01…01-03 off, Sunday 01-04 worked.
        #expect(try calendar.date(3, workingDaysAfter: try day("2025-12-26")) == (try day("2025-12-31")))
        #expect(try calendar.date(4, workingDaysAfter: try day("2025-12-26")) == (try day("2026-01-04")))
        #expect(try calendar.date(5, workingDaysAfter: try day("2025-12-26")) == (try day("2026-01-05")))
        #expect(try calendar.workingDays(from: try day("2025-12-26"), through: try day("2026-01-05")) == 5)
    }

    @Test func uncoveredYearIsAnErrorNotAGuess() throws {
        let calendar = try WorkingDayCalendar.shipped()
        #expect(throws: CalendarError.yearNotCovered(2027)) { try calendar.isWorkingDay(try day("2027-03-01")) }
        #expect(throws: CalendarError.yearNotCovered(2027)) {
            try calendar.date(1, workingDaysAfter: try day("2026-12-31"))
        }
        #expect(throws: CalendarError.yearNotCovered(2027)) {
            try calendar.workingDays(from: try day("2026-12-01"), through: try day("2027-01-05"))
        }
        #expect(throws: CalendarError.yearNotCovered(2024)) {
            try calendar.workingDays(from: try day("2024-12-30"), through: try day("2025-01-05"))
        }
        #expect(throws: CalendarError.yearNotCovered(2027)) { try calendar.workingDays(in: 2027) }
        let error = CalendarError.yearNotCovered(2027)
        #expect(error.code == "calendar.year_not_covered")
        #expect(error.message == "2027年的工作日历尚未录入，无法计算工作日；请管理员先录入该年度的放假与调休安排")
        // Looking at no day needs no calendar: the start date itself never counts.
        #expect(try calendar.date(0, workingDaysAfter: try day("2027-05-01")) == (try day("2027-05-01")))
        #expect(try calendar.workingDays(from: try day("2024-12-31"), through: try day("2024-12-31")) == 0)
        #expect(try calendar.workingDays(from: try day("2026-12-31"), through: try day("2026-12-31")) == 0)
    }

    @Test func invalidArguments() throws {
        let calendar = try WorkingDayCalendar.shipped()
        #expect(throws: CalendarError.negativeCount(-1)) { try calendar.date(-1, workingDaysAfter: try day("2025-05-06")) }
        #expect(throws: CalendarError.endBeforeStart(from: try day("2025-05-06"), through: try day("2025-05-05"))) {
            try calendar.workingDays(from: try day("2025-05-06"), through: try day("2025-05-05"))
        }
    }

    /// For many start dates and counts, the deadline and the count agree, the deadline is a
    /// working day (n > 0), and no earlier date already reaches n working days.
    @Test func addingAndCountingAgree() throws {
        let calendar = try WorkingDayCalendar.shipped()
        let start = try day("2025-01-01").dayNumber
        let end = try day("2026-09-30").dayNumber
        for offset in stride(from: 0, through: end - start, by: 3) {
            let d = CivilDate(dayNumber: start + offset)
            for n in [0, 1, 2, 5, 10, 20, 30, 60] {
                let deadline = try calendar.date(n, workingDaysAfter: d)
                #expect(try calendar.workingDays(from: d, through: deadline) == n)
                if n > 0 {
                    #expect(try calendar.isWorkingDay(deadline))
                    #expect(try calendar.workingDays(from: d, through: deadline.adding(days: -1)) == n - 1)
                }
            }
        }
    }

    /// Counting over a span equals counting its days one by one.
    @Test func spanCountEqualsDayByDay() throws {
        let calendar = try WorkingDayCalendar.shipped()
        let first = try day("2025-01-01")
        var running = 0
        for offset in 1..<730 {
            let d = first.adding(days: offset)
            if try calendar.isWorkingDay(d) { running += 1 }
            if offset % 37 == 0 || offset == 729 {
                #expect(try calendar.workingDays(from: first, through: d) == running, "\(d)")
            }
        }
    }

    // MARK: Validation of administrator data

    private func year2027(holidays: [CalendarYear.Holiday] = [], worked: [String] = []) throws -> CalendarYear {
        CalendarYear(year: 2027, source: "测试通知", holidays: holidays, workingWeekendDays: try worked.map { try day($0) })
    }

    @Test func validationRejectsBadData() throws {
        let spring = CalendarYear.Holiday(name: "春节", from: try day("2027-02-06"), to: try day("2027-02-12"))
        _ = try year2027(holidays: [spring], worked: ["2027-02-13"]).validated()

        let outside = try year2027(worked: ["2026-12-27"])
        #expect(throws: CalendarError.dateOutsideYear(.init(file: "2027.json", year: 2027), field: "workingWeekendDays[0]",
                                                      date: try day("2026-12-27"))) {
            try outside.validated(file: "2027.json")
        }
        let reversed = try year2027(holidays: [.init(name: "清明节", from: try day("2027-04-05"), to: try day("2027-04-03"))])
        #expect(throws: CalendarError.reversedRange(.init(file: nil, year: 2027), field: "holidays[0]（清明节）",
                                                    from: try day("2027-04-05"), to: try day("2027-04-03"))) {
            try reversed.validated()
        }
        let weekday = try year2027(worked: ["2027-02-10"])  // a Wednesday
        #expect(throws: CalendarError.workingDayNotOnWeekend(.init(file: "2027.json", year: 2027),
                                                             field: "workingWeekendDays[0]", date: try day("2027-02-10"))) {
            try weekday.validated(file: "2027.json")
        }
        let both = try year2027(holidays: [spring], worked: ["2027-02-06"])  // a Saturday inside 春节
        #expect(throws: CalendarError.bothHolidayAndWorkingDay(.init(file: nil, year: 2027), date: try day("2027-02-06"),
                                                               holiday: "春节")) {
            try both.validated()
        }
        var noSource = try year2027()
        noSource.source = " "
        #expect(throws: CalendarError.missingSource(.init(file: nil, year: 2027))) { try noSource.validated() }
        let unnamed = try year2027(holidays: [.init(name: "", from: try day("2027-05-01"), to: try day("2027-05-01"))])
        #expect(throws: CalendarError.missingHolidayName(.init(file: nil, year: 2027), field: "holidays[0]")) {
            try unnamed.validated()
        }
    }

    @Test func validationMessagesNameTheFileAndField() throws {
        let place = CalendarError.Place(file: "2027.json", year: 2027)
        let weekday = CalendarError.workingDayNotOnWeekend(place, field: "workingWeekendDays[0]", date: try day("2027-02-10"))
        #expect(weekday.message == "工作日历文件“2027.json”中 workingWeekendDays[0] 的日期2027-02-10不是星期六或星期日，调休上班日只应列出周末")
        let outside = CalendarError.dateOutsideYear(place, field: "holidays[0].from（元旦）", date: try day("2026-12-31"))
        #expect(outside.message.contains("请把该日期录入2026年的工作日历"))
        #expect(CalendarError.missingSource(.init(file: nil, year: 2027)).message.hasPrefix("2027年工作日历缺少来源"))
    }

    @Test func duplicateYearsAreRejected() throws {
        let y = try year2027()
        #expect(throws: CalendarError.duplicateYear(2027)) { try WorkingDayCalendar(years: [y, y]) }
    }

    // MARK: Administrator directory

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("eduledger-calendar-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private let calendar2027 = """
        {"year": 2027, "source": "测试：国务院办公厅关于2027年部分节假日安排的通知",
         "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
         "workingWeekendDays": []}
        """

    @Test func directoryAddsAndOverridesYears() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(calendar2027.utf8).write(to: directory.appendingPathComponent("2027.json"))
        try Data("not a calendar".utf8).write(to: directory.appendingPathComponent("README.txt"))
        // An override of 2025 in which 2025-10-09 is declared a holiday as well.
        let override2025 = """
            {"year": 2025, "source": "测试覆盖", "holidays": [{"name": "国庆节", "from": "2025-10-01", "to": "2025-10-09"}],
             "workingWeekendDays": []}
            """
        try Data(override2025.utf8).write(to: directory.appendingPathComponent("2025.json"))

        let merged = try WorkingDayCalendar.load(directory: directory, overShipped: true)
        #expect(merged.years.map(\.year) == [2025, 2026, 2027])
        #expect(try !merged.isWorkingDay(try day("2025-10-09")))
        #expect(try merged.date(1, workingDaysAfter: try day("2026-12-31")) == (try day("2027-01-04")))

        let alone = try WorkingDayCalendar.load(directory: directory, overShipped: false)
        #expect(alone.years.map(\.year) == [2025, 2027])
        #expect(throws: CalendarError.yearNotCovered(2026)) { try alone.isWorkingDay(try day("2026-01-05")) }
    }

    @Test func directoryErrorsNameTheFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("2028.json")
        try Data(calendar2027.utf8).write(to: file)
        #expect(throws: CalendarError.fileNameMismatch("2028.json", year: 2027)) {
            try WorkingDayCalendar.load(directory: directory, overShipped: false)
        }
        try FileManager.default.removeItem(at: file)

        try Data(calendar2027.replacingOccurrences(of: "2027-01-03", with: "2027-02-30").utf8)
            .write(to: directory.appendingPathComponent("2027.json"))
        do {
            _ = try WorkingDayCalendar.load(directory: directory, overShipped: false)
            Issue.record("an impossible date was accepted")
        } catch {
            #expect(error.code == "calendar.unreadable_file")
            #expect(error.message.contains("2027.json"))
            #expect(error.message.contains("holidays[0].to"))
            #expect(error.message.contains("2027-02-30"))
        }

        try Data("{".utf8).write(to: directory.appendingPathComponent("2027.json"))
        #expect(throws: CalendarError.unreadableFile("2027.json", detail: "不是有效的 JSON")) {
            try WorkingDayCalendar.load(directory: directory, overShipped: false)
        }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("2027.json"))

        try Data(#"{"year": 2027}"#.utf8).write(to: directory.appendingPathComponent("2027.json"))
        #expect(throws: CalendarError.unreadableFile("2027.json", detail: "缺少字段 source")) {
            try WorkingDayCalendar.load(directory: directory, overShipped: false)
        }
        try FileManager.default.removeItem(at: directory.appendingPathComponent("2027.json"))

        try Data(calendar2027.utf8).write(to: directory.appendingPathComponent("calendar-2027.json"))
        #expect(throws: CalendarError.badFileName("calendar-2027.json")) {
            try WorkingDayCalendar.load(directory: directory, overShipped: false)
        }

        #expect(throws: CalendarError.unreadableDirectory("no-such-directory")) {
            try WorkingDayCalendar.load(directory: directory.appendingPathComponent("no-such-directory"), overShipped: true)
        }
    }

    @Test func everyErrorHasItsOwnCode() throws {
        let place = CalendarError.Place(file: nil, year: 2027)
        let d = try day("2027-01-01")
        let errors: [CalendarError] = [
            .yearNotCovered(2027), .negativeCount(-1), .endBeforeStart(from: d, through: d), .duplicateYear(2027),
            .yearOutOfRange(place), .missingSource(place), .missingHolidayName(place, field: "f"),
            .dateOutsideYear(place, field: "f", date: d), .reversedRange(place, field: "f", from: d, to: d),
            .workingDayNotOnWeekend(place, field: "f", date: d), .bothHolidayAndWorkingDay(place, date: d, holiday: "h"),
            .badFileName("x.json"), .fileNameMismatch("x.json", year: 1), .unreadableFile("x.json", detail: "d"),
            .unreadableDirectory("x"), .shippedCalendarsMissing,
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
        for error in errors { #expect(!error.message.isEmpty) }
    }
}
