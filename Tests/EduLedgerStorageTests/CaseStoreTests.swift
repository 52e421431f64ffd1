import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import SQLKit
import Testing

/// The casework store contract, on SQLite and PostgreSQL.
@Suite("Case store contract")
struct CaseStoreTests {
    static func actor(_ role: Role, _ scope: AccountScope = .district) -> CaseActor {
        CaseActor(login: "t-\(role.rawValue)", displayName: role.title, role: role, scope: scope)
    }

    static func day(_ s: String) throws -> CivilDate { try #require(CivilDate(iso: s)) }

    static func auditCount(_ db: Database, caseID: Int64) async throws -> Int {
        try await db.reader.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'case' AND entity_id = \(bind: String(caseID))")
            .first(decodingColumn: "n", as: Int.self) ?? -1
    }

    @Test("a hazard worked end to end: numbers, steps, attachments with SHA-256, notices, audit lines; refusals write nothing",
          arguments: TestBackend.available)
    func hazardEndToEnd(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { registry in
            let district = try await SmallDistrict.make(in: registry)
            let store = SQLCaseStore(database: registry.database, engine: CaseEngine(calendar: try WorkingDayCalendar.shipped()))
            let school = district.primary.id
            let campaign = try await store.createCampaign(InspectionCampaign(
                name: "2025年春季开学安全拉网式排查", startedOn: try Self.day("2025-03-03"), endsOn: try Self.day("2025-03-14"),
                schoolIDs: [school, district.junior.id], createdBy: "t-safety"))
            #expect(campaign.id > 0)
            #expect(try await store.campaigns().map(\.name) == ["2025年春季开学安全拉网式排查"])
            var hazards: [CaseRecord] = []
            for text in ["灭火器过期", "电线裸露"] {
                hazards.append(try await store.open(kind: .hazard, title: "", fields: ["school": String(school.rawValue), "category": "消防",
                                                                                       "description": text],
                                                    by: Self.actor(.inspector), on: try Self.day("2025-03-05"), campaignID: campaign.id))
            }
            #expect(hazards.map(\.number) == ["YH2025-0001", "YH2025-0002"])
            // One notice names both hazards.
            for h in hazards {
                _ = try await store.take("issueNotice", caseID: h.id, by: Self.actor(.safety),
                                         fields: ["noticeNumber": "安整〔2025〕3号", "dueOn": "2025-03-20", "requirement": "限期整改"],
                                         on: try Self.day("2025-03-06"))
            }
            let officer = Self.actor(.safetyOfficer, .school(school))
            let photo = CaseAttachment(name: "整改后.jpg", contentType: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF, 0xE0] + Array("jpeg-bytes".utf8))
            // Refused: no photo. Nothing is written: same version, same number of steps and audit lines.
            let auditBefore = try await Self.auditCount(registry.database, caseID: hazards[0].id)
            await #expect(throws: CaseError.missingAttachment("整改照片", needed: 1)) {
                try await store.take("reportRectified", caseID: hazards[0].id, by: officer, fields: ["measures": "已更换"],
                                     on: try Self.day("2025-03-10"))
            }
            // Refused: another school's officer.
            await #expect(throws: CaseError.self) {
                try await store.take("reportRectified", caseID: hazards[0].id, by: Self.actor(.safetyOfficer, .school(district.junior.id)),
                                     fields: ["measures": "已更换"], attachments: [photo], on: try Self.day("2025-03-10"))
            }
            #expect(try await Self.auditCount(registry.database, caseID: hazards[0].id) == auditBefore)
            #expect(try await store.steps(caseID: hazards[0].id).count == 2)
            // A stale form is refused.
            await #expect(throws: CaseError.staleVersion) {
                try await store.take("reportRectified", caseID: hazards[0].id, by: officer, fields: ["measures": "已更换"],
                                     attachments: [photo], on: try Self.day("2025-03-10"), expectedVersion: 1)
            }
            let rectified = try await store.take("reportRectified", caseID: hazards[0].id, by: officer, fields: ["measures": "已更换"],
                                                 attachments: [photo], on: try Self.day("2025-03-10"), expectedVersion: 2)
            #expect(rectified.state == "rectified" && rectified.completedOnTime == true)
            let failed = try await store.take("fail", caseID: hazards[0].id, by: Self.actor(.safety), fields: ["reinspection": "不合格"],
                                              on: try Self.day("2025-03-12"))
            #expect(failed.state == "failed")
            _ = try await store.take("issueNotice", caseID: hazards[0].id, by: Self.actor(.safety),
                                     fields: ["noticeNumber": "安整〔2025〕9号", "dueOn": "2025-03-31", "requirement": "再次整改"],
                                     on: try Self.day("2025-03-13"))
            let steps = try await store.steps(caseID: hazards[0].id)
            #expect(steps.map(\.action) == ["open", "issueNotice", "reportRectified", "fail", "issueNotice"])
            #expect(steps[2].actor.login == "t-safetyOfficer" && steps[2].attachments.count == 1)
            let info = try #require(steps[2].attachments.first)
            #expect(info.sha256 == "b394aa7865c287a1a910721d9fd6ec887f4193f3dad4a74261454f0a42ee3a02")  // sha256 of "jpeg-bytes"
            let file = try #require(try await store.attachment(id: info.id))
            #expect(file.bytes == photo.bytes && file.caseID == hazards[0].id)
            // Audit: one line per opening and step.
            #expect(try await Self.auditCount(registry.database, caseID: hazards[0].id) == 5)
            // Facts: two hazards, two distinct notices (3号 on both, 9号 on the first).
            let facts = try await store.facts(years: 2025...2025)
            #expect(facts.count == 2)
            #expect(Set(facts.flatMap(\.notices).map(\.number)) == ["安整〔2025〕3号", "安整〔2025〕9号"])
            #expect(facts.first { $0.id == hazards[0].id }?.notices.count == 2)
            // Visibility: the school sees its noticed hazards, the other school none.
            let mine = try await store.cases(CaseQuery(visibility: CaseAccess.visibility(role: .safetyOfficer, scope: .school(school),
                                                                                          readable: [school])))
            #expect(mine.total == 2)
            let other = try await store.cases(CaseQuery(visibility: CaseAccess.visibility(
                role: .principal, scope: .school(district.junior.id), readable: [district.junior.id])))
            #expect(other.total == 0)
            #expect(try await store.cases(CaseQuery(campaignID: campaign.id)).total == 2)
        }
    }

    @Test("petition numbers, queues, overdue escalation once, a licence deemed accepted", arguments: TestBackend.available)
    func overdueQueues(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { registry in
            let store = SQLCaseStore(database: registry.database, engine: CaseEngine(calendar: try WorkingDayCalendar.shipped()))
            let p = try await store.open(kind: .petition, title: "校车问题", fields: ["petitioner": "张某", "channel": "来访", "summary": "校车超载"],
                                         by: Self.actor(.petitions), on: try Self.day("2025-09-26"))
            let routeDue = try Self.day("2025-10-11")
            #expect(p.number == "XF2025-0001" && p.dueOn == routeDue)
            let lic = try await store.open(kind: .licence, title: "", fields: ["applicant": "某公司", "licenceType": "校外培训机构设立"],
                                           by: .publicPerson("某公司"), on: try Self.day("2025-09-26"))
            #expect(try await store.caseRecord(number: "XK2025-0001")?.id == lic.id)
            #expect(try await store.cases(CaseQuery(dueBy: try Self.day("2025-10-10"))).items.map(\.id) == [lic.id])
            let steps = try await store.escalateOverdue(today: try Self.day("2025-10-13"))
            #expect(steps.map(\.action).sorted() == ["deemAccepted", "escalate"])
            #expect(try await store.escalateOverdue(today: try Self.day("2025-10-14")).isEmpty)
            let escalated = try #require(try await store.caseRecord(id: p.id))
            #expect(escalated.escalated && escalated.version == 2)
            #expect(try await store.caseRecord(id: lic.id)?.state == "accepted")
            let section = try await store.cases(CaseQuery(visibility: CaseAccess.visibility(role: .petitions, scope: .district, readable: nil)))
            #expect(section.items.map(\.id) == [p.id])
            let none = try await store.cases(CaseQuery(visibility: CaseAccess.visibility(role: .admin, scope: .district, readable: nil)))
            #expect(none.total == 0)
        }
    }
}
