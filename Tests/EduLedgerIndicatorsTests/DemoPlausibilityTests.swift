import EduLedgerCore
import EduLedgerDemo
import Testing
@testable import EduLedgerIndicators

/// The demo district generated in memory (no database) with its statistics, computed once.
struct DemoIndicators: Sendable {
    static let shared = DemoIndicators()
    let report: IndicatorReport
    let engine: IndicatorEngine

    init() {
        let facts = DemoGenerator(seed: 20_260_901, scale: .district).indicatorFacts(years: 2022...2026)
        engine = IndicatorEngine(facts: facts)
        report = (try? engine.compute()) ?? IndicatorReport(definitions: [], units: [], years: [], values: [])
    }
}

@Suite("Plausibility on the demo district, five years")
struct DemoPlausibilityTests {
    let report = DemoIndicators.shared.report

    /// Asserts the district value lies in `range` for each year (nil years: undefined expected).
    func expect(_ id: String, _ range: ClosedRange<Double>, years: ClosedRange<Int> = 2022...2026,
                sourceLocation: SourceLocation = #_sourceLocation) {
        for y in years {
            let v = report.value(id, year: y)?.value
            #expect(v.map { range.contains($0) } ?? false, "\(id) \(y) = \(String(describing: v))", sourceLocation: sourceLocation)
        }
    }

    @Test("headcounts and class sizes")
    func scale() {
        expect("students.total", 38_000...46_000)
        expect("students.primary", 16_000...23_000)
        expect("students.junior", 7_500...11_000)
        expect("class_size.primary", 30...46)
        expect("class_size.junior", 35...52)
        expect("large_classes_share.compulsory", 0...8)
        // 超大班额 only in the first year (one 六年级 and one 九年级 class), none from the third.
        #expect(report.value("huge_classes.compulsory", year: 2022)?.value ?? 0 >= 1)
        #expect(report.value("huge_classes.compulsory", year: 2026)?.value == 0)
        let byStage = Stage.allCases.compactMap { report.value("students.\($0.key)", year: 2026)?.value }.reduce(0, +)
        #expect(byStage == report.value("students.total", year: 2026)?.value)
    }

    @Test("入学率 near but not always 100%, 入园率 near 85%")
    func access() {
        expect("enrolment_rate.primary", 97...100.5)
        expect("enrolment_rate.junior", 95...100.5)
        expect("preschool_rate.three_year", 70...98)
        expect("disabled_enrolment_rate", 85...100)
        let townships = report.values.filter { $0.indicatorID == "enrolment_rate.primary" && $0.unit.kind == .township }
        #expect(townships.contains { $0.value == 100 })
        #expect(townships.contains { ($0.value ?? 100) < 100 })
    }

    @Test("flows: dropout low, graduation and transition high, cohort retention plausible")
    func flows() {
        // The first year's flows would cover 2021–22, which has no records: undefined.
        #expect(report.value("dropout_rate.junior", year: 2022)?.value == nil)
        expect("dropout_rate.primary", 0...0.3, years: 2023...2026)
        expect("dropout_rate.junior", 0...1, years: 2023...2026)
        expect("graduation_rate.primary", 95...100, years: 2023...2026)
        expect("progression_rate.primary", 90...100, years: 2023...2026)
        expect("progression_rate.junior", 70...95, years: 2023...2026)
        #expect(report.value("retention_rate.junior", year: 2023)?.value == nil)
        expect("retention_rate.junior", 85...100, years: 2024...2026)
        expect("retention_rate.nine_year", 75...100, years: 2023...2026)
        expect("uis.promotion.p3", 93...100, years: 2023...2026)
    }

    @Test("teachers and balance")
    func teachersAndBalance() {
        expect("pupil_teacher_ratio", 9...20)
        expect("teacher_qualification_rate.primary", 85...100)
        for item in BalanceItem.allCases {
            expect(item.cvID(.primary), 0.01...0.65)
            expect(item.cvID(.junior), 0.01...0.65)
        }
        expect("balance.primary.schools_passing", 5...100)
    }

    @Test("drill-down lists exactly the records counted")
    func drillMatches() throws {
        let engine = DemoIndicators.shared.engine
        let district = try engine.unit(kind: .district, key: nil)
        for id in ["students.junior", "dropout_rate.junior", "class_size.primary", "enrolment_rate.primary"] {
            let v = try #require(report.value(id, year: 2025))
            let drill = try engine.drillDown(indicatorID: id, unit: district, year: 2025)
            #expect(Double(drill.numerator.count) == v.numerator, "\(id)")
            if let den = v.denominator, id != "class_size.primary", id != "enrolment_rate.primary" {
                #expect(Double(drill.denominator.count) == den, "\(id)")
            }
        }
    }
}
