/// A weight for one score column in the balance (and in the composite score of the report).
public struct ScoreWeight: Sendable, Hashable, Codable {
    public var column: String
    /// 0 leaves the column out; 1 is the default.
    public var weight: Int
    public init(column: String, weight: Int) {
        self.column = column
        self.weight = weight
    }
}

/// What the draw is asked to do. Part of the public draw record, so it is `Codable` with
/// snake_case keys and arrays (never dictionaries) for a stable printed form.
public struct AssignmentSettings: Sendable, Hashable, Codable {
    /// K, the number of classes.
    public var classCount: Int
    /// Explicit class sizes when rooms differ (count must be K, sum must be N); nil = sizes
    /// differing by at most one, the larger classes first.
    public var classSizes: [Int]?
    /// Flag columns to balance; nil = every flag column of the roster.
    public var balancedFlags: [String]?
    /// Per score column weights; columns not listed weigh 1.
    public var scoreWeights: [ScoreWeight]
    /// The public seed string (see `DrawSeed.compose`).
    public var seed: String

    public init(
        classCount: Int, classSizes: [Int]? = nil, balancedFlags: [String]? = nil,
        scoreWeights: [ScoreWeight] = [], seed: String
    ) {
        self.classCount = classCount
        self.classSizes = classSizes
        self.balancedFlags = balancedFlags
        self.scoreWeights = scoreWeights
        self.seed = seed
    }

    /// Settings for rooms of different sizes: K is the number of sizes given.
    public init(classSizes: [Int], balancedFlags: [String]? = nil, scoreWeights: [ScoreWeight] = [], seed: String) {
        self.init(
            classCount: classSizes.count, classSizes: classSizes, balancedFlags: balancedFlags,
            scoreWeights: scoreWeights, seed: seed)
    }

    enum CodingKeys: String, CodingKey {
        case classCount = "class_count"
        case classSizes = "class_sizes"
        case balancedFlags = "balanced_flags"
        case scoreWeights = "score_weights"
        case seed
    }
}

/// One reason a draw cannot be made, naming the students and the rule involved.
public struct AssignmentProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case invalidSettings
        case duplicateID
        case pinOutOfRange
        case togetherGroupTooLarge
        case conflictingPins
        case togetherAndApart
        case apartSetTooLarge
        case pinnedApart
        case classOverfull
        case pinnedUnbalanced
        case unplaceable
        case balanceUnreachable
    }

    public var kind: Kind
    /// Ids of the students concerned, in canonical (id) order.
    public var studentIDs: [String]
    /// The full explanation in Chinese.
    public var message: String

    public init(kind: Kind, studentIDs: [String], message: String) {
        self.kind = kind
        self.studentIDs = studentIDs
        self.message = message
    }

    public var description: String { message }
}

/// Every conflict found up front, so the registrar sees them all at once.
public struct AssignmentError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [AssignmentProblem]
    public init(problems: [AssignmentProblem]) { self.problems = problems }
    public init(_ kind: AssignmentProblem.Kind, _ message: String, students: [String] = []) {
        self.problems = [AssignmentProblem(kind: kind, studentIDs: students, message: message)]
    }
    public var description: String {
        "无法编班（\(problems.count) 处问题）：\n" + problems.map(\.message).joined(separator: "\n")
    }
}
