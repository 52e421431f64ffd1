import Foundation

/// Rule `sum_mismatch` and rule `exceeds_total`.
///
/// sum_mismatch — a total followed by 其中 (or "(其中") and at least two parts of the same unit
/// class (persons 人/名 together; money in 元/万元/亿元 together; other units only with
/// themselves), or at least two parts followed by 共/共计/合计/总计 in the same sentence. The total is
/// the nearest figure of the class before 其中, within the clause of 其中 and the two before it; the
/// parts are the figures after 其中 up to the closing parenthesis or the end of the sentence. The sum
/// is exact; each printed figure stands for ± half its last printed place, except integer counts,
/// which are exact, and money when any figure of the group is printed to the yuan (万元 with four
/// decimals): then the writer copied ledger amounts and dropped trailing zeros, so every amount is
/// exact. A finding needs evidence that the parts are meant to make up the whole: another unit of
/// the same list adds up exactly, or the total follows the list as 共计/合计/总计 (错误); or the sum
/// misses the total by at most 1% (存疑). Lists
/// that fall well short of the total are taken as incomplete and not reported.
///
/// exceeds_total — (a) one part under 其中 larger than its total (错误); (b) pupils of a stage
/// counted under 其中 (城市小学…人 + 农村小学…人) or as 小学…学生…人 adding to more than the stage's
/// enrolment stated in the same report (小学在校学生…人; the largest if stated more than once) (错误).
/// Approximate figures (多, 余, 近, 约, 以上 …) never take part.
enum SumRules {
    static func check(_ r: Report) -> [Finding] {
        var out: [Finding] = []
        var stageParts: [(doc: Int, stage: String, parts: [Located])] = []
        for s in r.sentences.indices {
            let figs = r.figures(inSentence: s).filter { $0.kind.isAdditive }
            guard figs.count >= 2 else { continue }
            let sen = r.sentences[s]
            let chars = r.paragraphs[sen.paragraph].norm
            let marks = Support.positions(of: "其中", in: r, sentence: s)
            for (mi, q) in marks.enumerated() {
                var b = q - 1
                while b >= sen.start, chars[b] == " " { b -= 1 }
                let inParen = b >= sen.start && chars[b] == "("
                var groupEnd = mi + 1 < marks.count ? marks[mi + 1] : sen.end
                if inParen, let close = (q..<sen.end).first(where: { chars[$0] == ")" }) { groupEnd = min(groupEnd, close) }
                let qClause = Support.clauseOf(r, paragraph: sen.paragraph, offset: q)
                let before = figs.filter { $0.end <= q && $0.clause >= qClause - 2 }
                let parts = figs.filter { $0.start > q && $0.end <= groupEnd }
                guard !parts.isEmpty else { continue }
                var totals: [String: Located] = [:]
                for f in before { totals[f.unitClass] = f }
                let classes = Array(Set(parts.map(\.unitClass))).sorted()
                var results: [String: Bool] = [:]   // unit class → parts add up exactly
                for uc in classes {
                    guard let total = totals[uc] else { continue }
                    let ps = parts.filter { $0.unitClass == uc }
                    out += exceeding(r, total: total, parts: ps)
                    if ps.count >= 2, let ok = addsUp(total: total, parts: ps) { results[uc] = ok }
                }
                for uc in classes where results[uc] == false {
                    guard let total = totals[uc] else { continue }
                    let ps = parts.filter { $0.unitClass == uc }
                    let confirmed = results.contains { $0.key != uc && $0.value }
                    if let f = mismatch(r, total: total, parts: ps, confirmed: confirmed) { out.append(f) }
                }
                // Pupils by stage within this list, for the enrolment check.
                let context = r.norm(sen.paragraph, sen.start, sen.end)
                if Words.containsAny(context, ["学生", "学杂费", "儿童", "新生", "毕业生", "在校生"]) {
                    var byStage: [String: [Located]] = [:]
                    for p in parts where p.unitClass == "人" && !p.figure.isApproximate {
                        let label = p.figure.entity
                        if Words.containsAny(label + String(p.figure.following.prefix(2)), Words.staff) || label.contains("在校") { continue }
                        if let st = Words.stage(in: label) { byStage[st, default: []].append(p) }
                    }
                    for st in byStage.keys.sorted() {
                        let ps = byStage[st] ?? []
                        stageParts.append((doc: r.paragraphs[sen.paragraph].document, stage: st, parts: ps))
                    }
                }
            }
            out += totalAfterParts(r, figs: figs)
        }
        out += enrolmentCeilings(r, stageParts: stageParts)
        return out
    }

    /// Money in a group is exact when any amount of the group is printed to the yuan.
    static func ledger(_ group: [Located]) -> Bool {
        group.contains { $0.kind == .money && $0.figure.resolution <= 1 }
    }

    /// nil when the check cannot be made (approximations); true when the parts add up.
    static func addsUp(total: Located, parts: [Located]) -> Bool? {
        let group = [total] + parts
        let isLedger = ledger(group)
        guard let t = Support.interval(total, ledger: isLedger) else { return nil }
        var sum = Interval.exact(0)
        for p in parts {
            guard let i = Support.interval(p, ledger: isLedger) else { return nil }
            sum = sum + i
        }
        return sum.overlaps(t)
    }

    static func mismatch(_ r: Report, total: Located, parts: [Located], confirmed: Bool) -> Finding? {
        let sum = parts.reduce(Decimal(0)) { $0 + $1.figure.baseValue }
        let diff = sum - total.figure.baseValue
        let magnitude = diff < 0 ? -diff : diff
        let near = magnitude <= total.figure.baseValue / 100
        guard confirmed || near else { return nil }
        let maxDecimals = ([total] + parts).map(\.figure.decimals).max() ?? 0
        let shown = Support.inUnitOf(total, sum, extraDecimals: max(0, maxDecimals - total.figure.decimals))
        let unit = total.figure.unit
        let computation = parts.map { Support.show($0) }.joined(separator: " + ") + " = " + shown + unit
        let why = confirmed ? "同一列举中其他数字分项之和与总数相符，可见各分项即全部" : "分项之和与总数相差不足1%，疑为笔误"
        return Support.finding(r, at: total, kind: .sumMismatch, expected: shown + unit, found: Support.show(total),
                               severity: confirmed ? .error : .doubtful, computation: computation,
                               message: "分项相加为\(shown)\(unit)，与所列总数\(Support.show(total))不符（\(why)）。")
    }

    static func exceeding(_ r: Report, total: Located, parts: [Located]) -> [Finding] {
        var out: [Finding] = []
        guard let t = Support.interval(total, ledger: ledger([total] + parts)) else { return [] }
        for p in parts {
            guard let i = Support.interval(p, ledger: ledger([total] + parts)), i.lo > t.hi else { continue }
            out.append(Support.finding(r, at: p, kind: .exceedsTotal, expected: "不超过" + Support.show(total),
                                       found: Support.show(p), severity: .error,
                                       computation: "\(Support.show(p)) > \(Support.show(total))",
                                       message: "“其中”所列分项\(Support.show(p))大于总数\(Support.show(total))。"))
        }
        return out
    }

    /// Parts followed by 共/共计/合计/总计 and the total in the same sentence.
    static func totalAfterParts(_ r: Report, figs: [Located]) -> [Finding] {
        var out: [Finding] = []
        let keys = ["共计", "合计", "总计", "共有", "共"]
        for (ti, total) in figs.enumerated() {
            let label = total.figure.entity
            guard keys.contains(where: { label.hasSuffix($0) }), !label.contains("其中") else { continue }
            // Contiguous clauses before the total, each holding figures of the total's class.
            var parts: [Located] = []
            var clause = total.clause
            var k = ti - 1
            var sameClauseParts: [Located] = []
            while k >= 0, figs[k].clause == total.clause {
                if figs[k].unitClass == total.unitClass { sameClauseParts.append(figs[k]) }
                k -= 1
            }
            parts += sameClauseParts
            clause -= 1
            while clause >= 0 {
                var found: [Located] = []
                while k >= 0, figs[k].clause == clause {
                    if figs[k].unitClass == total.unitClass { found.append(figs[k]) }
                    k -= 1
                }
                if found.isEmpty { break }
                parts += found
                clause -= 1
            }
            parts.reverse()
            guard parts.count >= 2 else { continue }
            // 共计/合计/总计 right after a list says the list is complete; a bare 共 does not.
            let explicit = ["共计", "合计", "总计"].contains { label.hasSuffix($0) }
            if let ok = addsUp(total: total, parts: parts), !ok,
               let f = mismatch(r, total: total, parts: parts, confirmed: explicit) {
                out.append(f)
            }
        }
        return out
    }

    /// Pupils of a stage counted beyond that stage's stated enrolment.
    static func enrolmentCeilings(_ r: Report, stageParts: [(doc: Int, stage: String, parts: [Located])]) -> [Finding] {
        var ceilings: [String: Located] = [:]   // "doc|stage" → largest enrolment
        var singles: [(doc: Int, stage: String, figure: Located)] = []
        for f in r.figures where f.kind == .count && f.unitClass == "人" && !f.figure.isApproximate {
            let label = f.figure.entity
            let doc = r.paragraphs[f.paragraph].document
            guard let st = Words.stage(in: label) else { continue }
            if label.contains("在校学生") || label.contains("在校生") {
                let key = "\(doc)|\(st)"
                if let c = ceilings[key], c.figure.baseValue >= f.figure.baseValue { continue }
                ceilings[key] = f
            } else if Words.containsAny(label, ["学生", "儿童", "新生"]), !Words.containsAny(label, Words.staff),
                      !label.contains("其中") {
                singles.append((doc: doc, stage: st, figure: f))
            }
        }
        var out: [Finding] = []
        var groups = stageParts
        for s in singles { groups.append((doc: s.doc, stage: s.stage, parts: [s.figure])) }
        for g in groups {
            guard let ceiling = ceilings["\(g.doc)|\(g.stage)"] else { continue }
            let sum = g.parts.reduce(Decimal(0)) { $0 + $1.figure.baseValue }
            guard sum > ceiling.figure.baseValue, let first = g.parts.first else { continue }
            let lhs = g.parts.count > 1 ? Support.sumText(g.parts) + " = " + Exact.text(sum) : Exact.text(sum)
            out.append(Support.finding(r, at: first, kind: .exceedsTotal,
                                       expected: "不超过" + Support.show(ceiling),
                                       found: Exact.text(sum) + "人", severity: .error,
                                       computation: "\(lhs) > \(Support.num(ceiling))（第\(ceiling.figure.line)行\(g.stage)在校学生）",
                                       message: "此处\(g.stage)学生合计\(Exact.text(sum))人，多于本报告所述\(g.stage)在校学生\(Support.show(ceiling))。"))
        }
        return out
    }
}
