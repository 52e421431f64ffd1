import EduLedgerCore
import EduLedgerIndicators

/// One generation run: the computed values of every referenced indicator, and the figures in the
/// order they are printed (so ids F001, F002 … are the same every time the template is generated).
struct Evaluation {
    let generator: ReportGenerator
    let unit: ReportingUnit
    let reportYear: Int
    let years: [Int]
    var figures: [ReportFigure] = []
    var notes: [String] = []
    private var values: [Key: IndicatorValue] = [:]
    private var noted = Set<String>()

    struct Key: Hashable {
        var id: String
        var unit: ReportingUnit
        var year: Int
    }

    init(generator: ReportGenerator, unit: ReportingUnit, reportYear: Int, years: [Int]) {
        self.generator = generator; self.unit = unit; self.reportYear = reportYear; self.years = years
    }

    var end: Int { years.last ?? reportYear }

    /// Computes every indicator the template names, once, for the years any reference needs.
    mutating func prepare(_ template: ReportTemplate) throws {
        var ids: [String] = []
        var seen = Set<String>()
        var earliest = years.first ?? end
        var levels: Set<UnitKind> = [unit.kind]
        for block in template.blocks {
            switch block {
            case .unitTable(let level, _), .moneyTable(let level, _):
                switch level {
                case .township: levels.insert(.township)
                case .zone: levels.insert(.zone)
                case .school: levels.insert(.school)
                }
            case .chart(let c): if let level = c.level { levels.insert(level.unitKind) }
            default: break
            }
        }
        for ref in template.references {
            guard case .indicator(let id) = ref.target else { continue }
            if seen.insert(id).inserted { ids.append(id) }
            if ref.modifiers.contains(.trend) { earliest = min(earliest, end - ref.trendYears + 1) }
            if ref.modifiers.contains(.compare) || ref.modifiers.contains(.changeOnly) || ref.modifiers.contains(.lastYear) {
                earliest = min(earliest, (years.first ?? end) - years.count)
            }
        }
        guard !ids.isEmpty else { return }
        let available = generator.facts.years
        let low = max(earliest, available.lowerBound)
        guard low <= end else { return }
        let report = try generator.engine.compute(years: low...end, indicators: ids, levels: levels)
        for v in report.values { values[Key(id: v.indicatorID, unit: v.unit, year: v.year)] = v }
    }

    // MARK: Text

    mutating func runs(_ segments: [Segment], at place: ReportingUnit? = nil) -> [ReportRun] {
        segments.map { segment in
            switch segment {
            case .text(let t): return .text(t)
            case .reference(let ref): return run(ref, at: place ?? unit)
            }
        }
    }

    func columnTitle(_ ref: FigureReference) -> String {
        switch ref.target {
        case .indicator(let id):
            let name = IndicatorEngine.definition(id)?.nameZH ?? id
            if ref.modifiers.contains(.changeOnly) { return name + "比上年" }
            return name
        case .money(let id):
            let m = ReportVocabulary.moneyMeasures.first { $0.id == id }
            return (m?.nameZH ?? id) + "（\((ref.moneyUnit ?? .wanyuan).rawValue)）"
        case .keyword(let k): return k.rawValue
        }
    }

    private mutating func run(_ ref: FigureReference, at place: ReportingUnit) -> ReportRun {
        switch ref.target {
        case .keyword(let k): return .text(keyword(k))
        case .indicator(let id): return indicatorRun(ref, id: id, at: place)
        case .money(let id): return moneyRun(ref, id: id, at: place)
        }
    }

    private func keyword(_ k: FigureReference.Keyword) -> String {
        switch k {
        case .year: return String(reportYear)
        case .previousYear: return String(reportYear - 1)
        case .baseYear: return String(end)
        case .span: return (years.first ?? end) == end ? "\(end)" : "\(years.first ?? end)—\(end)"
        case .schoolYear: return "\(end)—\(end + 1)学年"
        case .unitName: return unit.kind == .district ? "全区" : unit.name
        case .yearsCount: return DocxNumerals.chinese(years.count)
        }
    }

    func value(_ id: String, _ place: ReportingUnit, _ year: Int) -> IndicatorValue? {
        values[Key(id: id, unit: place, year: year)]
    }

    /// The value over a span: flows and `合计` sum counts (rates as Σ分子 ÷ Σ分母); stocks take the last year.
    private func aggregate(_ d: IndicatorDefinition, _ place: ReportingUnit, _ span: [Int], sum: Bool)
        -> (value: Double?, numerator: Double?, denominator: Double?)? {
        guard let last = span.last else { return nil }
        let summed = span.count > 1 && (sum || d.reference == .flow || d.reference == .calendarYear)
        guard summed else {
            guard let v = value(d.id, place, last) else { return nil }
            return (v.value, v.numerator, v.denominator)
        }
        let parts = span.compactMap { value(d.id, place, $0) }
        guard parts.count == span.count else { return nil }
        let num = parts.reduce(0) { $0 + $1.numerator }
        if d.factor == .count { return (num, num, nil) }
        guard d.factor == .percent || d.factor == .permille else {
            return (parts.last?.value, parts.last?.numerator, parts.last?.denominator)
        }
        let den = parts.reduce(0) { $0 + ($1.denominator ?? 0) }
        let mult: Double = d.factor == .percent ? 100 : 1000
        return (den > 0 ? num / den * mult : nil, num, den)
    }

    private mutating func indicatorRun(_ ref: FigureReference, id: String, at place: ReportingUnit) -> ReportRun {
        guard let d = IndicatorEngine.definition(id) else { return .text("—") }
        guard d.levels.contains(place.kind) else {
            if noted.insert(id + "@" + place.kind.rawValue).inserted {
                notes.append("第\(ref.position.line)行“\(d.nameZH)”不在\(place.kind.chinese)一级统计，印为“—”")
            }
            return .text("—")
        }
        let sum = ref.modifiers.contains(.total)
        let span = ref.modifiers.contains(.lastYear) ? years.map { $0 - 1 } : years
        let current = aggregate(d, place, span, sum: sum)
        let previousSpan = span.map { $0 - span.count }
        let before = aggregate(d, place, previousSpan, sum: sum)
        let decimals = ref.decimals
        let bare = ref.modifiers.contains(.bare)
        var text = ReportPhrases.value(current?.value, d, decimals: decimals, bare: bare)
        let label = span.count > 1 ? "上\(DocxNumerals.chinese(span.count))年" : "上年"
        let change = ReportPhrases.change(current?.value, previous: before?.value, d, decimals: decimals,
                                          growth: ref.modifiers.contains(.growth), label: label)
        if ref.modifiers.contains(.changeOnly) { text = change } else if ref.modifiers.contains(.compare) { text += "，" + change }
        var shownYears = span
        if ref.modifiers.contains(.trend) {
            let series = ((end - ref.trendYears + 1)...end).map { y in (year: y, value: value(id, place, y)?.value) }
            let phrase = ReportPhrases.trend(series, d, decimals: decimals)
            text = ref.modifiers.contains(.compare) || ref.modifiers.contains(.changeOnly) ? text + "，" + phrase : phrase
            shownYears = series.map(\.year)
        }
        let figure = ReportFigure(
            id: nextID(), source: ref.source, position: ref.position, indicatorID: id, name: d.nameZH, unit: place, years: shownYears,
            text: text, value: current?.value, fen: nil, previous: before?.value, numerator: current?.numerator,
            denominator: current?.denominator, definition: Self.definition(d), referenceDate: Self.referenceDate(d, span),
            recordCounts: Self.counts(d, current))
        figures.append(figure)
        return .figure(id: figure.id, text: text)
    }

    private mutating func moneyRun(_ ref: FigureReference, id: String, at place: ReportingUnit) -> ReportRun {
        let measure = ReportVocabulary.moneyMeasures.first { $0.id == id }
        let unitChoice = ref.moneyUnit ?? .wanyuan
        let moneyUnit: MoneyUnit = unitChoice == .yuan ? .yuan : .wanyuan
        let decimals = ref.decimals ?? 2
        let year = ref.modifiers.contains(.lastYear) ? end - 1 : end
        let current = generator.money(id, unit: place, year: year)
        let before = generator.money(id, unit: place, year: year - 1)
        var text = current.map { $0.0.text(in: moneyUnit, decimals: decimals) } ?? "无数据"
        if let (amount, _) = current {
            let change = ReportPhrases.moneyChange(amount, previous: before?.0, unit: moneyUnit, decimals: decimals,
                                                   growth: ref.modifiers.contains(.growth))
            if ref.modifiers.contains(.changeOnly) { text = change } else if ref.modifiers.contains(.compare) { text += "，" + change }
        }
        let figure = moneyFigure(ref, id: id, name: measure?.nameZH ?? id, place: place, year: year, amount: current?.0,
                                 previous: before?.0, schools: current?.1 ?? 0, text: text, definition: measure?.definition ?? "")
        figures.append(figure)
        return .figure(id: figure.id, text: text)
    }

    private mutating func moneyFigure(_ ref: FigureReference, id: String, name: String, place: ReportingUnit, year: Int, amount: Money?,
                                      previous: Money?, schools: Int, text: String, definition: String) -> ReportFigure {
        ReportFigure(
            id: nextID(), source: ref.source, position: ref.position, indicatorID: id, name: name, unit: place, years: [year], text: text,
            value: amount.map { Double($0.fen) / 100 }, fen: amount?.fen, previous: previous.map { Double($0.fen) / 100 },
            numerator: amount.map { Double($0.fen) / 100 }, denominator: nil, definition: definition,
            referenceDate: "\(year)学年填报数（\(year)年9月1日起）", recordCounts: "\(schools)所学校的填报记录")
    }

    /// Rows per child unit and a 合计 row, rounded once from exact 分 so that the printed rows add to the printed total.
    mutating func moneyTable(level: ChildLevel, ref: FigureReference, children: [ReportingUnit]) -> ReportBlock {
        guard case .money(let id) = ref.target else { return .paragraph([]) }
        let measure = ReportVocabulary.moneyMeasures.first { $0.id == id }
        let unitChoice = ref.moneyUnit ?? .wanyuan
        let moneyUnit: MoneyUnit = unitChoice == .yuan ? .yuan : .wanyuan
        let decimals = ref.decimals ?? 2
        let rows = children.map { ($0, generator.money(id, unit: $0, year: end)) }
        let amounts = rows.map { $0.1?.0 ?? .zero }
        let printed = Money.roundedParts(amounts, unit: moneyUnit, decimals: decimals)
        var body: [[[ReportRun]]] = []
        for (i, row) in rows.enumerated() {
            let f = moneyFigure(ref, id: id, name: measure?.nameZH ?? id, place: row.0, year: end, amount: row.1?.0, previous: nil,
                                schools: row.1?.1 ?? 0, text: printed.parts[i], definition: measure?.definition ?? "")
            figures.append(f)
            body.append([[.text(row.0.name)], [.figure(id: f.id, text: f.text)]])
        }
        let total = amounts.reduce(Money.zero, +)
        let t = moneyFigure(ref, id: id, name: (measure?.nameZH ?? id) + "合计", place: unit, year: end, amount: total, previous: nil,
                            schools: rows.reduce(0) { $0 + ($1.1?.1 ?? 0) }, text: printed.total,
                            definition: (measure?.definition ?? "") + "；合计为各行精确值之和舍入一次，各行按最大余数分配，使各行之和等于合计")
        figures.append(t)
        body.append([[.text("合计")], [.figure(id: t.id, text: t.text)]])
        return .table(header: [[.text(level.rawValue)], [.text((measure?.nameZH ?? id) + "（\(unitChoice.rawValue)）")]], rows: body)
    }

    func nextID() -> String {
        let n = figures.count + 1
        return "F" + String(repeating: "0", count: max(0, 3 - String(n).count)) + String(n)
    }

    static func definition(_ d: IndicatorDefinition) -> String {
        var parts = ["分子：\(d.numerator)"]
        if let den = d.denominator { parts.append("分母：\(den)") }
        parts.append("计入：\(d.records)")
        if let s = d.standard { parts.append("标准：\(s)") }
        return parts.joined(separator: "；")
    }

    static func referenceDate(_ d: IndicatorDefinition, _ span: [Int]) -> String {
        guard let last = span.last, let first = span.first else { return "" }
        let summed = span.count > 1 && d.reference == .flow
        switch d.reference {
        case .flow:
            return summed ? "\(first - 1)年9月1日至\(last)年8月31日（\(span.count)个学年合计）" : "\(last - 1)年9月1日至\(last)年8月31日"
        case .calendarYear:
            return span.count > 1 ? "\(first)年1月1日至\(last)年12月31日（\(span.count)年合计）" : "\(last)年1月1日至12月31日"
        case .stock, .population: return "\(last)年9月1日"
        case .cohort: return "\(last)年9月1日（队列追踪）"
        }
    }

    static func counts(_ d: IndicatorDefinition, _ v: (value: Double?, numerator: Double?, denominator: Double?)?) -> String {
        guard let v else { return "无记录" }
        let n = ReportPhrases.fixed(v.numerator ?? 0, d.category == "均衡" ? 2 : 0)
        if let den = v.denominator { return "分子\(n)，分母\(ReportPhrases.fixed(den, 0))" }
        return "\(n)条记录"
    }
}

/// Small Chinese numerals for 上两年, 两年 in generated words.
enum DocxNumerals {
    static func chinese(_ n: Int) -> String { n == 2 ? "两" : ReportPhrases.chineseNumeral(n) }
}
