import EduLedgerCore
@testable import EduLedgerDemo
import Foundation
import Testing

@Suite("Demo district: shape, determinism and rules")
struct DemoGeneratorTests {
    let demo = DemoOutput.district

    @Test("the same seed gives identical batches; another seed differs")
    func determinism() throws {
        let again = DemoOutput(seed: 1)
        #expect(again.summary == demo.summary)
        #expect(again.batches.count == demo.batches.count)
        for (a, b) in zip(again.batches, demo.batches) {
            #expect(a.schools == b.schools && a.classes == b.classes && a.students == b.students)
            #expect(a.enrolments == b.enrolments && a.staff == b.staff && a.townships == b.townships)
        }
        var other = DemoGenerator(seed: 2, scale: .district).makeRun()
        while other.nextBatch() != nil {}
        #expect(other.summary.digest != demo.summary.digest)
        #expect(other.summary.studentsOnReferenceDate != demo.summary.studentsOnReferenceDate
            || other.summary.enrolments != demo.summary.enrolments)
    }

    @Test("the async API emits the same batches, reports progress up to the total and returns the summary")
    func asyncGenerate() async throws {
        let collected = BatchCollector()
        let progress = ProgressRecorder()
        let summary = try await DemoGenerator(seed: 1, scale: .district).generate(
            into: { batch in await collected.add(batch.recordCount) },
            progress: { done, total in progress.record(done, total) })
        #expect(summary == demo.summary)
        #expect(await collected.counts == demo.batches.map(\.recordCount))
        let last = progress.last
        #expect(last.0 == last.1 && last.1 == demo.batches.count)
    }

    @Test("counts are near the targets: 12 townships, ~60 schools, ~40 000 pupils, ~3 000 staff")
    func counts() {
        let s = demo.summary
        #expect(s.districtName == "清河区" && s.districtCode == "431102")
        #expect(s.districts == 1 && s.townships == 12)
        #expect((54...66).contains(s.schools))
        #expect((36_000...44_000).contains(s.studentsOnReferenceDate), "\(s.studentsOnReferenceDate)")
        #expect((2_700...3_300).contains(s.staffOnReferenceDate), "\(s.staffOnReferenceDate)")
        #expect(s.students == demo.allStudents.count && s.enrolments == demo.allEnrolments.count)
        #expect(s.staff == demo.allStaff.count && s.classes == demo.classes.count)
        let enrolledNow = demo.enrolled(on: day(2026, 9, 1))
        #expect(enrolledNow.count == s.studentsOnReferenceDate)
        for stage in Stage.allCases {
            let n = enrolledNow.filter { $0.grade.stage == stage }.count
            #expect(s.studentsByStage.first { $0.stage == stage }?.students == n)
        }
        let byStage = Dictionary(uniqueKeysWithValues: s.studentsByStage.map { ($0.stage, $0.students) })
        // Primary is the largest stage, junior about half of it.
        #expect((byStage[.primary] ?? 0) > 2 * (byStage[.junior] ?? 0) * 8 / 10)
        #expect((byStage[.junior] ?? 0) > (byStage[.senior] ?? 0))
        let teacherShare = Double(s.fullTimeTeachersOnReferenceDate) / Double(s.staffOnReferenceDate)
        #expect(teacherShare > 0.78 && teacherShare < 0.9, "\(teacherShare)")
        #expect(demo.unplaced == 0)
    }

    @Test("schools of every type, both ownerships, every setting, campuses and 教学点")
    func schoolKinds() throws {
        let schools = Array(demo.schools.values)
        for type in SchoolType.allCases { #expect(schools.contains { $0.type == type }, "\(type)") }
        for o in Ownership.allCases { #expect(schools.contains { $0.ownership == o }) }
        for u in UrbanRural.allCases { #expect(schools.contains { $0.urbanRural == u }) }
        #expect(schools.filter { $0.campuses.count >= 2 }.count >= 2)
        let points = schools.filter(\.isTeachingPoint)
        #expect(points.count >= 3)
        for p in points {
            let central = try #require(p.centralSchoolID.flatMap { demo.schools[$0] })
            #expect(central.type == .primary && central.townshipID == p.townshipID && p.name.hasSuffix("教学点"))
        }
        #expect(Set(schools.map(\.code)).count == schools.count)
        #expect(schools.allSatisfy { $0.code.count == 10 && $0.code.allSatisfy(\.isASCII) && Int($0.code) != nil })
        // Adult schools have no pupils.
        let adult = Set(schools.filter { $0.type == .adult }.map(\.id))
        #expect(!demo.allEnrolments.contains { adult.contains($0.schoolID) })
        let townships = demo.batches[0].townships
        #expect(Set(townships.map(\.kind)) == Set(Township.Kind.allCases))
        #expect(townships.allSatisfy { $0.code.hasPrefix("431102") && $0.code.count == 9 && $0.name.hasSuffix($0.kind.rawValue) })
    }

    @Test("every student passes the registry rules, and so does every staff member, class and period")
    func registryRules() throws {
        for s in demo.allStudents { try RegistryRules.check(student: s) }
        for m in demo.allStaff { try RegistryRules.check(staff: m) }
        for c in demo.classes.values {
            let school = try #require(demo.schools[c.schoolID])
            try RegistryRules.check(class: c, in: school)
            if let head = c.headTeacherID {
                let teacher = try #require(demo.staff[head])
                #expect(teacher.schoolID == c.schoolID && teacher.post == .fullTimeTeacher
                    && teacher.isEmployed(on: c.schoolYear.firstDay))
            }
        }
        #expect(demo.classes.values.allSatisfy { $0.headTeacherID != nil })
        for (id, list) in demo.periods {
            let student = try #require(demo.students[id])
            for e in list {
                let school = try #require(demo.schools[e.schoolID])
                let cls = try e.classID.map { try #require(demo.classes[$0]) }
                try RegistryRules.check(enrolment: e, student: student, school: school, schoolClass: cls,
                                        otherEnrolments: list)
            }
        }
    }

    @Test("班主任 move up with their class and head one class a year")
    func headTeachers() {
        struct Key: Hashable { let school: SchoolID; let year: Int; let grade: GradeLevel; let number: Int }
        var byKey: [Key: SchoolClass] = [:]
        for c in demo.classes.values {
            byKey[Key(school: c.schoolID, year: c.schoolYear.startYear, grade: c.grade, number: c.number)] = c
        }
        var continued = 0, comparable = 0
        for c in demo.classes.values where c.grade.yearInStage > 1 {
            let before = GradeLevel.allCases.first { $0.next == c.grade }
            guard let before, let previous = byKey[Key(school: c.schoolID, year: c.schoolYear.startYear - 1,
                                                    grade: before, number: c.number)] else { continue }
            comparable += 1
            if previous.headTeacherID == c.headTeacherID { continued += 1 }
        }
        #expect(comparable > 1_000 && Double(continued) / Double(comparable) > 0.8, "\(continued)/\(comparable)")
        // A teacher heads at most one class a year wherever the school has enough teachers.
        var perYear: [String: Int] = [:]
        for c in demo.classes.values { if let h = c.headTeacherID { perYear["\(h)-\(c.schoolYear.startYear)", default: 0] += 1 } }
        let doubled = perYear.values.filter { $0 > 1 }.count
        #expect(Double(doubled) / Double(demo.classes.count) < 0.02, "\(doubled)")
    }

    @Test("a batch refers only to records of the same or an earlier batch; ids run from 1")
    func referencesComeFirst() {
        var schools = Set<SchoolID>(), classes = Set<ClassID>(), students = Set<StudentID>(), staff = Set<StaffID>()
        var townships = Set<TownshipID>(), zones = Set<SchoolZoneID>()
        var ok = true
        for b in demo.batches {
            townships.formUnion(b.townships.map(\.id)); zones.formUnion(b.zones.map(\.id))
            schools.formUnion(b.schools.map(\.id)); staff.formUnion(b.staff.map(\.id))
            classes.formUnion(b.classes.map(\.id)); students.formUnion(b.students.map(\.id))
            for s in b.schools where !townships.contains(s.townshipID) || !(s.zoneID.map(zones.contains) ?? true) { ok = false }
            for m in b.staff where !(m.schoolID.map(schools.contains) ?? true) { ok = false }
            for c in b.classes where !schools.contains(c.schoolID) || !(c.headTeacherID.map(staff.contains) ?? true) { ok = false }
            for e in b.enrolments where !students.contains(e.studentID) || !schools.contains(e.schoolID)
                || !(e.classID.map(classes.contains) ?? true) { ok = false }
        }
        #expect(ok)
        #expect(students.count == demo.allStudents.count && students.max()?.rawValue == Int64(students.count))
        #expect(classes.max()?.rawValue == Int64(classes.count) && staff.max()?.rawValue == Int64(staff.count))
        let enrolmentIDs = demo.allEnrolments.map(\.id.rawValue)
        #expect(enrolmentIDs == Array(1...Int64(enrolmentIDs.count)))
    }
}

actor BatchCollector {
    var counts: [Int] = []
    func add(_ n: Int) { counts.append(n) }
}

final class ProgressRecorder: @unchecked Sendable {
    // Guarded by `lock`.
    private var value = (0, 0)
    private let lock = NSLock()
    func record(_ done: Int, _ total: Int) { lock.withLock { value = (done, total) } }
    var last: (Int, Int) { lock.withLock { value } }
}
