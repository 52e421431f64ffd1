import Foundation

/// The registry's write operations with their rules: each loads what the rule needs, checks
/// it, and writes — all in one transaction, so a refused change writes nothing.
public struct RegistryService: Sendable {
    public let store: any RegistryStore

    public init(store: any RegistryStore) { self.store = store }

    /// Registers a new student and their first enrolment period (新生入学, 转入 from outside, …).
    public func admit(_ student: Student, schoolCode: String, grade: GradeLevel, classNumber: Int?,
                      from date: CivilDate, entry: EntryReason, by user: ActingUser) async throws -> (Student, Enrolment) {
        try RegistryRules.check(student: student)
        return try await store.write(by: user) { tx in
            guard let school = try await tx.school(code: schoolCode) else {
                throw RegistryError.notFound(kind: "学校", key: schoolCode)
            }
            if let existing = try await tx.student(number: student.studentNumber) {
                throw RegistryError.duplicate(kind: "学籍号", key: existing.studentNumber)
            }
            let schoolClass = try await Self.findClass(tx, school: school, grade: grade, number: classNumber, on: date)
            let saved = try await tx.insert(student)
            let enrolment = Enrolment(id: .unsaved, studentID: saved.id, schoolID: school.id, grade: grade,
                                      classID: schoolClass?.id, from: date, entry: entry)
            try RegistryRules.check(enrolment: enrolment, student: saved, school: school, schoolClass: schoolClass,
                                    otherEnrolments: [])
            return (saved, try await tx.insert(enrolment))
        }
    }

    /// Adds an enrolment period for an existing student (e.g. a return after 休学), refusing
    /// overlaps with their history.
    public func enrol(studentNumber: String, schoolCode: String, grade: GradeLevel, classNumber: Int?,
                      from date: CivilDate, entry: EntryReason, by user: ActingUser) async throws -> Enrolment {
        try await store.write(by: user) { tx in
            guard let student = try await tx.student(number: studentNumber) else {
                throw RegistryError.notFound(kind: "学生（学籍号）", key: studentNumber)
            }
            guard let school = try await tx.school(code: schoolCode) else {
                throw RegistryError.notFound(kind: "学校", key: schoolCode)
            }
            let schoolClass = try await Self.findClass(tx, school: school, grade: grade, number: classNumber, on: date)
            let enrolment = Enrolment(id: .unsaved, studentID: student.id, schoolID: school.id, grade: grade,
                                      classID: schoolClass?.id, from: date, entry: entry)
            try RegistryRules.check(enrolment: enrolment, student: student, school: school, schoolClass: schoolClass,
                                    otherEnrolments: try await tx.enrolments(studentID: student.id))
            return try await tx.insert(enrolment)
        }
    }

    /// Corrects a student's own fields (name, flags, …); the audit log keeps the old values.
    public func update(_ student: Student, by user: ActingUser) async throws {
        try RegistryRules.check(student: student)
        try await store.write(by: user) { tx in try await tx.update(student) }
    }

    public func addSchool(_ school: School, by user: ActingUser) async throws -> School {
        if school.name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw RegistryError.required(record: "学校", field: "学校名称")
        }
        guard school.code.count == 10, school.code.allSatisfy(\.isASCIIDigit) else {
            throw RegistryError.invalidValue(record: "学校“\(school.name)”", field: "学校标识码", value: school.code,
                                             reason: "应为10位数字")
        }
        return try await store.write(by: user) { tx in
            guard try await tx.townships().contains(where: { $0.id == school.townshipID }) else {
                throw RegistryError.notFound(kind: "乡镇", key: school.townshipID.description)
            }
            if let central = school.centralSchoolID, try await tx.school(id: central) == nil {
                throw RegistryError.notFound(kind: "中心校", key: central.description)
            }
            return try await tx.insert(school)
        }
    }

    public func addClass(schoolCode: String, year: SchoolYear, grade: GradeLevel, number: Int,
                         by user: ActingUser) async throws -> SchoolClass {
        try await store.write(by: user) { tx in
            guard let school = try await tx.school(code: schoolCode) else {
                throw RegistryError.notFound(kind: "学校", key: schoolCode)
            }
            let c = SchoolClass(id: .unsaved, schoolID: school.id, schoolYear: year, grade: grade, number: number)
            try RegistryRules.check(class: c, in: school)
            return try await tx.insert(c)
        }
    }

    public func addStaff(_ member: StaffMember, schoolCode: String?, by user: ActingUser) async throws -> StaffMember {
        try await store.write(by: user) { tx in
            var m = member
            if let code = schoolCode {
                guard let school = try await tx.school(code: code) else {
                    throw RegistryError.notFound(kind: "学校", key: code)
                }
                if let closed = school.closed, m.hired > closed {
                    throw RegistryError.schoolClosed(school: school.name, closed: closed, date: m.hired)
                }
                m.schoolID = school.id
            }
            try RegistryRules.check(staff: m)
            return try await tx.insert(m)
        }
    }

    static func findClass(_ tx: any RegistryWriting, school: School, grade: GradeLevel, number: Int?,
                          on date: CivilDate) async throws -> SchoolClass? {
        guard let number else { return nil }
        let year = SchoolYear(containing: date)
        guard let c = try await tx.classes(schoolID: school.id, year: year)
            .first(where: { $0.grade == grade && $0.number == number }) else {
            throw RegistryError.notFound(kind: "班级", key: "\(school.name)\(year.name)\(grade.name)(\(number))班")
        }
        return c
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
