import EduLedgerCore
import Hummingbird
import NIOCore

/// The logged-in user of a request, with what the policy derived for them once per request.
struct CurrentUser: Sendable {
    var account: UserAccount
    /// SHA-256 of the session token (identifies the session without holding the token).
    var sessionHash: String
    var csrfToken: String
    /// Schools this user may read; `nil` = every school.
    var readable: Set<SchoolID>?

    func may(_ permission: Permission) -> Bool { AccessPolicy.may(account.role, permission) }
}

/// The request context of every route: the user (if logged in), the parsed form of a POST
/// (parsed once, by the CSRF check) and the client address for login throttling.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    var user: CurrentUser?
    var form: FormData?
    /// Peer address, for throttling. Never taken from a client-supplied header.
    let clientAddress: String

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// 1 MB: more than any form or JSON body of this application needs.
    var maxUploadSize: Int { 1024 * 1024 }

    /// The user, or a redirect to the login page (401 for the API).
    func requireUser() throws -> CurrentUser {
        guard let user else { throw AppError.unauthenticated }
        return user
    }

    /// The user, if their role may ever take `permission`; otherwise 403.
    func require(_ permission: Permission) throws -> CurrentUser {
        let user = try requireUser()
        guard user.may(permission) else { throw AppError.forbidden }
        return user
    }
}
