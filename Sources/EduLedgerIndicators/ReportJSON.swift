import Foundation

/// The report as JSON, written by hand: the same bytes `JSONEncoder` produces with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` (keys in byte order, `" : "`,
/// two-space indents, whole numbers without `.0`), at a fraction of the cost.
///
/// Why: all indicators at all levels for five years is ≈ 49 000 values and 14 MB of JSON;
/// `JSONEncoder` builds a tree of boxed values first and took as long as computing the figures.
/// Here each value goes straight to bytes, handed over in chunks so the whole text need not be
/// kept. The output is deterministic: the order is the report's, keys are written sorted.
extension IndicatorReport {
    /// Calls `sink` with consecutive pieces of the JSON text (about `chunkSize` bytes each).
    public func writeJSON(chunkSize: Int = 1 << 20, to sink: ([UInt8]) throws -> Void) rethrows {
        var w = JSONBytes(chunkSize: chunkSize)
        try w.object { w in
            try w.key("definitions") { w in try w.array(definitions, sink) { w, d in w.definition(d) } }
            try w.key("units") { w in try w.array(units, sink) { w, u in w.unit(u) } }
            try w.key("values") { w in try w.valueArray(values, sink) }
            try w.key("years") { w in try w.array(years, sink) { w, y in w.int(y) } }
        }
        try sink(w.out)
    }

    /// The whole JSON text.
    public func jsonBytes() -> [UInt8] {
        var all: [UInt8] = []
        writeJSON { all.append(contentsOf: $0) }
        return all
    }
}

private struct JSONBytes {
    var out: [UInt8] = []
    var indent = 0
    let chunkSize: Int
    /// Whether the next key or element is the first of its container.
    var first = true

    init(chunkSize: Int) {
        self.chunkSize = max(1, chunkSize)
        out.reserveCapacity(self.chunkSize + 4096)
    }

    mutating func flush(_ sink: ([UInt8]) throws -> Void) rethrows {
        guard out.count >= chunkSize else { return }
        try sink(out)
        out.removeAll(keepingCapacity: true)
    }

    mutating func newlineIndent() {
        out.append(0x0A)
        for _ in 0..<indent { out.append(0x20); out.append(0x20) }
    }

    mutating func object(_ body: (inout JSONBytes) throws -> Void) rethrows {
        out.append(UInt8(ascii: "{"))
        indent += 1
        let outer = first
        first = true
        try body(&self)
        indent -= 1
        if first { out.append(0x0A) }  // an empty object is "{\n" + "\n}" in JSONEncoder's layout
        newlineIndent()
        out.append(UInt8(ascii: "}"))
        first = outer
    }

    mutating func key(_ name: StaticString, _ value: (inout JSONBytes) throws -> Void) rethrows {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        newlineIndent()
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: [0x22, 0x20, 0x3A, 0x20])  // `" : `
        try value(&self)
    }

    /// A list; when it `flushes`, the text so far goes to `sink` after each element once it
    /// reaches the chunk size (only the top-level lists do: a nested list has no sink of its own).
    mutating func array<S: Sequence>(_ items: S, _ sink: ([UInt8]) throws -> Void, flushes: Bool = true,
                                     _ element: (inout JSONBytes, S.Element) throws -> Void) rethrows {
        out.append(UInt8(ascii: "["))
        indent += 1
        var none = true
        for item in items {
            if !none { out.append(UInt8(ascii: ",")) }
            none = false
            newlineIndent()
            try element(&self, item)
            if flushes { try flush(sink) }
        }
        indent -= 1
        if none { out.append(0x0A) }
        newlineIndent()
        out.append(UInt8(ascii: "]"))
    }

    /// The values list, the same bytes as `array(values, sink) { $0.value($1) }`: at city scale
    /// (a million values, 340 MB) formatted a few thousand values per piece on every core, the
    /// pieces of a round handed to `sink` in order, so the text stays in list order and only a
    /// round's pieces are held at a time.
    mutating func valueArray(_ values: [IndicatorValue], _ sink: ([UInt8]) throws -> Void) rethrows {
        let piece = 4096
        guard values.count > 2 * piece else {
            try array(values, sink) { w, v in w.value(v) }
            return
        }
        out.append(UInt8(ascii: "["))
        indent += 1
        let depth = indent
        let pieces = (values.count + piece - 1) / piece
        let perRound = 8
        var round = 0
        while round * perRound < pieces {
            let firstPiece = round * perRound
            let count = min(perRound, pieces - firstPiece)
            let texts = ParallelSlots<[UInt8]>(count: count)
            DispatchQueue.concurrentPerform(iterations: count) { k in
                let lo = (firstPiece + k) * piece, hi = min(values.count, lo + piece)
                var w = JSONBytes(chunkSize: 1)
                w.out.reserveCapacity(piece * 320)
                w.indent = depth
                for i in lo..<hi {
                    if i > 0 { w.out.append(UInt8(ascii: ",")) }
                    w.newlineIndent()
                    w.value(values[i])
                }
                texts.set(k, w.out)
            }
            for k in 0..<count {
                out.append(contentsOf: texts.get(k) ?? [])
                try flush(sink)
            }
            round += 1
        }
        indent -= 1
        newlineIndent()
        out.append(UInt8(ascii: "]"))
    }

    mutating func string(_ s: String) {
        out.append(UInt8(ascii: "\""))
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00...0x1F:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
            default: out.append(c)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    mutating func int(_ v: Int) { out.append(contentsOf: String(v).utf8) }

    /// `Double.description` without a trailing `.0`, as `JSONEncoder` writes numbers (which
    /// refuses NaN and infinities; they cannot arise from counts and sums, and print as null).
    mutating func double(_ v: Double) {
        guard v.isFinite else { out.append(contentsOf: Array("null".utf8)); return }
        if v == v.rounded(), abs(v) < 1e15, !(v == 0 && v.sign == .minus) {
            out.append(contentsOf: String(Int64(v)).utf8)
            return
        }
        var text = v.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        out.append(contentsOf: text.utf8)
    }

    mutating func field(_ name: StaticString, _ text: String) {
        key(name) { $0.string(text) }
    }

    mutating func definition(_ d: IndicatorDefinition) {
        object { w in
            w.field("category", d.category)
            if let den = d.denominator { w.field("denominator", den) }
            w.field("factor", d.factor.rawValue)
            w.field("id", d.id)
            w.key("levels") { w in w.array(d.levels, { _ in }, flushes: false) { w, l in w.string(l.rawValue) } }
            w.field("nameEN", d.nameEN)
            w.field("nameZH", d.nameZH)
            w.field("numerator", d.numerator)
            w.key("precision") { $0.int(d.precision) }
            w.field("records", d.records)
            w.field("reference", d.reference.rawValue)
            if let s = d.standard { w.field("standard", s) }
            w.field("unitLabel", d.unitLabel)
        }
    }

    mutating func unit(_ u: ReportingUnit) {
        object { w in
            w.field("key", u.key)
            w.field("kind", u.kind.rawValue)
            w.field("name", u.name)
        }
    }

    mutating func value(_ v: IndicatorValue) {
        object { w in
            if let c = v.change { w.key("change") { $0.double(c) } }
            if let d = v.denominator { w.key("denominator") { $0.double(d) } }
            w.field("indicatorID", v.indicatorID)
            w.key("numerator") { $0.double(v.numerator) }
            if let p = v.previous { w.key("previous") { $0.double(p) } }
            w.key("unit") { $0.unit(v.unit) }
            if let x = v.value { w.key("value") { $0.double(x) } }
            w.key("year") { $0.int(v.year) }
        }
    }
}
