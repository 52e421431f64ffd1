import EduLedgerCore
import Foundation

/// How an indicator is computed. Most are sums of records per unit (so every level comes
/// out of one pass); the 差异系数 and the 均衡 check are computed from the per-school sums.
enum Computation: Sendable {
    /// Adds each record to the numerator and denominator of every unit it belongs to.
    case additive(@Sendable (Context, Int, Tally) -> Void)
    /// The enrolment-weighted coefficient of variation, across a unit's schools, of the
    /// per-student figure of the additive indicator with this id.
    case dispersion(of: String)
    /// Schools meeting the 优质均衡 standards (6 of 7 reached, the seventh at least 85%).
    case balancePass(BalanceStage)
    /// The product of other rates (a survival estimate from grade-to-grade rates).
    case product([String])
}

/// An indicator: its written definition and, right beside it, the code that computes it.
struct Indicator: Sendable {
    let definition: IndicatorDefinition
    let computation: Computation
}

/// Every figure of every indicator, at every unit, for the requested years.
public struct IndicatorReport: Sendable, Codable {
    public var definitions: [IndicatorDefinition]
    public var units: [ReportingUnit]
    public var years: [Int]
    public var values: [IndicatorValue]

    public func definition(_ id: String) -> IndicatorDefinition? { definitions.first { $0.id == id } }

    /// The values of one unit and year, in the registry's order.
    public func values(unit: ReportingUnit, year: Int) -> [IndicatorValue] {
        values.filter { $0.unit == unit && $0.year == year }
    }
}

/// Computes the indicator registry over an in-memory snapshot. Pure: no I/O, deterministic
/// (the output order is the registry's and the units' order, never a hash order).
public struct IndicatorEngine: Sendable {
    let context: Context
    let map: UnitMap

    public init(facts: IndicatorFacts) {
        context = Context(facts)
        map = UnitMap(context)
    }

    /// The registry's definitions in order.
    public static var definitions: [IndicatorDefinition] { IndicatorRegistry.all.map(\.definition) }

    public static func definition(_ id: String) -> IndicatorDefinition? {
        IndicatorRegistry.byID[id]?.definition
    }

    /// Every reporting unit of the snapshot: the district, townships, zones, schools, groups.
    public var units: [ReportingUnit] { map.units }

    /// Finds a unit by level and key (township code, zone id or name, school code, group name).
    public func unit(kind: UnitKind, key: String?) throws -> ReportingUnit {
        let candidates = map.units.filter { $0.kind == kind }
        if kind == .district { return map.units[0] }
        guard let key else { throw IndicatorError.unknownUnit("") }
        if let u = candidates.first(where: { $0.key == key || $0.name == key }) { return u }
        throw IndicatorError.unknownUnit(key)
    }

    /// Computes the indicators (all, or those named) for the years (default: the snapshot's),
    /// at the levels named (default: all), with the change from the year before.
    public func compute(years: ClosedRange<Int>? = nil, indicators ids: [String]? = nil,
                        levels: Set<UnitKind> = Set(UnitKind.allCases)) throws -> IndicatorReport {
        let years = years ?? context.facts.years
        var selected: [Indicator] = []
        if let ids {
            for id in ids {
                guard let i = IndicatorRegistry.byID[id] else { throw IndicatorError.unknownIndicator(id) }
                selected.append(i)
            }
        } else {
            selected = IndicatorRegistry.all
        }
        // Derived figures need their inputs, computed before them, also when only the derived
        // one was asked for.
        var needed: [Indicator] = []
        var known = Set<String>()
        func add(_ i: Indicator) {
            guard !known.contains(i.definition.id) else { return }
            for dep in Self.dependencies(i) { if let d = IndicatorRegistry.byID[dep] { add(d) } }
            known.insert(i.definition.id)
            needed.append(i)
        }
        selected.forEach(add)
        let wanted = Set(selected.map(\.definition.id))
        var values: [IndicatorValue] = []
        var previous: [Int: [String: [Double?]]] = [:]
        // The years are independent of each other (the change from last year is taken after),
        // so they are computed in parallel; each result lands in its own slot, and the output
        // is assembled in year and registry order, so it does not depend on the scheduling.
        let allYears = Array((years.lowerBound - 1)...years.upperBound)
        let slots = ParallelSlots<[String: (num: [Double], den: [Double]?, value: [Double?])]>(count: allYears.count)
        let order = needed
        DispatchQueue.concurrentPerform(iterations: allYears.count) { k in
            var results: [String: (num: [Double], den: [Double]?, value: [Double?])] = [:]
            for indicator in order {
                results[indicator.definition.id] = evaluate(indicator, year: allYears[k], results: results)
            }
            slots.set(k, results)
        }
        // At most one value per year, indicator and unit: reserved once (a million values at
        // city scale; grown by doubling they were copied and their pages cleared again and again).
        values.reserveCapacity(years.count * selected.count * map.units.count)
        for (k, year) in allYears.enumerated() {
            let results = slots.get(k) ?? [:]
            previous[year] = results.mapValues(\.value)
            guard years.contains(year) else { continue }
            for indicator in selected {
                let d = indicator.definition
                guard wanted.contains(d.id), let r = results[d.id] else { continue }
                let before = previous[year - 1]?[d.id]
                for (u, unit) in map.units.enumerated() where d.levels.contains(unit.kind) && levels.contains(unit.kind) {
                    guard isActive(unit: u, year: year) else { continue }
                    let v = r.value[u]
                    let p = before?[u] ?? nil
                    values.append(IndicatorValue(
                        indicatorID: d.id, year: year, unit: unit, numerator: r.num[u], denominator: r.den?[u], value: v,
                        previous: p, change: v.flatMap { v in p.map { v - $0 } }))
                }
            }
        }
        return IndicatorReport(definitions: selected.map(\.definition), units: map.units.filter { levels.contains($0.kind) },
                               years: Array(years), values: values)
    }

    /// The records in a figure's numerator and denominator.
    public func drillDown(indicatorID: String, unit: ReportingUnit, year: Int) throws -> DrillDown {
        guard let indicator = IndicatorRegistry.byID[indicatorID] else { throw IndicatorError.unknownIndicator(indicatorID) }
        guard let u = map.index[unit] else { throw IndicatorError.unknownUnit(unit.key) }
        guard indicator.definition.levels.contains(unit.kind) else {
            throw IndicatorError.notAtLevel(indicator.definition, unit.kind)
        }
        var num: [RecordRef] = []
        var den: [RecordRef] = []
        switch indicator.computation {
        case .additive(let body):
            let tally = Tally(map, drill: u)
            body(context, year, tally)
            num = tally.numeratorRefs
            den = tally.denominatorRefs
        case .dispersion, .balancePass:
            // The schools whose figures enter the unit's value.
            let schools = balanceSchools(unit: u, year: year, indicator: indicator)
            num = schools
            den = schools
        case .product(let ids):
            // A product has no records of its own; list those of its first factor.
            if let first = ids.first { return try drillDown(indicatorID: first, unit: unit, year: year) }
        }
        return DrillDown(indicatorID: indicatorID, year: year, unit: unit, numerator: Self.unique(num),
                         denominator: Self.unique(den))
    }

    /// A readable line for a record in a drill-down list (the CLI adds names from the database).
    public func describe(_ ref: RecordRef) -> String {
        let f = context.facts
        switch ref.kind {
        case .student:
            guard let i = context.studentPositions[ref.id] else { return "学生#\(ref.id)" }
            let s = f.students[i]
            return "学生#\(ref.id) \(s.gender.rawValue) 出生\(s.birthDate)"
        case .schoolClass:
            guard let c = f.classes.first(where: { $0.id.rawValue == ref.id }) else { return "班级#\(ref.id)" }
            let school = context.schoolIndex[c.schoolID].map { f.schools[$0].name } ?? ""
            return "班级#\(ref.id) \(school)\(c.name)（\(c.schoolYear.name)）"
        case .staff:
            guard let m = f.staff.first(where: { $0.id.rawValue == ref.id }) else { return "教职工#\(ref.id)" }
            let school = m.schoolID.flatMap { context.schoolIndex[$0] }.map { f.schools[$0].name } ?? ""
            return "教职工#\(ref.id) \(school) \(m.post.rawValue) \(m.qualification.rawValue)\(m.backbone ? " 骨干" : "")"
        case .school, .resources:
            guard let i = context.schoolIndex[SchoolID(ref.id)] else { return "学校#\(ref.id)" }
            let s = f.schools[i]
            return "\(ref.kind == .resources ? "办学条件 " : "")\(s.name)（\(s.code)）"
        case .casework:
            guard let c = f.cases.first(where: { $0.id == ref.id }) else { return "案件#\(ref.id)" }
            return "案件#\(ref.id) \(c.kind) 受理\(c.receivedOn) \(c.state)"
        case .classDraw:
            guard let d = f.draws.first(where: { $0.id == ref.id }) else { return "编班#\(ref.id)" }
            let school = context.schoolIndex[d.schoolID].map { f.schools[$0].name } ?? ""
            return "编班#\(ref.id) \(school)\(d.schoolYear)年\(d.grade.rawValue) \(d.studentCount)人编\(d.classCount)个班"
        case .population:
            guard ref.id >= 0, Int(ref.id) < f.population.count else { return "人口#\(ref.id)" }
            let p = f.population[Int(ref.id)]
            let t = context.townshipIndex[p.townshipID].map { f.townships[$0].name } ?? ""
            return "适龄人口 \(p.year.startYear)年 \(t) \(p.age)岁 \(p.gender.rawValue) \(p.count)人（残疾\(p.disabledCount)人）"
        }
    }

    // MARK: Evaluation

    private func evaluate(_ indicator: Indicator, year: Int,
                          results: [String: (num: [Double], den: [Double]?, value: [Double?])])
        -> (num: [Double], den: [Double]?, value: [Double?]) {
        let d = indicator.definition
        switch indicator.computation {
        case .additive(let body):
            let tally = Tally(map)
            body(context, year, tally)
            if d.denominator == nil {
                return (tally.numerator, nil, tally.numerator.map { $0 })
            }
            let values = zip(tally.numerator, tally.denominator).map { n, dd -> Double? in
                dd > 0 ? n / dd * d.factor.multiplier : nil
            }
            return (tally.numerator, tally.denominator, values)
        case .dispersion(let source):
            guard let src = results[source], let den = src.den else {
                return ([Double](repeating: 0, count: map.units.count), nil, [Double?](repeating: nil, count: map.units.count))
            }
            var out = [Double?](repeating: nil, count: map.units.count)
            var counts = [Double](repeating: 0, count: map.units.count)
            for u in map.units.indices where map.units[u].kind != .school {
                let members = map.schoolsOfUnit[u].filter { den[map.schoolUnit[$0]] > 0 }
                counts[u] = Double(members.count)
                let n = members.map { den[map.schoolUnit[$0]] }
                let x = members.map { src.num[map.schoolUnit[$0]] / den[map.schoolUnit[$0]] }
                out[u] = Balance.coefficientOfVariation(students: n, perStudent: x)
            }
            return (counts, nil, out)
        case .balancePass(let stage):
            var num = [Double](repeating: 0, count: map.units.count)
            var den = [Double](repeating: 0, count: map.units.count)
            for (s, host) in map.schoolUnit.enumerated() {
                guard let check = Balance.check(stage: stage, school: host, results: results) else { continue }
                for u in map.ofSchool[s] {
                    den[Int(u)] += 1
                    if check.passes { num[Int(u)] += 1 }
                }
            }
            let values = zip(num, den).map { n, dd -> Double? in dd > 0 ? n / dd * 100 : nil }
            return (num, den, values)
        case .product(let ids):
            var out = [Double?](repeating: 1, count: map.units.count)
            for id in ids {
                let factor = results[id]?.value ?? []
                for u in out.indices {
                    if let o = out[u], u < factor.count, let v = factor[u] { out[u] = o * v / 100 } else { out[u] = nil }
                }
            }
            return ([Double](repeating: 0, count: map.units.count), nil, out.map { $0.map { $0 * 100 } })
        }
    }

    private func balanceSchools(unit u: Int, year: Int, indicator: Indicator) -> [RecordRef] {
        map.schoolUnit.indices.filter { map.ofSchool[$0].contains(Int32(u)) && context.balanceHost[$0] == $0 }
            .filter { context.schools[$0].isOpen(on: SchoolYear(year).referenceDate) }
            .map { RecordRef(.school, context.schools[$0].id.rawValue) }
    }

    /// A school unit is listed for the years it is open; other units always.
    private func isActive(unit u: Int, year: Int) -> Bool {
        let s = map.schoolOfUnit[u]
        guard s >= 0 else { return true }
        return context.schools[s].isOpen(on: SchoolYear(year).referenceDate)
    }

    static func dependencies(_ i: Indicator) -> [String] {
        switch i.computation {
        case .additive: return []
        case .dispersion(let id): return [id]
        case .balancePass(let stage): return BalanceItem.allCases.filter(\.isStandard).map { $0.id(stage) }
        case .product(let ids): return ids
        }
    }

    static func unique(_ refs: [RecordRef]) -> [RecordRef] {
        var seen = Set<RecordRef>()
        return refs.filter { seen.insert($0).inserted }.sorted()
    }
}
