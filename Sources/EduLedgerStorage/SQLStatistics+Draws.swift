import EduLedgerCore
import Foundation
import SQLKit

extension IndicatorFactsLoader {
    /// The class draws of the school years in `years`, with what the draw indicators judge: who
    /// entered the seed and when, and whether the stored record names the published roster hash,
    /// the fixed seed and its parts. Two set-based SELECTs; the roster files are not read.
    public func drawFacts(years: ClosedRange<Int>) async throws -> [DrawFact] {
        let sql = database.reader
        let rows = try await sql.raw("""
            SELECT id, school_id, school_year, grade, state, class_count, student_count, roster_hash, seed, record_json,
                   published_at, seeded_at
            FROM class_draws WHERE school_year BETWEEN \(bind: years.lowerBound) AND \(bind: years.upperBound) ORDER BY id
            """).all()
        guard !rows.isEmpty else { return [] }
        struct Part { var value: String; var capacity: String; var recordedAt: String }
        var parts: [Int64: [Part]] = [:]
        for row in try await sql.raw("""
            SELECT p.draw_id AS d, p.value AS v, p.capacity AS c, p.recorded_at AS t FROM class_draw_seed_parts p
            JOIN class_draws k ON k.id = p.draw_id
            WHERE k.school_year BETWEEN \(bind: years.lowerBound) AND \(bind: years.upperBound) ORDER BY p.draw_id, p.position
            """).all() {
            let r = RowReader(row: row, table: "class_draw_seed_parts")
            parts[try r.int64("d"), default: []].append(Part(value: try r.string("v"), capacity: try r.string("c"), recordedAt: try r.string("t")))
        }
        return try rows.map { row -> DrawFact in
            let r = RowReader(row: row, table: "class_draws")
            let id = try r.int64("id")
            let own = parts[id] ?? []
            let publishedAt = try r.optionalString("published_at")
            let seededAt = try r.optionalString("seeded_at")
            let inPublic: Bool = {
                guard let publishedAt, let seededAt, !own.isEmpty else { return false }
                let inOrder = own.allSatisfy { $0.recordedAt >= publishedAt && $0.recordedAt <= seededAt }
                return inOrder && own.contains { $0.capacity == "家长代表" || $0.capacity == "监督员" }
            }()
            let verifiable: Bool = {
                guard let text = try? r.optionalString("record_json"), let hash = try? r.optionalString("roster_hash"),
                      let seed = try? r.optionalString("seed"),
                      let record = try? JSONDecoder().decode(StoredDrawRecord.self, from: Data(text.utf8)) else { return false }
                let stated = record.record.seedParts ?? []
                return record.record.rosterHash == hash && record.record.settings.seed == seed
                    && (stated.isEmpty || stated == own.map(\.value))
            }()
            return DrawFact(id: id, schoolID: try r.id("school_id"), schoolYear: try r.int("school_year"),
                            grade: try r.enumValue("grade", GradeLevel.self), state: try r.string("state"),
                            classCount: try r.int("class_count"), studentCount: Int(try r.optionalInt64("student_count") ?? 0),
                            seedCapacities: own.map(\.capacity), seedEnteredInPublic: inPublic, verifiable: verifiable)
        }
    }
}

/// The parts of a stored draw record (the published JSON) that the verifiability check reads.
private struct StoredDrawRecord: Decodable {
    struct Record: Decodable {
        struct Settings: Decodable { var seed: String }
        var rosterHash: String
        var settings: Settings
        var seedParts: [String]?
    }
    var record: Record
}
