import Foundation

/// A report cut into paragraphs, sentences and clauses, with its figures. Built once per check
/// and shared by every rule.
struct Sentence: Sendable {
    var index: Int          // global index
    var paragraph: Int      // index into Report.paragraphs
    var start: Int          // character range in the paragraph
    var end: Int
}

struct Paragraph: Sendable {
    var line: Int           // 1-based
    var original: [Character]
    var norm: [Character]
    var document: Int       // index of the document (a compilation holds several 第N篇)
    var sentences: [Int] = []   // global sentence indices
}

/// A figure plus internal positions used by the rules.
struct Located: Sendable {
    var figure: Figure
    var id: Int
    var paragraph: Int
    var sentence: Int
    var clause: Int         // global clause index
    var start: Int          // character offsets in the paragraph
    var end: Int
    var multiplier: Decimal = 1
    var isChineseNumeral: Bool = false

    var kind: FigureKind { figure.kind }
    /// Unit class within a kind: persons (人/名) are one class; money in any unit is one class.
    var unitClass: String {
        switch figure.kind {
        case .money: return "元"
        case .count: return (figure.unit == "人" || figure.unit == "名") ? "人" : figure.unit
        case .rate: return figure.unit
        default: return figure.unit
        }
    }
}

struct Report: Sendable {
    var paragraphs: [Paragraph]
    var sentences: [Sentence]
    /// Clause boundaries: for each global clause index, (paragraph, start, end).
    var clauses: [(paragraph: Int, start: Int, end: Int)]
    var figures: [Located]
    var documentCount: Int
    private var bySentence: [Int: [Located]] = [:]

    init(paragraphs texts: [String]) {
        var paras: [Paragraph] = []
        var sents: [Sentence] = []
        var clauseList: [(paragraph: Int, start: Int, end: Int)] = []
        var document = 0
        for (i, text) in texts.enumerated() {
            let orig = Array(text)
            let norm = Normalizer.normalize(orig)
            if Report.startsNewDocument(norm) && i > 0 { document += 1 }
            var p = Paragraph(line: i + 1, original: orig, norm: norm, document: document)
            // Sentences and clauses.
            var start = 0
            var clauseStart = 0
            var k = 0
            while k < norm.count {
                let c = norm[k]
                if CharClass.clauseEnd.contains(c) {
                    clauseList.append((paragraph: i, start: clauseStart, end: k + 1))
                    clauseStart = k + 1
                }
                if CharClass.sentenceEnd.contains(c) {
                    // Keep closing quotes with the sentence.
                    var e = k + 1
                    while e < norm.count, ["”", "’", "\"", ")"].contains(norm[e]) { e += 1 }
                    sents.append(Sentence(index: sents.count, paragraph: i, start: start, end: e))
                    p.sentences.append(sents.count - 1)
                    if e > k + 1 {
                        clauseList.append((paragraph: i, start: clauseStart, end: e))
                        clauseStart = e
                    }
                    start = e
                    k = e
                    continue
                }
                k += 1
            }
            if start < norm.count {
                sents.append(Sentence(index: sents.count, paragraph: i, start: start, end: norm.count))
                p.sentences.append(sents.count - 1)
            }
            if clauseStart < norm.count { clauseList.append((paragraph: i, start: clauseStart, end: norm.count)) }
            paras.append(p)
        }
        self.paragraphs = paras
        self.sentences = sents
        self.clauses = clauseList
        self.documentCount = document + 1
        self.figures = []
        self.figures = FigureExtractor.extract(from: self)
        self.bySentence = Dictionary(grouping: figures, by: { $0.sentence })
    }

    /// A line such as "第3篇 …" starts a new report inside a compilation: numbering restarts and
    /// figures are not compared across it.
    static func startsNewDocument(_ norm: [Character]) -> Bool {
        var i = 0
        while i < norm.count, norm[i] == " " { i += 1 }
        guard i < norm.count, norm[i] == "第" else { return false }
        var j = i + 1
        while j < norm.count, j < i + 5, CharClass.isDigit(norm[j]) || CharClass.isChineseNumeral(norm[j]) { j += 1 }
        return j > i + 1 && j < norm.count && norm[j] == "篇"
    }

    func sentenceText(_ s: Int) -> String {
        let sen = sentences[s]
        let p = paragraphs[sen.paragraph]
        return String(p.original[sen.start..<min(sen.end, p.original.count)]).trimmingSpaces()
    }

    func sentenceNorm(_ s: Int) -> ArraySlice<Character> {
        let sen = sentences[s]
        return paragraphs[sen.paragraph].norm[sen.start..<sen.end]
    }

    func sentenceIndex(paragraph: Int, offset: Int) -> Int {
        for s in paragraphs[paragraph].sentences {
            let sen = sentences[s]
            if offset >= sen.start && offset < sen.end { return s }
        }
        return paragraphs[paragraph].sentences.last ?? 0
    }

    func clauseIndex(paragraph: Int, offset: Int, hint: Int) -> Int {
        var c = max(0, hint)
        while c < clauses.count {
            let cl = clauses[c]
            if cl.paragraph == paragraph && offset >= cl.start && offset < cl.end { return c }
            if cl.paragraph > paragraph { break }
            c += 1
        }
        return max(0, min(hint, clauses.count - 1))
    }

    /// Figures of one sentence, in order.
    func figures(inSentence s: Int) -> [Located] {
        bySentence[s] ?? []
    }

    /// Normalised text of a paragraph between two offsets.
    func norm(_ paragraph: Int, _ from: Int, _ to: Int) -> String {
        let p = paragraphs[paragraph].norm
        let a = max(0, min(from, p.count)), b = max(a, min(to, p.count))
        return String(p[a..<b])
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\u{3000}" || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\u{3000}" || l == "\t" { s.removeLast() }
        return String(s)
    }

    /// Shortens a long sentence around the figure so findings stay readable.
    func quoteAround(offsetInSentence: Int, limit: Int = 160) -> String {
        let chars = Array(self)
        guard chars.count > limit else { return self }
        let half = limit / 2
        let start = max(0, min(offsetInSentence - half, chars.count - limit))
        let end = min(chars.count, start + limit)
        return (start > 0 ? "…" : "") + String(chars[start..<end]) + (end < chars.count ? "…" : "")
    }
}
