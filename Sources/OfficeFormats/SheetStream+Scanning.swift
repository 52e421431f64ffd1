import Foundation

/// The byte-level part of reading a worksheet: finding tags, the root element, the end of the last
/// whole `<row>` and of `<sheetData>` in raw bytes, so the sheet can be cut into batches that
/// XMLParser parses one at a time (see `SheetStream`).
extension SheetStream {
    static func read(_ handle: FileHandle, at offset: UInt64, count: Int) -> [UInt8] {
        guard count > 0, (try? handle.seek(toOffset: offset)) != nil,
              let data = try? handle.read(upToCount: count) else { return [] }
        return [UInt8](data)
    }

    static func isNameByte(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 || b == 45 || b == 46 || b >= 0x80
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 }

    /// Index of the `>` that ends the tag starting at `start` (quotes respected).
    static func tagEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var quote: UInt8 = 0
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == 34 || b == 39 {
                quote = b
            } else if b == 62 {
                return i
            }
            i += 1
        }
        return nil
    }

    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var i = start
        let last = bytes.count - pattern.count
        while i <= last {
            if bytes[i] == first {
                var j = 1
                while j < pattern.count && bytes[i + j] == pattern[j] { j += 1 }
                if j == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Start of the root element: (index of "<", index of its ">").
    static func rootElement(_ bytes: [UInt8]) -> (start: Int, end: Int)? {
        var i = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
        while i < bytes.count {
            let b = bytes[i]
            if isSpace(b) { i += 1; continue }
            guard b == 60, i + 1 < bytes.count else { return nil }
            let next = bytes[i + 1]
            if next == 63 {  // <? ... ?>
                guard let end = find(Array("?>".utf8), in: bytes, from: i + 2) else { return nil }
                i = end + 2
            } else if next == 33 {  // <!-- ... --> ; a DOCTYPE is not allowed in OOXML
                guard i + 3 < bytes.count, bytes[i + 2] == 45, bytes[i + 3] == 45,
                      let end = find(Array("-->".utf8), in: bytes, from: i + 4) else { return nil }
                i = end + 3
            } else {
                guard let end = tagEnd(bytes, from: i + 1) else { return nil }
                return (i, end)
            }
        }
        return nil
    }

    /// Root start tag, root name, index after the <sheetData> start tag, and whether it was `<sheetData/>`.
    static func parseHead(_ bytes: [UInt8]) -> (rootStart: [UInt8], rootName: [UInt8], regionStart: Int, selfClosing: Bool)? {
        guard let root = rootElement(bytes) else { return nil }
        var nameEnd = root.start + 1
        while nameEnd < root.end && isNameByte(bytes[nameEnd]) || (nameEnd < root.end && bytes[nameEnd] == 58) { nameEnd += 1 }
        let rootName = Array(bytes[(root.start + 1)..<nameEnd])
        guard bytes[root.end - 1] != 47 else { return nil }  // <worksheet/>: no sheetData
        let pattern = Array("sheetData".utf8)
        var from = root.end + 1
        while let hit = find(pattern, in: bytes, from: from) {
            from = hit + 1
            let after = hit + pattern.count
            guard after < bytes.count, !isNameByte(bytes[after]) else { continue }
            guard isTagOpen(bytes, nameStart: hit, closing: false) else { continue }
            guard let end = tagEnd(bytes, from: after) else { return nil }
            return (Array(bytes[root.start...root.end]), rootName, end + 1, bytes[end - 1] == 47)
        }
        return nil
    }

    /// Whether the name at `nameStart` directly follows "<" (or "</" when closing), with an optional prefix.
    static func isTagOpen(_ bytes: [UInt8], nameStart: Int, closing: Bool) -> Bool {
        var i = nameStart - 1
        guard i >= 0 else { return false }
        if bytes[i] == 58 {  // prefix:
            i -= 1
            while i >= 0 && isNameByte(bytes[i]) { i -= 1 }
            guard i >= 0 else { return false }
        }
        if closing {
            return i >= 1 && bytes[i] == 47 && bytes[i - 1] == 60
        }
        return bytes[i] == 60
    }

    /// Cut point after the last complete `</row>` in the buffer.
    static func lastRowEnd(_ bytes: [UInt8]) -> Int? {
        var i = bytes.count - 4
        while i >= 2 {
            if bytes[i] == 114 && bytes[i + 1] == 111 && bytes[i + 2] == 119 && bytes[i + 3] == 62 {  // "row>"
                if isTagOpen(bytes, nameStart: i, closing: true) { return i + 4 }
            }
            i -= 1
        }
        return nil
    }

    /// Position of "<" of `</sheetData>` and the index just after it, searching backwards from the end.
    static func findSheetDataEnd(_ handle: FileHandle, size: UInt64, notBefore: UInt64) -> (start: UInt64, afterEnd: UInt64)? {
        let pattern = Array("sheetData".utf8)
        var end = size
        let window: UInt64 = 256 << 10
        while end > notBefore {
            let start = end > notBefore + window ? end - window : notBefore
            let overlap: UInt64 = 64
            let readEnd = min(size, end + overlap)
            let bytes = read(handle, at: start, count: Int(readEnd - start))
            var i = bytes.count - pattern.count
            while i >= 0 {
                if bytes[i] == 115, Array(bytes[i..<(i + pattern.count)]) == pattern,
                   isTagOpen(bytes, nameStart: i, closing: true) {
                    var lt = i - 1
                    while lt >= 0 && bytes[lt] != 60 { lt -= 1 }
                    if let gt = tagEnd(bytes, from: i) {
                        return (start + UInt64(lt), start + UInt64(gt + 1))
                    }
                }
                i -= 1
            }
            end = start
        }
        return nil
    }
}
