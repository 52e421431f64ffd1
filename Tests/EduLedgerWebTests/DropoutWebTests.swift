import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// 控辍保学 in the browser: a school reports a suspected dropout, records a home visit, the case is
/// confirmed and closed with 劝返复学; the monthly school report and the county's quarterly
/// review; refusals for roles that may not write and for cases outside the user's schools.
@Suite("Dropout control in the browser")
struct DropoutWebTests {
    @Test("report, visit, confirm, return; monthly and quarterly reports; refusals", arguments: TestBackend.available)
    func ledger(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let store = SQLRegistryStore(database: db)
            let setup = ActingUser(login: "test-setup", displayName: "测试")
            let (pupil, _) = try await RegistryService(store: store).admit(
                SmallDistrict.student(name: "赵小川", birth: CivilDate(year: 2018, month: 5, day: 6)!, sequence: 31),
                schoolCode: world.district.primary.code, grade: .p1, classNumber: nil, from: CivilDate(year: 2025, month: 3, day: 1)!,
                entry: .intake, by: setup)
            let registrar = try await logIn(client, .registrar)
            let admin = try await logIn(client, .admin)
            let inspector = try await logIn(client, .inspector)
            let zone = try await logIn(client, .zoneOfficer)
            let post = SchoolYearWebTests.post
            let report: [(String, String)] = [("student", pupil.studentNumber), ("absentSince", "2025-06-02"), ("reason", "外出务工"),
                                              ("cadre", "李村干部"), ("teacher", "王老师")]

            // Refusals first: a role that may never write, another school's pupil, missing people; nothing stored.
            #expect(try await post(client, inspector, "/dropouts", report).status == .forbidden)
            let otherPupil = try await post(client, registrar, "/dropouts", [("student", world.otherStudent.studentNumber), ("absentSince", "2025-09-01"),
                                                                             ("cadre", "甲"), ("teacher", "乙")])
            #expect(otherPupil.status == .notFound)
            let noPeople = try await post(client, registrar, "/dropouts", [("student", pupil.studentNumber), ("absentSince", "2025-06-02")])
            #expect(noPeople.status == .unprocessableContent)
            #expect(try await store.dropoutLedger(schoolIDs: nil).cases.isEmpty)

            // 1. The school reports; the ledger lists the case with the responsible people.
            #expect(try await post(client, registrar, "/dropouts", report).status == .seeOther)
            let id = try #require(try await store.dropoutLedger(schoolIDs: nil).cases.first?.id)
            let list = try await client.execute(uri: "/dropouts", method: .get, headers: registrar.headers)
            #expect(list.text.contains("赵小川") && list.text.contains("李村干部"))
            // The ledger as a file, as shown: the registrar's own case; the zone officer's ledger does not list it.
            let ledgerCSV = try await client.execute(uri: "/dropouts?format=csv", method: .get, headers: registrar.headers)
            #expect(ledgerCSV.status == .ok && ledgerCSV.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(ledgerCSV.text.contains("编号,学生（学籍号）") && ledgerCSV.text.contains("赵小川") && ledgerCSV.text.contains("李村干部"))
            let ledgerXLSX = try await client.execute(uri: "/dropouts?format=xlsx", method: .get, headers: registrar.headers)
            #expect(ledgerXLSX.status == .ok && Array(ledgerXLSX.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            let zoneCSV = try await client.execute(uri: "/dropouts?format=csv", method: .get, headers: zone.headers)
            #expect(zoneCSV.status == .ok && !zoneCSV.text.contains("赵小川"))
            #expect(try await client.execute(uri: "/dropouts?format=doc", method: .get, headers: registrar.headers).status == .badRequest)
            // Outside the zone officer's schools: not found.
            #expect(try await client.execute(uri: "/dropouts/\(id)", method: .get, headers: zone.headers).status == .notFound)
            // Confirming needs a home visit first.
            let early = try await post(client, registrar, "/dropouts/\(id)/confirm", [])
            #expect(early.status == .unprocessableContent)

            // 2. Home visit (a bad date is refused with the reason), 3. confirmation ends the period with 辍学.
            let badVisit = try await post(client, registrar, "/dropouts/\(id)/visits", [("date", "2025-13-01"), ("visitors", "王老师"), ("notes", "家长同意")])
            #expect(badVisit.status == .badRequest && badVisit.text.contains("日期格式"))
            #expect(try await post(client, registrar, "/dropouts/\(id)/visits",
                                   [("date", "2025-06-05"), ("visitors", "王老师、李村干部"), ("notes", "家长同意秋季返校")]).status == .seeOther)
            #expect(try await post(client, registrar, "/dropouts/\(id)/confirm", []).status == .seeOther)
            var history = try await store.enrolments(studentID: pupil.id).sorted { $0.from < $1.from }
            #expect(history.last?.exit == .droppedOut && history.last?.until == CivilDate(year: 2025, month: 6, day: 2))

            // 4. 劝返复学 closes the case and reopens the pupil's enrolment.
            #expect(try await post(client, registrar, "/dropouts/\(id)/outcome", [("outcome", "劝返复学"), ("date", "2025-09-10")]).status == .seeOther)
            history = try await store.enrolments(studentID: pupil.id).sorted { $0.from < $1.from }
            #expect(history.last?.entry == .returnFromDropout && history.last?.from == CivilDate(year: 2025, month: 9, day: 10))
            let detail = try await client.execute(uri: "/dropouts/\(id)", method: .get, headers: registrar.headers)
            #expect(detail.text.contains("劝返复学") && detail.text.contains("家长同意秋季返校"))
            #expect(try await post(client, registrar, "/dropouts/\(id)/outcome", [("outcome", "仍未返校"), ("date", "2025-09-11")]).status
                    == .unprocessableContent)

            // Monthly report by the school; the quarterly review is the bureau's (no school).
            #expect(try await post(client, registrar, "/dropouts/reports", [("school", "\(world.district.primary.id.rawValue)"), ("period", "2025-06")]).status
                    == .seeOther)
            #expect(try await post(client, registrar, "/dropouts/reports", [("school", ""), ("period", "2025-Q3")]).status == .forbidden)
            #expect(try await post(client, admin, "/dropouts/reports", [("school", ""), ("period", "2025-Q3"), ("notes", "全区会商")]).status == .seeOther)
            let reports = try await store.dropoutReports(schoolIDs: nil)
            #expect(reports.count == 2)
            // Every step is in the audit log.
            let audit = try await store.auditEntries(entity: nil, actor: WebWorld.login(.registrar), offset: 0, limit: 50)
            let entities = Set(audit.items.map(\.entity))
            #expect(entities.isSuperset(of: ["dropout_case", "dropout_visit", "dropout_report", "enrolment"]))
        }
    }
}
