import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import SQLKit
import Testing

/// The repository contract: the same assertions against SQLite and a real PostgreSQL server.
@Suite("Registry store contract")
struct RegistryContractTests {
    static let admin = ActingUser(login: "test-admin", displayName: "测试管理员")
    static let day = SmallDistrict.day

    @Test("PostgreSQL is available when CI requires it")
    func postgresConfiguredWhenRequired() {
        if TestDatabases.postgresRequired {
            #expect(TestDatabases.postgresURL != nil, "EDULEDGER_REQUIRE_POSTGRES=1 but no EDULEDGER_TEST_POSTGRES_URL")
        }
    }

    @Test("migrations are versioned and idempotent", arguments: TestBackend.available)
    func migrationsIdempotent(_ backend: TestBackend) async throws {
        try await TestDatabases.withFreshDatabase(backend) { location in
            let first = try await Database.open(location)
            let applied = try await first.reader.raw("SELECT version FROM schema_migrations ORDER BY version")
                .all(decodingColumn: "version", as: Int.self)
            try await first.close()
            let second = try await Database.open(location)
            let versions = try await second.reader.raw("SELECT version FROM schema_migrations ORDER BY version")
                .all(decodingColumn: "version", as: Int.self)
            try await second.close()
            #expect(applied.first == 1 && Set(applied).count == applied.count)
            #expect(versions == applied, "opening again applies nothing twice")
        }
    }

    @Test("records round-trip unchanged", arguments: TestBackend.available)
    func roundTrip(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            var s = SmallDistrict.student(name: "王小明", birth: CivilDate(year: 2019, month: 3, day: 5)!, sequence: 123)
            s.ethnicity = "土家族"
            s.flags = StudentFlags(leftBehind: true, disability: .hearing, inclusiveClass: true, poverty: .minimumLiving)
            let (saved, enrolment) = try await RegistryService(store: store).admit(
                s, schoolCode: d.primary.code, grade: .p1, classNumber: 1, from: Self.day, entry: .intake, by: Self.admin)
            #expect(saved.id != .unsaved)
            var expected = s
            expected.id = saved.id
            #expect(try await store.student(id: saved.id) == expected)
            #expect(try await store.student(number: s.studentNumber) == expected)
            #expect(try await store.enrolments(studentID: saved.id) == [enrolment])
            #expect(enrolment.classID == d.primaryClass.id)
            #expect(try await store.school(code: d.closedSchool.code) == d.closedSchool)
            #expect(try await store.schoolClass(id: d.juniorClass.id) == d.juniorClass)

            let rid = try #require(ResidentID.make(regionCode: "431102", birthDate: CivilDate(year: 1985, month: 3, day: 7)!, sequence: 2))
            let teacher = StaffMember(
                id: .unsaved, staffNumber: "T0001", name: "李老师", gender: rid.gender, birthDate: rid.birthDate,
                residentID: rid, schoolID: nil, post: .fullTimeTeacher, qualification: .master, title: .first,
                subjects: ["语文", "道德与法治"], certificate: TeacherCertificate(level: .primary, number: "20104310000123"),
                backbone: true, hired: CivilDate(year: 2008, month: 9, day: 1)!)
            let savedTeacher = try await RegistryService(store: store).addStaff(teacher, schoolCode: d.primary.code, by: Self.admin)
            #expect(try await store.staffMember(number: "T0001") == savedTeacher)
            #expect(savedTeacher.schoolID == d.primary.id)
        }
    }

    @Test("a failing write leaves nothing behind, not even its audit line", arguments: TestBackend.available)
    func rollback(_ backend: TestBackend) async throws {
        struct Boom: Error {}
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let auditBefore = try await store.auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total
            let s = SmallDistrict.student(name: "张三", birth: CivilDate(year: 2019, month: 5, day: 1)!, sequence: 11)
            await #expect(throws: Boom.self) {
                try await store.write(by: Self.admin) { tx in
                    _ = try await tx.insert(s)
                    throw Boom()
                }
            }
            #expect(try await store.student(number: s.studentNumber) == nil)
            #expect(try await store.auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total == auditBefore)
            // The store is still usable afterwards.
            _ = try await RegistryService(store: store).admit(s, schoolCode: d.primary.code, grade: .p1, classNumber: nil,
                                                              from: Self.day, entry: .intake, by: Self.admin)
            #expect(try await store.student(number: s.studentNumber) != nil)
        }
    }

    @Test("every change is in the audit log with before and after; the log cannot be altered",
          arguments: TestBackend.available)
    func auditLog(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let s = SmallDistrict.student(name: "赵六", birth: CivilDate(year: 2019, month: 1, day: 9)!, sequence: 31)
            let clerk = ActingUser(login: "registrar-1", displayName: "学籍管理员")
            let (saved, _) = try await RegistryService(store: store).admit(
                s, schoolCode: d.primary.code, grade: .p1, classNumber: 1, from: Self.day, entry: .intake, by: clerk)
            var renamed = saved
            renamed.name = "赵六一"
            try await RegistryService(store: store).update(renamed, by: clerk)

            let entries = try await store.auditEntries(entity: "student", actor: "registrar-1", offset: 0, limit: 10)
            #expect(entries.total == 2)
            let update = try #require(entries.items.first)
            #expect(update.action == .update)
            #expect(update.entityID == saved.id.description)
            #expect(update.before?.contains("赵六\"") == true)
            #expect(update.after?.contains("赵六一") == true)
            #expect(try await store.auditEntries(entity: "enrolment", actor: "registrar-1", offset: 0, limit: 10).total == 1)

            let db = store.database
            await #expect(throws: (any Error).self) {
                try await db.transaction { sql in try await sql.raw("DELETE FROM audit_log").run() }
            }
            await #expect(throws: (any Error).self) {
                try await db.transaction { sql in try await sql.raw("UPDATE audit_log SET actor = 'x'").run() }
            }
            #expect(try await store.auditEntries(entity: "student", actor: "registrar-1", offset: 0, limit: 10).total == 2)
        }
    }

    @Test("rule violations are refused with the reason and write nothing", arguments: TestBackend.available)
    func refusals(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let service = RegistryService(store: store)
            let before = try await store.counts(on: Self.day)
            let auditBefore = try await store.auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total
            let s = SmallDistrict.student(name: "钱七", birth: CivilDate(year: 2013, month: 6, day: 1)!, sequence: 41)

            // A grade the school does not teach.
            await #expect(throws: RegistryError.gradeNotTaught(school: d.primary.name, schoolType: .primary, grade: .j1)) {
                _ = try await service.admit(s, schoolCode: d.primary.code, grade: .j1, classNumber: nil, from: Self.day,
                                            entry: .intake, by: Self.admin)
            }
            // A school merged away in 2024.
            await #expect(throws: RegistryError.self) {
                _ = try await service.admit(s, schoolCode: d.closedSchool.code, grade: .p6, classNumber: nil,
                                            from: Self.day, entry: .intake, by: Self.admin)
            }
            // A class in a closed school.
            await #expect(throws: RegistryError.self) {
                _ = try await service.addClass(schoolCode: d.closedSchool.code, year: SmallDistrict.year, grade: .p1,
                                               number: 1, by: Self.admin)
            }
            // A class of another grade.
            await #expect(throws: RegistryError.self) {
                _ = try await service.admit(s, schoolCode: d.junior.code, grade: .j2, classNumber: 1, from: Self.day,
                                            entry: .intake, by: Self.admin)
            }
            // A birth date that contradicts the ID number.
            var wrongBirth = s
            wrongBirth.birthDate = CivilDate(year: 2013, month: 6, day: 2)!
            await #expect(throws: RegistryError.self) {
                _ = try await service.admit(wrongBirth, schoolCode: d.junior.code, grade: .j1, classNumber: nil,
                                            from: Self.day, entry: .intake, by: Self.admin)
            }
            #expect(try await store.counts(on: Self.day) == before)
            #expect(try await store.auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total == auditBefore)

            // A student in two classes at once.
            _ = try await service.admit(s, schoolCode: d.junior.code, grade: .j1, classNumber: 1, from: Self.day,
                                        entry: .intake, by: Self.admin)
            do {
                _ = try await service.enrol(studentNumber: s.studentNumber, schoolCode: d.junior.code, grade: .j1,
                                            classNumber: nil, from: CivilDate(year: 2025, month: 10, day: 8)!,
                                            entry: .transferIn, by: Self.admin)
                Issue.record("overlapping enrolment was accepted")
            } catch let error as RegistryError {
                #expect(error.code == "registry.overlapping_enrolment")
                #expect(error.message.contains("钱七"))
            }
            // The same student registered twice.
            await #expect(throws: RegistryError.duplicate(kind: "学籍号", key: s.studentNumber)) {
                _ = try await service.admit(s, schoolCode: d.primary.code, grade: .p1, classNumber: nil, from: Self.day,
                                            entry: .intake, by: Self.admin)
            }
            #expect(try await store.enrolments(studentID: try #require(await store.student(number: s.studentNumber)).id).count == 1)
        }
    }

    @Test("lists filter by school, grade, class, search and date, and page", arguments: TestBackend.available)
    func studentQueries(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let service = RegistryService(store: store)
            for i in 0..<7 {
                let s = SmallDistrict.student(name: "学生\(i)", birth: CivilDate(year: 2019, month: 2, day: 1 + i)!,
                                              sequence: 100 + i)
                _ = try await service.admit(s, schoolCode: d.primary.code, grade: .p1, classNumber: 1, from: Self.day,
                                            entry: .intake, by: Self.admin)
            }
            let late = SmallDistrict.student(name: "王晚到", birth: CivilDate(year: 2012, month: 4, day: 4)!, sequence: 201)
            _ = try await service.admit(late, schoolCode: d.junior.code, grade: .j1, classNumber: 1,
                                        from: CivilDate(year: 2025, month: 10, day: 9)!, entry: .transferIn, by: Self.admin)

            let all = try await store.students(StudentQuery(date: Self.day, limit: 100))
            #expect(all.total == 7)  // the transfer arrived after 9月1日
            let later = try await store.students(StudentQuery(date: CivilDate(year: 2025, month: 10, day: 9)!, limit: 100))
            #expect(later.total == 8)
            let page = try await store.students(StudentQuery(date: Self.day, schoolIDs: [d.primary.id], offset: 5, limit: 5))
            #expect(page.total == 7 && page.items.count == 2)
            #expect(page.items.map(\.student.name) == ["学生5", "学生6"])
            let search = try await store.students(StudentQuery(date: later.items[0].enrolment.from.adding(days: 40),
                                                               search: "王晚", limit: 10))
            #expect(search.items.map(\.student.name) == ["王晚到"])
            let byClass = try await store.students(StudentQuery(date: Self.day, classID: d.primaryClass.id, limit: 0))
            #expect(byClass.total == 7 && byClass.items.isEmpty)
            let literalPercent = try await store.students(StudentQuery(date: Self.day, search: "%", limit: 10))
            #expect(literalPercent.total == 0)
            let none = try await store.students(StudentQuery(date: Self.day, schoolIDs: [], limit: 10))
            #expect(none.total == 0)
            let counts = try await store.counts(on: Self.day)
            #expect(counts.studentsEnrolled == 7 && counts.studentsByStage["小学"] == 7)
            #expect(counts.schoolsOpen == 2 && counts.schoolsEver == 3)
        }
    }

    @Test("after a bulk load new records get fresh ids", arguments: TestBackend.available)
    func bulkThenInsert(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            var batch = RegistryBatch()
            batch.districts = [District(id: DistrictID(1), code: "431102", name: "批量区")]
            batch.townships = [Township(id: TownshipID(7), code: "431102007", name: "七里镇", kind: .town)]
            batch.schools = [School(id: SchoolID(40), code: "2143110240", name: "七里小学", type: .primary,
                                    ownership: .publicSchool, urbanRural: .rural, townshipID: TownshipID(7),
                                    opened: CivilDate(year: 2000, month: 9, day: 1)!)]
            let loaded = batch
            try await store.write(by: Self.admin) { tx in try await tx.bulkInsert(loaded) }
            #expect(try await store.isEmpty() == false)
            let added = try await RegistryService(store: store).addSchool(School(
                id: .unsaved, code: "2143110241", name: "七里二小", type: .primary, ownership: .publicSchool,
                urbanRural: .rural, townshipID: TownshipID(7), opened: CivilDate(year: 2001, month: 9, day: 1)!), by: Self.admin)
            #expect(added.id.rawValue > 40)
            let bulkAudit = try await store.auditEntries(entity: "batch", actor: Self.admin.login, offset: 0, limit: 5)
            #expect(bulkAudit.total == 1)
            #expect(bulkAudit.items.first?.after?.contains("\"schools\":1") == true)
        }
    }
}
