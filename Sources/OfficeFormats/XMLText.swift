/// Escaping for the XML we write ourselves. Characters XML 1.0 forbids (most C0 controls) are dropped:
/// a stray control character pasted from another system must not make the whole file unreadable.
enum XMLText {
    static func escaped(_ text: String, attribute: Bool = false) -> String {
        var needsWork = false
        for u in text.utf8 where u < 0x20 || u == 38 || u == 60 || u == 62 || u == 34 || u == 39 {
            needsWork = true
            break
        }
        if !needsWork { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += attribute ? "&quot;" : "\""
            case "'": out += attribute ? "&apos;" : "'"
            case "\t", "\n", "\r":
                if attribute {
                    out += "&#\(scalar.value);"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether a text needs `xml:space="preserve"` to keep leading/trailing blanks or line breaks.
    static func needsPreserve(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        return first == " " || last == " " || first == "\t" || last == "\t" || text.utf8.contains(10)
    }

    /// Local name as a String; the common unprefixed case returns the name itself, which keeps the
    /// per-element comparisons of a large sheet on the fast path for small strings.
    static func plainName(_ qName: String) -> String {
        qName.utf8.contains(58) ? String(localName(qName)) : qName
    }

    /// Local part of a qualified element name: "x:row" → "row".
    static func localName(_ qName: String) -> Substring {
        let utf8 = qName.utf8
        if let colon = utf8.firstIndex(of: 58) {
            return qName[utf8.index(after: colon)...]
        }
        return qName[...]
    }
}
