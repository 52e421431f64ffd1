import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// The "done when": a transfer and a bulk promotion done in the browser change the
/// dashboard's figures; refusals come back with their reason and change nothing.
@Suite("School year in the browser")
struct SchoolYearWebTests {
    struct Values: Decodable {
        struct Unit: Decodable { var kind: String; var key: String; var name: String }
        struct Value: Decodable { var indicatorID: String; var year: Int; var unit: Unit; var value: Double?; var text: String }
        var years: [Int]
        var values: [Value]
    }

    /// `indicator` per school for `year` (school code → value), as the admin sees it.
    static func perSchool(_ client: any TestClientProtocol, _ session: Session, _ indicator: String, year: Int) async throws -> [String: Double] {
        let r = try await client.execute(uri: "/api/v1/indicators/values?indicator=\(indicator)&level=school&year=\(year)", method: .get,
                                          headers: session.headers)
        #expect(r.status == .ok, "values \(indicator) \(year): \(r.text.prefix(200))")
        let v = try JSONDecoder().decode(Values.self, from: Data(buffer: r.body))
        var out: [String: Double] = [:]
        for x in v.values { out[x.unit.key] = x.value }
        return out
    }

    static func post(_ client: any TestClientProtocol, _ session: Session, _ uri: String, _ pairs: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: formType.merging(session.headers),
                                 body: formBody([("_csrf", session.csrf)] + pairs))
    }

    @Test("a transfer and a bulk promotion done in the browser change the figures", arguments: TestBackend.available)
    func transferAndPromotion(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let store = SQLRegistryStore(database: db)
            let service = RegistryService(store: store)
            let setup = ActingUser(login: "test-setup", displayName: "测试")
            // A pupil at the other school since March, so the transfer before 9月1日 moves them in the 2025 figures.
            let (pupil, _) = try await service.admit(
                SmallDistrict.student(name: "李明", birth: CivilDate(year: 2019, month: 2, day: 3)!, sequence: 21),
                schoolCode: world.otherSchool.code, grade: .p1, classNumber: nil, from: CivilDate(year: 2025, month: 3, day: 1)!,
                entry: .intake, by: setup)
            let admin = try await logIn(client, .admin)
            let registrar = try await logIn(client, .registrar)   // the primary school's registrar: the receiving school
            let primary = world.district.primary.code, other = world.otherSchool.code

            let before = try await Self.perSchool(client, admin, "students.total", year: 2025)
            #expect(before[primary] == 1 && before[other] == 2)
            // The dashboard shows the figure with its definition and a link to the records.
            let page = try await client.execute(uri: "/indicators", method: .get, headers: admin.headers)
            #expect(page.status == .ok)
            #expect(page.text.contains("在校生") && page.text.contains("分子") && page.text.contains("/indicators/drill?"))

            // Refused with the reason: the junior school has no 一年级; nothing is stored.
            let bad = try await Self.post(client, registrar, "/school-year/transfers",
                                          [("student", pupil.studentNumber), ("to", world.district.junior.code), ("date", "2025-08-20")])
            #expect(bad.status == .forbidden || bad.status == .notFound || bad.status == .unprocessableContent)
            let badAdmin = try await Self.post(client, admin, "/school-year/transfers",
                                               [("student", pupil.studentNumber), ("to", world.district.junior.code), ("date", "2025-08-20")])
            #expect(badAdmin.status == .unprocessableContent)
            #expect(badAdmin.text.contains("一年级"))

            // 1. The receiving school requests.
            let requested = try await Self.post(client, registrar, "/school-year/transfers",
                                                [("student", pupil.studentNumber), ("to", primary), ("date", "2025-08-20"), ("reason", "随父母搬家")])
            #expect(requested.status == .seeOther, "request: \(requested.text.prefix(300))")
            let list = try await client.execute(uri: "/api/v1/school-year/transfers?open=1", method: .get, headers: admin.headers)
            let requests = try JSONDecoder().decode([TransferRequest].self, from: Data(buffer: list.body))
            let id = try #require(requests.first?.id)
            // The receiving school cannot take the sending school's or the bureau's step.
            let notTheirs = try await Self.post(client, registrar, "/school-year/transfers/\(id)/approve", [])
            #expect(notTheirs.status == .forbidden)
            // 2. The sending school's step (here by the bureau for it), 3. the bureau.
            #expect(try await Self.post(client, admin, "/school-year/transfers/\(id)/approve", []).status == .seeOther)
            #expect(try await Self.post(client, admin, "/school-year/transfers/\(id)/approve", []).status == .seeOther)
            let done = try await store.transferRequest(id: id)
            #expect(done?.status == .completed && done?.bureauApproved?.by == WebWorld.login(.admin))

            let after = try await Self.perSchool(client, admin, "students.total", year: 2025)
            #expect(after[primary] == 2 && after[other] == 1)

            // Year end of the primary school: preview, then confirm. 2026 does not exist before.
            let none = try await client.execute(uri: "/api/v1/indicators/values?indicator=students.grade.p2&level=school&year=2026",
                                                method: .get, headers: admin.headers)
            #expect(none.status == .badRequest)
            let preview = try await client.execute(uri: "/school-year/year-end?school=\(primary)&preview=1", method: .get, headers: registrar.headers)
            #expect(preview.status == .ok)
            #expect(preview.text.contains("升级 2 人"))
            // Holding back a pupil who is not enrolled is refused and changes nothing.
            let refused = try await Self.post(client, registrar, "/school-year/year-end", [("school", primary), ("repeaters", "G-NOBODY")])
            #expect(refused.status == .unprocessableContent)
            #expect(try await store.yearEndRuns(schoolIDs: nil).isEmpty)
            let confirmed = try await Self.post(client, registrar, "/school-year/year-end", [("school", primary), ("repeaters", "")])
            #expect(confirmed.status == .seeOther, "confirm: \(confirmed.text.prefix(300))")
            let promoted = try await Self.perSchool(client, admin, "students.grade.p2", year: 2026)
            #expect(promoted[primary] == 2)
            let firstGrade = try await Self.perSchool(client, admin, "students.grade.p1", year: 2026)
            #expect(firstGrade[primary] == 0)

            // Undo before 9月1日: the opened periods are deleted, logged as 'delete' with the before image.
            let run = try #require(try await store.yearEndRuns(schoolIDs: nil).first)
            #expect(try await Self.post(client, registrar, "/school-year/year-end/\(run.id)/undo", []).status == .seeOther)
            let undone = try await Self.perSchool(client, admin, "students.grade.p2", year: 2026)
            #expect((undone[primary] ?? 0) == 0)
            let audit = try await store.auditEntries(entity: "enrolment", actor: WebWorld.login(.registrar), offset: 0, limit: 50)
            let deletes = audit.items.filter { $0.action == .delete }
            #expect(deletes.count == 2)
            #expect(deletes.allSatisfy { $0.before != nil && $0.after == nil })
        }
    }

    @Test("休学 and 复学 in the browser; a school cannot act on another school's student", arguments: TestBackend.available)
    func leaveAndReturn(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let store = SQLRegistryStore(database: db)
            let registrar = try await logIn(client, .registrar)
            let leave = try await Self.post(client, registrar, "/school-year/leave",
                                            [("student", world.student.studentNumber), ("reason", "休学"), ("date", "2025-10-08")])
            #expect(leave.status == .seeOther)
            #expect(try await store.enrolments(studentID: world.student.id).last?.exit == .suspended)
            let back = try await Self.post(client, registrar, "/school-year/return",
                                           [("student", world.student.studentNumber), ("date", "2026-03-01")])
            #expect(back.status == .seeOther)
            #expect(try await store.enrolments(studentID: world.student.id).count == 2)
            // Returning again while enrolled is refused with the reason.
            let again = try await Self.post(client, registrar, "/school-year/return",
                                            [("student", world.student.studentNumber), ("date", "2026-03-02")])
            #expect(again.status == .unprocessableContent && again.text.contains("在读"))
            let foreign = try await Self.post(client, registrar, "/school-year/leave",
                                              [("student", world.otherStudent.studentNumber), ("reason", "辍学"), ("date", "2025-10-08")])
            #expect(foreign.status == .notFound)
            // Roles that may never do casework.
            let teacherless = try await logIn(client, .safetyOfficer)
            #expect(try await client.execute(uri: "/school-year", method: .get, headers: teacherless.headers).status == .forbidden)
        }
    }
}
