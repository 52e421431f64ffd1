extension Migrations {
    /// Migrations of the reports capability (see the version ranges in Migrations.swift).
    ///
    /// Templates keep every version (an edit adds one; nothing is overwritten). A report is stored
    /// only when published, and then frozen: its laid-out document, every figure with its value,
    /// definition and record counts, and the audit-log position the records stood at.
    static let reports: [Migration] = [
        Migration(50, "report templates and published reports", [
            """
            CREATE TABLE report_templates (
                {id}, name TEXT NOT NULL UNIQUE, current_version INTEGER NOT NULL,
                created_by TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE report_template_versions (
                {id}, template_id BIGINT NOT NULL REFERENCES report_templates(id) {deferrable},
                version INTEGER NOT NULL, body TEXT NOT NULL, edited_by TEXT NOT NULL, edited_at TEXT NOT NULL,
                UNIQUE (template_id, version))
            """,
            """
            CREATE TABLE reports (
                {id}, template_id BIGINT REFERENCES report_templates(id) {deferrable}, template_version INTEGER,
                template_body TEXT NOT NULL, title TEXT NOT NULL, unit_kind TEXT NOT NULL, unit_key TEXT NOT NULL,
                unit_name TEXT NOT NULL, year INTEGER NOT NULL, document_json TEXT NOT NULL,
                audit_position BIGINT NOT NULL, published_by TEXT NOT NULL, published_at TEXT NOT NULL)
            """,
            "CREATE INDEX reports_unit ON reports(unit_kind, unit_key, year)",
            """
            CREATE TABLE report_figures (
                {id}, report_id BIGINT NOT NULL REFERENCES reports(id) {deferrable}, figure_id TEXT NOT NULL,
                indicator_id TEXT NOT NULL, name TEXT NOT NULL, unit_name TEXT NOT NULL, years TEXT NOT NULL,
                printed TEXT NOT NULL, value DOUBLE PRECISION, fen BIGINT, numerator DOUBLE PRECISION,
                denominator DOUBLE PRECISION, definition TEXT NOT NULL, reference_date TEXT NOT NULL,
                record_counts TEXT NOT NULL, source TEXT NOT NULL,
                UNIQUE (report_id, figure_id))
            """,
        ], sqlite: [
            // A published report is frozen: its rows cannot change.
            "CREATE TRIGGER reports_frozen BEFORE UPDATE ON reports BEGIN SELECT RAISE(ABORT, '已发布的报告不可修改'); END",
            "CREATE TRIGGER report_figures_frozen BEFORE UPDATE ON report_figures BEGIN SELECT RAISE(ABORT, '已发布的报告不可修改'); END",
        ], postgres: [
            """
            CREATE FUNCTION reports_frozen() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '已发布的报告不可修改'; END $$ LANGUAGE plpgsql
            """,
            "CREATE TRIGGER reports_frozen BEFORE UPDATE ON reports FOR EACH ROW EXECUTE FUNCTION reports_frozen()",
            "CREATE TRIGGER report_figures_frozen BEFORE UPDATE ON report_figures FOR EACH ROW EXECUTE FUNCTION reports_frozen()",
        ]),
    ]
}
