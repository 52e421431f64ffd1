extension Migrations {
    /// Migrations of the imports capability (see the version ranges in Migrations.swift).
    static let imports: [Migration] = []
}
