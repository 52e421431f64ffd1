extension Migrations {
    /// Migrations of the draws capability (see the version ranges in Migrations.swift).
    static let draws: [Migration] = []
}
