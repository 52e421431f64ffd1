import EduLedgerCore
import Foundation
import SQLKit

/// Population and resource figures, written inside a registry transaction so that the demo
/// (or an import) stores registry and statistics together or not at all.
extension SQLRegistryWriter: StatisticsWriting {
    func bulkUpsert(_ batch: StatisticsBatch) async throws {
        try await StatisticsTables.upsert(batch, on: sql)
        try await audit(.bulkLoad, entity: "statistics_batch", id: 0, before: [String: Int]?.none,
                        after: ["school_age_population": batch.population.count, "school_resources": batch.resources.count])
    }
}

enum StatisticsTables {
    static let populationColumns = ["school_year", "township_id", "age", "gender", "persons", "disabled_persons"]
    static let resourceColumns = ["school_id", "school_year", "teaching_area", "sports_area", "equipment_value_fen", "books",
                                  "multimedia_classrooms"]

    static func upsert(_ batch: StatisticsBatch, on sql: any SQLDatabase) async throws {
        let pop: [[any SQLExpression]] = batch.population.map { p in
            [SQLBind(p.year.startYear), Column.id(p.townshipID), SQLBind(p.age), SQLBind(p.gender.rawValue),
             SQLBind(p.count), SQLBind(p.disabledCount)]
        }
        try await upsertMany("school_age_population", populationColumns, keys: 4, pop, on: sql)
        let res: [[any SQLExpression]] = batch.resources.map { r in
            [Column.id(r.schoolID), SQLBind(r.year.startYear), SQLBind(r.teachingArea), SQLBind(r.sportsArea),
             SQLBind(r.equipmentValue.fen), SQLBind(r.books), SQLBind(r.multimediaClassrooms)]
        }
        try await upsertMany("school_resources", resourceColumns, keys: 2, res, on: sql)
    }

    /// Multi-row `INSERT … ON CONFLICT (key) DO UPDATE` (SQLite ≥ 3.24 and PostgreSQL alike).
    private static func upsertMany(_ table: String, _ columns: [String], keys: Int, _ rows: [[any SQLExpression]],
                                   on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + perStatement)
            var builder = sql.insert(into: table).columns(columns)
            for row in rows[start..<end] { builder = builder.values(row) }
            builder = builder.onConflict(with: Array(columns.prefix(keys))) { update in
                var u = update
                for c in columns.dropFirst(keys) { u = u.set(excludedValueOf: c) }
                return u
            }
            try await builder.run()
            start = end
        }
    }
}

/// Reads the facts the indicators need for a range of school years with a handful of
/// set-based SELECTs (one per table, never one per school or student), on SQLite and PostgreSQL.
public struct IndicatorFactsLoader: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    /// The snapshot for `years`. Enrolments, classes and staff are read from three years before
    /// the first year (cohort and flow figures look back) to the 9月1日 after the last.
    ///
    /// The two big tables (enrolment periods and students) are read at the same time as each
    /// other and as the small ones, each in one pass over its table.
    public func load(years: ClosedRange<Int>) async throws -> IndicatorFacts {
        let window = FactWindow(start: SchoolYear(years.lowerBound - 3).referenceDate.description,
                                end: SchoolYear(years.upperBound + 1).referenceDate.description)
        let big = BigFactReads(database: database, window: window)
        async let enrolmentRows = big.enrolments()
        async let studentRows = big.students()
        var facts = try await smallFacts(years: years, window: window)
        facts.enrolments = try await enrolmentRows
        facts.students = big.enrolled(try await studentRows, in: facts.enrolments)
        return facts
    }

    /// Everything but enrolments and students: districts, townships, zones, schools, classes,
    /// staff, population, resources and casework.
    private func smallFacts(years: ClosedRange<Int>, window: FactWindow) async throws -> IndicatorFacts {
        let sql = database.reader
        let reads = SQLRegistryReads(sql: sql)
        let district = try await reads.district()
        let townships = try await reads.townships()
        let zones = try await reads.schoolZones()
        let schools = try await reads.schools(SchoolFilter())

        // PostgreSQL: classes and staff packed like the big tables (at city scale 140 000 and
        // 80 000 rows, a second of decoding cell by cell); SQLite: through the driver.
        let packed = BigFactReads(database: database, window: window)
        let classes: [SchoolClass]
        if let rows = try await packed.classes(schoolYears: (years.lowerBound - 3)...years.upperBound) {
            classes = rows
        } else {
            classes = try await sql.raw(SQLQueryString("SELECT " + Tables.Classes.columns.joined(separator: ", "))
                + " FROM classes WHERE school_year BETWEEN \(bind: years.lowerBound - 3) AND \(bind: years.upperBound) ORDER BY id")
                .all().map { try Tables.Classes.decode(RowReader(row: $0, table: "classes")) }
        }

        let staff: [StaffFact]
        if let rows = try await packed.staff() {
            staff = rows
        } else {
            staff = try await sql.raw(SQLQueryString("SELECT " + BigFactReads.staffColumns.joined(separator: ", "))
                + " FROM staff WHERE hired <= \(bind: window.end) AND (left_date IS NULL OR left_date > \(bind: window.start))"
                + " ORDER BY id")
                .all().map { row -> StaffFact in
                    let r = RowReader(row: row, table: "staff")
                    return StaffFact(id: try r.id("id"), schoolID: try r.optionalID("school_id"),
                                     post: try r.enumValue("post", StaffPost.self),
                                     qualification: try r.enumValue("qualification", Qualification.self),
                                     backbone: try r.flag("backbone"), subjects: try r.stringList("subjects"),
                                     hired: try r.date("hired"), left: try r.optionalDate("left_date"))
                }
        }

        let population = try await sql.raw(SQLQueryString("SELECT " + StatisticsTables.populationColumns.joined(separator: ", "))
            + " FROM school_age_population WHERE school_year BETWEEN \(bind: years.lowerBound) AND \(bind: years.upperBound)"
            + " ORDER BY school_year, township_id, age, gender")
            .all().map { row -> SchoolAgePopulation in
                let r = RowReader(row: row, table: "school_age_population")
                return SchoolAgePopulation(year: SchoolYear(try r.int("school_year")), townshipID: try r.id("township_id"),
                                           age: try r.int("age"), gender: try r.enumValue("gender", Gender.self),
                                           count: try r.int("persons"), disabledCount: try r.int("disabled_persons"))
            }

        let resources = try await sql.raw(SQLQueryString("SELECT " + StatisticsTables.resourceColumns.joined(separator: ", "))
            + " FROM school_resources WHERE school_year BETWEEN \(bind: years.lowerBound) AND \(bind: years.upperBound)"
            + " ORDER BY school_year, school_id")
            .all().map { row -> SchoolResources in
                let r = RowReader(row: row, table: "school_resources")
                return SchoolResources(
                    schoolID: try r.id("school_id"), year: SchoolYear(try r.int("school_year")),
                    teachingArea: try row.decode(column: "teaching_area", as: Double.self),
                    sportsArea: try row.decode(column: "sports_area", as: Double.self),
                    equipmentValue: Money(fen: try r.int64("equipment_value_fen")), books: try r.int("books"),
                    multimediaClassrooms: try r.int("multimedia_classrooms"))
            }

        var facts = IndicatorFacts(district: district, townships: townships, zones: zones, schools: schools, classes: classes,
                                   students: [], enrolments: [], staff: staff, population: population,
                                   resources: resources, years: years)
        // Casework counts calendar years: the cases received in the years of the snapshot.
        facts.cases = try await CaseReads(sql: sql).facts(years: years)
        facts.draws = try await drawFacts(years: years)
        return facts
    }

    /// The school years that have records: from the earliest class year to the latest.
    public func availableYears() async throws -> ClosedRange<Int>? {
        let row = try await database.reader.raw("SELECT MIN(school_year) AS lo, MAX(school_year) AS hi FROM classes").first()
        guard let row, let lo = try row.decode(column: "lo", as: Int?.self),
              let hi = try row.decode(column: "hi", as: Int?.self) else { return nil }
        return lo...hi
    }

    /// Names and national numbers of the records a drill-down lists, one query per kind.
    public func labels(for refs: [StatisticsRecordKey]) async throws -> [StatisticsRecordKey: String] {
        var out: [StatisticsRecordKey: String] = [:]
        let sql = database.reader
        for (kind, query) in [("student", "SELECT s.id AS id, s.student_number AS a, s.name AS b FROM students s"),
                              ("staff", "SELECT m.id AS id, m.staff_number AS a, m.name AS b FROM staff m"),
                              ("school", "SELECT k.id AS id, k.code AS a, k.name AS b FROM schools k")] {
            let ids = refs.filter { $0.kind == kind }.map(\.id)
            var start = 0
            while start < ids.count {
                let chunk = Array(ids[start..<min(ids.count, start + 5_000)])
                let alias = query.split(separator: " ").last.map(String.init) ?? ""
                let rows = try await sql.raw(SQLQueryString(query) + " WHERE " + SQLQueryString(alias) + ".id IN (\(binds: chunk))").all()
                for row in rows {
                    let id = try row.decode(column: "id", as: Int64.self)
                    out[StatisticsRecordKey(kind: kind, id: id)] =
                        "\(try row.decode(column: "a", as: String.self)) \(try row.decode(column: "b", as: String.self))"
                }
                start += 5_000
            }
        }
        return out
    }
}

/// A record a drill-down names: kind `student`, `staff` or `school`, and its id.
public struct StatisticsRecordKey: Hashable, Sendable {
    public var kind: String
    public var id: Int64
    public init(kind: String, id: Int64) { self.kind = kind; self.id = id }
}

