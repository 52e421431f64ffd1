import EduLedgerCore
import Foundation
import SQLKit

/// Transfer requests and year-end runs, inside the registry transaction, each write with its
/// audit line in the same session.
extension SQLRegistryWriter: SchoolYearWriting {
    static let transferColumns = [
        "student_id", "from_school_id", "to_school_id", "grade", "class_number", "transfer_date", "reason", "status",
        "requested_by", "requested_at", "sending_by", "sending_at", "bureau_by", "bureau_at", "refused_by", "refused_at",
        "refusal_reason",
    ]

    private static func values(_ r: TransferRequest) -> [any SQLExpression] {
        [Column.id(r.studentID), Column.id(r.fromSchoolID), Column.id(r.toSchoolID), SQLBind(r.grade.rawValue),
         Column.int(r.classNumber.map(Int64.init)), Column.date(r.date), SQLBind(r.reason), SQLBind(r.status.rawValue),
         SQLBind(r.requested.by), SQLBind(r.requested.at), Column.text(r.sendingApproved?.by),
         Column.text(r.sendingApproved?.at), Column.text(r.bureauApproved?.by), Column.text(r.bureauApproved?.at),
         Column.text(r.refused?.by), Column.text(r.refused?.at), Column.text(r.refusalReason)]
    }

    static func decodeTransfer(_ row: any SQLRow) throws -> TransferRequest {
        let r = RowReader(row: row, table: "transfer_requests")
        func step(_ by: String, _ at: String) throws -> TransferRequest.Step? {
            guard let b = try r.optionalString(by), let a = try r.optionalString(at) else { return nil }
            return .init(by: b, at: a)
        }
        return TransferRequest(
            id: try r.int64("id"), studentID: try r.id("student_id"), fromSchoolID: try r.id("from_school_id"),
            toSchoolID: try r.id("to_school_id"), grade: try r.enumValue("grade", GradeLevel.self),
            classNumber: try r.optionalInt64("class_number").map { Int($0) }, date: try r.date("transfer_date"),
            reason: try r.string("reason"), status: try r.enumValue("status", TransferRequest.Status.self),
            requested: .init(by: try r.string("requested_by"), at: try r.string("requested_at")),
            sendingApproved: try step("sending_by", "sending_at"), bureauApproved: try step("bureau_by", "bureau_at"),
            refused: try step("refused_by", "refused_at"), refusalReason: try r.optionalString("refusal_reason"))
    }

    func insertReturningID(_ table: String, _ columns: [String], _ values: [any SQLExpression]) async throws -> Int64 {
        let head = SQLQueryString("INSERT INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES (")
        let list: SQLQueryString = "\(SQLList(values))"
        guard let id = try await sql.raw(head + list + ") RETURNING id").first(decodingColumn: "id", as: Int64.self) else {
            throw StorageError(code: "storage.insert_failed", message: "写入\(table)失败：数据库未返回新记录编号")
        }
        return id
    }

    func updateRow(_ table: String, _ columns: [String], _ values: [any SQLExpression], id: Int64) async throws {
        let head: String = "UPDATE \(table) SET "
        var q = SQLQueryString(head)
        for (k, (column, value)) in zip(columns, values).enumerated() {
            let assignment: String = (k == 0 ? "" : ", ") + column + " = "
            let bound: SQLQueryString = "\(value)"
            q += SQLQueryString(assignment) + bound
        }
        q += " WHERE id = \(bind: id)"
        try await sql.raw(q).run()
    }

    func insert(_ request: TransferRequest) async throws -> TransferRequest {
        var r = request
        r.id = try await insertReturningID("transfer_requests", Self.transferColumns, Self.values(r))
        try await audit(.insert, entity: "transfer_request", id: r.id, before: TransferRequest?.none, after: r)
        return r
    }

    func update(_ request: TransferRequest) async throws {
        guard let before = try await transferRequest(id: request.id) else {
            throw SchoolYearError.transferNotFound(request.id)
        }
        try await updateRow("transfer_requests", Self.transferColumns, Self.values(request), id: request.id)
        try await audit(.update, entity: "transfer_request", id: request.id, before: before, after: request)
    }

    func transferRequest(id: Int64) async throws -> TransferRequest? {
        try await sql.raw(SQLQueryString("SELECT id, " + Self.transferColumns.joined(separator: ", "))
            + " FROM transfer_requests WHERE id = \(bind: id)").first().map(Self.decodeTransfer)
    }

    func transferRequests(studentID: StudentID) async throws -> [TransferRequest] {
        try await sql.raw(SQLQueryString("SELECT id, " + Self.transferColumns.joined(separator: ", "))
            + " FROM transfer_requests WHERE student_id = \(bind: studentID.rawValue) ORDER BY id").all().map(Self.decodeTransfer)
    }

    static let runColumns = ["school_year", "school_id", "closed_json", "opened_json", "confirmed_by", "confirmed_at",
                                     "undone_by", "undone_at"]

    private static func values(_ run: YearEndRun) throws -> [any SQLExpression] {
        [SQLBind(run.year.startYear), Column.id(run.schoolID), SQLBind(try json(run.closedEnrolments)),
         SQLBind(try json(run.openedEnrolmentIDs)), SQLBind(run.confirmed.by), SQLBind(run.confirmed.at),
         Column.text(run.undone?.by), Column.text(run.undone?.at)]
    }

    func insert(_ run: YearEndRun) async throws -> YearEndRun {
        var r = run
        r.id = try await insertReturningID("year_end_runs", Self.runColumns, try Self.values(r))
        let summary = ["year": r.year.startYear, "closed": r.closedEnrolments.count, "opened": r.openedEnrolmentIDs.count]
        try await audit(.insert, entity: "year_end_run", id: r.id, before: [String: Int]?.none, after: summary)
        return r
    }

    func update(_ run: YearEndRun) async throws {
        try await updateRow("year_end_runs", Self.runColumns, try Self.values(run), id: run.id)
        try await audit(.update, entity: "year_end_run", id: run.id, before: TransferRequest.Step?.none, after: run.undone)
    }

    func yearEndRun(id: Int64) async throws -> YearEndRun? {
        guard let row = try await sql.raw(SQLQueryString("SELECT id, " + Self.runColumns.joined(separator: ", "))
            + " FROM year_end_runs WHERE id = \(bind: id)").first() else { return nil }
        return try Self.decodeRun(row)
    }

    static func decodeRun(_ row: any SQLRow) throws -> YearEndRun {
        let r = RowReader(row: row, table: "year_end_runs")
        let decoder = JSONDecoder()
        let closedText = try r.string("closed_json")
        let openedText = try r.string("opened_json")
        guard let closed = try? decoder.decode([Enrolment].self, from: Data(closedText.utf8)),
              let opened = try? decoder.decode([EnrolmentID].self, from: Data(openedText.utf8)) else {
            throw RowDecodingError(table: "year_end_runs", column: "closed_json", value: String(closedText.prefix(40)))
        }
        var undone: TransferRequest.Step?
        if let by = try r.optionalString("undone_by"), let at = try r.optionalString("undone_at") { undone = .init(by: by, at: at) }
        return YearEndRun(id: try r.int64("id"), year: SchoolYear(try r.int("school_year")), schoolID: try r.optionalID("school_id"),
                          closedEnrolments: closed, openedEnrolmentIDs: opened,
                          confirmed: .init(by: try r.string("confirmed_by"), at: try r.string("confirmed_at")), undone: undone)
    }

    func deleteEnrolment(id: EnrolmentID) async throws {
        let rows = try await sql.raw(SQLQueryString("SELECT " + Tables.Enrolments.columns.joined(separator: ", "))
            + " FROM enrolments WHERE id = \(bind: id.rawValue)").all()
        guard let row = rows.first else { throw RegistryError.notFound(kind: "学籍记录", key: id.description) }
        let before = try Tables.Enrolments.decode(RowReader(row: row, table: "enrolments"))
        try await sql.raw("DELETE FROM enrolments WHERE id = \(bind: id.rawValue)").run()
        try await audit(.delete, entity: "enrolment", id: id.rawValue, before: before, after: Enrolment?.none)
    }
}

/// Reads of the school-year casework for the pages and the API.
extension SQLRegistryStore {
    /// Transfer requests touching the schools (sending or receiving; `nil` = all), newest first.
    public func transferRequests(schoolIDs: Set<SchoolID>?, openOnly: Bool = false, limit: Int = 200) async throws -> [TransferRequest] {
        var q = SQLQueryString("SELECT id, " + SQLRegistryWriter.transferColumns.joined(separator: ", ") + " FROM transfer_requests WHERE 1 = 1")
        if let ids = schoolIDs {
            let list = ids.map(\.rawValue).sorted()
            if list.isEmpty { return [] }
            q += " AND (from_school_id IN (\(binds: list)) OR to_school_id IN (\(binds: list)))"
        }
        if openOnly {
            q += " AND status IN (\(bind: TransferRequest.Status.requested.rawValue), \(bind: TransferRequest.Status.sendingApproved.rawValue))"
        }
        q += " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await database.reader.raw(q).all().map(SQLRegistryWriter.decodeTransfer)
    }

    public func transferRequest(id: Int64) async throws -> TransferRequest? {
        try await database.reader.raw(SQLQueryString("SELECT id, " + SQLRegistryWriter.transferColumns.joined(separator: ", "))
            + " FROM transfer_requests WHERE id = \(bind: id)").first().map(SQLRegistryWriter.decodeTransfer)
    }

    /// Confirmed year-end runs of the schools (`nil` = all, including district-wide runs), newest first.
    public func yearEndRuns(schoolIDs: Set<SchoolID>?, limit: Int = 50) async throws -> [YearEndRun] {
        var q = SQLQueryString("SELECT id, " + SQLRegistryWriter.runColumns.joined(separator: ", ") + " FROM year_end_runs")
        if let ids = schoolIDs {
            let list = ids.map(\.rawValue).sorted()
            if list.isEmpty { return [] }
            q += " WHERE school_id IN (\(binds: list))"
        }
        q += " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await database.reader.raw(q).all().map(SQLRegistryWriter.decodeRun)
    }

    public func yearEndRun(id: Int64) async throws -> YearEndRun? {
        try await database.reader.raw(SQLQueryString("SELECT id, " + SQLRegistryWriter.runColumns.joined(separator: ", "))
            + " FROM year_end_runs WHERE id = \(bind: id)").first().map(SQLRegistryWriter.decodeRun)
    }
}
