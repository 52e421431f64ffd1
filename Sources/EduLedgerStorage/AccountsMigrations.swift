extension Migrations {
    /// Accounts, sessions and login throttling for the web application (version 2 onwards).
    ///
    /// Passwords are stored only as bcrypt hashes and session tokens only as SHA-256 hashes, so
    /// a copy of the database neither reveals a password nor lets anyone take over a session.
    static let accounts: [Migration] = [
        Migration(2, "accounts", [
            """
            CREATE TABLE accounts (
                {id}, login TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL, role TEXT NOT NULL,
                scope_kind TEXT NOT NULL, scope_id BIGINT, password_hash TEXT NOT NULL,
                must_change_password INTEGER NOT NULL, is_demo INTEGER NOT NULL, disabled INTEGER NOT NULL,
                created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY, account_id BIGINT NOT NULL REFERENCES accounts(id),
                csrf_token TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL)
            """,
            "CREATE INDEX sessions_account ON sessions(account_id)",
            """
            CREATE TABLE login_attempts (
                {id}, login TEXT NOT NULL, ip TEXT NOT NULL, at TEXT NOT NULL, succeeded INTEGER NOT NULL)
            """,
            "CREATE INDEX login_attempts_login ON login_attempts(login, at)",
            "CREATE INDEX login_attempts_ip ON login_attempts(ip, at)",
        ]),
    ]
}
