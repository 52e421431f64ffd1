import EduLedgerCore
import EduLedgerIndicators
import EduLedgerStorage
import Foundation

/// Every indicator at every level for the last five school years, computed once and kept until
/// the next write. The whole registry is computed at once because the pages show many figures
/// side by side (the district at a glance, a table of all schools, five years of a trend) and
/// one pass over the records gives all of them (see BENCHMARKS.md, indicators).
struct IndicatorSnapshot: Sendable {
    struct Key: Hashable, Sendable {
        var indicatorID: String
        var unit: ReportingUnit
        var year: Int
    }

    let engine: IndicatorEngine
    /// The engine the casework figures come from: `engine` after a full build, or one over the
    /// registry and the newer cases after a casework-only refresh (CasesIndicators.swift).
    let caseEngine: IndicatorEngine
    let report: IndicatorReport
    /// The units and years the snapshot was built for, kept to refresh the casework alone.
    let places: IndicatorFacts
    /// The years shown, oldest first.
    let years: [Int]
    private let index: [Key: Int]

    init(engine: IndicatorEngine, report: IndicatorReport, places: IndicatorFacts, caseEngine: IndicatorEngine? = nil) {
        self.engine = engine
        self.caseEngine = caseEngine ?? engine
        self.report = report
        self.places = places
        self.years = report.years
        var index: [Key: Int] = [:]
        index.reserveCapacity(report.values.count)
        for (i, v) in report.values.enumerated() { index[Key(indicatorID: v.indicatorID, unit: v.unit, year: v.year)] = i }
        self.index = index
    }

    /// `cached` with `report` in place of its report — the same figures in the same places, only
    /// the casework values new (CasesIndicators.swift) — so the index is kept, not rebuilt.
    init(refreshing cached: IndicatorSnapshot, report: IndicatorReport, caseEngine: IndicatorEngine) {
        self.engine = cached.engine
        self.caseEngine = caseEngine
        self.report = report
        self.places = cached.places
        self.years = cached.years
        self.index = cached.index
    }

    func value(_ id: String, _ unit: ReportingUnit, _ year: Int) -> IndicatorValue? {
        index[Key(indicatorID: id, unit: unit, year: year)].map { report.values[$0] }
    }

    /// The engine that computed this indicator's figures, for its drill-down.
    func engine(for indicatorID: String) -> IndicatorEngine {
        CaseworkIndicators.ids.contains(indicatorID) ? caseEngine : engine
    }

    var definitions: [IndicatorDefinition] { report.definitions }
    var latestYear: Int { years.last ?? 0 }
}

/// The cache of the snapshot, keyed by the data version (the newest audit line), so a transfer
/// or a year end shows in the figures on the next page view.
actor IndicatorCache {
    private var version: Int64 = -1
    private var snapshot: IndicatorSnapshot?

    func snapshot(version: Int64, build: @Sendable () async throws -> IndicatorSnapshot,
                  refresh: @Sendable (_ cached: IndicatorSnapshot, _ since: Int64) async throws -> IndicatorSnapshot? = { _, _ in nil })
        async throws -> IndicatorSnapshot {
        if let snapshot, version == self.version { return snapshot }
        // Only casework written since: its figures are recomputed, the rest is kept.
        let fresh: IndicatorSnapshot
        if let snapshot, self.version >= 0, let refreshed = try await refresh(snapshot, self.version) {
            fresh = refreshed
        } else {
            fresh = try await build()
        }
        self.version = version
        self.snapshot = fresh
        return fresh
    }
}

/// Loads or reuses the snapshot for the web pages and the API.
struct IndicatorService: Sendable {
    let deps: AppDependencies
    let cache = IndicatorCache()
    static let yearsShown = 5

    var loader: IndicatorFactsLoader { IndicatorFactsLoader(database: deps.config.database) }

    func snapshot() async throws -> IndicatorSnapshot {
        let loader = self.loader
        let version = try await loader.dataVersion()
        let today = deps.today
        return try await cache.snapshot(version: version, build: {
            let current = SchoolYear(containing: today).startYear
            let available = try await loader.availableYears() ?? current...current
            // The coming year is shown as soon as its records exist (a year end confirmed in
            // summer opens the periods of 9月1日 next), so the effect of a promotion can be checked.
            let last = min(available.upperBound, max(current + 1, available.lowerBound))
            let first = max(available.lowerBound, last - Self.yearsShown + 1)
            let facts = try await loader.load(years: (first - 1)...last)
            let engine = IndicatorEngine(facts: facts)
            return IndicatorSnapshot(engine: engine, report: try engine.compute(years: first...last),
                                     places: CaseworkIndicators.places(of: facts))
        }, refresh: { cached, since in
            try await CaseworkIndicators.refresh(cached, loader: loader, since: since)
        })
    }
}

/// Which reporting units a user may see: the district and its groups for district-wide users;
/// otherwise their own township or zone and the schools they may read (a school sees itself and
/// its teaching points). A unit outside is "not found", as everywhere else.
struct IndicatorScope: Sendable {
    let user: CurrentUser
    let snapshot: IndicatorSnapshot

    /// The unit of the user's own place.
    var home: ReportingUnit? {
        let e = snapshot.engine
        switch user.account.scope {
        case .district: return e.units.first
        case .township(let id): return e.unit(township: id)
        case .zone(let id): return e.unit(zone: id)
        case .school(let id): return e.unit(school: id)
        }
    }

    func allows(_ unit: ReportingUnit) -> Bool {
        if user.readable == nil { return true }
        if unit == home { return true }
        if unit.kind == .school, let id = snapshot.engine.schoolID(of: unit) { return AccessPolicy.contains(user.readable, id) }
        return false
    }

    /// The units of one level the user may see, in registry order.
    func units(_ kind: UnitKind) -> [ReportingUnit] {
        snapshot.engine.units.filter { $0.kind == kind && allows($0) }
    }

    /// Levels the user can list below their place.
    var tableLevels: [UnitKind] {
        user.readable == nil ? [.township, .zone, .school, .group] : (units(.school).count > 1 ? [.school] : [])
    }

    /// `kind:key` from a query parameter, or the user's home; 404 outside the scope.
    func unit(_ parameter: String?) throws -> ReportingUnit {
        guard let parameter else {
            guard let home else { throw AppError.notFound }
            return home
        }
        let parts = parameter.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, let kind = UnitKind(rawValue: parts[0]),
              let unit = try? snapshot.engine.unit(kind: kind, key: parts[1]), allows(unit) else { throw AppError.notFound }
        return unit
    }

    static func parameter(_ unit: ReportingUnit) -> String { "\(unit.kind.rawValue):\(unit.key)" }
}
