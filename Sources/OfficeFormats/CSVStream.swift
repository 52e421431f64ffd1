import Foundation

/// Text encodings a Chinese office produces for CSV.
public enum CSVEncoding: String, Sendable, Hashable {
    case utf8
    /// GB18030, a superset of GBK and GB2312: what Chinese-locale Excel and WPS write for "CSV".
    case gb18030
}

/// Reads an RFC 4180 CSV file record by record, on bytes.
///
/// Splitting happens on bytes before decoding: in UTF-8 and in GB18030 the bytes of `,` `"` CR and LF
/// never occur inside a multi-byte character, so fields can be cut first and decoded one by one.
/// The encoding is decided by one streaming pass over the whole file: valid UTF-8 means UTF-8,
/// anything else is decoded as GB18030 (short GBK texts are often also valid UTF-8 by accident, so a
/// prefix is not enough to decide).
struct CSVStream: Sendable {
    let name: String
    let encoding: CSVEncoding
    let fileSize: UInt64
    private let handle: FileHandle
    private let delimiter: UInt8
    private var buffer: [UInt8] = []
    private var index = 0
    private var atEOF = false
    private(set) var consumed: UInt64 = 0
    private var record = 0

    static let chunkBytes = 1 << 20

    init(url: URL, delimiter: UInt8) throws(OfficeFormatError) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw OfficeFormatError(.fileNotFound, "无法打开文件“\(url.lastPathComponent)”，请检查读取权限。")
        }
        self.handle = handle
        self.delimiter = delimiter
        name = url.deletingPathExtension().lastPathComponent
        var validator = UTF8Validator()
        var total: UInt64 = 0
        while let data = try? handle.read(upToCount: CSVStream.chunkBytes), !data.isEmpty {
            total += UInt64(data.count)
            if validator.isValid { data.withUnsafeBytes { validator.feed($0) } }
        }
        fileSize = total
        encoding = validator.isValid && validator.isComplete ? .utf8 : .gb18030
        if encoding == .gb18030 && String(data: Data([0xD1, 0xA7]), encoding: CSVStream.gb18030) != "学" {
            throw OfficeFormatError(
                .undecodableText,
                "文件“\(url.lastPathComponent)”不是 UTF-8 编码，而本系统无法识别 GBK/GB18030 编码。请在 Excel/WPS 中另存为“CSV UTF-8”格式后再导入。"
            )
        }
        _ = try? handle.seek(toOffset: 0)
        fill()
        // Byte order marks: UTF-8 (EF BB BF) and GB18030 (84 31 95 33).
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
            index = 3
        } else if encoding == .gb18030 && buffer.starts(with: [0x84, 0x31, 0x95, 0x33]) {
            index = 4
        }
    }

    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)  // kCFStringEncodingGB_18030_2000

    func close() { try? handle.close() }

    private mutating func fill() {
        if index > 0 {
            consumed += UInt64(index)
            buffer.removeSubrange(..<index)
            index = 0
        }
        if let data = try? handle.read(upToCount: CSVStream.chunkBytes), !data.isEmpty {
            buffer.append(contentsOf: data)
        } else {
            atEOF = true
        }
    }

    var bytesRead: UInt64 { consumed + UInt64(index) }

    /// Next record as (row number, fields); nil at the end of the file.
    mutating func next() throws(OfficeFormatError) -> (Int, [String])? {
        if index >= buffer.count && !atEOF { fill() }
        if index >= buffer.count && atEOF { return nil }
        if let plain = try plainLine() { return plain }
        record += 1
        let row = record
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var inQuotes = false
        var fieldStart = true
        while true {
            if index >= buffer.count {
                if !atEOF { fill() }
                if index >= buffer.count {
                    // End of file ends the record.
                    if inQuotes {
                        throw OfficeFormatError(
                            .unterminatedQuote,
                            "文件“\(name)”第 \(row) 行：带引号的内容缺少结束引号（\"），从这一行起直到文件末尾都被当成了同一个单元格。请检查该行的引号。",
                            sheet: name, row: row
                        )
                    }
                    fields.append(try decode(field, row: row))
                    return (row, fields)
                }
            }
            let b = buffer[index]
            index += 1
            if inQuotes {
                if b == 34 {
                    if index >= buffer.count && !atEOF { fill() }
                    if index < buffer.count && buffer[index] == 34 {
                        field.append(34)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(b)
                }
                continue
            }
            if b == delimiter {
                fields.append(try decode(field, row: row))
                field.removeAll(keepingCapacity: true)
                quoted = false
                fieldStart = true
                continue
            }
            if b == 10 || b == 13 {
                if b == 13 {
                    if index >= buffer.count && !atEOF { fill() }
                    if index < buffer.count && buffer[index] == 10 { index += 1 }
                }
                fields.append(try decode(field, row: row))
                return (row, fields)
            }
            if b == 34 && fieldStart && !quoted {
                quoted = true
                inQuotes = true
                fieldStart = false
                continue
            }
            // A quote inside an unquoted field, or text after a closing quote, is kept as Excel keeps it.
            fieldStart = false
            field.append(b)
        }
    }

    /// The next record when it is a line without any quote that ends inside the buffer (nearly
    /// every line of a real file): its fields are cut where the delimiters are and decoded from the
    /// buffer in place, with the same result `next` gives byte by byte. Nil for any other line,
    /// which `next` then reads the general way.
    private mutating func plainLine() throws(OfficeFormatError) -> (Int, [String])? {
        let start = index
        let count = buffer.count
        let delimiter = self.delimiter
        let line = buffer.withUnsafeBufferPointer { b -> (end: Int, next: Int, cuts: [Int])? in
            var cuts: [Int] = []
            var i = start
            while i < count {
                let c = b[i]
                if c == 34 { return nil }
                if c == delimiter { cuts.append(i) } else if c == 10 { return (i, i + 1, cuts) } else if c == 13 {
                    // CR LF or a lone CR; a CR that is the buffer's last byte may be followed by LF in the next fill.
                    if i + 1 < count { return (i, b[i + 1] == 10 ? i + 2 : i + 1, cuts) }
                    return nil
                }
                i += 1
            }
            return nil
        }
        guard let line else { return nil }
        record += 1
        let row = record
        var fields: [String] = []
        fields.reserveCapacity(line.cuts.count + 1)
        var fieldStart = start
        for end in line.cuts {
            fields.append(try decode(from: fieldStart, to: end, row: row))
            fieldStart = end + 1
        }
        fields.append(try decode(from: fieldStart, to: line.end, row: row))
        index = line.next
        return (row, fields)
    }

    /// Decodes `buffer[from..<to]` without copying it first.
    private func decode(from: Int, to: Int, row: Int) throws(OfficeFormatError) -> String {
        if from == to { return "" }
        let asUTF8 = encoding == .utf8 || buffer[from..<to].allSatisfy { $0 < 0x80 }
        if asUTF8 {
            return buffer.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[from..<to]), as: UTF8.self) }
        }
        return try decode(Array(buffer[from..<to]), row: row)
    }

    private func decode(_ bytes: [UInt8], row: Int) throws(OfficeFormatError) -> String {
        if bytes.isEmpty { return "" }
        if encoding == .utf8 || bytes.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let text = String(data: Data(bytes), encoding: CSVStream.gb18030) else {
            throw OfficeFormatError(
                .undecodableText,
                "文件“\(name)”第 \(row) 行含有无法识别的文字编码（既不是 UTF-8，也不是 GBK/GB18030）。请在 Excel/WPS 中另存为“CSV UTF-8”格式后再导入。",
                sheet: name, row: row
            )
        }
        return text
    }
}

/// Incremental UTF-8 validation (rejects overlong forms, surrogates and values above U+10FFFF).
struct UTF8Validator {
    private(set) var isValid = true
    private var needed = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    var isComplete: Bool { needed == 0 }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes {
            if needed == 0 {
                if b < 0x80 { continue }
                switch b {
                case 0xC2...0xDF: needed = 1
                case 0xE0: needed = 2; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: needed = 2
                case 0xED: needed = 2; upper = 0x9F
                case 0xF0: needed = 3; lower = 0x90
                case 0xF1...0xF3: needed = 3
                case 0xF4: needed = 3; upper = 0x8F
                default: isValid = false; return
                }
            } else {
                guard b >= lower && b <= upper else { isValid = false; return }
                lower = 0x80
                upper = 0xBF
                needed -= 1
            }
        }
    }
}
