import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Testing

/// 控辍保学: a case from report to outcome, its refusals, the reports' counts, and the audit.
@Suite("Dropout control ledger")
struct DropoutControlTests {
    static let school = ActingUser(login: "school-registrar", displayName: "学籍管理员")
    static func date(_ s: String) throws -> CivilDate { try #require(CivilDate(iso: s)) }

    @Test("report → visit → confirm → returned, with refusals and counts", arguments: TestBackend.available)
    func lifecycle(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let service = RegistryService(store: store)
            let pupil = try await service.admit(SmallDistrict.student(name: "王强", birth: try Self.date("2012-05-06"), sequence: 31),
                                                schoolCode: d.junior.code, grade: .j1, classNumber: 1, from: SmallDistrict.day,
                                                entry: .intake, by: Self.school).0
            // Not enrolled on the day: refused (a child not registered is not a 名在人不在 case).
            await #expect(throws: RegistryError.self) {
                _ = try await service.reportSuspectedDropout(studentNumber: pupil.studentNumber, absentSince: try Self.date("2025-08-01"),
                                                             reportedOn: try Self.date("2025-08-02"), reason: "", villageCadre: "张", classTeacher: "李",
                                                             by: Self.school)
            }
            await #expect(throws: DropoutError.peopleRequired) {
                _ = try await service.reportSuspectedDropout(studentNumber: pupil.studentNumber, absentSince: try Self.date("2025-10-09"),
                                                             reportedOn: try Self.date("2025-10-12"), reason: "", villageCadre: " ", classTeacher: "李",
                                                             by: Self.school)
            }
            let c = try await service.reportSuspectedDropout(studentNumber: pupil.studentNumber, absentSince: try Self.date("2025-10-09"),
                                                             reportedOn: try Self.date("2025-10-12"), reason: "厌学", villageCadre: "张建国",
                                                             classTeacher: "李老师", by: Self.school)
            #expect(c.status == .suspected && c.schoolID == d.junior.id && c.grade == .j1)
            await #expect(throws: DropoutError.caseOpen(student: "学生“王强”（\(pupil.studentNumber)）", id: c.id)) {
                _ = try await service.reportSuspectedDropout(studentNumber: pupil.studentNumber, absentSince: try Self.date("2025-10-10"),
                                                             reportedOn: try Self.date("2025-10-12"), reason: "", villageCadre: "张", classTeacher: "李",
                                                             by: Self.school)
            }
            await #expect(throws: DropoutError.visitRequired(c.id)) {
                _ = try await service.confirmDropout(caseID: c.id, on: try Self.date("2025-10-20"), by: Self.school)
            }
            _ = try await service.recordHomeVisit(caseID: c.id, date: try Self.date("2025-10-15"), visitors: "张建国、李老师",
                                                  notes: "家长说孩子在家，不愿上学", by: Self.school)
            let confirmed = try await service.confirmDropout(caseID: c.id, on: try Self.date("2025-10-20"), by: Self.school)
            #expect(confirmed.status == .confirmed)
            let ended = try await store.enrolments(studentID: pupil.id)
            #expect(try ended.count == 1 && ended[0].exit == .droppedOut && ended[0].until == Self.date("2025-10-09"))
            // The October report counts the confirmed case and the visit.
            let october = try await service.submitDropoutReport(period: "2025-10", schoolID: d.junior.id, notes: "", by: Self.school)
            #expect(october.counts.confirmed == 1 && october.counts.suspected == 0 && october.counts.visits == 1)
            await #expect(throws: DropoutError.invalidPeriod("2025-13")) {
                _ = try await service.submitDropoutReport(period: "2025-13", schoolID: d.junior.id, notes: "", by: Self.school)
            }
            await #expect(throws: DropoutError.invalidPeriod("2025-Q4")) {
                _ = try await service.submitDropoutReport(period: "2025-Q4", schoolID: d.junior.id, notes: "", by: Self.school)
            }
            let back = try await service.recordDropoutOutcome(caseID: c.id, outcome: .returned, on: try Self.date("2025-11-17"),
                                                              note: "劝返", by: Self.school)
            #expect(back.status == .closed && back.outcome == .returned)
            let history = try await store.enrolments(studentID: pupil.id)
            #expect(try history.count == 2 && history[1].entry == .returnFromDropout && history[1].from == Self.date("2025-11-17"))
            await #expect(throws: DropoutError.wrongStatus(id: c.id, status: .closed, action: "登记结果")) {
                _ = try await service.recordDropoutOutcome(caseID: c.id, outcome: .moved, on: try Self.date("2025-11-18"), note: "", by: Self.school)
            }
            let quarter = try await service.submitDropoutReport(period: "2025-Q4", schoolID: nil, notes: "会商", by: Self.school)
            #expect(quarter.kind == .countyQuarterly && quarter.counts.returned == 1 && quarter.counts.confirmed == 0)
            #expect(try await store.dropoutReports(schoolIDs: nil).count == 2)
            let audit = try await store.auditEntries(entity: "dropout_case", actor: Self.school.login, offset: 0, limit: 20)
            #expect(audit.items.count == 3)   // reported, confirmed, outcome
        }
    }

    @Test("report periods: months and quarters")
    func periods() throws {
        let (from, to) = try #require(DropoutReport.days(of: "2025-Q4"))
        #expect(try from == Self.date("2025-10-01") && to == Self.date("2025-12-31"))
        let (f2, t2) = try #require(DropoutReport.days(of: "2026-02"))
        #expect(try f2 == Self.date("2026-02-01") && t2 == Self.date("2026-02-28"))
        #expect(DropoutReport.days(of: "2025-Q5") == nil && DropoutReport.days(of: "2025-1") == nil)
    }
}
