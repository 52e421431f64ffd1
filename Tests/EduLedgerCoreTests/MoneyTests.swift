import Foundation
import Testing
@testable import EduLedgerCore

@Suite("金额 Money")
struct MoneyTests {
    @Test func parsesYuan() throws {
        #expect(try Money(yuan: "1234.56").fen == 123_456)
        #expect(try Money(yuan: "1,234.5").fen == 123_450)
        #expect(try Money(yuan: "1,234,567").fen == 123_456_700)
        #expect(try Money(yuan: " 280 ").fen == 28_000)
        #expect(try Money(yuan: "280元").fen == 28_000)
        #expect(try Money(yuan: "-3.30").fen == -330)
        #expect(try Money(yuan: "+0.01").fen == 1)
        #expect(try Money(yuan: "-0").fen == 0)
        // Extra decimals are fine when they are zeros: nothing is rounded.
        #expect(try Money(yuan: "3.3000").fen == 330)
    }

    @Test func yuanWithMoreThanTwoDecimalsIsNotWholeFen() {
        #expect(throws: MoneyError.notWholeFen("-3.308", unit: .yuan)) { try Money(yuan: "-3.308") }
        #expect(throws: MoneyError.notWholeFen("0.001", unit: .yuan)) { try Money(yuan: "0.001") }
        let error = MoneyError.notWholeFen("-3.308", unit: .yuan)
        #expect(error.code == "money.not_whole_fen")
        #expect(error.message.contains("最多只能有2位小数"))
    }

    @Test func parsesWanyuanExactly() throws {
        #expect(try Money(wanyuan: "314.832").fen == 314_832_000)         // 3 148 320.00 元
        #expect(try Money(wanyuan: "3.308").fen == 3_308_000)
        #expect(try Money(wanyuan: "251.5263万元").fen == 251_526_300)
        #expect(try Money(wanyuan: "0.000001").fen == 1)                  // one 分
        #expect(throws: MoneyError.notWholeFen("0.0000001", unit: .wanyuan)) { try Money(wanyuan: "0.0000001") }
        #expect(try Money("1.5", unit: .yiyuan).fen == 15_000_000_000)
        #expect(try Money("1.5亿元", unit: .yiyuan) == (try Money(wanyuan: "15000")))
    }

    @Test func rejectsMalformedText() {
        #expect(throws: MoneyError.empty) { try Money(yuan: "") }
        #expect(throws: MoneyError.empty) { try Money(yuan: "   ") }
        for bad in ["abc", "1.2.3", ".5", "5.", "12,34", "1,2345", ",123", "1 234", "--1", "1e3", "１２", "3.308万元", "¥12", "1.5元元"] {
            #expect(throws: MoneyError.invalidFormat(bad), "\(bad)") { try Money(yuan: bad) }
        }
        #expect(MoneyError.invalidFormat("abc").code == "money.format")
        #expect(MoneyError.invalidFormat("abc").message.contains("“abc”"))
    }

    @Test func rejectsOutOfRangeInsteadOfTrapping() {
        #expect(throws: MoneyError.outOfRange("92233720368547758.08")) { try Money(yuan: "92233720368547758.08") }
        #expect(throws: MoneyError.outOfRange("99999999999999999999")) { try Money(yuan: "99999999999999999999") }
        #expect(throws: MoneyError.outOfRange("1000000000")) { try Money("1000000000", unit: .yiyuan) }
        #expect((try? Money(yuan: "92233720368547758.07"))?.fen == Int64.max)
    }

    @Test func arithmetic() throws {
        let standard = try Money(yuan: "280")
        #expect(standard * 11244 == (try Money(wanyuan: "314.832")))
        #expect(try standard.multiplied(by: 11244) == standard * 11244)
        #expect(try Money(yuan: "1.10") + Money(yuan: "2.20") == (try Money(yuan: "3.30")))  // no 3.3000000000000003
        #expect(try Money(yuan: "1") - Money(yuan: "1.01") == Money(fen: -1))
        #expect(-Money(fen: 5) == Money(fen: -5))
        #expect(Money.zero == Money(fen: 0))
        #expect(Money(fen: -1) < Money.zero)
        #expect(try Money.sum([Money(fen: 1), Money(fen: 2), Money(fen: 3)]) == Money(fen: 6))
        #expect(throws: MoneyError.overflow) { try Money(fen: Int64.max / 2 + 1).multiplied(by: 2) }
        #expect(throws: MoneyError.overflow) { try Money(fen: Int64.max).adding(Money(fen: 1)) }
        #expect(throws: MoneyError.overflow) { try Money.sum([Money(fen: Int64.max), Money(fen: 1)]) }
    }

    @Test func formatsInEachUnit() throws {
        let m = try Money(wanyuan: "314.832")
        #expect(m.amount(in: .yuan, decimals: 2) == "3148320.00")
        #expect(m.amount(in: .yuan, decimals: 2, grouping: true) == "3,148,320.00")
        #expect(m.text(in: .yuan, decimals: 2) == "3148320.00元")
        #expect(m.text(in: .wanyuan, decimals: 3) == "314.832万元")
        #expect(m.text(in: .wanyuan, decimals: 2) == "314.83万元")
        #expect(m.text(in: .wanyuan, decimals: 0) == "315万元")
        #expect(m.text(in: .wanyuan, decimals: 8) == "314.83200000万元")
        #expect(m.text(in: .yiyuan, decimals: 4) == "0.0315亿元")
        #expect(m.description == "3148320.00元")
        #expect(Money(fen: 5).text(in: .yuan, decimals: 1) == "0.1元")
        #expect(Money(fen: 123_456_789_00).amount(in: .yuan, decimals: 0, grouping: true) == "123,456,789")
        #expect(Money(fen: 12_345_600).amount(in: .yuan, decimals: 0, grouping: true) == "123,456")
    }

    @Test func roundsHalfAwayFromZero() {
        #expect(Money(fen: 5).amount(in: .yuan, decimals: 1) == "0.1")
        #expect(Money(fen: 4).amount(in: .yuan, decimals: 1) == "0.0")
        #expect(Money(fen: 15).amount(in: .yuan, decimals: 1) == "0.2")
        #expect(Money(fen: 25).amount(in: .yuan, decimals: 1) == "0.3")   // not banker's rounding
        #expect(Money(fen: -5).amount(in: .yuan, decimals: 1) == "-0.1")
        #expect(Money(fen: -4).amount(in: .yuan, decimals: 1) == "0.0")   // no "-0.0"
        #expect(Money(fen: -330_800).text(in: .wanyuan, decimals: 2) == "-0.33万元")
        #expect(Money(fen: -3_308_000).text(in: .wanyuan, decimals: 3, grouping: true) == "-3.308万元")
        #expect(Money(fen: Int64.min).amount(in: .yuan, decimals: 2) == "-92233720368547758.08")
        #expect(Money(fen: Int64.max).amount(in: .yiyuan, decimals: 0) == "922337204")
    }

    @Test func codableAsIntegerFen() throws {
        let data = try JSONEncoder().encode([try Money(yuan: "1234.56")])
        #expect(String(decoding: data, as: UTF8.self) == "[123456]")
        #expect(try JSONDecoder().decode([Money].self, from: data) == [Money(fen: 123_456)])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Money].self, from: Data("[1.5]".utf8)) }
    }

    /// The 两免一补 rows of one report: per-head standards × head counts. Printed to four decimals
    /// of 万元 row by row, they add up to 1226.9128 while the total is 1226.9125; the report
    /// itself printed rows adding up to 1226.9123. Largest remainder makes rows and total agree.
    @Test func roundedPartsAddUpToTheTotal() throws {
        let rows = [
            try Money(yuan: "280") * 11244,     // 城市小学
            try Money(yuan: "250") * 14313,     // 农村小学
            try Money(yuan: "417.50") * 7251,   // 城市初中
            try Money(yuan: "387.50") * 6491,   // 农村初中
        ]
        let naive = rows.map { $0.amount(in: .wanyuan, decimals: 4) }
        #expect(naive == ["314.8320", "357.8250", "302.7293", "251.5263"])
        let (parts, total) = Money.roundedParts(rows, unit: .wanyuan, decimals: 4)
        #expect(total == "1226.9125")
        #expect(parts == ["314.8320", "357.8250", "302.7293", "251.5262"])
        #expect(try Money.sum(parts.map { try Money(wanyuan: $0) }) == (try Money(wanyuan: total)))
    }

    @Test func roundedPartsSimpleCases() {
        // Three thirds of 1.00元 shown to whole 元: 0.33 + 0.33 + 0.34 → 0 + 0 + 1.
        let thirds = [Money(fen: 33), Money(fen: 33), Money(fen: 34)]
        #expect(Money.roundedParts(thirds, unit: .yuan, decimals: 0) == (["0", "0", "1"], "1"))
        // 1.4 + 1.4 + 1.4 = 4.2 → 4: one row must round up although each alone rounds down.
        let r = Money.roundedParts([Money(fen: 140), Money(fen: 140), Money(fen: 140)], unit: .yuan, decimals: 0)
        #expect(r.parts == ["2", "1", "1"])
        #expect(r.total == "4")
        // At the exact number of decimals nothing is rounded.
        let exact = Money.roundedParts([Money(fen: 1), Money(fen: 2)], unit: .yuan, decimals: 2)
        #expect(exact.parts == ["0.01", "0.02"])
        #expect(exact.total == "0.03")
        #expect(Money.roundedParts([], unit: .wanyuan, decimals: 2) == ([], "0.00"))
        #expect(Money.roundedParts([Money(fen: 123_456_789)], unit: .yuan, decimals: 0, grouping: true)
            == (["1,234,568"], "1,234,568"))
    }

    @Test func roundedPartsWithNegativeRows() {
        // A refund row: 10.00 − 3.35 + 0.40 = 7.05 元, shown to one decimal.
        let rows = [Money(fen: 1000), Money(fen: -335), Money(fen: 40)]
        let (parts, total) = Money.roundedParts(rows, unit: .yuan, decimals: 1)
        #expect(total == "7.1")
        #expect(parts == ["10.0", "-3.3", "0.4"])
        // All negative.
        let negative = Money.roundedParts([Money(fen: -15), Money(fen: -15)], unit: .yuan, decimals: 1)
        #expect(negative.total == "-0.3")
        #expect(negative.parts == ["-0.1", "-0.2"])
    }

    /// For many deterministic pseudo-random row sets: the printed rows add up exactly to the
    /// printed total, the total is the exact sum rounded half away from zero, and every row is
    /// less than one printed step away from its exact value.
    @Test func roundedPartsPropertyHolds() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {  // SplitMix64: deterministic, no system RNG
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0..<500 {
            let count = Int(next() % 8)
            let rows = (0..<count).map { _ in Money(fen: Int64(next() % 2_000_000_000) - 400_000_000) }
            let unit = MoneyUnit.allCases[Int(next() % 3)]
            let decimals = Int(next() % UInt64(unit.exactDecimals + 1))
            let (parts, total) = Money.roundedParts(rows, unit: unit, decimals: decimals)
            let printedSum = try Money.sum(parts.map { try Money($0, unit: unit) })
            #expect(printedSum == (try Money(total, unit: unit)))
            #expect(total == rows.reduce(Money.zero, +).amount(in: unit, decimals: decimals))
            let step = unit.fenPerUnit / Money.power(decimals)
            for (row, part) in zip(rows, parts) {
                #expect(abs((try Money(part, unit: unit)).fen - row.fen) < step)
            }
        }
    }
}
