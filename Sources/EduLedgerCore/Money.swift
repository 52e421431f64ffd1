/// An exact amount of money in 人民币, counted in whole 分 (0.01 元).
///
/// Why integers: bureau reports print amounts in 元 and 万元 with fixed decimals, and a row
/// computed as per-head standard × head count must come out to the 分 every time. Binary
/// floating point cannot hold 0.01 exactly, so `Double` never touches money here.
///
/// Arithmetic with `+`, `-` and `*` traps on overflow like `Int` does; that only matters for
/// amounts beyond ±9.2 × 10¹⁶ 元, which no bureau has. Values that come from users (parsed
/// text, imported multipliers) go through the throwing `init(_:unit:)`, `adding(_:)` and
/// `multiplied(by:)`, which report overflow as a `MoneyError` instead.
public struct Money: Hashable, Comparable, Sendable, Codable, AdditiveArithmetic, CustomStringConvertible {
    /// The amount in 分.
    public let fen: Int64

    public init(fen: Int64) { self.fen = fen }

    public static let zero = Money(fen: 0)

    // MARK: Parsing

    /// Parses an amount in 元: `"1234.56"`, `"1,234.5"`, `"-3"`, optionally followed by `元`.
    ///
    /// More than two decimals is an error unless the extra digits are zeros (`"3.300"` is fine,
    /// `"3.308"` is not a whole number of 分), so no amount is ever silently rounded on entry.
    public init(yuan text: String) throws(MoneyError) {
        try self.init(text, unit: .yuan)
    }

    /// Parses an amount in 万元 with up to six decimals (`"314.832"` = 3 148 320.00 元),
    /// optionally followed by `万元`.
    public init(wanyuan text: String) throws(MoneyError) {
        try self.init(text, unit: .wanyuan)
    }

    /// Parses an amount written in `unit`.
    ///
    /// Accepted: surrounding whitespace, a leading `-` or `+`, digits with optional thousands
    /// separators `,` in groups of three, an optional decimal point followed by at least one
    /// digit, and the unit's own symbol (元/万元/亿元) at the end. Anything else is an error.
    public init(_ text: String, unit: MoneyUnit) throws(MoneyError) {
        var s = Substring(text)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        guard !s.isEmpty else { throw .empty }
        if s.hasSuffix(unit.symbol) {
            s = s.dropLast(unit.symbol.count)
            while let c = s.last, c.isWhitespace { s = s.dropLast() }
        }
        var negative = false
        if let c = s.first, c == "-" || c == "+" {
            negative = c == "-"
            s = s.dropFirst()
        }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integerText = parts[0]
        let fractionText = parts.count > 1 ? parts[1] : nil
        guard !integerText.isEmpty, integerText.allSatisfy({ $0.isASCII && ($0.isWholeNumber || $0 == ",") }),
              fractionText.map({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isWholeNumber } }) ?? true
        else { throw .invalidFormat(text) }
        // Thousands separators, if any, must sit every three digits: "1,234,567".
        if integerText.contains(",") {
            let groups = integerText.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw .invalidFormat(text)
            }
        }
        var fraction = Array(fractionText ?? "")
        let allowed = unit.exactDecimals
        if fraction.count > allowed {
            guard fraction[allowed...].allSatisfy({ $0 == "0" }) else {
                throw .notWholeFen(text, unit: unit)
            }
            fraction.removeLast(fraction.count - allowed)
        }
        fraction += Array(repeating: "0", count: allowed - fraction.count)

        var magnitude: Int64 = 0
        for c in integerText where c != "," {
            guard let v = c.wholeNumberValue else { throw .invalidFormat(text) }
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(v))
            guard !o1, !o2 else { throw .outOfRange(text) }
            magnitude = plus
        }
        var fractionFen: Int64 = 0
        for c in fraction { fractionFen = fractionFen * 10 + Int64(c.wholeNumberValue ?? 0) }
        let (total, o4) = magnitude.multipliedReportingOverflow(by: Money.power(allowed))
        let (withFraction, o5) = total.addingReportingOverflow(fractionFen)
        guard !o4, !o5 else { throw .outOfRange(text) }
        self.fen = negative ? -withFraction : withFraction
    }

    // MARK: Arithmetic

    public static func + (a: Money, b: Money) -> Money { Money(fen: a.fen + b.fen) }
    public static func - (a: Money, b: Money) -> Money { Money(fen: a.fen - b.fen) }
    public static prefix func - (a: Money) -> Money { Money(fen: -a.fen) }

    /// Per-head standard × head count, e.g. 280元 × 11244人 = 314.832万元. Traps on overflow;
    /// use `multiplied(by:)` when the count comes from input.
    public static func * (amount: Money, count: Int) -> Money { Money(fen: amount.fen * Int64(count)) }

    /// `self × count`, or `MoneyError.overflow` when the product does not fit.
    public func multiplied(by count: Int) throws(MoneyError) -> Money {
        let (product, overflow) = fen.multipliedReportingOverflow(by: Int64(count))
        guard !overflow else { throw .overflow }
        return Money(fen: product)
    }

    /// `self + other`, or `MoneyError.overflow` when the sum does not fit.
    public func adding(_ other: Money) throws(MoneyError) -> Money {
        let (sum, overflow) = fen.addingReportingOverflow(other.fen)
        guard !overflow else { throw .overflow }
        return Money(fen: sum)
    }

    /// The sum of `amounts`, or `MoneyError.overflow`.
    public static func sum(_ amounts: some Sequence<Money>) throws(MoneyError) -> Money {
        var total = Money.zero
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }

    // MARK: Formatting

    /// The number alone, in `unit` with exactly `decimals` decimals, rounded half away from
    /// zero (四舍五入): `Money(fen: 314_832_000).amount(in: .wanyuan, decimals: 2)` = `"314.83"`.
    /// With `grouping`, the integer part gets thousands separators (`"3,148,320.00"`).
    /// A value that rounds to zero prints without a minus sign.
    public func amount(in unit: MoneyUnit, decimals: Int, grouping: Bool = false) -> String {
        precondition((0...18).contains(decimals), "decimals must be 0...18")
        let negative = fen < 0
        let magnitude = fen.magnitude
        let exact = unit.exactDecimals
        if decimals >= exact {
            let step = UInt64(unit.fenPerUnit)
            return Money.format(negative: negative, whole: magnitude / step,
                                fraction: String(magnitude % step, width: exact) + String(repeating: "0", count: decimals - exact),
                                grouping: grouping)
        }
        let steps = Money.roundedSteps(magnitude, divisor: UInt64(Money.power(exact - decimals)))
        return Money.format(steps: steps, negative: negative, decimals: decimals, grouping: grouping)
    }

    /// The amount with its unit, as reports print it: `"314.832万元"`, `"3148320.00元"`.
    public func text(in unit: MoneyUnit, decimals: Int, grouping: Bool = false) -> String {
        amount(in: unit, decimals: decimals, grouping: grouping) + unit.symbol
    }

    /// `"1234.56元"`.
    public var description: String { text(in: .yuan, decimals: 2) }

    /// Rounds report rows so that the printed rows add up exactly to the printed total.
    ///
    /// Rounding each row on its own can make the rows disagree with the total (one report lists
    /// four rows that add up to 1226.9123万元 under a total of 1226.9125万元). Here the total is
    /// the exact sum rounded half away from zero; each row is first rounded down to the printed
    /// step, and the steps still missing go one each to the rows with the largest remainders
    /// (ties to the earlier row), so every printed row is within one step of its exact value.
    public static func roundedParts(_ parts: [Money], unit: MoneyUnit, decimals: Int,
                                    grouping: Bool = false) -> (parts: [String], total: String) {
        precondition((0...18).contains(decimals), "decimals must be 0...18")
        let total = parts.reduce(Money.zero, +)
        let exact = unit.exactDecimals
        guard decimals < exact else {
            return (parts.map { $0.amount(in: unit, decimals: decimals, grouping: grouping) },
                    total.amount(in: unit, decimals: decimals, grouping: grouping))
        }
        let step = Money.power(exact - decimals)
        // Floor division: remainders are in 0..<step, also for negative rows.
        var floors = parts.map { $0.fen >= 0 ? $0.fen / step : -((-$0.fen + step - 1) / step) }
        let remainders = parts.indices.map { parts[$0].fen - floors[$0] * step }
        let roundedTotal = (total.fen < 0 ? -1 : 1)
            * Int64(Money.roundedSteps(total.fen.magnitude, divisor: UInt64(step)))
        var missing = roundedTotal - floors.reduce(0, +)  // 0...parts.count
        let order = parts.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        for index in order where missing > 0 {
            floors[index] += 1
            missing -= 1
        }
        func text(_ steps: Int64) -> String {
            format(steps: steps.magnitude, negative: steps < 0, decimals: decimals, grouping: grouping)
        }
        return (floors.map(text), text(roundedTotal))
    }

    // MARK: Codable — the integer number of 分

    public init(from decoder: any Decoder) throws {
        fen = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(fen)
    }

    // MARK: Helpers

    static func power(_ exponent: Int) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<exponent { p *= 10 }
        return p
    }

    /// `value / divisor` rounded half away from zero (the value is a magnitude).
    static func roundedSteps(_ value: UInt64, divisor: UInt64) -> UInt64 {
        let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
        return r >= divisor - r ? q + 1 : q
    }

    /// Formats a count of `10^-decimals` steps.
    static func format(steps: UInt64, negative: Bool, decimals: Int, grouping: Bool) -> String {
        guard decimals > 0 else { return format(negative: negative, whole: steps, fraction: "", grouping: grouping) }
        let scale = UInt64(power(decimals))
        return format(negative: negative, whole: steps / scale, fraction: String(steps % scale, width: decimals),
                      grouping: grouping)
    }

    static func format(negative: Bool, whole: UInt64, fraction: String, grouping: Bool) -> String {
        var digits = String(whole)
        if grouping, digits.count > 3 {
            var grouped = ""
            for (i, c) in digits.enumerated() {
                if i > 0, (digits.count - i) % 3 == 0 { grouped.append(",") }
                grouped.append(c)
            }
            digits = grouped
        }
        let isZero = whole == 0 && fraction.allSatisfy { $0 == "0" }
        return (negative && !isZero ? "-" : "") + digits + (fraction.isEmpty ? "" : "." + fraction)
    }
}

private extension String {
    /// Zero-padded decimal digits of `value`.
    init(_ value: UInt64, width: Int) {
        let digits = String(value)
        self = String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }
}

/// The units amounts are reported in.
public enum MoneyUnit: String, Sendable, Codable, CaseIterable {
    case yuan
    case wanyuan
    case yiyuan

    /// 分 in one unit.
    public var fenPerUnit: Int64 {
        switch self {
        case .yuan: 100
        case .wanyuan: 1_000_000
        case .yiyuan: 10_000_000_000
        }
    }

    /// Decimals that are exact in this unit (a 分 is 0.01 元 = 0.000001 万元 = 0.0000000001 亿元).
    public var exactDecimals: Int {
        switch self {
        case .yuan: 2
        case .wanyuan: 6
        case .yiyuan: 10
        }
    }

    /// 元, 万元, 亿元.
    public var symbol: String {
        switch self {
        case .yuan: "元"
        case .wanyuan: "万元"
        case .yiyuan: "亿元"
        }
    }
}

/// Why an amount could not be read or computed.
public enum MoneyError: UserFacingError, Equatable {
    /// Nothing was entered.
    case empty
    /// Not a number in the accepted notation.
    case invalidFormat(String)
    /// More decimals than the unit can express in whole 分, e.g. `"3.308"` 元.
    case notWholeFen(String, unit: MoneyUnit)
    /// The number is too large to represent.
    case outOfRange(String)
    /// A sum or product of amounts is too large to represent.
    case overflow

    public var code: String {
        switch self {
        case .empty: "money.empty"
        case .invalidFormat: "money.format"
        case .notWholeFen: "money.not_whole_fen"
        case .outOfRange: "money.out_of_range"
        case .overflow: "money.overflow"
        }
    }

    public var message: String {
        switch self {
        case .empty:
            return "金额未填写"
        case .invalidFormat(let text):
            return "金额“\(text)”格式不正确：应为数字，可带负号、千位分隔逗号和小数点，例如 1,234.56"
        case .notWholeFen(let text, let unit):
            return "金额“\(text)”以\(unit.symbol)为单位最多只能有\(unit.exactDecimals)位小数（精确到分），请核对后重新填写，不做四舍五入"
        case .outOfRange(let text):
            return "金额“\(text)”超出可处理的范围"
        case .overflow:
            return "金额计算结果超出可处理的范围"
        }
    }
}
