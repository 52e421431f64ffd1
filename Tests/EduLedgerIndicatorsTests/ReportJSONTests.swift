import EduLedgerCore
import Foundation
import Testing
@testable import EduLedgerIndicators

/// The hand-written JSON must be exactly what `JSONEncoder` wrote before it (the CLI's and the
/// API's consumers parse it, and a diff between two runs must stay meaningful).
@Suite("Indicator report JSON")
struct ReportJSONTests {
    static func encoded(_ report: IndicatorReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(report))
    }

    @Test("the demo district's five years: the same bytes as JSONEncoder")
    func demoReport() throws {
        let report = DemoIndicators.shared.report
        #expect(report.values.count > 10_000)
        #expect(try Self.encoded(report) == report.jsonBytes())
    }

    @Test("escapes, optional fields, awkward numbers and empty lists as JSONEncoder writes them")
    func edgeCases() throws {
        let unit = ReportingUnit(kind: .school, key: "a/b\"c\\d", name: "第一\n小学\t\u{01}\u{1F}é")
        let definition = IndicatorDefinition(
            id: "x", nameZH: "测试", nameEN: "Test", category: "规模", numerator: "n", denominator: nil,
            reference: .stock, records: "r", factor: .percent, precision: 2, levels: [], standard: "≤ 0.50")
        let numbers: [Double] = [0, -0.0, 1, -1, 0.1, 1e-6, -6.267361040188102e-06, 123456789012345, 1e15, 1e16, 2.5e300,
                                 1.0 / 3.0, 45.3, 99.99999999999999]
        var values = numbers.map { n in
            IndicatorValue(indicatorID: "x", year: 2026, unit: unit, numerator: n, denominator: n, value: n, previous: n, change: n)
        }
        values.append(IndicatorValue(indicatorID: "x", year: 2025, unit: unit, numerator: 3, denominator: nil, value: nil))
        let report = IndicatorReport(definitions: [definition], units: [unit], years: [2025, 2026], values: values)
        #expect(try Self.encoded(report) == report.jsonBytes())
        let empty = IndicatorReport(definitions: [], units: [], years: [], values: [])
        #expect(try Self.encoded(empty) == empty.jsonBytes())
    }

    @Test("chunks concatenate to the whole text")
    func chunks() {
        let report = DemoIndicators.shared.report
        var pieces = 0
        var all: [UInt8] = []
        report.writeJSON(chunkSize: 4096) { pieces += 1; all.append(contentsOf: $0) }
        #expect(pieces > 10)
        #expect(all == report.jsonBytes())
    }
}
