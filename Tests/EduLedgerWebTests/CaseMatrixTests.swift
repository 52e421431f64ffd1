import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// A multipart/form-data body as a browser sends it: text fields, then files (each under `file`).
func multipartBody(_ fields: [(String, String)], files: [(name: String, bytes: [UInt8])] = []) -> (HTTPFields, ByteBuffer) {
    let boundary = "----EduLedgerTestBoundary7MA4YWxkTrZu0gW"
    var body = [UInt8]()
    for (name, value) in fields {
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
    }
    for file in files {
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file.bytes
        body += Array("\r\n".utf8)
    }
    body += Array("--\(boundary)--\r\n".utf8)
    return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(bytes: body))
}

/// Bytes that are what they say by their first bytes (the server ignores names and claims).
enum SampleFiles {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 64)
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 9, count: 64)
    static let pdf: [UInt8] = Array("%PDF-1.4\n% 答复意见书\n%%EOF\n".utf8)
}

/// The casework routes of the route × role matrix: cases of every kind placed so that each role
/// sees some and not others. Expectations are written out by hand, not derived from `CaseAccess`.
enum CaseMatrix {
    static func store(_ db: Database) throws -> SQLCaseStore {
        SQLCaseStore(database: db, engine: CaseEngine(calendar: try WorkingDayCalendar.shipped()))
    }

    static func bureau(_ role: Role) -> CaseActor { CaseActor(login: "seed-" + role.rawValue, displayName: role.title, role: role, scope: .district) }

    struct Cases: Sendable {
        var noticedPrimary: Int64, noticedOther: Int64, foundPrimary: Int64, petition: Int64, licence: Int64, violation: Int64
        var proposal: Int64, campaign: Int64, photo: Int64
    }

    static func seed(_ w: WebWorld, _ db: Database) async throws -> Cases {
        let cases = try store(db)
        let day = SmallDistrict.day
        let p = String(w.district.primary.id.rawValue), o = String(w.otherSchool.id.rawValue)
        let round = try await cases.createCampaign(InspectionCampaign(name: "秋季排查", startedOn: day, endsOn: nil,
                                                                      schoolIDs: [w.district.primary.id, w.otherSchool.id], createdBy: "seed-safety"))
        func hazard(_ school: String, notice: Bool) async throws -> Int64 {
            let h = try await cases.open(kind: .hazard, title: "", fields: ["school": school, "category": "消防", "description": "灭火器过期"],
                                         by: bureau(.safety), on: day, campaignID: round.id)
            if notice {
                _ = try await cases.take("issueNotice", caseID: h.id, by: bureau(.safety),
                                         fields: ["noticeNumber": "安整〔2025〕\(h.id)号", "dueOn": "2025-09-15", "requirement": "更换"], on: day)
            }
            return h.id
        }
        let hp = try await hazard(p, notice: true), ho = try await hazard(o, notice: true), hf = try await hazard(p, notice: false)
        let officer = CaseActor(login: "seed-officer", displayName: "安全专干", role: .safetyOfficer, scope: .school(w.district.primary.id))
        let rectified = try await cases.take("reportRectified", caseID: hp, by: officer, fields: ["measures": "已更换"],
                                             attachments: [CaseAttachment(name: "整改后.png", contentType: "image/png", bytes: SampleFiles.png)], on: day)
        let photo = try #require(try await cases.steps(caseID: rectified.id).last?.attachments.first?.id)
        let pet = try await cases.open(kind: .petition, title: "", fields: ["petitioner": "张某", "channel": "来信", "summary": "校车超载"],
                                       by: bureau(.petitions), on: day)
        _ = try await cases.take("assign", caseID: pet.id, by: bureau(.petitions), fields: ["section": "basicEducation"], on: day)
        let lic = try await cases.open(kind: .licence, title: "", fields: ["applicant": "某培训学校", "licenceType": "校外培训机构设立"],
                                       by: bureau(.licensing), on: day)
        let vio = try await cases.open(kind: .violation, title: "", fields: ["violationType": "违规收费", "subject": "某中学", "summary": "收资料费"],
                                       by: bureau(.supervision), on: day)
        let prop = try await cases.open(kind: .deputyProposal, title: "", fields: ["proposer": "李代表", "proposalNumber": "第1号", "summary": "校车"],
                                        by: bureau(.office), on: day)
        _ = try await cases.take("assign", caseID: prop.id, by: bureau(.office), fields: ["section": "personnel", "coSections": "finance"], on: day)
        return Cases(noticedPrimary: hp, noticedOther: ho, foundPrimary: hf, petition: pet.id, licence: lic.id, violation: vio.id,
                     proposal: prop.id, campaign: round.id, photo: photo)
    }

    /// Roles that see some casework (list, dashboard panel).
    static let caseworkRoles: Set<Role> = [.leadership, .office, .basicEducation, .personnel, .finance, .safety, .supervision,
                                           .petitions, .licensing, .research, .inspector, .townshipOfficer, .zoneOfficer,
                                           .principal, .safetyOfficer]
    static let hazardKeepers: Set<Role> = [.leadership, .safety, .inspector]

    /// 403 for a role without casework, 200 for the readers, 404 for everyone else.
    static func sees(_ readers: Set<Role>) -> @Sendable (Role) -> Int {
        { role in caseworkRoles.contains(role) ? (readers.contains(role) ? 200 : 404) : 403 }
    }

    static func routes(_ w: WebWorld, _ db: Database) async throws -> [RouteRoleMatrixTests.Route] {
        let c = try await seed(w, db)
        let casework: @Sendable (Role) -> Int = { caseworkRoles.contains($0) ? 200 : 403 }
        let hazardPages: @Sendable (Role) -> Int = { hazardKeepers.contains($0) ? 200 : 403 }
        // A school sees the hazards of its own school once noticed; its township too; the zone only its own schools.
        let primaryNoticed = sees(hazardKeepers.union([.townshipOfficer, .principal, .safetyOfficer]))
        let otherNoticed = sees(hazardKeepers.union([.zoneOfficer]))
        return [
            .init(path: "/cases", expect: casework),
            .init(path: "/cases?due=1", expect: casework),
            .init(path: "/cases?kind=hazard&open=1", expect: casework),
            .init(path: "/cases/\(c.noticedPrimary)", expect: primaryNoticed),
            .init(path: "/cases/\(c.noticedPrimary)/attachments/\(c.photo)", expect: primaryNoticed),
            .init(path: "/cases/\(c.noticedOther)/attachments/\(c.photo)", expect: sees([])),
            .init(path: "/cases/\(c.noticedOther)", expect: otherNoticed),
            .init(path: "/cases/\(c.foundPrimary)", expect: sees(hazardKeepers)),
            .init(path: "/cases/\(c.petition)", expect: sees([.leadership, .petitions, .basicEducation])),
            .init(path: "/cases/\(c.licence)", expect: sees([.leadership, .licensing])),
            .init(path: "/cases/\(c.violation)", expect: sees([.leadership, .supervision, .finance])),
            .init(path: "/cases/\(c.proposal)", expect: sees([.leadership, .office, .personnel, .finance])),
            .init(path: "/cases/999999", expect: sees([])),
            .init(path: "/cases/new?kind=petition", expect: { [.petitions, .office].contains($0) ? 200 : 403 }),
            .init(path: "/cases/new?kind=hazard", expect: { [.safety, .inspector, .supervision].contains($0) ? 200 : 403 }),
            .init(path: "/cases/new?kind=licence", expect: { $0 == .licensing ? 200 : 403 }),
            .init(path: "/cases/new?kind=violation", expect: { [.supervision, .basicEducation, .personnel, .petitions].contains($0) ? 200 : 403 }),
            .init(path: "/cases/new?kind=deputyProposal", expect: { $0 == .office ? 200 : 403 }),
            .init(path: "/cases/campaigns", expect: hazardPages),
            .init(path: "/cases/campaigns/\(c.campaign)", expect: hazardPages),
            .init(path: "/cases/campaigns/999999", expect: { hazardKeepers.contains($0) ? 404 : 403 }),
            .init(path: "/api/v1/cases", expect: casework),
            .init(path: "/api/v1/cases?kind=hazard", expect: casework),
            .init(path: "/api/v1/cases?kind=nonsense", expect: { caseworkRoles.contains($0) ? 400 : 403 }),
            .init(path: "/api/v1/cases/\(c.noticedPrimary)", expect: primaryNoticed),
            .init(path: "/api/v1/cases/\(c.noticedOther)", expect: otherNoticed),
            .init(path: "/api/v1/cases/\(c.petition)", expect: sees([.leadership, .petitions, .basicEducation])),
            .init(path: "/api/v1/cases/\(c.licence)", expect: sees([.leadership, .licensing])),
            .init(path: "/api/v1/cases/\(c.proposal)", expect: sees([.leadership, .office, .personnel, .finance])),
            .init(path: "/api/v1/cases/999999", expect: sees([])),
        ]
    }
}

@Suite("Casework route × role writes")
struct CaseMatrixWriteTests {
    @Test("a step by every role: the section 303, a reader without the step 422, outside scope 404, no casework 403",
          arguments: TestBackend.available)
    func steps(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let c = try await CaseMatrix.seed(world, db)
            var taken = 0
            for role in Role.allCases {
                let s = try await logIn(client, role)
                let form = try await client.execute(
                    uri: "/cases/\(c.petition)/steps", method: .post, headers: formType.merging(s.headers),
                    body: formBody([("_csrf", s.csrf), ("action", "investigate"), ("f.findings", "属实")]))
                let readers: Set<Role> = [.leadership, .petitions, .basicEducation]
                let expected = !CaseMatrix.caseworkRoles.contains(role) ? 403 : role == .basicEducation && taken == 0 ? 303
                    : readers.contains(role) ? 422 : 404
                #expect(Int(form.status.code) == expected, "\(role) POST step: \(form.status.code), expected \(expected)")
                if form.status.code == 303 { taken += 1 }
                // The API: the same refusals in JSON (the step is already taken: 422 for the section too).
                var headers = s.headers
                headers[.contentType] = "application/json"
                headers[.init("X-CSRF-Token")!] = s.csrf
                let api = try await client.execute(uri: "/api/v1/cases/\(c.violation)/steps", method: .post, headers: headers,
                                                   body: ByteBuffer(string: #"{"action":"find","fields":{"finding":"属实"}}"#))
                let apiExpected = !CaseMatrix.caseworkRoles.contains(role) ? 403
                    : [.leadership, .supervision, .finance].contains(role) ? (role == .supervision ? 200 : 422) : 404
                #expect(Int(api.status.code) == apiExpected, "\(role) API step: \(api.status.code), expected \(apiExpected)")
                if api.status.code == 200 {
                    // Taken once; the next attempt is in the wrong state.
                    let again = try await client.execute(uri: "/api/v1/cases/\(c.violation)/steps", method: .post, headers: headers,
                                                         body: ByteBuffer(string: #"{"action":"find","fields":{"finding":"属实"}}"#))
                    #expect(again.status.code == 422 && again.text.contains("case.wrong_state"))
                }
            }
            #expect(taken == 1)
            // Anonymous: the page form goes to the login page, the API answers 401.
            let anon = try await client.execute(uri: "/cases/\(c.petition)/steps", method: .post, headers: formType,
                                                body: formBody([("action", "investigate")]))
            #expect(anon.status.code == 302)
            let anonAPI = try await client.execute(uri: "/api/v1/cases", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: #"{"kind":"petition"}"#))
            #expect(anonAPI.status.code == 401)
        }
    }
}
