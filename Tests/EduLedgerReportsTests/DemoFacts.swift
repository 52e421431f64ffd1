import EduLedgerCore
import EduLedgerDemo
import EduLedgerIndicators
@testable import EduLedgerReports

/// The demo district in memory (no database), with its statistics, built once for the suite.
enum DemoFacts {
    static let facts: IndicatorFacts = DemoGenerator(seed: 20_260_901, scale: .district).indicatorFacts(years: 2022...2026)
    static let generator = ReportGenerator(facts: facts)
}
