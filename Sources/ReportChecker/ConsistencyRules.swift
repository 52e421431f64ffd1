import Foundation

/// Rule `inconsistent_count` — the same thing counted differently in two places of one report
/// (a compilation's 第N篇 are separate reports).
///
/// Two figures are "the same thing" when: same kind (count or rate) and unit class; their labels
/// — the words right before the figure with leading 全区/全年/今年/共/累计 … and trailing
/// 人数/数/为/达/有/共计 … removed — are equal, or one ends the other, and the shorter has at least
/// four characters; the words after the unit agree; and their sentences name the same years and
/// the same period words (今年, 上年, 去年, 春季, 秋季, 计划, 预计 …). Neither may be approximate. Values that
/// differ beyond the printed rounding give 存疑 (the text may mean two periods).
enum ConsistencyRules {
    static let leading = ["全区", "全市", "全县", "全镇", "全乡", "全年", "今年", "本年", "当年", "目前", "现有", "其中",
                          "共有", "累计", "总计", "合计", "共计", "我区", "我县", "我市", "我局", "全系统", "共", "有", "了"]
    static let trailing = ["人数", "总数", "数量", "数", "为", "达到", "达", "有", "是", "共计", "合计", "总计", "累计", "共",
                           "计", "了", "的", "已", "仅为", "仅", "只有", "占", "约", "近", "在"]
    static let periods = ["今年", "去年", "上年", "上一年", "前年", "明年", "本年", "春季", "秋季", "上学期", "下学期",
                          "上期", "下期", "同期", "两年", "近两年", "三年", "近年", "历年", "年初", "年底", "计划", "预计", "将", "拟", "目标"]
    /// Characters that, in the extra words of a longer label, change what is counted (新增幼儿学位 is not 幼儿学位).
    static let qualifiers: Set<Character> = ["新", "增", "减", "累", "未", "不", "非", "超", "女", "男", "招", "引", "计", "划", "留", "流", "残", "贫", "困", "特", "其", "外", "除", "另", "已", "再", "改", "建", "扩"]

    static func key(_ label: String) -> String {
        var s = label
        var changed = true
        while changed {
            changed = false
            for w in leading where s.hasPrefix(w) && s.count > w.count { s.removeFirst(w.count); changed = true }
            for w in trailing where s.hasSuffix(w) && s.count > w.count { s.removeLast(w.count); changed = true }
        }
        return s
    }

    static func period(_ r: Report, _ f: Located) -> String {
        let sen = r.sentences[f.sentence]
        let text = r.norm(sen.paragraph, sen.start, sen.end)
        let years = r.figures(inSentence: f.sentence).filter { $0.kind == .year }.map { Support.num($0) }
        let words = periods.filter { text.contains($0) }
        return (Array(Set(years)).sorted() + words).joined(separator: ",")
    }

    static func check(_ r: Report) -> [Finding] {
        struct Entry { var fig: Located; var key: String; var period: String }
        var entries: [Int: [Entry]] = [:]   // document → entries
        for f in r.figures where (f.kind == .count || f.kind == .rate) && !f.figure.isApproximate && !f.isChineseNumeral {
            let k = key(f.figure.entity)
            guard k.count >= 4 else { continue }
            entries[r.paragraphs[f.paragraph].document, default: []].append(Entry(fig: f, key: k, period: period(r, f)))
        }
        var out: [Finding] = []
        for doc in entries.keys.sorted() {
            // Labels that can match share their last four characters: compare within those buckets,
            // each entry with at most the 40 before it, so dense text stays linear.
            var buckets: [String: [Entry]] = [:]
            var order: [String] = []
            for e in entries[doc] ?? [] {
                let b = String(e.key.suffix(4))
                if buckets[b] == nil { order.append(b) }
                buckets[b, default: []].append(e)
            }
            var reported = Set<String>()
            for bucket in order {
                let list = buckets[bucket] ?? []
                for j in list.indices {
                    for i in max(0, j - 40)..<j {
                        let a = list[i], b = list[j]
                        guard a.fig.sentence != b.fig.sentence, a.fig.kind == b.fig.kind, a.fig.unitClass == b.fig.unitClass,
                              a.period == b.period else { continue }
                        let short = a.key.count <= b.key.count ? a.key : b.key
                        let long = a.key.count <= b.key.count ? b.key : a.key
                        guard long.hasSuffix(short), short.count >= 4,
                              !long.dropLast(short.count).contains(where: { qualifiers.contains($0) }) else { continue }
                        let fa = a.fig.figure.following.prefix(2), fb = b.fig.figure.following.prefix(2)
                        guard fa == fb else { continue }
                        guard !reported.contains(short), let ia = Support.interval(a.fig), let ib = Support.interval(b.fig),
                              !ia.overlaps(ib) else { continue }
                        reported.insert(short)
                        out.append(Support.finding(r, at: b.fig, kind: .inconsistentCount, expected: Support.show(a.fig),
                                                   found: Support.show(b.fig), severity: .doubtful,
                                                   computation: "第\(a.fig.figure.line)行“\(a.fig.figure.entity)\(a.fig.figure.text)” ≠ 第\(b.fig.figure.line)行“\(b.fig.figure.entity)\(b.fig.figure.text)”",
                                                   message: "同一项目“\(short)”前后数字不一致：第\(a.fig.figure.line)行为\(Support.show(a.fig))，此处为\(Support.show(b.fig))。"))
                    }
                }
            }
        }
        return out
    }
}

/// Rule `impossible_year` — a year after the report's own year cited as something that happened.
///
/// The report's year is `CheckOptions.reportYear`, or else the latest year in its title (the first
/// non-empty line of the report, or its 第N篇 line, when it names a 总结/报告/述职/计划/要点/汇报/小结)
/// and in a closing date line (a short line such as 2023年12月20日 among the last three lines) —
/// whichever is later. A year after it is reported (存疑, once per report and year) unless its
/// sentence contains a word of intention (将, 计划, 拟, 力争, 争取, 预计, 确保, 目标, 规划, 打算, 明年,
/// 届时, 预期, 力求, 期望, 展望, 部署; 现将 does not count), or a time limit stands right beside it
/// (到/至2025年, 2025年前/底/以前), or it ends a period (2021-2024年度). A title or date line is
/// never reported.
enum YearRule {
    static let genres = ["总结", "报告", "述职", "计划", "要点", "汇报", "小结", "打算"]

    static func check(_ r: Report, options: CheckOptions) -> [Finding] {
        var out: [Finding] = []
        var docParas: [Int: [Int]] = [:]
        for (i, p) in r.paragraphs.enumerated() { docParas[p.document, default: []].append(i) }
        let yearsByPara = Dictionary(grouping: r.figures.filter { $0.kind == .year }, by: { $0.paragraph })
        var reportedAt: [String: Int] = [:]
        for doc in docParas.keys.sorted() {
            let paras = (docParas[doc] ?? []).filter { !r.paragraphs[$0].norm.allSatisfy { $0 == " " } }
            guard let title = paras.first else { continue }
            var limit: Int? = options.reportYear
            var skip: Set<Int> = options.reportYear == nil ? [title] : []
            if limit == nil {
                let titleText = String(r.paragraphs[title].norm)
                if genres.contains(where: { titleText.contains($0) }) {
                    limit = (yearsByPara[title] ?? []).compactMap { Int(Support.num($0)) }.max()
                }
                for p in paras.suffix(3) where r.paragraphs[p].norm.count <= 24 {
                    let t = String(r.paragraphs[p].norm)
                    guard t.contains("月"), t.contains("日"),
                          let y = (yearsByPara[p] ?? []).compactMap({ Int(Support.num($0)) }).max() else { continue }
                    limit = max(limit ?? y, y)
                    skip.insert(p)
                }
            }
            guard let reportYear = limit else { continue }
            for p in paras where !skip.contains(p) {
                for f in yearsByPara[p] ?? [] {
                    guard let y = Int(Support.num(f)), y > reportYear else { continue }
                    let sen = r.sentences[f.sentence]
                    // A period ending in a later year (2021-2024年度) is not an event in that year.
                    if f.start > 0, ["-", "至", "到"].contains(r.paragraphs[p].norm[f.start - 1]) { continue }
                    let whole = r.norm(p, sen.start, sen.end).replacingOccurrences(of: "现将", with: "")
                    if Words.containsAny(whole, Words.intention) { continue }
                    let near = r.norm(p, max(sen.start, f.start - 2), f.start) + r.norm(p, f.end, min(sen.end, f.end + 3))
                    if Words.containsAny(near, Words.timeLimit) { continue }
                    let key = "\(doc)|\(y)"
                    if let k = reportedAt[key] {
                        if !out[k].message.hasSuffix("另有出现。") { out[k].message += "同一年份在本报告另有出现。" }
                        continue
                    }
                    reportedAt[key] = out.count
                    out.append(Support.finding(r, at: f, kind: .impossibleYear, expected: "不晚于\(reportYear)年",
                                               found: "\(y)年", severity: .doubtful,
                                               computation: "\(y) > \(reportYear)",
                                               message: "本报告为\(reportYear)年的报告，此处所述\(y)年的事项晚于报告年份，且未见“将、计划”等表示打算的字样。"))
                }
            }
        }
        return out
    }
}
