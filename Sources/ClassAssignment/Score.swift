/// A score kept exactly, in hundredths of a point. Entrance scores come in whole or half points;
/// storing integers keeps every sum, mean and draw decision exact and identical on all machines.
public struct Score: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The score times 100 (87.5 points is 8750).
    public var hundredths: Int

    public init(hundredths: Int) { self.hundredths = hundredths }

    /// Whole or half points, e.g. `Score(halfPoints: 175)` is 87.5.
    public init(halfPoints: Int) { self.hundredths = halfPoints * 50 }

    /// Parses a plain non-negative decimal with at most two decimals ("87", "87.5", "87.25").
    /// Anything else (letters, signs, thousands separators, more decimals) is not a score.
    public init?(parsing text: String) {
        let t = text.trimmingSpaces
        guard !t.isEmpty, t.utf8.count <= 12 else { return nil }
        var whole = 0
        var fraction = 0
        var fractionDigits = 0
        var seenDot = false
        var digits = 0
        for b in t.utf8 {
            if b == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
                continue
            }
            guard b >= 48, b <= 57 else { return nil }
            let d = Int(b - 48)
            if seenDot {
                fractionDigits += 1
                if fractionDigits > 2 { return nil }
                fraction = fraction * 10 + d
            } else {
                whole = whole * 10 + d
                digits += 1
            }
        }
        guard digits > 0 else { return nil }
        if fractionDigits == 1 { fraction *= 10 }
        hundredths = whole * 100 + fraction
    }

    /// The score in points, for reports.
    public var points: Double { Double(hundredths) / 100 }

    /// Shortest exact decimal: "90", "87.5", "87.25". Used in the canonical roster text.
    public var description: String {
        let whole = hundredths / 100
        let frac = hundredths % 100
        if frac == 0 { return String(whole) }
        if frac % 10 == 0 { return "\(whole).\(frac / 10)" }
        return frac < 10 ? "\(whole).0\(frac)" : "\(whole).\(frac)"
    }

    public static func < (a: Score, b: Score) -> Bool { a.hundredths < b.hundredths }
}

extension String {
    /// Trims ASCII and full-width spaces, tabs, line breaks and a byte-order mark: spreadsheet
    /// cells typed by hand carry all of them.
    var trimmingSpaces: String {
        let junk: Set<Character> = [" ", "\t", "\n", "\r", "\r\n", "\u{3000}", "\u{FEFF}", "\u{00A0}"]
        var s = Substring(self)
        while let f = s.first, junk.contains(f) { s.removeFirst() }
        while let l = s.last, junk.contains(l) { s.removeLast() }
        return String(s)
    }
}
