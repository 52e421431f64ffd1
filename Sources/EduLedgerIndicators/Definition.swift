import EduLedgerCore

/// When a figure is taken. The bureau's statistics mix two kinds of figures and a report that
/// confuses them is wrong by a year.
public enum ReferenceRule: String, Sendable, Codable, Hashable {
    /// 时点数: records on 9月1日 of the school year (在校生, 班数, 教职工).
    case stock = "时点数：当年9月1日"
    /// 时期数: events during the school year *before* 9月1日 (毕业, 辍学, 升学), divided by the
    /// stock on the 9月1日 that year began.
    case flow = "时期数：上一学年（上年9月1日至当年8月31日）"
    /// A cohort followed across several school years, counted on 9月1日.
    case cohort = "队列：同一批学生跨学年追踪"
    /// Registered students of the population's ages on 9月1日 against the population data.
    case population = "时点数：当年9月1日在校生对照当年适龄人口"
    /// Casework: cases received in the calendar year (1月1日至12月31日), as work reports count them.
    case calendarYear = "时期数：当年1月1日至12月31日受理的案件"
}

/// How a value is scaled and printed.
public enum Factor: String, Sendable, Codable, Hashable {
    /// A count of records (人, 个, 所).
    case count
    /// numerator ÷ denominator × 100, printed with `%`; changes in 百分点.
    case percent
    /// × 1000, printed with `‰`; changes in 千分点.
    case permille
    /// numerator ÷ denominator, printed as a plain number (平均班额 45.2, 生均面积 6.31).
    case ratio
    /// numerator ÷ denominator, printed as `x:1` (生师比).
    case ratioToOne
    /// numerator ÷ denominator × 100 (每百名学生拥有…).
    case perHundred

    var multiplier: Double {
        switch self {
        case .percent, .perHundred: return 100
        case .permille: return 1000
        case .count, .ratio, .ratioToOne: return 1
        }
    }
}

/// The levels a figure is reported at.
public enum UnitKind: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case district, township, zone, school, group

    public var chinese: String {
        switch self {
        case .district: return "区县"
        case .township: return "乡镇（街道）"
        case .zone: return "学区"
        case .school: return "学校"
        case .group: return "分组"
        }
    }

    public static func < (a: UnitKind, b: UnitKind) -> Bool {
        (allCases.firstIndex(of: a) ?? 0) < (allCases.firstIndex(of: b) ?? 0)
    }
}

/// A place a figure is reported for: the district, a township, a school zone, a school, or a
/// group of the district's schools (公办/民办, 城区/镇区/乡村).
public struct ReportingUnit: Hashable, Sendable, Codable, Comparable {
    public var kind: UnitKind
    /// District code, township code, zone id, school code (学校标识码) or the group's name.
    public var key: String
    public var name: String

    public init(kind: UnitKind, key: String, name: String) { self.kind = kind; self.key = key; self.name = name }

    public static func < (a: ReportingUnit, b: ReportingUnit) -> Bool { (a.kind, a.key) < (b.kind, b.key) }
}

/// One indicator's written definition, shown beside every figure computed from it.
public struct IndicatorDefinition: Sendable, Codable, Hashable, Identifiable {
    public var id: String
    public var nameZH: String
    public var nameEN: String
    /// 分类: 规模, 班额, 普及, 流动, 师资, 均衡.
    public var category: String
    public var numerator: String
    /// `nil` for counts.
    public var denominator: String?
    public var reference: ReferenceRule
    /// Which records count and which do not (transfers, repeaters, teaching points …).
    public var records: String
    public var factor: Factor
    /// Decimal places shown.
    public var precision: Int
    /// 人, 个, 平方米, 元 …
    public var unitLabel: String
    /// Levels at which the figure is meaningful (入学率 needs population data, which exists
    /// per township only).
    public var levels: [UnitKind]
    /// A national standard or limit the figure is judged against, in words.
    public var standard: String?

    public init(id: String, nameZH: String, nameEN: String, category: String, numerator: String, denominator: String?,
                reference: ReferenceRule, records: String, factor: Factor, precision: Int, unitLabel: String = "",
                levels: [UnitKind] = UnitKind.allCases, standard: String? = nil) {
        self.id = id; self.nameZH = nameZH; self.nameEN = nameEN; self.category = category; self.numerator = numerator
        self.denominator = denominator; self.reference = reference; self.records = records; self.factor = factor
        self.precision = precision; self.unitLabel = unitLabel; self.levels = levels; self.standard = standard
    }

    public var isRate: Bool { factor == .percent || factor == .permille }

    /// The value as printed: `99.35%`, `45.2`, `15.3:1`, `12 345人`; undefined (empty
    /// denominator) is printed as such, never as 0% or 100%.
    public func format(_ value: Double?) -> String {
        guard let value else { return "无定义（分母为0）" }
        let text = Self.fixed(value, precision)
        switch factor {
        case .percent: return text + "%"
        case .permille: return text + "‰"
        case .ratioToOne: return text + ":1"
        case .count, .ratio, .perHundred: return text + unitLabel
        }
    }

    /// The change from last year: `+0.12个百分点` for rates, `+123人` for counts.
    public func formatChange(_ change: Double?) -> String {
        guard let change else { return "—" }
        let sign = change > 0 ? "+" : change < 0 ? "−" : "±"
        let text = sign + Self.fixed(abs(change), precision)
        switch factor {
        case .percent: return text + "个百分点"
        case .permille: return text + "个千分点"
        case .count, .ratio, .perHundred, .ratioToOne: return text + unitLabel
        }
    }

    /// Fixed decimals without Foundation's locale-dependent formatting.
    static func fixed(_ v: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(v) * scale).rounded()
        let negative = v < 0 && scaled > 0
        let whole = Int64(scaled / scale)
        var text = String(whole)
        if places > 0 {
            let frac = Int64(scaled) - whole * Int64(scale)
            let digits = String(frac)
            text += "." + String(repeating: "0", count: max(0, places - digits.count)) + digits
        }
        return (negative ? "-" : "") + text
    }
}

/// A record behind a figure: what the drill-down lists.
public struct RecordRef: Hashable, Sendable, Codable, Comparable {
    public enum Kind: String, Sendable, Codable, Hashable, Comparable {
        case student, schoolClass = "class", staff, school, population, resources
        /// A case of the casework (信访, 建议提案, 安全隐患, 行政许可, 违规).
        case casework = "case"
        /// A class draw (电脑随机编班).
        case classDraw = "draw"

        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }
    public var kind: Kind
    /// The record's id; for `population`, the row's position in the snapshot.
    public var id: Int64

    public init(_ kind: Kind, _ id: Int64) { self.kind = kind; self.id = id }

    public static func < (a: RecordRef, b: RecordRef) -> Bool { (a.kind, a.id) < (b.kind, b.id) }
}

/// One computed figure.
public struct IndicatorValue: Sendable, Codable, Hashable {
    public var indicatorID: String
    public var year: Int
    public var unit: ReportingUnit
    /// Sum over the numerator's records (a count, or an area, value … for resources).
    public var numerator: Double
    /// `nil` for counts.
    public var denominator: Double?
    /// Scaled by the factor (45.3 for 45.3%); `nil` when the denominator is empty.
    public var value: Double?
    /// Last year's value at the same unit, when it is defined.
    public var previous: Double?
    /// `value − previous` in display units (百分点 for rates); `nil` when either is undefined.
    public var change: Double?

    public init(indicatorID: String, year: Int, unit: ReportingUnit, numerator: Double, denominator: Double?,
                value: Double?, previous: Double? = nil, change: Double? = nil) {
        self.indicatorID = indicatorID; self.year = year; self.unit = unit; self.numerator = numerator
        self.denominator = denominator; self.value = value; self.previous = previous; self.change = change
    }
}

/// The records in a figure's numerator and denominator.
public struct DrillDown: Sendable, Codable, Hashable {
    public var indicatorID: String
    public var year: Int
    public var unit: ReportingUnit
    public var numerator: [RecordRef]
    public var denominator: [RecordRef]
}

/// An indicator the caller named that does not exist, or a unit that is not in the snapshot.
public struct IndicatorError: UserFacingError, Equatable {
    public var code: String
    public var message: String

    static func unknownIndicator(_ id: String) -> IndicatorError {
        IndicatorError(code: "indicator.unknown", message: "没有编号为“\(id)”的指标；请用 eduledger indicators 查看指标编号")
    }
    static func unknownUnit(_ key: String) -> IndicatorError {
        IndicatorError(code: "indicator.unknown_unit", message: "找不到统计单位“\(key)”（应为乡镇代码、学区名称、学校标识码或分组名）")
    }
    static func notAtLevel(_ d: IndicatorDefinition, _ kind: UnitKind) -> IndicatorError {
        IndicatorError(code: "indicator.not_at_level",
                       message: "指标“\(d.nameZH)”不在\(kind.chinese)一级计算（\(d.levels.map(\.chinese).joined(separator: "、"))）")
    }
}
