/// A byte-level reader for batches of `<row>` elements: the hot path of large sheets.
///
/// XMLParser costs about 20 µs per row on Linux (each element name and attribute dictionary becomes an
/// NSString and then a String), which makes a 150 000-row sheet take seconds. The rows of a worksheet use
/// a small, regular part of XML, so this scanner reads them directly from the bytes. It is strict: any
/// construct it does not expect (DOCTYPE, unknown entity, mismatched or unclosed tags, stray "<") makes
/// it decline the batch, which is then parsed by XMLParser, the reference, which also words the error.
struct FastRowScanner {
    let sheet: String
    let context: CellContext
    var rows: [RawRow] = []
    var previousRow: Int
    var failure: OfficeFormatError?
    /// Checked after every end tag; cheaper than testing the optional error each time.
    private var failed = false

    private var current: RawRow?
    private var cell = CellDraft()
    private var capture: Capture = .none
    private var phoneticDepth = 0
    private var inInline = false
    /// Open elements as (start, length) of their qualified names in the batch.
    private var open: [(Int, Int)] = []

    private enum Capture { case none, value, inline }
    private enum Tag { case row, c, v, f, inlineString, t, phonetic, other }

    init(sheet: String, context: CellContext, previousRow: Int) {
        self.sheet = sheet
        self.context = context
        self.previousRow = previousRow
    }

    /// Scans the batch; false when it must be given to XMLParser instead.
    mutating func scan(_ batch: [UInt8]) -> Bool {
        batch.withUnsafeBufferPointer { run($0) }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 13 || b == 9 }

    private static func tag(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Tag {
        var s = start
        var i = start
        while i < end {
            if p[i] == 58 { s = i + 1 }  // skip "prefix:"
            i += 1
        }
        switch end - s {
        case 1:
            switch p[s] {
            case 99: return .c  // c
            case 118: return .v  // v
            case 102: return .f  // f
            case 116: return .t  // t
            default: return .other
            }
        case 2:
            return p[s] == 105 && p[s + 1] == 115 ? .inlineString : .other  // is
        case 3:
            if p[s] == 114 && p[s + 1] == 111 && p[s + 2] == 119 { return .row }
            if p[s] == 114 && p[s + 1] == 80 && p[s + 2] == 104 { return .phonetic }  // rPh
            return .other
        default:
            return .other
        }
    }

    private static func find(_ p: UnsafeBufferPointer<UInt8>, _ pattern: StaticString, from: Int) -> Int? {
        let count = pattern.utf8CodeUnitCount
        let base = pattern.utf8Start
        var i = from
        while i + count <= p.count {
            var j = 0
            while j < count && p[i + j] == base[j] { j += 1 }
            if j == count { return i }
            i += 1
        }
        return nil
    }

    private static func int(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard start < end, end - start <= 9 else { return nil }
        var n = 0
        for i in start..<end {
            let b = p[i]
            guard b >= 48 && b <= 57 else { return nil }
            n = n * 10 + Int(b - 48)
        }
        return n
    }

    /// Text with the five XML entities and numeric character references decoded; nil for anything else.
    private static func text(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String? {
        let slice = UnsafeBufferPointer(rebasing: p[start..<end])
        guard slice.contains(38) else { return String(decoding: slice, as: UTF8.self) }  // no "&"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(end - start)
        var i = start
        while i < end {
            let b = p[i]
            guard b == 38 else { bytes.append(b); i += 1; continue }
            var semi = i + 1
            while semi < end && semi - i < 12 && p[semi] != 59 { semi += 1 }
            guard semi < end, p[semi] == 59 else { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: p[(i + 1)..<semi]), as: UTF8.self)
            switch name {
            case "amp": bytes.append(38)
            case "lt": bytes.append(60)
            case "gt": bytes.append(62)
            case "quot": bytes.append(34)
            case "apos": bytes.append(39)
            default:
                guard name.hasPrefix("#") else { return nil }
                let digits = name.dropFirst()
                let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let value, let scalar = Unicode.Scalar(value) else { return nil }
                bytes.append(contentsOf: String(Character(scalar)).utf8)
            }
            i = semi + 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private mutating func run(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = p.count
        var i = 0
        while i < n {
            if p[i] != 60 {  // text up to the next "<"
                var j = i
                while j < n && p[j] != 60 { j += 1 }
                if capture != .none {
                    guard let piece = FastRowScanner.text(p, i, j) else { return false }
                    append(piece)
                } else if open.isEmpty {
                    for k in i..<j where !FastRowScanner.isSpace(p[k]) { return false }
                }
                i = j
                continue
            }
            guard i + 1 < n else { return false }
            let next = p[i + 1]
            if next == 47 {  // end tag
                var j = i + 2
                while j < n && p[j] != 62 && !FastRowScanner.isSpace(p[j]) { j += 1 }
                let nameEnd = j
                while j < n && FastRowScanner.isSpace(p[j]) { j += 1 }
                guard j < n, p[j] == 62, let (start, length) = open.popLast(), length == nameEnd - (i + 2) else { return false }
                for k in 0..<length where p[start + k] != p[i + 2 + k] { return false }
                end(FastRowScanner.tag(p, i + 2, nameEnd))
                if failed { return true }
                i = j + 1
            } else if next == 63 {  // processing instruction
                guard let close = FastRowScanner.find(p, "?>", from: i + 2) else { return false }
                i = close + 2
            } else if next == 33 {
                if let close = FastRowScanner.find(p, "-->", from: i + 2), i + 3 < n, p[i + 2] == 45, p[i + 3] == 45 {
                    i = close + 3
                } else if i + 9 <= n, FastRowScanner.find(UnsafeBufferPointer(rebasing: p[i..<(i + 9)]), "<![CDATA[", from: 0) == 0 {
                    guard let close = FastRowScanner.find(p, "]]>", from: i + 9) else { return false }
                    if capture != .none { append(String(decoding: UnsafeBufferPointer(rebasing: p[(i + 9)..<close]), as: UTF8.self)) }
                    i = close + 3
                } else {
                    return false  // DOCTYPE or other declarations are not expected in a sheet
                }
            } else {  // start tag
                let nameStart = i + 1
                var j = nameStart
                while j < n && p[j] != 62 && p[j] != 47 && !FastRowScanner.isSpace(p[j]) { j += 1 }
                let nameEnd = j
                guard nameEnd > nameStart else { return false }
                let tag = FastRowScanner.tag(p, nameStart, nameEnd)
                var r: (Int, Int)?
                var t: (Int, Int)?
                var s: (Int, Int)?
                var selfClosing = false
                while true {  // attributes
                    while j < n && FastRowScanner.isSpace(p[j]) { j += 1 }
                    guard j < n else { return false }
                    if p[j] == 62 { j += 1; break }
                    if p[j] == 47 {
                        guard j + 1 < n, p[j + 1] == 62 else { return false }
                        selfClosing = true
                        j += 2
                        break
                    }
                    let attrStart = j
                    while j < n && p[j] != 61 && !FastRowScanner.isSpace(p[j]) && p[j] != 62 { j += 1 }
                    let attrEnd = j
                    while j < n && FastRowScanner.isSpace(p[j]) { j += 1 }
                    guard j < n, p[j] == 61 else { return false }
                    j += 1
                    while j < n && FastRowScanner.isSpace(p[j]) { j += 1 }
                    guard j < n, p[j] == 34 || p[j] == 39 else { return false }
                    let quote = p[j]
                    let valueStart = j + 1
                    j = valueStart
                    while j < n && p[j] != quote {
                        if p[j] == 60 { return false }
                        j += 1
                    }
                    guard j < n else { return false }
                    if attrEnd - attrStart == 1 {
                        switch p[attrStart] {
                        case 114: r = (valueStart, j)  // r
                        case 116: t = (valueStart, j)  // t
                        case 115: s = (valueStart, j)  // s
                        default: break
                        }
                    }
                    j += 1
                }
                start(tag, p, r: r, t: t, s: s)
                if selfClosing {
                    end(tag)
                    if failed { return true }
                } else {
                    open.append((nameStart, nameEnd - nameStart))
                }
                i = j
            }
        }
        return open.isEmpty
    }

    private mutating func append(_ piece: String) {
        switch capture {
        case .none: break
        case .value: cell.valueText += piece
        case .inline: cell.inlineText += piece
        }
    }

    private mutating func start(_ tag: Tag, _ p: UnsafeBufferPointer<UInt8>, r: (Int, Int)?, t: (Int, Int)?, s: (Int, Int)?) {
        switch tag {
        case .row:
            let number = r.flatMap { FastRowScanner.int(p, $0.0, $0.1) } ?? previousRow + 1
            current = RawRow(number: number, cells: [])
            cell.column = -1
        case .c:
            var column = cell.column + 1
            if let r, let parsed = CellReference.parse(String(decoding: UnsafeBufferPointer(rebasing: p[r.0..<r.1]), as: UTF8.self)) {
                column = parsed.column
            }
            var type = CellDraft.CellType.number
            if let t {
                let length = t.1 - t.0
                if length == 1 && p[t.0] == 115 {
                    type = .shared
                } else if length > 0 {
                    type = CellDraft.cellType(String(decoding: UnsafeBufferPointer(rebasing: p[t.0..<t.1]), as: UTF8.self))
                }
            }
            let style = s.flatMap { FastRowScanner.int(p, $0.0, $0.1) } ?? 0
            cell.start(column: column, type: type, style: style)
            inInline = false
        case .v:
            cell.hasValue = true
            capture = .value
        case .f:
            cell.hasFormula = true
        case .inlineString:
            inInline = true
        case .t:
            if inInline && phoneticDepth == 0 { capture = .inline }
        case .phonetic:
            phoneticDepth += 1
        case .other:
            break
        }
    }

    private mutating func end(_ tag: Tag) {
        switch tag {
        case .v:
            capture = .none
            if cell.type == .shared, let index = Int(cell.valueText) { cell.sharedIndex = index }
        case .t:
            capture = .none
        case .inlineString:
            inInline = false
        case .phonetic:
            phoneticDepth -= 1
        case .c:
            guard let row = current, cell.column >= 0, cell.column < CellReference.maxColumn else { return }
            switch cell.make(sheet: sheet, row: row.number, context: context) {
            case .success(let made):
                if let made { current?.cells.append((cell.column, made)) }
            case .failure(let error):
                failure = error
                failed = true
            }
        case .row:
            if let row = current {
                rows.append(row)
                previousRow = row.number
            }
            current = nil
        case .f, .other:
            break
        }
    }
}
