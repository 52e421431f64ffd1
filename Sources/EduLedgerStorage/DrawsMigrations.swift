extension Migrations {
    /// Migrations of the draws capability (see the version ranges in Migrations.swift).
    ///
    /// A class draw (电脑随机编班) of one school's intake grade moves through
    /// draft → published (roster fixed, hash shown) → seeded → assigned → locked; the published
    /// roster file is kept byte for byte (base64) so the draw can be recomputed years later.
    static let draws: [Migration] = [
        Migration(40, "class draws", [
            """
            CREATE TABLE class_draws (
                {id}, school_id BIGINT NOT NULL REFERENCES schools(id) {deferrable},
                school_year INTEGER NOT NULL, grade TEXT NOT NULL, state TEXT NOT NULL,
                class_count INTEGER NOT NULL, columns_json TEXT NOT NULL,
                roster_file_name TEXT, roster_file_base64 TEXT, roster_hash TEXT, student_count INTEGER,
                seed TEXT, record_json TEXT, labels_json TEXT, teachers_json TEXT,
                created_at TEXT NOT NULL, created_by TEXT NOT NULL,
                published_at TEXT, published_by TEXT, seeded_at TEXT, seeded_by TEXT,
                assigned_at TEXT, assigned_by TEXT, locked_at TEXT, locked_by TEXT)
            """,
            "CREATE INDEX class_draws_school ON class_draws(school_id, school_year)",
            """
            CREATE TABLE class_draw_seed_parts (
                {id}, draw_id BIGINT NOT NULL REFERENCES class_draws(id) {deferrable},
                position INTEGER NOT NULL, value TEXT NOT NULL, entered_by TEXT NOT NULL, capacity TEXT NOT NULL,
                recorded_by TEXT NOT NULL, recorded_at TEXT NOT NULL, UNIQUE (draw_id, position))
            """,
            """
            CREATE TABLE class_draw_changes (
                {id}, draw_id BIGINT NOT NULL REFERENCES class_draws(id) {deferrable},
                at TEXT NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, reason TEXT NOT NULL, detail_json TEXT NOT NULL)
            """,
            "CREATE INDEX class_draw_changes_draw ON class_draw_changes(draw_id)",
        ]),
    ]
}
