import EduLedgerCore
import EduLedgerDemo
import EduLedgerIndicators
@testable import EduLedgerReports

/// The demo district in memory (no database), with its statistics, built once for the suite.
enum DemoFacts {
    static let facts: IndicatorFacts = {
        let generator = DemoGenerator(seed: 20_260_901, scale: .district)
        var run = generator.makeRun()
        var statistics = DemoStatistics(generator: generator)
        var facts = IndicatorFacts(years: 2022...2026)
        while let b = run.nextBatch() {
            statistics.add(b)
            if let d = b.districts.first { facts.district = d }
            facts.townships += b.townships
            facts.zones += b.zones
            facts.schools += b.schools
            facts.classes += b.classes
            facts.students += b.students.map(StudentFact.init)
            facts.enrolments += b.enrolments
            facts.staff += b.staff.map(StaffFact.init)
        }
        let stats = statistics.makeBatch()
        facts.population = stats.population
        facts.resources = stats.resources
        return facts
    }()
    static let generator = ReportGenerator(facts: facts)
}
