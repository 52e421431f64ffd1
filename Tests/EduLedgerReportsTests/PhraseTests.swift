import EduLedgerCore
import EduLedgerIndicators
import Testing
@testable import EduLedgerReports

@Suite("Comparison phrases in the genre's words")
struct PhraseTests {
    let rate = IndicatorEngine.definition("retention_rate.junior")!
    let count = IndicatorEngine.definition("students.primary")!

    @Test("rates: 提高/下降 N个百分点, 持平 when the printed values are equal")
    func rates() {
        #expect(ReportPhrases.change(98.5, previous: 94.5, rate) == "比上年提高4.00个百分点")
        #expect(ReportPhrases.change(97.25, previous: 97.5, rate, decimals: 1) == "比上年下降0.2个百分点")
        #expect(ReportPhrases.change(97.251, previous: 97.249, rate) == "与上年持平")
        #expect(ReportPhrases.change(97.0, previous: nil, rate) == "上年无可比数据")
    }

    @Test("counts: 增加/减少 N人, 增长/下降 N% with 增幅, 持平")
    func counts() {
        #expect(ReportPhrases.change(24341, previous: 24000, count) == "比上年增加341人")
        #expect(ReportPhrases.change(23000, previous: 24000, count) == "比上年减少1000人")
        #expect(ReportPhrases.change(25200, previous: 24000, count, growth: true) == "比上年增长5.0%")
        #expect(ReportPhrases.change(22800, previous: 24000, count, growth: true) == "比上年下降5.0%")
        #expect(ReportPhrases.change(24000, previous: 24000, count, growth: true) == "与上年持平")
    }

    @Test("逐年提升 only when every year rose; otherwise the series itself")
    func trend() {
        let rising = ReportPhrases.trend([(2024, 96.1), (2025, 97.0), (2026, 98.5)], rate, decimals: 1)
        #expect(rising == "连续3年逐年提升（2024—2026年分别为96.1%、97.0%、98.5%）")
        let mixed = ReportPhrases.trend([(2024, 96.1), (2025, 98.0), (2026, 97.5)], rate, decimals: 1)
        #expect(!mixed.contains("逐年"))
        #expect(mixed == "2024—2026年分别为96.1%、98.0%、97.5%")
        // Equal when printed is not a rise.
        let flat = ReportPhrases.trend([(2024, 97.01), (2025, 97.04), (2026, 97.5)], rate, decimals: 1)
        #expect(!flat.contains("逐年"))
        #expect(ReportPhrases.trend([(2024, nil), (2025, 1), (2026, 2)], rate) == "近3年数据不全")
        #expect(ReportPhrases.trend([(2025, 20000), (2026, 19000)], count).hasPrefix("连续2年逐年减少"))
    }

    @Test("money parts add to the printed total (the seed's 1226.9123 vs 1226.9125万元)")
    func moneyParts() throws {
        let parts = [try Money(wanyuan: "314.832"), try Money(wanyuan: "401.23456"), try Money(wanyuan: "310.44449"),
                     try Money(wanyuan: "200.39925")]
        let printed = Money.roundedParts(parts, unit: .wanyuan, decimals: 2)
        let sum = printed.parts.compactMap { try? Money(wanyuan: $0) }.reduce(Money.zero, +)
        #expect(sum == (try Money(wanyuan: printed.total)))
        #expect(printed.total == "1226.91")
    }
}
