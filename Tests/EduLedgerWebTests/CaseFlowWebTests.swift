import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
@testable import EduLedgerWeb

/// Each case type worked end to end in the browser (in-process) by the roles involved, with
/// the public's pages for petitions and licences, deadlines checked on the shipped 2025/2026
/// calendars by dates worked out by hand.
@Suite("Casework flows in the browser")
struct CaseFlowWebTests {
    /// A browser without an account: the public pages' double-submit token.
    struct PublicBrowser {
        var cookie: String
        var token: String
        var headers: HTTPFields { [.cookie: "\(CookieNames.publicCase)=\(cookie)"] }
    }

    static func publicBrowser(_ client: any TestClientProtocol, _ path: String = "/public/cases/petition") async throws -> PublicBrowser {
        let page = try await client.execute(uri: path, method: .get)
        #expect(page.status.code == 200)
        let token = try #require(page.setCookies[CookieNames.publicCase])
        #expect(page.text.contains("name=\"_csrf\" value=\"\(token)\"") || path == "/public/cases")
        return PublicBrowser(cookie: token, token: token)
    }

    static func postPublic(_ client: any TestClientProtocol, _ uri: String, _ b: PublicBrowser, _ fields: [(String, String)],
                           files: [(name: String, bytes: [UInt8])] = []) async throws -> TestResponse {
        let (type, body) = multipartBody([("_csrf", b.token)] + fields, files: files)
        return try await client.execute(uri: uri, method: .post, headers: type.merging(b.headers), body: body)
    }

    static func post(_ client: any TestClientProtocol, _ uri: String, _ s: Session, _ fields: [(String, String)],
                     files: [(name: String, bytes: [UInt8])] = []) async throws -> TestResponse {
        if files.isEmpty {
            return try await client.execute(uri: uri, method: .post, headers: formType.merging(s.headers),
                                            body: formBody([("_csrf", s.csrf)] + fields))
        }
        let (type, body) = multipartBody([("_csrf", s.csrf)] + fields, files: files)
        return try await client.execute(uri: uri, method: .post, headers: type.merging(s.headers), body: body)
    }

    struct CaseJSON: Decodable {
        struct C: Decodable {
            var id: Int64; var number: String; var state: String; var dueOn: String?; var fields: [String: String]
            var completedOn: String?; var closedOn: String?
        }
        struct S: Decodable { var action: String; var actor: String; var actorName: String; var attachments: [CaseAttachmentInfo] }
        var `case`: C
        var steps: [S]
    }

    static func api(_ client: any TestClientProtocol, _ id: Int64, _ s: Session) async throws -> CaseJSON {
        let r = try await client.execute(uri: "/api/v1/cases/\(id)", method: .get, headers: s.headers)
        #expect(r.status.code == 200, "GET case \(id): \(r.status.code)")
        return try JSONDecoder().decode(CaseJSON.self, from: Data(buffer: r.body))
    }

    static func code(in html: String) -> String? {
        html.firstMatch(of: /(XF|XK)-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/).map { String($0.0) }
    }

    static func caseID(_ r: TestResponse) -> Int64? {
        guard r.status.code == 303, let l = r.location, l.hasPrefix("/cases/") else { return nil }
        return Int64(l.dropFirst("/cases/".count))
    }

    static func lookUp(_ client: any TestClientProtocol, _ b: PublicBrowser, _ code: String, _ last4: String) async throws -> TestResponse {
        try await client.execute(uri: "/public/cases/track", method: .post, headers: formType.merging(b.headers),
                                 body: formBody([("_csrf", b.token), ("code", code), ("phoneLast4", last4)]))
    }

    // MARK: 信访

    @Test("信访: the public submits with a photo → 信访办 assigns → the section investigates and replies → the public rates → closed",
          arguments: TestBackend.available)
    func petition(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, db in
            let browser = try await Self.publicBrowser(client)
            let submitted = try await Self.postPublic(client, "/public/cases/petition", browser, [
                ("f.petitioner", "王某"), ("f.contactPhone", "139-0731-2468"), ("f.summary", "学校周边黑车接送学生，存在安全隐患")],
                files: [("现场.jpg", SampleFiles.jpeg)])
            #expect(submitted.status.code == 200 && submitted.text.contains("已收到您的信访"))
            let code = try #require(Self.code(in: submitted.text))
            #expect(code.count == 17 && code.hasPrefix("XF-"))
            // Staff find it in the queue; the public's step is audited as 公众 and the channel is 网上信访.
            let petitions = try await logIn(client, .petitions)
            let list = try await client.execute(uri: "/api/v1/cases?kind=petition", method: .get, headers: petitions.headers)
            let id = try #require(list.text.firstMatch(of: /"id":([0-9]+)/).flatMap { Int64($0.1) })
            var c = try await Self.api(client, id, petitions)
            #expect(c.case.fields["channel"] == "网上信访" && c.case.fields["contactPhone"] == "13907312468")
            #expect(c.case.dueOn == "2025-09-16")  // 受理告知 15日 from 2025-09-01
            #expect(c.steps.first?.actor == "公众" && c.steps.first?.attachments.first?.contentType == "image/jpeg")
            let audit = try await db.reader.raw("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'case' AND actor = '公众'")
                .first(decodingColumn: "n", as: Int.self)
            #expect(audit == 1)
            let assigned = try await Self.post(client, "/cases/\(id)/steps", petitions, [("action", "assign"), ("version", "1"),
                                                                                          ("f.section", "basicEducation")])
            #expect(assigned.status.code == 303)
            c = try await Self.api(client, id, petitions)
            #expect(c.case.state == "assigned" && c.case.dueOn == "2025-10-31")  // 办理答复 60日
            // Another section does not see it; the assigned one investigates and replies with a letter.
            let personnel = try await logIn(client, .personnel)
            #expect(try await client.execute(uri: "/cases/\(id)", method: .get, headers: personnel.headers).status.code == 404)
            let section = try await logIn(client, .basicEducation)
            let page = try await client.execute(uri: "/cases/\(id)", method: .get, headers: section.headers)
            #expect(page.text.contains("调查核实") && page.text.contains(code))
            #expect(try await Self.post(client, "/cases/\(id)/steps", section, [("action", "investigate"), ("f.findings", "内部：经查属实，涉及司机赵某")])
                .status.code == 303)
            let noLetter = try await Self.post(client, "/cases/\(id)/steps", section, [("action", "reply"), ("f.reply", "已联合交警整治")])
            #expect(noLetter.status.code == 422 && noLetter.text.contains("答复意见书"))
            let replied = try await Self.post(client, "/cases/\(id)/steps", section, [("action", "reply"), ("f.reply", "已联合交警部门整治黑车")],
                                              files: [("答复意见书.pdf", SampleFiles.pdf)])
            #expect(replied.status.code == 303)
            // The public sees state, dates and the reply — never the findings, the section or staff names.
            let wrong = try await Self.lookUp(client, browser, code, "0000")
            #expect(wrong.status.code == 404 && wrong.text.contains("不正确"))
            let status = try await Self.lookUp(client, browser, code.lowercased().replacingOccurrences(of: "-", with: " "), "2468")
            #expect(status.status.code == 200 && status.text.contains("已答复") && status.text.contains("已联合交警部门整治黑车"))
            #expect(!status.text.contains("赵某") && !status.text.contains("基础教育股") && !status.text.contains("测试"))
            // The public rates the reply; 信访办 closes.
            let rated = try await Self.postPublic(client, "/public/cases/track/steps", browser, [
                ("code", code), ("phoneLast4", "2468"), ("action", "rate"), ("version", "4"), ("f.rating", "满意")])
            #expect(rated.status.code == 200 && rated.text.contains("已评价") && rated.text.contains("满意"))
            #expect(try await Self.post(client, "/cases/\(id)/steps", petitions, [("action", "close")]).status.code == 303)
            c = try await Self.api(client, id, petitions)
            #expect(c.case.state == "closed" && c.case.completedOn == "2025-09-01" && c.steps.map(\.action)
                == ["open", "assign", "investigate", "reply", "rate", "close"])
            #expect(c.steps.count == 6 && c.steps[4].actor == "公众")
        }
    }

    @Test("public pages: token, field errors in Chinese, sizes and types, throttling per address", arguments: TestBackend.available)
    func publicRefusals(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, db in
            let browser = try await Self.publicBrowser(client)
            let good: [(String, String)] = [("f.petitioner", "李某"), ("f.contactPhone", "13800138000"), ("f.summary", "食堂卫生问题")]
            // Without the token, or with another browser's: 403, nothing written.
            let (type, body) = multipartBody(good)
            #expect(try await client.execute(uri: "/public/cases/petition", method: .post, headers: type.merging(browser.headers), body: body)
                .status.code == 403)
            let stolen = try await client.execute(uri: "/public/cases/petition", method: .post, headers: formType,
                                                  body: formBody([("_csrf", browser.token)] + good))
            #expect(stolen.status.code == 403)
            // Field by field, in Chinese, with what was typed kept.
            let bad = try await Self.postPublic(client, "/public/cases/petition", browser, [
                ("f.petitioner", String(repeating: "名", count: 60)), ("f.contactPhone", "12345"), ("f.summary", "")])
            #expect(bad.status.code == 422)
            #expect(bad.text.contains("不能超过50字") && bad.text.contains("请填写有效的手机号") && bad.text.contains("请填写反映问题"))
            // A file that is not JPEG, PNG or PDF by its bytes, or over 10 MB, is refused and nothing is written.
            let exe = try await Self.postPublic(client, "/public/cases/petition", browser, good, files: [("照片.jpg", Array("MZ\u{90}\u{0}".utf8))])
            #expect(exe.status.code == 422 && exe.text.contains("类型不允许"))
            let big = try await Self.postPublic(client, "/public/cases/petition", browser, good,
                                                files: [("大.jpg", SampleFiles.jpeg + [UInt8](repeating: 1, count: 10 * 1024 * 1024))])
            #expect(big.status.code == 422 && big.text.contains("10 MB"))
            let count = try await db.reader.raw("SELECT COUNT(*) AS n FROM cases").first(decodingColumn: "n", as: Int.self)
            #expect(count == 0)
            // Five submissions an hour from one address; the sixth is refused with the reason.
            for i in 0..<5 {
                let r = try await Self.postPublic(client, "/public/cases/petition", browser, good + [("f.summary", "第\(i)件")])
                #expect(r.status.code == 200, "submission \(i)")
            }
            let sixth = try await Self.postPublic(client, "/public/cases/petition", browser, good)
            #expect(sixth.status.code == 429 && sixth.text.contains("每小时最多提交5件"))
            // Codes are not sequential: five different random codes.
            let codes = try await db.reader.raw("SELECT tracking_code FROM cases ORDER BY id").all()
                .map { try $0.decode(column: "tracking_code", as: String.self) }
            #expect(Set(codes).count == 5 && codes.allSatisfy { $0.count == 17 })
            // Twenty failed look-ups in 15 minutes, then refused even with the right answer.
            for _ in 0..<20 { _ = try await Self.lookUp(client, browser, "XF-0000-0000-0000", "1234") }
            let locked = try await Self.lookUp(client, browser, codes[0], "8000")
            #expect(locked.status.code == 429)
        }
    }

    // MARK: 人大代表建议

    @Test("人大代表建议: office receives → lead and co-handling sections → co-opinion → 见面 → reply by the deadline → rating → closed",
          arguments: TestBackend.available)
    func proposal(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, _ in
            let office = try await logIn(client, .office)
            let new = try await client.execute(uri: "/cases/new?kind=deputyProposal", method: .get, headers: office.headers)
            #expect(new.status.code == 200 && new.text.contains("提出代表"))
            let id = try #require(Self.caseID(try await Self.post(client, "/cases", office, [
                ("kind", "deputyProposal"), ("f.proposer", "李代表"), ("f.proposalNumber", "第12号"), ("f.summary", "关于增加农村学校校车的建议")])))
            #expect(try await Self.post(client, "/cases/\(id)/steps", office, [("action", "assign"), ("f.section", "basicEducation"),
                                                                               ("f.coSections", "finance")]).status.code == 303)
            var c = try await Self.api(client, id, office)
            #expect(c.case.dueOn == "2025-12-01")  // 3个月 from 2025-09-01
            // Only the lead section meets the deputy; the co-handling section adds its opinion.
            let finance = try await logIn(client, .finance)
            let financeMeets = try await Self.post(client, "/cases/\(id)/steps", finance, [("action", "meet"), ("f.meetingOn", "2025-09-01"),
                                                                                          ("f.meetingNote", "x")])
            #expect(financeMeets.status.code == 422 && financeMeets.text.contains("只能由"))
            #expect(try await Self.post(client, "/cases/\(id)/steps", finance, [("action", "coOpinion"), ("f.opinion", "经费可统筹")]).status.code == 303)
            let lead = try await logIn(client, .basicEducation)
            #expect(try await Self.post(client, "/cases/\(id)/steps", lead, [("action", "meet"), ("f.meetingOn", "2025-09-01"),
                                                                             ("f.meetingNote", "当面听取李代表意见")]).status.code == 303)
            #expect(try await Self.post(client, "/cases/\(id)/steps", lead, [("action", "reply"), ("f.resultCode", "B 正在解决或列入计划"),
                                                                             ("f.reply", "列入明年计划")], files: [("答复函.pdf", SampleFiles.pdf)])
                .status.code == 303)
            #expect(try await Self.post(client, "/cases/\(id)/steps", office, [("action", "rate"), ("f.rating", "满意")]).status.code == 303)
            #expect(try await Self.post(client, "/cases/\(id)/steps", office, [("action", "close")]).status.code == 303)
            c = try await Self.api(client, id, office)
            #expect(c.case.state == "closed" && c.steps.map(\.action) == ["open", "assign", "coOpinion", "meet", "reply", "rate", "close"])
            let page = try await client.execute(uri: "/cases/\(id)", method: .get, headers: office.headers)
            #expect(page.text.contains("与代表见面沟通") && page.text.contains("已办结"))
        }
    }

    // MARK: 行政许可, across 元旦 2026

    @Test("行政许可: the public applies → 一次性告知 → the public completes → accepted → decision → licence; 5 and 20 working days over 元旦",
          arguments: TestBackend.available)
    func licence(_ backend: TestBackend) async throws {
        // 2025-12-24 (Wed): 5 working days → 12-31; 20 → 2026-01-22 (01-01..03 off, Sunday 01-04 worked); 10 → 2026-01-08.
        try await withApp(backend, today: CivilDate(year: 2025, month: 12, day: 24)!) { client, _, _ in
            let browser = try await Self.publicBrowser(client, "/public/cases/licence")
            let applied = try await Self.postPublic(client, "/public/cases/licence", browser, [
                ("f.applicant", "星光艺术培训中心"), ("f.licenceType", "校外培训机构设立"), ("f.contactPhone", "0731-85551234"),
                ("f.documents", "申请书\n举办者身份证明")], files: [("申请书.pdf", SampleFiles.pdf), ("场地照片.png", SampleFiles.png)])
            #expect(applied.status.code == 200)
            let code = try #require(Self.code(in: applied.text))
            #expect(code.hasPrefix("XK-") && applied.text.contains("2025年12月31日"))
            let clerk = try await logIn(client, .licensing)
            let list = try await client.execute(uri: "/api/v1/cases?kind=licence", method: .get, headers: clerk.headers)
            let id = try #require(list.text.firstMatch(of: /"id":([0-9]+)/).flatMap { Int64($0.1) })
            var c = try await Self.api(client, id, clerk)
            #expect(c.case.dueOn == "2025-12-31" && c.steps[0].attachments.count == 2)
            // The one-time notice lists every missing document; the public sees the list.
            #expect(try await Self.post(client, "/cases/\(id)/steps", clerk, [("action", "noticeMissing"),
                                                                              ("f.missingDocuments", "场地租赁合同\n消防验收意见书\n教学计划")])
                .status.code == 303)
            c = try await Self.api(client, id, clerk)
            #expect(c.case.state == "incomplete" && c.case.dueOn == nil)
            let status = try await Self.lookUp(client, browser, code, "1234")
            #expect(status.status.code == 200 && status.text.contains("一次性告知") && status.text.contains("消防验收意见书"))
            #expect(status.text.contains("申请人补正材料"))
            // A wrong role may not accept; the public completes, with the documents.
            let principal = try await logIn(client, .principal)
            #expect(try await Self.post(client, "/cases/\(id)/steps", principal, [("action", "accept")]).status.code == 404)
            let resubmitted = try await Self.postPublic(client, "/public/cases/track/steps", browser, [
                ("code", code), ("phoneLast4", "1234"), ("action", "resubmit"), ("version", "2"), ("f.documents", "场地租赁合同、消防验收意见书、教学计划")],
                files: [("补正材料.pdf", SampleFiles.pdf)])
            #expect(resubmitted.status.code == 200 && resubmitted.text.contains("已提交"))
            c = try await Self.api(client, id, clerk)
            #expect(c.case.state == "submitted" && c.case.dueOn == "2025-12-31" && c.steps[2].actor == "公众")
            #expect(try await Self.post(client, "/cases/\(id)/steps", clerk, [("action", "accept")]).status.code == 303)
            c = try await Self.api(client, id, clerk)
            #expect(c.case.state == "accepted" && c.case.dueOn == "2026-01-22")
            let noLetter = try await Self.post(client, "/cases/\(id)/steps", clerk, [("action", "grant"), ("f.decisionNumber", "教许〔2025〕9号")])
            #expect(noLetter.status.code == 422 && noLetter.text.contains("准予许可决定书"))
            #expect(try await Self.post(client, "/cases/\(id)/steps", clerk, [("action", "grant"), ("f.decisionNumber", "教许〔2025〕9号")],
                                        files: [("决定书.pdf", SampleFiles.pdf)]).status.code == 303)
            c = try await Self.api(client, id, clerk)
            #expect(c.case.state == "granted" && c.case.dueOn == "2026-01-08")
            #expect(try await Self.post(client, "/cases/\(id)/steps", clerk, [("action", "issueLicence"), ("f.licenceNumber", "教民1234号")])
                .status.code == 303)
            let done = try await Self.lookUp(client, browser, code, "1234")
            #expect(done.text.contains("已办结") && done.text.contains("教许〔2025〕9号") && done.text.contains("教民1234号"))
        }
    }

    // MARK: 违规收费

    @Test("违规收费: 立案 → 查实 → 处理 with a refund in exact 分 → closing refused until the refund proof → 结案",
          arguments: TestBackend.available)
    func violation(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, _ in
            let supervision = try await logIn(client, .supervision)
            let id = try #require(Self.caseID(try await Self.post(client, "/cases", supervision, [
                ("kind", "violation"), ("f.violationType", "违规收费"), ("f.school", String(world.district.primary.id.rawValue)),
                ("f.subject", "东城第一小学"), ("f.summary", "向学生收取教辅资料费")])))
            #expect(try await Self.post(client, "/cases/\(id)/steps", supervision, [("action", "find"), ("f.finding", "收取资料费每生45.50元")])
                .status.code == 303)
            let badMoney = try await Self.post(client, "/cases/\(id)/steps", supervision, [("action", "sanction"), ("f.sanction", "通报批评"),
                                                                                          ("f.refundOrdered", "12345.678")])
            #expect(badMoney.status.code == 422 && badMoney.text.contains("责令清退金额"))
            #expect(try await Self.post(client, "/cases/\(id)/steps", supervision, [("action", "sanction"), ("f.sanction", "通报批评，责令清退"),
                                                                                   ("f.refundOrdered", "12345.67")]).status.code == 303)
            var c = try await Self.api(client, id, supervision)
            #expect(c.case.fields["refundOrdered"] == "1234567")
            let early = try await Self.post(client, "/cases/\(id)/steps", supervision, [("action", "close")])
            #expect(early.status.code == 422 && early.text.contains("清退凭证"))
            // 计划财务股 records the refund, with the proof (a photo of the receipts).
            let finance = try await logIn(client, .finance)
            let noProof = try await Self.post(client, "/cases/\(id)/steps", finance, [("action", "recordRefund"), ("f.refundProven", "12345.67")])
            #expect(noProof.status.code == 422 && noProof.text.contains("缺少必需的附件：清退凭证"))
            #expect(try await Self.post(client, "/cases/\(id)/steps", finance, [("action", "recordRefund"), ("f.refundProven", "12345.67")],
                                        files: [("清退凭证.png", SampleFiles.png)]).status.code == 303)
            #expect(try await Self.post(client, "/cases/\(id)/steps", supervision, [("action", "close")]).status.code == 303)
            c = try await Self.api(client, id, supervision)
            #expect(c.case.state == "closed" && c.case.fields["refundProven"] == "1234567")
            let page = try await client.execute(uri: "/cases/\(id)", method: .get, headers: supervision.headers)
            #expect(page.text.contains("12345.67元") && page.text.contains("清退凭证.png"))
        }
    }
}
