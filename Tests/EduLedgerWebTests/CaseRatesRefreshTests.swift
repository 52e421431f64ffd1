import EduLedgerCasework
import EduLedgerCore
import EduLedgerIndicators
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Testing
@testable import EduLedgerWeb

/// After casework writes, the cached indicator snapshot recomputes the casework rates alone
/// (CasesIndicators.swift); its figures must be those a full rebuild gives.
@Suite("Casework rates refreshed alone")
struct CaseRatesRefreshTests {
    struct Step: Sendable {
        var action: String
        var role: Role
        var scope: AccountScope = .district
        var fields: [String: String] = [:]
        var attachment: Bool = false
        var day: String
    }

    struct Script: Sendable {
        var kind: CaseKind
        var role: Role
        var fields: [String: String]
        var day: String
        var steps: [Step]
    }

    static let pdf = CaseAttachment(name: "答复.pdf", contentType: "application/pdf", bytes: Array("%PDF-1.4\n%%EOF\n".utf8))
    static let photo = CaseAttachment(name: "整改后.jpg", contentType: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF, 0xE0] + Array("jpeg".utf8))

    static func actor(_ role: Role, _ scope: AccountScope = .district) -> CaseActor {
        CaseActor(login: WebWorld.login(role), displayName: role.title, role: role, scope: scope)
    }

    /// A year of casework in miniature: every case type, each counted thing at least once.
    static func scripts(_ world: WebWorld) -> [Script] {
        let school = world.district.primary.id
        let officer = AccountScope.school(school)
        func petition(_ n: Int, rating: String?) -> Script {
            var steps = [Step(action: "assign", role: .petitions, fields: ["section": Role.basicEducation.rawValue], day: "2025-03-04"),
                         Step(action: "investigate", role: .basicEducation, fields: ["findings": "属实"], day: "2025-03-10"),
                         Step(action: "reply", role: .basicEducation, fields: ["reply": "已答复"], attachment: true, day: "2025-03-20")]
            if let rating { steps.append(Step(action: "rate", role: .petitions, fields: ["rating": rating], day: "2025-03-25")) }
            return Script(kind: .petition, role: .petitions, fields: ["petitioner": "信访人\(n)", "channel": "来信", "summary": "反映问题\(n)"],
                          day: "2025-03-03", steps: steps)
        }
        let proposal = Script(kind: .deputyProposal, role: .office, fields: ["proposer": "李代表", "proposalNumber": "第12号", "summary": "校车"],
                              day: "2025-04-01", steps: [
                                  Step(action: "assign", role: .office, fields: ["section": Role.basicEducation.rawValue], day: "2025-04-02"),
                                  Step(action: "meet", role: .basicEducation, fields: ["meetingOn": "2025-04-10", "meetingNote": "面商"], day: "2025-04-10"),
                                  Step(action: "reply", role: .basicEducation, fields: ["resultCode": "A 已解决", "reply": "已解决"],
                                       attachment: true, day: "2025-05-10"),
                                  Step(action: "rate", role: .office, fields: ["rating": "满意"], day: "2025-05-20"),
                              ])
        func hazard(_ notice: String, pass: Bool) -> Script {
            Script(kind: .hazard, role: .safety, fields: ["school": String(school.rawValue), "category": "消防", "description": "灭火器过期"],
                   day: "2025-03-05", steps: [
                       Step(action: "issueNotice", role: .safety, fields: ["noticeNumber": notice, "dueOn": "2025-03-20", "requirement": "限期整改"],
                            day: "2025-03-06"),
                       Step(action: "reportRectified", role: .safetyOfficer, scope: officer, fields: ["measures": "已更换"], attachment: true,
                            day: "2025-03-10"),
                       Step(action: pass ? "pass" : "fail", role: .safety, fields: ["reinspection": pass ? "合格" : "不合格"], day: "2025-03-12"),
                   ])
        }
        let violation = Script(kind: .violation, role: .supervision,
                               fields: ["violationType": "违规收费", "school": String(school.rawValue), "subject": "东城第一小学", "summary": "资料费"],
                               day: "2025-06-02", steps: [
                                   Step(action: "find", role: .supervision, fields: ["finding": "属实"], day: "2025-06-05"),
                                   Step(action: "sanction", role: .supervision, fields: ["sanction": "责令清退", "refundOrdered": "1234.56"], day: "2025-06-06"),
                                   Step(action: "recordRefund", role: .finance, fields: ["refundProven": "1234.56"], attachment: true, day: "2025-06-20"),
                               ])
        let licence = Script(kind: .licence, role: .licensing, fields: ["applicant": "某公司", "licenceType": "校外培训机构设立"],
                             day: "2025-05-06", steps: [
                                 Step(action: "accept", role: .licensing, day: "2025-05-07"),
                                 Step(action: "grant", role: .licensing, fields: ["decisionNumber": "许〔2025〕1号"], attachment: true, day: "2025-05-20"),
                             ])
        let inspection = Script(kind: .annualInspection, role: .licensing, fields: ["institution": "某培训学校", "inspectionYear": "2025"],
                                day: "2025-03-03", steps: [
                                    Step(action: "conclude", role: .licensing, fields: ["result": "合格"], day: "2025-04-03"),
                                ])
        return [petition(1, rating: "满意"), petition(2, rating: "不满意"), petition(3, rating: nil), proposal,
                hazard("安整〔2025〕3号", pass: true), hazard("安整〔2025〕3号", pass: false), violation, licence, inspection]
    }

    static func take(_ store: SQLCaseStore, _ id: Int64, _ s: Step) async throws {
        _ = try await store.take(s.action, caseID: id, by: actor(s.role, s.scope), fields: s.fields,
                                 attachments: s.attachment ? [s.action == "reportRectified" ? photo : pdf] : [],
                                 on: try #require(CivilDate(iso: s.day)))
    }

    @Test("casework written after the snapshot: refreshed alone, equal to a full rebuild (figures and drill-downs); other writes rebuild",
          arguments: TestBackend.available)
    func refreshEqualsRebuild(_ backend: TestBackend) async throws {
        try await TestDatabases.withFreshDatabase(backend) { location in
            let db = try await Database.open(location)
            do {
                let world = try await WebWorld.make(db)
                let config = WebConfig(database: db, demoMode: true, secureCookies: false, bcryptCost: 4,
                                       today: CivilDate(year: 2025, month: 11, day: 20), logLevel: .critical,
                                       deadlineWatchInterval: nil)
                let deps = try await AppDependencies.make(config)
                let store = deps.cases
                let loader = IndicatorFactsLoader(database: db)
                // The first half of every case's steps before the snapshot, the rest after.
                var opened: [(Int64, [Step])] = []
                for script in Self.scripts(world) {
                    let c = try await store.open(kind: script.kind, title: "", fields: script.fields, by: Self.actor(script.role),
                                                 on: try #require(CivilDate(iso: script.day)))
                    let half = script.steps.count / 2
                    for s in script.steps.prefix(half) { try await Self.take(store, c.id, s) }
                    opened.append((c.id, Array(script.steps.dropFirst(half))))
                }
                let service = IndicatorService(deps: deps)
                let before = try await service.snapshot()
                let version = try await loader.dataVersion()
                for (id, steps) in opened { for s in steps { try await Self.take(store, id, s) } }
                _ = try await store.open(kind: .petition, title: "", fields: ["petitioner": "新来信", "channel": "来访", "summary": "新问题"],
                                         by: Self.actor(.petitions), on: try #require(CivilDate(iso: "2025-11-19")))

                let refreshed = try #require(try await CaseworkIndicators.refresh(before, loader: loader, since: version))
                let rebuilt = try await IndicatorService(deps: deps).snapshot()
                #expect(refreshed.report.values == rebuilt.report.values)
                #expect(refreshed.report.values != before.report.values)
                // The service takes the same path: same figures as the rebuild.
                #expect(try await service.snapshot().report.values == rebuilt.report.values)
                let district = try #require(rebuilt.engine.units.first)
                for id in CaseworkIndicators.orderedIDs {
                    #expect(try refreshed.engine(for: id).drillDown(indicatorID: id, unit: district, year: 2025)
                            == rebuilt.engine.drillDown(indicatorID: id, unit: district, year: 2025), "\(id)")
                }
                // The figures the script was written for, so the comparison is not between two empty sets.
                func value(_ id: String) -> Double? { rebuilt.value(id, district, 2025)?.value }
                #expect(value("cases.petitions.received") == 4)
                #expect(value("cases.proposals.meeting_rate") == 100)
                #expect(value("cases.notices.issued") == 1)
                #expect(value("cases.violations.refunds") == 1234.56)
                #expect(value("cases.hazards.rectification_rate") == 50)

                // Anything else written since: no partial refresh.
                let schoolVersion = try await loader.dataVersion()
                var school = world.otherSchool
                school.name = "王家镇中心完全小学"
                let renamed = school
                _ = try await deps.registry.write(by: ActingUser(login: "test-admin", displayName: "测试管理员")) { tx in
                    try await tx.update(renamed)
                }
                #expect(try await CaseworkIndicators.refresh(refreshed, loader: loader, since: schoolVersion) == nil)
                try await db.close()
            } catch {
                try? await db.close()
                throw error
            }
        }
    }
}
