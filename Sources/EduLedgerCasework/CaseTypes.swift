import EduLedgerCore

/// The kinds of casework the bureau handles, each a workflow in `CaseWorkflows`.
public enum CaseKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// 信访（来信、来访、网上信访、举报）
    case petition
    /// 人大代表建议
    case deputyProposal
    /// 政协提案
    case cppccProposal
    /// 安全隐患（排查发现 → 整改通知书 → 整改 → 复查）
    case hazard
    /// 行政许可申请（民办学校、培训机构、教师资格）
    case licence
    /// 民办学校、培训机构年检
    case annualInspection
    /// 违规办班、违规收费
    case violation

    public var title: String {
        switch self {
        case .petition: return "信访"
        case .deputyProposal: return "人大代表建议"
        case .cppccProposal: return "政协提案"
        case .hazard: return "安全隐患"
        case .licence: return "行政许可"
        case .annualInspection: return "年检"
        case .violation: return "违规查处"
        }
    }

    /// Prefix of the tracking number (`XF2025-0001`).
    public var numberPrefix: String {
        switch self {
        case .petition: return "XF"
        case .deputyProposal: return "RD"
        case .cppccProposal: return "ZX"
        case .hazard: return "YH"
        case .licence: return "XK"
        case .annualInspection: return "NJ"
        case .violation: return "WG"
        }
    }

    /// The section that keeps this kind of casework and sees all of it.
    public var owningSection: Role {
        switch self {
        case .petition: return .petitions
        case .deputyProposal, .cppccProposal: return .office
        case .hazard: return .safety
        case .licence, .annualInspection: return .licensing
        case .violation: return .supervision
        }
    }

    public var isProposal: Bool { self == .deputyProposal || self == .cppccProposal }
}

/// Who takes a step: a logged-in user (role and place), a member of the public (petitioner,
/// applicant) or the system's deadline watch.
public struct CaseActor: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, Hashable { case user, publicPerson, system }
    public var kind: Kind
    public var login: String
    public var displayName: String
    public var role: Role?
    public var scope: AccountScope?

    public init(login: String, displayName: String, role: Role, scope: AccountScope) {
        kind = .user; self.login = login; self.displayName = displayName; self.role = role; self.scope = scope
    }

    private init(kind: Kind, login: String, displayName: String) {
        self.kind = kind; self.login = login; self.displayName = displayName; role = nil; scope = nil
    }

    public init(_ account: UserAccount) {
        self.init(login: account.login, displayName: account.displayName, role: account.role, scope: account.scope)
    }

    /// A member of the public (the petitioner or applicant), identified by name only; the audit
    /// log shows such steps under the actor "公众".
    public static func publicPerson(_ name: String) -> CaseActor { CaseActor(kind: .publicPerson, login: publicLogin, displayName: name) }
    /// The audit log's actor for steps taken by the public without an account.
    public static let publicLogin = "公众"
    /// The deadline watch (督办): escalation and deemed acceptance.
    public static let system = CaseActor(kind: .system, login: "system:deadlines", displayName: "期限监控")

    public var actingUser: ActingUser { ActingUser(login: login, displayName: displayName) }
}

/// A file attached to a step: a reply letter, a photo of the rectification, a refund receipt.
public struct CaseAttachment: Sendable, Hashable {
    public var name: String
    /// What the sender said the file is; never trusted — `detectedType` decides.
    public var contentType: String
    public var bytes: [UInt8]

    public init(name: String, contentType: String, bytes: [UInt8]) {
        self.name = name; self.contentType = contentType; self.bytes = bytes
    }

    /// The type read from the file's first bytes (JPEG, PNG or PDF), `nil` for anything else:
    /// a renamed executable or an HTML page with a `.jpg` name is refused whatever it claims.
    public var detectedType: String? { Self.detectType(bytes) }

    public static func detectType<C: Collection<UInt8>>(_ bytes: C) -> String? {
        let head = Array(bytes.prefix(8))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if head.starts(with: Array("%PDF-".utf8)) { return "application/pdf" }
        return nil
    }
}

/// An attachment as listed in a timeline (the bytes stay in storage).
public struct CaseAttachmentInfo: Sendable, Hashable, Codable {
    public var id: Int64
    public var stepID: Int64
    public var name: String
    public var contentType: String
    public var size: Int
    public var sha256: String

    public init(id: Int64, stepID: Int64, name: String, contentType: String, size: Int, sha256: String) {
        self.id = id; self.stepID = stepID; self.name = name; self.contentType = contentType; self.size = size; self.sha256 = sha256
    }
}

/// One case: its current state, the deadline in force and the data its steps have gathered.
public struct CaseRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var kind: CaseKind
    /// Tracking number given on receipt (`XF2025-0001`).
    public var number: String
    public var title: String
    public var state: String
    /// The section handling it (信访 assigned section, proposal lead section); `nil` before assignment.
    public var section: Role?
    /// Co-handling sections (会办单位) of a proposal.
    public var coSections: [Role]
    public var schoolID: SchoolID?
    /// The inspection campaign whose finding opened this hazard.
    public var campaignID: Int64?
    public var receivedOn: CivilDate
    /// The deadline in force and what it is for (`答复期限（信访工作条例第34条，60日）`).
    public var dueOn: CivilDate?
    public var dueLabel: String?
    /// Set once when a deadline passed without the step (督办); cleared by a new deadline.
    public var escalated: Bool
    /// Whether the head's extension (延期) has been used.
    public var extended: Bool
    public var completedOn: CivilDate?
    public var completedOnTime: Bool?
    public var closedOn: CivilDate?
    /// The unguessable number given to a petitioner or applicant to look the case up without an
    /// account (`XF-7K3M-9QXD-2HFP`); `nil` for cases the public does not follow.
    public var trackingCode: String?
    /// Field values gathered from the opening and every step (a later step's value wins).
    public var fields: [String: String]
    /// Number of steps taken, for optimistic concurrency (a stale form is refused).
    public var version: Int

    public init(id: Int64 = 0, kind: CaseKind, number: String = "", title: String, state: String, section: Role? = nil,
                coSections: [Role] = [], schoolID: SchoolID? = nil, campaignID: Int64? = nil, receivedOn: CivilDate,
                dueOn: CivilDate? = nil, dueLabel: String? = nil, escalated: Bool = false, extended: Bool = false,
                completedOn: CivilDate? = nil, completedOnTime: Bool? = nil, closedOn: CivilDate? = nil,
                trackingCode: String? = nil, fields: [String: String] = [:], version: Int = 0) {
        self.id = id; self.kind = kind; self.number = number; self.title = title; self.state = state
        self.section = section; self.coSections = coSections; self.schoolID = schoolID; self.campaignID = campaignID
        self.receivedOn = receivedOn; self.dueOn = dueOn; self.dueLabel = dueLabel; self.escalated = escalated
        self.extended = extended; self.completedOn = completedOn; self.completedOnTime = completedOnTime
        self.closedOn = closedOn; self.trackingCode = trackingCode; self.fields = fields; self.version = version
    }

    public var isClosed: Bool { closedOn != nil }
}

/// One step of a case's history: who, when, what, with which data and attachments.
public struct CaseStep: Sendable, Hashable, Codable {
    public var id: Int64
    public var caseID: Int64
    /// 1 for the opening, then one more per step.
    public var sequence: Int
    public var action: String
    public var actionTitle: String
    public var fromState: String?
    public var toState: String
    public var actor: CaseActor
    /// The working day the step counts on (deadlines are days).
    public var on: CivilDate
    /// UTC instant it was recorded (ISO 8601), set by the store.
    public var at: String
    public var fields: [String: String]
    public var attachments: [CaseAttachmentInfo]

    public init(id: Int64 = 0, caseID: Int64 = 0, sequence: Int, action: String, actionTitle: String, fromState: String?,
                toState: String, actor: CaseActor, on: CivilDate, at: String = "", fields: [String: String],
                attachments: [CaseAttachmentInfo] = []) {
        self.id = id; self.caseID = caseID; self.sequence = sequence; self.action = action; self.actionTitle = actionTitle
        self.fromState = fromState; self.toState = toState; self.actor = actor; self.on = on; self.at = at
        self.fields = fields; self.attachments = attachments
    }
}
