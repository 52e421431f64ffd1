import Foundation

/// What a figure measures; decides which figures may be added, divided or compared.
public enum FigureKind: String, Codable, Sendable, CaseIterable {
    /// Persons or things: 人, 名, 所, 个, 件, 次, 人次, 班 …
    case count
    /// Money: 元, 万元, 亿元.
    case money
    /// A rate in per cent or per mille: %, ‰.
    case rate
    /// A difference of rates: 个百分点.
    case percentagePoints
    /// Area: 平方米, 亩 …
    case area
    /// A ratio such as 1:6.3.
    case ratio
    /// A calendar year: 2023年.
    case year
    /// Other measures (字, 小时, 公斤 …), extracted but not checked.
    case other
}

/// One figure found in the text, with where it stands and what it counts.
public struct Figure: Codable, Sendable, Equatable {
    /// 1-based paragraph (line) number.
    public var line: Int
    /// 0-based character offset of the figure within its paragraph.
    public var offset: Int
    /// The figure as printed, e.g. "1226.9125万元", "3000多名", "三所".
    public var text: String
    public var kind: FigureKind
    /// Unit as normalised: 人, 名, 所, 班, 元, 万元, 亿元, %, ‰, 个百分点, 平方米, 亩, 年 …
    public var unit: String
    /// The printed number in `unit` (1226.9125 for 1226.9125万元; 12000 for 1.2万人).
    public var value: Decimal
    /// The value in the kind's base unit: 元 for money, per cent for rates, 1 for counts.
    public var baseValue: Decimal
    /// Size of the last printed place in base units (1 for 2218人, 10 for 314.832万元 in 元, 0.01 for 27.09%).
    public var resolution: Decimal
    /// Printed decimals of `value`.
    public var decimals: Int
    /// Marked approximate or as a bound: 多, 余, 近, 约, 以上, 不超过 ….
    public var isApproximate: Bool
    /// Second term of a ratio (6.3 in 1:6.3).
    public var ratioSecond: Decimal?
    /// Words directly before the figure (up to the previous punctuation), e.g. "全区小学在校学生".
    public var entity: String
    /// Words directly after the unit, e.g. "成校先后被评为" for 3所成校….
    public var following: String
    /// The sentence that contains the figure (original characters).
    public var sentence: String
}

extension FigureKind {
    var isAdditive: Bool { self == .count || self == .money || self == .area }
}
