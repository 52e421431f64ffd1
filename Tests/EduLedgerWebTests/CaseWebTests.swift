import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// Casework in the browser and the API, in-process: a hazard from an inspection round to the
/// school's rectification with a photo, a petition through the API, and the refusals.
@Suite("Casework web")
struct CaseWebTests {
    /// Roles that see some casework (written out by hand, not derived from `CaseAccess`).
    static let caseworkRoles: Set<Role> = [.leadership, .office, .basicEducation, .personnel, .finance, .safety, .supervision,
                                           .petitions, .licensing, .research, .inspector, .townshipOfficer, .zoneOfficer,
                                           .principal, .safetyOfficer]

    static func post(_ client: any TestClientProtocol, _ uri: String, _ s: Session, _ pairs: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: formType.merging(s.headers), body: formBody([("_csrf", s.csrf)] + pairs))
    }

    static func caseID(_ location: String?) -> String? {
        guard let location, location.hasPrefix("/cases/") else { return nil }
        return String(location.dropFirst("/cases/".count))
    }

    @Test("a hazard from an inspection round to the school's photo, with the refusals on the way", arguments: TestBackend.available)
    func hazardFlow(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, _ in
            let primary = world.district.primary.id.rawValue
            let safety = try await logIn(client, .safety)
            let round = try await Self.post(client, "/cases/campaigns", safety, [("name", "秋季开学安全排查"), ("startedOn", "2025-09-01"),
                                                                                   ("school", String(primary)),
                                                                                   ("school", String(world.otherSchool.id.rawValue))])
            #expect(round.status.code == 303)
            let roundPath = try #require(round.location)
            // A finding at a school outside the round is refused; inside it becomes a hazard case.
            let outside = try await Self.post(client, roundPath + "/findings", safety, [("f.school", String(world.district.junior.id.rawValue)),
                                                                                          ("f.category", "消防"), ("f.description", "x")])
            #expect(outside.status.code == 422 && outside.text.contains("不在本轮排查范围内"))
            let found = try await Self.post(client, roundPath + "/findings", safety, [("f.school", String(primary)), ("f.category", "消防"),
                                                                                        ("f.description", "灭火器过期")])
            #expect(found.status.code == 303)
            let page = try await client.execute(uri: roundPath, method: .get, headers: safety.headers)
            #expect(page.status.code == 200 && page.text.contains("YH2025-0001"))
            let list = try await client.execute(uri: "/cases?kind=hazard", method: .get, headers: safety.headers)
            let id = try #require(list.text.firstMatch(of: /href="\/cases\/([0-9]+)"/).map { String($0.1) })
            // Before a notice the school does not see the hazard.
            let officer = try await logIn(client, .safetyOfficer)
            #expect(try await client.execute(uri: "/cases/\(id)", method: .get, headers: officer.headers).status.code == 404)
            // The queue as a file: the safety office's list has the hazard, the school's (no notice yet) does not.
            #expect(list.text.contains("name=\"format\" value=\"xlsx\""))
            let queueCSV = try await client.execute(uri: "/cases?kind=hazard&format=csv", method: .get, headers: safety.headers)
            #expect(queueCSV.status.code == 200 && queueCSV.text.contains("编号,类别,标题") && queueCSV.text.contains("YH2025-0001"))
            let schoolCSV = try await client.execute(uri: "/cases?format=csv", method: .get, headers: officer.headers)
            #expect(schoolCSV.status.code == 200 && !schoolCSV.text.contains("YH2025-0001"))
            // Missing field: the notice without its deadline is refused with the field's name; nothing written.
            let noDue = try await Self.post(client, "/cases/\(id)/steps", safety, [("action", "issueNotice"), ("version", "1"),
                                                                                   ("f.noticeNumber", "安整〔2025〕1号"), ("f.requirement", "更换")])
            #expect(noDue.status.code == 422 && noDue.text.contains("缺少必填项：限期整改日期"))
            let notice = try await Self.post(client, "/cases/\(id)/steps", safety, [("action", "issueNotice"), ("version", "1"),
                                                                                    ("f.noticeNumber", "安整〔2025〕1号"), ("f.dueOn", "2025-09-15"),
                                                                                    ("f.requirement", "更换灭火器")])
            #expect(notice.status.code == 303)
            // The school now sees it and the step it may take; the safety office may not take the school's step.
            let detail = try await client.execute(uri: "/cases/\(id)", method: .get, headers: officer.headers)
            #expect(detail.status.code == 200 && detail.text.contains("报告整改完成") && detail.text.contains("安整〔2025〕1号"))
            let bySafety = try await Self.post(client, "/cases/\(id)/steps", safety, [("action", "reportRectified"), ("f.measures", "x")])
            #expect(bySafety.status.code == 422 && bySafety.text.contains("只能由"))
            let noPhoto = try await Self.post(client, "/cases/\(id)/steps", officer, [("action", "reportRectified"), ("f.measures", "已更换")])
            #expect(noPhoto.status.code == 422 && noPhoto.text.contains("整改照片"))
            // The phone's photo goes up as multipart; a PDF where a photo is asked is refused.
            func upload(_ s: Session, _ fields: [(String, String)], _ files: [(name: String, bytes: [UInt8])]) async throws -> TestResponse {
                let (type, body) = multipartBody([("_csrf", s.csrf)] + fields, files: files)
                return try await client.execute(uri: "/cases/\(id)/steps", method: .post, headers: type.merging(s.headers), body: body)
            }
            let form = try await client.execute(uri: "/cases/\(id)", method: .get, headers: officer.headers)
            #expect(form.text.contains("enctype=\"multipart/form-data\"") && form.text.contains("accept=\"image/jpeg,image/png\"")
                    && form.text.contains("capture=\"environment\""))
            let pdf = try await upload(officer, [("action", "reportRectified"), ("f.measures", "已更换")], [("a.pdf", SampleFiles.pdf)])
            #expect(pdf.status.code == 422 && pdf.text.contains("类型不允许"))
            let forged = try await upload(Session(cookie: officer.cookie, csrf: String(repeating: "0", count: 64)),
                                          [("action", "reportRectified"), ("f.measures", "已更换")], [("a.png", SampleFiles.png)])
            #expect(forged.status.code == 403)
            let photoBytes = Data(SampleFiles.png)
            let done = try await upload(officer, [("action", "reportRectified"), ("f.measures", "已更换12具")], [("整改后.png", SampleFiles.png)])
            #expect(done.status.code == 303)
            let after = try await client.execute(uri: "/cases/\(id)", method: .get, headers: safety.headers)
            let href = try #require(after.text.range(of: "/cases/\(id)/attachments/").map { r in
                "/cases/\(id)/attachments/" + String(after.text[r.upperBound...].prefix { $0.isNumber })
            })
            let file = try await client.execute(uri: href, method: .get, headers: officer.headers)
            #expect(file.status.code == 200 && Data(buffer: file.body) == photoBytes)
            // Re-inspection: the school may not pass its own rectification; the safety office does and the hazard is closed.
            #expect(try await Self.post(client, "/cases/\(id)/steps", officer, [("action", "pass"), ("f.reinspection", "合格")]).status.code == 422)
            #expect(try await Self.post(client, "/cases/\(id)/steps", safety, [("action", "pass"), ("f.reinspection", "复查合格，予以销号")])
                .status.code == 303)
            let closed = try await client.execute(uri: "/cases/\(id)", method: .get, headers: officer.headers)
            #expect(closed.text.contains("复查通过，已销号"))
            // Another place's account and a section without hazards do not see it; the admin has no casework.
            for role in [Role.zoneOfficer, .basicEducation] {
                let s = try await logIn(client, role)
                #expect(try await client.execute(uri: "/cases/\(id)", method: .get, headers: s.headers).status.code == 404, "\(role)")
                #expect(try await client.execute(uri: href, method: .get, headers: s.headers).status.code == 404, "\(role)")
            }
            let admin = try await logIn(client, .admin)
            #expect(try await client.execute(uri: "/cases/\(id)", method: .get, headers: admin.headers).status.code == 403)
            // The dashboard shows the deadline panel.
            let dash = try await client.execute(uri: "/dashboard", method: .get, headers: safety.headers)
            #expect(dash.text.contains("案件期限提醒"))
        }
    }

    @Test("/cases for every role and for the public; the API needs the CSRF header and keeps scope", arguments: TestBackend.available)
    func rolesAndAPI(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, _ in
            #expect(try await client.execute(uri: "/cases", method: .get).status.code == 302)
            #expect(try await client.execute(uri: "/api/v1/cases", method: .get).status.code == 401)
            for role in Role.allCases {
                let s = try await logIn(client, role)
                let status = try await client.execute(uri: "/cases", method: .get, headers: s.headers).status.code
                #expect(status == (Self.caseworkRoles.contains(role) ? 200 : 403), "\(role)")
            }
            let office = try await logIn(client, .petitions)
            var headers = office.headers
            headers[.contentType] = "application/json"
            let body = #"{"kind":"petition","fields":{"petitioner":"张某","channel":"来信","summary":"反映校车超载"}}"#
            let noToken = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(noToken.status.code == 403)
            headers[.init("X-CSRF-Token")!] = office.csrf
            let created = try await client.execute(uri: "/api/v1/cases", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(created.status.code == 201)
            struct Detail: Decodable { struct C: Decodable { var id: Int64; var number: String; var dueOn: String? }; var `case`: C }
            let c = try JSONDecoder().decode(Detail.self, from: Data(buffer: created.body)).case
            #expect(c.number == "XF2025-0001" && c.dueOn == "2025-09-16")  // 15日 from 2025-09-01
            let wrong = try await client.execute(uri: "/api/v1/cases/\(c.id)/steps", method: .post, headers: headers,
                                                 body: ByteBuffer(string: #"{"action":"reply","fields":{"reply":"x"}}"#))
            #expect(wrong.status.code == 422 && wrong.text.contains("case.wrong_state"))
            let assign = try await client.execute(uri: "/api/v1/cases/\(c.id)/steps", method: .post, headers: headers,
                                                  body: ByteBuffer(string: #"{"action":"assign","version":1,"fields":{"section":"basicEducation"}}"#))
            #expect(assign.status.code == 200)
            let basic = try await logIn(client, .basicEducation)
            let seen = try await client.execute(uri: "/api/v1/cases/\(c.id)", method: .get, headers: basic.headers)
            #expect(seen.status.code == 200 && seen.text.contains("investigate"))
            let personnel = try await logIn(client, .personnel)
            #expect(try await client.execute(uri: "/api/v1/cases/\(c.id)", method: .get, headers: personnel.headers).status.code == 404)
            let school = try await logIn(client, .principal)
            let list = try await client.execute(uri: "/api/v1/cases", method: .get, headers: school.headers)
            #expect(list.status.code == 200 && list.text.contains("\"total\":0"))
            // A school account may not open a petition through the API.
            var schoolHeaders = school.headers
            schoolHeaders[.contentType] = "application/json"
            schoolHeaders[.init("X-CSRF-Token")!] = school.csrf
            #expect(try await client.execute(uri: "/api/v1/cases", method: .post, headers: schoolHeaders,
                                             body: ByteBuffer(string: body)).status.code == 403)
            #expect(try await client.execute(uri: "/api/v1/cases/\(c.id)", method: .delete, headers: headers).status.code == 405)
        }
    }
}
