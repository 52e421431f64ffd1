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
final class Tally {
    var numerator: [Double]
    var denominator: [Double]
    private let map: UnitMap
    private let target: Int32?
    /// Whether the records of a unit are being kept (then figures list pupils, not only sums).
    var isDrilling: Bool { target != nil }
    private(set) var numeratorRefs: [RecordRef] = []
    private(set) var denominatorRefs: [RecordRef] = []

    init(_ map: UnitMap, drill target: Int? = nil) {
        self.map = map
        numerator = [Double](repeating: 0, count: map.units.count)
        denominator = [Double](repeating: 0, count: map.units.count)
        self.target = target.map(Int32.init)
    }

    /// Adds to the numerator of a school's units.
    func num(school: Int, _ ref: RecordRef, _ weight: Double = 1) {
        if school >= 0 { add(map.schoolUnits, map.schoolStart, school, numerator: true, ref, weight) }
    }

    func den(school: Int, _ ref: RecordRef, _ weight: Double = 1) {
        if school >= 0 { add(map.schoolUnits, map.schoolStart, school, numerator: false, ref, weight) }
    }

    /// Adds to the numerator of a township's units (figures against population data).
    func num(township: Int, _ ref: RecordRef, _ weight: Double = 1) {
        if township >= 0 { add(map.townshipUnits, map.townshipStart, township, numerator: true, ref, weight) }
    }

    func den(township: Int, _ ref: RecordRef, _ weight: Double = 1) {
        if township >= 0 { add(map.townshipUnits, map.townshipStart, township, numerator: false, ref, weight) }
    }

    /// Adds to the district's numerator only (a case that belongs to no school, such as a petition).
    func num(district ref: RecordRef, _ weight: Double = 1) { add([0], numerator: true, ref, weight) }

    func den(district ref: RecordRef, _ weight: Double = 1) { add([0], numerator: false, ref, weight) }

    /// The hottest loop of the engine: one buffer access per record instead of one checked
    /// array access per unit (the exclusivity checks on a class's arrays cost more than the adds).
    private func add(_ flat: [Int32], _ start: [Int32], _ owner: Int, numerator isNumerator: Bool, _ ref: RecordRef,
                     _ weight: Double) {
        let lo = Int(start[owner]), hi = Int(start[owner + 1])
        flat.withUnsafeBufferPointer { units in
            if isNumerator {
                numerator.withUnsafeMutableBufferPointer { b in for k in lo..<hi { b[Int(units[k])] += weight } }
            } else {
                denominator.withUnsafeMutableBufferPointer { b in for k in lo..<hi { b[Int(units[k])] += weight } }
            }
        }
        if let target, flat[lo..<hi].contains(target) {
            if isNumerator { numeratorRefs.append(ref) } else { denominatorRefs.append(ref) }
        }
    }

    private func add(_ units: [Int32], numerator isNumerator: Bool, _ ref: RecordRef, _ weight: Double) {
        if isNumerator {
            numerator.withUnsafeMutableBufferPointer { b in for u in units { b[Int(u)] += weight } }
        } else {
            denominator.withUnsafeMutableBufferPointer { b in for u in units { b[Int(u)] += weight } }
        }
        if let target, units.contains(target) {
            if isNumerator { numeratorRefs.append(ref) } else { denominatorRefs.append(ref) }
        }
    }
}
