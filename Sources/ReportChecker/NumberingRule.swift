/// Rule `numbering_gap` — gaps, repeats and reversals in a report's numbering.
///
/// Headings are recognised at the start of a paragraph: level 1 一、二、…; level 2 （一）（二）…;
/// level 3 1、2、 or 1. 2.; level 4 （1）（2）. A heading resets the numbering of every lower level;
/// a 第N篇/第N部分/第N章 line resets all levels. Within the text under a heading, inline lists
/// 一是…二是…三是 (the marker at the start of a clause) form one more level, started by 一是.
/// Expected: each number is the previous one plus one, or a restart at 1 (一是/1、). A number
/// equal to the previous one is a repeat, a larger jump a gap, a smaller non-1 number a reversal.
/// The first number seen at a level is not judged (an excerpt may begin anywhere). All 存疑.
enum NumberingRule {
    struct Heading { var level: Int; var number: Int; var offset: Int; var label: String }

    static func heading(_ c: [Character]) -> Heading? {
        var i = 0
        while i < c.count, c[i] == " " { i += 1 }
        guard i < c.count else { return nil }
        if c[i] == "第" {
            var j = i + 1
            while j < c.count, j < i + 5, CharClass.isDigit(c[j]) || CharClass.isChineseNumeral(c[j]) { j += 1 }
            if j > i + 1, j < c.count, ["篇", "部", "章", "编"].contains(c[j]) {
                return Heading(level: 0, number: 0, offset: i, label: "")
            }
            return nil
        }
        if c[i] == "(" {
            var j = i + 1
            while j < c.count, j < i + 5, CharClass.isDigit(c[j]) { j += 1 }
            if j > i + 1, j < c.count, c[j] == ")", let n = Int(String(c[(i + 1)..<j])) {
                return Heading(level: 4, number: n, offset: i, label: String(c[i...j]))
            }
            j = i + 1
            while j < c.count, j < i + 5, CharClass.chineseDigits[c[j]] != nil || CharClass.chineseUnits[c[j]] != nil { j += 1 }
            if j > i + 1, j < c.count, c[j] == ")", let n = CharClass.chineseValue(c[(i + 1)..<j]) {
                return Heading(level: 2, number: n, offset: i, label: String(c[i...j]))
            }
            return nil
        }
        if CharClass.isDigit(c[i]) {
            var j = i
            while j < c.count, j < i + 3, CharClass.isDigit(c[j]) { j += 1 }
            guard j < c.count, j - i <= 2, let n = Int(String(c[i..<j])) else { return nil }
            if c[j] == "、" || (c[j] == "." && j + 1 < c.count && CharClass.isCJK(c[j + 1])) {
                return Heading(level: 3, number: n, offset: i, label: String(c[i...j]))
            }
            return nil
        }
        var j = i
        while j < c.count, j < i + 4, CharClass.chineseDigits[c[j]] != nil || CharClass.chineseUnits[c[j]] != nil { j += 1 }
        if j > i, j < c.count, c[j] == "、", let n = CharClass.chineseValue(c[i..<j]) {
            return Heading(level: 1, number: n, offset: i, label: String(c[i...j]))
        }
        return nil
    }

    static let clauseStarts: Set<Character> = ["。", ";", "，", ",", ":", "！", "？", "!", "?", " ", ")", "”"]

    static func check(_ r: Report) -> [Finding] {
        var out: [Finding] = []
        var last: [Int: Int] = [:]   // level → last number (level 5 = 一是…)
        var document = -1
        for (pi, p) in r.paragraphs.enumerated() {
            if p.document != document { last = [:]; document = p.document }
            if let h = heading(p.norm) {
                if h.level == 0 {
                    last = [:]
                } else {
                    if let f = judge(r, pi, previous: last[h.level], current: h.number, offset: h.offset,
                                     show: { label(level: h.level, $0) }) { out.append(f) }
                    last[h.level] = h.number
                    for l in (h.level + 1)...5 { last[l] = nil }
                }
            }
            // 一是 … 二是 … inline.
            let c = p.norm
            var k = 0
            while k + 1 < c.count {
                if c[k + 1] == "是", let n = CharClass.chineseDigits[c[k]], n > 0,
                   k == 0 || clauseStarts.contains(c[k - 1]) {
                    if n == 1 {
                        last[5] = 1
                    } else if let prev = last[5] {
                        if let f = judge(r, pi, previous: prev, current: n, offset: k, show: { label(level: 5, $0) }) { out.append(f) }
                        last[5] = n
                    }
                }
                k += 1
            }
        }
        return out
    }

    static let chineseNames = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    static func chinese(_ n: Int) -> String {
        if n >= 0 && n <= 10 { return chineseNames[n] }
        if n < 20 { return "十" + chineseNames[n - 10] }
        if n < 100 { return chineseNames[n / 10] + "十" + (n % 10 == 0 ? "" : chineseNames[n % 10]) }
        return String(n)
    }

    static func label(level: Int, _ n: Int) -> String {
        switch level {
        case 1: return chinese(n) + "、"
        case 2: return "（" + chinese(n) + "）"
        case 3: return "\(n)、"
        case 4: return "（\(n)）"
        default: return chinese(n) + "是"
        }
    }

    static func judge(_ r: Report, _ pi: Int, previous: Int?, current: Int, offset: Int, show: (Int) -> String) -> Finding? {
        guard let prev = previous else { return nil }
        if current == prev + 1 || current == 1 { return nil }
        let p = r.paragraphs[pi]
        let s = r.sentenceIndex(paragraph: pi, offset: offset)
        let sen = r.sentences[s]
        let quote = r.sentenceText(s).quoteAround(offsetInSentence: max(0, offset - sen.start), limit: 80)
        let what: String
        if current == prev { what = "编号\(show(current))重复" }
        else if current > prev { what = "\(show(prev))之后是\(show(current))，缺少\(((prev + 1)..<current).map(show).joined(separator: "、"))" }
        else { what = "\(show(prev))之后是\(show(current))，顺序颠倒" }
        return Finding(line: p.line, quote: quote, kind: .numberingGap, expected: show(prev + 1), found: show(current),
                       severity: .doubtful, computation: "\(show(prev)) → \(show(current))", message: what + "。", offset: offset)
    }
}
