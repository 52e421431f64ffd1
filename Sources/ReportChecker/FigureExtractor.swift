import Foundation

/// Finds every figure in the normalised text: Arabic numbers with their unit (and the 万/亿
/// multipliers and 多/余 approximations around them), ratios such as 1:6.3, years such as 2023年,
/// and Chinese numerals that count something (三所学校). Dates (3月5日), ordinals (第3届), ranges
/// (9-10日) and numbers without a unit are not figures.
enum FigureExtractor {
    struct UnitSpec {
        var text: [Character]
        var kind: FigureKind
        var unit: String
        /// Base units per printed unit (10000 for 万元).
        var factor: Decimal
    }

    static let units: [UnitSpec] = {
        var list: [UnitSpec] = []
        func add(_ t: String, _ k: FigureKind, _ u: String? = nil, _ f: Decimal = 1) {
            list.append(UnitSpec(text: Array(t), kind: k, unit: u ?? t, factor: f))
        }
        add("亿元", .money, "亿元", 100_000_000); add("万元", .money, "万元", 10_000); add("千元", .money, "千元", 1000)
        add("元", .money)
        add("%", .rate); add("‰", .rate, "‰", Decimal(string: "0.1") ?? 0)
        add("个百分点", .percentagePoints, "个百分点"); add("百分点", .percentagePoints, "个百分点")
        add("平方米", .area, "平方米"); add("平米", .area, "平方米"); add("㎡", .area, "平方米")
        add("平方公里", .area, "平方公里", 1_000_000); add("公顷", .area, "公顷", 10_000); add("亩", .area)
        add("个教学班", .count, "班"); add("个班级", .count, "班"); add("个班", .count, "班")
        add("教学班", .count, "班"); add("班", .count)
        add("人次", .count); add("篇次", .count); add("课时", .other); add("学时", .other)
        for u in ["人", "名", "所", "个", "件", "次", "间", "篇", "条", "项", "期", "份", "起", "处", "本", "台", "套",
                  "家", "位", "门", "节", "届", "批", "场", "封", "户", "册", "座", "栋", "幢", "辆", "支", "校", "园"] {
            add(u, .count)
        }
        for u in ["字", "小时", "天", "公斤", "斤", "公里", "米", "岁", "分", "周", "年", "倍", "台次", "张"] {
            add(u, .other)
        }
        return list.sorted { $0.text.count > $1.text.count }
    }()

    /// Units a Chinese numeral may carry to count as a figure (三所, 两名, 十二个 …).
    static let chineseNumeralUnits: Set<String> = ["所", "名", "个", "人", "件", "次", "项", "位", "篇", "条", "批", "期", "届", "间", "班", "家", "处", "起", "校"]

    static let approxBefore: [[Character]] = ["大约", "将近", "接近", "超过", "不足", "不到", "低于", "高于", "至少", "最多", "不超过", "多于", "少于", "近", "约", "逾", "超"].map(Array.init)
    static let approxAfter: [[Character]] = ["以上", "以下", "以内", "左右", "之内"].map(Array.init)

    static func extract(from report: Report) -> [Located] {
        var out: [Located] = []
        var clauseHint = 0
        for (pi, p) in report.paragraphs.enumerated() {
            let c = p.norm
            let n = c.count
            var i = 0
            while i < n {
                let ch = c[i]
                if CharClass.isDigit(ch) {
                    let prev: Character? = i > 0 ? c[i - 1] : nil
                    if let prev, CharClass.isLatinLetter(prev) || prev == "." || prev == "_" {
                        i = skipNumber(c, i); continue
                    }
                    let (next, figure) = arabicFigure(c, i, prev: prev)
                    if var f = figure {
                        clauseHint = report.clauseIndex(paragraph: pi, offset: i, hint: clauseHint)
                        f.paragraph = pi
                        f.sentence = report.sentenceIndex(paragraph: pi, offset: i)
                        f.clause = clauseHint
                        finish(&f, report: report)
                        f.id = out.count
                        out.append(f)
                    }
                    i = max(next, i + 1)
                } else if CharClass.chineseDigits[ch] != nil || ch == "十" {
                    let prev: Character? = i > 0 ? c[i - 1] : nil
                    if let prev, CharClass.isChineseNumeral(prev) || prev == "第" || prev == "初" || prev == "周" || prev == "其" {
                        i += 1; continue
                    }
                    var j = i
                    while j < n, j < i + 6, CharClass.chineseDigits[c[j]] != nil || CharClass.chineseUnits[c[j]] != nil { j += 1 }
                    if let figure = chineseFigure(c, i, j) {
                        var f = figure
                        clauseHint = report.clauseIndex(paragraph: pi, offset: i, hint: clauseHint)
                        f.paragraph = pi
                        f.sentence = report.sentenceIndex(paragraph: pi, offset: i)
                        f.clause = clauseHint
                        finish(&f, report: report)
                        f.id = out.count
                        out.append(f)
                        i = max(f.end, i + 1)
                    } else {
                        i = j
                    }
                } else {
                    i += 1
                }
            }
        }
        return out
    }

    static func skipNumber(_ c: [Character], _ i: Int) -> Int {
        var j = i
        while j < c.count, CharClass.isDigit(c[j]) || c[j] == "." || CharClass.isLatinLetter(c[j]) { j += 1 }
        return max(j, i + 1)
    }

    /// Reads digits with optional thousands separators and decimals.
    static func readNumber(_ c: [Character], _ i: Int) -> (end: Int, intDigits: String, fraction: String)? {
        var j = i
        var intDigits = ""
        while j < c.count, CharClass.isDigit(c[j]) { intDigits.append(c[j]); j += 1 }
        // Thousands separators: 24,341 — a first group of 1–3 digits, then groups of exactly three.
        if intDigits.count <= 3 {
            while j < c.count, c[j] == "," {
                let groupEnd = j + 4
                guard groupEnd <= c.count else { break }
                let group = c[(j + 1)..<groupEnd]
                guard group.allSatisfy(CharClass.isDigit) else { break }
                if groupEnd < c.count, CharClass.isDigit(c[groupEnd]) { break }
                intDigits += String(group)
                j = groupEnd
            }
        }
        var fraction = ""
        if j + 1 < c.count, c[j] == ".", CharClass.isDigit(c[j + 1]) {
            j += 1
            while j < c.count, CharClass.isDigit(c[j]) { fraction.append(c[j]); j += 1 }
        }
        return (j, intDigits, fraction)
    }

    static func matches(_ c: [Character], _ at: Int, _ word: [Character]) -> Bool {
        guard at >= 0, at + word.count <= c.count else { return false }
        for k in 0..<word.count where c[at + k] != word[k] { return false }
        return true
    }

    static func endsWith(_ c: [Character], before: Int, _ word: [Character]) -> Bool {
        matches(c, before - word.count, word)
    }

    static func arabicFigure(_ c: [Character], _ i: Int, prev: Character?) -> (Int, Located?) {
        guard let num = readNumber(c, i) else { return (i + 1, nil) }
        let j = num.end
        let n = c.count
        // Ordinals, ranges, identifiers, dates.
        if prev == "第" { return (j, nil) }
        if prev == "-" && i >= 2 && CharClass.isDigit(c[i - 2]) { return (j, nil) }
        if j < n, CharClass.isLatinLetter(c[j]) || c[j] == "_" { return (skipNumber(c, j), nil) }
        if j + 1 < n, c[j] == "-" || c[j] == "/", CharClass.isDigit(c[j + 1]) { return (j, nil) }
        guard num.intDigits.count <= 15, num.fraction.count <= 8, !num.intDigits.isEmpty else { return (j, nil) }
        let numberText = num.fraction.isEmpty ? num.intDigits : num.intDigits + "." + num.fraction
        guard let value = Exact.parse(numberText) else { return (j, nil) }
        let decimals = num.fraction.count

        // Ratio 1:6.3 — only after 比 (生师比, 师生比 …) or when the first term is 1.
        if j + 1 < n, c[j] == ":", CharClass.isDigit(c[j + 1]) {
            let back = String(c[max(0, i - 6)..<i])
            if back.contains("比") || numberText == "1", let second = readNumber(c, j + 1),
               second.intDigits.count <= 15, second.fraction.count <= 8,
               let v2 = Exact.parse(second.fraction.isEmpty ? second.intDigits : second.intDigits + "." + second.fraction) {
                let text = String(c[i..<second.end])
                let fig = Figure(line: 0, offset: i, text: text, kind: .ratio, unit: "比", value: value, baseValue: value,
                                 resolution: Exact.pow10(-decimals), decimals: decimals, isApproximate: false, ratioSecond: v2,
                                 entity: "", following: "", sentence: "")
                return (second.end, Located(figure: fig, id: 0, paragraph: 0, sentence: 0, clause: 0, start: i, end: second.end))
            }
            return (j, nil)
        }
        // Year: 2023年 (four digits, 1900–2099).
        if j < n, c[j] == "年", decimals == 0, num.intDigits.count == 4, let y = Int(num.intDigits), (1900...2099).contains(y) {
            let fig = Figure(line: 0, offset: i, text: numberText + "年", kind: .year, unit: "年", value: value, baseValue: value,
                             resolution: 1, decimals: 0, isApproximate: false, ratioSecond: nil, entity: "", following: "", sentence: "")
            return (j + 1, Located(figure: fig, id: 0, paragraph: 0, sentence: 0, clause: 0, start: i, end: j + 1))
        }
        var k = j
        while k < n, c[k] == " " { k += 1 }
        var approx = false
        if k < n, c[k] == "多" || c[k] == "余" || c[k] == "来" { approx = true; k += 1 }
        var multiplier: Decimal = 1
        var multiplierChar: Character?
        if k < n, c[k] == "万" || c[k] == "亿" || c[k] == "千" {
            multiplierChar = c[k]
            multiplier = c[k] == "万" ? 10_000 : (c[k] == "亿" ? 100_000_000 : 1000)
            k += 1
            if k < n, c[k] == "多" || c[k] == "余" { approx = true; k += 1 }
        }
        guard let spec = units.first(where: { matches(c, k, $0.text) }) else { return (j, nil) }
        if spec.kind == .other && (spec.unit == "年" || spec.unit == "分") && multiplierChar == nil {
            // 3年 (a duration) and 600分 are not checked; keep them out entirely.
            return (k + spec.text.count, nil)
        }
        var unit = spec.unit
        var factor = spec.factor
        var shownValue = value
        if let m = multiplierChar {
            if spec.kind == .money && spec.unit == "元" {
                unit = m == "万" ? "万元" : (m == "亿" ? "亿元" : "千元")
                factor = multiplier
            } else if spec.kind == .money || spec.kind == .rate || spec.kind == .percentagePoints {
                return (k + spec.text.count, nil)
            } else {
                shownValue = value * multiplier
                factor = spec.factor
            }
        }
        var end = k + spec.text.count
        if let a = approxAfter.first(where: { matches(c, end, $0) }) {
            approx = true; end += a.count
        }
        for a in approxBefore where endsWith(c, before: i, a) { approx = true; break }
        var base = shownValue * factor
        var resolution = Exact.pow10(-decimals) * factor * (multiplierChar != nil && spec.kind != .money ? multiplier : 1)
        if spec.kind == .rate && spec.unit == "‰" { base = value / 10; resolution = Exact.pow10(-decimals) / 10 }
        let fig = Figure(line: 0, offset: i, text: String(c[i..<end]), kind: spec.kind, unit: unit, value: shownValue,
                         baseValue: base, resolution: resolution, decimals: decimals, isApproximate: approx,
                         ratioSecond: nil, entity: "", following: "", sentence: "")
        var loc = Located(figure: fig, id: 0, paragraph: 0, sentence: 0, clause: 0, start: i, end: end)
        loc.multiplier = multiplier
        return (end, loc)
    }

    static func chineseFigure(_ c: [Character], _ i: Int, _ j: Int) -> Located? {
        let run = c[i..<j]
        guard run.count >= 1, !(run.count == 1 && run.first == "一") else { return nil }
        guard let v = CharClass.chineseValue(run), v > 0 else { return nil }
        var k = j
        var unit: String?
        var kind = FigureKind.count
        if matches(c, k, Array("个百分点")) { unit = "个百分点"; kind = .percentagePoints; k += 4 }
        else if matches(c, k, Array("个班")) { unit = "班"; k += 2 }
        else if k < c.count, chineseNumeralUnits.contains(String(c[k])) { unit = String(c[k]); k += 1 }
        guard let u = unit else { return nil }
        // 三所 followed by 中/小 is usually a school's name fragment only when the numeral itself is; keep.
        let value = Decimal(v)
        let fig = Figure(line: 0, offset: i, text: String(c[i..<k]), kind: kind, unit: u, value: value, baseValue: value,
                         resolution: 1, decimals: 0, isApproximate: false, ratioSecond: nil, entity: "", following: "", sentence: "")
        var loc = Located(figure: fig, id: 0, paragraph: 0, sentence: 0, clause: 0, start: i, end: k)
        loc.isChineseNumeral = true
        return loc
    }

    /// Fills line, entity words, following words and the sentence.
    static func finish(_ f: inout Located, report: Report) {
        let p = report.paragraphs[f.paragraph]
        f.figure.line = p.line
        let c = p.norm
        var b = f.start - 1
        while b >= 0, c[b] == " " { b -= 1 }
        var words: [Character] = []
        while b >= 0, CharClass.isCJK(c[b]), words.count < 16 {
            // 2010年全区… : the 年 belongs to the year before it, not to the label.
            if ["年", "月", "日"].contains(c[b]), b > 0, CharClass.isDigit(c[b - 1]) { break }
            words.append(c[b]); b -= 1
        }
        var entity = Array(words.reversed())
        // Drop an approximation word that belongs to the figure (近4000万元).
        for a in approxBefore where entity.count >= a.count && Array(entity.suffix(a.count)) == a {
            entity.removeLast(a.count); break
        }
        f.figure.entity = String(entity)
        var e = f.end
        var after: [Character] = []
        while e < c.count, CharClass.isCJK(c[e]), after.count < 10 { after.append(c[e]); e += 1 }
        f.figure.following = String(after)
        f.figure.sentence = report.sentenceText(f.sentence)
    }
}
