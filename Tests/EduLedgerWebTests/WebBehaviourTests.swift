import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

@Suite("Web: login, CSRF, edits, audit, escaping, API")
struct WebBehaviourTests {
    @Test("login sets a HttpOnly SameSite session cookie; a wrong password does not; logout ends the session",
          arguments: TestBackend.available)
    func loginAndLogout(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, _ in
            let (bad, noSession) = try await attemptLogin(client, login: WebWorld.login(.registrar), password: "wrong-password-1")
            #expect(bad.status.code == 401)
            #expect(noSession == nil)
            #expect(bad.text.contains("登录名或密码错误"))
            let (ok, session) = try await attemptLogin(client, login: WebWorld.login(.registrar), password: WebWorld.password)
            #expect(ok.status.code == 303)
            #expect(ok.location == "/dashboard")
            let line = ok.headers[values: .setCookie].first { $0.hasPrefix(CookieNames.session + "=") } ?? ""
            #expect(line.contains("HttpOnly"))
            #expect(line.contains("SameSite=Lax"))
            let s = try #require(session)
            let dash = try await client.execute(uri: "/dashboard", method: .get, headers: s.headers)
            #expect(dash.status.code == 200)
            #expect(dash.text.contains("东城第一小学"))
            let out = try await client.execute(uri: "/logout", method: .post, headers: formType.merging(s.headers),
                                               body: formBody([("_csrf", s.csrf)]))
            #expect(out.status.code == 303)
            let after = try await client.execute(uri: "/dashboard", method: .get, headers: s.headers)
            #expect(after.status.code == 302)
        }
    }

    @Test("secure cookies carry the Secure attribute unless configured for plain-HTTP development")
    func secureCookie() async throws {
        try await TestDatabases.withFreshDatabase(.sqlite) { location in
            let db = try await Database.open(location)
            _ = try await WebWorld.make(db)
            let app = try await buildApplication(WebConfig(database: db, secureCookies: true, bcryptCost: 4, today: SmallDistrict.day,
                                                           logLevel: .critical))
            try await app.test(.router) { client in
                let (ok, _) = try await attemptLogin(client, login: WebWorld.login(.admin), password: WebWorld.password)
                let line = ok.headers[values: .setCookie].first { $0.hasPrefix(CookieNames.session + "=") } ?? ""
                #expect(line.contains("Secure"))
            }
            try await db.close()
        }
    }

    @Test("five failed logins lock the account for 15 minutes, even with the right password", arguments: TestBackend.available)
    func throttling(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, _ in
            for _ in 0..<5 {
                let (r, _) = try await attemptLogin(client, login: WebWorld.login(.principal), password: "guess-guess-1")
                #expect(r.status.code == 401)
            }
            let (locked, session) = try await attemptLogin(client, login: WebWorld.login(.principal), password: WebWorld.password)
            #expect(locked.status.code == 429)
            #expect(session == nil)
            #expect(locked.text.contains("登录失败次数过多"))
            // Another account is not affected.
            let (other, otherSession) = try await attemptLogin(client, login: WebWorld.login(.registrar), password: WebWorld.password)
            #expect(other.status.code == 303)
            #expect(otherSession != nil)
        }
    }

    @Test("a POST without the session's CSRF token is refused and writes nothing", arguments: TestBackend.available)
    func csrf(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let s = try await logIn(client, .registrar)
            let id = world.student.id.rawValue
            let fields = [("name", "改名了"), ("ethnicity", "汉族"), ("hukouType", "居民"), ("disability", ""), ("poverty", "")]
            let missing = try await client.execute(uri: "/students/\(id)/edit", method: .post, headers: formType.merging(s.headers),
                                                   body: formBody(fields))
            #expect(missing.status.code == 403)
            #expect(missing.text.contains("CSRF"))
            let wrong = try await client.execute(uri: "/students/\(id)/edit", method: .post, headers: formType.merging(s.headers),
                                                 body: formBody([("_csrf", String(repeating: "a", count: 64))] + fields))
            #expect(wrong.status.code == 403)
            // The login form needs its own token too.
            let login = try await client.execute(uri: "/login", method: .post, headers: formType,
                                                 body: formBody([("login", WebWorld.login(.admin)), ("password", WebWorld.password)]))
            #expect(login.status.code == 403)
            // The API write needs the header.
            var headers = s.headers
            headers[.contentType] = "application/json"
            let api = try await client.execute(uri: "/api/v1/students/\(id)", method: .patch, headers: headers,
                                               body: ByteBuffer(string: "{\"name\":\"改名了\"}"))
            #expect(api.status.code == 403)
            #expect(api.text.contains("auth.csrf"))
            let student = try await SQLRegistryStore(database: db).student(id: world.student.id)
            #expect(student?.name == "张小明")
        }
    }

    @Test("a registrar edits a student of their school; the admin sees it in the audit log; the registrar cannot read the log or touch another school",
          arguments: TestBackend.available)
    func registrarEditAndAudit(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let s = try await logIn(client, .registrar)
            let id = world.student.id.rawValue
            let edit = try await client.execute(
                uri: "/students/\(id)/edit", method: .post, headers: formType.merging(s.headers),
                body: formBody([("_csrf", s.csrf), ("name", "张晓明"), ("ethnicity", "土家族"), ("hukouType", "农业"),
                                ("leftBehind", "1"), ("boarding", "1"), ("disability", ""), ("poverty", "低保")]))
            #expect(edit.status.code == 303)
            #expect(edit.location == "/students/\(id)?saved=1")
            let store = SQLRegistryStore(database: db)
            let saved = try #require(try await store.student(id: world.student.id))
            #expect(saved.name == "张晓明")
            #expect(saved.ethnicity == "土家族")
            #expect(saved.flags.leftBehind && saved.flags.boarding && saved.flags.poverty == .minimumLiving)
            #expect(saved.residentID == world.student.residentID)
            let detail = try await client.execute(uri: "/students/\(id)?saved=1", method: .get, headers: s.headers)
            #expect(detail.text.contains("已保存"))
            #expect(detail.text.contains("留守儿童"))

            // The registrar may not read the audit log.
            #expect(try await client.execute(uri: "/audit", method: .get, headers: s.headers).status.code == 403)
            // Another school's student does not exist for them, and stays unchanged.
            let other = world.otherStudent.id.rawValue
            let refused = try await client.execute(
                uri: "/students/\(other)/edit", method: .post, headers: formType.merging(s.headers),
                body: formBody([("_csrf", s.csrf), ("name", "改名了"), ("ethnicity", "汉族"), ("hukouType", "居民"),
                                ("disability", ""), ("poverty", "")]))
            #expect(refused.status.code == 404)
            #expect(try await store.student(id: world.otherStudent.id)?.name == "王小红")

            let admin = try await logIn(client, .admin)
            let audit = try await client.execute(uri: "/audit?entity=student&actor=\(WebWorld.login(.registrar))", method: .get,
                                                 headers: admin.headers)
            #expect(audit.status.code == 200)
            #expect(audit.text.contains(WebWorld.login(.registrar)))
            #expect(audit.text.contains("张小明"))
            #expect(audit.text.contains("张晓明"))
            let entries = try await store.auditEntries(entity: "student", actor: WebWorld.login(.registrar), offset: 0, limit: 10)
            #expect(entries.total == 1)
            #expect(entries.items.first?.entityID == String(id))
        }
    }

    @Test("invalid input shows inline Chinese errors and writes nothing", arguments: TestBackend.available)
    func validation(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let s = try await logIn(client, .registrar)
            let store = SQLRegistryStore(database: db)
            let before = try await store.auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total
            let r = try await client.execute(
                uri: "/students/\(world.student.id.rawValue)/edit", method: .post, headers: formType.merging(s.headers),
                body: formBody([("_csrf", s.csrf), ("name", "  "), ("ethnicity", "火星族"), ("hukouType", "居民"),
                                ("inclusiveClass", "1"), ("disability", ""), ("poverty", "富裕")]))
            #expect(r.status.code == 422)
            #expect(r.text.contains("姓名为必填项"))
            #expect(r.text.contains("不在国家标准的56个民族中"))
            #expect(r.text.contains("困难类别只能是"))
            #expect(r.text.contains("随班就读的学生须填写残疾类别"))
            #expect(r.text.contains("aria-invalid=\"true\""))
            // One mistake does not lose the rest of what was typed.
            let kept = try await client.execute(
                uri: "/students/\(world.student.id.rawValue)/edit", method: .post, headers: formType.merging(s.headers),
                body: formBody([("_csrf", s.csrf), ("name", ""), ("ethnicity", "回族"), ("hukouType", "农业"), ("leftBehind", "1"),
                                ("disability", ""), ("poverty", "")]))
            #expect(kept.status.code == 422)
            #expect(kept.text.contains("<option value=\"回族\" selected>"))
            #expect(kept.text.contains("name=\"leftBehind\" value=\"1\" checked"))
            let unknown = try await client.execute(
                uri: "/students/\(world.student.id.rawValue)/edit", method: .post, headers: formType.merging(s.headers),
                body: formBody([("_csrf", s.csrf), ("name", "张小明"), ("residentID", "110101201903041234")]))
            #expect(unknown.status.code == 422)
            #expect(unknown.text.contains("未知字段"))
            #expect(try await store.auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total == before)
            #expect(try await store.student(id: world.student.id) == world.student)
        }
    }

    @Test("HTML and script in a name are escaped everywhere; SQL-like search text is only text", arguments: TestBackend.available)
    func escaping(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            // Stored through the domain service (as an import might), not through the form, which refuses it.
            let store = SQLRegistryStore(database: db)
            var evil = world.student
            evil.name = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
            try await RegistryService(store: store).update(evil, by: ActingUser(login: "import", displayName: "导入"))
            let s = try await logIn(client, .admin)
            for path in ["/students/\(evil.id.rawValue)", "/students", "/students/\(evil.id.rawValue)/edit",
                         "/classes/\(world.district.primaryClass.id.rawValue)", "/audit?entity=student"] {
                let r = try await client.execute(uri: path, method: .get, headers: s.headers)
                #expect(r.status.code == 200, "\(path)")
                #expect(!r.text.contains("<script>alert"), "\(path) must escape the name")
                #expect(!r.text.contains("<img src=x"), "\(path) must escape the name")
                #expect(r.text.contains("&lt;script&gt;"), "\(path) shows the escaped name")
            }
            // The form refuses such a name.
            let refused = try await client.execute(
                uri: "/students/\(evil.id.rawValue)/edit", method: .post, headers: formType.merging(s.headers),
                body: formBody([("_csrf", s.csrf), ("name", "<b>粗</b>"), ("ethnicity", "汉族"), ("hukouType", "居民"),
                                ("disability", ""), ("poverty", "")]))
            #expect(refused.status.code == 422)
            #expect(!refused.text.contains("<b>粗</b>"))

            for q in ["' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE students; --", "王%"] {
                let uri = urlWithQuery("/students", [("q", q)])
                let r = try await client.execute(uri: uri, method: .get, headers: s.headers)
                #expect(r.status.code == 200, "search \(q)")
                #expect(r.text.contains("没有符合条件的学生"), "search \(q) matches nothing")
                let api = try await client.execute(uri: urlWithQuery("/api/v1/students", [("q", q)]), method: .get, headers: s.headers)
                #expect(api.text.contains("\"total\":0"), "API search \(q)")
            }
            let prefix = try await client.execute(uri: urlWithQuery("/api/v1/students", [("q", "王")]), method: .get, headers: s.headers)
            #expect(prefix.text.contains("\"total\":1"))
            #expect(try await store.students(StudentQuery(date: SmallDistrict.day)).total == 2)
        }
    }

    @Test("JSON API: scoped lists, error shapes with stable codes, field-level errors, size limit", arguments: TestBackend.available)
    func api(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            struct List: Decodable { struct Item: Decodable { var id: Int64; var name: String }; var items: [Item]; var total: Int }
            struct ErrorBody: Decodable {
                struct Detail: Decodable { var code: String; var message: String; var fields: [FieldError]? }
                var error: Detail
            }
            let registrar = try await logIn(client, .registrar)
            let mine = try await client.execute(uri: "/api/v1/students", method: .get, headers: registrar.headers)
            let list = try JSONDecoder().decode(List.self, from: Data(buffer: mine.body))
            #expect(list.total == 1)
            #expect(list.items.map(\.id) == [world.student.id.rawValue])
            let schools = try JSONDecoder().decode(List.self, from: Data(buffer: try await client.execute(
                uri: "/api/v1/schools", method: .get, headers: registrar.headers).body))
            #expect(schools.items.map(\.id) == [world.district.primary.id.rawValue])

            let notFound = try await client.execute(uri: "/api/v1/students/\(world.otherStudent.id.rawValue)", method: .get,
                                                    headers: registrar.headers)
            #expect(notFound.status.code == 404)
            let nf = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: notFound.body))
            #expect(nf.error.code == "not_found")
            #expect(nf.error.message.contains("找不到"))
            let unknownRoute = try await client.execute(uri: "/api/v1/nothing-here", method: .get, headers: registrar.headers)
            #expect(unknownRoute.status.code == 404)
            #expect(unknownRoute.text.contains("\"code\":\"not_found\""))

            let badQuery = try await client.execute(uri: "/api/v1/students?limit=100000&offset=-1", method: .get, headers: registrar.headers)
            #expect(badQuery.status.code == 400)
            let bq = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: badQuery.body))
            #expect(Set(bq.error.fields?.map(\.field) ?? []) == ["limit", "offset"])

            var headers = registrar.headers
            headers[.contentType] = "application/json"
            headers[.init("X-CSRF-Token")!] = registrar.csrf
            let uri = "/api/v1/students/\(world.student.id.rawValue)"
            func patch(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .patch, headers: headers, body: ByteBuffer(string: body))
            }
            let unknown = try await patch("{\"name\":\"张三\",\"residentID\":\"1\",\"isAdmin\":true}")
            #expect(unknown.status.code == 400)
            let u = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: unknown.body))
            #expect(u.error.code == "request.invalid_body")
            #expect(u.error.fields?.map(\.field) == ["isAdmin", "residentID"])
            let malformed = try await patch("{\"name\": ")
            #expect(malformed.status.code == 400)
            let wrongType = try await patch("{\"boarding\":\"yes\",\"name\":5}")
            #expect(wrongType.status.code == 400)
            #expect(Set(try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: wrongType.body)).error.fields?.map(\.field) ?? [])
                    == ["boarding", "name"])
            let invalid = try await patch("{\"ethnicity\":\"火星族\"}")
            #expect(invalid.status.code == 422)
            #expect(invalid.text.contains("student.invalid"))
            let ruleBroken = try await patch("{\"inclusiveClass\":true}")
            #expect(ruleBroken.status.code == 422)
            #expect(ruleBroken.text.contains("\"field\":\"inclusiveClass\""))
            let wrongMethod = try await client.execute(uri: "/api/v1/schools", method: .delete, headers: headers)
            #expect(wrongMethod.status.code == 405)
            #expect(wrongMethod.headers[.allow] == "GET, HEAD")
            #expect(wrongMethod.text.contains("request.method_not_allowed"))
            let huge = try await patch("{\"name\":\"" + String(repeating: "长", count: 600_000) + "\"}")
            #expect(huge.status.code == 413)
            #expect(huge.text.contains("request.too_large"))
            let store = SQLRegistryStore(database: db)
            #expect(try await store.student(id: world.student.id) == world.student)

            let ok = try await patch("{\"migrantWorkerChild\":true,\"disability\":null}")
            #expect(ok.status.code == 200)
            #expect(ok.text.contains("\"migrantWorkerChild\":true"))
            #expect(try await store.student(id: world.student.id)?.flags.migrantWorkerChild == true)
            let audit = try await store.auditEntries(entity: "student", actor: WebWorld.login(.registrar), offset: 0, limit: 5)
            #expect(audit.total == 1)
        }
    }

    @Test("the OpenAPI document is valid JSON and describes every API route")
    func openAPI() async throws {
        let object = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]
        let paths = try #require(object?["paths"] as? [String: Any])
        #expect(Set(paths.keys) == ["/api/v1/me", "/api/v1/schools", "/api/v1/schools/{id}", "/api/v1/students",
                                    "/api/v1/students/{id}", "/api/v1/staff", "/api/v1/staff/{id}", "/api/v1/audit",
                                    "/api/v1/draws", "/api/v1/draws/{id}", "/api/v1/draws/{id}/record", "/api/v1/draws/{id}/report",
                                    "/api/v1/draws/{id}/roster", "/api/v1/draws/{id}/publish", "/api/v1/draws/{id}/seed-parts",
                                    "/api/v1/draws/{id}/seed", "/api/v1/draws/{id}/assign", "/api/v1/draws/{id}/lock",
                                    "/api/v1/draws/{id}/lottery/labels", "/api/v1/draws/{id}/lottery/teachers", "/api/v1/draws/{id}/late",
                                    "/api/v1/cases", "/api/v1/cases/{id}", "/api/v1/cases/{id}/steps",
                                    "/api/v1/indicators", "/api/v1/indicators/values", "/api/v1/indicators/drill",
                                    "/api/v1/school-year/transfers", "/api/v1/school-year/transfers/{id}/approve",
                                    "/api/v1/school-year/transfers/{id}/refuse", "/api/v1/school-year/leave",
                                    "/api/v1/school-year/return", "/api/v1/school-year/year-end/preview",
                                    "/api/v1/school-year/year-end", "/api/v1/school-year/year-end/{id}/undo",
                                    "/api/v1/school-year/rollover"])
        #expect(object?["openapi"] as? String == "3.0.3")
    }

    @Test("demo accounts: one per role, and outside demo mode each must change its password first", arguments: TestBackend.available)
    func demoAccounts(_ backend: TestBackend) async throws {
        try await withApp(backend, demoMode: false) { client, world, db in
            let infos = try await DemoAccounts.create(in: db, bcryptCost: 4)
            let again = try await DemoAccounts.create(in: db, bcryptCost: 4)
            #expect(infos == again)
            let logins = Set(infos.map(\.login))
            for expected in ["admin", "leader", "jcjyg", "inspector", "principal-\(world.district.primary.code)",
                             "registrar-\(world.district.primary.code)"] {
                #expect(logins.contains(expected), "\(expected)")
            }
            let accounts = try await SQLAccountStore(database: db).accounts()
            let demoRoles = Set(accounts.filter(\.isDemo).map(\.role))
            #expect(demoRoles == Set(Role.allCases))

            let (r, session) = try await attemptLogin(client, login: "principal-\(world.district.primary.code)", password: DemoAccounts.password)
            #expect(r.location == "/account/password")
            let s = try #require(session)
            let blocked = try await client.execute(uri: "/students", method: .get, headers: s.headers)
            #expect(blocked.status.code == 302)
            #expect(blocked.location == "/account/password")
            let weak = try await client.execute(uri: "/account/password", method: .post, headers: formType.merging(s.headers),
                                                body: formBody([("_csrf", s.csrf), ("current", DemoAccounts.password), ("new", "12345678901"),
                                                                ("confirm", "12345678901")]))
            #expect(weak.status.code == 422)
            #expect(weak.text.contains("不能全部是数字"))
            let changed = try await client.execute(uri: "/account/password", method: .post, headers: formType.merging(s.headers),
                                                   body: formBody([("_csrf", s.csrf), ("current", DemoAccounts.password),
                                                                   ("new", "a-new-secret-42"), ("confirm", "a-new-secret-42")]))
            #expect(changed.status.code == 303)
            #expect(try await client.execute(uri: "/students", method: .get, headers: s.headers).status.code == 200)
            let (old, _) = try await attemptLogin(client, login: "principal-\(world.district.primary.code)", password: DemoAccounts.password)
            #expect(old.status.code == 401)
            // The password change is in the audit log, without the hash.
            let audit = try await SQLRegistryStore(database: db).auditEntries(entity: "account", actor: nil, offset: 0, limit: 100)
            #expect(audit.items.contains { $0.after?.contains("\"passwordChanged\":true") == true })
            #expect(!audit.items.contains { ($0.after ?? "").contains("$2") })
        }
    }
}
