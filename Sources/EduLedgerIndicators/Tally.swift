import EduLedgerCore

/// The units every school and township rolls up into, by dense index.
struct UnitMap: Sendable {
    let units: [ReportingUnit]
    /// Per school: the district, its township, zone, itself and its two groups.
    let ofSchool: [[Int32]]
    /// Per township: the district and the township (population-based figures).
    let ofTownship: [[Int32]]
    let schoolUnit: [Int]
    /// `ofSchool` and `ofTownship` laid out flat: the units of school s are
    /// `schoolUnits[schoolStart[s] ..< schoolStart[s + 1]]` (the same units in the same order).
    /// Why: the tally's inner loop then reads one array instead of retaining a nested one per record.
    let schoolUnits: [Int32]
    let schoolStart: [Int32]
    let townshipUnits: [Int32]
    let townshipStart: [Int32]
    /// Per unit: the school it is, or −1.
    let schoolOfUnit: [Int]
    /// Per unit: the schools that roll up into it, in school order (the 差异系数 of every unit
    /// and year looks them up; filtering all schools per unit cost more than the figures).
    let schoolsOfUnit: [[Int]]
    let index: [ReportingUnit: Int]

    init(_ ctx: Context) {
        let f = ctx.facts
        var units: [ReportingUnit] = []
        units.append(ReportingUnit(kind: .district, key: f.district?.code ?? "district", name: f.district?.name ?? "全区"))
        var townshipUnit: [TownshipID: Int] = [:]
        for t in f.townships {
            townshipUnit[t.id] = units.count
            units.append(ReportingUnit(kind: .township, key: t.code, name: t.name))
        }
        var zoneUnit: [SchoolZoneID: Int] = [:]
        for z in f.zones {
            zoneUnit[z.id] = units.count
            units.append(ReportingUnit(kind: .zone, key: String(z.id.rawValue), name: z.name))
        }
        var schoolUnit: [Int] = []
        for s in f.schools {
            schoolUnit.append(units.count)
            units.append(ReportingUnit(kind: .school, key: s.code, name: s.name))
        }
        var groupUnit: [String: Int] = [:]
        for g in Ownership.allCases.map(\.rawValue) + UrbanRural.allCases.map(\.rawValue) {
            groupUnit[g] = units.count
            units.append(ReportingUnit(kind: .group, key: g, name: g))
        }
        ofSchool = f.schools.enumerated().map { i, s in
            var list: [Int32] = [0]
            if let t = townshipUnit[s.townshipID] { list.append(Int32(t)) }
            if let z = s.zoneID, let u = zoneUnit[z] { list.append(Int32(u)) }
            list.append(Int32(schoolUnit[i]))
            if let g = groupUnit[s.ownership.rawValue] { list.append(Int32(g)) }
            if let g = groupUnit[s.urbanRural.rawValue] { list.append(Int32(g)) }
            return list
        }
        ofTownship = f.townships.map { t in [0, Int32(townshipUnit[t.id] ?? 0)] }
        (schoolUnits, schoolStart) = Self.flatten(ofSchool)
        (townshipUnits, townshipStart) = Self.flatten(ofTownship)
        self.units = units
        self.schoolUnit = schoolUnit
        var schoolOfUnit = [Int](repeating: -1, count: units.count)
        for (s, u) in schoolUnit.enumerated() { schoolOfUnit[u] = s }
        self.schoolOfUnit = schoolOfUnit
        var members = [[Int]](repeating: [], count: units.count)
        for (s, list) in ofSchool.enumerated() {
            for u in list where members[Int(u)].last != s { members[Int(u)].append(s) }
        }
        schoolsOfUnit = members
        var index: [ReportingUnit: Int] = [:]
        for (i, u) in units.enumerated() { index[u] = i }
        self.index = index
    }
}

extension UnitMap {
    static func flatten(_ lists: [[Int32]]) -> ([Int32], [Int32]) {
        var flat: [Int32] = []
        var start: [Int32] = [0]
        for list in lists {
            flat.append(contentsOf: list)
            start.append(Int32(flat.count))
        }
        return (flat, start)
    }
}

/// Sums an indicator's numerator and denominator into every unit a record belongs to, in
/// one pass over the records; in drill-down mode it also keeps the records of one unit.
///
/// Most records weigh a whole number (a pupil, a class, a class's size). Those are summed per
/// school (or township) first and rolled up into the units when the figures are read: one add
/// per record instead of one per unit. Sums of whole numbers are exact in any order, so the
/// figures are the same bit for bit. The first fractional weight (a resource shared between
/// stages, a refund in yuan) rolls up what was summed so far and every later record is added
/// to the units directly, in the order the records come, as before.
final class Tally {
    private var sums: (numerator: [Double], denominator: [Double])
    private let map: UnitMap
    private let target: Int32?
    /// Whole-number sums not yet rolled up: per school numerator, per school denominator, per
    /// township numerator, per township denominator.
    private let pending: UnsafeMutableBufferPointer<Double>
    private let schoolCount: Int
    private let townshipCount: Int
    /// Whether whole weights still go to `pending` (not when drilling, nor after a fractional weight).
    private var deferring: Bool
    private var touched = false
    /// Whether the records of a unit are being kept (then figures list pupils, not only sums).
    var isDrilling: Bool { target != nil }
    private(set) var numeratorRefs: [RecordRef] = []
    private(set) var denominatorRefs: [RecordRef] = []

    /// The sums per unit (rolled up first).
    var numerator: [Double] { settle(); return sums.numerator }
    var denominator: [Double] { settle(); return sums.denominator }

    init(_ map: UnitMap, drill target: Int? = nil) {
        self.map = map
        sums = ([Double](repeating: 0, count: map.units.count), [Double](repeating: 0, count: map.units.count))
        self.target = target.map(Int32.init)
        schoolCount = map.schoolStart.count - 1
        townshipCount = map.townshipStart.count - 1
        pending = .allocate(capacity: 2 * (schoolCount + townshipCount))
        pending.initialize(repeating: 0)
        deferring = target == nil
    }

    deinit { pending.deallocate() }

    /// Whole and small enough that every sum of such weights is exact in a `Double`.
    private static func isWhole(_ w: Double) -> Bool { w == w.rounded(.towardZero) && abs(w) <= 4_294_967_296 }

    /// Adds to the numerator of a school's units.
    func num(school: Int, _ ref: @autoclosure () -> RecordRef, _ weight: Double = 1) {
        guard school >= 0 else { return }
        if deferring && Self.isWhole(weight) { touched = true; pending[school] += weight; return }
        stopDeferring()
        add(map.schoolUnits, map.schoolStart, school, numerator: true, ref, weight)
    }

    func den(school: Int, _ ref: @autoclosure () -> RecordRef, _ weight: Double = 1) {
        guard school >= 0 else { return }
        if deferring && Self.isWhole(weight) { touched = true; pending[schoolCount + school] += weight; return }
        stopDeferring()
        add(map.schoolUnits, map.schoolStart, school, numerator: false, ref, weight)
    }

    /// Adds to the numerator of a township's units (figures against population data).
    func num(township: Int, _ ref: @autoclosure () -> RecordRef, _ weight: Double = 1) {
        guard township >= 0 else { return }
        if deferring && Self.isWhole(weight) { touched = true; pending[2 * schoolCount + township] += weight; return }
        stopDeferring()
        add(map.townshipUnits, map.townshipStart, township, numerator: true, ref, weight)
    }

    func den(township: Int, _ ref: @autoclosure () -> RecordRef, _ weight: Double = 1) {
        guard township >= 0 else { return }
        if deferring && Self.isWhole(weight) {
            touched = true
            pending[2 * schoolCount + townshipCount + township] += weight
            return
        }
        stopDeferring()
        add(map.townshipUnits, map.townshipStart, township, numerator: false, ref, weight)
    }

    /// Adds to the district's numerator only (a case that belongs to no school, such as a petition).
    func num(district ref: @autoclosure () -> RecordRef, _ weight: Double = 1) {
        if !Self.isWhole(weight) { stopDeferring() }
        add([0], numerator: true, ref, weight)
    }

    func den(district ref: @autoclosure () -> RecordRef, _ weight: Double = 1) {
        if !Self.isWhole(weight) { stopDeferring() }
        add([0], numerator: false, ref, weight)
    }

    private func stopDeferring() {
        guard deferring else { return }
        settle()
        deferring = false
    }

    /// Rolls the whole-number sums per school and township up into their units.
    private func settle() {
        guard touched else { return }
        touched = false
        let none: () -> RecordRef = { RecordRef(.school, 0) }
        for s in 0..<schoolCount {
            let n = pending[s], d = pending[schoolCount + s]
            if n != 0 { add(map.schoolUnits, map.schoolStart, s, numerator: true, none, n) }
            if d != 0 { add(map.schoolUnits, map.schoolStart, s, numerator: false, none, d) }
        }
        let base = 2 * schoolCount
        for t in 0..<townshipCount {
            let n = pending[base + t], d = pending[base + townshipCount + t]
            if n != 0 { add(map.townshipUnits, map.townshipStart, t, numerator: true, none, n) }
            if d != 0 { add(map.townshipUnits, map.townshipStart, t, numerator: false, none, d) }
        }
        pending.update(repeating: 0)
    }

    /// The hottest loop of the engine once a fractional weight came: one buffer access per
    /// record instead of one checked array access per unit.
    private func add(_ flat: [Int32], _ start: [Int32], _ owner: Int, numerator isNumerator: Bool, _ ref: () -> RecordRef,
                     _ weight: Double) {
        let lo = Int(start[owner]), hi = Int(start[owner + 1])
        flat.withUnsafeBufferPointer { units in
            if isNumerator {
                sums.numerator.withUnsafeMutableBufferPointer { b in for k in lo..<hi { b[Int(units[k])] += weight } }
            } else {
                sums.denominator.withUnsafeMutableBufferPointer { b in for k in lo..<hi { b[Int(units[k])] += weight } }
            }
        }
        if let target, flat[lo..<hi].contains(target) {
            if isNumerator { numeratorRefs.append(ref()) } else { denominatorRefs.append(ref()) }
        }
    }

    private func add(_ units: [Int32], numerator isNumerator: Bool, _ ref: () -> RecordRef, _ weight: Double) {
        if isNumerator {
            sums.numerator.withUnsafeMutableBufferPointer { b in for u in units { b[Int(u)] += weight } }
        } else {
            sums.denominator.withUnsafeMutableBufferPointer { b in for u in units { b[Int(u)] += weight } }
        }
        if let target, units.contains(target) {
            if isNumerator { numeratorRefs.append(ref()) } else { denominatorRefs.append(ref()) }
        }
    }
}
