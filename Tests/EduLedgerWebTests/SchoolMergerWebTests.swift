import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// 撤并 in the browser: preview, refusals with their reason, confirm; afterwards the pupils are
/// at the receiving school, the merged school's past figures are unchanged and its page shows
/// the reconciliation.
@Suite("School merger in the browser")
struct SchoolMergerWebTests {
    @Test("merge a school: preview, refusals, confirm, reconciliation, figures of the past unchanged", arguments: TestBackend.available)
    func merge(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let store = SQLRegistryStore(database: db)
            let admin = try await logIn(client, .admin)
            let principal = try await logIn(client, .principal)
            let other = world.otherSchool, primary = world.district.primary
            let mergePage = "/schools/\(other.id.rawValue)/merge"
            let before = try await SchoolYearWebTests.perSchool(client, admin, "students.total", year: 2025)

            // A principal never merges schools; the school page offers the bureau the form.
            #expect(try await client.execute(uri: mergePage, method: .get, headers: principal.headers).status == .forbidden)
            let schoolPage = try await client.execute(uri: "/schools/\(other.id.rawValue)", method: .get, headers: admin.headers)
            #expect(schoolPage.text.contains(mergePage))

            // Preview: who moves, nothing written.
            let preview = try await client.execute(uri: "\(mergePage)?into=\(primary.code)&date=2025-09-15&preview=1", method: .get,
                                                   headers: admin.headers)
            #expect(preview.status == .ok)
            #expect(preview.text.contains("1 名学生并入\(primary.name)") && preview.text.contains(world.otherStudent.studentNumber))
            #expect(try await store.enrolments(studentID: world.otherStudent.id).count == 1)

            // Refusals, each with its reason; nothing changes.
            let intoJunior = try await SchoolYearWebTests.post(client, admin, mergePage, [("into", world.district.junior.code), ("date", "2025-09-15")])
            #expect(intoJunior.status == .unprocessableContent && intoJunior.text.contains("一年级"))
            let intoItself = try await SchoolYearWebTests.post(client, admin, mergePage, [("into", other.code), ("date", "2025-09-15")])
            #expect(intoItself.status == .unprocessableContent && intoItself.text.contains("不能并入自身"))
            let badDate = try await SchoolYearWebTests.post(client, admin, mergePage, [("into", primary.code), ("date", "2025-02-30")])
            #expect(badDate.status == .badRequest && badDate.text.contains("日期格式"))
            let stillTeaching = try await SchoolYearWebTests.post(client, admin, "/schools/\(other.id.rawValue)/close", [("date", "2025-09-15")])
            #expect(stillTeaching.status == .unprocessableContent && stillTeaching.text.contains("仍有1名在读学生"))
            #expect(try await store.enrolments(studentID: world.otherStudent.id).count == 1)
            #expect(try await store.school(id: other.id)?.closed == nil)

            // Confirm.
            let done = try await SchoolYearWebTests.post(client, admin, mergePage, [("into", primary.code), ("date", "2025-09-15")])
            #expect(done.status == .seeOther, "merge: \(done.text.prefix(300))")
            let history = try await store.enrolments(studentID: world.otherStudent.id).sorted { $0.from < $1.from }
            #expect(history.count == 2)
            #expect(history.first?.schoolID == other.id && history.first?.until == CivilDate(year: 2025, month: 9, day: 15)
                    && history.first?.exit == .schoolMerged)
            #expect(history.last?.schoolID == primary.id && history.last?.entry == .schoolMerger && history.last?.grade == .p1)
            let merged = try #require(try await store.school(id: other.id))
            #expect(merged.closed == CivilDate(year: 2025, month: 9, day: 14) && merged.mergedIntoID == primary.id)

            // The school page reconciles; the 9月1日 figures of 2025 still count the pupil at the merged school.
            let after = try await client.execute(uri: "/schools/\(other.id.rawValue)", method: .get, headers: admin.headers)
            #expect(after.text.contains("撤并对账") && after.text.contains("离校1人") && after.text.contains("一致"))
            #expect(!after.text.contains(mergePage))
            #expect(try await SchoolYearWebTests.perSchool(client, admin, "students.total", year: 2025) == before)
            // Audited: the ended period, the new one and the school.
            let audit = try await store.auditEntries(entity: nil, actor: WebWorld.login(.admin), offset: 0, limit: 50)
            let entities = Set(audit.items.map(\.entity))
            #expect(entities.contains("enrolment") && entities.contains("school"))

            // Done once: a second merger is refused.
            let again = try await SchoolYearWebTests.post(client, admin, mergePage, [("into", primary.code), ("date", "2025-09-20")])
            #expect(again.status == .unprocessableContent && again.text.contains("已停办或已撤并"))
        }
    }
}
