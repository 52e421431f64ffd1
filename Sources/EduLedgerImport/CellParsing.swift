import EduLedgerCore
import Foundation

/// Parsers for the shapes values take in bureau spreadsheets. Each returns nil for a value it
/// cannot read; the caller words the message with the column and the value.
enum CellParsing {
    /// Trims ASCII and full-width blanks and no-break spaces, which Excel and WPS carry around.
    ///
    /// Called for every cell of every row: a value with no blank at either end (nearly all) is
    /// returned as it is, without a copy. The blanks are those of `CharacterSet.whitespacesAndNewlines`
    /// (Unicode White_Space) plus the byte order mark U+FEFF.
    static func trim(_ text: String) -> String {
        // First and last byte: a value neither of whose ends can belong to a blank is returned
        // at once, without decoding a scalar (most cells; Chinese text ends in other bytes).
        let bytes = text.utf8
        guard let firstByte = bytes.first, let lastByte = bytes.last else { return text }
        if !mayStartBlank(firstByte) && !mayEndBlank(lastByte) { return text }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        if !isBlank(first) && !isBlank(last) { return text }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end && isBlank(scalars[start]) { start = scalars.index(after: start) }
        while end > start && isBlank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }

    /// Whether a UTF-8 byte can be the first byte of a blank: an ASCII blank, or the lead byte of
    /// U+0085/U+00A0 (C2), U+1680 (E1), U+2000–U+205F (E2), U+3000 (E3), U+FEFF (EF).
    static func mayStartBlank(_ b: UInt8) -> Bool {
        switch b {
        case 0x09...0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3, 0xEF: return true
        default: return false
        }
    }

    /// Whether a UTF-8 byte can be the last byte of a blank: an ASCII blank, or the final byte of
    /// one of the multi-byte blanks of `isBlank` (80–8A, 9F, A0, A8, A9, AF, BF).
    static func mayEndBlank(_ b: UInt8) -> Bool {
        switch b {
        case 0x09...0x0D, 0x20, 0x80...0x8A, 0x9F, 0xA0, 0xA8, 0xA9, 0xAF, 0xBF: return true
        default: return false
        }
    }

    /// Unicode White_Space (what `CharacterSet.whitespacesAndNewlines` holds) and U+FEFF.
    static func isBlank(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return true
        default:
            return false
        }
    }

    /// Why a date text was refused: not a date shape at all, or a shape whose day does not exist.
    enum DateProblem: Equatable { case unreadable, nonexistent }

    /// `2015-09-01`, `2015/9/1`, `2015.9.1`, `2015年9月1日`, `20150901`, `2015-09-01 00:00:00`
    /// (an Excel date reaches us as ISO already).
    static func date(_ raw: String) -> Result<CivilDate, DateProblemError> {
        if let iso = isoDate(raw) { return iso }
        var text = trim(raw)
        if text.count > 10, let space = text.firstIndex(of: " ") {
            let time = text[text.index(after: space)...]
            if time.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":") }) { text = String(text[..<space]) }
        }
        var parts: [Int] = []
        if text.utf8.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text) {
            parts = [n / 10_000, n / 100 % 100, n % 100]
        } else {
            var t = text
            if t.hasSuffix("日") { t.removeLast() }
            let separators: Set<Character> = ["-", "/", ".", "年", "月"]
            let pieces = t.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
            guard pieces.count == 3, pieces.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } })
            else { return .failure(DateProblemError(kind: .unreadable)) }
            parts = pieces.compactMap { Int($0) }
            guard parts.count == 3, pieces[0].count == 4 else { return .failure(DateProblemError(kind: .unreadable)) }
        }
        guard let d = CivilDate(year: parts[0], month: parts[1], day: parts[2]) else {
            return .failure(DateProblemError(kind: .nonexistent))
        }
        guard (1900...2100).contains(d.year) else { return .failure(DateProblemError(kind: .nonexistent)) }
        return .success(d)
    }

    struct DateProblemError: Error, Equatable { var kind: DateProblem }

    /// The common shape `YYYY-MM-DD` read from its ten bytes, with the same answers `date` gives
    /// for it; nil for any other shape (then the general parser decides).
    private static func isoDate(_ text: String) -> Result<CivilDate, DateProblemError>? {
        let answer = text.utf8.withContiguousStorageIfAvailable { b -> Result<CivilDate, DateProblemError>? in
            guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var n = 0
                for i in range {
                    let d = b[i] &- 48
                    guard d <= 9 else { return nil }
                    n = n * 10 + Int(d)
                }
                return n
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            guard let d = CivilDate(year: year, month: month, day: day), (1900...2100).contains(d.year) else {
                return .failure(DateProblemError(kind: .nonexistent))
            }
            return .success(d)
        }
        return answer ?? nil
    }

    /// 是/否 in the spellings sheets use; nil when the text is neither.
    static func yesNo(_ raw: String) -> Bool? {
        // The two values nearly every cell holds, before the general spellings.
        if raw == "否" || raw.isEmpty { return false }
        if raw == "是" { return true }
        switch trim(raw).lowercased() {
        case "是", "有", "y", "yes", "true", "1", "√", "✓", "是的": return true
        case "否", "无", "n", "no", "false", "0", "", "×", "不是": return false
        default: return nil
        }
    }

    static func gender(_ raw: String) -> Gender? {
        let t = trim(raw)
        if t == "男" || t == "男性" { return .male }
        if t == "女" { return .female }
        if t == "女性" { return .female }
        return Gender(text: t)
    }

    /// `3`, `3班`, `(3)班`, `（3）班`, `七年级(3)班`, `03` → 3.
    static func classNumber(_ raw: String) -> Int? {
        // A plain 1 to 3 digit number (nearly every cell), read from its bytes: the same answer as below.
        if let n = plainClassNumber(raw) { return n }
        var t = trim(raw)
        if t.hasSuffix("班") { t.removeLast() }
        if t.hasSuffix(")") || t.hasSuffix("）") {
            t.removeLast()
            guard let open = t.lastIndex(where: { $0 == "(" || $0 == "（" }) else { return nil }
            t = String(t[t.index(after: open)...])
        }
        guard !t.isEmpty, t.count <= 3, t.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(t), n >= 1 else { return nil }
        return n
    }

    private static func plainClassNumber(_ raw: String) -> Int? {
        let bytes = raw.utf8
        guard (1...3).contains(bytes.count) else { return nil }
        var n = 0
        for b in bytes {
            let d = b &- 48
            guard d <= 9 else { return nil }
            n = n * 10 + Int(d)
        }
        return n >= 1 ? n : nil
    }

    /// A whole number in a number column; text such as "三十" or "12a" is refused.
    static func integer(_ raw: String) -> Int? {
        let t = trim(raw)
        if let n = Int(t) { return n }
        if t.hasSuffix(".0"), let n = Int(t.dropLast(2)) { return n }
        return nil
    }

    /// The 56 nationalities of the national standard (GB/T 3304), plus the two extra codes.
    static let ethnicities: Set<String> = [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族",
        "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族",
        "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
        "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
        "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "其他", "外国血统中国籍人士",
    ]

    /// `汉` → `汉族`; nil when no nationality matches.
    static func ethnicity(_ raw: String) -> String? {
        let t = trim(raw)
        if t.isEmpty { return "汉族" }
        if ethnicities.contains(t) { return t }
        if ethnicities.contains(t + "族") { return t + "族" }
        return nil
    }

    /// Splits a list typed into one cell: `语文、数学`, `语文,数学`, `语文，数学`, `语文/数学`.
    static func list(_ raw: String) -> [String] {
        trim(raw).split(whereSeparator: { "、,，/;；".contains($0) }).map { trim(String($0)) }.filter { !$0.isEmpty }
    }
}
