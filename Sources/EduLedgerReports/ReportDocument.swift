import EduLedgerIndicators

/// A generated report: laid-out blocks whose figures point into `figures`. It is what is frozen on
/// publish: rendering the same document again gives the same HTML and .docx, whatever the
/// records say by then.
public struct ReportDocument: Sendable, Hashable, Codable {
    public var title: String
    public var genre: ReportGenre
    public var unit: ReportingUnit
    /// The year in the report's name (a plan's year is the one it plans for).
    public var reportYear: Int
    /// The school years the figures are taken from.
    public var dataYears: [Int]
    public var blocks: [ReportBlock]
    public var figures: [ReportFigure]
    /// Things the clerk should know: an indicator not computed at this level, a table without rows …
    public var notes: [String]

    public func figure(_ id: String) -> ReportFigure? { figures.first { $0.id == id } }
}

/// A piece of printed text: literal, or a figure with its id.
public enum ReportRun: Sendable, Hashable, Codable {
    case text(String)
    case figure(id: String, text: String)

    public var text: String {
        switch self {
        case .text(let t): return t
        case .figure(_, let t): return t
        }
    }
}

public enum ReportBlock: Sendable, Hashable, Codable {
    /// `number` is 一、 / （一） / 1、.
    case heading(level: Int, number: String, [ReportRun])
    case paragraph([ReportRun])
    case table(header: [[ReportRun]], rows: [[[ReportRun]]])
    case signature([ReportRun])
    case pageBreak
    /// A chart whose every point is a figure of the report.
    case chart(ReportChart)
}

/// One figure as printed, with everything needed to trace it: its definition, reference date,
/// the counts behind it and where in the template it came from.
public struct ReportFigure: Sendable, Hashable, Codable, Identifiable {
    /// F001, F002 … in document order; a published report's figure is resolved by report and id.
    public var id: String
    /// The reference as written in the template (`巩固率 学段=初中 比上年`).
    public var source: String
    public var position: TemplatePosition
    /// Indicator id (`retention_rate.junior`) or money measure id (`money.equipment`).
    public var indicatorID: String
    public var name: String
    public var unit: ReportingUnit
    /// The years summed or compared; the last is the reference year.
    public var years: [Int]
    public var text: String
    /// The value in display units (45.3 for 45.3%); money in 元; `nil` when undefined.
    public var value: Double?
    /// Money exactly, in 分.
    public var fen: Int64?
    public var previous: Double?
    public var numerator: Double?
    public var denominator: Double?
    /// The written definition: numerator, denominator, which records count.
    public var definition: String
    public var referenceDate: String
    /// 分子N条记录，分母M条记录 (or the number of schools for money).
    public var recordCounts: String
}
