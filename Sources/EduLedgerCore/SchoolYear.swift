/// 学段: the stage of education a grade belongs to.
public enum Stage: String, Sendable, Codable, CaseIterable {
    case preschool = "学前"
    case primary = "小学"
    case junior = "初中"
    case senior = "普通高中"
    case vocational = "中职"
}

/// 年级, across all stages, with the national order (幼儿园小班 … 高三).
public enum GradeLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case k1 = "小班", k2 = "中班", k3 = "大班"
    case p1 = "一年级", p2 = "二年级", p3 = "三年级", p4 = "四年级", p5 = "五年级", p6 = "六年级"
    case j1 = "七年级", j2 = "八年级", j3 = "九年级"
    case s1 = "高一", s2 = "高二", s3 = "高三"
    case v1 = "中职一年级", v2 = "中职二年级", v3 = "中职三年级"

    public var name: String { rawValue }

    public var stage: Stage {
        switch self {
        case .k1, .k2, .k3: return .preschool
        case .p1, .p2, .p3, .p4, .p5, .p6: return .primary
        case .j1, .j2, .j3: return .junior
        case .s1, .s2, .s3: return .senior
        case .v1, .v2, .v3: return .vocational
        }
    }

    /// Year within the stage, 1-based (七年级 → 1).
    public var yearInStage: Int {
        let all = GradeLevel.allCases.filter { $0.stage == stage }
        return (all.firstIndex(of: self) ?? 0) + 1
    }

    /// The grade a promoted student moves to; `nil` at the last grade of a stage (graduation).
    public var next: GradeLevel? {
        let all = GradeLevel.allCases.filter { $0.stage == stage }
        guard let i = all.firstIndex(of: self), i + 1 < all.count else { return nil }
        return all[i + 1]
    }

    public var isFinalYearOfStage: Bool { next == nil }

    /// The usual age on 9月1日 of a pupil in this grade (一年级: 6), for plausibility checks and the demo.
    public var typicalAge: Int {
        switch stage {
        case .preschool: return 2 + yearInStage
        case .primary: return 5 + yearInStage
        case .junior: return 11 + yearInStage
        case .senior, .vocational: return 14 + yearInStage
        }
    }

    /// Accepts 一年级/1年级/初一/七年级/高一 and the like.
    public init?(text: String) {
        if let g = GradeLevel(rawValue: text) { self = g; return }
        let aliases: [String: GradeLevel] = [
            "1年级": .p1, "2年级": .p2, "3年级": .p3, "4年级": .p4, "5年级": .p5, "6年级": .p6,
            "初一": .j1, "初二": .j2, "初三": .j3, "7年级": .j1, "8年级": .j2, "9年级": .j3,
            "高中一年级": .s1, "高中二年级": .s2, "高中三年级": .s3, "10年级": .s1, "11年级": .s2, "12年级": .s3,
            "幼儿园小班": .k1, "幼儿园中班": .k2, "幼儿园大班": .k3,
        ]
        guard let g = aliases[text] else { return nil }
        self = g
    }

    public static func < (a: GradeLevel, b: GradeLevel) -> Bool {
        let all = GradeLevel.allCases
        return (all.firstIndex(of: a) ?? 0) < (all.firstIndex(of: b) ?? 0)
    }
}

/// 学年: runs from 9月1日 to the next 8月31日 and is named by its first year
/// (`SchoolYear(2025)` is the 2025—2026学年).
///
/// Stock figures (在校生, 教职工, 班数) are taken on the statistical reference date, 9月1日 of
/// the year; flow figures (毕业生, 辍学, 转学) cover the school year *before* that date.
public struct SchoolYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let startYear: Int
    public init(_ startYear: Int) { self.startYear = startYear }

    /// The school year a date falls in.
    public init(containing date: CivilDate) {
        startYear = date.month >= 9 ? date.year : date.year - 1
    }

    public var firstDay: CivilDate { CivilDate(year: startYear, month: 9, day: 1) ?? CivilDate(dayNumber: 0) }
    public var lastDay: CivilDate { CivilDate(year: startYear + 1, month: 8, day: 31) ?? CivilDate(dayNumber: 0) }
    /// 统计基准日: 9月1日.
    public var referenceDate: CivilDate { firstDay }
    public var next: SchoolYear { SchoolYear(startYear + 1) }
    public var previous: SchoolYear { SchoolYear(startYear - 1) }
    public func contains(_ date: CivilDate) -> Bool { firstDay <= date && date <= lastDay }
    /// The day the year's rosters and class sizes are read on: today while the year runs, otherwise
    /// its first day (9月1日) — so a past or coming year's class shows who it had or will have.
    public func rosterDay(today: CivilDate) -> CivilDate { contains(today) ? today : firstDay }

    /// 2025—2026学年
    public var name: String { "\(startYear)—\(startYear + 1)学年" }
    public var description: String { "\(startYear)-\(startYear + 1)" }

    public static func < (a: SchoolYear, b: SchoolYear) -> Bool { a.startYear < b.startYear }

    public init(from decoder: any Decoder) throws {
        startYear = try decoder.singleValueContainer().decode(Int.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(startYear)
    }
}
