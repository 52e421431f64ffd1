import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import Foundation
import Hummingbird

/// A written file sent as a download with its Chinese name (RFC 6266 `filename*`, with an
/// ASCII fallback for old clients).
enum FileDownload {
    /// A fresh temporary file for a download being written (removed once sent).
    static func scratch(_ ext: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-export-\(Tokens.random().prefix(16)).\(ext)")
    }

    static func contentType(_ fileName: String) -> String {
        fileName.lowercased().hasSuffix(".csv") ? "text/csv; charset=utf-8"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    }

    static func response(_ url: URL, fileName: String, removeAfter: Bool) throws -> Response {
        let data = try Data(contentsOf: url)
        if removeAfter { try? FileManager.default.removeItem(at: url) }
        let ext = URL(fileURLWithPath: fileName).pathExtension
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "download.\(ext)"
        return Response(
            status: .ok,
            headers: [.contentType: contentType(fileName), .cacheControl: "no-store",
                      .contentDisposition: "attachment; filename=\"eduledger.\(ext)\"; filename*=UTF-8''\(encoded)"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The lists of the UI as .xlsx or .csv, with exactly the filters of the list page (the export
/// form on each list repeats them), within the user's schools; and the statistics workbook in
/// the superior bureau's layout for bureau roles.
struct ExportsController {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/exports/students", use: students)
        r.get("/exports/staff", use: staff)
        r.get("/exports/schools", use: schools)
        r.get("/exports/audit", use: audit)
        r.get("/exports/statistics", use: statistics)
        return r
    }

    static func format(_ request: Request) -> String { request.query("format") == "csv" ? "csv" : "xlsx" }

    /// The `school` filter of a list, refused (404) outside the user's schools, as the list does.
    static func schoolFilter(_ request: Request, user: CurrentUser) throws -> Set<SchoolID>? {
        let param = request.query("school")
        let id = param.flatMap(Int64.init).map(SchoolID.init)
        if param != nil, !(id.map { AccessPolicy.contains(user.readable, $0) } ?? false) { throw AppError.notFound }
        return id.map { [$0] } ?? user.readable
    }

    @Sendable func students(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStudents)
        let ext = Self.format(request)
        var query = StudentQuery(date: deps.today, schoolIDs: try Self.schoolFilter(request, user: user),
                                 grade: request.query("grade").flatMap(GradeLevel.init(rawValue:)),
                                 search: request.query("q").map { String($0.prefix(40)) })
        var fileName = "学生名单\(deps.today.description)"
        if let classParam = request.query("class") {
            // A class roster (班级名单), on the day the class page shows: today, or the first day of a past year's class.
            guard let raw = Int64(classParam), let c = try await deps.registry.schoolClass(id: ClassID(raw)),
                  AccessPolicy.contains(user.readable, c.schoolID),
                  let school = try await deps.registry.school(id: c.schoolID) else { throw AppError.notFound }
            query = StudentQuery(date: c.schoolYear.rosterDay(today: deps.today),
                                 schoolIDs: [c.schoolID], classID: c.id)
            fileName = "\(school.name)\(c.name)学生名单（\(c.schoolYear.name)）"
        }
        let url = FileDownload.scratch(ext)
        try await RegistryExport.students(from: deps.registry, query: query, to: url)
        return try FileDownload.response(url, fileName: "\(fileName).\(ext)", removeAfter: true)
    }

    @Sendable func staff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStaff)
        let ext = Self.format(request)
        let query = StaffQuery(date: deps.today, schoolIDs: try Self.schoolFilter(request, user: user),
                               post: request.query("post").flatMap(StaffPost.init(rawValue:)),
                               search: request.query("q").map { String($0.prefix(40)) })
        let url = FileDownload.scratch(ext)
        try await RegistryExport.staff(from: deps.registry, query: query, to: url)
        return try FileDownload.response(url, fileName: "教职工名单\(deps.today.description).\(ext)", removeAfter: true)
    }

    @Sendable func schools(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let ext = Self.format(request)
        let filter = SchoolFilter(townshipID: request.query("township").flatMap(Int64.init).map(TownshipID.init),
                                  zoneID: request.query("zone").flatMap(Int64.init).map(SchoolZoneID.init),
                                  type: request.query("type").flatMap(SchoolType.init(rawValue:)),
                                  openOn: request.query("closed") == "1" ? nil : deps.today, onlyIDs: user.readable)
        let url = FileDownload.scratch(ext)
        try await RegistryExport.schools(from: deps.registry, filter: filter, to: url)
        return try FileDownload.response(url, fileName: "学校名单.\(ext)", removeAfter: true)
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.viewAudit)
        let ext = Self.format(request)
        let entity = request.query("entity").flatMap { e in AuditController.entities.contains { $0.0 == e } ? e : nil }
        let actor = request.query("actor").map { String($0.prefix(64)) }
        let url = FileDownload.scratch(ext)
        try await RegistryExport.audit(from: deps.registry, entity: entity, actor: actor, to: url)
        return try FileDownload.response(url, fileName: "审计日志.\(ext)", removeAfter: true)
    }

    @Sendable func statistics(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.exportStatistics)
        let url = FileDownload.scratch("xlsx")
        try await StatisticsWorkbook.write(from: deps.registry, on: deps.today, to: url)
        return try FileDownload.response(url, fileName: "教育统计表\(deps.today.description).xlsx", removeAfter: true)
    }
}
