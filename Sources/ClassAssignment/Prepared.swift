/// The roster and settings checked and turned into flat integer arrays, in canonical order
/// (students sorted by the UTF-8 bytes of their id). Every conflict that can be seen before the
/// draw is found here and reported all at once.
struct Prepared: Sendable {
    static let maxClassSize = 1000
    static let maxWeight = 100
    static let maxFeatureMagnitude = 512
    static let maxSeriesScale = 4096

    let students: [Student]
    let n: Int
    let k: Int
    let capacity: [Int]
    /// Composite score (weighted sum of hundredths) per student; the report's mean and SD use it.
    let composite: [Int]
    /// Features per student (row-major, `featureCount` each) and their weights.
    let featureCount: Int
    let features: [Int]
    let weights: [Int]
    /// Indices of the linear (mean) features: the ones whose class sums must reach the floor.
    let linearFeatures: [Int]
    /// Per class target sums (row-major K × featureCount).
    let targets: [Int]
    /// Largest range of class sums per feature at which the search may stop early.
    let tolerance: [Int]
    /// Attributes with count bands: 0 = 男, 1 = 女, then each balanced flag.
    let attributeNames: [String]
    let masks: [UInt64]
    let lower: [Int]
    let upper: [Int]
    /// Together groups of two or more (indices in canonical order) and each student's group.
    let groups: [[Int]]
    let groupOf: [Int]
    /// Effective pin (0-based class) of each student, taking the group's pin into account; -1 = none.
    let pinOf: [Int]
    /// Apart sets of two or more, and each student's sets.
    let apartSets: [[Int]]
    let apartSetsOf: [[Int]]
    let apartKeys: [String]
    let togetherKeys: [String]

    var attributeCount: Int { attributeNames.count }

    static func describe(_ s: Student) -> String {
        let row = s.sourceRow.map { "，第 \($0) 行" } ?? ""
        return "\(s.id)（\(s.name)\(row)）"
    }

    /// Orders ids by their UTF-8 bytes, which every language can reproduce.
    static func idLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    init(roster: Roster, settings: AssignmentSettings) throws(AssignmentError) {
        var problems: [AssignmentProblem] = []
        func fail(_ kind: AssignmentProblem.Kind, _ message: String, _ ids: [String] = []) {
            problems.append(AssignmentProblem(kind: kind, studentIDs: ids, message: message))
        }
        let sorted = roster.students.sorted { Prepared.idLess($0.id, $1.id) }
        let n = sorted.count
        let k = settings.classCount

        // Settings first: without a valid K nothing else can be checked.
        if n == 0 { fail(.invalidSettings, "名单中没有学生") }
        if k < 1 { fail(.invalidSettings, "班级数必须至少为 1（现为 \(k)）") }
        if n > 0, k > n { fail(.invalidSettings, "班级数 \(k) 大于学生人数 \(n)") }
        var capacity: [Int] = []
        if let sizes = settings.classSizes {
            if sizes.count != k {
                fail(.invalidSettings, "给定了 \(sizes.count) 个班额，但班级数为 \(k)")
            } else if sizes.reduce(0, +) != n {
                fail(.invalidSettings, "给定班额合计 \(sizes.reduce(0, +)) 人，与名单人数 \(n) 不符")
            } else if let bad = sizes.firstIndex(where: { $0 < 1 || $0 > Prepared.maxClassSize }) {
                fail(.invalidSettings, "第 \(bad + 1) 班班额 \(sizes[bad]) 不在 1–\(Prepared.maxClassSize) 之间")
            }
            capacity = sizes
        } else if k >= 1, k <= max(n, 1) {
            let base = n / k
            let extra = n % k
            capacity = (0..<k).map { $0 < extra ? base + 1 : base }
            if base + (extra > 0 ? 1 : 0) > Prepared.maxClassSize {
                fail(.invalidSettings, "每班人数超过 \(Prepared.maxClassSize)，请增加班级数")
            }
        }
        for w in settings.scoreWeights {
            if !roster.scoreColumns.contains(w.column) {
                fail(.invalidSettings, "成绩权重指定的列“\(w.column)”不在名单的成绩列中（\(roster.scoreColumns.joined(separator: "、"))）")
            }
            if w.weight < 0 || w.weight > Prepared.maxWeight {
                fail(.invalidSettings, "成绩列“\(w.column)”的权重 \(w.weight) 不在 0–\(Prepared.maxWeight) 之间")
            }
        }
        let balanced = settings.balancedFlags ?? roster.flagColumns
        var flagIndices: [Int] = []
        for f in balanced {
            if let i = roster.flagColumns.firstIndex(of: f) {
                if !flagIndices.contains(i) { flagIndices.append(i) }
            } else {
                fail(.invalidSettings, "要均衡的标记列“\(f)”不在名单中")
            }
        }
        if flagIndices.count > 60 { fail(.invalidSettings, "要均衡的标记列过多（最多 60 个）") }
        for s in sorted where s.scores.count != roster.scoreColumns.count || s.flags.count != roster.flagColumns.count {
            fail(.invalidSettings, "学生 \(Prepared.describe(s)) 的成绩或标记个数与名单列不一致", [s.id])
        }
        for i in sorted.indices.dropFirst() where sorted[i].id == sorted[i - 1].id {
            fail(.duplicateID, "学籍号“\(sorted[i].id)”重复：\(Prepared.describe(sorted[i - 1])) 与 \(Prepared.describe(sorted[i]))",
                 [sorted[i].id])
        }
        for s in sorted {
            if let p = s.pinnedClass, p < 1 || p > k {
                fail(.pinOutOfRange, "学生 \(Prepared.describe(s)) 指定 \(p) 班，超出范围 1–\(k)", [s.id])
            }
        }
        if !problems.isEmpty { throw AssignmentError(problems: problems) }

        // Scores → integer features.
        var weightOf = [Int](repeating: 1, count: roster.scoreColumns.count)
        for w in settings.scoreWeights {
            if let i = roster.scoreColumns.firstIndex(of: w.column) { weightOf[i] = w.weight }
        }
        let active = roster.scoreColumns.indices.filter { weightOf[$0] > 0 }
        var composite = [Int](repeating: 0, count: n)
        for i in 0..<n {
            var c = 0
            for j in active { c += weightOf[j] * sorted[i].scores[j].hundredths }
            composite[i] = c
        }
        var series: [(values: [Int], weight: Int)] = active.map { j in (sorted.map { $0.scores[j].hundredths }, weightOf[j]) }
        // The composite is a series of its own: its SD depends on how the columns go together.
        if active.count >= 2 { series.append((composite, 1)) }
        let featureCount = series.count * 2
        var features = [Int](repeating: 0, count: n * featureCount)
        var weights: [Int] = []
        var linear: [Int] = []
        var tolerance: [Int] = []
        let equalSizes = Set(capacity).count == 1
        let smallest = capacity.min() ?? 1
        let centred = series.map { Prepared.centred($0.values) }
        // Series of different spread count alike: series j is scaled by (v_max / v_j)², v being
        // its variance (linearWeight / 2), so a typical swap moves every series' objective by
        // about as much. The scale times the user weight is capped at 4096 to keep products in
        // 64 bits.
        let variances = centred.map { max(1, $0.linearWeight / 2) }
        let widest = variances.max() ?? 1
        for (si, s) in series.enumerated() {
            let (c, linearWeight, unit) = centred[si]
            let v = variances[si]
            let scale = min(Prepared.maxSeriesScale, (widest * widest + v * v / 2) / (v * v))
            let w = min(Prepared.maxSeriesScale, s.weight * max(1, scale))
            for i in 0..<n {
                features[i * featureCount + 2 * si] = c[i]
                features[i * featureCount + 2 * si + 1] = c[i] * c[i]
            }
            linear.append(2 * si)
            weights.append(w * linearWeight)
            weights.append(w)
            let total = c.reduce(0, +)
            tolerance.append(equalSizes && total % k == 0 ? 0 : 1)
            // A range of class sums of squares R moves class SDs by about R / (2·n·σ) units; allow
            // what keeps that under 0.002 points: R ≤ 0.4·n·σ / unit (unit in hundredths).
            let sigma = Prepared.isqrt(linearWeight / 2)
            tolerance.append(2 * smallest * sigma / (5 * unit))
        }
        var targets = [Int](repeating: 0, count: k * featureCount)
        for f in 0..<featureCount {
            var total = 0
            for i in 0..<n { total += features[i * featureCount + f] }
            for c in 0..<k { targets[c * featureCount + f] = Prepared.floorDiv(2 * capacity[c] * total + n, 2 * n) }
        }

        // Attributes and their bands.
        var names = ["男", "女"]
        for i in flagIndices { names.append(roster.flagColumns[i]) }
        let a = names.count
        var masks = [UInt64](repeating: 0, count: n)
        for i in 0..<n {
            var m: UInt64 = sorted[i].gender == .male ? 1 : 2
            for (bit, fi) in flagIndices.enumerated() where sorted[i].flags[fi] { m |= 1 << UInt64(bit + 2) }
            masks[i] = m
        }
        var lower = [Int](repeating: 0, count: k * a)
        var upper = [Int](repeating: 0, count: k * a)
        let even = (capacity.max() ?? 0) - (capacity.min() ?? 0) <= 1
        for at in 0..<a {
            let m = masks.reduce(0) { $0 + Int(($1 >> UInt64(at)) & 1) }
            for c in 0..<k {
                if even {
                    lower[c * a + at] = m / k
                    upper[c * a + at] = (m + k - 1) / k
                } else {
                    lower[c * a + at] = m * capacity[c] / n
                    upper[c * a + at] = (m * capacity[c] + n - 1) / n
                }
            }
        }

        // Together groups (only keys shared by two or more students form a group).
        var groupIndexOfKey: [String: Int] = [:]
        var groupLists: [[Int]] = []
        var groupKeys: [String] = []
        for i in 0..<n {
            guard let key = sorted[i].togetherKey else { continue }
            if let g = groupIndexOfKey[key] {
                groupLists[g].append(i)
            } else {
                groupIndexOfKey[key] = groupLists.count
                groupLists.append([i])
                groupKeys.append(key)
            }
        }
        var groups: [[Int]] = []
        var togetherKeys: [String] = []
        var groupOf = [Int](repeating: -1, count: n)
        for (g, list) in groupLists.enumerated() where list.count >= 2 {
            for i in list { groupOf[i] = groups.count }
            groups.append(list)
            togetherKeys.append(groupKeys[g])
        }
        var pinOf = sorted.map { ($0.pinnedClass ?? 0) - 1 }
        let maxCapacity = capacity.max() ?? 0
        for (g, list) in groups.enumerated() {
            let pinned = list.filter { pinOf[$0] >= 0 }
            let distinct = Array(Set(pinned.map { pinOf[$0] })).sorted()
            if distinct.count > 1 {
                let who = pinned.map { "\(Prepared.describe(sorted[$0])) 指定 \(pinOf[$0] + 1) 班" }.joined(separator: "、")
                fail(.conflictingPins, "同班组“\(togetherKeys[g])”的学生指定了不同班级：\(who)，无法同班", list.map { sorted[$0].id })
                continue
            }
            if let p = distinct.first {
                for i in list { pinOf[i] = p }
                if list.count > capacity[p] {
                    fail(.togetherGroupTooLarge,
                         "同班组“\(togetherKeys[g])”有 \(list.count) 人，超过其指定的 \(p + 1) 班班额 \(capacity[p]) 人",
                         list.map { sorted[$0].id })
                }
            } else if list.count > maxCapacity {
                fail(.togetherGroupTooLarge,
                     "同班组“\(togetherKeys[g])”有 \(list.count) 人，超过最大班额 \(maxCapacity) 人：" +
                        list.map { Prepared.describe(sorted[$0]) }.joined(separator: "、"),
                     list.map { sorted[$0].id })
            }
        }

        // Apart sets.
        var apartIndexOfKey: [String: Int] = [:]
        var apartLists: [[Int]] = []
        var apartKeyList: [String] = []
        for i in 0..<n {
            for key in sorted[i].apartKeys {
                if let s = apartIndexOfKey[key] {
                    if apartLists[s].last != i { apartLists[s].append(i) }
                } else {
                    apartIndexOfKey[key] = apartLists.count
                    apartLists.append([i])
                    apartKeyList.append(key)
                }
            }
        }
        var apartSets: [[Int]] = []
        var apartKeys: [String] = []
        var apartSetsOf = [[Int]](repeating: [], count: n)
        for (s, list) in apartLists.enumerated() where list.count >= 2 {
            let key = apartKeyList[s]
            var ok = true
            for x in 0..<list.count {
                for y in (x + 1)..<list.count {
                    let i = list[x], j = list[y]
                    if groupOf[i] >= 0, groupOf[i] == groupOf[j] {
                        ok = false
                        fail(.togetherAndApart,
                             "\(Prepared.describe(sorted[i])) 与 \(Prepared.describe(sorted[j])) 既要同班（同班组“\(togetherKeys[groupOf[i]])”）又要分班（分班组“\(key)”），互相矛盾",
                             [sorted[i].id, sorted[j].id])
                    } else if pinOf[i] >= 0, pinOf[i] == pinOf[j] {
                        ok = false
                        fail(.pinnedApart,
                             "\(Prepared.describe(sorted[i])) 与 \(Prepared.describe(sorted[j])) 须分班（分班组“\(key)”），却都被指定（或随同班组）到 \(pinOf[i] + 1) 班",
                             [sorted[i].id, sorted[j].id])
                    }
                }
            }
            if list.count > k {
                ok = false
                fail(.apartSetTooLarge,
                     "分班组“\(key)”有 \(list.count) 人须互不同班，但只有 \(k) 个班：" +
                        list.map { Prepared.describe(sorted[$0]) }.joined(separator: "、"),
                     list.map { sorted[$0].id })
            }
            if ok {
                for i in list { apartSetsOf[i].append(apartSets.count) }
                apartSets.append(list)
                apartKeys.append(key)
            }
        }

        // Pinned load and pinned balance per class.
        var pinnedCount = [Int](repeating: 0, count: k)
        var pinnedWith = [Int](repeating: 0, count: k * a)
        var pinnedIDs = [[String]](repeating: [], count: k)
        for i in 0..<n where pinOf[i] >= 0 {
            let c = pinOf[i]
            pinnedCount[c] += 1
            pinnedIDs[c].append(sorted[i].id)
            for at in 0..<a where (masks[i] >> UInt64(at)) & 1 == 1 { pinnedWith[c * a + at] += 1 }
        }
        for c in 0..<k where !capacity.isEmpty {
            if pinnedCount[c] > capacity[c] {
                fail(.classOverfull, "\(c + 1) 班已指定（含同班组）\(pinnedCount[c]) 人，超过班额 \(capacity[c]) 人", pinnedIDs[c])
                continue
            }
            for at in 0..<a {
                let with = pinnedWith[c * a + at]
                let without = pinnedCount[c] - with
                if with > upper[c * a + at] {
                    fail(.pinnedUnbalanced,
                         "\(c + 1) 班已指定 \(with) 名“\(names[at])”学生，超过均衡上限 \(upper[c * a + at]) 人（各班相差不超过 1）",
                         pinnedIDs[c])
                } else if at >= 2, without > capacity[c] - lower[c * a + at] {
                    // (For gender the other gender's upper bound already says it.)
                    fail(.pinnedUnbalanced,
                         "\(c + 1) 班已指定 \(without) 名非“\(names[at])”学生，余下名额容不下均衡下限 \(lower[c * a + at]) 名“\(names[at])”学生",
                         pinnedIDs[c])
                }
            }
        }
        if !problems.isEmpty { throw AssignmentError(problems: problems) }

        self.students = sorted
        self.n = n
        self.k = k
        self.capacity = capacity
        self.composite = composite
        self.featureCount = featureCount
        self.features = features
        self.weights = weights
        self.linearFeatures = linear
        self.targets = targets
        self.tolerance = tolerance
        self.attributeNames = names
        self.masks = masks
        self.lower = lower
        self.upper = upper
        self.groups = groups
        self.groupOf = groupOf
        self.pinOf = pinOf
        self.apartSets = apartSets
        self.apartSetsOf = apartSetsOf
        self.apartKeys = apartKeys
        self.togetherKeys = togetherKeys
    }

    /// Values in the column's own unit (their gcd), centred on the rounded mean and, when the
    /// spread is wide, divided (truncating) so |value| ≤ 512: keeps every product in 64 bits.
    /// Also returns the linear feature's weight, round(2·variance), which puts a one-unit error in
    /// a class sum on the same footing as the typical change in its sum of squares.
    static func centred(_ values: [Int]) -> (values: [Int], linearWeight: Int, unitHundredths: Int) {
        let n = values.count
        var g = 0
        for v in values { g = gcd(g, v) }
        if g == 0 { g = 1 }
        let units = values.map { $0 / g }
        let total = units.reduce(0, +)
        let mean = floorDiv(2 * total + n, 2 * n)
        var c = units.map { $0 - mean }
        let maxAbs = c.reduce(0) { max($0, abs($1)) }
        var d = 1
        if maxAbs > maxFeatureMagnitude {
            d = (maxAbs + maxFeatureMagnitude - 1) / maxFeatureMagnitude
            c = c.map { $0 / d }
        }
        var sum = 0
        var squares = 0
        for v in c {
            sum += v
            squares += v * v
        }
        let nn = n * n
        let variance = n * squares - sum * sum
        let weight = max(1, (2 * variance + nn / 2) / nn)
        return (c, weight, g * d)
    }

    /// Integer square root (largest r with r·r ≤ x).
    static func isqrt(_ x: Int) -> Int {
        if x < 2 { return max(0, x) }
        var r = Int(Double(x).squareRoot())
        while r * r > x { r -= 1 }
        while (r + 1) * (r + 1) <= x { r += 1 }
        return r
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var x = abs(a), y = abs(b)
        while y != 0 { (x, y) = (y, x % y) }
        return x
    }

    /// Floor division for a positive divisor.
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && a < 0) ? q - 1 : q
    }
}
