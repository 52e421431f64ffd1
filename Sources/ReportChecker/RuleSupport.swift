import Foundation

/// Shared vocabulary and helpers for the rules.
enum Words {
    static let stages = ["普通高中", "幼儿园", "学前", "小学", "初中", "高中"]
    /// Words that mark a count of staff, not pupils.
    static let staff = ["教师", "老师", "校长", "干部", "职工", "教职工", "园长", "党员", "员工", "专家", "代表", "幼师", "师"]
    static let up = ["提高", "提升", "增长", "增加", "上升", "增至", "升至", "扩大", "攀升", "增"]
    static let down = ["下降", "降低", "减少", "降至", "减至", "缩小", "回落", "压缩", "降"]
    /// Words that make a sentence about intentions, not events.
    static let intention = ["将", "计划", "拟", "力争", "争取", "预计", "确保", "目标", "规划", "打算", "明年", "届时", "预期", "力求", "期望", "展望", "部署"]
    /// Words that make a year a deadline when they stand right beside it.
    static let timeLimit = ["到", "至", "前", "底", "以前", "之前"]

    static func stage(in raw: String) -> String? {
        // 中小学 names two stages at once: it names none.
        let text = raw.replacingOccurrences(of: "中小学", with: "、").replacingOccurrences(of: "小学升初中", with: "、")
        // The last stage word wins: 全区小学在校学生 → 小学.
        var best: (String, String.Index)?
        for s in stages {
            guard let r = text.range(of: s, options: .backwards) else { continue }
            if let b = best, r.lowerBound <= b.1 { continue }
            best = (s == "普通高中" ? "高中" : (s == "幼儿园" ? "学前" : s), r.lowerBound)
        }
        return best?.0
    }

    static func containsAny(_ text: String, _ words: [String]) -> Bool {
        words.contains { text.contains($0) }
    }
}

enum Support {
    /// The interval of true values a figure can stand for; nil for approximations and bounds.
    /// Counts printed as integers are exact; other figures stand for ± half their last place.
    /// `ledger` treats money as exact (see SumRules for when).
    static func interval(_ f: Located, ledger: Bool = false) -> Interval? {
        guard !f.figure.isApproximate else { return nil }
        let v = f.figure.baseValue
        if f.kind == .count && f.figure.decimals == 0 && f.multiplier == 1 { return .exact(v) }
        if f.kind == .money && ledger { return .exact(v) }
        return .around(v, halfWidth: f.figure.resolution / 2)
    }

    /// A figure's value printed in its own unit ("1226.9125万元", "47人").
    static func show(_ f: Located) -> String {
        let fig = f.figure
        if fig.kind == .money { return Exact.text(fig.value, maxDecimals: 8) + fig.unit }
        if fig.kind == .rate { return Exact.text(fig.value, maxDecimals: 8) + fig.unit }
        return Exact.text(fig.value, maxDecimals: 8) + fig.unit
    }

    /// The number of a figure as printed, without unit.
    static func num(_ f: Located) -> String { Exact.text(f.figure.value, maxDecimals: 8) }

    /// A base-unit value shown in a figure's unit with its decimals (+extra).
    static func inUnitOf(_ f: Located, _ base: Decimal, extraDecimals: Int = 0) -> String {
        var factor = Decimal(1)
        if f.kind == .money {
            switch f.figure.unit {
            case "万元": factor = 10_000
            case "亿元": factor = 100_000_000
            case "千元": factor = 1000
            default: factor = 1
            }
        }
        if f.kind == .rate && f.figure.unit == "‰" { factor = Decimal(string: "0.1") ?? 1 }
        let v = base / factor
        return Exact.fixed(v, decimals: f.figure.decimals + extraDecimals)
    }

    static func finding(_ r: Report, at f: Located, kind: FindingKind, expected: String, found: String,
                        severity: Severity, computation: String, message: String) -> Finding {
        let sen = r.sentences[f.sentence]
        let text = r.sentenceText(f.sentence)
        let quote = text.quoteAround(offsetInSentence: max(0, f.start - sen.start))
        return Finding(line: f.figure.line, quote: quote, kind: kind, expected: expected, found: found,
                       severity: severity, computation: computation, message: message, offset: f.start)
    }

    /// Positions (paragraph offsets) of a word in a sentence's normalised text.
    static func positions(of word: String, in r: Report, sentence s: Int) -> [Int] {
        let sen = r.sentences[s]
        let chars = r.paragraphs[sen.paragraph].norm
        let w = Array(word)
        guard !w.isEmpty else { return [] }
        var out: [Int] = []
        var i = sen.start
        while i + w.count <= sen.end {
            if FigureExtractor.matches(chars, i, w) { out.append(i) }
            i += 1
        }
        return out
    }

    static func clauseOf(_ r: Report, paragraph: Int, offset: Int) -> Int {
        var lo = 0, hi = r.clauses.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let c = r.clauses[mid]
            if c.paragraph < paragraph || (c.paragraph == paragraph && c.end <= offset) { lo = mid + 1 }
            else if c.paragraph > paragraph || c.start > offset { hi = mid - 1 }
            else { return mid }
        }
        return max(0, min(lo, r.clauses.count - 1))
    }

    static func sumText(_ parts: [Located]) -> String {
        parts.map(num).joined(separator: " + ")
    }
}
