@testable import EduLedgerCore
import Testing

@Suite("学籍规则 RegistryRules")
struct RegistryRulesTests {
    static let opened = CivilDate(year: 2000, month: 9, day: 1)!
    static let primary = School(id: SchoolID(1), code: "2143110201", name: "东城第一小学", type: .primary,
                                ownership: .publicSchool, urbanRural: .urban, townshipID: TownshipID(1), opened: opened)
    static func student(birth: CivilDate = CivilDate(year: 2019, month: 3, day: 3)!, sequence: Int = 13) -> Student {
        let rid = ResidentID.make(regionCode: "431102", birthDate: birth, sequence: sequence)
        return Student(id: StudentID(5), studentNumber: "G" + (rid?.value ?? ""), name: "刘一", gender: sequence % 2 == 1 ? .male : .female,
                       birthDate: birth, residentID: rid)
    }
    static func enrolment(id: Int64 = 1, grade: GradeLevel = .p1, classID: ClassID? = nil, from: CivilDate,
                          until: CivilDate? = nil) -> Enrolment {
        Enrolment(id: EnrolmentID(id), studentID: StudentID(5), schoolID: SchoolID(1), grade: grade, classID: classID,
                  from: from, until: until, entry: .intake)
    }

    @Test("birth date and gender must agree with the resident ID")
    func studentAgreesWithID() throws {
        try RegistryRules.check(student: Self.student())
        var s = Self.student()
        s.gender = .female
        #expect(throws: RegistryError.self) { try RegistryRules.check(student: s) }
        s = Self.student()
        s.birthDate = s.birthDate.adding(days: 1)
        do {
            try RegistryRules.check(student: s)
            Issue.record("accepted a birth date that contradicts the ID")
        } catch {
            #expect(error.message.contains("出生日期") && error.message.contains("刘一"))
        }
        s = Self.student()
        s.name = "  "
        #expect(throws: RegistryError.required(record: "学生“  ”", field: "姓名")) { try RegistryRules.check(student: s) }
    }

    @Test("an enrolment must fit school, grade, class and the student's other periods")
    func enrolmentRules() throws {
        let day = CivilDate(year: 2025, month: 9, day: 1)!
        let c1 = SchoolClass(id: ClassID(9), schoolID: SchoolID(1), schoolYear: SchoolYear(2025), grade: .p1, number: 1)
        try RegistryRules.check(enrolment: Self.enrolment(classID: c1.id, from: day), student: Self.student(),
                                school: Self.primary, schoolClass: c1, otherEnrolments: [])
        // grade not taught
        #expect(throws: RegistryError.gradeNotTaught(school: "东城第一小学", schoolType: .primary, grade: .j1)) {
            try RegistryRules.check(enrolment: Self.enrolment(grade: .j1, from: day), student: Self.student(),
                                    school: Self.primary, schoolClass: nil, otherEnrolments: [])
        }
        // class of last year
        let old = SchoolClass(id: ClassID(8), schoolID: SchoolID(1), schoolYear: SchoolYear(2024), grade: .p1, number: 1)
        #expect(throws: RegistryError.self) {
            try RegistryRules.check(enrolment: Self.enrolment(classID: old.id, from: day), student: Self.student(),
                                    school: Self.primary, schoolClass: old, otherEnrolments: [])
        }
        // closed school
        var closed = Self.primary
        closed.closed = CivilDate(year: 2024, month: 8, day: 31)
        #expect(throws: RegistryError.schoolClosed(school: "东城第一小学", closed: closed.closed!, date: day)) {
            try RegistryRules.check(enrolment: Self.enrolment(from: day), student: Self.student(), school: closed,
                                    schoolClass: nil, otherEnrolments: [])
        }
        // overlap: an open period and a new one
        let current = Self.enrolment(id: 2, from: day)
        #expect(throws: RegistryError.self) {
            try RegistryRules.check(enrolment: Self.enrolment(id: 3, from: day.adding(days: 30)), student: Self.student(),
                                    school: Self.primary, schoolClass: nil, otherEnrolments: [current])
        }
        // back-to-back periods do not overlap: until is exclusive
        let ended = Self.enrolment(id: 2, from: day, until: day.adding(days: 30))
        try RegistryRules.check(enrolment: Self.enrolment(id: 3, from: day.adding(days: 30)), student: Self.student(),
                                school: Self.primary, schoolClass: nil, otherEnrolments: [ended])
        // an end before the start
        #expect(throws: RegistryError.self) {
            try RegistryRules.check(enrolment: Self.enrolment(from: day, until: day), student: Self.student(),
                                    school: Self.primary, schoolClass: nil, otherEnrolments: [])
        }
    }

    @Test("a class needs a school that teaches its grade and is open that year")
    func classRules() throws {
        let ok = SchoolClass(id: .unsaved, schoolID: SchoolID(1), schoolYear: SchoolYear(2025), grade: .p3, number: 2)
        try RegistryRules.check(class: ok, in: Self.primary)
        #expect(ok.name == "三年级(2)班")
        var junior = ok
        junior.grade = .j1
        #expect(throws: RegistryError.self) { try RegistryRules.check(class: junior, in: Self.primary) }
        var notYet = Self.primary
        notYet.opened = CivilDate(year: 2026, month: 9, day: 1)!
        #expect(throws: RegistryError.self) { try RegistryRules.check(class: ok, in: notYet) }
    }

    @Test("every registry error has a stable code and a Chinese message")
    func errorMessages() {
        let errors: [RegistryError] = [
            .required(record: "学生“甲”", field: "姓名"), .notFound(kind: "学校", key: "1"), .duplicate(kind: "学籍号", key: "G1"),
            .gradeNotTaught(school: "某小学", schoolType: .primary, grade: .j1),
            .schoolClosed(school: "某小学", closed: CivilDate(year: 2024, month: 8, day: 31)!, date: CivilDate(year: 2025, month: 9, day: 1)!),
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
        for e in errors { #expect(e.message.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF }) }
    }
}
