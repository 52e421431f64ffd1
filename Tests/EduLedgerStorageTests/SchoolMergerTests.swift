import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Testing

/// 撤并 and 停办 are refused while a period is registered to start at the school after the day:
/// that pupil would otherwise be enrolled at a school that no longer exists.
@Suite("School merger and closure refusals")
struct SchoolMergerTests {
    typealias Ops = SchoolYearOperationsTests

    @Test("a merger or closure is refused while a period starts at the school after the day; nothing changes",
          arguments: TestBackend.available)
    func laterEnrolmentBlocks(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let (d, other, service) = try await Ops.setUp(store)
            let current = try await Ops.admit(service, other, .p2, 21)
            // An intake registered ahead for next 9月1日.
            let ahead = SmallDistrict.student(name: "预录", birth: try Ops.date("2019-10-02"), sequence: 22)
            let (future, _) = try await service.admit(ahead, schoolCode: other.code, grade: .p1, classNumber: nil,
                                                      from: try Ops.date("2026-09-01"), entry: .intake, by: Ops.registrar)
            let day = try Ops.date("2025-11-03")
            let expected = SchoolMergerError.startsAfterMergerDay(student: "学生“\(future.name)”（\(future.studentNumber)）",
                                                                  school: other.name, from: try Ops.date("2026-09-01"))
            await #expect(throws: expected) {
                _ = try await service.previewMerger(schoolCode: other.code, intoCode: d.primary.code, on: day)
            }
            await #expect(throws: expected) {
                _ = try await service.confirmMerger(schoolCode: other.code, intoCode: d.primary.code, on: day, by: Ops.bureau)
            }
            #expect(expected.message.contains("2026年9月1日") && expected.message.contains(other.name))
            // Nothing was written: the school is open and the current pupil's one period is untouched.
            #expect(try await store.school(id: other.id)?.closed == nil)
            #expect(try await store.enrolments(studentID: current.id).count == 1)
            #expect(try await store.enrolments(studentID: current.id).first?.until == nil)

            // 停办 before anyone is enrolled is refused for the same reason: the periods starting on 9月1日.
            let beforeTerm = try Ops.date("2025-08-15")
            await #expect(throws: SchoolMergerError.self) {
                _ = try await service.closeSchool(schoolCode: other.code, on: beforeTerm, by: Ops.bureau)
            }
            do {
                _ = try await service.closeSchool(schoolCode: other.code, on: beforeTerm, by: Ops.bureau)
            } catch let error as SchoolMergerError {
                guard case .startsAfterMergerDay(_, let school, let from) = error else {
                    Issue.record("unexpected refusal \(error)"); return
                }
                #expect(school == other.name && from == SmallDistrict.day)
            }
            #expect(try await store.school(id: other.id)?.closed == nil)
        }
    }
}
