import Foundation

/// A registry change refused by a domain rule. The message names the record and the field
/// so a registrar knows what to correct; nothing is written when one is raised.
public enum RegistryError: UserFacingError, Equatable {
    case required(record: String, field: String)
    case invalidValue(record: String, field: String, value: String, reason: String)
    case notFound(kind: String, key: String)
    case duplicate(kind: String, key: String)
    case gradeNotTaught(school: String, schoolType: SchoolType, grade: GradeLevel)
    case schoolClosed(school: String, closed: CivilDate, date: CivilDate)
    case schoolNotYetOpen(school: String, opened: CivilDate, date: CivilDate)
    case classMismatch(className: String, reason: String)
    case overlappingEnrolment(student: String, existing: String, from: CivilDate)
    case invalidPeriod(record: String, from: CivilDate, until: CivilDate)
    case notEnrolled(student: String, date: CivilDate)

    public var code: String {
        switch self {
        case .required: return "registry.required"
        case .invalidValue: return "registry.invalid_value"
        case .notFound: return "registry.not_found"
        case .duplicate: return "registry.duplicate"
        case .gradeNotTaught: return "registry.grade_not_taught"
        case .schoolClosed: return "registry.school_closed"
        case .schoolNotYetOpen: return "registry.school_not_open"
        case .classMismatch: return "registry.class_mismatch"
        case .overlappingEnrolment: return "registry.overlapping_enrolment"
        case .invalidPeriod: return "registry.invalid_period"
        case .notEnrolled: return "registry.not_enrolled"
        }
    }

    public var message: String {
        switch self {
        case let .required(record, field):
            return "\(record)：“\(field)”为必填项"
        case let .invalidValue(record, field, value, reason):
            return "\(record)：“\(field)”的值“\(value)”无效：\(reason)"
        case let .notFound(kind, key):
            return "找不到\(kind)“\(key)”"
        case let .duplicate(kind, key):
            return "\(kind)“\(key)”已存在，不能重复登记"
        case let .gradeNotTaught(school, type, grade):
            return "\(school)是\(type.rawValue)，不设\(grade.name)"
        case let .schoolClosed(school, closed, date):
            return "\(school)已于\(closed.chinese)停办（撤并），不能在\(date.chinese)登记学生或班级"
        case let .schoolNotYetOpen(school, opened, date):
            return "\(school)于\(opened.chinese)才开办，\(date.chinese)尚不能登记"
        case let .classMismatch(className, reason):
            return "班级“\(className)”不符：\(reason)"
        case let .overlappingEnrolment(student, existing, from):
            return "\(student)自\(from.chinese)起的学籍与已有学籍（\(existing)）时间重叠：一名学生同一时间只能在一个班级"
        case let .invalidPeriod(record, from, until):
            return "\(record)：结束日期\(until.chinese)必须晚于开始日期\(from.chinese)"
        case let .notEnrolled(student, date):
            return "\(student)在\(date.chinese)没有在读学籍"
        }
    }
}

/// The registry's rules as pure functions, so the same rule guards the CLI, the web forms,
/// imports and the demo generator, and is tested without a database.
public enum RegistryRules {
    /// Checks a student's own fields: name, and that birth date and gender agree with the
    /// resident ID number when there is one.
    public static func check(student s: Student) throws(RegistryError) {
        let record = "学生“\(s.name.isEmpty ? s.studentNumber : s.name)”"
        if isBlank(s.name) { throw .required(record: record, field: "姓名") }
        if s.studentNumber.isEmpty { throw .required(record: record, field: "学籍号") }
        try checkAgreement(record: record, residentID: s.residentID, birthDate: s.birthDate, gender: s.gender)
    }

    /// Whether a name is empty or only blanks: what `trimmingCharacters(in: .whitespaces).isEmpty`
    /// answers, without Foundation's per-call character set work, which was a tenth of a large
    /// import's validation. The blanks are Foundation's `.whitespaces` exactly: tab, space, U+00A0,
    /// U+1680, U+2000–U+200B, U+202F, U+205F, U+3000.
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
            default: return false
            }
        }
    }

    /// Checks a staff member's own fields.
    public static func check(staff m: StaffMember) throws(RegistryError) {
        let record = "教职工“\(m.name.isEmpty ? m.staffNumber : m.name)”"
        if isBlank(m.name) { throw .required(record: record, field: "姓名") }
        if m.staffNumber.isEmpty { throw .required(record: record, field: "教职工号") }
        try checkAgreement(record: record, residentID: m.residentID, birthDate: m.birthDate, gender: m.gender)
        if let left = m.left, left <= m.hired {
            throw .invalidPeriod(record: record, from: m.hired, until: left)
        }
    }

    /// Checks that a class can exist: the school teaches its grade and is open during its year.
    public static func check(class c: SchoolClass, in school: School) throws(RegistryError) {
        guard c.schoolID == school.id else {
            throw .classMismatch(className: c.name, reason: "不属于\(school.name)")
        }
        guard school.type.teaches(c.grade) else {
            throw .gradeNotTaught(school: school.name, schoolType: school.type, grade: c.grade)
        }
        try checkOpen(school, on: c.schoolYear.firstDay)
        if c.number < 1 {
            throw .invalidValue(record: "班级“\(school.name)\(c.name)”", field: "班号", value: String(c.number),
                                reason: "班号须为正整数")
        }
    }

    /// Checks a new enrolment period against its school, class and the student's other periods.
    ///
    /// - a school that does not teach the grade, or is closed (or not yet open) on the first day, is refused;
    /// - the class must belong to the same school, grade and the school year of the first day;
    /// - the period must not overlap any other period of the same student.
    public static func check(enrolment e: Enrolment, student: Student, school: School, schoolClass: SchoolClass?,
                             otherEnrolments: [Enrolment]) throws(RegistryError) {
        guard e.schoolID == school.id, e.studentID == student.id else {
            throw .invalidValue(record: "学生“\(student.name)”的学籍", field: "学校", value: school.name,
                                reason: "学籍记录与学校或学生不匹配")
        }
        guard school.type.teaches(e.grade) else {
            throw .gradeNotTaught(school: school.name, schoolType: school.type, grade: e.grade)
        }
        try checkOpen(school, on: e.from)
        if let until = e.until, until <= e.from {
            throw .invalidPeriod(record: "学生“\(student.name)”的学籍", from: e.from, until: until)
        }
        if let c = schoolClass {
            if c.schoolID != school.id {
                throw .classMismatch(className: c.name, reason: "该班级不属于\(school.name)")
            }
            if c.grade != e.grade {
                throw .classMismatch(className: c.name, reason: "班级年级为\(c.grade.name)，学籍年级为\(e.grade.name)")
            }
            if !c.schoolYear.contains(e.from) {
                throw .classMismatch(className: c.name,
                                     reason: "该班级属于\(c.schoolYear.name)，而学籍开始于\(e.from.chinese)")
            }
        }
        for other in otherEnrolments where other.id != e.id && other.overlaps(e) {
            throw .overlappingEnrolment(student: "学生“\(student.name)”（\(student.studentNumber)）",
                                        existing: "\(other.grade.name)，\(other.from.description)起",
                                        from: e.from)
        }
    }

    /// A recorded birth date and gender must be the ones the resident ID number encodes.
    static func checkAgreement(record: String, residentID: ResidentID?, birthDate: CivilDate,
                               gender: Gender) throws(RegistryError) {
        guard let id = residentID else { return }
        if id.birthDate != birthDate {
            throw .invalidValue(record: record, field: "出生日期", value: birthDate.description,
                                reason: "与身份证号中的出生日期\(id.birthDate.description)不一致")
        }
        if id.gender != gender {
            throw .invalidValue(record: record, field: "性别", value: gender.rawValue,
                                reason: "与身份证号第17位表示的性别（\(id.gender.rawValue)）不一致")
        }
    }

    static func checkOpen(_ school: School, on date: CivilDate) throws(RegistryError) {
        if let closed = school.closed, date > closed {
            throw .schoolClosed(school: school.name, closed: closed, date: date)
        }
        if date < school.opened {
            throw .schoolNotYetOpen(school: school.name, opened: school.opened, date: date)
        }
    }
}
