import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// The JSON API under `/api/v1`: the same resources, the same scope and the same refusals as
/// the pages (401 without a session, 403 for a role that may never, 404 outside the scope).
/// Described by `OpenAPIDocument` at `/api/openapi.json` — change both together.
struct APIController {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("me", use: me)
        r.get("schools", use: schools)
        r.get("schools/:id", use: school)
        r.get("students", use: students)
        r.get("students/:id", use: student)
        r.patch("students/:id", use: patchStudent)
        r.get("staff", use: staffList)
        r.get("staff/:id", use: staffMember)
        r.get("audit", use: audit)
        return r
    }

    /// The methods each API path answers, for 405 (with `Allow`) instead of 404 when a known
    /// path is asked with another method. Kept beside `routes`.
    static let methodsByPattern: [(pattern: [String], methods: [String])] = [
        (["me"], ["GET"]), (["schools"], ["GET"]), (["schools", "*"], ["GET"]), (["students"], ["GET"]),
        (["students", "*"], ["GET", "PATCH"]), (["staff"], ["GET"]), (["staff", "*"], ["GET"]), (["audit"], ["GET"]),
        (["cases"], ["GET", "POST"]), (["cases", "*"], ["GET"]), (["cases", "*", "steps"], ["POST"]),
        (["indicators"], ["GET"]), (["indicators", "values"], ["GET"]), (["indicators", "drill"], ["GET"]),
        (["school-year", "transfers"], ["GET", "POST"]), (["school-year", "transfers", "*", "approve"], ["POST"]),
        (["school-year", "transfers", "*", "refuse"], ["POST"]), (["school-year", "leave"], ["POST"]),
        (["school-year", "return"], ["POST"]), (["school-year", "year-end", "preview"], ["POST"]),
        (["school-year", "year-end"], ["POST"]), (["school-year", "year-end", "*", "undo"], ["POST"]),
        (["school-year", "rollover"], ["POST"]),
    ]

    /// The methods allowed on an `/api/v1/…` path, or `nil` when no route has that path.
    static func allowedMethods(path: String) -> [String]? {
        guard path.hasPrefix("/api/v1/") else { return nil }
        let parts = path.dropFirst("/api/v1/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for (pattern, methods) in methodsByPattern + DrawsAPIController.methodsByPattern where pattern.count == parts.count {
            if zip(pattern, parts).allSatisfy({ $0 == "*" ? !$1.isEmpty : $0 == $1 }) { return methods + ["HEAD"] }
        }
        return nil
    }

    // MARK: DTOs

    struct MeDTO: Codable { var login: String; var displayName: String; var role: String; var roleTitle: String; var scope: String; var scopeID: Int64?; var permissions: [String]; var csrfToken: String }
    struct SchoolDTO: Codable {
        var id: Int64; var code: String; var name: String; var type: String; var ownership: String; var urbanRural: String
        var townshipID: Int64; var zoneID: Int64?; var centralSchoolID: Int64?; var opened: String; var closed: String?
        var mergedIntoID: Int64?; var studentsEnrolled: Int
        init(_ s: School, students: Int) {
            id = s.id.rawValue; code = s.code; name = s.name; type = s.type.rawValue; ownership = s.ownership.rawValue
            urbanRural = s.urbanRural.rawValue; townshipID = s.townshipID.rawValue; zoneID = s.zoneID?.rawValue
            centralSchoolID = s.centralSchoolID?.rawValue; opened = s.opened.description; closed = s.closed?.description
            mergedIntoID = s.mergedIntoID?.rawValue; studentsEnrolled = students
        }
    }
    struct ClassDTO: Codable { var id: Int64; var schoolYear: Int; var grade: String; var number: Int; var name: String; var size: Int; var sizeCategory: String? }
    struct SchoolDetailDTO: Codable { var school: SchoolDTO; var classes: [ClassDTO] }
    struct ListDTO<T: Codable>: Codable { var items: [T]; var total: Int; var offset: Int; var limit: Int }
    struct FlagsDTO: Codable { var leftBehind: Bool; var migrantWorkerChild: Bool; var disability: String?; var inclusiveClass: Bool; var poverty: String?; var boarding: Bool }
    struct StudentSummaryDTO: Codable { var id: Int64; var studentNumber: String; var name: String; var gender: String; var birthDate: String; var schoolID: Int64; var grade: String; var classID: Int64? }
    struct EnrolmentDTO: Codable { var id: Int64; var schoolID: Int64; var grade: String; var classID: Int64?; var from: String; var until: String?; var entry: String; var exit: String? }
    struct StudentDTO: Codable {
        var id: Int64; var studentNumber: String; var name: String; var gender: String; var birthDate: String
        var residentID: String?; var ethnicity: String; var hukouType: String; var flags: FlagsDTO; var enrolments: [EnrolmentDTO]
    }
    struct StaffDTO: Codable {
        var id: Int64; var staffNumber: String; var name: String; var gender: String; var schoolID: Int64?; var post: String
        var established: Bool; var qualification: String; var title: String; var subjects: [String]; var backbone: Bool
        var hired: String; var left: String?
        init(_ m: StaffMember) {
            id = m.id.rawValue; staffNumber = m.staffNumber; name = m.name; gender = m.gender.rawValue; schoolID = m.schoolID?.rawValue
            post = m.post.rawValue; established = m.established; qualification = m.qualification.rawValue; title = m.title.rawValue
            subjects = m.subjects; backbone = m.backbone; hired = m.hired.description; left = m.left?.description
        }
    }
    struct AuditDTO: Codable { var id: Int64; var at: String; var actor: String; var action: String; var entity: String; var entityID: String; var before: String?; var after: String? }

    // MARK: query parameters

    /// offset/limit with field-level errors instead of silent clamping.
    static func paging(_ request: Request, maxLimit: Int = 200) throws -> (offset: Int, limit: Int) {
        var errors: [FieldError] = []
        var offset = 0, limit = 50
        if let s = Self.strictQuery(request, "offset") {
            if let n = Int(s), n >= 0, n <= 10_000_000 { offset = n } else { errors.append(FieldError(field: "offset", message: "应为不小于0的整数")) }
        }
        if let s = Self.strictQuery(request, "limit") {
            if let n = Int(s), (1...maxLimit).contains(n) { limit = n } else { errors.append(FieldError(field: "limit", message: "应为1到\(maxLimit)之间的整数")) }
        }
        if !errors.isEmpty { throw AppError.badRequest(code: "request.invalid_query", message: "查询参数有误", fields: errors) }
        return (offset, limit)
    }

    /// A query parameter as the API sees it: absent is nil, but present-and-empty stays "" so
    /// that it is refused like any other invalid value (the HTML forms, unlike the API, send
    /// empty values for "all").
    static func strictQuery(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters.get(name).map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    static func idParameter(_ request: Request, _ name: String) throws -> Int64? {
        guard let s = strictQuery(request, name) else { return nil }
        guard let n = Int64(s), n > 0 else {
            throw AppError.badRequest(code: "request.invalid_query", message: "查询参数有误", fields: [FieldError(field: name, message: "应为正整数编号")])
        }
        return n
    }

    /// `q`: a prefix of at most 40 characters.
    static func searchParameter(_ request: Request) throws -> String? {
        guard let q = request.query("q") else { return nil }
        guard q.unicodeScalars.count <= 40 else {
            throw AppError.badRequest(code: "request.invalid_query", message: "查询参数有误", fields: [FieldError(field: "q", message: "不能超过40个字符")])
        }
        return q
    }

    static func enumParameter<E: RawRepresentable>(_ request: Request, _ name: String, _: E.Type) throws -> E? where E.RawValue == String {
        guard let s = strictQuery(request, name) else { return nil }
        guard let v = E(rawValue: s) else {
            throw AppError.badRequest(code: "request.invalid_query", message: "查询参数有误", fields: [FieldError(field: name, message: "取值“\(s.prefix(20))”无效")])
        }
        return v
    }

    // MARK: handlers

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let a = user.account
        return JSONResponse.make(MeDTO(login: a.login, displayName: a.displayName, role: a.role.rawValue, roleTitle: a.role.title,
                                       scope: a.scope.kind.rawValue, scopeID: a.scope.placeID,
                                       permissions: Permission.allCases.filter { user.may($0) }.map(\.rawValue), csrfToken: user.csrfToken))
    }

    @Sendable func schools(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let township = try Self.idParameter(request, "township").map(TownshipID.init)
        let zone = try Self.idParameter(request, "zone").map(SchoolZoneID.init)
        let type = try Self.enumParameter(request, "type", SchoolType.self)
        let list = try await deps.registry.schools(SchoolFilter(townshipID: township, zoneID: zone, type: type, onlyIDs: user.readable))
        let counts = try await deps.registry.studentCountsBySchool(on: deps.today)
        let items = list.map { SchoolDTO($0, students: counts[$0.id] ?? 0) }
        return JSONResponse.make(ListDTO(items: items, total: items.count, offset: 0, limit: items.count))
    }

    @Sendable func school(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let s = try await SchoolsController.visibleSchool(context.parameters.get("id"), user: user, deps: deps)
        let today = deps.today
        let sizes = try await deps.registry.classSizes(schoolID: s.id, on: today)
        let classes = try await deps.registry.classes(schoolID: s.id, year: SchoolYear(containing: today)).map { c in
            ClassDTO(id: c.id.rawValue, schoolYear: c.schoolYear.startYear, grade: c.grade.rawValue, number: c.number, name: c.name,
                     size: sizes[c.id] ?? 0, sizeCategory: SchoolsController.SizeCategory.label(sizes[c.id] ?? 0))
        }
        let enrolled = try await deps.registry.students(StudentQuery(date: today, schoolIDs: [s.id], limit: 0)).total
        return JSONResponse.make(SchoolDetailDTO(school: SchoolDTO(s, students: enrolled), classes: classes))
    }

    @Sendable func students(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStudents)
        let (offset, limit) = try Self.paging(request)
        let school = try Self.idParameter(request, "school").map(SchoolID.init)
        if let school, !AccessPolicy.contains(user.readable, school) { throw AppError.notFound }
        let grade = try Self.enumParameter(request, "grade", GradeLevel.self)
        let search = try Self.searchParameter(request)
        let page = try await deps.registry.students(StudentQuery(date: deps.today, schoolIDs: school.map { [$0] } ?? user.readable,
                                                                 grade: grade, search: search, offset: offset, limit: limit))
        let items = page.items.map { r in
            StudentSummaryDTO(id: r.student.id.rawValue, studentNumber: r.student.studentNumber, name: r.student.name,
                              gender: r.student.gender.rawValue, birthDate: r.student.birthDate.description,
                              schoolID: r.enrolment.schoolID.rawValue, grade: r.enrolment.grade.rawValue, classID: r.enrolment.classID?.rawValue)
        }
        return JSONResponse.make(ListDTO(items: items, total: page.total, offset: offset, limit: limit))
    }

    func studentDTO(_ s: Student, _ enrolments: [Enrolment], user: CurrentUser) -> StudentDTO {
        let f = s.flags
        return StudentDTO(
            id: s.id.rawValue, studentNumber: s.studentNumber, name: s.name, gender: s.gender.rawValue, birthDate: s.birthDate.description,
            residentID: user.may(.editStudents) ? s.residentID?.value : (s.residentID == nil ? nil : StudentsController.masked(s.residentID)),
            ethnicity: s.ethnicity, hukouType: s.hukouType.rawValue,
            flags: FlagsDTO(leftBehind: f.leftBehind, migrantWorkerChild: f.migrantWorkerChild, disability: f.disability?.rawValue,
                            inclusiveClass: f.inclusiveClass, poverty: f.poverty?.rawValue, boarding: f.boarding),
            enrolments: enrolments.map { e in
                EnrolmentDTO(id: e.id.rawValue, schoolID: e.schoolID.rawValue, grade: e.grade.rawValue, classID: e.classID?.rawValue,
                             from: e.from.description, until: e.until?.description, entry: e.entry.rawValue, exit: e.exit?.rawValue)
            })
    }

    @Sendable func student(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStudents)
        let (s, enrolments) = try await StudentsController.visibleStudent(context.parameters.get("id"), user: user, deps: deps)
        return JSONResponse.make(studentDTO(s, enrolments, user: user))
    }

    @Sendable func patchStudent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editStudents)
        let (s, enrolments) = try await StudentsController.visibleStudent(context.parameters.get("id"), user: user, deps: deps)
        guard (request.headers[.contentType] ?? "").hasPrefix("application/json") else {
            throw AppError.badRequest(code: "request.content_type", message: "请求体必须是 application/json", fields: [])
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let edit: StudentEdit
        switch StudentEdit.fromJSON(Data(buffer: body)) {
        case .success(let e): edit = e
        case .failure(let errors):
            throw AppError.badRequest(code: "request.invalid_body", message: "请求体有误", fields: errors.items)
        }
        switch edit.apply(to: s) {
        case .failure(let errors):
            throw AppError.unprocessable(code: "student.invalid", message: "学生信息不符合学籍规则", fields: errors.items)
        case .success(let updated):
            if updated != s { try await deps.service.update(updated, by: user.account.actingUser) }
            return JSONResponse.make(studentDTO(updated, enrolments, user: user))
        }
    }

    @Sendable func staffList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStaff)
        let (offset, limit) = try Self.paging(request)
        let school = try Self.idParameter(request, "school").map(SchoolID.init)
        if let school, !AccessPolicy.contains(user.readable, school) { throw AppError.notFound }
        let post = try Self.enumParameter(request, "post", StaffPost.self)
        let search = try Self.searchParameter(request)
        let page = try await deps.registry.staff(StaffQuery(date: deps.today, schoolIDs: school.map { [$0] } ?? user.readable, post: post,
                                                            search: search, offset: offset, limit: limit))
        return JSONResponse.make(ListDTO(items: page.items.map(StaffDTO.init), total: page.total, offset: offset, limit: limit))
    }

    @Sendable func staffMember(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStaff)
        return JSONResponse.make(StaffDTO(try await StaffController.visibleStaff(context.parameters.get("id"), user: user, deps: deps)))
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.viewAudit)
        let (offset, limit) = try Self.paging(request)
        let page = try await deps.registry.auditEntries(entity: request.query("entity"), actor: request.query("actor"), offset: offset, limit: limit)
        let items = page.items.map { AuditDTO(id: $0.id, at: $0.at, actor: $0.actor, action: $0.action.rawValue, entity: $0.entity,
                                              entityID: $0.entityID, before: $0.before, after: $0.after) }
        return JSONResponse.make(ListDTO(items: items, total: page.total, offset: offset, limit: limit))
    }
}
