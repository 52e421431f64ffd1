import Foundation

/// Balance figures of one class (or of the whole grade, where `classNumber` is nil).
public struct ClassBalance: Sendable, Hashable, Codable {
    public var classNumber: Int?
    public var size: Int
    /// Mean, population SD, min and max of the composite score (the score itself when there is
    /// one score column with weight 1), in points.
    public var mean: Double
    public var sd: Double
    public var min: Double
    public var max: Double
    /// Students per score band: the grade's composite scores cut at its 20/40/60/80 % positions;
    /// bands[0] is the lowest fifth.
    public var bands: [Int]
    public var male: Int
    public var female: Int
    /// Count per flag column.
    public var flags: [String: Int]
    /// Mean per score column, in points.
    public var scoreMeans: [String: Double]

    enum CodingKeys: String, CodingKey {
        case classNumber = "class"
        case size, mean, sd, min, max, bands, male, female, flags
        case scoreMeans = "score_means"
    }
}

/// The printable balance report and the figures auditors compare (`--report` JSON). Encode with
/// `.sortedKeys` for a stable text: flag counts are keyed by column name.
public struct BalanceReport: Sendable, Hashable, Codable {
    public var classes: [ClassBalance]
    public var overall: ClassBalance
    /// Composite-score cut points of the bands, in points.
    public var bandEdges: [Double]
    public var sizeRange: Int
    public var meanRange: Double
    public var sdRange: Double
    public var genderMaxDiff: Int
    public var flagMaxDiff: [String: Int]
    /// Range of class means per score column.
    public var scoreMeanRange: [String: Double]
    /// Split together groups + apart pairs sharing a class + pins not honoured + students missing.
    public var constraintsViolated: Int
    /// Wall time of the draw; the only figure that differs between runs.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case classes, overall
        case bandEdges = "band_edges"
        case sizeRange = "size_range"
        case meanRange = "mean_range"
        case sdRange = "sd_range"
        case genderMaxDiff = "gender_max_diff"
        case flagMaxDiff = "flag_max_diff"
        case scoreMeanRange = "score_mean_range"
        case constraintsViolated = "constraints_violated"
        case seconds
    }

    /// Computes the report for any placement of the roster's students (also one typed in by hand):
    /// the constraint count is recomputed from the roster, not trusted from the engine.
    public init(roster: Roster, classCount k: Int, classOf: [String: Int], scoreWeights: [ScoreWeight] = [], seconds: Double = 0) {
        var weightOf = [Int](repeating: 1, count: roster.scoreColumns.count)
        for w in scoreWeights {
            if let i = roster.scoreColumns.firstIndex(of: w.column) { weightOf[i] = w.weight }
        }
        let students = roster.students.sorted { Prepared.idLess($0.id, $1.id) }
        let composite = students.map { s in
            zip(s.scores, weightOf).reduce(0) { $0 + $1.0.hundredths * $1.1 }
        }
        let sortedComposite = composite.sorted()
        let edges: [Int] = sortedComposite.isEmpty ? [] : (1...4).map { sortedComposite[sortedComposite.count * $0 / 5] }
        bandEdges = edges.map { Double($0) / 100 }

        func balance(_ number: Int?, _ members: [Int]) -> ClassBalance {
            let n = members.count
            var sum = 0, lo = Int.max, hi = Int.min
            var bands = [0, 0, 0, 0, 0]
            var male = 0
            var flags = [Int](repeating: 0, count: roster.flagColumns.count)
            var columnSums = [Int](repeating: 0, count: roster.scoreColumns.count)
            for i in members {
                let v = composite[i]
                sum += v
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
                bands[edges.reduce(0) { $0 + (v >= $1 ? 1 : 0) }] += 1
                if students[i].gender == .male { male += 1 }
                for (f, on) in students[i].flags.enumerated() where on && f < flags.count { flags[f] += 1 }
                for (j, s) in students[i].scores.enumerated() where j < columnSums.count { columnSums[j] += s.hundredths }
            }
            var squares = 0.0
            for i in members {
                let d = Double(composite[i] * n - sum)
                squares += d * d
            }
            let nd = Double(n)
            var flagCounts: [String: Int] = [:]
            for (f, name) in roster.flagColumns.enumerated() { flagCounts[name] = flags[f] }
            var means: [String: Double] = [:]
            for (j, name) in roster.scoreColumns.enumerated() { means[name] = n == 0 ? 0 : Double(columnSums[j]) / (nd * 100) }
            return ClassBalance(
                classNumber: number, size: n,
                mean: n == 0 ? 0 : Double(sum) / (nd * 100),
                sd: n == 0 ? 0 : (squares / (nd * nd * nd)).squareRoot() / 100,
                min: n == 0 ? 0 : Double(lo) / 100, max: n == 0 ? 0 : Double(hi) / 100,
                bands: bands, male: male, female: n - male, flags: flagCounts, scoreMeans: means)
        }

        var membersOf = [[Int]](repeating: [], count: Swift.max(k, 0))
        var missing = 0
        for (i, s) in students.enumerated() {
            if let c = classOf[s.id], c >= 1, c <= k { membersOf[c - 1].append(i) } else { missing += 1 }
        }
        classes = membersOf.enumerated().map { balance($0.offset + 1, $0.element) }
        overall = balance(nil, Array(students.indices))

        func range<T: Comparable & AdditiveArithmetic>(_ values: [T]) -> T {
            guard let lo = values.min(), let hi = values.max() else { return .zero }
            return hi - lo
        }
        sizeRange = range(classes.map(\.size))
        meanRange = range(classes.map(\.mean))
        sdRange = range(classes.map(\.sd))
        genderMaxDiff = Swift.max(range(classes.map(\.male)), range(classes.map(\.female)))
        var flagDiff: [String: Int] = [:]
        for name in roster.flagColumns { flagDiff[name] = range(classes.map { $0.flags[name] ?? 0 }) }
        flagMaxDiff = flagDiff
        var columnRange: [String: Double] = [:]
        for name in roster.scoreColumns { columnRange[name] = range(classes.map { $0.scoreMeans[name] ?? 0 }) }
        scoreMeanRange = columnRange
        constraintsViolated = missing + BalanceReport.violations(students: students, classOf: classOf)
        self.seconds = seconds
    }

    /// Counts broken hard rules: each together group spread over more than one class counts once
    /// per extra class, each apart pair in one class once, each pin not honoured once.
    static func violations(students: [Student], classOf: [String: Int]) -> Int {
        var count = 0
        var groups: [String: [Int]] = [:]
        var aparts: [String: [Int]] = [:]
        for s in students {
            guard let c = classOf[s.id] else { continue }
            if let p = s.pinnedClass, p != c { count += 1 }
            if let t = s.togetherKey { groups[t, default: []].append(c) }
            for key in s.apartKeys { aparts[key, default: []].append(c) }
        }
        for (_, classes) in groups { count += Set(classes).count - 1 }
        for (_, classes) in aparts {
            var seen: [Int: Int] = [:]
            for c in classes { seen[c, default: 0] += 1 }
            for (_, m) in seen where m > 1 { count += m * (m - 1) / 2 }
        }
        return count
    }
}
