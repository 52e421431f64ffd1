import EduLedgerCore
import Foundation
import SQLKit

/// The 控辍保学 ledger inside the registry transaction, each write with its audit line.
extension SQLRegistryWriter: DropoutWriting {
    static let caseColumns = [
        "student_id", "school_id", "grade", "absent_since", "reported_on", "reported_by", "reason", "village_cadre",
        "class_teacher", "status", "confirmed_on", "outcome", "outcome_on", "outcome_note",
    ]
    static let visitColumns = ["case_id", "visit_date", "visitors", "notes", "recorded_by"]
    static let reportColumns = ["kind", "period", "school_id", "counts_json", "notes", "submitted_by", "submitted_at"]

    static func values(_ c: DropoutCase) -> [any SQLExpression] {
        [Column.id(c.studentID), Column.id(c.schoolID), SQLBind(c.grade.rawValue), Column.date(c.absentSince), Column.date(c.reportedOn),
         SQLBind(c.reportedBy), SQLBind(c.reason), SQLBind(c.villageCadre), SQLBind(c.classTeacher), SQLBind(c.status.rawValue),
         Column.date(c.confirmedOn), Column.text(c.outcome?.rawValue), Column.date(c.outcomeOn), Column.text(c.outcomeNote)]
    }

    static func decodeCase(_ row: any SQLRow) throws -> DropoutCase {
        let r = RowReader(row: row, table: "dropout_cases")
        return DropoutCase(
            id: try r.int64("id"), studentID: try r.id("student_id"), schoolID: try r.id("school_id"),
            grade: try r.enumValue("grade", GradeLevel.self), absentSince: try r.date("absent_since"), reportedOn: try r.date("reported_on"),
            reportedBy: try r.string("reported_by"), reason: try r.string("reason"), villageCadre: try r.string("village_cadre"),
            classTeacher: try r.string("class_teacher"), status: try r.enumValue("status", DropoutCase.Status.self),
            confirmedOn: try r.optionalDate("confirmed_on"), outcome: try r.optionalEnum("outcome", DropoutCase.Outcome.self),
            outcomeOn: try r.optionalDate("outcome_on"), outcomeNote: try r.optionalString("outcome_note"))
    }

    static func decodeVisit(_ row: any SQLRow) throws -> HomeVisit {
        let r = RowReader(row: row, table: "dropout_visits")
        return HomeVisit(id: try r.int64("id"), caseID: try r.int64("case_id"), date: try r.date("visit_date"),
                         visitors: try r.string("visitors"), notes: try r.string("notes"), recordedBy: try r.string("recorded_by"))
    }

    static func decodeReport(_ row: any SQLRow) throws -> DropoutReport {
        let r = RowReader(row: row, table: "dropout_reports")
        let text = try r.string("counts_json")
        guard let counts = try? JSONDecoder().decode(DropoutCounts.self, from: Data(text.utf8)) else {
            throw RowDecodingError(table: "dropout_reports", column: "counts_json", value: String(text.prefix(40)))
        }
        return DropoutReport(id: try r.int64("id"), kind: try r.enumValue("kind", DropoutReport.Kind.self), period: try r.string("period"),
                             schoolID: try r.optionalID("school_id"), counts: counts, notes: try r.string("notes"),
                             submittedBy: try r.string("submitted_by"), submittedAt: try r.string("submitted_at"))
    }

    static func select(_ columns: [String], _ table: String) -> SQLQueryString {
        SQLQueryString("SELECT id, " + columns.joined(separator: ", ") + " FROM " + table)
    }

    func insert(_ c: DropoutCase) async throws -> DropoutCase {
        var saved = c
        saved.id = try await insertReturningID("dropout_cases", Self.caseColumns, Self.values(c))
        try await audit(.insert, entity: "dropout_case", id: saved.id, before: DropoutCase?.none, after: saved)
        return saved
    }

    func update(_ c: DropoutCase) async throws {
        guard let before = try await dropoutCase(id: c.id) else { throw DropoutError.caseNotFound(c.id) }
        try await updateRow("dropout_cases", Self.caseColumns, Self.values(c), id: c.id)
        try await audit(.update, entity: "dropout_case", id: c.id, before: before, after: c)
    }

    func dropoutCase(id: Int64) async throws -> DropoutCase? {
        try await sql.raw(Self.select(Self.caseColumns, "dropout_cases") + " WHERE id = \(bind: id)").first().map(Self.decodeCase)
    }

    func dropoutCases(studentID: StudentID) async throws -> [DropoutCase] {
        try await sql.raw(Self.select(Self.caseColumns, "dropout_cases") + " WHERE student_id = \(bind: studentID.rawValue) ORDER BY id")
            .all().map(Self.decodeCase)
    }

    func insert(_ v: HomeVisit) async throws -> HomeVisit {
        var saved = v
        saved.id = try await insertReturningID("dropout_visits", Self.visitColumns,
                                               [SQLBind(v.caseID), Column.date(v.date), SQLBind(v.visitors), SQLBind(v.notes), SQLBind(v.recordedBy)])
        try await audit(.insert, entity: "dropout_visit", id: saved.id, before: HomeVisit?.none, after: saved)
        return saved
    }

    func homeVisits(caseID: Int64) async throws -> [HomeVisit] {
        try await sql.raw(Self.select(Self.visitColumns, "dropout_visits") + " WHERE case_id = \(bind: caseID) ORDER BY visit_date, id")
            .all().map(Self.decodeVisit)
    }

    func insert(_ r: DropoutReport) async throws -> DropoutReport {
        var saved = r
        saved.id = try await insertReturningID("dropout_reports", Self.reportColumns, [
            SQLBind(r.kind.rawValue), SQLBind(r.period), Column.id(r.schoolID), SQLBind(try Self.json(r.counts)), SQLBind(r.notes),
            SQLBind(r.submittedBy), SQLBind(r.submittedAt)])
        try await audit(.insert, entity: "dropout_report", id: saved.id, before: DropoutReport?.none, after: saved)
        return saved
    }

    func dropoutLedger(schoolIDs: Set<SchoolID>?) async throws -> (cases: [DropoutCase], visits: [HomeVisit]) {
        try await DropoutLedgerReads.ledger(sql, schoolIDs: schoolIDs)
    }
}

/// Reads of the ledger, shared by the writer (inside a transaction) and the store (outside).
enum DropoutLedgerReads {
    static func ledger(_ sql: any SQLDatabase, schoolIDs: Set<SchoolID>?) async throws -> (cases: [DropoutCase], visits: [HomeVisit]) {
        var q = SQLRegistryWriter.select(SQLRegistryWriter.caseColumns, "dropout_cases")
        if let ids = schoolIDs {
            let list = ids.map(\.rawValue).sorted()
            if list.isEmpty { return ([], []) }
            q += " WHERE school_id IN (\(binds: list))"
        }
        let cases = try await sql.raw(q + " ORDER BY id").all().map(SQLRegistryWriter.decodeCase)
        var visits: [HomeVisit] = []
        let caseIDs = cases.map(\.id)
        var start = 0
        while start < caseIDs.count {
            let chunk = Array(caseIDs[start..<min(caseIDs.count, start + 2_000)])
            visits += try await sql.raw(SQLRegistryWriter.select(SQLRegistryWriter.visitColumns, "dropout_visits")
                + " WHERE case_id IN (\(binds: chunk)) ORDER BY visit_date, id").all().map(SQLRegistryWriter.decodeVisit)
            start += 2_000
        }
        return (cases, visits)
    }
}

extension SQLRegistryStore {
    /// Cases and home visits of the schools (`nil` = all).
    public func dropoutLedger(schoolIDs: Set<SchoolID>?) async throws -> (cases: [DropoutCase], visits: [HomeVisit]) {
        try await DropoutLedgerReads.ledger(database.reader, schoolIDs: schoolIDs)
    }

    public func dropoutCase(id: Int64) async throws -> DropoutCase? {
        try await database.reader.raw(SQLRegistryWriter.select(SQLRegistryWriter.caseColumns, "dropout_cases") + " WHERE id = \(bind: id)")
            .first().map(SQLRegistryWriter.decodeCase)
    }

    /// Submitted reports: a school's monthly reports, or (schools `nil`) all, newest first.
    public func dropoutReports(schoolIDs: Set<SchoolID>?, limit: Int = 100) async throws -> [DropoutReport] {
        var q = SQLRegistryWriter.select(SQLRegistryWriter.reportColumns, "dropout_reports")
        if let ids = schoolIDs {
            let list = ids.map(\.rawValue).sorted()
            if list.isEmpty { return [] }
            q += " WHERE school_id IN (\(binds: list))"
        }
        return try await database.reader.raw(q + " ORDER BY id DESC LIMIT \(bind: limit)").all().map(SQLRegistryWriter.decodeReport)
    }
}
