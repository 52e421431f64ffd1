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
        return IndicatorSnapshot(refreshing: cached, report: report, caseEngine: engine)
    }

    /// `report` with each casework value replaced by the fresh one of the same indicator, unit
    /// and year; `nil` if the two do not cover the same figures (the units changed). Both list
    /// their values by year, then in registry order, then by unit, so the casework values of
    /// `report` and those of `fresh` come in the same order: matched in one walk, each checked.
    static func splice(_ report: IndicatorReport, fresh: IndicatorReport) -> IndicatorReport? {
        var out = report
        var k = 0
        for (i, v) in report.values.enumerated() where ids.contains(v.indicatorID) {
            guard k < fresh.values.count else { return nil }
            let new = fresh.values[k]
            guard new.indicatorID == v.indicatorID, new.year == v.year, new.unit == v.unit else { return nil }
            out.values[i] = new
            k += 1
        }
        return k == fresh.values.count ? out : nil
    }
}
