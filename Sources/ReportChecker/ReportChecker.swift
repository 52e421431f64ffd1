import Foundation

/// Values computed from the bureau's records, so typed figures can be compared with them.
/// `name` is an indicator name from `RecordRule.indicatorTable` (在校生数, 入学率, 辍学率 …);
/// `level` is the school stage the phrase names (学前, 小学, 初中, 高中). Rates are returned in
/// per cent (99.5 for 99.5%). The scope (district or township) is the lookup's own business.
public protocol IndicatorLookup: Sendable {
    func value(forIndicatorNamed name: String, year: Int, level: String) -> Decimal?
}

/// Options for a check.
public struct CheckOptions: Sendable {
    /// The report's own year; when nil it is read from the title or the closing date line.
    public var reportYear: Int?
    /// The year whose records the figures are compared with (`--year`); with `lookup`.
    public var recordYear: Int?
    /// Where record values come from; nil skips the record comparison.
    public var lookup: (any IndicatorLookup)?

    public init(reportYear: Int? = nil, recordYear: Int? = nil, lookup: (any IndicatorLookup)? = nil) {
        self.reportYear = reportYear
        self.recordYear = recordYear
        self.lookup = lookup
    }
}

/// Checks the figures a person typed into a work report. Pure: text in, findings out.
public enum ReportChecker {
    /// Checks a report given as paragraphs (one paragraph per line number reported).
    public static func check(paragraphs: [String], options: CheckOptions = CheckOptions()) -> [Finding] {
        let report = Report(paragraphs: paragraphs)
        var findings: [Finding] = []
        findings += SumRules.check(report)
        findings += RatioRules.check(report)
        findings += ChangeRules.check(report)
        findings += ConsistencyRules.check(report)
        findings += YearRule.check(report, options: options)
        findings += NumberingRule.check(report)
        findings += RecordRule.check(report, options: options)
        return deduplicated(findings)
    }

    /// Checks a whole text; each line is a paragraph (\n, \r\n and \r all end a line).
    public static func check(text: String, options: CheckOptions = CheckOptions()) -> [Finding] {
        check(paragraphs: lines(of: text), options: options)
    }

    /// Every figure in the paragraphs, with its context.
    public static func figures(paragraphs: [String]) -> [Figure] {
        Report(paragraphs: paragraphs).figures.map(\.figure)
    }

    /// Splits a text into lines the way line numbers are reported.
    public static func lines(of text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for ch in text {
            // "\r\n" is a single Character in Swift.
            if ch == "\n" || ch == "\r" || ch == "\r\n" {
                result.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        result.append(current)
        return result
    }

    static func deduplicated(_ findings: [Finding]) -> [Finding] {
        var seen = Set<String>()
        var out: [Finding] = []
        let sorted = findings.enumerated().sorted { a, b in
            if a.element.line != b.element.line { return a.element.line < b.element.line }
            if a.element.offset != b.element.offset { return a.element.offset < b.element.offset }
            return a.offset < b.offset
        }.map(\.element)
        for f in sorted {
            let key = "\(f.line)|\(f.offset)|\(f.kind.rawValue)|\(f.computation)"
            if seen.insert(key).inserted { out.append(f) }
        }
        return out
    }
}
