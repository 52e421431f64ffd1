import EduLedgerCore
import EduLedgerStorage
import Foundation
import HummingbirdBcrypt

/// One demo account, as `eduledger demo` and `eduledger serve` print it.
public struct DemoAccountInfo: Sendable, Hashable, Codable {
    public var login: String
    public var displayName: String
    public var roleTitle: String
    /// Where the account belongs: 全区, a township, a zone or a school, by name.
    public var place: String
}

/// Demo accounts for every role, with predictable logins and one shared password, so a
/// newcomer can log in as a principal or a township officer right after loading the demo.
/// Outside demo mode each must choose a new password at its first login.
public enum DemoAccounts {
    /// The shared demo password (printed by the run command).
    public static let password = "eduledger-demo-2026"

    /// Creates the accounts that do not exist yet (running it twice changes nothing) and
    /// returns all demo accounts. Needs a district in the database.
    public static func create(in database: Database, bcryptCost: UInt8 = 10) async throws -> [DemoAccountInfo] {
        let registry = SQLRegistryStore(database: database)
        let accounts = SQLAccountStore(database: database)
        guard let district = try await registry.district() else {
            throw StorageError(code: "demo.no_district", message: "数据库中还没有区县数据，请先运行 eduledger demo 装载演示数据")
        }
        let townships = try await registry.townships()
        let zones = try await registry.schoolZones()
        let schools = try await registry.schools(SchoolFilter())
        let open = schools.filter { $0.closed == nil && !$0.isTeachingPoint }
        var plan: [(UserAccount, String)] = []
        func add(_ login: String, _ name: String, _ role: Role, _ scope: AccountScope, _ place: String) {
            plan.append((UserAccount(id: 0, login: login, displayName: name, role: role, scope: scope, isDemo: true), place))
        }
        add("leader", "演示局长", .leadership, .district, district.name)
        add("admin", "系统管理员", .admin, .district, district.name)
        let sections: [(String, Role)] = [
            ("bgs", .office), ("jcjyg", .basicEducation), ("rsg", .personnel), ("jhcwg", .finance), ("aqb", .safety),
            ("ddsh", .supervision), ("xfb", .petitions), ("xzspg", .licensing), ("jys", .research),
        ]
        for (login, role) in sections { add(login, "\(role.title)演示账号", role, .district, district.name) }
        add("inspector", "演示督学", .inspector, .district, district.name)
        // Two townships and two schools of different townships, so the demo shows one place not seeing another.
        let schoolTownships = Set(open.map(\.townshipID))
        for t in townships.filter({ schoolTownships.contains($0.id) }).prefix(2) {
            add("township-\(t.code)", "\(t.name)教育管理员", .townshipOfficer, .township(t.id), t.name)
        }
        if let zone = zones.first { add("zone-\(zone.id.rawValue)", "\(zone.name)管理员", .zoneOfficer, .zone(zone.id), zone.name) }
        var picked: [School] = []
        for s in open where !picked.contains(where: { $0.townshipID == s.townshipID }) && picked.count < 2 { picked.append(s) }
        for s in picked {
            add("principal-\(s.code)", "\(s.name)校长", .principal, .school(s.id), s.name)
            add("registrar-\(s.code)", "\(s.name)学籍管理员", .registrar, .school(s.id), s.name)
        }
        if let s = picked.first {
            add("safety-\(s.code)", "\(s.name)安全专干", .safetyOfficer, .school(s.id), s.name)
        }
        let hash = Bcrypt.hash(password, cost: bcryptCost)
        let actor = ActingUser(login: "system:demo", displayName: "演示数据生成")
        var result: [DemoAccountInfo] = []
        for (account, place) in plan {
            if try await accounts.account(login: account.login) == nil {
                _ = try await accounts.create(account, passwordHash: hash, by: actor)
            }
            result.append(DemoAccountInfo(login: account.login, displayName: account.displayName,
                                          roleTitle: account.role.title, place: place))
        }
        return result
    }
}
