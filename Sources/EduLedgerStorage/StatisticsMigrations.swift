extension Migrations {
    /// Migrations of the statistics capability (see the version ranges in Migrations.swift).
    static let statistics: [Migration] = []
}
