import Foundation

/// One year of China's working-day calendar (工作日历), as the State Council's annual notice
/// (国务院办公厅关于某年部分节假日安排的通知) sets it: public holidays (days off, inclusive
/// ranges) and weekend days turned into working days (调休上班).
///
/// Why data and not code: the arrangement changes every year and is published only weeks before
/// the year starts, so an administrator enters it as a JSON file (`YYYY.json`):
///
///     {"year": 2025, "source": "国务院办公厅关于2025年部分节假日安排的通知（2024年11月12日）",
///      "holidays": [{"name": "元旦", "from": "2025-01-01", "to": "2025-01-01"}, …],
///      "workingWeekendDays": ["2025-01-26", …]}
///
/// A day is a working day when it is a weekday outside every holiday range, or a listed
/// working weekend day.
public struct CalendarYear: Codable, Sendable, Equatable {
    /// A public holiday: the days off from `from` through `to`, both included.
    public struct Holiday: Codable, Sendable, Equatable {
        public var name: String
        public var from: CivilDate
        public var to: CivilDate

        public init(name: String, from: CivilDate, to: CivilDate) {
            self.name = name
            self.from = from
            self.to = to
        }
    }

    public var year: Int
    /// The notice the arrangement comes from, so anyone can check the data against it.
    public var source: String
    public var holidays: [Holiday]
    /// Saturdays and Sundays that are working days (调休上班).
    public var workingWeekendDays: [CivilDate]

    public init(year: Int, source: String, holidays: [Holiday], workingWeekendDays: [CivilDate]) {
        self.year = year
        self.source = source
        self.holidays = holidays
        self.workingWeekendDays = workingWeekendDays
    }

    /// Returns `self` after checking that the data can be what a notice says: the year is
    /// plausible, the source is given, every date lies inside the year, every range runs
    /// forwards, every listed working weekend day is a Saturday or Sunday, and no day is both
    /// off and worked. `file` names the file in the error messages.
    public func validated(file: String? = nil) throws(CalendarError) -> CalendarYear {
        let place = CalendarError.Place(file: file, year: year)
        guard (1949...9999).contains(year) else { throw .yearOutOfRange(place) }
        guard !source.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .missingSource(place) }
        for (index, holiday) in holidays.enumerated() {
            let field = "holidays[\(index)]"
            guard !holiday.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw .missingHolidayName(place, field: field)
            }
            for (key, date) in [("from", holiday.from), ("to", holiday.to)] where date.year != year {
                throw .dateOutsideYear(place, field: "\(field).\(key)（\(holiday.name)）", date: date)
            }
            guard holiday.from <= holiday.to else {
                throw .reversedRange(place, field: "\(field)（\(holiday.name)）", from: holiday.from, to: holiday.to)
            }
        }
        for (index, day) in workingWeekendDays.enumerated() {
            let field = "workingWeekendDays[\(index)]"
            guard day.year == year else { throw .dateOutsideYear(place, field: field, date: day) }
            guard day.isWeekend else { throw .workingDayNotOnWeekend(place, field: field, date: day) }
            if let holiday = holidays.first(where: { $0.from <= day && day <= $0.to }) {
                throw .bothHolidayAndWorkingDay(place, date: day, holiday: holiday.name)
            }
        }
        return self
    }
}

/// Working days on the calendars of the covered years: the clock of statutory time limits
/// counted in 工作日 (行政许可法 Art. 42, 82).
///
/// Semantics, chosen so that a deadline and a count always agree:
/// - `date(n, workingDaysAfter: d)` is the date on which the n-th working day *after* `d`
///   falls; `d` itself never counts, whatever it is. A receipt on Friday 2025-09-26 with a limit
///   of 5 working days ends on 2025-10-09 (Sunday 09-28 is worked, 10-01…10-08 are off).
/// - `workingDays(from: a, through: b)` counts the working days `d` with `a < d ≤ b`, so that
///   `workingDays(from: d, through: date(n, workingDaysAfter: d)) == n`.
/// - Every day the computation has to look at must lie in a covered year; otherwise it throws
///   `CalendarError.yearNotCovered` rather than guess from weekends. `date(0, …)` and a count over
///   an empty span look at no day and need no coverage.
public struct WorkingDayCalendar: Sendable {
    /// The covered years, in order.
    public let years: [CalendarYear]
    private let tables: [Int: YearTable]

    /// Builds a calendar from validated years; the same year twice is an error.
    public init(years: [CalendarYear]) throws(CalendarError) {
        var tables: [Int: YearTable] = [:]
        for year in years {
            let checked = try year.validated()
            guard tables[checked.year] == nil else { throw .duplicateYear(checked.year) }
            tables[checked.year] = YearTable(checked)
        }
        self.years = years.sorted { $0.year < $1.year }
        self.tables = tables
    }

    /// Whether the calendar has data for `year`.
    public func covers(year: Int) -> Bool { tables[year] != nil }

    /// Whether `date` is a working day.
    public func isWorkingDay(_ date: CivilDate) throws(CalendarError) -> Bool {
        try isWorking(dayNumber: date.dayNumber)
    }

    /// The name of the public holiday `date` falls in (`"春节"`), or `nil` on other days.
    public func holidayName(on date: CivilDate) throws(CalendarError) -> String? {
        guard let table = tables[date.year] else { throw .yearNotCovered(date.year) }
        return table.holidayNames[date.dayNumber - table.firstDay]
    }

    /// The number of working days in `year` (248 in 2025 and in 2026).
    public func workingDays(in year: Int) throws(CalendarError) -> Int {
        guard let table = tables[year] else { throw .yearNotCovered(year) }
        return table.cumulative[table.cumulative.count - 1]
    }

    /// The date `n` working days after `date`, `date` itself not counted; `n == 0` returns `date`.
    ///
    /// This is how a limit of "N个工作日" from a receipt or acceptance date becomes a deadline:
    /// the deadline is the day on which the N-th working day after the start date falls.
    public func date(_ n: Int, workingDaysAfter date: CivilDate) throws(CalendarError) -> CivilDate {
        guard n >= 0 else { throw .negativeCount(n) }
        var day = date.dayNumber
        var remaining = n
        while remaining > 0 {
            day += 1
            if try isWorking(dayNumber: day) { remaining -= 1 }
        }
        return CivilDate(dayNumber: day)
    }

    /// The number of working days `d` with `from < d ≤ through`: how many working days of a
    /// limit have been used by `through` when the clock started on `from`.
    /// `through` before `from` is an error; `through == from` gives 0.
    public func workingDays(from start: CivilDate, through end: CivilDate) throws(CalendarError) -> Int {
        guard start <= end else { throw .endBeforeStart(from: start, through: end) }
        guard start < end else { return 0 }
        let first = start.dayNumber + 1
        let last = end.dayNumber
        var count = 0
        for year in CivilDate(dayNumber: first).year...end.year {
            guard let table = tables[year] else { throw .yearNotCovered(year) }
            let lo = max(first, table.firstDay) - table.firstDay
            let hi = min(last, table.firstDay + table.working.count - 1) - table.firstDay
            count += table.cumulative[hi + 1] - table.cumulative[lo]
        }
        return count
    }

    private func isWorking(dayNumber: Int) throws(CalendarError) -> Bool {
        let year = CivilDate(dayNumber: dayNumber).year
        guard let table = tables[year] else { throw .yearNotCovered(year) }
        return table.working[dayNumber - table.firstDay]
    }

    // MARK: Loading

    /// The calendars shipped with the program (2025 and 2026), read once from the bundled
    /// `Calendars/YYYY.json` resources.
    public static func shipped() throws(CalendarError) -> WorkingDayCalendar {
        try shippedResult.get()
    }

    private static let shippedResult: Result<WorkingDayCalendar, CalendarError> = {
        do throws(CalendarError) {
            guard let directory = Bundle.module.url(forResource: "Calendars", withExtension: nil),
                  let urls = try? jsonFiles(in: directory), !urls.isEmpty else { throw .shippedCalendarsMissing }
            return .success(try WorkingDayCalendar(years: try readYears(urls)))
        } catch {
            return .failure(error)
        }
    }()

    /// The calendar from the administrator's directory of `YYYY.json` files.
    ///
    /// With `overShipped`, the directory's years replace the shipped ones of the same year and
    /// add new years (the usual case: an administrator enters next year's notice); without it,
    /// only the directory counts. Every `.json` file in the directory must be named after its
    /// year (`2027.json`) and contain that year; other files (README, backups) are ignored.
    public static func load(directory: URL, overShipped: Bool) throws(CalendarError) -> WorkingDayCalendar {
        let urls: [URL]
        do {
            urls = try jsonFiles(in: directory)
        } catch {
            throw .unreadableDirectory(directory.lastPathComponent)
        }
        var byYear: [Int: CalendarYear] = [:]
        if overShipped {
            for year in try shipped().years { byYear[year.year] = year }
        }
        for year in try readYears(urls) { byYear[year.year] = year }
        return try WorkingDayCalendar(years: byYear.keys.sorted().compactMap { byYear[$0] })
    }

    /// The visible `.json` files of a directory.
    private static func jsonFiles(in directory: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { !$0.hasPrefix(".") && $0.hasSuffix(".json") }
            .map { directory.appendingPathComponent($0) }
    }

    /// Reads and validates files named `YYYY.json`, in name order.
    private static func readYears(_ urls: [URL]) throws(CalendarError) -> [CalendarYear] {
        var years: [CalendarYear] = []
        for url in urls.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) {
            let file = url.lastPathComponent
            let stem = url.deletingPathExtension().lastPathComponent
            guard stem.count == 4, stem.allSatisfy({ $0.isASCII && $0.isNumber }), let fileYear = Int(stem) else {
                throw .badFileName(file)
            }
            let data: Data
            do { data = try Data(contentsOf: url) } catch { throw .unreadableFile(file, detail: "无法读取文件") }
            let year: CalendarYear
            do {
                year = try JSONDecoder().decode(CalendarYear.self, from: data)
            } catch let error as DecodingError {
                throw .unreadableFile(file, detail: describe(error))
            } catch {
                throw .unreadableFile(file, detail: "内容无法解析")
            }
            guard year.year == fileYear else { throw .fileNameMismatch(file, year: year.year) }
            years.append(try year.validated(file: file))
        }
        return years
    }

    /// A decoding failure in terms of the file's fields.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "缺少字段 \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "字段 \(path(context.codingPath)) 的值类型不对"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "不是有效的 JSON" }
            return "字段 \(path(context.codingPath))：\(context.debugDescription)"
        @unknown default:
            return "内容无法解析"
        }
    }
}

/// One year as lookup tables: whether each day is worked, and running counts for spans.
private struct YearTable: Sendable {
    /// Day number of 1 January.
    let firstDay: Int
    /// `working[i]`: whether day `firstDay + i` is a working day.
    let working: [Bool]
    /// `cumulative[i]`: working days among the first `i` days of the year.
    let cumulative: [Int]
    let holidayNames: [String?]

    init(_ year: CalendarYear) {
        let firstDay = CivilDate(year: year.year, month: 1, day: 1)?.dayNumber ?? 0
        let count = CivilDate.isLeap(year.year) ? 366 : 365
        var names = [String?](repeating: nil, count: count)
        for holiday in year.holidays {
            for day in holiday.from.dayNumber...holiday.to.dayNumber { names[day - firstDay] = holiday.name }
        }
        var working = (0..<count).map { !CivilDate(dayNumber: firstDay + $0).isWeekend && names[$0] == nil }
        for day in year.workingWeekendDays { working[day.dayNumber - firstDay] = true }
        var cumulative = [0]
        cumulative.reserveCapacity(count + 1)
        for isWorking in working { cumulative.append(cumulative[cumulative.count - 1] + (isWorking ? 1 : 0)) }
        self.firstDay = firstDay
        self.working = working
        self.cumulative = cumulative
        self.holidayNames = names
    }
}

/// Why working days cannot be computed, or why a calendar file is not acceptable.
public enum CalendarError: UserFacingError, Equatable {
    /// Where a calendar's data came from: a file, or (when built in code) just its year.
    public struct Place: Sendable, Equatable {
        public var file: String?
        public var year: Int

        var text: String { file.map { "工作日历文件“\($0)”" } ?? "\(year)年工作日历" }
    }

    /// No calendar has been entered for this year.
    case yearNotCovered(Int)
    case negativeCount(Int)
    case endBeforeStart(from: CivilDate, through: CivilDate)
    case duplicateYear(Int)
    case yearOutOfRange(Place)
    case missingSource(Place)
    case missingHolidayName(Place, field: String)
    case dateOutsideYear(Place, field: String, date: CivilDate)
    case reversedRange(Place, field: String, from: CivilDate, to: CivilDate)
    case workingDayNotOnWeekend(Place, field: String, date: CivilDate)
    case bothHolidayAndWorkingDay(Place, date: CivilDate, holiday: String)
    case badFileName(String)
    case fileNameMismatch(String, year: Int)
    case unreadableFile(String, detail: String)
    case unreadableDirectory(String)
    case shippedCalendarsMissing

    public var code: String {
        switch self {
        case .yearNotCovered: "calendar.year_not_covered"
        case .negativeCount: "calendar.negative_count"
        case .endBeforeStart: "calendar.end_before_start"
        case .duplicateYear: "calendar.duplicate_year"
        case .yearOutOfRange: "calendar.year_out_of_range"
        case .missingSource: "calendar.missing_source"
        case .missingHolidayName: "calendar.missing_holiday_name"
        case .dateOutsideYear: "calendar.date_outside_year"
        case .reversedRange: "calendar.reversed_range"
        case .workingDayNotOnWeekend: "calendar.working_day_not_on_weekend"
        case .bothHolidayAndWorkingDay: "calendar.holiday_and_working_day"
        case .badFileName: "calendar.bad_file_name"
        case .fileNameMismatch: "calendar.file_name_mismatch"
        case .unreadableFile: "calendar.unreadable_file"
        case .unreadableDirectory: "calendar.unreadable_directory"
        case .shippedCalendarsMissing: "calendar.shipped_missing"
        }
    }

    public var message: String {
        switch self {
        case .yearNotCovered(let year):
            return "\(year)年的工作日历尚未录入，无法计算工作日；请管理员先录入该年度的放假与调休安排"
        case .negativeCount(let n):
            return "工作日数不能为负数（收到\(n)）"
        case .endBeforeStart(let from, let through):
            return "计算工作日时结束日期\(through.chinese)早于起始日期\(from.chinese)"
        case .duplicateYear(let year):
            return "\(year)年的工作日历重复录入了两份，请只保留一份"
        case .yearOutOfRange(let place):
            return "\(place.text)的年份 year 为\(place.year)，不是有效年份"
        case .missingSource(let place):
            return "\(place.text)缺少来源 source：请填写所依据的国务院办公厅通知名称及日期"
        case .missingHolidayName(let place, let field):
            return "\(place.text)中 \(field) 缺少假日名称 name"
        case .dateOutsideYear(let place, let field, let date):
            return "\(place.text)中 \(field) 的日期\(date)不在\(place.year)年内；请把该日期录入\(date.year)年的工作日历"
        case .reversedRange(let place, let field, let from, let to):
            return "\(place.text)中 \(field) 的结束日期 to \(to)早于起始日期 from \(from)"
        case .workingDayNotOnWeekend(let place, let field, let date):
            return "\(place.text)中 \(field) 的日期\(date)不是星期六或星期日，调休上班日只应列出周末"
        case .bothHolidayAndWorkingDay(let place, let date, let holiday):
            return "\(place.text)中\(date)既在“\(holiday)”假期内，又被列为调休上班日 workingWeekendDays"
        case .badFileName(let file):
            return "工作日历文件“\(file)”的文件名应为四位年份加 .json，例如 2027.json"
        case .fileNameMismatch(let file, let year):
            return "工作日历文件“\(file)”中的年份 year 为\(year)，与文件名不一致"
        case .unreadableFile(let file, let detail):
            return "工作日历文件“\(file)”无法读取：\(detail)"
        case .unreadableDirectory(let name):
            return "工作日历目录“\(name)”不存在或无法读取"
        case .shippedCalendarsMissing:
            return "程序自带的工作日历数据缺失，请重新安装程序"
        }
    }
}
