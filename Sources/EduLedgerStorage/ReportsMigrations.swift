extension Migrations {
    /// Migrations of the reports capability (see the version ranges in Migrations.swift).
    static let reports: [Migration] = []
}
