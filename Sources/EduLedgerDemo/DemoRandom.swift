/// The demo's own pseudo-random numbers: xoshiro256** seeded through SplitMix64.
///
/// Why our own: the output must be identical bit for bit on every machine and every Swift
/// version for the same seed, and the system generator guarantees neither. Every draw is
/// integer arithmetic; probabilities are given in parts per million, so no floating-point
/// rounding can make two machines disagree.
struct DemoRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A stream for `seed` and a path of labels (e.g. phase, school index): streams with
    /// different labels are independent, so one school's draws never shift another's.
    init(seed: UInt64, _ labels: UInt64...) {
        var mixer = SplitMix64(state: seed)
        for label in labels {
            mixer.state ^= label &* 0xD1B5_4A32_D192_ED03
            _ = mixer.next()
        }
        s0 = mixer.next(); s1 = mixer.next(); s2 = mixer.next(); s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A number in `0..<n` (n > 0), by multiply-high (Lemire); the bias is below 2⁻³² for our n.
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `ppm` / 1 000 000.
    mutating func chance(ppm: Int) -> Bool { below(1_000_000) < ppm }

    /// True with probability `percent` / 100.
    mutating func percent(_ p: Int) -> Bool { below(100) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// SplitMix64 (Steele, Lea, Flood), used only to spread a seed over xoshiro's state.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A table of weights prepared once, for fast repeated weighted draws.
struct WeightedTable<Item: Sendable>: Sendable {
    let items: [Item]
    let cumulative: [Int]
    let total: Int
    init(_ pairs: [(Item, Int)]) {
        items = pairs.map(\.0)
        var running = 0
        cumulative = pairs.map { running += $0.1; return running }
        total = running
    }
    func draw(_ rng: inout DemoRandom) -> Item {
        let r = rng.below(total)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return items[lo]
    }
}
