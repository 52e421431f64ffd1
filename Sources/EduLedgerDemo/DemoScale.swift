import EduLedgerCore

/// How big a demo to generate. One *unit* is a district-sized block of 12 townships and about
/// 60 schools (≈40 000 students); larger scales repeat the unit with other names and codes.
public enum DemoScale: String, Sendable, Codable, CaseIterable {
    /// A district (区): 1 unit, ≈40 000 students, ≈3 000 staff — the product's demo.
    case district
    /// A city (市): 25 units, ≈1 million students — for benchmarks.
    case city
    /// A province (省): 250 units, ≈10 million students — for benchmarks.
    case province

    /// Number of district-sized units generated.
    public var units: Int {
        switch self {
        case .district: return 1
        case .city: return 25
        case .province: return 250
        }
    }
}

/// What `DemoGenerator` produced: counts of every record type, the students enrolled on the
/// latest reference date by stage, and the school merger(s), so the CLI can print a summary and
/// a test or a benchmark can check the storage against it.
public struct DemoSummary: Sendable, Codable, Hashable {
    public struct StageCount: Sendable, Codable, Hashable {
        public var stage: Stage
        public var students: Int
    }

    /// One 撤并: a school closed on `closedOn` (its last day) whose pupils continued on the
    /// next day in `receivingSchool` (entry reason `.schoolMerger`).
    public struct Merger: Sendable, Codable, Hashable {
        public var closedSchoolID: SchoolID
        public var closedSchoolName: String
        public var closedSchoolCode: String
        public var receivingSchoolID: SchoolID
        public var receivingSchoolName: String
        public var closedOn: CivilDate
        /// Pupils whose next enrolment period began in the receiving school with `.schoolMerger`.
        public var pupilsMoved: Int
    }

    public var seed: UInt64
    public var scale: DemoScale
    public var latestYear: SchoolYear
    public var districtName: String
    public var districtCode: String

    // Records emitted, by type.
    public var districts: Int
    public var townships: Int
    public var zones: Int
    public var schools: Int
    public var classes: Int
    public var students: Int
    public var enrolments: Int
    public var staff: Int

    /// Students with an enrolment period covering the latest reference date (9月1日).
    public var studentsOnReferenceDate: Int
    /// The same, by stage, in the order of `Stage.allCases`.
    public var studentsByStage: [StageCount]
    /// Staff employed on the latest reference date.
    public var staffOnReferenceDate: Int
    /// Of them, 专任教师.
    public var fullTimeTeachersOnReferenceDate: Int
    public var mergers: [Merger]
    /// FNV-1a 64-bit digest over every emitted record in order (hex): equal digests mean equal
    /// output, so two machines can compare runs without comparing databases.
    public var digest: String
}

extension DemoSummary: CustomStringConvertible {
    /// A few lines in Chinese, as the CLI prints them after loading the demo.
    public var description: String {
        let stages = studentsByStage.map { "\($0.stage.rawValue) \($0.students)" }.joined(separator: "，")
        let reference = latestYear.referenceDate.chinese
        var lines = [
            "\(districtName)（\(districtCode)）演示数据：种子 \(seed)，规模 \(scale.rawValue)，最近学年 \(latestYear.name)",
            "乡镇/街道 \(townships) 个，学区 \(zones) 个，学校 \(schools) 所，班级 \(classes) 个",
            "学生 \(students) 人，学籍记录 \(enrolments) 条；\(reference)在校 \(studentsOnReferenceDate) 人（\(stages)）",
            "教职工 \(staff) 人；\(reference)在职 \(staffOnReferenceDate) 人，其中专任教师 \(fullTimeTeachersOnReferenceDate) 人",
        ]
        for m in mergers.prefix(3) {
            lines.append("学校撤并：\(m.closedSchoolName)（\(m.closedSchoolCode)）于\(m.closedOn.chinese)停办，"
                + "并入\(m.receivingSchoolName)，\(m.pupilsMoved) 名学生随之转入")
        }
        if mergers.count > 3 { lines.append("另有 \(mergers.count - 3) 所学校撤并") }
        lines.append("数据摘要（FNV-1a）：\(digest)")
        return lines.joined(separator: "\n")
    }
}
