import EduLedgerCore
import EduLedgerIndicators

/// The genre's words for a figure and its change, generated from the series so that a sentence
/// can never claim a rise that did not happen.
public enum ReportPhrases {
    /// Fixed decimals, rounded half away from zero, without locale formatting.
    public static func fixed(_ v: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(v) * scale).rounded(.toNearestOrAwayFromZero)
        let negative = v < 0 && scaled > 0
        let whole = (scaled / scale).rounded(.towardZero)
        var text = String(Int64(whole))
        if places > 0 {
            let frac = Int64(scaled - whole * scale)
            let digits = String(frac)
            text += "." + String(repeating: "0", count: max(0, places - digits.count)) + digits
        }
        return (negative ? "-" : "") + text
    }

    /// A value as the report prints it.
    public static func value(_ v: Double?, _ d: IndicatorDefinition, decimals: Int? = nil, bare: Bool = false) -> String {
        guard let v else { return "无数据" }
        let text = fixed(v, decimals ?? d.precision)
        if bare { return text }
        switch d.factor {
        case .percent: return text + "%"
        case .permille: return text + "‰"
        case .ratioToOne: return text + ":1"
        case .count, .ratio, .perHundred: return text + d.unitLabel
        }
    }

    /// 比上年提高/下降N个百分点 for rates; 比上年增加/减少N人 (or 增长/下降N% with `growth`) for counts;
    /// 与上年持平 when the printed values are equal.
    public static func change(_ v: Double?, previous p: Double?, _ d: IndicatorDefinition, decimals: Int? = nil,
                              growth: Bool = false, label: String = "上年") -> String {
        guard let v, let p else { return "\(label)无可比数据" }
        let places = decimals ?? d.precision
        // Compare what is printed: two values that print the same are 持平.
        let printedV = rounded(v, places), printedP = rounded(p, places)
        if printedV == printedP { return "与\(label)持平" }
        let up = printedV > printedP
        let diff = abs(printedV - printedP)
        switch d.factor {
        case .percent:
            return "比\(label)\(up ? "提高" : "下降")\(fixed(diff, places))个百分点"
        case .permille:
            return "比\(label)\(up ? "提高" : "下降")\(fixed(diff, places))个千分点"
        case .count:
            if growth, printedP != 0 {
                return "比\(label)\(up ? "增长" : "下降")\(fixed(diff / abs(printedP) * 100, 1))%"
            }
            return "比\(label)\(up ? "增加" : "减少")\(fixed(diff, places))\(d.unitLabel)"
        case .ratio, .perHundred:
            return "比\(label)\(up ? "增加" : "减少")\(fixed(diff, places))\(d.unitLabel)"
        case .ratioToOne:
            return "比\(label)\(up ? "提高" : "下降")\(fixed(diff, places))"
        }
    }

    /// 逐年提升 / 逐年下降 only when every year's printed value is above (below) the year before;
    /// 保持稳定 when all are equal; otherwise the series itself. The series is always given in
    /// parentheses so the reader can see it.
    public static func trend(_ series: [(year: Int, value: Double?)], _ d: IndicatorDefinition, decimals: Int? = nil) -> String {
        let places = decimals ?? d.precision
        let values = series.compactMap(\.value)
        guard series.count >= 2, values.count == series.count, let first = series.first?.year, let last = series.last?.year else {
            return "近\(series.count)年数据不全"
        }
        let printed = values.map { rounded($0, places) }
        let list = values.map { value($0, d, decimals: decimals) }.joined(separator: "、")
        let span = "\(first)—\(last)年分别为\(list)"
        let rising = zip(printed, printed.dropFirst()).allSatisfy { $0 < $1 }
        let falling = zip(printed, printed.dropFirst()).allSatisfy { $0 > $1 }
        if rising { return "连续\(series.count)年逐年\(d.factor == .count ? "增加" : "提升")（\(span)）" }
        if falling { return "连续\(series.count)年逐年\(d.factor == .count ? "减少" : "下降")（\(span)）" }
        if Set(printed).count == 1 { return "近\(series.count)年保持稳定（\(span)）" }
        return span
    }

    /// Money: 比上年增加/减少 amount, or 增长/下降N% with `growth`.
    public static func moneyChange(_ v: Money, previous p: Money?, unit: MoneyUnit, decimals: Int, growth: Bool) -> String {
        guard let p else { return "上年无可比数据" }
        let a = v.amount(in: unit, decimals: decimals), b = p.amount(in: unit, decimals: decimals)
        if a == b { return "与上年持平" }
        let up = v > p
        if growth, p.fen != 0 {
            let pct = Double(abs(v.fen - p.fen)) / Double(abs(p.fen)) * 100
            return "比上年\(up ? "增长" : "下降")\(fixed(pct, 1))%"
        }
        return "比上年\(up ? "增加" : "减少")\(Money(fen: abs(v.fen - p.fen)).text(in: unit, decimals: decimals))"
    }

    static func rounded(_ v: Double, _ places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (v * scale).rounded(.toNearestOrAwayFromZero) / scale
    }

    /// 一、 / （一） / 1、 for heading counters.
    static func headingNumber(level: Int, _ n: Int) -> String {
        switch level {
        case 1: return chineseNumeral(n) + "、"
        case 2: return "（" + chineseNumeral(n) + "）"
        default: return "\(n)、"
        }
    }

    static func chineseNumeral(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0 else { return digits[0] }
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        if n < 100 { return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        return String(n)
    }
}
