import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// The statistics dashboards: scope, definitions beside figures, drill-down, exports and charts.
@Suite("Indicator dashboards")
struct DashboardIndicatorsTests {
    @Test("SVG charts: escaped labels, one bar per unit, gaps for undefined figures, no external reference")
    func charts() throws {
        let chart = SVGChart(title: "生均图书 <测试> & “引号”", unit: "册")
        let bars = chart.bars(labels: ["东城第一小学", "王家镇中心小学", "李村<小学>"], values: [12.5, nil, 30], highlight: [0], limit: 20, limitLabel: "标准 ")
        #expect(bars.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(bars.hasSuffix("</svg>"))
        #expect(bars.components(separatedBy: "<rect x=").count - 1 == 2)   // two defined bars (the background rect has no x)
        #expect(bars.contains("李村&lt;小学&gt;") && !bars.contains("李村<小学>"))
        #expect(bars.contains("生均图书 &lt;测试&gt; &amp;"))
        #expect(bars.contains("fill=\"#a4262c\""))                          // the highlighted bar
        #expect(bars.contains(">无<"))                                       // the undefined figure
        #expect(!bars.contains("http://") || bars.components(separatedBy: "http://").count == 2) // only the namespace
        let lines = chart.lines(xLabels: ["2022年", "2023年", "2024年"], series: [.init(name: "全区", values: [1, nil, 3])])
        #expect(!lines.contains("<polyline"))                                // a gap splits the line into single points
        #expect(lines.components(separatedBy: "<circle").count - 1 == 2)
        #expect(chart.niceMax(83) == 100 && chart.niceMax(0.42) == 0.5 && chart.niceMax(2_300) == 2_500)
    }

    @Test("the district at a glance, tables with export, drill-down and charts", arguments: TestBackend.available)
    func districtPages(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, _ in
            let admin = try await logIn(client, .admin)
            let overview = try await client.execute(uri: "/indicators?category=规模".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "",
                                                    method: .get, headers: admin.headers)
            #expect(overview.status == .ok)
            #expect(overview.text.contains("在校生总数") || overview.text.contains("在校生"))
            #expect(overview.text.contains("<details class=\"def\">") && overview.text.contains("基准"))
            #expect(overview.text.contains("/indicators/chart.svg?"))
            let table = try await client.execute(uri: "/indicators/table?level=school&sort=students.total&dir=desc", method: .get, headers: admin.headers)
            #expect(table.status == .ok)
            // Sorted by 在校生 descending: the other school (1 pupil) and the primary (1 pupil) — both listed.
            #expect(table.text.contains(world.district.primary.name) && table.text.contains(world.otherSchool.name))
            let csv = try await client.execute(uri: "/indicators/table?level=school&format=csv", method: .get, headers: admin.headers)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(csv.text.contains("单位") && csv.text.contains(world.otherSchool.name))
            let xlsx = try await client.execute(uri: "/indicators/table?level=township&format=xlsx", method: .get, headers: admin.headers)
            #expect(xlsx.status == .ok)
            #expect(Array(xlsx.body.readableBytesView.prefix(2)) == [0x50, 0x4B])   // a ZIP package
            let drill = try await client.execute(
                uri: "/indicators/drill?indicator=students.total&unit=school:\(world.district.primary.code)&year=2025", method: .get, headers: admin.headers)
            #expect(drill.status == .ok)
            #expect(drill.text.contains(world.student.name) && drill.text.contains("分子记录（1条）"))
            // Every record of the side as a file, 学籍号 and name in their own columns.
            let drillBase = "/indicators/drill?indicator=students.total&unit=school:\(world.district.primary.code)&year=2025&side=numerator"
            #expect(drill.text.contains("format=csv") && drill.text.contains("format=xlsx"))
            let drillCSV = try await client.execute(uri: drillBase + "&format=csv", method: .get, headers: admin.headers)
            #expect(drillCSV.status == .ok && drillCSV.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(drillCSV.text.contains("类别,编号,名称或说明")
                    && drillCSV.text.contains("学生,\(world.student.studentNumber),\(world.student.name)"))
            let drillXLSX = try await client.execute(uri: drillBase + "&format=xlsx", method: .get, headers: admin.headers)
            #expect(drillXLSX.status == .ok && Array(drillXLSX.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
            let drillBad = try await client.execute(uri: drillBase + "&format=pdf", method: .get, headers: admin.headers)
            #expect(drillBad.status == .badRequest)
            let svg = try await client.execute(uri: "/indicators/chart.svg?indicator=students.total&level=school&year=2025&download=1",
                                               method: .get, headers: admin.headers)
            #expect(svg.status == .ok && svg.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
            #expect(svg.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(svg.text.contains(world.otherSchool.name))
            let balance = try await client.execute(uri: "/indicators/balance?stage=primary", method: .get, headers: admin.headers)
            #expect(balance.status == .ok && balance.text.contains("差异系数"))
            let balanceCSV = try await client.execute(uri: "/indicators/balance?stage=primary&format=csv", method: .get, headers: admin.headers)
            #expect(balanceCSV.status == .ok && balanceCSV.text.contains("差异系数（限值0.50）") && balanceCSV.text.contains("达标项,结论"))
            #expect(balance.text.contains("format=xlsx"))
            // The API: definitions, values and the drill-down with the same scope.
            let defs = try await client.execute(uri: "/api/v1/indicators", method: .get, headers: admin.headers)
            #expect(defs.status == .ok && defs.text.contains("\"denominator\""))
            let apiDrill = try await client.execute(
                uri: "/api/v1/indicators/drill?indicator=students.total&unit=school:\(world.otherSchool.code)&year=2025", method: .get, headers: admin.headers)
            #expect(apiDrill.status == .ok && apiDrill.text.contains(world.otherStudent.name))
            // An empty denominator is undefined, never 0% or 100%.
            let rate = try await client.execute(uri: "/api/v1/indicators/values?indicator=dropout_rate.junior&year=2025", method: .get, headers: admin.headers)
            // (JSON leaves an undefined value out, like every other absent optional.)
            #expect(rate.status == .ok && !rate.text.contains("\"value\":") && rate.text.contains("\"text\":\"无定义"))
        }
    }

    @Test("a school sees itself; other schools and the district are not found", arguments: TestBackend.available)
    func scope(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, _ in
            let principal = try await logIn(client, .principal)
            let own = try await client.execute(uri: "/indicators", method: .get, headers: principal.headers)
            #expect(own.status == .ok && own.text.contains(world.district.primary.name))
            for uri in ["/indicators?unit=school:\(world.otherSchool.code)",
                        "/indicators/drill?indicator=students.total&unit=school:\(world.otherSchool.code)&year=2025",
                        "/indicators/chart.svg?indicator=students.total&unit=school:\(world.otherSchool.code)",
                        "/api/v1/indicators/values?unit=school:\(world.otherSchool.code)"] {
                let r = try await client.execute(uri: uri, method: .get, headers: principal.headers)
                #expect(r.status == .notFound, "\(uri)")
            }
            let values = try await client.execute(uri: "/api/v1/indicators/values?level=school&indicator=students.total", method: .get,
                                                  headers: principal.headers)
            #expect(values.status == .ok && !values.text.contains(world.otherSchool.code))
            // A safety officer reads figures but not the pupils' names behind them.
            let safety = try await logIn(client, .safetyOfficer)
            let drill = try await client.execute(
                uri: "/indicators/drill?indicator=students.total&unit=school:\(world.district.primary.code)&year=2025", method: .get, headers: safety.headers)
            #expect(drill.status == .ok && !drill.text.contains(world.student.name) && drill.text.contains("学生 #"))
            // …nor in the exported file.
            let hiddenCSV = try await client.execute(
                uri: "/indicators/drill?indicator=students.total&unit=school:\(world.district.primary.code)&year=2025&format=csv",
                method: .get, headers: safety.headers)
            #expect(hiddenCSV.status == .ok && !hiddenCSV.text.contains(world.student.name) && hiddenCSV.text.contains("学生 #"))
            let otherCSV = try await client.execute(
                uri: "/indicators/drill?indicator=students.total&unit=school:\(world.otherSchool.code)&year=2025&format=csv",
                method: .get, headers: principal.headers)
            #expect(otherCSV.status == .notFound)
        }
    }
}
