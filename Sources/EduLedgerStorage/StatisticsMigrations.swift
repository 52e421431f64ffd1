extension Migrations {
    /// Migrations of the statistics capability (see the version ranges in Migrations.swift).
    static let statistics: [Migration] = [
        // 适龄人口 per township, single year of age and gender (the denominator of 入学率), and each
        // school's 办学条件 per school year (the 均衡 resource indicators). Keyed by their natural
        // keys: a re-import of a year replaces its figures.
        Migration(10, "statistics_population_resources", [
            """
            CREATE TABLE school_age_population (
                school_year INTEGER NOT NULL,
                township_id BIGINT NOT NULL REFERENCES townships(id) {deferrable},
                age INTEGER NOT NULL, gender TEXT NOT NULL, persons INTEGER NOT NULL, disabled_persons INTEGER NOT NULL,
                PRIMARY KEY (school_year, township_id, age, gender),
                CHECK (age >= 0 AND persons >= 0 AND disabled_persons >= 0 AND disabled_persons <= persons))
            """,
            """
            CREATE TABLE school_resources (
                school_id BIGINT NOT NULL REFERENCES schools(id) {deferrable},
                school_year INTEGER NOT NULL,
                teaching_area DOUBLE PRECISION NOT NULL, sports_area DOUBLE PRECISION NOT NULL,
                equipment_value_fen BIGINT NOT NULL, books BIGINT NOT NULL, multimedia_classrooms INTEGER NOT NULL,
                PRIMARY KEY (school_id, school_year),
                CHECK (teaching_area >= 0 AND sports_area >= 0 AND equipment_value_fen >= 0 AND books >= 0
                       AND multimedia_classrooms >= 0))
            """,
        ]),
        // The school year's casework: transfer requests through their three-step chain, and
        // confirmed year-end runs with what they changed (so a run can be undone exactly).
        Migration(11, "school_year_casework", [
            """
            CREATE TABLE transfer_requests (
                {id}, student_id BIGINT NOT NULL REFERENCES students(id) {deferrable},
                from_school_id BIGINT NOT NULL REFERENCES schools(id) {deferrable},
                to_school_id BIGINT NOT NULL REFERENCES schools(id) {deferrable},
                grade TEXT NOT NULL, class_number INTEGER, transfer_date TEXT NOT NULL, reason TEXT NOT NULL,
                status TEXT NOT NULL, requested_by TEXT NOT NULL, requested_at TEXT NOT NULL,
                sending_by TEXT, sending_at TEXT, bureau_by TEXT, bureau_at TEXT,
                refused_by TEXT, refused_at TEXT, refusal_reason TEXT)
            """,
            "CREATE INDEX transfer_requests_student ON transfer_requests(student_id)",
            "CREATE INDEX transfer_requests_status ON transfer_requests(status)",
            """
            CREATE TABLE year_end_runs (
                {id}, school_year INTEGER NOT NULL, school_id BIGINT REFERENCES schools(id) {deferrable},
                closed_json TEXT NOT NULL, opened_json TEXT NOT NULL,
                confirmed_by TEXT NOT NULL, confirmed_at TEXT NOT NULL, undone_by TEXT, undone_at TEXT)
            """,
        ]),
        // 控辍保学: cases (suspected → confirmed → outcome) with the responsible people, home
        // visits, and the submitted reports (schools monthly, the county quarterly).
        Migration(12, "dropout_control", [
            """
            CREATE TABLE dropout_cases (
                {id}, student_id BIGINT NOT NULL REFERENCES students(id) {deferrable},
                school_id BIGINT NOT NULL REFERENCES schools(id) {deferrable},
                grade TEXT NOT NULL, absent_since TEXT NOT NULL, reported_on TEXT NOT NULL, reported_by TEXT NOT NULL,
                reason TEXT NOT NULL, village_cadre TEXT NOT NULL, class_teacher TEXT NOT NULL, status TEXT NOT NULL,
                confirmed_on TEXT, outcome TEXT, outcome_on TEXT, outcome_note TEXT)
            """,
            "CREATE INDEX dropout_cases_student ON dropout_cases(student_id)",
            "CREATE INDEX dropout_cases_school ON dropout_cases(school_id)",
            """
            CREATE TABLE dropout_visits (
                {id}, case_id BIGINT NOT NULL REFERENCES dropout_cases(id) {deferrable},
                visit_date TEXT NOT NULL, visitors TEXT NOT NULL, notes TEXT NOT NULL, recorded_by TEXT NOT NULL)
            """,
            "CREATE INDEX dropout_visits_case ON dropout_visits(case_id)",
            """
            CREATE TABLE dropout_reports (
                {id}, kind TEXT NOT NULL, period TEXT NOT NULL, school_id BIGINT REFERENCES schools(id) {deferrable},
                counts_json TEXT NOT NULL, notes TEXT NOT NULL, submitted_by TEXT NOT NULL, submitted_at TEXT NOT NULL)
            """,
        ]),
    ]
}
