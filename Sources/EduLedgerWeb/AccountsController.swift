import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird
import HummingbirdBcrypt

/// Account management for the bureau's administrator: list, create, reset a password, disable.
///
/// Nobody ever sees a password the user chose. A new account and a reset get a one-time
/// temporary password, shown once to the administrator, which the user must replace at their
/// first login. Accounts are disabled, never deleted, because the audit log names them.
struct AccountsController {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/accounts", use: list)
        r.get("/accounts/new", use: newForm)
        r.post("/accounts/new", use: create)
        r.get("/accounts/:id", use: show)
        r.post("/accounts/:id/reset-password", use: resetPassword)
        r.post("/accounts/:id/disable", use: disable)
        r.post("/accounts/:id/enable", use: enable)
        return r
    }

    struct AccountRow: Sendable {
        var href: String; var login: String; var name: String; var role: String; var place: String
        var status: String; var disabled: Bool
    }

    struct ListPage: Sendable { var rows: [AccountRow]; var count: Int; var roleOptions: [Option]; var search: String }

    /// Every place's name by scope, loaded once per page.
    struct Places {
        var district: String
        var townships: [TownshipID: String]
        var zones: [SchoolZoneID: String]
        var schools: [SchoolID: School]

        static func load(_ deps: AppDependencies) async throws -> Places {
            Places(district: try await deps.registry.district()?.name ?? "全区",
                   townships: Dictionary(uniqueKeysWithValues: try await deps.registry.townships().map { ($0.id, $0.name) }),
                   zones: Dictionary(uniqueKeysWithValues: try await deps.registry.schoolZones().map { ($0.id, $0.name) }),
                   schools: Dictionary(uniqueKeysWithValues: try await deps.registry.schools(SchoolFilter()).map { ($0.id, $0) }))
        }

        func name(_ scope: AccountScope) -> String {
            switch scope {
            case .district: return district
            case .township(let id): return townships[id] ?? "乡镇\(id.rawValue)"
            case .zone(let id): return zones[id] ?? "学区\(id.rawValue)"
            case .school(let id): return schools[id]?.name ?? "学校\(id.rawValue)"
            }
        }

        /// The places an account of a given scope kind can belong to, as select values `kind:id`.
        func options(selected: String) -> [Option] {
            var out = [Option(value: "district", label: "全区（局机关）— " + district, selected: selected == "district")]
            for (id, name) in townships.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let v = "township:\(id.rawValue)"
                out.append(Option(value: v, label: "乡镇 — " + name, selected: selected == v))
            }
            for (id, name) in zones.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let v = "zone:\(id.rawValue)"
                out.append(Option(value: v, label: "学区 — " + name, selected: selected == v))
            }
            for s in schools.values.sorted(by: { $0.code < $1.code }) where s.closed == nil {
                let v = "school:\(s.id.rawValue)"
                out.append(Option(value: v, label: "学校 — \(s.name)（\(s.code)）", selected: selected == v))
            }
            return out
        }

        func scope(_ value: String) -> AccountScope? {
            if value == "district" { return .district }
            let parts = value.split(separator: ":")
            guard parts.count == 2, let id = Int64(parts[1]) else { return nil }
            switch parts[0] {
            case "township": return townships[TownshipID(id)] != nil ? .township(TownshipID(id)) : nil
            case "zone": return zones[SchoolZoneID(id)] != nil ? .zone(SchoolZoneID(id)) : nil
            case "school": return schools[SchoolID(id)] != nil ? .school(SchoolID(id)) : nil
            default: return nil
            }
        }
    }

    static func scopeValue(_ scope: AccountScope) -> String {
        switch scope {
        case .district: return "district"
        case .township(let id): return "township:\(id.rawValue)"
        case .zone(let id): return "zone:\(id.rawValue)"
        case .school(let id): return "school:\(id.rawValue)"
        }
    }

    static func status(_ a: UserAccount) -> String {
        if a.disabled { return "已停用" }
        if a.isDemo { return "演示账号" }
        if a.mustChangePassword { return "待首次改密" }
        return "正常"
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageAccounts)
        let places = try await Places.load(deps)
        let role = request.query("role").flatMap(Role.init(rawValue:))
        let search = request.query("q").map { String($0.prefix(40)) } ?? ""
        let accounts = try await deps.accounts.accounts().filter { a in
            (role == nil || a.role == role)
                && (search.isEmpty || a.login.localizedCaseInsensitiveContains(search) || a.displayName.contains(search)
                    || places.name(a.scope).contains(search))
        }
        let rows = accounts.map { a in
            AccountRow(href: "/accounts/\(a.id)", login: a.login, name: a.displayName, role: a.role.title,
                       place: places.name(a.scope), status: Self.status(a), disabled: a.disabled)
        }
        let page = ListPage(rows: rows, count: rows.count,
                            roleOptions: Role.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == role) },
                            search: search)
        return deps.views.render("accounts", ViewContext(chrome: Chrome(title: "账号管理", user: user, active: "accounts"), page: page))
    }

    // MARK: create

    static let newFields: Set<String> = ["login", "displayName", "role", "place"]

    func newPage(login: String, displayName: String, role: Role?, place: String, places: Places) -> RecordFormPage {
        RecordFormPage(
            crumbs: [.init(href: "/dashboard", label: "首页"), .init(href: "/accounts", label: "账号管理")],
            heading: "新建账号",
            note: "系统生成一次性临时密码，仅在创建后显示一次；用户首次登录须改为自己的密码。局机关各股室账号归属全区，乡镇、学区管理员归属其乡镇或学区，校长、学籍管理员和安全专干归属其学校。",
            action: "/accounts/new", cancelHref: "/accounts", submitLabel: "创建账号",
            fields: [
                .text("login", "登录名", login, required: true, maxLength: 64, hint: "3至64位英文字母、数字、连字符、下划线或点，如 registrar-2143110201"),
                .text("displayName", "姓名或称谓", displayName, required: true, maxLength: 40),
                .select("role", "角色", [Option(value: "", label: "（请选择）", selected: role == nil)]
                    + Role.allCases.map { Option(value: $0.rawValue, label: $0.title, selected: $0 == role) }),
                .select("place", "归属", places.options(selected: place)),
            ])
    }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageAccounts)
        let places = try await Places.load(deps)
        return deps.views.render("record_edit", ViewContext(chrome: Chrome(title: "新建账号", user: user, active: "accounts"),
                                                            page: newPage(login: "", displayName: "", role: nil, place: "district", places: places)))
    }

    /// A temporary password that passes the password rule: letters, digits and a hyphen.
    static func temporaryPassword() -> String {
        let t = Tokens.random()
        return "Lin-" + t.prefix(6) + "-" + t.dropFirst(6).prefix(6)
    }

    struct CreatedPage: Sendable {
        var login: String; var name: String; var temporaryPassword: String; var href: String; var reset: Bool
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageAccounts)
        let places = try await Places.load(deps)
        var reader = FormReader(context.form ?? FormData(pairs: []), allowed: Self.newFields)
        let login = reader.text("login", label: "登录名", required: true, maxLength: 64)
        let displayName = reader.text("displayName", label: "姓名或称谓", required: true, maxLength: 40)
        let role = Role(rawValue: reader.form["role"] ?? "")
        if role == nil { reader.fail("role", "请选择角色") }
        let placeValue = reader.form["place"] ?? ""
        let scope = places.scope(placeValue)
        if scope == nil { reader.fail("place", "请选择归属") }
        if let role, let scope, scope.kind != role.scopeKind {
            reader.fail("place", AccountError.scopeMismatch(role: role).message)
        }
        if !login.isEmpty {
            do { try AccessPolicy.check(login: login, role: role ?? .admin, scope: role.map { _ in scope ?? .district } ?? .district) } catch {
                if case .invalidLogin = error { reader.fail("login", error.message) }
            }
        }
        var form = newPage(login: login, displayName: displayName, role: role, place: placeValue, places: places)
        let chrome = Chrome(title: "新建账号", user: user, active: "accounts")
        guard reader.errors.isEmpty, let role, let scope else {
            form.attach(reader.errors)
            return deps.views.render("record_edit", ViewContext(chrome: chrome, page: form), status: .unprocessableContent)
        }
        let temporary = Self.temporaryPassword()
        let hash = Bcrypt.hash(temporary, cost: deps.config.bcryptCost)
        let account = UserAccount(id: 0, login: login, displayName: displayName, role: role, scope: scope,
                                  mustChangePassword: true, isDemo: false, disabled: false)
        let saved: UserAccount
        do {
            saved = try await deps.accounts.create(account, passwordHash: hash, by: user.account.actingUser)
        } catch let error as AccountError {
            if case .duplicateLogin = error { form.attach([FieldError(field: "login", message: error.message)]) } else { form.attach([], formError: error.message) }
            return deps.views.render("record_edit", ViewContext(chrome: chrome, page: form), status: .unprocessableContent)
        }
        // Shown once, in this response only; never stored in clear and never redirected with.
        let page = CreatedPage(login: saved.login, name: saved.displayName, temporaryPassword: temporary,
                               href: "/accounts/\(saved.id)", reset: false)
        return deps.views.render("account_password", ViewContext(chrome: chrome, page: page), status: .created)
    }

    // MARK: one account

    struct DetailPage: Sendable {
        var id: Int64; var login: String; var name: String; var role: String; var place: String; var status: String
        var disabled: Bool; var isSelf: Bool; var auditHref: String; var done: String?
    }

    func account(_ context: AppRequestContext) async throws -> UserAccount {
        guard let raw = context.parameters.get("id").flatMap(Int64.init), let stored = try await deps.accounts.account(id: raw) else {
            throw AppError.notFound
        }
        return stored.account
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageAccounts)
        let a = try await account(context)
        let places = try await Places.load(deps)
        let done: String? = switch request.query("done") {
        case "disabled": "账号已停用，其登录会话已全部结束。"
        case "enabled": "账号已启用。"
        default: nil
        }
        let page = DetailPage(id: a.id, login: a.login, name: a.displayName, role: a.role.title, place: places.name(a.scope),
                              status: Self.status(a), disabled: a.disabled, isSelf: a.id == user.account.id,
                              auditHref: "/audit?entity=account", done: done)
        return deps.views.render("account", ViewContext(chrome: Chrome(title: a.login, user: user, active: "accounts"), page: page))
    }

    @Sendable func resetPassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageAccounts)
        let a = try await account(context)
        let temporary = Self.temporaryPassword()
        let hash = Bcrypt.hash(temporary, cost: deps.config.bcryptCost)
        try await deps.accounts.setPassword(accountID: a.id, passwordHash: hash, mustChange: true, keepSessionHash: nil,
                                            by: user.account.actingUser)
        let page = CreatedPage(login: a.login, name: a.displayName, temporaryPassword: temporary, href: "/accounts/\(a.id)", reset: true)
        return deps.views.render("account_password", ViewContext(chrome: Chrome(title: "重置密码", user: user, active: "accounts"), page: page))
    }

    @Sendable func disable(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageAccounts)
        let a = try await account(context)
        // An administrator who disabled their own account would lock the bureau out.
        if a.id == user.account.id { throw AppError.unprocessable(code: "account.self_disable", message: "不能停用自己正在使用的账号", fields: []) }
        try await deps.accounts.setDisabled(accountID: a.id, disabled: true, by: user.account.actingUser)
        return Redirect.to("/accounts/\(a.id)?done=disabled", status: .seeOther)
    }

    @Sendable func enable(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.manageAccounts)
        let a = try await account(context)
        try await deps.accounts.setDisabled(accountID: a.id, disabled: false, by: user.account.actingUser)
        return Redirect.to("/accounts/\(a.id)?done=enabled", status: .seeOther)
    }
}
