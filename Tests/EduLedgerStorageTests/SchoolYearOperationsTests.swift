import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Testing

/// Transfers, suspension, dropout and the year end, with their refusals, on both databases.
@Suite("School-year operations")
struct SchoolYearOperationsTests {
    static let registrar = ActingUser(login: "school-registrar", displayName: "学籍管理员")
    static let principal = ActingUser(login: "sending-principal", displayName: "转出校校长")
    static let bureau = ActingUser(login: "bureau-jcjy", displayName: "基础教育股")
    static let start = SmallDistrict.day

    static func date(_ s: String) throws -> CivilDate { try #require(CivilDate(iso: s)) }

    /// The small district plus a second primary school, and pupils admitted on 2025-09-01.
    static func setUp(_ store: SQLRegistryStore) async throws -> (SmallDistrict, School, RegistryService) {
        let d = try await SmallDistrict.make(in: store)
        let service = RegistryService(store: store)
        let other = try await service.addSchool(School(
            id: .unsaved, code: "2143110209", name: "西城小学", type: .primary, ownership: .publicSchool, urbanRural: .urban,
            townshipID: d.primary.townshipID, opened: try date("1995-09-01")), by: registrar)
        return (d, other, service)
    }

    static func admit(_ service: RegistryService, _ school: School, _ grade: GradeLevel, _ seq: Int, classNumber: Int? = nil,
                      name: String = "学生") async throws -> Student {
        let birth = try date("\(2025 - grade.typicalAge - 1)-10-0\(seq % 9 + 1)")
        let s = SmallDistrict.student(name: name + String(seq), birth: birth, sequence: seq)
        return try await service.admit(s, schoolCode: school.code, grade: grade, classNumber: classNumber, from: start,
                                       entry: .intake, by: registrar).0
    }

    @Test("transfer: request → sending school → bureau, each step with who and when", arguments: TestBackend.available)
    func transferChain(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let (d, other, service) = try await Self.setUp(store)
            let pupil = try await Self.admit(service, d.primary, .p1, 11, classNumber: 1)
            let day = try Self.date("2025-11-03")
            // Refused: the junior school has no 一年级.
            await #expect(throws: RegistryError.gradeNotTaught(school: d.junior.name, schoolType: .juniorSecondary, grade: .p1)) {
                _ = try await service.requestTransfer(studentNumber: pupil.studentNumber, toSchoolCode: d.junior.code, on: day,
                                                      reason: "搬家", by: Self.registrar)
            }
            await #expect(throws: SchoolYearError.transferToSameSchool(school: d.primary.name)) {
                _ = try await service.requestTransfer(studentNumber: pupil.studentNumber, toSchoolCode: d.primary.code, on: day,
                                                      reason: "搬家", by: Self.registrar)
            }
            let r = try await service.requestTransfer(studentNumber: pupil.studentNumber, toSchoolCode: other.code, on: day,
                                                      reason: "随父母搬家", by: Self.registrar)
            #expect(r.status == .requested && r.requested.by == Self.registrar.login && !r.requested.at.isEmpty)
            // The bureau cannot approve before the sending school.
            await #expect(throws: SchoolYearError.transferWrongStep(id: r.id, status: .requested, expected: "由教育局审核")) {
                _ = try await service.approveTransferByBureau(id: r.id, by: Self.bureau)
            }
            // Nothing has moved yet.
            #expect(try await store.enrolments(studentID: pupil.id).count == 1)
            let r2 = try await service.approveTransferBySendingSchool(id: r.id, by: Self.principal)
            #expect(r2.status == .sendingApproved && r2.sendingApproved?.by == Self.principal.login)
            let r3 = try await service.approveTransferByBureau(id: r.id, by: Self.bureau)
            #expect(r3.status == .completed && r3.bureauApproved?.by == Self.bureau.login)
            let history = try await store.enrolments(studentID: pupil.id)
            #expect(history.count == 2)
            #expect(history[0].schoolID == d.primary.id && history[0].until == day && history[0].exit == .transferredOut)
            #expect(history[1].schoolID == other.id && history[1].from == day && history[1].entry == .transferIn)
            // Completed: cannot be refused any more; the audit log has each step.
            await #expect(throws: SchoolYearError.transferWrongStep(id: r.id, status: .completed, expected: "拒绝")) {
                _ = try await service.refuseTransfer(id: r.id, reason: "晚了", by: Self.bureau)
            }
            let audit = try await store.auditEntries(entity: "transfer_request", actor: nil, offset: 0, limit: 10)
            #expect(audit.total == 3)
        }
    }

    @Test("transfer refused with a reason; a reason is required", arguments: TestBackend.available)
    func transferRefused(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let (d, other, service) = try await Self.setUp(store)
            let pupil = try await Self.admit(service, d.primary, .p1, 12)
            let r = try await service.requestTransfer(studentNumber: pupil.studentNumber, toSchoolCode: other.code,
                                                      on: try Self.date("2025-10-09"), reason: "择校", by: Self.registrar)
            await #expect(throws: SchoolYearError.transferPending(student: "学生“\(pupil.name)”（\(pupil.studentNumber)）", id: r.id)) {
                _ = try await service.requestTransfer(studentNumber: pupil.studentNumber, toSchoolCode: other.code,
                                                      on: try Self.date("2025-10-10"), reason: "择校", by: Self.registrar)
            }
            await #expect(throws: SchoolYearError.reasonRequired) {
                _ = try await service.refuseTransfer(id: r.id, reason: "  ", by: Self.principal)
            }
            let refused = try await service.refuseTransfer(id: r.id, reason: "不符合学区划分", by: Self.principal)
            #expect(refused.status == .refused && refused.refusalReason == "不符合学区划分" && refused.refused?.by == Self.principal.login)
            #expect(try await store.enrolments(studentID: pupil.id).count == 1)
        }
    }

    @Test("suspension and return, dropout and return; a dropout for a student not enrolled is refused",
          arguments: TestBackend.available)
    func leaveAndReturn(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let (d, _, service) = try await Self.setUp(store)
            let pupil = try await Self.admit(service, d.primary, .p1, 13)
            let away = try Self.date("2025-12-01")
            _ = try await service.leave(studentNumber: pupil.studentNumber, on: away, reason: .suspended, by: Self.registrar)
            // Not enrolled any more: a dropout cannot be recorded.
            await #expect(throws: RegistryError.notEnrolled(student: "学生“\(pupil.name)”（\(pupil.studentNumber)）",
                                                            date: try Self.date("2026-01-05"))) {
                _ = try await service.leave(studentNumber: pupil.studentNumber, on: try Self.date("2026-01-05"),
                                            reason: .droppedOut, by: Self.registrar)
            }
            let back = try await service.returnToSchool(studentNumber: pupil.studentNumber, on: try Self.date("2026-03-02"),
                                                        by: Self.registrar)
            #expect(back.entry == .returnFromSuspension && back.grade == .p1 && back.schoolID == d.primary.id)
            await #expect(throws: SchoolYearError.stillEnrolled(student: "学生“\(pupil.name)”（\(pupil.studentNumber)）")) {
                _ = try await service.returnToSchool(studentNumber: pupil.studentNumber, on: try Self.date("2026-04-01"),
                                                     by: Self.registrar)
            }
            _ = try await service.leave(studentNumber: pupil.studentNumber, on: try Self.date("2026-04-01"), reason: .droppedOut,
                                        by: Self.registrar)
            let again = try await service.returnToSchool(studentNumber: pupil.studentNumber, on: try Self.date("2026-05-06"),
                                                         by: Self.registrar)
            #expect(again.entry == .returnFromDropout)
            let exits = try await store.enrolments(studentID: pupil.id).map(\.exit)
            #expect(exits == [.suspended, .droppedOut, nil])
        }
    }

    @Test("year end: preview, confirm, undo before the new year; refusals", arguments: TestBackend.available)
    func yearEnd(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let (d, _, service) = try await Self.setUp(store)
            let graduate = try await Self.admit(service, d.primary, .p6, 21)
            let a = try await Self.admit(service, d.primary, .p1, 22, classNumber: 1)
            let b = try await Self.admit(service, d.primary, .p1, 23, classNumber: 1)
            let year = SmallDistrict.year
            let plan = try await service.previewYearEnd(schoolCode: d.primary.code, year: year, repeaters: [b.studentNumber])
            #expect(plan.promotions == 1 && plan.repetitions == 1 && plan.graduations == 1)
            // The preview changes nothing.
            #expect(try await store.enrolments(studentID: a.id).count == 1)

            let run = try await service.confirmYearEnd(schoolCode: d.primary.code, year: year, repeaters: [b.studentNumber],
                                                       by: Self.registrar)
            let aHistory = try await store.enrolments(studentID: a.id)
            #expect(aHistory.map(\.grade) == [.p1, .p2] && aHistory[0].exit == .promoted && aHistory[1].entry == .promotion)
            let newClassID = try #require(aHistory[1].classID)
            let newClass = try #require(try await store.schoolClass(id: newClassID))
            #expect(newClass.schoolYear == year.next && newClass.number == 1 && newClass.grade == .p2)
            #expect(try await store.enrolments(studentID: b.id).map(\.entry) == [.intake, .repetition])
            let g = try await store.enrolments(studentID: graduate.id)
            #expect(g.count == 1 && g[0].exit == .graduated && g[0].until == CivilDate(year: 2026, month: 7, day: 1))

            // A graduated student cannot be promoted or held back.
            await #expect(throws: SchoolYearError.alreadyGraduated(student: "学生“\(graduate.name)”（\(graduate.studentNumber)）")) {
                _ = try await service.checkPromotable(studentNumber: graduate.studentNumber, year: year.next)
            }
            // Too late once the new year has started.
            await #expect(throws: SchoolYearError.yearEndAlreadyStarted(year: year.next.name)) {
                _ = try await service.undoYearEnd(runID: run.id, today: year.next.firstDay, by: Self.registrar)
            }
            let undone = try await service.undoYearEnd(runID: run.id, today: try Self.date("2026-08-20"), by: Self.registrar)
            #expect(undone.undone?.by == Self.registrar.login)
            for s in [graduate, a, b] {
                let h = try await store.enrolments(studentID: s.id)
                #expect(h.count == 1 && h[0].until == nil && h[0].exit == nil)
            }
            await #expect(throws: SchoolYearError.yearEndAlreadyUndone(run.id)) {
                _ = try await service.undoYearEnd(runID: run.id, today: try Self.date("2026-08-21"), by: Self.registrar)
            }
        }
    }

    @Test("a bulk promotion that fails part-way changes nothing", arguments: TestBackend.available)
    func yearEndAtomic(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let (d, _, service) = try await Self.setUp(store)
            // A school that closes at the end of the year: its graduates can leave, but its
            // other pupils cannot be promoted into it.
            var closing = try await service.addSchool(School(
                id: .unsaved, code: "2143110208", name: "李庄小学", type: .primary, ownership: .publicSchool, urbanRural: .rural,
                townshipID: d.primary.townshipID, opened: try Self.date("1980-09-01")), by: Self.registrar)
            let graduate = try await Self.admit(service, closing, .p6, 31)
            let pupil = try await Self.admit(service, closing, .p2, 32)
            closing.closed = try Self.date("2026-08-31")
            let closed = closing
            try await store.write(by: Self.registrar) { tx in try await tx.update(closed) }
            await #expect(throws: RegistryError.self) {
                _ = try await service.confirmYearEnd(schoolCode: closing.code, year: SmallDistrict.year, by: Self.registrar)
            }
            for s in [graduate, pupil] {
                let h = try await store.enrolments(studentID: s.id)
                #expect(h.count == 1 && h[0].until == nil, "\(s.name)")
            }
            #expect(try await store.auditEntries(entity: "year_end_run", actor: nil, offset: 0, limit: 5).total == 0)
        }
    }
}
