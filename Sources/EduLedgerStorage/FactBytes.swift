import EduLedgerCore
import Foundation

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

    /// A JSON array of strings as the storage writes it (`["语文","数学"]`): read in place when
    /// no string holds an escape, else by `JSONDecoder` (the same strings either way); `nil`
    /// for anything that is not such an array.
    static func stringList(_ f: Field) -> [String]? {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
        var i = 0
        func skipSpace() { while i < f.count && isSpace(f[i]) { i += 1 } }
        func decoded() -> [String]? { try? JSONDecoder().decode([String].self, from: Data(f)) }
        skipSpace()
        guard i < f.count, f[i] == UInt8(ascii: "[") else { return decoded() }
        i += 1
        var out: [String] = []
        skipSpace()
        if i < f.count && f[i] == UInt8(ascii: "]") {
            i += 1
            skipSpace()
            return i == f.count ? out : decoded()
        }
        while true {
            skipSpace()
            guard i < f.count, f[i] == UInt8(ascii: "\"") else { return decoded() }
            i += 1
            let start = i
            while i < f.count && f[i] != UInt8(ascii: "\"") {
                // An escape or a control character: leave it to the full decoder.
                if f[i] == UInt8(ascii: "\\") || f[i] < 0x20 { return decoded() }
                i += 1
            }
            guard i < f.count else { return decoded() }
            out.append(String(decoding: UnsafeBufferPointer(rebasing: f[start..<i]), as: UTF8.self))
            i += 1
            skipSpace()
            guard i < f.count else { return decoded() }
            if f[i] == UInt8(ascii: ",") { i += 1; continue }
            guard f[i] == UInt8(ascii: "]") else { return decoded() }
            i += 1
            skipSpace()
            return i == f.count ? out : decoded()
        }
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
