extension Migrations {
    /// Migrations of the imports capability (see the version ranges in Migrations.swift).
    static let imports: [Migration] = [
        // Two indexes of version 1 that no query of the embedded database uses, each kept up to date on
        // every insert (about a sixth of SQLite's work when 150 000 pupils are imported):
        // - `students_name`: the name search is `name LIKE '…%'`, and SQLite's LIKE is case-insensitive,
        //   so it cannot use an index of BINARY collation (EXPLAIN QUERY PLAN: the search goes through
        //   the enrolments of the day and the students' primary key);
        // - `enrolments_period (from_date, until_date)`: "enrolled on day D" means from_date ≤ D, which
        //   in a registry of several years matches most periods, so a scan of the table is as fast
        //   (measured on the demo district: the day's counts 24–32 ms with or without it) and the
        //   indicators read the table NOT INDEXED anyway.
        // PostgreSQL keeps both: with C collation its planner can use the name index for a prefix
        // LIKE, and a city's registry is larger.
        Migration(20, "drop indexes no SQLite query uses", [], sqlite: [
            "DROP INDEX IF EXISTS students_name",
            "DROP INDEX IF EXISTS enrolments_period",
        ]),
    ]
}
