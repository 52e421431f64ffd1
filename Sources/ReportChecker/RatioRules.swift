import Foundation

/// Rule `percentage_mismatch` and rule `average_mismatch`.
///
/// percentage_mismatch — a rate written as 占…N% right after a count (or amount) C, in a sentence
/// that also states the base B: the figure just before 其中, or a figure introduced by 共/总/全区/
/// 全市/全县/合计 of the same unit class and not smaller than C (错误); failing that, such a marked
/// total in one of the two sentences before, in the same paragraph (存疑). Expected C ÷ B × 100; the rate
/// stands for ± half its last printed place (90% for 89.5–90.5); a finding only when outside.
///
/// average_mismatch — an average in the same sentence as what it divides:
/// class size (平均/平均班额/班额/每班 … N人) = pupils ÷ classes, where classes is the only
/// …个班/…班 figure of the sentence and pupils is the person count labelled 学生/学生数/在校生
/// (or the only other person count); per school (每校/校均) = pupils ÷ schools (所);
/// per head (人均/生均/每人/每生 … N元) = the only other amount ÷ the only person count.
/// The stated average stands for ± half its last printed place (47 for 46.5–47.5); an average
/// marked approximate (约, 左右) is allowed 10%; bounds (不超过, 以下) are not checked. 错误.
enum RatioRules {
    static let totalMarkers = ["共", "总", "全区", "全市", "全县", "全镇", "合计", "全年"]

    static func check(_ r: Report) -> [Finding] {
        var out: [Finding] = []
        for s in r.sentences.indices {
            let figs = r.figures(inSentence: s)
            guard figs.count >= 2 else { continue }
            out += percentages(r, s, figs)
            out += averages(r, s, figs)
        }
        return out
    }

    static func percentages(_ r: Report, _ s: Int, _ figs: [Located]) -> [Finding] {
        var out: [Finding] = []
        let sen = r.sentences[s]
        let qi = Support.positions(of: "其中", in: r, sentence: s)
        for (pi, rate) in figs.enumerated() where rate.kind == .rate && rate.figure.unit == "%" {
            let label = rate.figure.entity
            guard label.contains("占"), let p = Support.interval(rate) else { continue }
            // The count just before the rate, in the same or the previous clause.
            guard let ci = (0..<pi).reversed().first(where: { figs[$0].kind == .count || figs[$0].kind == .money }) else { continue }
            let count = figs[ci]
            guard count.clause >= rate.clause - 1, let c = Support.interval(count) else { continue }
            // The base: just before 其中 (preceding the count), or marked as a total.
            var base: Located?
            for bi in (0..<ci).reversed() {
                let b = figs[bi]
                guard b.unitClass == count.unitClass, b.kind == count.kind, !b.figure.isApproximate,
                      b.figure.baseValue >= count.figure.baseValue else { continue }
                let beforeQi = qi.contains { $0 >= b.end && $0 < count.start && r.norm(sen.paragraph, b.end, $0).count <= 3 }
                if beforeQi || totalMarkers.contains(where: { b.figure.entity.contains($0) }) { base = b; break }
            }
            // No base in the sentence: a total marked 共/总/全区 … in one of the two sentences before,
            // in the same paragraph (…共招聘毕业生347名…。其中,985高校139人,占比40.06%). Then 存疑.
            var severity = Severity.error
            if base == nil {
                let para = r.paragraphs[sen.paragraph].sentences
                if let pos = para.firstIndex(of: s) {
                    outer: for back in [pos - 1, pos - 2] where back >= 0 {
                        for b in r.figures(inSentence: para[back]).reversed()
                        where b.unitClass == count.unitClass && b.kind == count.kind && !b.figure.isApproximate
                            && b.figure.baseValue >= count.figure.baseValue
                            && totalMarkers.contains(where: { b.figure.entity.contains($0) }) {
                            base = b
                            severity = .doubtful
                            break outer
                        }
                    }
                }
            }
            guard let base, let bI = Support.interval(base), let q = c.divided(by: bI)?.scaled(by: 100) else { continue }
            if q.overlaps(p) { continue }
            let value = count.figure.baseValue / base.figure.baseValue * 100
            let shown = Exact.fixed(value, decimals: rate.figure.decimals + 1)
            out.append(Support.finding(r, at: rate, kind: .percentageMismatch, expected: shown + "%", found: Support.show(rate),
                                       severity: severity,
                                       computation: "\(Support.num(count)) ÷ \(Support.num(base)) × 100% = \(shown)%",
                                       message: "\(Support.show(count))占\(Support.show(base))的\(shown)%，文中写作\(Support.show(rate))。"))
        }
        return out
    }

    static func averages(_ r: Report, _ s: Int, _ figs: [Located]) -> [Finding] {
        var out: [Finding] = []
        for avg in figs where avg.kind == .count || avg.kind == .money {
            let label = avg.figure.entity
            let tail = String(label.suffix(8))
            let perClass = ["平均班额", "班额", "每班", "平均每班", "班均"].contains { tail.contains($0) }
            let perSchool = ["每校", "校均", "平均每所"].contains { tail.contains($0) }
            let perHead = ["人均", "生均", "每人", "每生", "平均每名"].contains { tail.contains($0) }
            let plainAverage = tail.contains("平均")
            guard perClass || perSchool || perHead || plainAverage else { continue }
            let around = r.norm(avg.paragraph, avg.start - 4, avg.start) + String(avg.figure.following.prefix(2))
            if Words.containsAny(around, ["不超过", "不足", "以下", "以内", "不到", "超过", "以上", "低于", "高于", "少于", "多于", "至少", "最多"]) { continue }
            let others = figs.filter { $0.id != avg.id && !$0.figure.isApproximate }
            var numerator: Located?
            var divisor: Located?
            if avg.kind == .count && avg.unitClass == "人" && !perHead {
                let classes = others.filter { $0.kind == .count && $0.figure.unit == "班" }
                let schools = others.filter { $0.kind == .count && ($0.figure.unit == "所" || $0.figure.unit == "校") }
                let persons = others.filter { $0.kind == .count && $0.unitClass == "人" }
                if (perClass || plainAverage) && classes.count == 1 && !perSchool { divisor = classes[0] }
                else if perSchool && schools.count == 1 { divisor = schools[0] }
                guard divisor != nil else { continue }
                let labelled = persons.filter { Words.containsAny($0.figure.entity + String($0.figure.following.prefix(3)), ["学生", "在校生", "学生数", "生"]) }
                if labelled.count == 1 { numerator = labelled[0] } else if labelled.isEmpty && persons.count == 1 { numerator = persons[0] }
            } else if avg.kind == .money && (perHead || plainAverage) {
                let amounts = others.filter { $0.kind == .money && $0.figure.baseValue > avg.figure.baseValue }
                let persons = others.filter { $0.kind == .count && $0.unitClass == "人" }
                if amounts.count == 1 && persons.count == 1 { numerator = amounts[0]; divisor = persons[0] }
            }
            guard let num = numerator, let den = divisor, let n = Support.interval(num), let d = Support.interval(den),
                  let q = n.divided(by: d) else { continue }
            var stated: Interval
            if avg.figure.isApproximate || Words.containsAny(String(avg.figure.following.prefix(2)) + String(label.suffix(2)), ["左右", "约"]) {
                let v = avg.figure.baseValue
                stated = Interval(lo: v * 9 / 10, hi: v * 11 / 10)
            } else if let a = Support.interval(avg) {
                stated = a
            } else { continue }
            if avg.kind == .count && avg.figure.decimals == 0 { stated = Interval(lo: stated.lo - Decimal(5) / 10, hi: stated.hi + Decimal(5) / 10) }
            if q.overlaps(stated) { continue }
            let value = num.figure.baseValue / den.figure.baseValue
            let decimals = avg.kind == .money ? max(2, avg.figure.decimals) : max(1, avg.figure.decimals + 1)
            let shownValue = avg.kind == .money ? Support.inUnitOf(avg, value, extraDecimals: max(0, decimals - avg.figure.decimals)) : Exact.fixed(value, decimals: decimals)
            let what = avg.kind == .money ? "人均" : (den.figure.unit == "班" ? "平均每班" : "平均每所")
            out.append(Support.finding(r, at: avg, kind: .averageMismatch, expected: shownValue + avg.figure.unit,
                                       found: Support.show(avg), severity: .error,
                                       computation: avg.kind == .money
                                           ? "\(Support.show(num)) ÷ \(Support.show(den)) = \(shownValue)\(avg.figure.unit)"
                                           : "\(Support.num(num)) ÷ \(Support.num(den)) = \(Exact.fixed(value, decimals: decimals))",
                                       message: "\(Support.show(num)) ÷ \(Support.show(den))，\(what)应为\(shownValue)\(avg.figure.unit)，文中写作\(Support.show(avg))。"))
        }
        return out
    }
}
