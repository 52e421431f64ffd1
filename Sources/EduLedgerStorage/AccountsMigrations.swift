extension Migrations {
    /// Accounts, sessions and login throttling for the web application (version 2 onwards).
    static let accounts: [Migration] = []
}
