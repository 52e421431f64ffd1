import Benchmark
import EduLedgerCore

/// Bulk imports validate every resident ID number of a spreadsheet (a district has up to
/// 150 000 students, a province ten million), so `ResidentID.validate` should stay above ten
/// million numbers per second on one core and must not allocate.
///
/// Every benchmark runs `scalingFactor` (1 000) inner iterations per measurement, one operation
/// each; the reported figures are per operation, so throughput is operations per second.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3)
    )

    // 1 000 valid numbers of realistic shape, built once outside the measurement.
    let regions = ["320106", "510104", "440305", "110105", "650102"]
    let ids: [String] = (0..<1_000).compactMap { i in
        ResidentID.make(regionCode: regions[i % regions.count],
                        birthDate: CivilDate(dayNumber: 14_000 + i * 7),  // 2008-05 … 2027-03
                        sequence: (i * 37) % 1_000)?.value
    }
    precondition(ids.count == 1_000, "the benchmark input must be 1 000 valid numbers")

    Benchmark("ResidentID.validate") { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(ResidentID.validate(ids[i]))
        }
    }

    Benchmark("ResidentID.init") { benchmark in
        for i in benchmark.scaledIterations {
            blackHole(try? ResidentID(ids[i]))
        }
    }

    let rows = [Money(fen: 314_832_000), Money(fen: 357_825_000), Money(fen: 302_729_250), Money(fen: 251_526_250)]
    Benchmark("Money.roundedParts (4 rows, 万元)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Money.roundedParts(rows, unit: .wanyuan, decimals: 4))
        }
    }
}
