import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// The report pages in-process: templates with versions, preview errors at line/column,
/// generation within the user's place, .docx download, publish, the frozen view after a record
/// changes, the diff, figure IDs, and the checker's upload — on each backend.
@Suite("Reports in the browser")
struct ReportWebTests {
    static let district = "district:431102"
    static let east = "township:431102001"
    static let wangjia = "township:431102101"

    /// The article the report renderer produced, without the page around it.
    static func article(_ html: String) -> String {
        guard let a = html.range(of: "<article class=\"report\">"), let b = html.range(of: "</article>") else { return "" }
        return String(html[a.lowerBound..<b.upperBound])
    }

    @Test("templates, preview, generate, publish, freeze and diff", arguments: TestBackend.available)
    func flow(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let clerk = try await logIn(client, .basicEducation)
            let index = try await client.execute(uri: "/reports", method: .get, headers: clerk.headers)
            #expect(index.status == .ok)
            #expect(index.text.contains("默认：年度工作总结"))
            // Preview: an unknown indicator is reported at its line and column.
            let bad = try await client.execute(uri: "/reports/preview", method: .post, headers: formType.merging(clerk.headers),
                                               body: formBody([("_csrf", clerk.csrf), ("body", "# 概况\n小学{在校生数 学段=小学}人，{毕业人数}人"),
                                                               ("year", "2025"), ("unit", Self.district)]))
            #expect(bad.status == .ok)
            #expect(bad.text.contains("\"line\":2"))
            #expect(bad.text.contains("\"column\":18"))
            #expect(bad.text.contains("未知指标"))
            let good = try await client.execute(uri: "/reports/preview", method: .post, headers: formType.merging(clerk.headers),
                                                body: formBody([("_csrf", clerk.csrf), ("body", "小学在校生{在校生数 学段=小学}人。"),
                                                                ("year", "2025"), ("unit", Self.district)]))
            #expect(good.text.contains("\"errors\":[]"))
            #expect(good.text.contains("小学在校生"))
            // Without the CSRF token nothing is previewed or saved.
            let forged = try await client.execute(uri: "/reports/templates", method: .post, headers: formType.merging(clerk.headers),
                                                  body: formBody([("name", "伪造")]))
            #expect(forged.status == .forbidden)
            // A template: created, edited (a new version, audited).
            let created = try await client.execute(uri: "/reports/templates", method: .post, headers: formType.merging(clerk.headers),
                                                   body: formBody([("_csrf", clerk.csrf), ("name", "测试总结")]))
            #expect(created.status == .seeOther)
            let editPath = try #require(created.location)
            let editor = try await client.execute(uri: editPath, method: .get, headers: clerk.headers)
            #expect(editor.status == .ok)
            #expect(editor.text.contains("id=\"picker-q\""))
            let id = editPath.split(separator: "/").dropLast().last.map(String.init) ?? ""
            let template = "@标题 {单位}{年度}年测试\n# 学生\n小学在校生{在校生数 学段=小学}人，{在校生数 学段=小学 比上年}。"
            let saved = try await client.execute(uri: "/reports/templates/\(id)", method: .post, headers: formType.merging(clerk.headers),
                                                 body: formBody([("_csrf", clerk.csrf), ("body", template), ("version", "1")]))
            #expect(saved.status == .seeOther)
            let stale = try await client.execute(uri: "/reports/templates/\(id)", method: .post, headers: formType.merging(clerk.headers),
                                                 body: formBody([("_csrf", clerk.csrf), ("body", template + "\n再改"), ("version", "1")]))
            #expect(stale.status == .unprocessableContent)
            #expect(stale.text.contains("第2版"))
            let store = SQLReportStore(database: db)
            #expect(try await store.versions(templateID: Int64(id) ?? 0).map(\.version) == [2, 1])
            let audit = try await SQLRegistryStore(database: db).auditEntries(entity: "report_template", actor: nil, offset: 0, limit: 10)
            #expect(audit.items.count == 2)
            // Generate for the district: HTML with figure links, and the .docx.
            let page = try await client.execute(uri: "/reports/generate?template=\(id)&year=2025&unit=\(Self.district)", method: .get,
                                                headers: clerk.headers)
            #expect(page.status == .ok)
            #expect(page.text.contains("测试区2025年测试") == false)
            #expect(page.text.contains("全区2025年测试"))
            #expect(page.text.contains("小学在校生<a class=\"figure\" id=\"F001\" href=\"/reports/trace?indicator=students.primary"))
            let docx = try await client.execute(uri: "/reports/generate?template=\(id)&year=2025&unit=\(Self.district)&format=docx",
                                                method: .get, headers: clerk.headers)
            #expect(docx.status == .ok)
            #expect(docx.headers[.contentType]?.contains("wordprocessingml") == true)
            #expect(Data(buffer: docx.body).starts(with: [0x50, 0x4B, 0x03, 0x04]))
            let trace = try await client.execute(uri: "/reports/trace?indicator=students.primary&unit=\(Self.district)&year=2025",
                                                 method: .get, headers: clerk.headers)
            #expect(trace.status == .ok)
            #expect(trace.text.contains("/students/\(world.student.id.rawValue)"))
            // Publish: frozen.
            let published = try await client.execute(uri: "/reports/publish", method: .post, headers: formType.merging(clerk.headers),
                                                     body: formBody([("_csrf", clerk.csrf), ("template", id), ("year", "2025"),
                                                                     ("unit", Self.district)]))
            #expect(published.status == .seeOther)
            let reportPath = try #require(published.location)
            let before = try await client.execute(uri: reportPath, method: .get, headers: clerk.headers)
            let frozenArticle = Self.article(before.text)
            #expect(frozenArticle.contains(">2人<"))
            // A record changes: one more pupil in the primary school.
            let admin = ActingUser(login: "test-admin", displayName: "测试管理员")
            _ = try await RegistryService(store: SQLRegistryStore(database: db)).admit(
                SmallDistrict.student(name: "李新生", birth: CivilDate(year: 2019, month: 5, day: 6)!, sequence: 21),
                schoolCode: world.district.primary.code, grade: .p1, classNumber: 1, from: SmallDistrict.day, entry: .intake, by: admin)
            let after = try await client.execute(uri: reportPath, method: .get, headers: clerk.headers)
            #expect(Self.article(after.text) == frozenArticle)
            let fresh = try await client.execute(uri: "/reports/generate?template=\(id)&year=2025&unit=\(Self.district)", method: .get,
                                                 headers: clerk.headers)
            #expect(Self.article(fresh.text).contains(">3人<"))
            let diff = try await client.execute(uri: reportPath + "/diff", method: .get, headers: clerk.headers)
            #expect(diff.status == .ok)
            #expect(diff.text.contains(">F001<"))
            #expect(diff.text.contains("<td>2人</td><td>3人</td>"))
            let figure = try await client.execute(uri: reportPath + "/figures/F001", method: .get, headers: clerk.headers)
            #expect(figure.status == .ok)
            #expect(figure.text.contains("小学在校生数：2人"))
            let frozenDocx = try await client.execute(uri: reportPath + "/docx", method: .get, headers: clerk.headers)
            #expect(frozenDocx.status == .ok)
            // Published rows cannot be changed.
            await #expect(throws: (any Error).self) {
                try await db.transaction { sql in try await sql.raw("UPDATE reports SET title = 'x'").run() }
            }
        }
    }

    @Test("scope: township officers generate for their township only; schools for their school; editing is the bureau's",
          arguments: TestBackend.available)
    func scope(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, _ in
            let officer = try await logIn(client, .townshipOfficer)
            let own = try await client.execute(uri: "/reports/generate?year=2025&unit=\(Self.east)", method: .get, headers: officer.headers)
            #expect(own.status == .ok)
            #expect(own.text.contains("东城街道2025年教育工作总结"))
            let other = try await client.execute(uri: "/reports/generate?year=2025&unit=\(Self.wangjia)", method: .get, headers: officer.headers)
            #expect(other.status == .notFound)
            let whole = try await client.execute(uri: "/reports/generate?year=2025&unit=\(Self.district)", method: .get, headers: officer.headers)
            #expect(whole.status == .notFound)
            let create = try await client.execute(uri: "/reports/templates", method: .post, headers: formType.merging(officer.headers),
                                                  body: formBody([("_csrf", officer.csrf), ("name", "乡镇模板")]))
            #expect(create.status == .forbidden)
            let publishOther = try await client.execute(uri: "/reports/publish", method: .post, headers: formType.merging(officer.headers),
                                                        body: formBody([("_csrf", officer.csrf), ("year", "2025"), ("unit", Self.wangjia)]))
            #expect(publishOther.status == .notFound)
            // The township's report and the district's differ.
            let clerk = try await logIn(client, .leadership)
            let district = try await client.execute(uri: "/reports/generate?year=2025&unit=\(Self.district)", method: .get, headers: clerk.headers)
            #expect(Self.article(district.text) != Self.article(own.text))
            let principal = try await logIn(client, .principal)
            let school = try await client.execute(uri: "/reports/generate?year=2025", method: .get, headers: principal.headers)
            #expect(school.status == .ok)
            #expect(school.text.contains(world.district.primary.name))
            let otherSchool = try await client.execute(uri: "/reports/generate?year=2025&unit=school:\(world.otherSchool.code)", method: .get,
                                                       headers: principal.headers)
            #expect(otherSchool.status == .notFound)
            // Anonymous: to the login page.
            let anon = try await client.execute(uri: "/reports/generate?year=2025", method: .get)
            #expect(anon.status == .found)
        }
    }

    @Test("checker upload: a pasted report and an uploaded file give the findings table; a corrupt .docx is refused",
          arguments: TestBackend.available)
    func checker(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, _ in
            let user = try await logIn(client, .office)
            let form = try await client.execute(uri: "/reports/check", method: .get, headers: user.headers)
            #expect(form.status == .ok)
            let text = "全镇3所学校共有学生2218人，57个教学班，平均班额47人。"
            let pasted = try await client.execute(uri: "/reports/check", method: .post, headers: formType.merging(user.headers),
                                                  body: formBody([("_csrf", user.csrf), ("text", text)]))
            #expect(pasted.status == .ok)
            #expect(pasted.text.contains("average_mismatch"))
            let file = try await client.execute(uri: "/reports/check", method: .post, headers: formType.merging(user.headers),
                                                body: formBody([("_csrf", user.csrf), ("filename", "report.txt"),
                                                                ("file", Data(text.utf8).base64EncodedString())]))
            #expect(file.text.contains("average_mismatch"))
            #expect(file.text.contains("report.txt"))
            let corrupt = try await client.execute(uri: "/reports/check", method: .post, headers: formType.merging(user.headers),
                                                   body: formBody([("_csrf", user.csrf), ("filename", "坏.docx"),
                                                                   ("file", Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3]).base64EncodedString())]))
            #expect(corrupt.status == .unprocessableContent)
        }
    }
}
