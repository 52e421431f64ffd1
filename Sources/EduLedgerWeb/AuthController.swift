import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird
import HummingbirdBcrypt

/// Public landing page, login, logout and the password change.
struct AuthController {
    let deps: AppDependencies

    /// Throttling: refuse logins for an account after 5 failures, or from an address after 20,
    /// within 15 minutes — even with the right password, so guessing gains nothing.
    static let window: TimeInterval = 15 * 60
    static let maxFailuresPerLogin = 5
    static let maxFailuresPerAddress = 20

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/", use: landing)
        r.get("/login", use: loginForm)
        r.post("/login", use: login)
        r.post("/logout", use: logout)
        r.get("/account/password", use: passwordForm)
        r.post("/account/password", use: changePassword)
        return r
    }

    struct LandingPage { var districtName: String; var loggedIn: Bool }

    @Sendable func landing(_ request: Request, context: AppRequestContext) async throws -> Response {
        let district = try await deps.registry.district()
        let page = LandingPage(districtName: district?.name ?? "本区", loggedIn: context.user != nil)
        return deps.views.render("landing", ViewContext(chrome: Chrome(title: "教育局业务台账", user: context.user), page: page))
    }

    struct LoginPage {
        var login: String
        var next: String
        var loginCSRF: String
        var error: String?
        var demoMode: Bool
    }

    /// Only a local path may follow a login, never another site.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.contains("\r"),
              !next.contains("\n") else { return "/dashboard" }
        return next
    }

    private func loginPage(_ page: LoginPage, status: HTTPResponse.Status = .ok) -> Response {
        var response = deps.views.render("login", ViewContext(chrome: Chrome(title: "登录", user: nil), page: page), status: status)
        response.setCookie(Cookie(name: CookieNames.login, value: page.loginCSRF, maxAge: 3600, path: "/login",
                                  secure: deps.config.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.user != nil { return Redirect.to(Self.safeNext(request.query("next"))) }
        let existing = request.cookies[CookieNames.login]?.value
        let token = existing.flatMap { SessionMiddleware.isToken($0) ? $0 : nil } ?? Tokens.random()
        return loginPage(LoginPage(login: "", next: Self.safeNext(request.query("next")), loginCSRF: token,
                                   error: nil, demoMode: deps.config.demoMode))
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = context.form ?? FormData(pairs: [])
        let login = (form["login"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        let next = Self.safeNext(form["next"])
        let ip = context.clientAddress
        let now = Date()
        func again(_ message: String, _ status: HTTPResponse.Status) -> Response {
            loginPage(LoginPage(login: String(login.prefix(64)), next: next, loginCSRF: Tokens.random(), error: message,
                                demoMode: deps.config.demoMode), status: status)
        }
        let failures = try await deps.accounts.recentFailures(login: login, ip: ip, since: now.addingTimeInterval(-Self.window))
        if failures.forLogin >= Self.maxFailuresPerLogin || failures.fromIP >= Self.maxFailuresPerAddress {
            return again(AppError.throttled.message, .tooManyRequests)
        }
        let stored = login.isEmpty ? nil : try await deps.accounts.account(login: login)
        // Verify against a fixed hash when the login is unknown, so timing does not tell which logins exist.
        let hash = stored?.passwordHash ?? deps.dummyHash
        let ok = !password.isEmpty && password.utf8.count <= 128 && Bcrypt.verify(password, hash: hash)
        guard ok, var account = stored?.account, !account.disabled else {
            try await deps.accounts.recordLoginAttempt(login: login, ip: ip, succeeded: false, now: now)
            return again("登录名或密码错误", .unauthorized)
        }
        try await deps.accounts.recordLoginAttempt(login: login, ip: ip, succeeded: true, now: now)
        if account.isDemo && !deps.config.demoMode && !account.mustChangePassword {
            try await deps.accounts.requirePasswordChange(accountID: account.id, by: account.actingUser, now: now)
            account.mustChangePassword = true
        }
        let token = Tokens.random()
        let lifetime = TimeInterval(deps.config.sessionLifetime.components.seconds)
        try await deps.accounts.createSession(tokenHash: Tokens.hash(token), accountID: account.id, csrfToken: Tokens.random(),
                                              expiresAt: now.addingTimeInterval(lifetime), now: now)
        var response = Redirect.to(account.mustChangePassword ? "/account/password" : next, status: .seeOther)
        response.setCookie(Cookie(name: CookieNames.session, value: token, maxAge: Int(lifetime), path: "/",
                                  secure: deps.config.secureCookies, httpOnly: true, sameSite: .lax))
        response.setCookie(Cookie(name: CookieNames.login, value: "", maxAge: 0, path: "/login",
                                  secure: deps.config.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let user = context.user { try await deps.accounts.deleteSession(tokenHash: user.sessionHash) }
        var response = Redirect.to("/", status: .seeOther)
        response.setCookie(Cookie(name: CookieNames.session, value: "", maxAge: 0, path: "/",
                                  secure: deps.config.secureCookies, httpOnly: true, sameSite: .lax))
        return response
    }

    struct PasswordPage {
        var forced: Bool
        var errors: [FieldError]
        var hasErrors: Bool
        var done: Bool
    }

    @Sendable func passwordForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let page = PasswordPage(forced: user.account.mustChangePassword, errors: [], hasErrors: false, done: request.query("done") != nil)
        return deps.views.render("password", ViewContext(chrome: Chrome(title: "修改密码", user: user), page: page))
    }

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let form = context.form ?? FormData(pairs: [])
        let current = form["current"] ?? ""
        let new = form["new"] ?? ""
        let confirm = form["confirm"] ?? ""
        var errors: [FieldError] = []
        guard let stored = try await deps.accounts.account(id: user.account.id) else { throw AppError.unauthenticated }
        if current.utf8.count > 128 || !Bcrypt.verify(current, hash: stored.passwordHash) {
            errors.append(FieldError(field: "current", message: "当前密码不正确"))
        }
        do {
            try AccessPolicy.check(newPassword: new, login: user.account.login)
        } catch {
            errors.append(FieldError(field: "new", message: error.message))
        }
        if new != confirm { errors.append(FieldError(field: "confirm", message: "两次输入的新密码不一致")) }
        if new == current && errors.isEmpty { errors.append(FieldError(field: "new", message: "新密码不能与当前密码相同")) }
        guard errors.isEmpty else {
            let page = PasswordPage(forced: user.account.mustChangePassword, errors: errors, hasErrors: true, done: false)
            return deps.views.render("password", ViewContext(chrome: Chrome(title: "修改密码", user: user), page: page),
                                     status: .unprocessableContent)
        }
        let cost = deps.config.bcryptCost
        let hash = Bcrypt.hash(new, cost: cost)
        try await deps.accounts.setPassword(accountID: user.account.id, passwordHash: hash, mustChange: false,
                                            keepSessionHash: user.sessionHash, by: user.account.actingUser)
        return Redirect.to("/account/password?done=1", status: .seeOther)
    }
}
