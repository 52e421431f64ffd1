import Crypto
import Foundation

/// The only source of randomness in this module: a SplitMix64 stream keyed by SHA-256 of the
/// published seed. Anyone can re-implement it in a few lines (see README.md), which is what makes
/// a public draw checkable. The system RNG is never used.
public struct DrawRandom: Sendable, Hashable {
    /// SplitMix64 state.
    public private(set) var state: UInt64

    /// A stream for one purpose of one draw: the state is the first 8 bytes (big-endian) of
    /// SHA-256(UTF-8(purpose) ‖ 0x00 ‖ UTF-8(seed)). Different purposes ("assign", "labels",
    /// "teachers", "late", "synthetic", …) give independent streams from the same public seed.
    public init(seed: String, purpose: String) {
        var bytes = Array(purpose.utf8)
        bytes.append(0)
        bytes.append(contentsOf: seed.utf8)
        let digest = Array(SHA256.hash(data: bytes))
        var s: UInt64 = 0
        for i in 0..<8 { s = (s << 8) | UInt64(digest[i]) }
        state = s
    }

    /// A stream started from a raw SplitMix64 state (for tests and re-implementations).
    public init(state: UInt64) { self.state = state }

    /// Next 64-bit output of SplitMix64.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<n without modulo bias: outputs below 2^64 mod n are rejected,
    /// the rest are reduced modulo n. n must be at least 1 (n == 1 consumes no output).
    public mutating func uniform(_ n: Int) -> Int {
        precondition(n >= 1, "uniform(n) needs n >= 1")
        if n == 1 { return 0 }
        let bound = UInt64(n)
        let threshold = (0 &- bound) % bound
        while true {
            let x = next()
            if x >= threshold { return Int(x % bound) }
        }
    }

    /// Fisher–Yates: for i from count-1 down to 1, swap element i with element uniform(i+1).
    public mutating func shuffle<T>(_ items: inout [T]) {
        var i = items.count - 1
        while i >= 1 {
            let j = uniform(i + 1)
            if i != j { items.swapAt(i, j) }
            i -= 1
        }
    }
}
