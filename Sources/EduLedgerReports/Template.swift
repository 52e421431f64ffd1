/// A report template as a clerk writes it in the browser: the bureau's own prose, one paragraph a
/// line, with figures written as references in braces, e.g.
///
///     # 主要工作
///     ## 普及水平
///     全区小学在校学生{在校生数 学段=小学}人，入学率{入学率 学段=小学}，{巩固率 学段=初中 比上年}。
///
/// Lines: `#`, `##`, `###` are headings the renderer numbers 一、/（一）/1、 itself (so a section can be
/// moved without renumbering); `|…|…|` rows make a table (the first row is its header);
/// `@标题`, `@体裁`, `@年数`, `@落款`, `@分单位表`, `@金额表`, `@分页` are directives; `//` starts a note
/// that is not printed. Every other line is a paragraph. Years are never typed: `{年度}`, `{上年度}`
/// and `{起止年度}` come from the period the report is generated for.
public struct ReportTemplate: Sendable, Hashable, Codable {
    public var title: [Segment]
    public var genre: ReportGenre
    /// Years the report covers (述职 covers two or more; the others one).
    public var yearsCovered: Int
    public var blocks: [TemplateBlock]

    public init(title: [Segment] = [], genre: ReportGenre = .annualSummary, yearsCovered: Int = 1, blocks: [TemplateBlock] = []) {
        self.title = title; self.genre = genre; self.yearsCovered = yearsCovered; self.blocks = blocks
    }

    /// Every figure reference in document order (title first), each once per place it appears.
    public var references: [FigureReference] {
        var out = title.compactMap(\.reference)
        for b in blocks { out += b.references }
        return out
    }
}

/// The kinds of report the bureau writes; each fixes which years the figures are taken from.
public enum ReportGenre: String, Sendable, Hashable, Codable, CaseIterable {
    /// 年度工作总结 of the district, a township, a zone or a school: figures of the report's year.
    case annualSummary = "工作总结"
    /// A section's (股室) report: the same, written by one section about its own work.
    case sectionReport = "股室报告"
    /// 述职报告: covers several years; flow figures are summed over them, stock figures are taken at the end.
    case dutyReport = "述职"
    /// 专题报告 on one theme: figures of the report's year.
    case thematicReport = "专题报告"
    /// 工作计划 for year Y: written before Y begins, so its figures are those of Y−1 (the base year).
    case plan = "计划"
}

/// A piece of a line: literal text or a figure reference.
public enum Segment: Sendable, Hashable, Codable {
    case text(String)
    case reference(FigureReference)

    public var reference: FigureReference? { if case .reference(let r) = self { return r }; return nil }
}

/// One block of the template.
public enum TemplateBlock: Sendable, Hashable, Codable {
    /// Level 1–3: numbered 一、 / （一） / 1、 when rendered.
    case heading(level: Int, [Segment])
    case paragraph([Segment])
    /// A table typed row by row; the first row is the header.
    case table(rows: [[[Segment]]])
    /// One row per unit of `level` inside the report's unit, one column per reference.
    case unitTable(level: ChildLevel, columns: [FigureReference])
    /// One row per unit of `level` and a 合计 row; the rows are rounded so that they add to the printed total.
    case moneyTable(level: ChildLevel, reference: FigureReference)
    /// A centred line (signature).
    case signature([Segment])
    case pageBreak
    /// A bar or line chart of one or more indicators, over the years or over the units below.
    case chart(ChartSpec)

    var references: [FigureReference] {
        switch self {
        case .heading(_, let s), .paragraph(let s), .signature(let s): return s.compactMap(\.reference)
        case .table(let rows): return rows.flatMap { $0.flatMap { $0.compactMap(\.reference) } }
        case .unitTable(_, let c): return c
        case .moneyTable(_, let r): return [r]
        case .pageBreak: return []
        case .chart(let c): return c.series + c.caption.compactMap(\.reference)
        }
    }
}

/// The units a table lists below the report's own unit.
public enum ChildLevel: String, Sendable, Hashable, Codable, CaseIterable {
    case township = "乡镇", zone = "学区", school = "学校"
}

/// Where something is in the template: 1-based line and column (in characters, as the browser
/// editor counts them).
public struct TemplatePosition: Sendable, Hashable, Codable, Comparable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
    public static func < (a: Self, b: Self) -> Bool { (a.line, a.column) < (b.line, b.column) }
}

/// A figure reference `{名称 参数=值 … 修饰}` as written, with what it resolved to.
public struct FigureReference: Sendable, Hashable, Codable {
    /// The text between the braces.
    public var source: String
    public var position: TemplatePosition
    public var target: Target
    /// 学段=…, 年级=… as written (the target already reflects them).
    public var parameters: [String: String]
    public var modifiers: Set<Modifier>
    /// Decimals asked for (`小数=2`), otherwise the indicator's own.
    public var decimals: Int?
    /// For money: 元 or 万元 (`单位=万元`).
    public var moneyUnit: MoneyUnitChoice?
    /// Years in a trend (`年数=3`).
    public var trendYears: Int

    public enum Target: Sendable, Hashable, Codable {
        case indicator(String)
        case money(String)
        case keyword(Keyword)
    }

    public enum Keyword: String, Sendable, Hashable, Codable, CaseIterable {
        case year = "年度", previousYear = "上年度", baseYear = "基准年度", span = "起止年度"
        case schoolYear = "学年", unitName = "单位", yearsCount = "年数"
    }

    /// Words after the name that change what is printed.
    public enum Modifier: String, Sendable, Hashable, Codable, CaseIterable {
        /// The value and, after a comma, the change from the year before.
        case compare = "比上年"
        /// Only the change from the year before.
        case changeOnly = "变化"
        /// For counts: the change as a percentage (增长3.2%) instead of a number of people.
        case growth = "增幅"
        /// 逐年提升 / 逐年下降 only when true over the years, otherwise the series itself.
        case trend = "趋势"
        /// Last year's value.
        case lastYear = "上年"
        /// Summed over the years of the period (for counts).
        case total = "合计"
        /// The value without its unit (人, 个), for sentences that write the unit themselves.
        case bare = "无单位"
    }
}

/// Money the report may print in 元 or 万元.
public enum MoneyUnitChoice: String, Sendable, Hashable, Codable {
    case yuan = "元", wanyuan = "万元"
}

/// A mistake in the template, at its exact place.
public struct TemplateError: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var position: TemplatePosition
    public var message: String
    public init(_ position: TemplatePosition, _ message: String) { self.position = position; self.message = message }
    public var description: String { "第\(position.line)行第\(position.column)列：\(message)" }
}

/// The template and every mistake found in it (all of them, not only the first).
public struct ParsedTemplate: Sendable {
    public var template: ReportTemplate
    public var errors: [TemplateError]
    public var isValid: Bool { errors.isEmpty }
}
