import Foundation

/// Rule `direction_contradiction` and rule `change_mismatch`.
///
/// direction_contradiction — (a) 从/由 A (提高|增长|下降|…)(到|至|为) B with A and B of the same kind
/// and unit class: an upward word with B below A, or a downward word with B above A, beyond the
/// printed rounding (错误). (b) 逐年/连年/年年 + an upward or downward word, with at least two
/// "year → figure" pairs (2021年85%，2022年88%) or a list after 分别为/依次为 in the same
/// sentence: any step against the stated direction beyond rounding (错误).
///
/// change_mismatch — after 从A…到B, a stated change in the same sentence (提高了N个百分点 for rates:
/// N = B − A; 增长N% for counts and money: N = (B − A) ÷ A × 100; 增加N人 in the same unit:
/// N = |B − A|), compared with interval arithmetic over the printed rounding of A, B and N (错误).
enum ChangeRules {
    static func direction(in text: String) -> Int {
        // Earliest word decides: "由升转降" is not handled; 提高/下降 are matched before 增/降.
        var best: (position: Int, sign: Int)?
        for (words, sign) in [(Words.up, 1), (Words.down, -1)] {
            for w in words {
                guard let r = text.range(of: w) else { continue }
                let p = text.distance(from: text.startIndex, to: r.lowerBound)
                if let b = best, b.position <= p { continue }
                best = (position: p, sign: sign)
            }
        }
        return best?.sign ?? 0
    }

    static func check(_ r: Report) -> [Finding] {
        var out: [Finding] = []
        for s in r.sentences.indices {
            let figs = r.figures(inSentence: s).filter { $0.kind != .year }
            out += fromTo(r, s, figs)
            out += yearByYear(r, s)
        }
        return out
    }

    static func fromTo(_ r: Report, _ s: Int, _ figs: [Located]) -> [Finding] {
        var out: [Finding] = []
        let sen = r.sentences[s]
        for (i, a) in figs.enumerated() {
            guard a.figure.entity.hasSuffix("从") || a.figure.entity.hasSuffix("由"), i + 1 < figs.count else { continue }
            let b = figs[i + 1]
            guard b.kind == a.kind, b.unitClass == a.unitClass else { continue }
            let between = r.norm(sen.paragraph, a.end, b.start)
            guard between.count <= 8, Words.containsAny(between, ["到", "至", "为"]) else { continue }
            guard let ai = Support.interval(a), let bi = Support.interval(b) else { continue }
            let dir = direction(in: between)
            if dir > 0 && bi.hi < ai.lo || dir < 0 && bi.lo > ai.hi {
                let word = dir > 0 ? "提高/增长" : "下降/减少"
                out.append(Support.finding(r, at: b, kind: .directionContradiction,
                                           expected: dir > 0 ? "大于\(Support.show(a))" : "小于\(Support.show(a))",
                                           found: Support.show(b), severity: .error,
                                           computation: "\(Support.show(b)) \(dir > 0 ? "<" : ">") \(Support.show(a))",
                                           message: "文中称从\(Support.show(a))\(word)到\(Support.show(b))，但数字变化方向相反。"))
                continue
            }
            // A stated change after B.
            guard i + 2 < figs.count else { continue }
            let c = figs[i + 2]
            let gap = r.norm(sen.paragraph, b.end, c.start)
            guard gap.count <= 8, direction(in: gap) != 0, let ci = Support.interval(c) else { continue }
            var expected: Interval?
            var expectedValue: Decimal = 0
            var how = ""
            if a.kind == .rate && c.kind == .percentagePoints {
                expected = bi - ai
                expectedValue = b.figure.baseValue - a.figure.baseValue
                how = "\(Support.num(b)) − \(Support.num(a))"
            } else if (a.kind == .count || a.kind == .money) && c.kind == .rate && c.figure.unit == "%" {
                if let q = (bi - ai).divided(by: ai) { expected = q.scaled(by: 100) }
                else if let q = (ai - bi).divided(by: ai) { expected = Interval(lo: -q.hi * 100, hi: -q.lo * 100) }
                if a.figure.baseValue != 0 { expectedValue = (b.figure.baseValue - a.figure.baseValue) / a.figure.baseValue * 100 }
                how = "(\(Support.num(b)) − \(Support.num(a))) ÷ \(Support.num(a)) × 100%"
            } else if c.kind == a.kind && c.unitClass == a.unitClass {
                expected = bi - ai
                expectedValue = b.figure.baseValue - a.figure.baseValue
                how = "\(Support.num(b)) − \(Support.num(a))"
            }
            guard let exp = expected else { continue }
            // The stated change is a magnitude; compare with |B − A|.
            let absExp = exp.lo >= 0 ? exp : (exp.hi <= 0 ? Interval(lo: -exp.hi, hi: -exp.lo) : Interval(lo: 0, hi: max(-exp.lo, exp.hi)))
            if absExp.overlaps(ci) { continue }
            let magnitude = expectedValue < 0 ? -expectedValue : expectedValue
            let shown = Exact.fixed(magnitude, decimals: c.figure.decimals + 1)
            out.append(Support.finding(r, at: c, kind: .changeMismatch, expected: shown + c.figure.unit, found: Support.show(c),
                                       severity: .error, computation: "\(how) = \(Exact.fixed(expectedValue, decimals: c.figure.decimals + 1))",
                                       message: "从\(Support.show(a))到\(Support.show(b))，变化应为\(shown)\(c.figure.unit)，文中写作\(Support.show(c))。"))
        }
        return out
    }

    static func yearByYear(_ r: Report, _ s: Int) -> [Finding] {
        let sen = r.sentences[s]
        let text = r.norm(sen.paragraph, sen.start, sen.end)
        guard let marker = ["逐年", "连年", "年年", "持续"].first(where: { text.contains($0) }) else { return [] }
        guard let range = text.range(of: marker) else { return [] }
        let dir = direction(in: String(text[range.upperBound...].prefix(4)))
        guard dir != 0 else { return [] }
        let all = r.figures(inSentence: s)
        // Year → figure pairs.
        var series: [(label: String, fig: Located)] = []
        for (i, f) in all.enumerated() where f.kind == .year && i + 1 < all.count {
            let v = all[i + 1]
            guard v.kind != .year, r.norm(sen.paragraph, f.end, v.start).count <= 8 else { continue }
            series.append((label: Support.num(f) + "年", fig: v))
        }
        if series.count < 2, let lr = ["分别为", "依次为", "分别是"].lazy.compactMap({ text.range(of: $0) }).first {
            let start = sen.start + text.distance(from: text.startIndex, to: lr.upperBound)
            let listed = all.filter { $0.start >= start && $0.kind != .year }
            series = listed.map { (label: "", fig: $0) }
        }
        guard series.count >= 2 else { return [] }
        let first = series[0].fig
        let same = series.filter { $0.fig.kind == first.kind && $0.fig.unitClass == first.unitClass }
        guard same.count == series.count else { return [] }
        if series.first?.label.isEmpty == false {
            series.sort { $0.label < $1.label }
        }
        for k in 1..<series.count {
            let p = series[k - 1].fig, q = series[k].fig
            guard let pi = Support.interval(p), let qi = Support.interval(q) else { return [] }
            if dir > 0 && qi.hi < pi.lo || dir < 0 && qi.lo > pi.hi {
                let seq = series.map { $0.label + Support.show($0.fig) }.joined(separator: "，")
                return [Support.finding(r, at: q, kind: .directionContradiction,
                                        expected: dir > 0 ? "每年高于上一年" : "每年低于上一年",
                                        found: seq, severity: .error,
                                        computation: "\(series[k].label)\(Support.show(q)) \(dir > 0 ? "<" : ">") \(series[k - 1].label)\(Support.show(p))",
                                        message: "文中称“\(marker)\(dir > 0 ? "提升" : "下降")”，但\(series[k].label)\(Support.show(q))与上一年\(Support.show(p))相比方向相反。")]
            }
        }
        return []
    }
}
