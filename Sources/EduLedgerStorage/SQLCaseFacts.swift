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
        var out: [String: CivilDate] = [:]
        for part in text.split(separator: ";") {
            guard let eq = part.firstIndex(of: "="), let day = CivilDate(iso: String(part[part.index(after: eq)...])) else { continue }
            out[String(part[..<eq])] = day
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
    /// The facts of the casework indicators for the cases received in calendar years `years`.
    func facts(years: ClosedRange<Int>) async throws -> [CaseFact] {
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
        return try await sql.raw("""
            SELECT id, kind, received_on, school_id, state, completed_on, completed_on_time, rating, refund_ordered, refund_proven,
                   first_steps
            FROM cases WHERE received_on >= \(bind: from) AND received_on <= \(bind: through) ORDER BY id
            """).all().map { row in
            let r = RowReader(row: row, table: "cases")
            let id = try r.int64("id")
            return CaseFact(id: id, kind: try r.string("kind"), receivedOn: try r.date("received_on"), schoolID: try r.optionalID("school_id"),
                            state: try r.string("state"), firstTaken: CaseFactColumns.decode(try r.string("first_steps")),
                            completedOn: try r.optionalDate("completed_on"),
                            completedOnTime: try r.optionalInt64("completed_on_time").map { $0 != 0 },
                            rating: try r.optionalString("rating"), notices: notices[id] ?? [],
                            refundOrdered: try r.optionalInt64("refund_ordered").map(Money.init(fen:)),
                            refundProven: try r.optionalInt64("refund_proven").map(Money.init(fen:)))
        }
    }
}

extension IndicatorFactsLoader {
    /// The casework facts alone, for the cases received in calendar years `years`.
    public func caseFacts(years: ClosedRange<Int>) async throws -> [CaseFact] {
        try await CaseReads(sql: database.reader).facts(years: years)
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
