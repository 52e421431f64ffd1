import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import EduLedgerWeb

/// 期限巡查 beside the server: an open case past its working-day deadline gets its 督办 step
/// without anyone running the CLI, once per deadline, as the system.
@Suite("Deadline watch")
struct DeadlineWatchTests {
    static func day(_ s: String) throws -> CivilDate { try #require(CivilDate(iso: s)) }
    static let petitions = CaseActor(login: "t-petitions", displayName: "信访办", role: .petitions, scope: .district)

    @Test("the running server escalates an overdue petition at start, once; the section sees 超期督办", arguments: TestBackend.available)
    func serverEscalates(_ backend: TestBackend) async throws {
        try await TestDatabases.withFreshDatabase(backend) { location in
            let db = try await Database.open(location)
            do {
                _ = try await WebWorld.make(db)
                let cases = SQLCaseStore(database: db, engine: CaseEngine(calendar: try WorkingDayCalendar.shipped()))
                // Received 2025-09-26: routing is due on 2025-10-11 (15 days, across 国庆中秋).
                let overdue = try await cases.open(kind: .petition, title: "校车问题", fields: ["petitioner": "张某", "channel": "来访",
                                                   "summary": "校车超载"], by: Self.petitions, on: try Self.day("2025-09-26"))
                let fresh = try await cases.open(kind: .petition, title: "食堂问题", fields: ["petitioner": "李某", "channel": "来信",
                                                 "summary": "饭菜价格"], by: Self.petitions, on: try Self.day("2025-10-10"))
                let config = WebConfig(database: db, demoMode: true, secureCookies: false, bcryptCost: 4, today: try Self.day("2025-10-13"),
                                       logLevel: .critical, deadlineWatchInterval: .seconds(3600))
                let app = try await buildApplication(config)
                try await app.test(.router) { client in
                    // The watch's first pass runs as the server starts; wait for its commit.
                    var escalated = false
                    for _ in 0..<200 where !escalated {
                        escalated = try await cases.caseRecord(id: overdue.id)?.escalated ?? false
                        if !escalated { try await Task.sleep(for: .milliseconds(25)) }
                    }
                    #expect(escalated, "the overdue petition was not escalated by the running server")
                    let steps = try await cases.steps(caseID: overdue.id)
                    #expect(steps.filter { $0.action == "escalate" }.count == 1)
                    let watchDay = try Self.day("2025-10-13")
                    #expect(steps.last?.actor.kind == .system && steps.last?.on == watchDay)
                    // Not yet due: untouched.
                    #expect(try await cases.caseRecord(id: fresh.id)?.escalated == false)
                    #expect(try await cases.steps(caseID: fresh.id).contains { $0.action == "escalate" } == false)
                    // The section's page of the case shows the 督办 step.
                    let xfb = try await logIn(client, .petitions)
                    let page = try await client.execute(uri: "/cases/\(overdue.id)", method: .get, headers: xfb.headers)
                    #expect(page.status == .ok && page.text.contains("超期督办"))
                }
                // Another pass on a later day adds nothing: one 督办 per deadline.
                let later = try Self.day("2025-10-20")
                let watch = DeadlineWatch(cases: cases, interval: .seconds(3600), today: { later },
                                          logger: Logger(label: "test"))
                #expect(await watch.pass().isEmpty)
                #expect(try await cases.steps(caseID: overdue.id).filter { $0.action == "escalate" }.count == 1)
                try await db.close()
            } catch {
                try? await db.close()
                throw error
            }
        }
    }
}
