import Foundation

/// Writes RFC 4180 CSV row by row (CRLF line ends), for "export this list". UTF-8 with a byte order mark by default,
/// because Chinese-locale Excel reads a BOM-less UTF-8 CSV as GBK and shows mojibake.
///
/// Text that Excel would run as a formula when the file is opened (starting with "=", "+", "@", or "-"
/// not followed by a digit) is prefixed with an apostrophe unless `protectFormulas` is false: an exported
/// list must not execute what someone typed into a name field.
public struct CSVWriter: ~Copyable, Sendable {
    public let url: URL
    private var writer: BufferedFileWriter
    private let protectFormulas: Bool
    private let separator: String
    private var finished = false

    public init(url: URL, byteOrderMark: Bool = true, protectFormulas: Bool = true, separator: Character = ",") throws(OfficeFormatError) {
        var file = try BufferedFileWriter(url: url)
        if byteOrderMark { try file.write("\u{FEFF}") }
        self.url = url
        writer = file
        self.protectFormulas = protectFormulas
        self.separator = String(separator)
    }

    /// An unfinished export is removed rather than left half-written.
    deinit {
        writer.abandon()
        if !finished { try? FileManager.default.removeItem(at: url) }
    }

    public mutating func writeRow(_ values: [String]) throws(OfficeFormatError) {
        var line = ""
        for (index, value) in values.enumerated() {
            if index > 0 { line += separator }
            line += field(value)
        }
        try writer.write(line + "\r\n")
    }

    /// Flushes and closes the file.
    public consuming func finish() throws(OfficeFormatError) {
        try writer.close()
        finished = true
    }

    private func field(_ raw: String) -> String {
        var value = raw
        if protectFormulas, let first = value.unicodeScalars.first {
            let second = value.unicodeScalars.dropFirst().first
            let risky = first == "=" || first == "+" || first == "@"
                || (first == "-" && !(second.map { $0.properties.numericType != nil || $0 == "." } ?? false) && value.count > 1)
            if risky { value = "'" + value }
        }
        let needsQuotes = value.utf8.contains { $0 == 34 || $0 == 10 || $0 == 13 } || value.contains(separator)
            || value.hasPrefix(" ") || value.hasSuffix(" ")
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
