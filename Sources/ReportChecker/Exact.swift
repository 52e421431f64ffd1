import Foundation

/// Exact decimal helpers. Figures are compared as `Decimal`, never `Double`: a money total that
/// is off by 0.0002万元 must stay off by exactly that much.
enum Exact {
    static let zero = Decimal(0)
    static let one = Decimal(1)
    static let hundred = Decimal(100)

    /// Parses a plain ASCII decimal such as "1226.9125" (no sign, no exponent).
    static func parse(_ text: String) -> Decimal? {
        guard !text.isEmpty, text.count <= 30 else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    /// 10^n for n in -20...20.
    static func pow10(_ n: Int) -> Decimal {
        var result = Decimal(1)
        if n >= 0 {
            for _ in 0..<min(n, 20) { result *= 10 }
        } else {
            for _ in 0..<min(-n, 20) { result /= 10 }
        }
        return result
    }

    /// Rounds half away from zero to `scale` decimals (四舍五入).
    static func rounded(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return output
    }

    /// Prints a decimal plainly, trimmed to at most `maxDecimals` decimals.
    static func text(_ value: Decimal, maxDecimals: Int = 6) -> String {
        let r = rounded(value, scale: maxDecimals)
        var s = "\(r)"
        if s.contains("."), !s.contains("e") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }

    /// Prints with exactly `decimals` decimals (for results shown next to a printed figure).
    static func fixed(_ value: Decimal, decimals: Int) -> String {
        let r = rounded(value, scale: decimals)
        var s = "\(r)"
        guard decimals > 0 else { return s }
        if let dot = s.firstIndex(of: ".") {
            let have = s.distance(from: dot, to: s.endIndex) - 1
            if have < decimals { s += String(repeating: "0", count: decimals - have) }
        } else {
            s += "." + String(repeating: "0", count: decimals)
        }
        return s
    }

    static func isUsable(_ value: Decimal) -> Bool { !value.isNaN && value.isFinite }
}

/// A closed interval of possible true values behind a printed figure: a figure printed with
/// two decimals stands for anything within half a unit of its last printed place.
struct Interval: Sendable, Equatable {
    var lo: Decimal
    var hi: Decimal

    static func exact(_ v: Decimal) -> Interval { Interval(lo: v, hi: v) }
    static func around(_ v: Decimal, halfWidth: Decimal) -> Interval { Interval(lo: v - halfWidth, hi: v + halfWidth) }

    static func + (a: Interval, b: Interval) -> Interval { Interval(lo: a.lo + b.lo, hi: a.hi + b.hi) }
    static func - (a: Interval, b: Interval) -> Interval { Interval(lo: a.lo - b.hi, hi: a.hi - b.lo) }

    /// Division of positive intervals; nil when the divisor may be zero or negative.
    func divided(by b: Interval) -> Interval? {
        guard b.lo > 0, lo >= 0 else { return nil }
        let l = lo / b.hi, h = hi / b.lo
        guard Exact.isUsable(l), Exact.isUsable(h) else { return nil }
        return Interval(lo: l, hi: h)
    }

    func scaled(by k: Decimal) -> Interval { Interval(lo: lo * k, hi: hi * k) }

    /// Overlap with a tiny slack for the last digit of Decimal division.
    func overlaps(_ o: Interval) -> Bool {
        let slack = Decimal(string: "0.000000001") ?? 0
        return lo <= o.hi + slack && o.lo <= hi + slack
    }

    var mid: Decimal { (lo + hi) / 2 }
}
