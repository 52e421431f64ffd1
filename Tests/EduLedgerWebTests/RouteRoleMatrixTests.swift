import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// Walks every route with every role and with no login, and checks the status: the refusals
/// (302 to the login page, 401, 403, 404) as much as the permissions.
@Suite("Route × role matrix")
struct RouteRoleMatrixTests {
    enum Who: Sendable, CustomStringConvertible {
        case anonymous, role(Role)
        var description: String { if case .role(let r) = self { return r.rawValue }; return "anonymous" }
    }

    struct Route: Sendable {
        var path: String
        /// Expected status for a logged-in role.
        var expect: @Sendable (Role) -> Int
        var api: Bool { path.hasPrefix("/api/") }
    }

    static func routes(_ w: WebWorld) -> [Route] {
        let p = w.district.primary.id.rawValue, o = w.otherSchool.id.rawValue
        let s1 = w.student.id.rawValue, s2 = w.otherStudent.id.rawValue
        let t1 = w.teacher.id.rawValue, t2 = w.otherTeacher.id.rawValue
        let c1 = w.district.primaryClass.id.rawValue, c2 = w.otherClass.id.rawValue
        func scoped(_ sees: @escaping @Sendable (Role) -> Bool, _ allowed: Set<Role>?) -> @Sendable (Role) -> Int {
            { role in
                if let allowed, !allowed.contains(role) { return 403 }
                return sees(role) ? 200 : 404
            }
        }
        let all: @Sendable (Role) -> Int = { _ in 200 }
        let edit: (@escaping @Sendable (Role) -> Bool) -> @Sendable (Role) -> Int = { sees in
            { role in
                if !WebWorld.studentReaders.contains(role) { return 403 }
                if !sees(role) { return 404 }
                return WebWorld.studentEditors.contains(role) ? 200 : 403
            }
        }
        // The new edit forms refuse a role that may never edit first (403), then a record outside scope (404).
        let editing: (Set<Role>, @escaping @Sendable (Role) -> Bool) -> @Sendable (Role) -> Int = { editors, sees in
            { role in editors.contains(role) ? (sees(role) ? 200 : 404) : 403 }
        }
        return [
            Route(path: "/dashboard", expect: all),
            Route(path: "/schools/\(p)/edit", expect: editing(WebWorld.schoolEditors, WebWorld.seesPrimary)),
            Route(path: "/schools/\(o)/edit", expect: editing(WebWorld.schoolEditors, WebWorld.seesOther)),
            Route(path: "/schools/\(p)/merge", expect: editing(WebWorld.schoolEditors, WebWorld.seesPrimary)),
            Route(path: "/schools/\(o)/merge", expect: editing(WebWorld.schoolEditors, WebWorld.seesOther)),
            Route(path: "/schools/\(p)/classes/new", expect: editing(WebWorld.classEditors, WebWorld.seesPrimary)),
            Route(path: "/schools/\(o)/classes/new", expect: editing(WebWorld.classEditors, WebWorld.seesOther)),
            Route(path: "/classes/\(c1)/edit", expect: editing(WebWorld.classEditors, WebWorld.seesPrimary)),
            Route(path: "/classes/\(c2)/edit", expect: editing(WebWorld.classEditors, WebWorld.seesOther)),
            Route(path: "/staff/\(t1)/edit", expect: editing(WebWorld.staffEditors, WebWorld.seesPrimary)),
            Route(path: "/staff/\(t2)/edit", expect: editing(WebWorld.staffEditors, WebWorld.seesOther)),
            Route(path: "/accounts", expect: { $0 == .admin ? 200 : 403 }),
            Route(path: "/accounts/new", expect: { $0 == .admin ? 200 : 403 }),
            Route(path: "/accounts/1", expect: { $0 == .admin ? 200 : 403 }),
            Route(path: "/accounts/999999", expect: { $0 == .admin ? 404 : 403 }),
            Route(path: "/schools", expect: all),
            Route(path: "/schools/\(p)", expect: scoped(WebWorld.seesPrimary, nil)),
            Route(path: "/schools/\(o)", expect: scoped(WebWorld.seesOther, nil)),
            Route(path: "/schools/999999", expect: { _ in 404 }),
            Route(path: "/classes/\(c1)", expect: scoped(WebWorld.seesPrimary, nil)),
            Route(path: "/classes/\(c2)", expect: scoped(WebWorld.seesOther, nil)),
            Route(path: "/students", expect: scoped({ _ in true }, WebWorld.studentReaders)),
            Route(path: "/students?school=\(o)", expect: scoped(WebWorld.seesOther, WebWorld.studentReaders)),
            Route(path: "/students/\(s1)", expect: scoped(WebWorld.seesPrimary, WebWorld.studentReaders)),
            Route(path: "/students/\(s2)", expect: scoped(WebWorld.seesOther, WebWorld.studentReaders)),
            Route(path: "/students/999999", expect: scoped({ _ in false }, WebWorld.studentReaders)),
            Route(path: "/students/\(s1)/edit", expect: edit(WebWorld.seesPrimary)),
            Route(path: "/students/\(s2)/edit", expect: edit(WebWorld.seesOther)),
            Route(path: "/staff", expect: scoped({ _ in true }, WebWorld.staffReaders)),
            Route(path: "/staff/\(t1)", expect: scoped(WebWorld.seesPrimary, WebWorld.staffReaders)),
            Route(path: "/staff/\(t2)", expect: scoped(WebWorld.seesOther, WebWorld.staffReaders)),
            Route(path: "/audit", expect: { $0 == .admin ? 200 : 403 }),
            Route(path: "/reports", expect: all),
            Route(path: "/reports/check", expect: all),
            Route(path: "/reports/generate?year=2025", expect: all),
            Route(path: "/reports/generate?year=2025&unit=school:\(w.otherSchool.code)", expect: scoped(WebWorld.seesOther, nil)),
            Route(path: "/reports/trace?indicator=students.primary&year=2025&unit=school:\(w.district.primary.code)",
                  expect: scoped(WebWorld.seesPrimary, nil)),
            Route(path: "/reports/templates/999/edit", expect: { $0.scopeKind == .district ? 404 : 403 }),
            Route(path: "/reports/999", expect: { _ in 404 }),
            Route(path: "/imports", expect: { WebWorld.importers.contains($0) ? 200 : 403 }),
            Route(path: "/exports/students?format=csv", expect: scoped({ _ in true }, WebWorld.studentReaders)),
            Route(path: "/exports/staff?format=csv", expect: scoped({ _ in true }, WebWorld.staffReaders)),
            Route(path: "/exports/schools?format=csv", expect: all),
            Route(path: "/exports/audit?format=csv", expect: { $0 == .admin ? 200 : 403 }),
            Route(path: "/exports/statistics", expect: { WebWorld.statisticsReaders.contains($0) ? 200 : 403 }),
            Route(path: "/account/password", expect: all),
            Route(path: "/api/v1/me", expect: all),
            Route(path: "/api/v1/schools", expect: all),
            Route(path: "/api/v1/schools/\(p)", expect: scoped(WebWorld.seesPrimary, nil)),
            Route(path: "/api/v1/schools/\(o)", expect: scoped(WebWorld.seesOther, nil)),
            Route(path: "/api/v1/students", expect: scoped({ _ in true }, WebWorld.studentReaders)),
            Route(path: "/api/v1/students?school=\(o)", expect: scoped(WebWorld.seesOther, WebWorld.studentReaders)),
            Route(path: "/api/v1/students/\(s1)", expect: scoped(WebWorld.seesPrimary, WebWorld.studentReaders)),
            Route(path: "/api/v1/students/\(s2)", expect: scoped(WebWorld.seesOther, WebWorld.studentReaders)),
            Route(path: "/api/v1/staff", expect: scoped({ _ in true }, WebWorld.staffReaders)),
            Route(path: "/api/v1/staff/\(t1)", expect: scoped(WebWorld.seesPrimary, WebWorld.staffReaders)),
            Route(path: "/api/v1/staff/\(t2)", expect: scoped(WebWorld.seesOther, WebWorld.staffReaders)),
            Route(path: "/api/v1/audit", expect: { $0 == .admin ? 200 : 403 }),
            Route(path: "/indicators", expect: all),
            Route(path: "/indicators/balance", expect: all),
            Route(path: "/indicators/drill?indicator=students.total&unit=school:\(w.otherSchool.code)&year=2025",
                  expect: scoped(WebWorld.seesOther, nil)),
            Route(path: "/api/v1/indicators", expect: all),
            Route(path: "/api/v1/indicators/values?unit=school:\(w.district.primary.code)", expect: scoped(WebWorld.seesPrimary, nil)),
            Route(path: "/school-year", expect: { WebWorld.schoolYearClerks.contains($0) ? 200 : 403 }),
            Route(path: "/api/v1/school-year/transfers", expect: { WebWorld.schoolYearClerks.contains($0) ? 200 : 403 }),
            Route(path: "/dropouts", expect: scoped({ _ in true }, WebWorld.studentReaders)),
        ]
    }

    @Test("every route, every role, and anonymous", arguments: TestBackend.available)
    func matrix(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let routes = Self.routes(world) + (try await DrawMatrix.routes(world, db)) + (try await CaseMatrix.routes(world, db))
            // Public pages for everyone.
            for path in ["/", "/login", "/static/app.css", "/static/app.js", "/api/openapi.json",
                         "/public/cases", "/public/cases/petition", "/public/cases/licence", "/public/cases/track"] {
                let r = try await client.execute(uri: path, method: .get)
                #expect(r.status.code == 200, "anonymous GET \(path)")
            }
            // Anonymous: pages redirect to the login page, the API answers 401 in JSON.
            for route in routes {
                let r = try await client.execute(uri: route.path, method: .get)
                if route.api {
                    #expect(r.status.code == 401, "anonymous GET \(route.path)")
                    #expect(r.text.contains("\"code\":\"auth.required\""))
                } else {
                    #expect(r.status.code == 302, "anonymous GET \(route.path)")
                    #expect(r.location?.hasPrefix("/login?next=") == true, "anonymous GET \(route.path) → \(r.location ?? "")")
                }
            }
            var checked = 0
            for role in Role.allCases {
                let session = try await logIn(client, role)
                for route in routes {
                    let r = try await client.execute(uri: route.path, method: .get, headers: session.headers)
                    let expected = route.expect(role)
                    #expect(Int(r.status.code) == expected, "\(role) GET \(route.path): got \(r.status.code), expected \(expected)")
                    if route.api && expected != 200 {
                        #expect(r.text.hasPrefix("{\"error\":{"), "\(role) GET \(route.path) error is JSON")
                    }
                    checked += 1
                }
                // A logged-in user going to /login is sent on.
                let login = try await client.execute(uri: "/login", method: .get, headers: session.headers)
                #expect(login.status.code == 302)
            }
            #expect(checked == routes.count * Role.allCases.count)
        }
    }

    @Test("writes: anonymous and roles that may never edit are refused; scope gives 404", arguments: TestBackend.available)
    func writes(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let s1 = world.student.id.rawValue, s2 = world.otherStudent.id.rawValue
            // Anonymous POST: to the login page; anonymous PATCH: 401.
            let anon = try await client.execute(uri: "/students/\(s1)/edit", method: .post, headers: formType,
                                                body: formBody([("name", "黑客")]))
            #expect(anon.status.code == 302)
            let anonAPI = try await client.execute(uri: "/api/v1/students/\(s1)", method: .patch,
                                                   headers: [.contentType: "application/json"], body: ByteBuffer(string: "{\"name\":\"黑客\"}"))
            #expect(anonAPI.status.code == 401)
            for role in Role.allCases {
                let session = try await logIn(client, role)
                for (id, sees) in [(s1, WebWorld.seesPrimary(role)), (s2, WebWorld.seesOther(role))] {
                    let expected = !WebWorld.studentEditors.contains(role) ? 403 : (sees ? 303 : 404)
                    let r = try await client.execute(
                        uri: "/students/\(id)/edit", method: .post, headers: formType.merging(session.headers),
                        body: formBody([("_csrf", session.csrf), ("name", "改名甲"), ("ethnicity", "汉族"),
                                        ("hukouType", "居民"), ("disability", ""), ("poverty", "")]))
                    #expect(Int(r.status.code) == expected, "\(role) POST edit \(id): \(r.status.code)")
                    var headers = session.headers
                    headers[.contentType] = "application/json"
                    headers[.init("X-CSRF-Token")!] = session.csrf
                    let api = try await client.execute(uri: "/api/v1/students/\(id)", method: .patch, headers: headers,
                                                       body: ByteBuffer(string: "{\"boarding\":true}"))
                    #expect(Int(api.status.code) == (expected == 303 ? 200 : expected), "\(role) PATCH \(id): \(api.status.code)")
                }
            }
            // Nobody outside the other school's scope changed it: only district editors and none of the school's roles.
            let store = SQLRegistryStore(database: db)
            let audit = try await store.auditEntries(entity: "student", actor: nil, offset: 0, limit: 200)
            let actorsOnOther = Set(audit.items.filter { $0.entityID == String(s2) && $0.action == .update }.map(\.actor))
            #expect(actorsOnOther == [WebWorld.login(.admin), WebWorld.login(.basicEducation)])
        }
    }
}
