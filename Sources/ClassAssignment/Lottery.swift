/// One lot: what was drawn for a class number.
public struct LotteryDraw: Sendable, Hashable, Codable {
    /// The engine's class number 1...K.
    public var classNumber: Int
    /// The label, teacher or team drawn for it.
    public var drawn: String
    enum CodingKeys: String, CodingKey {
        case classNumber = "class"
        case drawn
    }
}

public struct LotteryError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The lots drawn after the assignment, each from its own stream of the same public seed, so
/// no one can steer which group of students gets which room or teacher. Inputs are sorted by
/// their UTF-8 bytes first: the order in which a clerk typed the list does not matter.
public enum ClassLottery {
    /// Maps class numbers 1...K to class labels (七(1)班, …): shuffle the sorted labels with
    /// stream "labels"; class i gets element i-1.
    public static func drawLabels(_ labels: [String], seed: String) throws(LotteryError) -> [LotteryDraw] {
        try draw(labels, slots: labels.count, seed: seed, purpose: "labels", what: "班级名称")
    }

    /// Draws homeroom teachers (班主任), or whole teacher teams (班科任团队), to class numbers:
    /// stream "teachers"; class i gets element i-1 of the shuffled sorted list. Extra names stay
    /// undrawn; fewer names than classes is refused.
    public static func drawTeachers(_ teachers: [String], classCount: Int, seed: String) throws(LotteryError) -> [LotteryDraw] {
        try draw(teachers, slots: classCount, seed: seed, purpose: "teachers", what: "教师（团队）")
    }

    /// Draws `count` parent representatives or supervisors from the roster's ids: stream
    /// "representatives"; the first `count` of the shuffled sorted ids, in drawn order.
    public static func drawRepresentatives(from ids: [String], count: Int, seed: String) throws(LotteryError) -> [String] {
        let pool = sortedUnique(ids)
        if count < 0 || count > pool.count {
            throw LotteryError(message: "要抽取 \(count) 名代表，但名单只有 \(pool.count) 人")
        }
        var items = pool
        var random = DrawRandom(seed: seed, purpose: "representatives")
        random.shuffle(&items)
        return Array(items.prefix(count))
    }

    static func sortedUnique(_ items: [String]) -> [String] {
        var out: [String] = []
        for s in items.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where out.last != s { out.append(s) }
        return out
    }

    static func draw(_ items: [String], slots: Int, seed: String, purpose: String, what: String) throws(LotteryError) -> [LotteryDraw] {
        let pool = sortedUnique(items)
        if pool.count != items.count { throw LotteryError(message: "\(what)名单中有重复项") }
        if slots < 1 { throw LotteryError(message: "班级数必须至少为 1") }
        if pool.count < slots { throw LotteryError(message: "\(what)只有 \(pool.count) 个，少于班级数 \(slots)") }
        var shuffled = pool
        var random = DrawRandom(seed: seed, purpose: purpose)
        random.shuffle(&shuffled)
        return (0..<slots).map { LotteryDraw(classNumber: $0 + 1, drawn: shuffled[$0]) }
    }
}
