import EduLedgerCasework
import EduLedgerCore
import Foundation
import SQLKit

/// What the casework rates count, kept in columns of `cases` by every write (migration 33): the
/// last rating, the refunds in 分 and the first day of every kind of step. Reading a year's
/// facts is then one narrow scan of `cases` (and the notices of its hazards), without decoding
/// each case's fields or grouping its steps (benchmark of issue 9).
enum CaseFactColumns {
    /// `action=YYYY-MM-DD;…` in action order: the first day each kind of step was taken.
    static func encode(_ firstTaken: [String: CivilDate]) -> String {
        firstTaken.keys.sorted().map { "\($0)=\(firstTaken[$0]?.description ?? "")" }.joined(separator: ";")
    }

    static func decode(_ text: String) -> [String: CivilDate] {
        var text = text
        return text.withUTF8 { decode($0) }
    }

    /// The same from the column's bytes, without splitting into strings first: the rates read
    /// this for every case of the years shown.
    static func decode(_ bytes: FactBytes.Field) -> [String: CivilDate] {
        var out: [String: CivilDate] = [:]
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ";") { end += 1 }
            var eq = start
            while eq < end && bytes[eq] != UInt8(ascii: "=") { eq += 1 }
            if eq < end, let day = FactBytes.date(UnsafeBufferPointer(rebasing: bytes[(eq + 1)..<end])) {
                out[String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<eq]), as: UTF8.self)] = day
            }
            start = end + 1
        }
        return out
    }

    /// The first days after a step: the step's day if its action is new or earlier than recorded.
    static func adding(_ action: String, on day: CivilDate, to text: String) -> String {
        var map = decode(text)
        if let known = map[action], known <= day { return text }
        map[action] = day
        return encode(map)
    }

    /// A money field as the engine stores it (分 as digits), like `Int64.init` reads it.
    static func fen(_ text: String?) -> Int64? { text.flatMap(Int64.init) }

    /// The next number of `prefix` (`XF2025-`): a counter row per prefix, raised and read in the
    /// writer's transaction. On PostgreSQL the upsert locks that row until commit, so a second
    /// creation at the same time waits for the first and draws the next number.
    static func nextSequence(_ sql: any SQLDatabase, prefix: String) async throws -> Int64 {
        guard let n = try await sql.raw("""
            INSERT INTO case_numbers (prefix, last_sequence) VALUES (\(bind: prefix), 1)
            ON CONFLICT (prefix) DO UPDATE SET last_sequence = case_numbers.last_sequence + 1
            RETURNING last_sequence
            """).first(decodingColumn: "last_sequence", as: Int64.self) else {
            throw StorageError(code: "storage.insert_failed", message: "分配案件编号失败")
        }
        return n
    }
}

extension CaseReads {
    static let factColumns = ["id", "kind", "received_on", "school_id", "state", "completed_on", "completed_on_time", "rating",
                              "refund_ordered", "refund_proven", "first_steps"]

    /// The facts of the casework indicators for the cases received in calendar years `years`.
    /// `scan`: on an SQLite file, the cases are read in place (`SQLiteScan`), several times
    /// faster than decoding each row through the driver.
    func facts(years: ClosedRange<Int>, scan: SQLiteScan? = nil) async throws -> [CaseFact] {
        let from = "\(years.lowerBound)-01-01", through = "\(years.upperBound)-12-31"
        var notices: [Int64: [CaseNoticeFact]] = [:]
        for row in try await sql.raw("""
            SELECT n.case_id AS c, n.notice_number AS num, n.issued_on AS d, n.school_id AS s FROM case_notices n
            JOIN cases k ON k.id = n.case_id WHERE k.received_on >= \(bind: from) AND k.received_on <= \(bind: through) ORDER BY n.id
            """).all() {
            let r = RowReader(row: row, table: "case_notices")
            notices[try r.int64("c"), default: []].append(
                CaseNoticeFact(number: try r.string("num"), issuedOn: try r.date("d"), schoolID: try r.optionalID("s")))
        }
        let select = "SELECT " + Self.factColumns.joined(separator: ", ") + " FROM cases"
        if let scan {
            var out: [CaseFact] = []
            try scan.rows(select + " WHERE received_on >= ?1 AND received_on <= ?2 ORDER BY id", binds: [from, through]) { row in
                out.append(try Self.fact(row, notices: notices))
            }
            return out
        }
        return try await sql.raw(SQLQueryString(select) + " WHERE received_on >= \(bind: from) AND received_on <= \(bind: through) ORDER BY id")
            .all().map { row in
                let r = RowReader(row: row, table: "cases")
                let id = try r.int64("id")
                return CaseFact(id: id, kind: try r.string("kind"), receivedOn: try r.date("received_on"),
                                schoolID: try r.optionalID("school_id"), state: try r.string("state"),
                                firstTaken: CaseFactColumns.decode(try r.string("first_steps")),
                                completedOn: try r.optionalDate("completed_on"),
                                completedOnTime: try r.optionalInt64("completed_on_time").map { $0 != 0 },
                                rating: try r.optionalString("rating"), notices: notices[id] ?? [],
                                refundOrdered: try r.optionalInt64("refund_ordered").map(Money.init(fen:)),
                                refundProven: try r.optionalInt64("refund_proven").map(Money.init(fen:)))
            }
    }

    /// One case of the scan, columns in `factColumns` order.
    private static func fact(_ r: some FactRow, notices: [Int64: [CaseNoticeFact]]) throws -> CaseFact {
        func bad(_ i: Int32) -> RowDecodingError { r.error(table: "cases", column: factColumns[Int(i)], i) }
        func date(_ i: Int32) throws -> CivilDate? {
            guard let t = r.text(i) else { return nil }
            guard let d = FactBytes.date(t) else { throw bad(i) }
            return d
        }
        guard let id = r.int64(0) else { throw bad(0) }
        guard let kind = r.text(1).map(FactBytes.text) else { throw bad(1) }
        guard let received = try date(2) else { throw bad(2) }
        guard let state = r.text(4).map(FactBytes.text) else { throw bad(4) }
        return CaseFact(id: id, kind: kind, receivedOn: received, schoolID: r.int64(3).map(SchoolID.init), state: state,
                        firstTaken: r.text(10).map { CaseFactColumns.decode($0) } ?? [:], completedOn: try date(5),
                        completedOnTime: r.int64(6).map { $0 != 0 },
                        // Empty text reads as nil here; a rating is one of the choices, never empty.
                        rating: r.text(7).map(FactBytes.text), notices: notices[id] ?? [],
                        refundOrdered: r.int64(8).map(Money.init(fen:)), refundProven: r.int64(9).map(Money.init(fen:)))
    }

}

extension IndicatorFactsLoader {
    /// The casework facts alone, for the cases received in calendar years `years`.
    public func caseFacts(years: ClosedRange<Int>) async throws -> [CaseFact] {
        try await CaseReads(sql: database.reader).facts(years: years, scan: SQLiteScan(database))
    }

    /// Whether every write after data version `version` (see `dataVersion`) was casework — a
    /// case opened or stepped, an inspection round — so figures other than the casework
    /// rates computed at that version are still current.
    public func onlyCaseworkWritten(since version: Int64) async throws -> Bool {
        let others = try await database.reader.raw("""
            SELECT COUNT(*) AS n FROM audit_log WHERE id > \(bind: version) AND entity NOT IN ('case', 'inspection_campaign')
            """).first(decodingColumn: "n", as: Int64.self) ?? 1
        return others == 0
    }
}
