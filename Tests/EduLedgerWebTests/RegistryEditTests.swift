import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// The edit forms for schools, classes and staff, and the administrator's account management:
/// what is saved and audited, what is refused with the reason beside the field, and that a
/// refused form writes nothing.
@Suite("Edit forms and account management")
struct RegistryEditTests {
    func post(_ client: any TestClientProtocol, _ path: String, _ session: Session, _ fields: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: formType.merging(session.headers),
                                 body: formBody([("_csrf", session.csrf)] + fields))
    }

    @Test("school: saved and audited; bad fields shown inline; procedural fields refused", arguments: TestBackend.available)
    func school(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let store = SQLRegistryStore(database: db)
            let id = world.district.primary.id
            let admin = try await logIn(client, .admin)
            let form = try await client.execute(uri: "/schools/\(id.rawValue)/edit", method: .get, headers: admin.headers)
            #expect(form.text.contains("修改学校信息") && form.text.contains(world.district.primary.name))

            // Every problem at once, beside its field; nothing written.
            let bad = try await post(client, "/schools/\(id.rawValue)/edit", admin,
                                     [("name", ""), ("address", "<script>"), ("ownership", "私立"), ("urbanRural", "城区"),
                                      ("zone", ""), ("centralSchool", ""), ("campuses", ""), ("colour", "red")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("学校名称为必填项"))
            #expect(bad.text.contains("地址含有不允许的字符"))
            #expect(bad.text.contains("举办者只能是公办、民办"))
            #expect(bad.text.contains("colour：未知字段"))
            #expect(!bad.text.contains("<script>"), "typed markup is escaped, never echoed raw")
            #expect(try await store.school(id: id)?.name == world.district.primary.name)

            // A central school that is the school itself is a rule of the domain, reported at the top.
            let selfCentral = try await post(client, "/schools/\(id.rawValue)/edit", admin,
                                             [("name", "东城第一小学"), ("address", "人民路1号"), ("ownership", "公办"),
                                              ("urbanRural", "城区"), ("zone", ""), ("centralSchool", String(id.rawValue)), ("campuses", "")])
            #expect(selfCentral.status == .unprocessableContent)
            #expect(selfCentral.text.contains("不能是学校自身"))

            let ok = try await post(client, "/schools/\(id.rawValue)/edit", admin,
                                    [("name", "东城第一实验小学"), ("address", "人民路1号"), ("ownership", "公办"), ("urbanRural", "城区"),
                                     ("zone", String(world.zone.id.rawValue)), ("centralSchool", ""), ("campuses", "东校区、西校区")])
            #expect(ok.status == .seeOther)
            #expect(ok.location == "/schools/\(id.rawValue)?saved=1")
            let saved = try #require(try await store.school(id: id))
            #expect(saved.name == "东城第一实验小学" && saved.campuses == ["东校区", "西校区"] && saved.zoneID == world.zone.id)
            #expect(saved.code == world.district.primary.code && saved.type == world.district.primary.type)
            let audit = try await store.auditEntries(entity: "school", actor: WebWorld.login(.admin), offset: 0, limit: 10)
            #expect(audit.items.contains { $0.entityID == String(id.rawValue) && $0.action == .update })

            // The service refuses a change of identity, whoever asks.
            var renumbered = saved
            renumbered.code = "9999999999"
            await #expect(throws: RegistryError.self) {
                try await RegistryService(store: store).correct(renumbered, by: ActingUser(login: "x", displayName: "x"))
            }
        }
    }

    @Test("class: open a class, refuse a duplicate number, assign only this school's teachers", arguments: TestBackend.available)
    func classes(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let store = SQLRegistryStore(database: db)
            let school = world.district.primary
            let registrar = try await logIn(client, .registrar)
            let created = try await post(client, "/schools/\(school.id.rawValue)/classes/new", registrar, [("grade", "一年级"), ("number", "2")])
            #expect(created.status == .seeOther)
            let classes = try await store.classes(schoolID: school.id, year: SmallDistrict.year)
            #expect(classes.contains { $0.grade == .p1 && $0.number == 2 })

            let duplicate = try await post(client, "/schools/\(school.id.rawValue)/classes/new", registrar, [("grade", "一年级"), ("number", "2")])
            #expect(duplicate.status == .unprocessableContent)
            #expect(duplicate.text.contains("已存在") || duplicate.text.contains("重复"))
            let notTaught = try await post(client, "/schools/\(school.id.rawValue)/classes/new", registrar, [("grade", "七年级"), ("number", "1")])
            #expect(notTaught.status == .unprocessableContent)
            let badNumber = try await post(client, "/schools/\(school.id.rawValue)/classes/new", registrar, [("grade", "一年级"), ("number", "0")])
            #expect(badNumber.text.contains("班号须为1至999的整数"))
            #expect(try await store.classes(schoolID: school.id, year: SmallDistrict.year).count == classes.count)

            let c = world.district.primaryClass
            let foreign = try await post(client, "/classes/\(c.id.rawValue)/edit", registrar, [("headTeacher", String(world.otherTeacher.id.rawValue))])
            #expect(foreign.status == .unprocessableContent)
            #expect(foreign.text.contains("不是本校教职工"))
            #expect(try await store.schoolClass(id: c.id)?.headTeacherID == nil)
            let own = try await post(client, "/classes/\(c.id.rawValue)/edit", registrar, [("headTeacher", String(world.teacher.id.rawValue))])
            #expect(own.status == .seeOther)
            #expect(try await store.schoolClass(id: c.id)?.headTeacherID == world.teacher.id)
            let page = try await client.execute(uri: "/classes/\(c.id.rawValue)", method: .get, headers: registrar.headers)
            #expect(page.text.contains(world.teacher.name))
            // The other school's class does not exist for this registrar.
            let outside = try await post(client, "/classes/\(world.otherClass.id.rawValue)/edit", registrar, [("headTeacher", "")])
            #expect(outside.status == .notFound)
        }
    }

    @Test("staff: leaving date before hiring refused beside the field; a valid correction audited", arguments: TestBackend.available)
    func staff(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let store = SQLRegistryStore(database: db)
            let t = world.teacher
            let personnel = try await logIn(client, .personnel)
            let base: [(String, String)] = [("name", t.name), ("post", "专任教师"), ("established", "1"), ("qualification", "本科"),
                                            ("title", "高级教师"), ("subjects", "语文、道德与法治"), ("backbone", "1")]
            let bad = try await post(client, "/staff/\(t.id.rawValue)/edit", personnel, base + [("left", "2009-01-01")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("离岗日期须晚于入职日期"))
            let impossible = try await post(client, "/staff/\(t.id.rawValue)/edit", personnel, base + [("left", "2026-02-30")])
            #expect(impossible.text.contains("不是有效日期"))
            #expect(try await store.staffMember(id: t.id)?.title == t.title)

            let ok = try await post(client, "/staff/\(t.id.rawValue)/edit", personnel, base + [("left", "")])
            #expect(ok.status == .seeOther)
            let saved = try #require(try await store.staffMember(id: t.id))
            #expect(saved.title == .senior && saved.subjects == ["语文", "道德与法治"] && saved.backbone && saved.left == nil)
            let audit = try await store.auditEntries(entity: "staff", actor: WebWorld.login(.personnel), offset: 0, limit: 10)
            #expect(audit.items.count == 1)
            // A principal corrects only their own school's staff.
            let principal = try await logIn(client, .principal)
            let other = try await post(client, "/staff/\(world.otherTeacher.id.rawValue)/edit", principal, base + [("left", "")])
            #expect(other.status == .notFound)
            // A registrar may never.
            let registrar = try await logIn(client, .registrar)
            let refused = try await post(client, "/staff/\(t.id.rawValue)/edit", registrar, base + [("left", "")])
            #expect(refused.status == .forbidden)
        }
    }

    @Test("accounts: create with a one-time password, first login must change it, disable ends sessions", arguments: TestBackend.available)
    func accounts(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let admin = try await logIn(client, .admin)
            let school = "school:\(world.district.primary.id.rawValue)"
            // Role and place must fit.
            let mismatch = try await post(client, "/accounts/new", admin, [("login", "registrar-new"), ("displayName", "新学籍员"),
                                                                           ("role", Role.registrar.rawValue), ("place", "district")])
            #expect(mismatch.status == .unprocessableContent)
            #expect(mismatch.text.contains("必须归属于一所学校"))
            let badLogin = try await post(client, "/accounts/new", admin, [("login", "张三"), ("displayName", "张三"),
                                                                           ("role", Role.registrar.rawValue), ("place", school)])
            #expect(badLogin.text.contains("登录名“张三”无效"))
            let duplicate = try await post(client, "/accounts/new", admin, [("login", WebWorld.login(.principal)), ("displayName", "重名"),
                                                                            ("role", Role.registrar.rawValue), ("place", school)])
            #expect(duplicate.text.contains("已被使用"))

            let created = try await post(client, "/accounts/new", admin, [("login", "registrar-new"), ("displayName", "新学籍员"),
                                                                          ("role", Role.registrar.rawValue), ("place", school)])
            #expect(created.status == .created)
            let html = created.text
            let marker = "id=\"temporary-password\">"
            let start = try #require(html.range(of: marker))
            let temporary = String(html[start.upperBound...].prefix { $0 != "<" })
            #expect(temporary.count >= 10)
            let stored = try #require(try await SQLAccountStore(database: db).account(login: "registrar-new"))
            #expect(stored.account.mustChangePassword && !stored.passwordHash.contains(temporary))

            // The new user logs in with it and is sent to change it first.
            let (response, session) = try await attemptLogin(client, login: "registrar-new", password: temporary)
            #expect(response.location == "/account/password")
            let newUser = try #require(session)
            let students = try await client.execute(uri: "/students", method: .get, headers: newUser.headers)
            #expect(students.status.code == 302 || students.status == .ok)

            // Non-admins may never manage accounts.
            let leader = try await logIn(client, .leadership)
            let refused = try await post(client, "/accounts/new", leader, [("login", "x-yz"), ("displayName", "x"),
                                                                           ("role", Role.admin.rawValue), ("place", "district")])
            #expect(refused.status == .forbidden)

            // Disable: the user's session ends at once; the admin cannot disable themself.
            let id = stored.account.id
            let disabled = try await post(client, "/accounts/\(id)/disable", admin, [])
            #expect(disabled.status == .seeOther)
            let after = try await client.execute(uri: "/api/v1/me", method: .get, headers: newUser.headers)
            #expect(after.status == .unauthorized)
            let (_, again) = try await attemptLogin(client, login: "registrar-new", password: temporary)
            #expect(again == nil)
            let adminID = try #require(try await SQLAccountStore(database: db).account(login: WebWorld.login(.admin))).account.id
            let selfDisable = try await post(client, "/accounts/\(adminID)/disable", admin, [])
            #expect(selfDisable.status == .unprocessableContent)

            // Reset gives a new one-time password; the audit log has every step, never a hash.
            let reset = try await post(client, "/accounts/\(id)/reset-password", admin, [])
            #expect(reset.text.contains("密码已重置"))
            let audit = try await SQLRegistryStore(database: db).auditEntries(entity: "account", actor: WebWorld.login(.admin), offset: 0, limit: 20)
            let lines = audit.items.filter { $0.entityID == String(id) }
            #expect(lines.count == 3)
            #expect(lines.allSatisfy { !($0.after ?? "").contains("$2") })
        }
    }
}
