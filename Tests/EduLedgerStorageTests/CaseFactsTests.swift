import EduLedgerCasework
import EduLedgerCore
import EduLedgerDemo
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import SQLKit
import Testing

/// The facts the casework rates count are kept in columns by every write (migration 33), and
/// case numbers come from a counter row: on SQLite and PostgreSQL.
@Suite("Case facts and numbers")
struct CaseFactsTests {
    static func store(_ registry: SQLRegistryStore) throws -> SQLCaseStore {
        SQLCaseStore(database: registry.database, engine: CaseEngine(calendar: try WorkingDayCalendar.shipped()))
    }

    /// The demo year's casework (DemoCasework.plan) on the small district, every step through the store.
    static func loadDemoYear(_ registry: SQLRegistryStore, _ store: SQLCaseStore) async throws -> Int {
        let calendar = try WorkingDayCalendar.shipped()
        let schools = try await registry.schools(SchoolFilter())
        let plan = try DemoCasework.plan(seed: 20_260_901, year: 2025, schools: schools, calendar: calendar,
                                         asOf: try #require(CivilDate(year: 2025, month: 11, day: 20)))
        var campaignIDs: [Int64] = []
        for c in plan.campaigns { campaignIDs.append(try await store.createCampaign(c).id) }
        let ids = campaignIDs
        // Every action as (case index, action); the opening creates the case the steps refer to.
        let actions = plan.scripts.enumerated().flatMap { i, script in
            [(i, script.opening, true)] + script.steps.map { (i, $0, false) }
        }
        return try await store.write { w in
            var caseIDs: [Int: Int64] = [:]
            for (i, a, opening) in actions {
                let script = plan.scripts[i]
                if opening {
                    caseIDs[i] = try await w.open(kind: script.kind, title: script.title, fields: a.fields, attachments: a.attachments,
                                                  by: a.actor, on: a.date, campaignID: script.campaign.map { ids[$0] }).id
                } else if let id = caseIDs[i] {
                    _ = try await w.take(a.action, caseID: id, by: a.actor, fields: a.fields, attachments: a.attachments, on: a.date)
                }
            }
            return actions.count - plan.scripts.count
        }
    }

    /// The facts as they were computed before the columns: from each case's fields, the first
    /// day of each action among its steps, and its notices.
    static func factsFromSteps(_ store: SQLCaseStore, _ db: Database, year: Int) async throws -> [CaseFact] {
        let cases = try await store.cases(CaseQuery(receivedFrom: CivilDate(year: year, month: 1, day: 1),
                                                    receivedThrough: CivilDate(year: year, month: 12, day: 31), limit: 1_000_000)).items
        var out: [CaseFact] = []
        for c in cases.sorted(by: { $0.id < $1.id }) {
            var first: [String: CivilDate] = [:]
            for s in try await store.steps(caseID: c.id) where first[s.action].map({ s.on < $0 }) ?? true { first[s.action] = s.on }
            let notices = try await db.reader.raw("""
                SELECT notice_number, issued_on, school_id FROM case_notices WHERE case_id = \(bind: c.id) ORDER BY id
                """).all().map { row in
                CaseNoticeFact(number: try row.decode(column: "notice_number", as: String.self),
                               issuedOn: try #require(CivilDate(iso: try row.decode(column: "issued_on", as: String.self))),
                               schoolID: try row.decode(column: "school_id", as: Int64?.self).map(SchoolID.init))
            }
            out.append(CaseFact(id: c.id, kind: c.kind.rawValue, receivedOn: c.receivedOn, schoolID: c.schoolID, state: c.state,
                                firstTaken: first, completedOn: c.completedOn, completedOnTime: c.completedOnTime,
                                rating: c.fields["rating"], notices: notices,
                                refundOrdered: c.fields["refundOrdered"].flatMap(Int64.init).map(Money.init(fen:)),
                                refundProven: c.fields["refundProven"].flatMap(Int64.init).map(Money.init(fen:))))
        }
        return out
    }

    @Test("the demo year's facts read from the columns equal those computed from fields and steps; the migration fills old rows alike",
          arguments: TestBackend.available)
    func factsFromColumns(_ backend: TestBackend) async throws {
        try await TestDatabases.withFreshDatabase(backend) { location in
            var db = try await Database.open(location)
            let registry = SQLRegistryStore(database: db)
            _ = try await SmallDistrict.make(in: registry)
            let store = try Self.store(registry)
            let steps = try await Self.loadDemoYear(registry, store)
            let expected = try await Self.factsFromSteps(store, db, year: 2025)
            #expect(expected.count > 300 && steps > 1000)
            // Every counted thing occurs, so the comparison covers it.
            #expect(expected.contains { $0.rating != nil } && expected.contains { $0.refundProven != nil }
                    && expected.contains { !$0.notices.isEmpty } && expected.contains { $0.firstTaken["meet"] != nil })
            #expect(try await store.facts(years: 2025...2025) == expected)
            #expect(try await store.facts(years: 2026...2026).isEmpty)

            // A database written before migration 33: the columns gone, the migration not recorded.
            try await db.transaction { sql in
                for column in ["rating", "refund_ordered", "refund_proven", "first_steps"] {
                    try await sql.raw(SQLQueryString("ALTER TABLE cases DROP COLUMN " + column)).run()
                }
                try await sql.raw("DROP INDEX cases_received").run()
                try await sql.raw("DROP TABLE case_numbers").run()
                try await sql.raw("DELETE FROM schema_migrations WHERE version = 33").run()
            }
            try await db.close()
            db = try await Database.open(location)
            let reopened = SQLCaseStore(database: db, engine: store.engine)
            #expect(try await reopened.facts(years: 2025...2025) == expected)
            // The counters continue from the numbers in the table.
            let before = try await reopened.cases(CaseQuery(kinds: [.petition], limit: 1_000_000)).items.map(\.number).max()
            let next = try await reopened.open(kind: .petition, title: "", fields: ["petitioner": "王某", "channel": "来信", "summary": "食堂"],
                                               by: CaseActor(login: "t-xfb", displayName: "信访办", role: .petitions, scope: .district),
                                               on: try #require(CivilDate(year: 2025, month: 12, day: 1)))
            let last = try #require(before.flatMap { Int($0.dropFirst("XF2025-".count)) })
            #expect(next.number == "XF2025-" + String(format: "%04ld", last + 1))
            try await db.close()
        }
    }

    @Test("20 cases created at the same time get 20 distinct numbers in sequence", arguments: TestBackend.available)
    func concurrentNumbers(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { registry in
            let store = try Self.store(registry)
            let actor = CaseActor(login: "t-xfb", displayName: "信访办", role: .petitions, scope: .district)
            let day = try #require(CivilDate(year: 2025, month: 10, day: 9))
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 1...20 {
                    group.addTask {
                        try await store.open(kind: .petition, title: "", fields: ["petitioner": "来信人\(i)", "channel": "来信", "summary": "同时登记"],
                                             by: actor, on: day).number
                    }
                }
                var out: [String] = []
                for try await n in group { out.append(n) }
                return out
            }
            #expect(numbers.sorted() == (1...20).map { String(format: "XF2025-%04ld", $0) })
            // Another prefix has its own counter.
            let violation = try await store.open(kind: .violation, title: "", fields: ["violationType": "违规收费", "subject": "某培训机构", "summary": "收取资料费"],
                                              by: CaseActor(login: "t-ddsh", displayName: "督导室", role: .supervision, scope: .district), on: day)
            #expect(violation.number == "WG2025-0001")
        }
    }
}
