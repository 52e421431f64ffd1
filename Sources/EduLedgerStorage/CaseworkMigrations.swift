extension Migrations {
    /// Migrations of the casework capability (see the version ranges in Migrations.swift).
    static let casework: [Migration] = []
}
