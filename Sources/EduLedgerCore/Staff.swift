/// 岗位类别
public enum StaffPost: String, Sendable, Codable, CaseIterable {
    case fullTimeTeacher = "专任教师"
    case administrator = "行政人员"
    case teachingSupport = "教辅人员"
    case worker = "工勤人员"
}

/// 最高学历
public enum Qualification: String, Sendable, Codable, CaseIterable, Comparable {
    case belowHighSchool = "高中以下"
    case highSchool = "高中阶段"
    case associate = "专科"
    case bachelor = "本科"
    case master = "硕士研究生"
    case doctor = "博士研究生"

    public static func < (a: Qualification, b: Qualification) -> Bool {
        let all = Qualification.allCases
        return (all.firstIndex(of: a) ?? 0) < (all.firstIndex(of: b) ?? 0)
    }
}

/// 专业技术职称 (中小学教师职称, unified since 2015).
public enum ProfessionalTitle: String, Sendable, Codable, CaseIterable {
    case seniorProfessor = "正高级教师"
    case senior = "高级教师"
    case first = "一级教师"
    case second = "二级教师"
    case third = "三级教师"
    case none = "未定职级"
}

/// 教师资格证 by the level it licenses.
public struct TeacherCertificate: Hashable, Sendable, Codable {
    public enum Level: String, Sendable, Codable, CaseIterable {
        case kindergarten = "幼儿园教师资格"
        case primary = "小学教师资格"
        case junior = "初级中学教师资格"
        case senior = "高级中学教师资格"
        case vocational = "中等职业学校教师资格"
    }
    public var level: Level
    public var number: String
    public init(level: Level, number: String) { self.level = level; self.number = number }
}

/// 教职工: a member of staff of a school (or of the bureau itself when `schoolID` is nil).
public struct StaffMember: Hashable, Sendable, Codable {
    public var id: StaffID
    /// 教职工号, unique in the district.
    public var staffNumber: String
    public var name: String
    public var gender: Gender
    public var birthDate: CivilDate
    public var residentID: ResidentID?
    public var schoolID: SchoolID?
    public var post: StaffPost
    /// 在编: holds an established post (编制).
    public var established: Bool
    public var qualification: Qualification
    public var title: ProfessionalTitle
    public var subjects: [String]
    public var certificate: TeacherCertificate?
    /// 骨干教师 (county level or above).
    public var backbone: Bool
    public var hired: CivilDate
    public var left: CivilDate?

    public init(id: StaffID, staffNumber: String, name: String, gender: Gender, birthDate: CivilDate,
                residentID: ResidentID?, schoolID: SchoolID?, post: StaffPost, established: Bool = true,
                qualification: Qualification, title: ProfessionalTitle, subjects: [String] = [],
                certificate: TeacherCertificate? = nil, backbone: Bool = false, hired: CivilDate,
                left: CivilDate? = nil) {
        self.id = id; self.staffNumber = staffNumber; self.name = name; self.gender = gender
        self.birthDate = birthDate; self.residentID = residentID; self.schoolID = schoolID; self.post = post
        self.established = established; self.qualification = qualification; self.title = title
        self.subjects = subjects; self.certificate = certificate; self.backbone = backbone
        self.hired = hired; self.left = left
    }

    public func isEmployed(on date: CivilDate) -> Bool {
        hired <= date && (left.map { date < $0 } ?? true)
    }
}
