/// A user's role: what kind of work they do in the system. The role alone decides which kinds of
/// actions are ever allowed (`AccessPolicy.may`); the user's `AccountScope` decides where.
public enum Role: String, Sendable, Codable, CaseIterable, Hashable {
    /// 局领导 (局长, 分管副局长)
    case leadership
    /// 系统管理员: accounts and the audit log.
    case admin
    /// 办公室
    case office
    /// 基础教育股: keeps the student registry (学籍) of the district.
    case basicEducation
    /// 人事股
    case personnel
    /// 计划财务股: aid and subsidies, computed from student flags.
    case finance
    /// 安全办
    case safety
    /// 督导室
    case supervision
    /// 信访办
    case petitions
    /// 行政审批股
    case licensing
    /// 教研室
    case research
    /// 乡镇中心校 / 乡镇教育办: oversees the schools of one township.
    case townshipOfficer
    /// 学区/片区: oversees the schools of one school zone.
    case zoneOfficer
    /// 校长
    case principal
    /// 学籍管理员
    case registrar
    /// 安全专干
    case safetyOfficer
    /// 督学 / 责任督学
    case inspector

    /// The title shown in the UI.
    public var title: String {
        switch self {
        case .leadership: return "局领导"
        case .admin: return "系统管理员"
        case .office: return "办公室"
        case .basicEducation: return "基础教育股"
        case .personnel: return "人事股"
        case .finance: return "计划财务股"
        case .safety: return "安全办"
        case .supervision: return "督导室"
        case .petitions: return "信访办"
        case .licensing: return "行政审批股"
        case .research: return "教研室"
        case .townshipOfficer: return "乡镇教育管理员"
        case .zoneOfficer: return "学区管理员"
        case .principal: return "校长"
        case .registrar: return "学籍管理员"
        case .safetyOfficer: return "学校安全专干"
        case .inspector: return "督学"
        }
    }

    /// The kind of place an account of this role must be attached to.
    public var scopeKind: AccountScope.Kind {
        switch self {
        case .townshipOfficer: return .township
        case .zoneOfficer: return .zone
        case .principal, .registrar, .safetyOfficer: return .school
        default: return .district
        }
    }
}

/// The user's place in the hierarchy: the whole district (bureau staff, inspectors), one
/// township, one school zone, or one school.
public enum AccountScope: Hashable, Sendable, Codable {
    case district
    case township(TownshipID)
    case zone(SchoolZoneID)
    case school(SchoolID)

    public enum Kind: String, Sendable, Codable, CaseIterable { case district, township, zone, school }

    public var kind: Kind {
        switch self {
        case .district: return .district
        case .township: return .township
        case .zone: return .zone
        case .school: return .school
        }
    }

    /// The id of the place, for storage; `nil` for the district.
    public var placeID: Int64? {
        switch self {
        case .district: return nil
        case .township(let id): return id.rawValue
        case .zone(let id): return id.rawValue
        case .school(let id): return id.rawValue
        }
    }

    /// Rebuilds a scope from its stored kind and id; `nil` when they do not fit together.
    public init?(kind: Kind, placeID: Int64?) {
        switch (kind, placeID) {
        case (.district, nil): self = .district
        case (.township, let id?): self = .township(TownshipID(id))
        case (.zone, let id?): self = .zone(SchoolZoneID(id))
        case (.school, let id?): self = .school(SchoolID(id))
        default: return nil
        }
    }
}

/// A person who logs in. The public has no account.
public struct UserAccount: Hashable, Sendable, Codable {
    public var id: Int64
    /// Login name, ASCII, e.g. `admin`, `registrar-2143110201`.
    public var login: String
    public var displayName: String
    public var role: Role
    public var scope: AccountScope
    /// Set for demo accounts outside demo mode and after an administrator resets a password:
    /// the user must choose a new password before doing anything else.
    public var mustChangePassword: Bool
    /// Created by `DemoAccounts` with the shared, printed demo password.
    public var isDemo: Bool
    public var disabled: Bool

    public init(id: Int64, login: String, displayName: String, role: Role, scope: AccountScope,
                mustChangePassword: Bool = false, isDemo: Bool = false, disabled: Bool = false) {
        self.id = id; self.login = login; self.displayName = displayName; self.role = role; self.scope = scope
        self.mustChangePassword = mustChangePassword; self.isDemo = isDemo; self.disabled = disabled
    }

    /// The name changes made by this user are attributed to in the audit log.
    public var actingUser: ActingUser { ActingUser(login: login, displayName: displayName) }
}

/// The kinds of action the policy knows. A role either may or may never take each one.
public enum Permission: String, Sendable, Codable, CaseIterable, Hashable {
    /// Dashboard, schools, classes and their sizes: not personal data.
    case viewSchools
    /// Student records (personal data of minors).
    case viewStudents
    /// Correct a student's own fields.
    case editStudents
    /// Staff records (personal data).
    case viewStaff
    /// The audit log.
    case viewAudit
    /// School-year casework: transfer requests and approvals, 休学/复学, year-end promotion.
    /// Where is decided by scope: a school acts for its own students, the bureau step needs the district.
    case manageSchoolYear
    /// The 控辍保学 ledger: report suspected dropouts, record home visits and outcomes.
    case manageDropouts
    /// Correct a school's descriptive fields (name, address, zone, …).
    case editSchools
    /// Open classes and assign their 班主任.
    case editClasses
    /// Correct staff records.
    case editStaff
    /// Create accounts, reset passwords, disable accounts.
    case manageAccounts
    /// Import students from a spreadsheet (a school's registrar into their own school only).
    case importStudents
    /// Import staff from a spreadsheet.
    case importStaff
    /// Import or update schools from a spreadsheet.
    case importSchools
    /// Import yearly statistics: school-age population and school resources.
    case importStatistics
    /// Download the statistics workbook in the superior bureau's layout.
    case exportStatistics
    /// Class draws (电脑随机编班) of schools in scope: roster hash, seed, balance report, posting list.
    case viewDraws
    /// Create, publish, seed, run, lock a school's class draw and place late enrolees.
    case runDraws
}

/// Errors of the account rules, in Chinese.
public enum AccountError: UserFacingError, Equatable {
    case invalidLogin(String)
    case scopeMismatch(role: Role)
    case weakPassword(reason: String)
    case duplicateLogin(String)

    public var code: String {
        switch self {
        case .invalidLogin: return "account.invalid_login"
        case .scopeMismatch: return "account.scope_mismatch"
        case .weakPassword: return "account.weak_password"
        case .duplicateLogin: return "account.duplicate_login"
        }
    }

    public var message: String {
        switch self {
        case .invalidLogin(let login):
            return "登录名“\(login)”无效：只能使用3至64位英文字母、数字、连字符、下划线和点"
        case .scopeMismatch(let role):
            return "“\(role.title)”账号必须归属于\(AccessPolicy.scopeKindName(role.scopeKind))"
        case .weakPassword(let reason):
            return "密码不符合要求：\(reason)"
        case .duplicateLogin(let login):
            return "登录名“\(login)”已被使用"
        }
    }
}

/// Who may do what, where — as pure functions, so every route, the API and the tests share
/// one definition and it can be checked without a server or a database.
public enum AccessPolicy {
    /// Whether `role` may ever take `permission`, wherever it is. A refusal here is a 403.
    ///
    /// Student records are personal data of minors: only the roles whose work needs them read
    /// them (the registry keepers, aid, leadership, the township/zone and the school leadership);
    /// only the registry keepers correct them. Only the administrator reads the audit log.
    public static func may(_ role: Role, _ permission: Permission) -> Bool {
        switch permission {
        case .viewSchools:
            return true
        case .viewStudents:
            switch role {
            case .leadership, .admin, .basicEducation, .finance, .townshipOfficer, .zoneOfficer, .principal, .registrar:
                return true
            default:
                return false
            }
        case .editStudents:
            switch role {
            case .admin, .basicEducation, .principal, .registrar: return true
            default: return false
            }
        case .viewStaff:
            switch role {
            case .leadership, .admin, .personnel, .supervision, .townshipOfficer, .zoneOfficer, .principal, .inspector:
                return true
            default:
                return false
            }
        case .viewAudit:
            return role == .admin
        case .editSchools:
            // The schools' register is kept by 基础教育股; the administrator corrects anything.
            return role == .admin || role == .basicEducation
        case .editClasses, .manageSchoolYear:
            switch role {
            case .admin, .basicEducation, .principal, .registrar: return true
            default: return false
            }
        case .editStaff:
            // 人事股 keeps the staff register; a principal corrects their own school's.
            switch role {
            case .admin, .personnel, .principal: return true
            default: return false
            }
        case .manageAccounts:
            return role == .admin
        // Imports write many records at once: only the sections that keep those records.
        case .importStudents:
            return [.admin, .basicEducation, .registrar].contains(role)
        case .importStaff:
            return [.admin, .personnel].contains(role)
        case .importSchools, .importStatistics:
            return [.admin, .basicEducation].contains(role)
        case .exportStatistics:
            return role.scopeKind == .district
        case .viewDraws:
            // Whoever answers for fair class placement: the bureau's registry keepers and
            // leadership, supervision and inspectors, the township/zone, the school leadership.
            switch role {
            case .leadership, .admin, .basicEducation, .supervision, .inspector, .townshipOfficer, .zoneOfficer, .principal, .registrar:
                return true
            default:
                return false
            }
        case .runDraws:
            // Only the school runs its own draw (and the administrator, for support).
            switch role {
            case .admin, .principal, .registrar: return true
            default: return false
            }
        case .manageDropouts:
            switch role {
            case .admin, .basicEducation, .townshipOfficer, .principal, .registrar: return true
            default: return false
            }
        }
    }

    /// The schools a user with `scope` may read, among `schools` (all schools of the district);
    /// `nil` means every school. A school user also reads the 教学点 attached to their school.
    /// A record outside the set does not exist for the user (404, never 403).
    public static func readableSchools(scope: AccountScope, schools: [School]) -> Set<SchoolID>? {
        switch scope {
        case .district:
            return nil
        case .township(let t):
            return Set(schools.filter { $0.townshipID == t }.map(\.id))
        case .zone(let z):
            return Set(schools.filter { $0.zoneID == z }.map(\.id))
        case .school(let s):
            return Set(schools.filter { $0.id == s || $0.centralSchoolID == s }.map(\.id))
        }
    }

    /// Whether a school is inside a readable set (`nil` = all).
    public static func contains(_ readable: Set<SchoolID>?, _ school: SchoolID?) -> Bool {
        guard let readable else { return true }
        guard let school else { return false }
        return readable.contains(school)
    }

    /// The school a student belongs to for access purposes: the school of their latest
    /// enrolment period. A school that a student has left no longer sees them; the school that
    /// has them now sees their whole history.
    public static func owningSchool(of enrolments: [Enrolment]) -> SchoolID? {
        enrolments.max { ($0.from, $0.id) < ($1.from, $1.id) }?.schoolID
    }

    /// Whether a student with these enrolments is inside the readable set.
    public static func mayRead(studentEnrolments: [Enrolment], readable: Set<SchoolID>?) -> Bool {
        guard let readable else { return true }
        guard let school = owningSchool(of: studentEnrolments) else { return false }
        return readable.contains(school)
    }

    /// Whether a staff member is inside the readable set: bureau staff (no school) only for
    /// district-wide users.
    public static func mayRead(staff: StaffMember, readable: Set<SchoolID>?) -> Bool {
        contains(readable, staff.schoolID)
    }

    /// Checks a new account's login name and that its scope fits its role.
    public static func check(login: String, role: Role, scope: AccountScope) throws(AccountError) {
        let allowed = login.unicodeScalars.allSatisfy {
            ($0.value >= 0x30 && $0.value <= 0x39) || ($0.value >= 0x41 && $0.value <= 0x5A)
                || ($0.value >= 0x61 && $0.value <= 0x7A) || $0 == "-" || $0 == "_" || $0 == "."
        }
        guard allowed, (3...64).contains(login.count) else { throw .invalidLogin(login) }
        guard scope.kind == role.scopeKind else { throw .scopeMismatch(role: role) }
    }

    /// The password rule: at least 10 characters, not only digits, not only letters, and not
    /// the login name. Long enough to resist guessing once throttled; simple enough to type on a phone.
    public static func check(newPassword: String, login: String) throws(AccountError) {
        if newPassword.count < 10 { throw .weakPassword(reason: "至少需要10个字符") }
        if newPassword.count > 128 { throw .weakPassword(reason: "不能超过128个字符") }
        if newPassword.allSatisfy(\.isNumber) { throw .weakPassword(reason: "不能全部是数字") }
        if newPassword.allSatisfy(\.isLetter) { throw .weakPassword(reason: "须同时包含字母以外的字符（数字或符号）") }
        if newPassword.lowercased().contains(login.lowercased()) { throw .weakPassword(reason: "不能包含登录名") }
    }

    static func scopeKindName(_ kind: AccountScope.Kind) -> String {
        switch kind {
        case .district: return "全区（局机关）"
        case .township: return "一个乡镇"
        case .zone: return "一个学区"
        case .school: return "一所学校"
        }
    }
}
