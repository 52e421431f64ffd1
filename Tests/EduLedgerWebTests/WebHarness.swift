import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
@testable import EduLedgerWeb

/// A small district with two townships, a school zone, schools in both townships, students,
/// staff and one account per role — the world every web test runs in.
struct WebWorld: Sendable {
    let district: SmallDistrict
    /// A school in the second township (王家镇), in zone `zone`.
    let otherSchool: School
    let otherClass: SchoolClass
    /// In the primary school (东城第一小学), class 一年级(1)班.
    let student: Student
    /// In `otherSchool`.
    let otherStudent: Student
    let teacher: StaffMember
    let otherTeacher: StaffMember
    let zone: SchoolZone
    static let password = "test-password-1"

    /// Login name of the test account of each role.
    static func login(_ role: Role) -> String { "t-" + role.rawValue.lowercased() }

    static func make(_ db: Database) async throws -> WebWorld {
        let store = SQLRegistryStore(database: db)
        let d = try await SmallDistrict.make(in: store)
        let admin = ActingUser(login: "test-admin", displayName: "测试管理员")
        let service = RegistryService(store: store)
        let townships = try await store.townships()
        guard let wangjia = townships.first(where: { $0.name == "王家镇" }) else { throw WebTestError(message: "no 王家镇") }
        let zone = try await store.write(by: admin) { tx in try await tx.insert(SchoolZone(id: .unsaved, name: "王家学区")) }
        let other = try await service.addSchool(School(
            id: .unsaved, code: "2143110301", name: "王家镇中心小学", type: .primary, ownership: .publicSchool,
            urbanRural: .rural, townshipID: wangjia.id, zoneID: zone.id, opened: CivilDate(year: 1980, month: 9, day: 1)!), by: admin)
        let otherClass = try await service.addClass(schoolCode: other.code, year: SmallDistrict.year, grade: .p1, number: 1, by: admin)
        let birth = CivilDate(year: 2019, month: 3, day: 4)!
        let (s1, _) = try await service.admit(SmallDistrict.student(name: "张小明", birth: birth, sequence: 11),
                                              schoolCode: d.primary.code, grade: .p1, classNumber: 1, from: SmallDistrict.day,
                                              entry: .intake, by: admin)
        let (s2, _) = try await service.admit(SmallDistrict.student(name: "王小红", birth: birth, sequence: 12),
                                              schoolCode: other.code, grade: .p1, classNumber: 1, from: SmallDistrict.day,
                                              entry: .intake, by: admin)
        func teacher(_ number: String, _ name: String, _ school: String) async throws -> StaffMember {
            try await service.addStaff(StaffMember(
                id: .unsaved, staffNumber: number, name: name, gender: .female, birthDate: CivilDate(year: 1985, month: 5, day: 6)!,
                residentID: nil, schoolID: nil, post: .fullTimeTeacher, qualification: .bachelor, title: .first,
                hired: CivilDate(year: 2010, month: 9, day: 1)!), schoolCode: school, by: admin)
        }
        let t1 = try await teacher("T0001", "李老师", d.primary.code)
        let t2 = try await teacher("T0002", "赵老师", other.code)
        let accounts = SQLAccountStore(database: db)
        let hash = Bcrypt.hash(password, cost: 4)
        for role in Role.allCases {
            let scope: AccountScope
            switch role.scopeKind {
            case .district: scope = .district
            case .township: scope = .township(d.primary.townshipID)
            case .zone: scope = .zone(zone.id)
            case .school: scope = .school(d.primary.id)
            }
            _ = try await accounts.create(UserAccount(id: 0, login: login(role), displayName: "测试" + role.title, role: role, scope: scope),
                                          passwordHash: hash, by: admin)
        }
        return WebWorld(district: d, otherSchool: other, otherClass: otherClass, student: s1, otherStudent: s2, teacher: t1,
                        otherTeacher: t2, zone: zone)
    }

    /// Whether an account of `role` (with its test scope) may read records of the primary school / the other school.
    /// Written out by hand, independently of `AccessPolicy`, so the matrix checks the policy rather than repeating it.
    static func seesPrimary(_ role: Role) -> Bool { role != .zoneOfficer }
    static func seesOther(_ role: Role) -> Bool {
        ![.townshipOfficer, .principal, .registrar, .safetyOfficer].contains(role)
    }
    static let studentReaders: Set<Role> = [.leadership, .admin, .basicEducation, .finance, .townshipOfficer, .zoneOfficer, .principal, .registrar]
    static let studentEditors: Set<Role> = [.admin, .basicEducation, .principal, .registrar]
    static let schoolYearClerks: Set<Role> = [.admin, .basicEducation, .principal, .registrar]
    static let staffReaders: Set<Role> = [.leadership, .admin, .personnel, .supervision, .townshipOfficer, .zoneOfficer, .principal, .inspector]
    static let schoolEditors: Set<Role> = [.admin, .basicEducation]
    static let classEditors: Set<Role> = [.admin, .basicEducation, .principal, .registrar]
    static let staffEditors: Set<Role> = [.admin, .personnel, .principal]
}

/// Runs `body` with an in-process application on a fresh database of each backend.
func withApp(_ backend: TestBackend, demoMode: Bool = true, today: CivilDate = SmallDistrict.day,
             _ body: @escaping @Sendable (any TestClientProtocol, WebWorld, Database) async throws -> Void) async throws {
    try await TestDatabases.withFreshDatabase(backend) { location in
        let db = try await Database.open(location)
        do {
            let world = try await WebWorld.make(db)
            // The deadline watch is off here: its pass at start would race a test's own casework.
            // DeadlineWatchTests runs it on purpose.
            let config = WebConfig(database: db, demoMode: demoMode, secureCookies: false, bcryptCost: 4, today: today,
                                   logLevel: .critical, deadlineWatchInterval: nil)
            let app = try await buildApplication(config)
            try await app.test(.router) { client in try await body(client, world, db) }
            try await db.close()
        } catch {
            try? await db.close()
            throw error
        }
    }
}

/// A logged-in browser: the session cookie and the session's CSRF token.
struct Session: Sendable {
    var cookie: String
    var csrf: String
    var headers: HTTPFields { [.cookie: cookie] }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var location: String? { headers[.location] }
    /// name → value of every Set-Cookie.
    var setCookies: [String: String] {
        var out: [String: String] = [:]
        for line in headers[values: .setCookie] {
            let first = line.split(separator: ";", maxSplits: 1).first ?? ""
            let kv = first.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if kv.count == 2 { out[String(kv[0])] = String(kv[1]) }
        }
        return out
    }
}

func formBody(_ pairs: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    let text = pairs.map { k, v in
        (k.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "=" + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
    }.joined(separator: "&")
    return ByteBuffer(string: text)
}

let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var h = self
        h.append(contentsOf: other)
        return h
    }
}

/// GET /login (for the login form's token), POST the credentials; returns the raw response and the session if one was set.
@discardableResult
func attemptLogin(_ client: any TestClientProtocol, login: String, password: String) async throws -> (TestResponse, Session?) {
    let form = try await client.execute(uri: "/login", method: .get)
    guard let token = form.setCookies[CookieNames.login] else { throw WebTestError(message: "no login cookie") }
    let response = try await client.execute(
        uri: "/login", method: .post,
        headers: formType.merging([.cookie: "\(CookieNames.login)=\(token)"]),
        body: formBody([("_csrf", token), ("login", login), ("password", password), ("next", "/dashboard")]))
    guard let session = response.setCookies[CookieNames.session], !session.isEmpty else { return (response, nil) }
    let cookie = "\(CookieNames.session)=\(session)"
    let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: cookie])
    struct Me: Decodable { var csrfToken: String }
    let csrf = (try? JSONDecoder().decode(Me.self, from: Data(buffer: me.body)).csrfToken) ?? ""
    return (response, Session(cookie: cookie, csrf: csrf))
}

func logIn(_ client: any TestClientProtocol, _ role: Role) async throws -> Session {
    let (response, session) = try await attemptLogin(client, login: WebWorld.login(role), password: WebWorld.password)
    guard let session else { throw WebTestError(message: "login as \(role) failed: \(response.status)") }
    return session
}

struct WebTestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
