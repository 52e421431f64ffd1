/// 区/县: the bureau's own jurisdiction, the top of every figure it reports.
public struct District: Hashable, Sendable, Codable {
    public var id: DistrictID
    /// 6-digit administrative division code (行政区划代码), e.g. 430102.
    public var code: String
    public var name: String
    public init(id: DistrictID, code: String, name: String) {
        self.id = id; self.code = code; self.name = name
    }
}

/// 乡镇/街道: the civil grouping of schools. Population data (the denominator of 入学率)
/// comes per township from household registration.
public struct Township: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case town = "镇", township = "乡", street = "街道" }
    public var id: TownshipID
    /// 9-digit code: the district code plus 3 digits.
    public var code: String
    public var name: String
    public var kind: Kind
    public init(id: TownshipID, code: String, name: String, kind: Kind) {
        self.id = id; self.code = code; self.name = name; self.kind = kind
    }
}

/// 学区/片区: the education grouping, parallel to townships — a zone may span townships and
/// a township may be split between zones, so a school belongs to one of each independently.
public struct SchoolZone: Hashable, Sendable, Codable {
    public var id: SchoolZoneID
    public var name: String
    public init(id: SchoolZoneID, name: String) { self.id = id; self.name = name }
}

/// 办学类型 — decides which grades a school may teach.
public enum SchoolType: String, Sendable, Codable, CaseIterable {
    case kindergarten = "幼儿园"
    case primary = "小学"
    case juniorSecondary = "初级中学"
    case nineYear = "九年一贯制学校"
    case completeSecondary = "完全中学"
    case seniorSecondary = "高级中学"
    case vocational = "中等职业学校"
    case special = "特殊教育学校"
    case adult = "成人文化技术学校"

    /// The grades this type of school may enrol students in.
    public var grades: [GradeLevel] {
        switch self {
        case .kindergarten: return GradeLevel.allCases.filter { $0.stage == .preschool }
        case .primary: return GradeLevel.allCases.filter { $0.stage == .primary }
        case .juniorSecondary: return GradeLevel.allCases.filter { $0.stage == .junior }
        case .nineYear, .special: return GradeLevel.allCases.filter { $0.stage == .primary || $0.stage == .junior }
        case .completeSecondary: return GradeLevel.allCases.filter { $0.stage == .junior || $0.stage == .senior }
        case .seniorSecondary: return GradeLevel.allCases.filter { $0.stage == .senior }
        case .vocational: return GradeLevel.allCases.filter { $0.stage == .vocational }
        case .adult: return []
        }
    }

    public func teaches(_ grade: GradeLevel) -> Bool { grades.contains(grade) }

    /// Accepts the full name or the common short forms seen in spreadsheets.
    public init?(text: String) {
        switch text {
        case "幼儿园": self = .kindergarten
        case "小学": self = .primary
        case "初级中学", "初中": self = .juniorSecondary
        case "九年一贯制学校", "九年一贯制": self = .nineYear
        case "完全中学": self = .completeSecondary
        case "高级中学", "高中": self = .seniorSecondary
        case "中等职业学校", "中职", "职业高中": self = .vocational
        case "特殊教育学校", "特殊教育", "特教学校": self = .special
        case "成人文化技术学校", "成校": self = .adult
        default: return nil
        }
    }
}

/// 办学性质: 公办 or 民办 (public or private).
public enum Ownership: String, Sendable, Codable, CaseIterable {
    case publicSchool = "公办"
    case privateSchool = "民办"
}

/// 城乡分类 as the statistics use it: 城区, 镇区, 乡村.
public enum UrbanRural: String, Sendable, Codable, CaseIterable {
    case urban = "城区"
    case town = "镇区"
    case rural = "乡村"
}

/// A school (学校), a 教学点 (then `centralSchoolID` names the central school it belongs to),
/// over its whole life: opened, possibly merged into another school (撤并) or closed.
///
/// Schools are never deleted. A merged school keeps its record and its students' past
/// enrolments, so a figure for a year before the merger still reconciles afterwards.
public struct School: Hashable, Sendable, Codable {
    public var id: SchoolID
    /// 学校标识码: 10 digits, unique nationally.
    public var code: String
    public var name: String
    public var type: SchoolType
    public var ownership: Ownership
    public var urbanRural: UrbanRural
    public var townshipID: TownshipID
    public var zoneID: SchoolZoneID?
    /// Set for a 教学点/村小 attached to a central school (中心校).
    public var centralSchoolID: SchoolID?
    public var address: String
    public var opened: CivilDate
    /// The day the school stopped teaching (last day), if it did.
    public var closed: CivilDate?
    /// The school that took over its students when it was merged (撤并).
    public var mergedIntoID: SchoolID?
    /// 校区: named campuses, informational.
    public var campuses: [String]

    public init(
        id: SchoolID, code: String, name: String, type: SchoolType, ownership: Ownership,
        urbanRural: UrbanRural, townshipID: TownshipID, zoneID: SchoolZoneID? = nil,
        centralSchoolID: SchoolID? = nil, address: String = "", opened: CivilDate,
        closed: CivilDate? = nil, mergedIntoID: SchoolID? = nil, campuses: [String] = []
    ) {
        self.id = id; self.code = code; self.name = name; self.type = type; self.ownership = ownership
        self.urbanRural = urbanRural; self.townshipID = townshipID; self.zoneID = zoneID
        self.centralSchoolID = centralSchoolID; self.address = address; self.opened = opened
        self.closed = closed; self.mergedIntoID = mergedIntoID; self.campuses = campuses
    }

    public var isTeachingPoint: Bool { centralSchoolID != nil }

    /// Open on `date`: opened on or before it and not closed before it.
    public func isOpen(on date: CivilDate) -> Bool {
        opened <= date && (closed.map { date <= $0 } ?? true)
    }
}

/// 班级: one class of one grade in one school year.
public struct SchoolClass: Hashable, Sendable, Codable {
    public var id: ClassID
    public var schoolID: SchoolID
    public var schoolYear: SchoolYear
    public var grade: GradeLevel
    /// Class number within the grade: (1)班 → 1.
    public var number: Int
    public var headTeacherID: StaffID?

    public init(id: ClassID, schoolID: SchoolID, schoolYear: SchoolYear, grade: GradeLevel, number: Int,
                headTeacherID: StaffID? = nil) {
        self.id = id; self.schoolID = schoolID; self.schoolYear = schoolYear; self.grade = grade
        self.number = number; self.headTeacherID = headTeacherID
    }

    /// 七年级(3)班
    public var name: String { "\(grade.name)(\(number))班" }
}
