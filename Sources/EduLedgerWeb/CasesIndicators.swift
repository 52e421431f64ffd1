import EduLedgerCore
import EduLedgerIndicators
import EduLedgerStorage

/// The casework rates (见面率、答复率、满意率、按期办结率 …) after a case is opened or stepped.
/// Rebuilding the whole indicator snapshot for that took seconds on a district's year of
/// casework (benchmark of issue 9); when every write since the snapshot was casework, only the
/// casework indicators — the same registry entries — are recomputed, from the registry's
/// units kept in the snapshot and the cases read afresh, and put in place of the old figures.
enum CaseworkIndicators {
    /// The registry's category of the casework indicators.
    static let category = "案件办理"
    /// Their ids in registry order.
    static let orderedIDs: [String] = IndicatorEngine.definitions.filter { $0.category == category }.map(\.id)
    static let ids = Set(orderedIDs)

    /// What the casework figures need besides the cases: the district, townships, zones and
    /// schools (the reporting units) and the snapshot's years.
    static func places(of facts: IndicatorFacts) -> IndicatorFacts {
        IndicatorFacts(district: facts.district, townships: facts.townships, zones: facts.zones, schools: facts.schools,
                       years: facts.years)
    }

    /// The snapshot with fresh casework figures, or `nil` when something else was written since
    /// `version` (then the caller rebuilds everything).
    static func refresh(_ cached: IndicatorSnapshot, loader: IndicatorFactsLoader, since version: Int64) async throws -> IndicatorSnapshot? {
        guard let first = cached.years.first, let last = cached.years.last,
              try await loader.onlyCaseworkWritten(since: version) else { return nil }
        var facts = cached.places
        facts.cases = try await loader.caseFacts(years: facts.years)
        let engine = IndicatorEngine(facts: facts)
        guard let report = splice(cached.report, fresh: try engine.compute(years: first...last, indicators: orderedIDs)) else { return nil }
        return IndicatorSnapshot(engine: cached.engine, report: report, places: cached.places, caseEngine: engine)
    }

    struct Key: Hashable {
        var indicatorID: String
        var unit: ReportingUnit
        var year: Int
    }

    /// `report` with each casework value replaced by the fresh one of the same indicator, unit
    /// and year; `nil` if the two do not cover the same figures (the units changed).
    static func splice(_ report: IndicatorReport, fresh: IndicatorReport) -> IndicatorReport? {
        var byKey: [Key: IndicatorValue] = [:]
        for v in fresh.values { byKey[Key(indicatorID: v.indicatorID, unit: v.unit, year: v.year)] = v }
        var out = report
        var replaced = 0
        for (i, v) in report.values.enumerated() where ids.contains(v.indicatorID) {
            guard let new = byKey[Key(indicatorID: v.indicatorID, unit: v.unit, year: v.year)] else { return nil }
            out.values[i] = new
            replaced += 1
        }
        return replaced == fresh.values.count ? out : nil
    }
}
