import EduLedgerCore
import EduLedgerIndicators
import Testing
@testable import EduLedgerReports

@Suite("The default annual summary covers what the system records, and every figure computes on the demo district")
struct DefaultTemplateTests {
    let generator = DemoFacts.generator

    @Test("no figure of the district's 2026 summary is missing, and nothing is noted as not computed")
    func everyFigureComputes() throws {
        let doc = try generator.generate(text: DefaultTemplates.annualSummary, year: 2026, unit: try #require(generator.district))
        #expect(doc.notes.isEmpty, "\(doc.notes)")
        // The per-school table lists every school, and a kindergarten or a senior high school has no
        // 义务教育 class size: those cells alone may print 无数据.
        let day = SchoolYear(2026).referenceDate
        let compulsory = Set(DemoFacts.facts.enrolments.filter { $0.covers(day) && ($0.grade.stage == .primary || $0.grade.stage == .junior) }
            .map(\.schoolID))
        let codes = Set(DemoFacts.facts.schools.filter { compulsory.contains($0.id) }.map(\.code))
        for f in doc.figures where f.unit.kind != .school || codes.contains(f.unit.key) {
            #expect(f.value != nil, "\(f.id) \(f.source) has no value")
            #expect(!f.text.contains("无数据") && !f.text.contains("无可比") && f.text != "—", "\(f.id) \(f.source): \(f.text)")
        }
        let ids = Set(doc.figures.map(\.indicatorID))
        for id in ["draws.held", "draws.schools", "draws.pupils", "draws.classes", "draws.public_seed_rate", "draws.verifiable_rate",
                   "cases.petitions.received", "cases.petitions.reply_rate", "cases.petitions.satisfaction", "cases.proposals.received",
                   "cases.proposals.meeting_rate", "cases.proposals.reply_rate", "cases.proposals.satisfaction", "cases.on_time_rate",
                   "cases.hazards.found", "cases.notices.issued", "cases.hazards.rectification_rate", "cases.licences.on_time_rate",
                   "cases.violations.refunds"] {
            #expect(ids.contains(id), "\(id) not in the default template")
        }
    }

    @Test("the class-draw section counts the demo draw: one draw, its pupils and classes, seeded in public, verifiable")
    func drawSection() throws {
        let draw = try #require(DemoFacts.facts.draws.first)
        #expect(DemoFacts.facts.draws.count == 1)
        let doc = try generator.generate(text: DefaultTemplates.annualSummary, year: 2026, unit: try #require(generator.district))
        func value(_ id: String) -> Double? { doc.figures.first { $0.indicatorID == id }?.value }
        #expect(value("draws.held") == 1)
        #expect(value("draws.schools") == 1)
        #expect(value("draws.pupils") == Double(draw.studentCount))
        #expect(value("draws.classes") == Double(draw.classCount))
        #expect(value("draws.public_seed_rate") == 100)
        #expect(value("draws.verifiable_rate") == 100)
        // At the draw's school's township the draw counts; at another township it does not.
        let school = try #require(DemoFacts.facts.schools.first { $0.id == draw.schoolID })
        let home = try #require(generator.unit(township: school.townshipID))
        let other = try #require(generator.engine.units.first { $0.kind == .township && $0 != home })
        let text = "{随机编班次数}"
        #expect(try generator.generate(text: text, year: 2026, unit: home).figures.first?.value == 1)
        #expect(try generator.generate(text: text, year: 2026, unit: other).figures.first?.value == 0)
    }

    @Test("casework figures equal the demo year's cases")
    func caseworkSection() throws {
        let cases = DemoFacts.facts.cases
        #expect(!cases.isEmpty)
        let doc = try generator.generate(text: DefaultTemplates.annualSummary, year: 2026, unit: try #require(generator.district))
        func value(_ id: String) -> Double? { doc.figures.first { $0.indicatorID == id }?.value }
        #expect(value("cases.petitions.received") == Double(cases.filter { $0.kind == "petition" && $0.receivedOn.year == 2026 }.count))
        #expect(value("cases.hazards.found") == Double(cases.filter { $0.kind == "hazard" }.count))
        #expect(value("cases.notices.issued") == Double(Set(cases.flatMap { $0.notices.map(\.number) }).count))
        let replied = cases.filter { $0.kind == "petition" && $0.firstTaken["reply"] != nil }.count
        let petitions = cases.filter { $0.kind == "petition" }.count
        #expect(value("cases.petitions.reply_rate").map { abs($0 - Double(replied) / Double(petitions) * 100) < 1e-9 } == true)
    }

    @Test("the picker offers the class-draw and casework indicators by their Chinese names")
    func picker() {
        let names = Set(ReportVocabulary.entries.map(\.name))
        for name in ["随机编班次数", "开展随机编班学校数", "随机编班学生数", "编班种子现场公开输入率", "编班结果可核验率", "受理信访件数", "按期办结率"] {
            #expect(names.contains(name), "\(name) not in the picker")
        }
    }
}
