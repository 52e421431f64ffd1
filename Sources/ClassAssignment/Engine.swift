/// The search itself: placement of fixed students, a stratified snake deal, a repair of the
/// gender/flag bands, and an exchange search on the score features. Everything is integer
/// arithmetic in a fixed order driven by one `DrawRandom` stream, so a run is reproducible bit
/// for bit. The order of random draws is part of the public specification (README.md).
struct Engine {
    let model: Prepared
    var random: DrawRandom

    /// Class (0-based) of each student, -1 while unplaced.
    var classOf: [Int]
    var size: [Int]
    /// Attribute counts per class (K × A) and feature deviations from target (K × F).
    var counts: [Int]
    var deviation: [Int]
    /// Movable students (not pinned, not in a together group) of each class, in flat slots.
    var slots: [Int]
    var slotCount: [Int]
    var slotOf: [Int]
    let slotStride: Int
    var movable: [Bool]
    var hasApart: [Bool]
    var fixedPlaced: [Int]

    /// Tunable search effort; fixed constants, part of the specification.
    static let maxPasses = 60
    static let fullScanClassLimit = 32
    static let sampledClassesPerStudent = 6
    /// A sampled pass making fewer swaps than movable/1000 counts as quiet.
    static let quietDivisor = 1000
    /// Rounds of the final targeted full scan over the worst classes.
    static let maxTargetedRounds = 10

    init(model: Prepared, seed: String) {
        self.model = model
        random = DrawRandom(seed: seed, purpose: "assign")
        let n = model.n, k = model.k
        classOf = [Int](repeating: -1, count: n)
        size = [Int](repeating: 0, count: k)
        counts = [Int](repeating: 0, count: k * model.attributeCount)
        deviation = model.targets.map { -$0 }
        slotStride = (model.capacity.max() ?? 0)
        slots = [Int](repeating: -1, count: k * slotStride)
        slotCount = [Int](repeating: 0, count: k)
        slotOf = [Int](repeating: -1, count: n)
        movable = (0..<n).map { model.groupOf[$0] < 0 && model.pinOf[$0] < 0 }
        hasApart = model.apartSetsOf.map { !$0.isEmpty }
        fixedPlaced = [Int](repeating: 0, count: k)
    }

    mutating func place(_ i: Int, _ c: Int) {
        classOf[i] = c
        size[c] += 1
        let a = model.attributeCount
        var m = model.masks[i]
        var bit = 0
        while m != 0 {
            if m & 1 == 1 { counts[c * a + bit] += 1 }
            m >>= 1
            bit += 1
        }
        let f = model.featureCount
        for x in 0..<f { deviation[c * f + x] += model.features[i * f + x] }
        if movable[i] {
            slotOf[i] = slotCount[c]
            slots[c * slotStride + slotCount[c]] = i
            slotCount[c] += 1
        } else {
            fixedPlaced[c] += 1
        }
    }

    /// True when no apart partner of `i` (other than `except`) is in class `c`.
    func apartAllows(_ i: Int, _ c: Int, except: Int = -1) -> Bool {
        for s in model.apartSetsOf[i] {
            for j in model.apartSets[s] where j != i && j != except && classOf[j] == c { return false }
        }
        return true
    }

    func describe(_ i: Int) -> String { Prepared.describe(model.students[i]) }

    // MARK: - Phase 1 and 2: fixed students, then the snake deal

    /// Random draws in this phase: (1) a Fisher–Yates shuffle of the class order, (2) one
    /// `next()` per student in canonical order as its tie-break key.
    mutating func deal() throws(AssignmentError) {
        let n = model.n, k = model.k, a = model.attributeCount
        var classOrder = Array(0..<k)
        random.shuffle(&classOrder)
        var tieKey = [UInt64](repeating: 0, count: n)
        for i in 0..<n { tieKey[i] = random.next() }

        // Pinned students (groups carry their pin to every member).
        for i in 0..<n where model.pinOf[i] >= 0 { place(i, model.pinOf[i]) }

        // Unpinned together groups, largest first: the class with room, no apart partner, least
        // overflow of the bands, fewest fixed students; ties by the drawn class order.
        let loose = model.groups.indices.filter { model.pinOf[model.groups[$0][0]] < 0 }
            .sorted { model.groups[$0].count != model.groups[$1].count ? model.groups[$0].count > model.groups[$1].count : $0 < $1 }
        for g in loose {
            let members = model.groups[g]
            var best = -1
            var bestOverflow = Int.max
            var bestFixed = Int.max
            for c in classOrder where size[c] + members.count <= model.capacity[c] {
                if !members.allSatisfy({ apartAllows($0, c) }) { continue }
                var overflow = 0
                for at in 0..<a {
                    var add = 0
                    for i in members where (model.masks[i] >> UInt64(at)) & 1 == 1 { add += 1 }
                    overflow += max(0, counts[c * a + at] + add - model.upper[c * a + at])
                }
                if overflow < bestOverflow || (overflow == bestOverflow && fixedPlaced[c] < bestFixed) {
                    best = c
                    bestOverflow = overflow
                    bestFixed = fixedPlaced[c]
                }
            }
            if best < 0 {
                throw AssignmentError(
                    .unplaceable,
                    "同班组“\(model.togetherKeys[g])”（\(members.map(describe).joined(separator: "、"))）找不到有空位且没有须分开的同学的班级",
                    students: members.map { model.students[$0].id })
            }
            for i in members { place(i, best) }
        }

        // Movable students: stratified by attribute profile, best score first, ties by key;
        // dealt in snake order over the drawn class order, skipping full classes.
        let order = (0..<n).filter { movable[$0] }.sorted { x, y in
            if model.masks[x] != model.masks[y] { return model.masks[x] < model.masks[y] }
            if model.composite[x] != model.composite[y] { return model.composite[x] > model.composite[y] }
            if tieKey[x] != tieKey[y] { return tieKey[x] < tieKey[y] }
            return x < y
        }
        var position = 0
        var credit = [Int](repeating: 0, count: k)
        func snakeClass(_ p: Int) -> Int {
            let round = p / k, j = p % k
            return round % 2 == 0 ? classOrder[j] : classOrder[k - 1 - j]
        }
        for i in order {
            // Next class the snake offers.
            var c = -1
            while c < 0 {
                let x = snakeClass(position)
                position += 1
                if credit[x] > 0 { credit[x] -= 1; continue }
                if size[x] < model.capacity[x] { c = x }
            }
            if hasApart[i] && !apartAllows(i, c) {
                // Give this slot up and take the first class further along the snake that fits;
                // that class is skipped once when the snake reaches it.
                var found = -1
                for step in 0..<(2 * k) {
                    let x = snakeClass(position + step)
                    if x != c, size[x] < model.capacity[x], apartAllows(i, x) { found = x; break }
                }
                if found < 0 {
                    throw AssignmentError(
                        .unplaceable,
                        "\(describe(i)) 须与其分班组同学分开，但所有尚有空位的班级都已有其分班组同学",
                        students: [model.students[i].id])
                }
                credit[found] += 1
                c = found
            }
            place(i, c)
        }
    }

    // MARK: - Phase 3: bring every gender and flag count into its band

    func violation(_ c: Int, _ at: Int, _ value: Int) -> Int {
        let a = model.attributeCount
        let lo = model.lower[c * a + at], hi = model.upper[c * a + at]
        return value > hi ? value - hi : (value < lo ? lo - value : 0)
    }

    /// Change of total band violation if x (in p) and y (in q) swap.
    func violationDelta(_ x: Int, _ y: Int, _ p: Int, _ q: Int) -> Int {
        let a = model.attributeCount
        var diff = model.masks[x] ^ model.masks[y]
        var d = 0
        var bit = 0
        while diff != 0 {
            if diff & 1 == 1 {
                let s = (model.masks[x] >> UInt64(bit)) & 1 == 1 ? 1 : -1
                let cp = counts[p * a + bit], cq = counts[q * a + bit]
                d += violation(p, bit, cp - s) - violation(p, bit, cp) + violation(q, bit, cq + s) - violation(q, bit, cq)
            }
            diff >>= 1
            bit += 1
        }
        return d
    }

    /// Deterministic greedy repair: take the first violated (attribute, class), scan partner
    /// classes from the most opposite count, and make the swap that lowers the total violation
    /// most. No random draws.
    mutating func repairBands() throws(AssignmentError) {
        let k = model.k, a = model.attributeCount
        var steps = 0
        let limit = 20 * model.n + 100
        outer: while true {
            var target: (at: Int, c: Int, over: Bool)?
            search: for at in 0..<a {
                for c in 0..<k {
                    let v = counts[c * a + at]
                    if v > model.upper[c * a + at] { target = (at, c, true); break search }
                    if v < model.lower[c * a + at] { target = (at, c, false); break search }
                }
            }
            guard let t = target else { return }
            steps += 1
            let bit = UInt64(t.at)
            // Partner classes: for an over-full class, those below their upper bound (fewest first);
            // for a short class, those above their lower bound (most first).
            var partners = (0..<k).filter { c in
                c != t.c && (t.over ? counts[c * a + t.at] < model.upper[c * a + t.at] : counts[c * a + t.at] > model.lower[c * a + t.at])
            }
            partners.sort { x, y in
                let vx = counts[x * a + t.at] - model.lower[x * a + t.at]
                let vy = counts[y * a + t.at] - model.lower[y * a + t.at]
                if vx != vy { return t.over ? vx < vy : vx > vy }
                return x < y
            }
            // `p` gives a student with the attribute, `q` one without.
            for other in partners {
                let p = t.over ? t.c : other
                let q = t.over ? other : t.c
                var best = 0, bx = -1, by = -1
                for sx in 0..<slotCount[p] {
                    let x = slots[p * slotStride + sx]
                    if (model.masks[x] >> bit) & 1 == 0 { continue }
                    for sy in 0..<slotCount[q] {
                        let y = slots[q * slotStride + sy]
                        if (model.masks[y] >> bit) & 1 == 1 { continue }
                        let d = violationDelta(x, y, p, q)
                        if d < best, !hasApart[x] || apartAllows(x, q, except: y), !hasApart[y] || apartAllows(y, p, except: x) {
                            best = d; bx = x; by = y
                        }
                    }
                }
                if bx >= 0 {
                    swapStudents(bx, by)
                    if steps > limit { break }
                    continue outer
                }
            }
            throw AssignmentError(
                .balanceUnreachable,
                "无法使各班“\(model.attributeNames[t.at])”人数相差不超过 1（\(t.c + 1) 班现为 \(counts[t.c * a + t.at]) 人，应在 \(model.lower[t.c * a + t.at])–\(model.upper[t.c * a + t.at]) 之间）：指定班级、同班组与分班组限制了可调换的学生")
        }
    }

    mutating func swapStudents(_ x: Int, _ y: Int) {
        let p = classOf[x], q = classOf[y]
        let a = model.attributeCount, f = model.featureCount
        var diff = model.masks[x] ^ model.masks[y]
        var bit = 0
        while diff != 0 {
            if diff & 1 == 1 {
                let s = (model.masks[x] >> UInt64(bit)) & 1 == 1 ? 1 : -1
                counts[p * a + bit] -= s
                counts[q * a + bit] += s
            }
            diff >>= 1
            bit += 1
        }
        for z in 0..<f {
            let d = model.features[y * f + z] - model.features[x * f + z]
            deviation[p * f + z] += d
            deviation[q * f + z] -= d
        }
        let sx = slotOf[x], sy = slotOf[y]
        slots[p * slotStride + sx] = y
        slots[q * slotStride + sy] = x
        slotOf[x] = sy
        slotOf[y] = sx
        classOf[x] = q
        classOf[y] = p
    }

    // MARK: - Phase 4: exchange search on the score features

    /// Each pass: shuffle the movable students (Fisher–Yates); for each student x in that order,
    /// the partner classes are all other classes in index order when K ≤ 32, else
    /// `sampledClassesPerStudent` classes each drawn as uniform(K-1) (skipping x's own class).
    /// Every movable y in those classes is scored; the swap with the lowest (negative) objective
    /// change that keeps every band and apart rule is made; ties keep the first found.
    /// Stops after a pass when the balance is at its floor (`atFloor`), after a pass without any
    /// swap (two in a row when sampling), or after `maxPasses`.
    mutating func exchange() {
        let k = model.k, f = model.featureCount, a = model.attributeCount, n = model.n
        if k < 2 || f == 0 { return }
        var order = (0..<n).filter { movable[$0] }
        if order.count < 2 { return }
        let fullScan = k <= Engine.fullScanClassLimit
        let quietPassesToStop = fullScan ? 1 : 2
        var quiet = 0
        var rng = random

        // Flat working copies: the inner loop runs millions of times and must not pay for
        // bounds checks or copy-on-write checks.
        func buffer<T>(_ array: [T]) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: Swift.max(array.count, 1))
            _ = b.initialize(from: array)
            return b
        }
        let features = buffer(model.features), weights = buffer(model.weights), masks = buffer(model.masks)
        let lower = buffer(model.lower), upper = buffer(model.upper), hasApart = buffer(self.hasApart)
        let classOf = buffer(self.classOf), counts = buffer(self.counts), deviation = buffer(self.deviation)
        let slots = buffer(self.slots), slotOf = buffer(self.slotOf), slotCount = buffer(self.slotCount)
        defer {
            for b in [features, lower, upper, classOf, counts, deviation, slots, slotOf, slotCount] { b.deallocate() }
            weights.deallocate()
            masks.deallocate()
            hasApart.deallocate()
        }
        let stride = slotStride
        let apartSets = model.apartSets, apartSetsOf = model.apartSetsOf

        func apartAllows(_ i: Int, _ c: Int, except: Int) -> Bool {
            for s in apartSetsOf[i] {
                for j in apartSets[s] where j != i && j != except && classOf[j] == c { return false }
            }
            return true
        }

        /// Scores every movable y of class q as a partner of x (in p); keeps the best admissible.
        func scan(_ x: Int, _ p: Int, _ q: Int, _ best: inout Int, _ bestY: inout Int) {
            let xf = x * f, pf = p * f
            let base = q * stride, qf = q * f
            for s in 0..<slotCount[q] {
                let y = slots[base + s]
                let yf = y * f
                var d = 0
                for z in 0..<f {
                    let delta = features[yf + z] &- features[xf + z]
                    d &+= weights[z] &* (delta &* (deviation[pf + z] &- deviation[qf + z]) &+ delta &* delta)
                }
                if d >= best { continue }
                // Bands: every attribute where x and y differ must stay inside its band.
                var diff = masks[x] ^ masks[y]
                var ok = true
                while diff != 0 {
                    let bit = diff.trailingZeroBitCount
                    diff &= diff &- 1
                    let sign = (masks[x] >> UInt64(bit)) & 1 == 1 ? 1 : -1
                    let cp = counts[p * a + bit] - sign, cq = counts[q * a + bit] + sign
                    if cp < lower[p * a + bit] || cp > upper[p * a + bit] || cq < lower[q * a + bit] || cq > upper[q * a + bit] {
                        ok = false
                        break
                    }
                }
                if !ok { continue }
                if hasApart[x] && !apartAllows(x, q, except: y) { continue }
                if hasApart[y] && !apartAllows(y, p, except: x) { continue }
                best = d
                bestY = y
            }
        }

        func apply(_ x: Int, _ y: Int) {
            let p = classOf[x], q = classOf[y]
            var diff = masks[x] ^ masks[y]
            while diff != 0 {
                let bit = diff.trailingZeroBitCount
                diff &= diff &- 1
                let sign = (masks[x] >> UInt64(bit)) & 1 == 1 ? 1 : -1
                counts[p * a + bit] -= sign
                counts[q * a + bit] += sign
            }
            for z in 0..<f {
                let d = features[y * f + z] - features[x * f + z]
                deviation[p * f + z] += d
                deviation[q * f + z] -= d
            }
            let sx = slotOf[x], sy = slotOf[y]
            slots[p * stride + sx] = y
            slots[q * stride + sy] = x
            slotOf[x] = sy
            slotOf[y] = sx
            classOf[x] = q
            classOf[y] = p
        }

        var done = false
        for _ in 0..<Engine.maxPasses {
            rng.shuffle(&order)
            var swaps = 0
            for x in order {
                let p = classOf[x]
                var best = 0, bestY = -1
                if fullScan {
                    for q in 0..<k where q != p { scan(x, p, q, &best, &bestY) }
                } else {
                    for _ in 0..<Engine.sampledClassesPerStudent {
                        var q = rng.uniform(k - 1)
                        if q >= p { q += 1 }
                        scan(x, p, q, &best, &bestY)
                    }
                }
                if bestY >= 0 {
                    apply(x, bestY)
                    swaps += 1
                }
            }
            if atFloor(deviation) { done = true; break }
            if swaps == 0 || (!fullScan && swaps * Engine.quietDivisor < order.count) {
                quiet += 1
                if quiet >= quietPassesToStop { break }
            } else {
                quiet = 0
            }
        }

        // Targeted rounds (sampled mode only): the worst twentieth of the classes by their share
        // of the objective (ties by class index), each movable student of those scanned against
        // every other class. No random draws. Ends on a round without a swap.
        if !fullScan && !done {
            let top = Swift.max(2, k / 20)
            for _ in 0..<Engine.maxTargetedRounds {
                var share = [Int](repeating: 0, count: k)
                for c in 0..<k {
                    var v = 0
                    for z in 0..<f { v &+= weights[z] &* deviation[c * f + z] &* deviation[c * f + z] }
                    share[c] = v
                }
                let worst = (0..<k).sorted { share[$0] != share[$1] ? share[$0] > share[$1] : $0 < $1 }.prefix(top)
                var swaps = 0
                for p in worst {
                    var s = 0
                    while s < slotCount[p] {
                        let x = slots[p * stride + s]
                        var best = 0, bestY = -1
                        for q in 0..<k where q != p { scan(x, p, q, &best, &bestY) }
                        if bestY >= 0 {
                            apply(x, bestY)
                            swaps += 1
                        }
                        s += 1
                    }
                }
                if swaps == 0 || atFloor(deviation) { break }
            }
        }
        random = rng
        self.classOf = Array(classOf)
        self.counts = Array(counts)
        self.deviation = Array(deviation)
        self.slots = Array(slots)
        self.slotOf = Array(slotOf)
    }

    /// The stop rule: every linear feature's class sums lie within their floor (0 when all
    /// classes are equal and the total divides evenly, else 1 unit) and every quadratic feature's
    /// class sums lie within `quadraticTolerance`.
    func atFloor(_ deviation: UnsafeMutableBufferPointer<Int>) -> Bool {
        let f = model.featureCount, k = model.k
        for z in 0..<f {
            var lo = Int.max, hi = Int.min
            for c in 0..<k {
                let v = deviation[c * f + z]
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
            }
            if hi - lo > model.tolerance[z] { return false }
        }
        return true
    }
}
