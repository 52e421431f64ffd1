import Mustache

/// HTML escaping for every `{{ }}` in the templates.
///
/// swift-mustache's built-in HTML content type escapes character by character through a
/// dictionary lookup, which was the largest single cost of rendering the student page
/// (BENCHMARKS.md, issue 4). Almost every value on a page (names, dates, codes) has nothing to
/// escape, so this scans the UTF-8 bytes once and returns the string itself when none of
/// `< > & " '` occurs; otherwise it builds the escaped copy. The characters replaced are exactly
/// those of the library's own HTML type, so the output is the same.
enum HTMLText {
    static func escape(_ text: String) -> String {
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

/// The content type every template is parsed with (see `Views.load`).
struct FastHTMLContentType: MustacheContentType {
    static let name = "EDULEDGER_HTML"
    func escapeText(_ text: String) -> String { HTMLText.escape(text) }
}
