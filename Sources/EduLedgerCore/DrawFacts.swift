/// What the class-draw indicators need of one draw (电脑随机编班): whose intake it placed, how many
/// pupils into how many classes, and whether it was done in the open and can be checked. Defined
/// here (not in the draws code of storage or the web app) so that the indicator registry, which
/// depends on the core alone, can count draws.
public struct DrawFact: Sendable, Hashable, Codable {
    public var id: Int64
    public var schoolID: SchoolID
    /// The school year of the intake (the draw for the 一年级 of 2026—2027 is of 2026).
    public var schoolYear: Int
    public var grade: GradeLevel
    /// `ClassDrawState` raw value: draft, published, seeded, assigned, locked.
    public var state: String
    public var classCount: Int
    /// Pupils on the published roster.
    public var studentCount: Int
    /// Who entered each part of the seed, in order: 家长代表, 监督员 or 公开值.
    public var seedCapacities: [String]
    /// Every part of the seed was recorded after the roster was published (its hash shown) and
    /// before the seed was fixed, and at least one was typed by a parent representative or a
    /// supervisor present — the seed was made in public, after the list could no longer change.
    public var seedEnteredInPublic: Bool
    /// The stored draw record names the published roster hash, the fixed seed and the parts it
    /// was composed from, so anyone can recompute it with `verify-draw`.
    public var verifiable: Bool

    public init(id: Int64, schoolID: SchoolID, schoolYear: Int, grade: GradeLevel, state: String, classCount: Int, studentCount: Int,
                seedCapacities: [String], seedEnteredInPublic: Bool, verifiable: Bool) {
        self.id = id; self.schoolID = schoolID; self.schoolYear = schoolYear; self.grade = grade; self.state = state
        self.classCount = classCount; self.studentCount = studentCount; self.seedCapacities = seedCapacities
        self.seedEnteredInPublic = seedEnteredInPublic; self.verifiable = verifiable
    }

    /// The draw placed its pupils (已编班 or 已锁定).
    public var isHeld: Bool { state == "assigned" || state == "locked" }
}
