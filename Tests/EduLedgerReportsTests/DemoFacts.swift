import EduLedgerCore
import EduLedgerDemo
import EduLedgerIndicators
@testable import EduLedgerReports

/// The demo district in memory (no database), with its statistics, built once for the suite.
enum DemoFacts {
    static let facts: IndicatorFacts = DemoGenerator(seed: 20_260_901, scale: .district).indicatorFacts(years: 2022...2026)
    static let generator = ReportGenerator(facts: facts)

    static func district() throws -> ReportingUnit {
        guard let d = generator.district else { throw DemoFactsError.noDistrict }
        return d
    }

    enum DemoFactsError: Error { case noDistrict }
}
