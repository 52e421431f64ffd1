import Foundation

/// Rule `record_mismatch` — a figure that names an indicator, compared with the records.
///
/// Applies only when `CheckOptions.lookup` is set and a year is known (`recordYear`, else
/// `reportYear`). A figure names an indicator when its label (the words before it, trimmed as in
/// inconsistent_count) ends with a phrase of `indicatorTable` and what precedes the phrase is only
/// stage and scope words (全区, 小学, 初中, 适龄, 儿童, 在校生, 的, 年 …) — so 残疾儿童入学率 or
/// 一年学前儿童入园率 are not taken for the stage's 入学率/入园率. The stage is the last stage word in the
/// label, else the last one earlier in the sentence, else the phrase's default (入园率 → 学前).
/// The record value is exact; the printed figure stands for ± half its last place (counts exact).
/// Outside → 错误.
public enum RecordRule {
    /// Phrase in the report → indicator name, kind of figure, default stage.
    public static let indicatorTable: [(phrase: String, indicator: String, kind: FigureKind, defaultStage: String?)] = [
        ("在校学生", "在校生数", .count, nil),
        ("在校生", "在校生数", .count, nil),
        ("毕业生", "毕业生数", .count, nil),
        ("招生", "招生数", .count, nil),
        ("专任教师", "专任教师数", .count, nil),
        ("入学率", "入学率", .rate, nil),
        ("辍学率", "辍学率", .rate, nil),
        ("巩固率", "巩固率", .rate, nil),
        ("入园率", "入园率", .rate, "学前"),
        ("升学率", "升学率", .rate, nil),
    ]

    static let allowedPrefixWords = ["普通高中", "义务教育", "学前三年", "在校学生", "在校生", "全区", "全市", "全县", "全镇",
                                     "小学", "初中", "高中", "学前", "阶段", "适龄", "儿童", "正常", "学龄", "幼儿", "学生",
                                     "三年", "毛", "净", "的", "年"]

    static func check(_ r: Report, options: CheckOptions) -> [Finding] {
        guard let lookup = options.lookup, let year = options.recordYear ?? options.reportYear else { return [] }
        var out: [Finding] = []
        for f in r.figures where (f.kind == .count || f.kind == .rate) && !f.figure.isApproximate {
            let key = ConsistencyRules.key(f.figure.entity)
            guard let entry = indicatorTable.first(where: { key.hasSuffix($0.phrase) && $0.kind == f.kind }) else { continue }
            var prefix = String(key.dropLast(entry.phrase.count))
            var changed = true
            while changed && !prefix.isEmpty {
                changed = false
                for w in allowedPrefixWords where prefix.hasPrefix(w) { prefix.removeFirst(w.count); changed = true }
            }
            guard prefix.isEmpty else { continue }
            if f.kind == .count && f.unitClass != "人" { continue }
            let sen = r.sentences[f.sentence]
            let stage = Words.stage(in: f.figure.entity) ?? Words.stage(in: r.norm(f.paragraph, sen.start, f.start)) ?? entry.defaultStage
            guard let stage, let recorded = lookup.value(forIndicatorNamed: entry.indicator, year: year, level: stage),
                  Exact.isUsable(recorded), let stated = Support.interval(f) else { continue }
            if stated.overlaps(.exact(recorded)) { continue }
            let shown = Exact.fixed(recorded, decimals: f.figure.decimals) + f.figure.unit
            out.append(Support.finding(r, at: f, kind: .recordMismatch, expected: shown, found: Support.show(f),
                                       severity: .error,
                                       computation: "记录值 \(stage)\(entry.indicator)（\(year)年）= \(Exact.text(recorded)) ≠ \(Support.num(f))",
                                       message: "文中\(stage)\(entry.indicator)为\(Support.show(f))，按\(year)年记录计算为\(shown)。"))
        }
        return out
    }
}
