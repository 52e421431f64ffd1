import EduLedgerCore

/// What a reporting unit is in the registry, so a caller can decide who may see it (a township
/// officer sees their township and its schools, a school itself) without knowing the keys.
extension IndicatorEngine {
    /// The school years the snapshot covers.
    public var years: ClosedRange<Int> { context.facts.years }

    /// The school a school unit stands for.
    public func schoolID(of unit: ReportingUnit) -> SchoolID? {
        guard unit.kind == .school, let u = map.index[unit] else { return nil }
        let s = map.schoolOfUnit[u]
        return s >= 0 ? context.schools[s].id : nil
    }

    /// The township a township unit stands for.
    public func townshipID(of unit: ReportingUnit) -> TownshipID? {
        guard unit.kind == .township else { return nil }
        return context.facts.townships.first { $0.code == unit.key }?.id
    }

    /// The zone a zone unit stands for.
    public func zoneID(of unit: ReportingUnit) -> SchoolZoneID? {
        guard unit.kind == .zone, let raw = Int64(unit.key) else { return nil }
        return SchoolZoneID(raw)
    }

    /// The unit of a school, township or zone of the registry.
    public func unit(school id: SchoolID) -> ReportingUnit? {
        guard let s = context.schoolIndex[id] else { return nil }
        return map.units[map.schoolUnit[s]]
    }

    public func unit(township id: TownshipID) -> ReportingUnit? {
        guard let t = context.facts.townships.first(where: { $0.id == id }) else { return nil }
        return map.units.first { $0.kind == .township && $0.key == t.code }
    }

    public func unit(zone id: SchoolZoneID) -> ReportingUnit? {
        map.units.first { $0.kind == .zone && $0.key == String(id.rawValue) }
    }

    /// The schools (by unit) that roll up into `unit`, in registry order.
    public func schoolUnits(in unit: ReportingUnit) -> [ReportingUnit] {
        guard let u = map.index[unit] else { return [] }
        return map.schoolUnit.indices.filter { map.ofSchool[$0].contains(Int32(u)) }.map { map.units[map.schoolUnit[$0]] }
    }
}
