import EduLedgerCore
import EduLedgerIndicators

/// `@图表 柱状|折线 [年度|乡镇|学区|学校] {指标} {指标}… [图题]` as parsed: which indicators, and
/// whether the points are the years up to the report's year or the units below the report's unit.
public struct ChartSpec: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case bar = "柱状", line = "折线"
    }

    public var kind: Kind
    /// `nil`: one point per year (the last `years` school years up to the report's); otherwise one
    /// point per unit of this level inside the report's unit, for the report's year.
    public var level: ChildLevel?
    /// Years shown by a chart over the years (`年数=` in a reference, 5 when not written).
    public var years: Int
    /// One series per indicator reference, in the order written.
    public var series: [FigureReference]
    /// The caption as written (text and keywords such as {年度}); generated when empty.
    public var caption: [Segment]
    public var position: TemplatePosition

    public init(kind: Kind, level: ChildLevel?, years: Int, series: [FigureReference], caption: [Segment], position: TemplatePosition) {
        self.kind = kind; self.level = level; self.years = years; self.series = series; self.caption = caption; self.position = position
    }

    /// Years a chart over the years shows when no reference says `年数=`.
    public static let defaultYears = 5
}

/// A generated chart: categories (years or units) and, per indicator, a point per category that
/// is a figure of the report (so it is listed in the appendix and links to its records).
public struct ReportChart: Sendable, Hashable, Codable {
    public struct Point: Sendable, Hashable, Codable {
        /// The figure (F012 …); `nil` when the indicator is not computed at that level.
        public var figureID: String?
        public var value: Double?
        /// As printed in the text (`12 345人`, `98.6%`, `无数据`).
        public var text: String
    }

    public struct Series: Sendable, Hashable, Codable {
        public var name: String
        public var points: [Point]
    }

    public var kind: ChartSpec.Kind
    /// 1, 2 … in document order: 图1, 图2.
    public var number: Int
    /// Without the number: `2022—2026年全区小学在校生数`.
    public var title: String
    public var categories: [String]
    public var series: [Series]
    /// The unit of every value (人, %, 个 …), for the axis.
    public var valueUnit: String
    public var decimals: Int

    /// `图1 …`, as the caption prints.
    public var caption: String { "图\(number) \(title)" }
}

extension ChildLevel {
    var unitKind: UnitKind {
        switch self {
        case .township: return .township
        case .zone: return .zone
        case .school: return .school
        }
    }
}

// MARK: Parsing

extension TemplateParser {
    /// `@图表 …` after the directive's name; `column` is where `argument` begins.
    static func chart(_ argument: String, line: Int, column: Int, errors: inout [TemplateError]) -> ChartSpec? {
        let here = TemplatePosition(line: line, column: column)
        let words = argument.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let kindText = words.first, let kind = ChartSpec.Kind(rawValue: kindText) else {
            errors.append(TemplateError(here, "@图表后应先写图的类型：柱状或折线，例如“@图表 折线 {在校生数 学段=小学 年数=5}”"))
            return nil
        }
        var rest = words.count > 1 ? words[1] : ""
        var restColumn = column + kindText.count + 1
        let skip = rest.prefix(while: { $0 == " " || $0 == "\u{3000}" }).count
        rest = String(rest.dropFirst(skip)); restColumn += skip
        var level: ChildLevel?
        if let word = rest.split(separator: " ", maxSplits: 1).first.map(String.init), !word.hasPrefix("{"), !word.hasPrefix("｛") {
            if let l = ChildLevel(rawValue: word) { level = l } else if word != "年度" {
                errors.append(TemplateError(TemplatePosition(line: line, column: restColumn),
                    "@图表 \(kind.rawValue)后应写“年度”（逐年）或列出的下级单位：乡镇、学区、学校，这里是“\(word)”"))
                return nil
            }
            rest = String(rest.dropFirst(word.count)); restColumn += word.count
        }
        let before = errors.count
        let parts = segments(rest, line: line, column: restColumn, errors: &errors)
        if errors.count > before { return nil }
        var series: [FigureReference] = []
        var caption: [Segment] = []
        var years: Int?
        var unitLabel: String?
        var failed = false
        for segment in parts {
            guard let ref = segment.reference else { caption.append(segment); continue }
            switch ref.target {
            case .keyword:
                caption.append(segment)
                continue
            case .money:
                errors.append(TemplateError(ref.position, "图表只画指标；金额请用@金额表"))
                failed = true
                continue
            case .indicator(let id):
                let pointless = ref.modifiers.subtracting([.trend, .bare])
                if let m = FigureReference.Modifier.allCases.first(where: { pointless.contains($0) }) {
                    errors.append(TemplateError(ref.position, "图表中的指标不用“\(m.rawValue)”：图上每个点就是一个数值"))
                    failed = true
                    continue
                }
                if level != nil, ref.parameters["年数"] != nil {
                    errors.append(TemplateError(ref.position, "分\(level?.rawValue ?? "")的图只画报告年度的数值，不用“年数=”"))
                    failed = true
                    continue
                }
                let label = IndicatorEngine.definition(id).map(Self.axisUnit) ?? ""
                if let u = unitLabel, u != label {
                    errors.append(TemplateError(ref.position, "同一图中的指标单位应相同：前面是“\(u)”，这里是“\(label)”"))
                    failed = true
                    continue
                }
                unitLabel = label
                if let n = ref.parameters["年数"].flatMap(Int.init) { years = max(years ?? n, n) }
                series.append(ref)
            }
        }
        if failed { return nil }
        guard !series.isEmpty else {
            errors.append(TemplateError(TemplatePosition(line: line, column: restColumn), "@图表需要至少一个{指标}，例如{在校生数 学段=小学}"))
            return nil
        }
        let span = years ?? ChartSpec.defaultYears
        if level == nil {
            // The evaluation computes a trend's years: a chart over the years is a trend of `span` years.
            for i in series.indices { series[i].modifiers.insert(.trend); series[i].trendYears = span }
        }
        // Blanks between the references and around the caption are layout, not text.
        caption.removeAll { if case .text(let t) = $0 { return t.allSatisfy { $0 == " " || $0 == "\u{3000}" } }; return false }
        if case .text(let t)? = caption.first {
            let trimmed = String(t.drop(while: { $0 == " " || $0 == "\u{3000}" }))
            if trimmed.isEmpty { caption.removeFirst() } else { caption[0] = .text(trimmed) }
        }
        if case .text(let t)? = caption.last {
            let trimmed = t.trimmingTrailingBlanks()
            if trimmed.isEmpty { caption.removeLast() } else { caption[caption.count - 1] = .text(trimmed) }
        }
        return ChartSpec(kind: kind, level: level, years: span, series: series, caption: caption, position: here)
    }

    /// What the value axis is measured in: %, ‰, or the indicator's own unit (人, 个 …).
    static func axisUnit(_ d: IndicatorDefinition) -> String {
        switch d.factor {
        case .percent: return "%"
        case .permille: return "‰"
        case .ratioToOne, .count, .ratio, .perHundred: return d.unitLabel
        }
    }
}

// MARK: Evaluation

extension Evaluation {
    /// The chart's points as figures, numbered after the charts already laid out in `blocks`.
    mutating func chart(_ spec: ChartSpec, after blocks: [ReportBlock], children: [ReportingUnit]) -> ReportBlock {
        let number = blocks.reduce(1) { n, b in if case .chart = b { return n + 1 }; return n }
        let unitName = unit.kind == .district ? "全区" : unit.name
        let definitions = spec.series.compactMap { ref -> IndicatorDefinition? in
            guard case .indicator(let id) = ref.target else { return nil }
            return IndicatorEngine.definition(id)
        }
        let decimals = spec.series.first?.decimals ?? definitions.first?.precision ?? 0
        var categories: [String] = []
        var series: [ReportChart.Series] = []
        var span = ""
        if let level = spec.level {
            categories = children.map(\.name)
            if children.isEmpty { notes.append("“\(unit.name)”下没有\(level.rawValue)，图\(number)没有数据") }
            for ref in spec.series {
                var points: [ReportChart.Point] = []
                for child in children {
                    let run = runs([.reference(ref)], at: child).first
                    if case .figure(let id, let text)? = run, let f = figures.last, f.id == id {
                        points.append(ReportChart.Point(figureID: id, value: f.value, text: text))
                    } else {
                        points.append(ReportChart.Point(figureID: nil, value: nil, text: run?.text ?? "—"))
                    }
                }
                series.append(ReportChart.Series(name: Self.seriesName(ref), points: points))
            }
            span = ((years.first ?? end) == end ? "\(end)年" : "\(years.first ?? end)—\(end)年") + unitName + "各\(level.rawValue)"
        } else {
            let shown = Array((end - spec.years + 1)...end)
            categories = shown.map { "\($0)年" }
            for ref in spec.series {
                guard case .indicator(let id) = ref.target, let d = IndicatorEngine.definition(id) else { continue }
                var points: [ReportChart.Point] = []
                if !d.levels.contains(unit.kind) {
                    notes.append("第\(ref.position.line)行图表中的“\(d.nameZH)”不在\(unit.kind.chinese)一级统计，图中无数据")
                }
                for y in shown {
                    guard d.levels.contains(unit.kind) else { points.append(ReportChart.Point(figureID: nil, value: nil, text: "—")); continue }
                    let v = value(id, unit, y)
                    let text = ReportPhrases.value(v?.value, d, decimals: ref.decimals, bare: ref.modifiers.contains(.bare))
                    let figure = ReportFigure(
                        id: nextID(), source: ref.source, position: ref.position, indicatorID: id, name: d.nameZH, unit: unit, years: [y],
                        text: text, value: v?.value, fen: nil, previous: v?.previous, numerator: v?.numerator, denominator: v?.denominator,
                        definition: Self.definition(d), referenceDate: Self.referenceDate(d, [y]),
                        recordCounts: Self.counts(d, v.map { ($0.value, $0.numerator, $0.denominator) }))
                    figures.append(figure)
                    points.append(ReportChart.Point(figureID: figure.id, value: v?.value, text: text))
                }
                series.append(ReportChart.Series(name: Self.seriesName(ref), points: points))
            }
            span = "\(shown.first ?? end)—\(end)年" + unitName
        }
        let written = runs(spec.caption).map(\.text).joined()
        let title = written.isEmpty ? span + series.map(\.name).joined(separator: "、") : written
        return .chart(ReportChart(kind: spec.kind, number: number, title: title, categories: categories, series: series,
                                  valueUnit: definitions.first.map(TemplateParser.axisUnit) ?? "", decimals: decimals))
    }

    /// The legend's name of a series: the indicator's name as the registry spells it.
    static func seriesName(_ ref: FigureReference) -> String {
        guard case .indicator(let id) = ref.target else { return ref.source }
        return IndicatorEngine.definition(id)?.nameZH ?? id
    }
}
