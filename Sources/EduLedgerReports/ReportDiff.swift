/// Which figures of a frozen report would print differently if it were generated today.
public struct FigureChange: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var unit: String
    public var frozen: String
    /// `nil` when today's report no longer has this figure.
    public var today: String?
}

public enum ReportDiff {
    /// Figures are matched by id (the same template gives the same ids) and compared as printed.
    public static func compare(frozen: ReportDocument, current: ReportDocument) -> [FigureChange] {
        let now = Dictionary(current.figures.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return frozen.figures.compactMap { f in
            let c = now[f.id]
            if let c, c.text == f.text, c.indicatorID == f.indicatorID, c.unit == f.unit { return nil }
            return FigureChange(id: f.id, name: f.name, unit: f.unit.name, frozen: f.text, today: c?.text)
        }
    }
}
