import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// Issue 7's "done when" for what H18 added: the picker finds the class-draw indicators, the
/// preview draws a chart, the default template generates as HTML and .docx with its charts and
/// its draw and casework sections, and a draw figure traces to the draw.
@Suite("Report charts and class-draw figures in the browser")
struct ReportChartWebTests {
    static let district = "district:431102"

    @Test("picker, chart preview, default report with charts, draw figure traced to the draw", arguments: TestBackend.available)
    func chartsAndDraws(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let actor = ActingUser(login: "registrar-x", displayName: "学籍管理员")
            let draws = SQLDrawStore(database: db)
            let d = try await draws.create(schoolID: world.district.primary.id, year: SmallDistrict.year, grade: .p1, classCount: 2,
                                           columnsJSON: "{}", by: actor)
            _ = try await draws.setRoster(d.id, fileName: "a.csv", file: Data("学籍号,姓名,性别,成绩\n1,甲,男,90\n2,乙,女,80\n".utf8),
                                          hash: "h1", studentCount: 2, columnsJSON: "{}", classCount: 2, by: actor)
            _ = try await draws.publish(d.id, by: actor)
            _ = try await draws.addSeedPart(d.id, value: "12", enteredBy: "家长甲", capacity: "家长代表", by: actor)
            _ = try await draws.fixSeed(d.id, seed: "12", by: actor)
            _ = try await draws.assign(d.id, recordJSON: #"{"record":{"rosterHash":"h1","settings":{"seed":"12"},"seedParts":["12"]}}"#, by: actor)

            let clerk = try await logIn(client, .basicEducation)
            let picker = try await client.execute(uri: "/reports/indicators?q=%E7%BC%96%E7%8F%AD", method: .get, headers: clerk.headers)
            #expect(picker.status == .ok)
            #expect(picker.text.contains("随机编班次数") && picker.text.contains("编班结果可核验率"))

            let body = "@图表 柱状 {在校生数 学段=小学 年数=2}\n全年组织随机编班{随机编班次数}，{随机编班学生数}。"
            let preview = try await client.execute(uri: "/reports/preview", method: .post, headers: formType.merging(clerk.headers),
                                                   body: formBody([("_csrf", clerk.csrf), ("body", body), ("year", "2025"),
                                                                   ("unit", Self.district)]))
            #expect(preview.status == .ok)
            #expect(preview.text.contains("\"errors\":[]"))
            #expect(preview.text.contains("<svg"))
            #expect(preview.text.contains("1次") && preview.text.contains("2人"))
            let wrong = try await client.execute(uri: "/reports/preview", method: .post, headers: formType.merging(clerk.headers),
                                                 body: formBody([("_csrf", clerk.csrf), ("body", "正文\n@图表 饼图 {在校生数 学段=小学}"),
                                                                 ("year", "2025"), ("unit", Self.district)]))
            #expect(wrong.text.contains("\"line\":2") && wrong.text.contains("\"column\":5") && wrong.text.contains("柱状或折线"))

            let page = try await client.execute(uri: "/reports/generate?template=default&year=2025&unit=\(Self.district)", method: .get,
                                                headers: clerk.headers)
            #expect(page.status == .ok)
            #expect(page.text.components(separatedBy: "<svg ").count == 3)
            // The figures are links: compare the text without the tags.
            let plain = page.text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            #expect(plain.contains("共有1所学校组织新生随机编班1次，2名新生"))
            let docx = try await client.execute(uri: "/reports/generate?template=default&year=2025&unit=\(Self.district)&format=docx",
                                                method: .get, headers: clerk.headers)
            #expect(docx.status == .ok)
            #expect(Data(buffer: docx.body).starts(with: [0x50, 0x4B, 0x03, 0x04]))

            let trace = try await client.execute(uri: "/reports/trace?indicator=draws.held&unit=\(Self.district)&year=2025",
                                                 method: .get, headers: clerk.headers)
            #expect(trace.status == .ok)
            #expect(trace.text.contains("/draws/\(d.id)"))
        }
    }
}
