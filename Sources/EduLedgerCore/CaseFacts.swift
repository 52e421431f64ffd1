/// What the casework indicators need of one case: its kind, where it belongs, and the dates of
/// the steps the rates count. Defined here (not in the casework module) so that the indicator
/// registry, which depends on the core alone, can count cases.
public struct CaseFact: Sendable, Hashable, Codable {
    public var id: Int64
    /// `CaseKind` raw value of the casework module (`petition`, `deputyProposal`, `hazard` …).
    public var kind: String
    public var receivedOn: CivilDate
    /// The school the case is about (hazards, violations), if any.
    public var schoolID: SchoolID?
    public var state: String
    /// Action id → the first day that step was taken (`reply`, `meet`, `pass` …).
    public var firstTaken: [String: CivilDate]
    /// The day the case's work was completed (reply, decision, rectification, closure) and
    /// whether that day was within the deadline then in force; `nil` while not completed.
    public var completedOn: CivilDate?
    public var completedOnTime: Bool?
    /// 满意 / 基本满意 / 不满意, the last rating given.
    public var rating: String?
    /// Rectification notices (整改通知书) issued on this hazard: number and day, each as it is.
    public var notices: [CaseNoticeFact]
    /// 违规收费: the refund ordered and the refund proven, in 分.
    public var refundOrdered: Money?
    public var refundProven: Money?

    public init(id: Int64, kind: String, receivedOn: CivilDate, schoolID: SchoolID?, state: String,
                firstTaken: [String: CivilDate], completedOn: CivilDate?, completedOnTime: Bool?, rating: String?,
                notices: [CaseNoticeFact], refundOrdered: Money?, refundProven: Money?) {
        self.id = id; self.kind = kind; self.receivedOn = receivedOn; self.schoolID = schoolID; self.state = state
        self.firstTaken = firstTaken; self.completedOn = completedOn; self.completedOnTime = completedOnTime
        self.rating = rating; self.notices = notices; self.refundOrdered = refundOrdered; self.refundProven = refundProven
    }
}

/// One rectification notice naming a hazard. A notice covering three hazards appears on each
/// of them with the same number; counting distinct numbers counts notices.
public struct CaseNoticeFact: Sendable, Hashable, Codable {
    public var number: String
    public var issuedOn: CivilDate
    public var schoolID: SchoolID?

    public init(number: String, issuedOn: CivilDate, schoolID: SchoolID?) {
        self.number = number; self.issuedOn = issuedOn; self.schoolID = schoolID
    }
}
