import EduLedgerCore
import EduLedgerIndicators

/// Computes a template's figures for one unit and period from a snapshot of the records, and lays
/// the report out. The same template works at every level: the unit decides what is summed.
///
/// Periods: a summary, a section's or a thematic report takes its figures from its own year; a
/// 述职 covering n years sums flow figures (毕业, 辍学 …) over them and takes stock figures
/// (在校生, 班数 …) at the end; a plan for year Y takes the figures of Y−1.
public struct ReportGenerator: Sendable {
    public let facts: IndicatorFacts
    public let engine: IndicatorEngine

    public init(facts: IndicatorFacts) {
        self.facts = facts
        self.engine = IndicatorEngine(facts: facts)
    }

    /// The school years whose figures a report of `genre` for `year` uses.
    public static func dataYears(genre: ReportGenre, year: Int, yearsCovered: Int) -> [Int] {
        switch genre {
        case .dutyReport: return Array((year - max(1, yearsCovered) + 1)...year)
        case .plan: return [year - 1]
        case .annualSummary, .sectionReport, .thematicReport: return [year]
        }
    }

    /// Parses and generates; a template with mistakes is refused with all of them.
    public func generate(text: String, year: Int, unit: ReportingUnit) throws -> ReportDocument {
        let parsed = TemplateParser.parse(text)
        guard parsed.isValid else { throw ReportError.template(parsed.errors) }
        return try generate(parsed.template, year: year, unit: unit)
    }

    public func generate(_ template: ReportTemplate, year: Int, unit: ReportingUnit) throws -> ReportDocument {
        let years = Self.dataYears(genre: template.genre, year: year, yearsCovered: template.yearsCovered)
        guard let end = years.last, let startYear = years.first else { throw ReportError.noData(year) }
        guard facts.years.contains(end) else { throw ReportError.noData(end) }
        var state = Evaluation(generator: self, unit: unit, reportYear: year, years: years)
        try state.prepare(template)
        var blocks: [ReportBlock] = []
        var counters = [0, 0, 0]
        let title = state.runs(template.title)
        for block in template.blocks {
            switch block {
            case .heading(let level, let segments):
                counters[level - 1] += 1
                for deeper in level..<3 { counters[deeper] = 0 }
                blocks.append(.heading(level: level, number: ReportPhrases.headingNumber(level: level, counters[level - 1]),
                                       state.runs(segments)))
            case .paragraph(let s): blocks.append(.paragraph(state.runs(s)))
            case .signature(let s): blocks.append(.signature(state.runs(s)))
            case .pageBreak: blocks.append(.pageBreak)
            case .table(let rows):
                guard let header = rows.first else { continue }
                blocks.append(.table(header: header.map { state.runs($0) }, rows: rows.dropFirst().map { $0.map { state.runs($0) } }))
            case .unitTable(let level, let columns):
                let children = self.children(of: unit, level: level)
                if children.isEmpty { state.notes.append("“\(unit.name)”下没有\(level.rawValue)，分\(level.rawValue)表未列出") }
                let header: [[ReportRun]] = [[.text(level.rawValue)]] + columns.map { [.text(state.columnTitle($0))] }
                let rows = children.map { child in [[ReportRun.text(child.name)]] + columns.map { state.runs([.reference($0)], at: child) } }
                blocks.append(.table(header: header, rows: rows))
            case .moneyTable(let level, let ref):
                blocks.append(state.moneyTable(level: level, ref: ref, children: children(of: unit, level: level)))
            case .chart(let spec):
                blocks.append(state.chart(spec, after: blocks, children: spec.level.map { children(of: unit, level: $0) } ?? []))
            }
        }
        let span = startYear == end ? "\(end)年" : "\(startYear)—\(end)年"
        let titleText = title.map(\.text).joined()
        return ReportDocument(
            title: titleText.isEmpty ? "\(unit.name)\(span)\(template.genre.rawValue)" : titleText, genre: template.genre, unit: unit,
            reportYear: year, dataYears: years, blocks: blocks, figures: state.figures, notes: state.notes)
    }

    // MARK: Places

    /// The units of `level` inside `unit`, in the registry's order.
    public func children(of unit: ReportingUnit, level: ChildLevel) -> [ReportingUnit] {
        let schools = schools(in: unit)
        let ids = Set(schools.map(\.id))
        switch level {
        case .school:
            let codes = Set(schools.map(\.code))
            return engine.units.filter { $0.kind == .school && codes.contains($0.key) && $0 != unit }
        case .township:
            guard unit.kind == .district else { return [] }
            return engine.units.filter { $0.kind == .township }
        case .zone:
            guard unit.kind == .district || unit.kind == .township else { return [] }
            let zoneKeys = Set(facts.schools.filter { ids.contains($0.id) }.compactMap { $0.zoneID.map { String($0.rawValue) } })
            return engine.units.filter { $0.kind == .zone && zoneKeys.contains($0.key) }
        }
    }

    /// The schools a unit adds up (every school of the snapshot for the district).
    public func schools(in unit: ReportingUnit) -> [School] {
        switch unit.kind {
        case .district, .group: return facts.schools
        case .township:
            guard let t = facts.townships.first(where: { $0.code == unit.key }) else { return [] }
            return facts.schools.filter { $0.townshipID == t.id }
        case .zone: return facts.schools.filter { $0.zoneID.map { String($0.rawValue) } == unit.key }
        case .school: return facts.schools.filter { $0.code == unit.key }
        }
    }

    /// The unit of an account's place, for the web app and the CLI.
    public func unit(township id: TownshipID) -> ReportingUnit? {
        facts.townships.first { $0.id == id }.flatMap { t in engine.units.first { $0.kind == .township && $0.key == t.code } }
    }
    public func unit(zone id: SchoolZoneID) -> ReportingUnit? {
        engine.units.first { $0.kind == .zone && $0.key == String(id.rawValue) }
    }
    public func unit(school id: SchoolID) -> ReportingUnit? {
        facts.schools.first { $0.id == id }.flatMap { s in engine.units.first { $0.kind == .school && $0.key == s.code } }
    }
    public var district: ReportingUnit? { engine.units.first }

    /// Total money of a measure for the unit's schools in a year, exactly; with the number of school rows.
    func money(_ id: String, unit: ReportingUnit, year: Int) -> (Money, Int)? {
        guard id == "money.equipment", unit.kind != .group else { return nil }
        let ids = Set(schools(in: unit).map(\.id))
        let rows = facts.resources.filter { $0.year.startYear == year && ids.contains($0.schoolID) }
        guard !rows.isEmpty else { return nil }
        return (rows.reduce(Money.zero) { $0 + $1.equipmentValue }, rows.count)
    }
}

/// Why a report could not be generated.
public enum ReportError: UserFacingError, Equatable {
    case template([TemplateError])
    case noData(Int)
    case unknownUnit(String)

    public var code: String {
        switch self {
        case .template: return "report.template"
        case .noData: return "report.no_data"
        case .unknownUnit: return "report.unknown_unit"
        }
    }

    public var message: String {
        switch self {
        case .template(let errors):
            return "模板有\(errors.count)处错误：" + errors.prefix(5).map(\.description).joined(separator: "；")
        case .noData(let y): return "没有\(y)学年的数据（9月1日的记录），无法生成报告"
        case .unknownUnit(let key): return "找不到统计单位“\(key)”"
        }
    }
}
