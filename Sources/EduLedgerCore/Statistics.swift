/// 适龄人口: children of one single year of age, one gender, registered (户籍) in one township,
/// counted for the 9月1日 of one school year. It is the denominator of 入学率 and 入园率 and comes
/// from household registration (公安户籍), entered or imported once a year.
public struct SchoolAgePopulation: Hashable, Sendable, Codable {
    public var year: SchoolYear
    public var townshipID: TownshipID
    /// Whole years of age on 9月1日 of `year`.
    public var age: Int
    public var gender: Gender
    public var count: Int
    /// Of them, children with a disability certificate (残疾儿童少年), the denominator of
    /// 残疾儿童少年入学率 (from the 残联 register).
    public var disabledCount: Int

    public init(year: SchoolYear, townshipID: TownshipID, age: Int, gender: Gender, count: Int, disabledCount: Int = 0) {
        self.year = year; self.townshipID = townshipID; self.age = age; self.gender = gender
        self.count = count; self.disabledCount = disabledCount
    }
}

/// 办学条件: a school's physical resources on 9月1日 of one school year, as the annual
/// statistics (基表) report them. Teacher-based resources (骨干教师, 学历, 体育艺术教师) are not
/// typed in here: they come from the staff records.
public struct SchoolResources: Hashable, Sendable, Codable {
    public var schoolID: SchoolID
    public var year: SchoolYear
    /// 教学及辅助用房面积, square metres.
    public var teachingArea: Double
    /// 体育运动场馆面积, square metres.
    public var sportsArea: Double
    /// 教学仪器设备值, in 分 (money is never binary floating point).
    public var equipmentValue: Money
    /// 图书, 册.
    public var books: Int
    /// 网络多媒体教室, 间.
    public var multimediaClassrooms: Int

    public init(schoolID: SchoolID, year: SchoolYear, teachingArea: Double, sportsArea: Double, equipmentValue: Money,
                books: Int, multimediaClassrooms: Int) {
        self.schoolID = schoolID; self.year = year; self.teachingArea = teachingArea; self.sportsArea = sportsArea
        self.equipmentValue = equipmentValue; self.books = books; self.multimediaClassrooms = multimediaClassrooms
    }
}

/// Statistics records written together (the demo generator, a yearly import). Ids are the
/// natural keys (year, township, age, gender) and (school, year); a later batch for the same
/// key replaces the earlier figures.
public struct StatisticsBatch: Sendable, Hashable {
    public var population: [SchoolAgePopulation] = []
    public var resources: [SchoolResources] = []
    public init(population: [SchoolAgePopulation] = [], resources: [SchoolResources] = []) {
        self.population = population; self.resources = resources
    }
    public var recordCount: Int { population.count + resources.count }
}

/// Writing statistics inside a registry transaction. The SQL writer conforms; a caller that
/// holds `any RegistryWriting` asks `as? any StatisticsWriting`.
public protocol StatisticsWriting: Sendable {
    /// Inserts or replaces the batch's figures, with one audit line for the batch.
    func bulkUpsert(_ batch: StatisticsBatch) async throws
}

// MARK: The facts the indicators are computed from

/// What the indicators need of a student: no name, no ID number — only the fields a rate
/// depends on, so a snapshot of a whole district stays small.
public struct StudentFact: Hashable, Sendable, Codable {
    public var id: StudentID
    public var gender: Gender
    public var birthDate: CivilDate
    /// 户籍所在乡镇 in this district; `nil` for a household registered elsewhere (e.g. 随迁子女).
    public var hukouTownshipID: TownshipID?
    public var flags: StudentFlags

    public init(id: StudentID, gender: Gender, birthDate: CivilDate, hukouTownshipID: TownshipID?,
                flags: StudentFlags = StudentFlags()) {
        self.id = id; self.gender = gender; self.birthDate = birthDate; self.hukouTownshipID = hukouTownshipID
        self.flags = flags
    }

    public init(_ s: Student) {
        self.init(id: s.id, gender: s.gender, birthDate: s.birthDate, hukouTownshipID: s.hukouTownshipID, flags: s.flags)
    }
}

/// What the indicators need of a member of staff.
public struct StaffFact: Hashable, Sendable, Codable {
    public var id: StaffID
    public var schoolID: SchoolID?
    public var post: StaffPost
    public var qualification: Qualification
    public var backbone: Bool
    public var subjects: [String]
    public var hired: CivilDate
    public var left: CivilDate?

    public init(id: StaffID, schoolID: SchoolID?, post: StaffPost, qualification: Qualification, backbone: Bool = false,
                subjects: [String] = [], hired: CivilDate, left: CivilDate? = nil) {
        self.id = id; self.schoolID = schoolID; self.post = post; self.qualification = qualification
        self.backbone = backbone; self.subjects = subjects; self.hired = hired; self.left = left
    }

    public init(_ m: StaffMember) {
        self.init(id: m.id, schoolID: m.schoolID, post: m.post, qualification: m.qualification, backbone: m.backbone,
                  subjects: m.subjects, hired: m.hired, left: m.left)
    }

    public func isEmployed(on date: CivilDate) -> Bool {
        hired <= date && (left.map { date < $0 } ?? true)
    }
}

/// An in-memory snapshot of every record the indicators count, for a range of school years.
/// The storage loads it with a few set-based queries; the indicator engine never does I/O.
public struct IndicatorFacts: Sendable {
    public var district: District?
    public var townships: [Township]
    public var zones: [SchoolZone]
    public var schools: [School]
    public var classes: [SchoolClass]
    public var students: [StudentFact]
    /// Every enrolment period that touches the years (the engine also looks one year back for flows).
    public var enrolments: [Enrolment]
    public var staff: [StaffFact]
    public var population: [SchoolAgePopulation]
    public var resources: [SchoolResources]
    /// The school years the snapshot covers (each 9月1日 in it is a reference date).
    public var years: ClosedRange<Int>
    /// Casework (信访, 建议提案, 安全隐患, 行政许可, 违规) received in the calendar years of `years`,
    /// for the casework indicators; empty when the caller did not load it.
    public var cases: [CaseFact] = []
    /// Class draws (电脑随机编班) of the school years in `years`, for the draw indicators; empty
    /// when the caller did not load them.
    public var draws: [DrawFact] = []

    public init(district: District? = nil, townships: [Township] = [], zones: [SchoolZone] = [], schools: [School] = [],
                classes: [SchoolClass] = [], students: [StudentFact] = [], enrolments: [Enrolment] = [],
                staff: [StaffFact] = [], population: [SchoolAgePopulation] = [], resources: [SchoolResources] = [],
                years: ClosedRange<Int>) {
        self.district = district; self.townships = townships; self.zones = zones; self.schools = schools
        self.classes = classes; self.students = students; self.enrolments = enrolments; self.staff = staff
        self.population = population; self.resources = resources; self.years = years
    }
}
