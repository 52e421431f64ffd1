import Foundation

/// One student's class in a draw.
public struct Placement: Sendable, Hashable, Codable {
    public var id: String
    /// 1...K.
    public var classNumber: Int
    public init(id: String, classNumber: Int) {
        self.id = id
        self.classNumber = classNumber
    }
    enum CodingKeys: String, CodingKey {
        case id
        case classNumber = "class"
    }
}

/// The outcome of a draw: every student's class (sorted by id bytes) and the balance report.
public struct Assignment: Sendable, Hashable, Codable {
    public var settings: AssignmentSettings
    public var classSizes: [Int]
    public var placements: [Placement]
    public var report: BalanceReport

    /// id → class number, for lookups (do not iterate it where order matters).
    public var classByID: [String: Int] {
        Dictionary(placements.map { ($0.id, $0.classNumber) }, uniquingKeysWith: { a, _ in a })
    }

    enum CodingKeys: String, CodingKey {
        case settings
        case classSizes = "class_sizes"
        case placements, report
    }
}

/// Balanced random class assignment (电脑随机编班). Pure: no I/O, no clock in any decision, no
/// system RNG. See README.md for the algorithm and the exact random stream.
public enum ClassAssigner {
    /// Changes whenever a change to this module could change a draw's result; recorded in every
    /// draw record so a verifier knows which rules produced it.
    public static let engineVersion = "eduledger-classassign-1"

    /// Splits the roster into classes. Throws every conflict among the rules at once, naming
    /// the students and the rule; never breaks a rule silently.
    public static func assign(roster: Roster, settings: AssignmentSettings) throws(AssignmentError) -> Assignment {
        let clock = ContinuousClock()
        let start = clock.now
        let model = try Prepared(roster: roster, settings: settings)
        var engine = Engine(model: model, seed: settings.seed)
        try engine.deal()
        try engine.repairBands()
        engine.exchange()
        let placements = (0..<model.n).map { Placement(id: model.students[$0].id, classNumber: engine.classOf[$0] + 1) }
        try checkHardRules(engine)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let classOf = Dictionary(placements.map { ($0.id, $0.classNumber) }, uniquingKeysWith: { a, _ in a })
        let report = BalanceReport(
            roster: roster, classCount: model.k, classOf: classOf, scoreWeights: settings.scoreWeights, seconds: seconds)
        return Assignment(settings: settings, classSizes: model.capacity, placements: placements, report: report)
    }

    /// A last, independent check of the result against every hard rule.
    static func checkHardRules(_ e: Engine) throws(AssignmentError) {
        let m = e.model
        var problems: [String] = []
        for c in 0..<m.k where e.size[c] != m.capacity[c] { problems.append("\(c + 1) 班人数 \(e.size[c]) ≠ \(m.capacity[c])") }
        for c in 0..<m.k {
            for at in 0..<m.attributeCount {
                let v = e.counts[c * m.attributeCount + at]
                if v < m.lower[c * m.attributeCount + at] || v > m.upper[c * m.attributeCount + at] {
                    problems.append("\(c + 1) 班“\(m.attributeNames[at])”\(v) 人超出均衡范围")
                }
            }
        }
        for g in m.groups where Set(g.map { e.classOf[$0] }).count != 1 { problems.append("同班组被拆分") }
        for s in m.apartSets where Set(s.map { e.classOf[$0] }).count != s.count { problems.append("分班组同班") }
        for i in 0..<m.n where m.pinOf[i] >= 0 && e.classOf[i] != m.pinOf[i] { problems.append("指定班级未满足") }
        if !problems.isEmpty {
            throw AssignmentError(.balanceUnreachable, "内部校验失败：" + problems.prefix(5).joined(separator: "；"))
        }
    }
}
