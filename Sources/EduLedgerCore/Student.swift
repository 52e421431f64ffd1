/// 残疾类别 as the national student record codes it.
public enum DisabilityType: String, Sendable, Codable, CaseIterable {
    case visual = "视力残疾", hearing = "听力残疾", speech = "言语残疾", physical = "肢体残疾"
    case intellectual = "智力残疾", mental = "精神残疾", multiple = "多重残疾"
}

/// 困难类别: the poverty statuses that drive aid (资助).
public enum PovertyStatus: String, Sendable, Codable, CaseIterable {
    case registeredPoor = "建档立卡"
    case minimumLiving = "低保"
    case extremeHardship = "特困供养"
}

/// 户口性质
public enum HukouType: String, Sendable, Codable, CaseIterable {
    case agricultural = "农业"
    case nonAgricultural = "非农业"
    case resident = "居民"
}

/// The flags the national registry keeps and the reports count.
public struct StudentFlags: Hashable, Sendable, Codable {
    /// 留守儿童: both parents (or the only guardian) work away from home.
    public var leftBehind: Bool
    /// 进城务工人员随迁子女
    public var migrantWorkerChild: Bool
    public var disability: DisabilityType?
    /// 随班就读: a pupil with a disability taught in an ordinary class.
    public var inclusiveClass: Bool
    public var poverty: PovertyStatus?
    /// 寄宿生
    public var boarding: Bool

    public init(leftBehind: Bool = false, migrantWorkerChild: Bool = false, disability: DisabilityType? = nil,
                inclusiveClass: Bool = false, poverty: PovertyStatus? = nil, boarding: Bool = false) {
        self.leftBehind = leftBehind; self.migrantWorkerChild = migrantWorkerChild; self.disability = disability
        self.inclusiveClass = inclusiveClass; self.poverty = poverty; self.boarding = boarding
    }
}

/// A student (学生) with the national registry fields. Where they study and since when lives
/// in their `Enrolment` history, not here, so the past stays true when they move.
public struct Student: Hashable, Sendable, Codable {
    public var id: StudentID
    /// 全国学籍号: "G" + 身份证号 for a student with an ID number, otherwise a temporary "L" number.
    public var studentNumber: String
    public var name: String
    public var gender: Gender
    public var birthDate: CivilDate
    public var residentID: ResidentID?
    /// 民族, e.g. 汉族
    public var ethnicity: String
    public var hukouType: HukouType
    /// 户籍所在乡镇 when it is in this district; `nil` for a household registered elsewhere.
    public var hukouTownshipID: TownshipID?
    public var flags: StudentFlags

    public init(id: StudentID, studentNumber: String, name: String, gender: Gender, birthDate: CivilDate,
                residentID: ResidentID?, ethnicity: String = "汉族", hukouType: HukouType = .resident,
                hukouTownshipID: TownshipID? = nil, flags: StudentFlags = StudentFlags()) {
        self.id = id; self.studentNumber = studentNumber; self.name = name; self.gender = gender
        self.birthDate = birthDate; self.residentID = residentID; self.ethnicity = ethnicity
        self.hukouType = hukouType; self.hukouTownshipID = hukouTownshipID; self.flags = flags
    }
}

/// How an enrolment period began.
public enum EntryReason: String, Sendable, Codable, CaseIterable {
    case intake = "新生入学"
    case transferIn = "转入"
    case returnFromSuspension = "复学"
    case returnFromDropout = "辍学返校"
    case promotion = "升级"
    case repetition = "留级"
    case schoolMerger = "学校撤并转入"
    case initialRegistration = "初始登记"
}

/// How an enrolment period ended.
public enum ExitReason: String, Sendable, Codable, CaseIterable {
    case promoted = "升级"
    case repeated = "留级"
    case graduated = "毕业"
    case transferredOut = "转出"
    case suspended = "休学"
    case droppedOut = "辍学"
    case schoolMerged = "学校撤并"
    case deceased = "死亡"
    case other = "其他"
}

/// One period of a student's enrolment: one school, one grade, optionally one class, from a
/// first day until (but not including) `until`. A promotion, transfer or class change ends one
/// period and starts the next; the history is never rewritten.
public struct Enrolment: Hashable, Sendable, Codable {
    public var id: EnrolmentID
    public var studentID: StudentID
    public var schoolID: SchoolID
    public var grade: GradeLevel
    public var classID: ClassID?
    /// First day enrolled.
    public var from: CivilDate
    /// First day no longer enrolled; `nil` while the period is current.
    public var until: CivilDate?
    public var entry: EntryReason
    public var exit: ExitReason?

    public init(id: EnrolmentID, studentID: StudentID, schoolID: SchoolID, grade: GradeLevel, classID: ClassID?,
                from: CivilDate, until: CivilDate? = nil, entry: EntryReason, exit: ExitReason? = nil) {
        self.id = id; self.studentID = studentID; self.schoolID = schoolID; self.grade = grade
        self.classID = classID; self.from = from; self.until = until; self.entry = entry; self.exit = exit
    }

    /// Enrolled on `date`: from ≤ date < until.
    public func covers(_ date: CivilDate) -> Bool {
        from <= date && (until.map { date < $0 } ?? true)
    }

    /// Two periods overlap when some day lies in both (a student cannot be in two classes at once).
    public func overlaps(_ other: Enrolment) -> Bool {
        let aEnd = until?.dayNumber ?? Int.max
        let bEnd = other.until?.dayNumber ?? Int.max
        return from.dayNumber < bEnd && other.from.dayNumber < aEnd
    }
}
