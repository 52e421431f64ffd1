import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

enum CookieNames {
    static let session = "eduledger_session"
    /// Double-submit token of the login form, before there is a session.
    static let login = "eduledger_login"
}

/// Finds the session behind the cookie, derives the user's readable schools once for the
/// request, sends a user who must change their password to that form, and checks the CSRF
/// token of every state-changing request before any handler runs.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let deps: AppDependencies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let path = request.uri.path
        if let token = request.cookies[CookieNames.session]?.value, Self.isToken(token) {
            let hash = Tokens.hash(token)
            if let session = try await deps.accounts.session(tokenHash: hash) {
                let readable: Set<SchoolID>?
                if session.account.scope == .district {
                    readable = nil
                } else {
                    readable = AccessPolicy.readableSchools(scope: session.account.scope,
                                                            schools: try await deps.registry.schools(SchoolFilter()))
                }
                context.user = CurrentUser(account: session.account, sessionHash: hash, csrfToken: session.csrfToken,
                                           readable: readable)
            }
        }
        let isAPI = path.hasPrefix("/api/")
        if let user = context.user, user.account.mustChangePassword,
           !["/account/password", "/logout", "/login", "/api/v1/me"].contains(path), !path.hasPrefix("/static/"), path != "/api/openapi.json" {
            if isAPI {
                throw AppError.badRequest(code: "auth.password_change_required", message: "请先在网页上修改初始密码", fields: [])
            }
            return Redirect.to("/account/password")
        }
        if ![.get, .head, .options].contains(request.method) {
            if isAPI {
                // A session-authenticated API write must repeat the session's CSRF token in a
                // header, which a cross-site form cannot set.
                if let user = context.user {
                    let sent = request.headers[.init("X-CSRF-Token")!] ?? ""
                    guard Tokens.constantTimeEqual(sent, user.csrfToken) else { throw AppError.csrf }
                }
            } else {
                let expected: String?
                if path == "/login" {
                    expected = request.cookies[CookieNames.login]?.value
                } else if PublicCasesController.isPublicForm(path) {
                    // The public's case forms: a double-submit token like the login form's.
                    expected = request.cookies[CookieNames.publicCase]?.value
                } else {
                    guard let user = context.user else { throw AppError.unauthenticated }
                    expected = user.csrfToken
                }
                if ImportUpload.isUpload(request) {
                    // A spreadsheet upload: its handler streams the body to a file and checks
                    // the form's `_csrf` field first (ImportsController.upload).
                    return try await next(request, context)
                }
                if CasesUpload.isUpload(request) {
                    // A case form with photos or documents: likewise (CasesUpload.read).
                    return try await next(request, context)
                }
                let buffer = try await request.collectBody(upTo: context.maxUploadSize)
                let contentType = request.headers[.contentType] ?? ""
                guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
                    throw AppError.badRequest(code: "request.content_type", message: "表单必须以 application/x-www-form-urlencoded 提交", fields: [])
                }
                let form = FormData(urlEncoded: String(buffer: buffer))
                guard let expected, Self.isToken(expected), let sent = form["_csrf"],
                      Tokens.constantTimeEqual(sent, expected) else {
                    throw AppError.csrf
                }
                context.form = form
            }
        }
        return try await next(request, context)
    }

    static func isToken(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}

/// Headers every response carries: no framing, no sniffing, scripts and styles only from this
/// server (the pages have no inline script), no referrer to other sites.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        return response
    }
}
