/// HTML escaping for the pages and the HTML reports: `< > & " '` become entities.
///
/// Almost every value on a page (names, dates, codes) has nothing to escape, so this scans the
/// UTF-8 bytes once and returns the string itself when none of the five occurs; otherwise it builds
/// the escaped copy. Character-by-character escaping through a dictionary (swift-mustache's own
/// HTML type) was the largest single cost of rendering the student page (BENCHMARKS.md, issue 4).
/// The characters replaced are exactly those of the template library's HTML type.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var needsEscaping = false
        for byte in text.utf8 where byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            needsEscaping = true
            break
        }
        guard needsEscaping else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
