import EduLedgerCore

/// Parsers for the indicator snapshot's two big tables, working on the bytes the database hands
/// over. Why: building a `String` per date and per enumeration value, then parsing it again, cost
/// more than reading the rows; these read digits and compare bytes in place.
enum FactBytes {
    /// A column's bytes: `nil` pointer for SQL NULL.
    typealias Field = UnsafeBufferPointer<UInt8>

    static func text(_ f: Field) -> String { String(decoding: f, as: UTF8.self) }

    /// Decimal digits, optionally with a leading minus; `nil` for anything else.
    static func int64(_ f: Field) -> Int64? {
        guard !f.isEmpty else { return nil }
        var i = 0
        let negative = f[0] == UInt8(ascii: "-")
        if negative { i = 1; guard f.count > 1 else { return nil } }
        var v: Int64 = 0
        while i < f.count {
            let c = f[i]
            guard c >= 48, c <= 57, f.count - i <= 19 || v < Int64.max / 10 else { return nil }
            v = v &* 10 &+ Int64(c &- 48)
            i += 1
        }
        return negative ? -v : v
    }

    /// Exactly `YYYY-MM-DD`, a day that exists.
    static func date(_ f: Field) -> CivilDate? {
        guard f.count == 10, f[4] == UInt8(ascii: "-"), f[7] == UInt8(ascii: "-") else { return nil }
        guard let y = digits(f, 0, 4), let m = digits(f, 5, 7), let d = digits(f, 8, 10) else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    private static func digits(_ f: Field, _ from: Int, _ to: Int) -> Int? {
        var v = 0
        var i = from
        while i < to {
            let c = f[i]
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
            i += 1
        }
        return v
    }

    /// A stored 0/1 flag (SQLite integer or PostgreSQL boolean as text `t`/`f`).
    static func flag(_ f: Field) -> Bool {
        guard f.count == 1 else { return !f.isEmpty }
        return f[0] != UInt8(ascii: "0") && f[0] != UInt8(ascii: "f")
    }
}

/// An enumeration's raw values as bytes, matched without building a `String`.
struct ByteLookup<E: RawRepresentable & CaseIterable>: Sendable where E.RawValue == String, E: Sendable {
    private let entries: [([UInt8], E)]

    init() { entries = E.allCases.map { (Array($0.rawValue.utf8), $0) } }

    func value(_ f: FactBytes.Field) -> E? {
        for (bytes, value) in entries where bytes.count == f.count {
            if bytes.withUnsafeBufferPointer({ b in memcmpEqual(b, f) }) { return value }
        }
        return nil
    }

    private func memcmpEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }
}
