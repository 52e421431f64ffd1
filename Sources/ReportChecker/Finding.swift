/// What kind of problem a finding reports. Raw values are stable codes for other tools.
public enum FindingKind: String, Codable, Sendable, CaseIterable {
    /// Parts listed under a total (其中…, …共计) do not add up to it.
    case sumMismatch = "sum_mismatch"
    /// A part is larger than its whole, or more pupils are counted for a stage than are enrolled in it.
    case exceedsTotal = "exceeds_total"
    /// A percentage (占…%) differs from count ÷ base stated in the same sentence.
    case percentageMismatch = "percentage_mismatch"
    /// An average (平均班额, 人均) differs from total ÷ count stated in the same sentence.
    case averageMismatch = "average_mismatch"
    /// A stated direction (提高, 下降, 逐年提升) contradicts the numbers given.
    case directionContradiction = "direction_contradiction"
    /// A stated change (提高N个百分点, 增长N%) differs from the two figures it compares.
    case changeMismatch = "change_mismatch"
    /// The same thing is counted with two different values.
    case inconsistentCount = "inconsistent_count"
    /// A year later than the report's own year cited as past.
    case impossibleYear = "impossible_year"
    /// A gap or repeat in 一、二、/（一）（二）/1、2、/一是、二是 numbering.
    case numberingGap = "numbering_gap"
    /// A figure that names an indicator differs from the value computed from records.
    case recordMismatch = "record_mismatch"
}

/// How sure the checker is. 错误: arithmetic that is wrong beyond the rounding the text shows.
/// 存疑: suspicious, a person should look.
public enum Severity: String, Codable, Sendable, CaseIterable {
    case error = "错误"
    case doubtful = "存疑"
}

/// One problem found in a report. JSON keys: line, quote, kind, expected, found, severity,
/// computation, message, offset.
public struct Finding: Codable, Sendable, Equatable {
    /// 1-based paragraph (line) number.
    public var line: Int
    /// The sentence quoted (shortened around the figure when very long).
    public var quote: String
    public var kind: FindingKind
    /// What the text should say, with unit, e.g. "38.9人".
    public var expected: String
    /// What the text says, with unit, e.g. "47人".
    public var found: String
    public var severity: Severity
    /// The arithmetic, e.g. "2218 ÷ 57 = 38.9".
    public var computation: String
    /// Explanation for a clerk, in Chinese.
    public var message: String
    /// 0-based character offset in the paragraph of the figure concerned.
    public var offset: Int

    public init(line: Int, quote: String, kind: FindingKind, expected: String, found: String, severity: Severity,
                computation: String, message: String, offset: Int) {
        self.line = line
        self.quote = quote
        self.kind = kind
        self.expected = expected
        self.found = found
        self.severity = severity
        self.computation = computation
        self.message = message
        self.offset = offset
    }
}
