import EduLedgerCore
import Foundation
import SQLKit

/// An account with its password hash, as the login check needs it. Never leaves the server.
public struct StoredAccount: Sendable {
    public var account: UserAccount
    /// bcrypt hash (`$2b$…`).
    public var passwordHash: String
}

/// A live session: the account and the session's CSRF token.
public struct StoredSession: Sendable {
    public var account: UserAccount
    public var csrfToken: String
    public var expiresAt: String
}

/// Accounts, sessions and login attempts on SQL — the same statements for SQLite and PostgreSQL.
///
/// The store never sees a password or a session token in clear: the web layer hands it a bcrypt
/// hash and the SHA-256 of the token. Every change to an account is written to the audit log
/// in the same transaction, like the registry's changes.
public final class SQLAccountStore: Sendable {
    public let database: Database

    public init(database: Database) { self.database = database }

    private static let columns = "id, login, display_name, role, scope_kind, scope_id, password_hash, must_change_password, is_demo, disabled"
    private static let selectAccounts: String = "SELECT " + columns + " FROM accounts"

    /// UTC instant as fixed-width ISO 8601 text, so text comparison orders instants.
    public static func timestamp(_ date: Date) -> String {
        date.ISO8601Format(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func decode(_ row: any SQLRow) throws -> StoredAccount {
        let r = RowReader(row: row, table: "accounts")
        let kind = try r.enumValue("scope_kind", AccountScope.Kind.self)
        let placeID = try r.optionalInt64("scope_id")
        guard let scope = AccountScope(kind: kind, placeID: placeID) else {
            throw RowDecodingError(table: "accounts", column: "scope_id", value: String(describing: placeID))
        }
        let account = UserAccount(
            id: try r.int64("id"), login: try r.string("login"), displayName: try r.string("display_name"),
            role: try r.enumValue("role", Role.self), scope: scope,
            mustChangePassword: try r.flag("must_change_password"), isDemo: try r.flag("is_demo"),
            disabled: try r.flag("disabled"))
        return StoredAccount(account: account, passwordHash: try r.string("password_hash"))
    }

    // MARK: accounts

    public func account(login: String) async throws -> StoredAccount? {
        try await database.reader.raw(SQLQueryString(Self.selectAccounts) + " WHERE login = \(bind: login)")
            .all().first.map(Self.decode)
    }

    public func account(id: Int64) async throws -> StoredAccount? {
        try await database.reader.raw(SQLQueryString(Self.selectAccounts) + " WHERE id = \(bind: id)")
            .all().first.map(Self.decode)
    }

    public func accounts() async throws -> [UserAccount] {
        try await database.reader.raw(SQLQueryString(Self.selectAccounts + " ORDER BY id")).all()
            .map { try Self.decode($0).account }
    }

    /// What the audit log keeps of an account: never the password hash.
    private struct AuditedAccount: Encodable {
        var login: String
        var displayName: String
        var role: String
        var scope: String
        var scopeID: Int64?
        var mustChangePassword: Bool
        var isDemo: Bool
        var disabled: Bool
        var passwordChanged: Bool?
        init(_ a: UserAccount, passwordChanged: Bool? = nil) {
            login = a.login; displayName = a.displayName; role = a.role.rawValue; scope = a.scope.kind.rawValue
            scopeID = a.scope.placeID; mustChangePassword = a.mustChangePassword; isDemo = a.isDemo
            disabled = a.disabled; self.passwordChanged = passwordChanged
        }
    }

    private static func audit(_ sql: any SQLDatabase, actor: ActingUser, action: AuditEntry.Action, id: Int64,
                              before: AuditedAccount?, after: AuditedAccount?, now: Date) async throws {
        try await sql.insert(into: "audit_log")
            .columns("at", "actor", "action", "entity", "entity_id", "before_json", "after_json")
            .values(SQLBind(timestamp(now)), SQLBind(actor.login), SQLBind(action.rawValue), SQLBind("account"),
                    SQLBind(String(id)), Column.text(try before.map(SQLRegistryWriter.json)),
                    Column.text(try after.map(SQLRegistryWriter.json)))
            .run()
    }

    /// Creates an account (its id is assigned) and its audit line, in one transaction.
    public func create(_ account: UserAccount, passwordHash: String, by actor: ActingUser,
                       now: Date = Date()) async throws -> UserAccount {
        try AccessPolicy.check(login: account.login, role: account.role, scope: account.scope)
        return try await database.transaction { sql in
            let existing = try await sql.raw("SELECT id FROM accounts WHERE login = \(bind: account.login)").all()
            if !existing.isEmpty { throw AccountError.duplicateLogin(account.login) }
            let q: SQLQueryString = """
                INSERT INTO accounts (login, display_name, role, scope_kind, scope_id, password_hash,
                    must_change_password, is_demo, disabled, created_at)
                VALUES (\(bind: account.login), \(bind: account.displayName), \(bind: account.role.rawValue),
                    \(bind: account.scope.kind.rawValue), \(Column.int(account.scope.placeID)), \(bind: passwordHash),
                    \(Column.flag(account.mustChangePassword)), \(Column.flag(account.isDemo)),
                    \(Column.flag(account.disabled)), \(bind: Self.timestamp(now))) RETURNING id
                """
            guard let id = try await sql.raw(q).first(decodingColumn: "id", as: Int64.self) else {
                throw StorageError(code: "storage.insert_failed", message: "写入账号失败：数据库未返回新记录编号")
            }
            var saved = account
            saved.id = id
            try await Self.audit(sql, actor: actor, action: .insert, id: id, before: nil, after: AuditedAccount(saved), now: now)
            return saved
        }
    }

    /// Replaces the password hash, clears the demo mark, sets whether a change is still required,
    /// ends the account's other sessions, and audits it — in one transaction.
    public func setPassword(accountID: Int64, passwordHash: String, mustChange: Bool, keepSessionHash: String?,
                            by actor: ActingUser, now: Date = Date()) async throws {
        try await database.transaction { sql in
            guard let row = try await sql.raw(SQLQueryString(Self.selectAccounts)
                + " WHERE id = \(bind: accountID)").all().first else {
                throw RegistryError.notFound(kind: "账号", key: String(accountID))
            }
            let before = try Self.decode(row).account
            try await sql.raw("""
                UPDATE accounts SET password_hash = \(bind: passwordHash),
                    must_change_password = \(Column.flag(mustChange)), is_demo = 0 WHERE id = \(bind: accountID)
                """).run()
            if let keep = keepSessionHash {
                try await sql.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID) AND token_hash <> \(bind: keep)").run()
            } else {
                try await sql.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID)").run()
            }
            var after = before
            after.mustChangePassword = mustChange
            after.isDemo = false
            try await Self.audit(sql, actor: actor, action: .update, id: accountID, before: AuditedAccount(before),
                                 after: AuditedAccount(after, passwordChanged: true), now: now)
        }
    }

    /// Marks the account as having to change its password at the next request (demo accounts
    /// outside demo mode), audited.
    public func requirePasswordChange(accountID: Int64, by actor: ActingUser, now: Date = Date()) async throws {
        try await database.transaction { sql in
            guard let row = try await sql.raw(SQLQueryString(Self.selectAccounts)
                + " WHERE id = \(bind: accountID)").all().first else { return }
            let before = try Self.decode(row).account
            if before.mustChangePassword { return }
            try await sql.raw("UPDATE accounts SET must_change_password = 1 WHERE id = \(bind: accountID)").run()
            var after = before
            after.mustChangePassword = true
            try await Self.audit(sql, actor: actor, action: .update, id: accountID, before: AuditedAccount(before),
                                 after: AuditedAccount(after), now: now)
        }
    }

    /// Disables an account (its sessions end at once; it can no longer log in) or enables it
    /// again, audited. Accounts are never deleted: the audit log names them.
    public func setDisabled(accountID: Int64, disabled: Bool, by actor: ActingUser, now: Date = Date()) async throws {
        try await database.transaction { sql in
            guard let row = try await sql.raw(SQLQueryString(Self.selectAccounts)
                + " WHERE id = \(bind: accountID)").all().first else {
                throw RegistryError.notFound(kind: "账号", key: String(accountID))
            }
            let before = try Self.decode(row).account
            if before.disabled == disabled { return }
            try await sql.raw("UPDATE accounts SET disabled = \(Column.flag(disabled)) WHERE id = \(bind: accountID)").run()
            if disabled { try await sql.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID)").run() }
            var after = before
            after.disabled = disabled
            try await Self.audit(sql, actor: actor, action: .update, id: accountID, before: AuditedAccount(before),
                                 after: AuditedAccount(after), now: now)
        }
    }

    // MARK: sessions

    public func createSession(tokenHash: String, accountID: Int64, csrfToken: String, expiresAt: Date,
                              now: Date = Date()) async throws {
        try await database.transaction { sql in
            try await sql.raw("""
                INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at)
                VALUES (\(bind: tokenHash), \(bind: accountID), \(bind: csrfToken), \(bind: Self.timestamp(now)),
                    \(bind: Self.timestamp(expiresAt)))
                """).run()
            // Expired sessions of anyone are swept on each login, so the table stays small.
            try await sql.raw("DELETE FROM sessions WHERE expires_at < \(bind: Self.timestamp(now))").run()
        }
    }

    /// The session with this token hash, if it exists, has not expired, and its account is enabled.
    public func session(tokenHash: String, now: Date = Date()) async throws -> StoredSession? {
        let cols = Self.columns.split(separator: ",").map { "a." + $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: ", ")
        let head: String = "SELECT " + cols + ", s.csrf_token, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id"
        let q = SQLQueryString(head)
            + " WHERE s.token_hash = \(bind: tokenHash) AND s.expires_at > \(bind: Self.timestamp(now))"
        guard let row = try await database.reader.raw(q).all().first else { return nil }
        let stored = try Self.decode(row)
        if stored.account.disabled { return nil }
        return StoredSession(account: stored.account, csrfToken: try row.decode(column: "csrf_token", as: String.self),
                             expiresAt: try row.decode(column: "expires_at", as: String.self))
    }

    public func deleteSession(tokenHash: String) async throws {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
        }
    }

    // MARK: login throttling

    public func recordLoginAttempt(login: String, ip: String, succeeded: Bool, now: Date = Date()) async throws {
        try await database.transaction { sql in
            try await sql.raw("""
                INSERT INTO login_attempts (login, ip, at, succeeded)
                VALUES (\(bind: String(login.prefix(64))), \(bind: String(ip.prefix(64))), \(bind: Self.timestamp(now)),
                    \(Column.flag(succeeded)))
                """).run()
            if succeeded {
                // Attempts older than a day no longer count for throttling; sweep them on successful logins.
                try await sql.raw("DELETE FROM login_attempts WHERE at < \(bind: Self.timestamp(now.addingTimeInterval(-86_400)))").run()
            }
        }
    }

    /// Failed attempts since `since` for this login name and from this address.
    public func recentFailures(login: String, ip: String, since: Date) async throws -> (forLogin: Int, fromIP: Int) {
        let t = Self.timestamp(since)
        let byLogin = try await database.reader.raw("""
            SELECT COUNT(*) AS n FROM login_attempts WHERE login = \(bind: String(login.prefix(64))) AND at >= \(bind: t) AND succeeded = 0
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        let byIP = try await database.reader.raw("""
            SELECT COUNT(*) AS n FROM login_attempts WHERE ip = \(bind: String(ip.prefix(64))) AND at >= \(bind: t) AND succeeded = 0
            """).first(decodingColumn: "n", as: Int.self) ?? 0
        return (byLogin, byIP)
    }
}

extension SQLRegistryStore {
    /// Pupils per class enrolled on `date`, for the 班额 column of a school page: one indexed
    /// GROUP BY instead of one count per class.
    public func classSizes(schoolID: SchoolID, on date: CivilDate) async throws -> [ClassID: Int] {
        let d = date.description
        let rows = try await database.reader.raw("""
            SELECT class_id, COUNT(*) AS n FROM enrolments
            WHERE school_id = \(bind: schoolID.rawValue) AND class_id IS NOT NULL
              AND from_date <= \(bind: d) AND (until_date IS NULL OR until_date > \(bind: d))
            GROUP BY class_id
            """).all()
        var sizes: [ClassID: Int] = [:]
        for row in rows {
            sizes[ClassID(try row.decode(column: "class_id", as: Int64.self))] = try row.decode(column: "n", as: Int.self)
        }
        return sizes
    }

    /// Students enrolled on `date` per school, for the school list.
    public func studentCountsBySchool(on date: CivilDate) async throws -> [SchoolID: Int] {
        let d = date.description
        let rows = try await database.reader.raw("""
            SELECT school_id, COUNT(*) AS n FROM enrolments
            WHERE from_date <= \(bind: d) AND (until_date IS NULL OR until_date > \(bind: d))
            GROUP BY school_id
            """).all()
        var counts: [SchoolID: Int] = [:]
        for row in rows {
            counts[SchoolID(try row.decode(column: "school_id", as: Int64.self))] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }
}
