import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Testing

/// The indicator facts loader and the statistics tables, on SQLite and PostgreSQL alike.
@Suite("Indicator facts loader contract")
struct IndicatorFactsLoaderTests {
    static let admin = ActingUser(login: "test-admin", displayName: "测试管理员")

    @Test("statistics upsert and the snapshot round-trip", arguments: TestBackend.available)
    func loadsSnapshot(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let service = RegistryService(store: store)
            let birth = try #require(CivilDate(iso: "2019-03-05"))
            var pupil = SmallDistrict.student(name: "王小明", birth: birth, sequence: 123)
            pupil.hukouTownshipID = d.primary.townshipID
            pupil.flags = StudentFlags(leftBehind: true, disability: .hearing, inclusiveClass: true)
            let (saved, enrolment) = try await service.admit(pupil, schoolCode: d.primary.code, grade: .p1, classNumber: 1,
                                                             from: SmallDistrict.day, entry: .intake, by: Self.admin)
            // An old period far outside the window is not loaded.
            let old = SmallDistrict.student(name: "李旧", birth: try #require(CivilDate(iso: "2000-01-02")), sequence: 8)
            _ = try await service.admit(old, schoolCode: d.primary.code, grade: .p1, classNumber: nil,
                                        from: try #require(CivilDate(iso: "2006-09-01")), entry: .intake, by: Self.admin)
            try await store.write(by: Self.admin) { tx in
                var o = try await tx.enrolments(studentID: try #require(await tx.student(number: old.studentNumber)).id)[0]
                o.until = CivilDate(iso: "2012-07-01"); o.exit = .graduated
                try await tx.update(o)
            }
            let teacher = StaffMember(
                id: .unsaved, staffNumber: "T1", name: "李老师", gender: .female,
                birthDate: try #require(CivilDate(iso: "1985-03-07")), residentID: nil, schoolID: nil,
                post: .fullTimeTeacher, qualification: .bachelor, title: .first, subjects: ["体育"], backbone: true,
                hired: try #require(CivilDate(iso: "2008-09-01")))
            let savedTeacher = try await service.addStaff(teacher, schoolCode: d.primary.code, by: Self.admin)

            var batch = StatisticsBatch(
                population: [SchoolAgePopulation(year: SchoolYear(2025), townshipID: d.primary.townshipID, age: 6,
                                                 gender: .male, count: 40, disabledCount: 1)],
                resources: [SchoolResources(schoolID: d.primary.id, year: SchoolYear(2025), teachingArea: 1234.5,
                                            sportsArea: 2000.25, equipmentValue: Money(fen: 123_456_789), books: 9000,
                                            multimediaClassrooms: 12)])
            let firstBatch = batch
            try await store.write(by: Self.admin) { tx in
                let writer = try #require(tx as? any StatisticsWriting)
                try await writer.bulkUpsert(firstBatch)
            }
            // A second import of the same keys replaces the figures.
            batch.population[0].count = 42
            batch.resources[0].books = 9100
            let secondBatch = batch
            try await store.write(by: Self.admin) { tx in
                let writer = try #require(tx as? any StatisticsWriting)
                try await writer.bulkUpsert(secondBatch)
            }

            let loader = IndicatorFactsLoader(database: store.database)
            let facts = try await loader.load(years: 2025...2025)
            #expect(facts.years == 2025...2025)
            #expect(facts.schools.count == 3 && facts.townships.count == 2)
            #expect(facts.classes.count == 2)
            #expect(facts.enrolments == [enrolment])
            #expect(facts.students == [StudentFact(saved)])
            #expect(facts.staff == [StaffFact(savedTeacher)])
            #expect(facts.population == batch.population)
            #expect(facts.resources == batch.resources)
            #expect(try await loader.availableYears() == 2025...2025)

            let labels = try await loader.labels(for: [StatisticsRecordKey(kind: "student", id: saved.id.rawValue),
                                                       StatisticsRecordKey(kind: "school", id: d.primary.id.rawValue)])
            #expect(labels[StatisticsRecordKey(kind: "student", id: saved.id.rawValue)] == "\(saved.studentNumber) 王小明")
            #expect(labels[StatisticsRecordKey(kind: "school", id: d.primary.id.rawValue)] == "\(d.primary.code) 东城第一小学")

            let audit = try await store.auditEntries(entity: "statistics_batch", actor: nil, offset: 0, limit: 10)
            #expect(audit.total == 2)
        }
    }

    @Test("bad figures are refused by the database", arguments: TestBackend.available)
    func refusesNegative(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let bad = StatisticsBatch(population: [SchoolAgePopulation(
                year: SchoolYear(2025), townshipID: d.primary.townshipID, age: 6, gender: .female, count: 3, disabledCount: 5)])
            await #expect(throws: (any Error).self) {
                try await store.write(by: Self.admin) { tx in
                    try await (tx as? any StatisticsWriting)?.bulkUpsert(bad)
                }
            }
            let facts = try await IndicatorFactsLoader(database: store.database).load(years: 2025...2025)
            #expect(facts.population.isEmpty)
        }
    }
}
