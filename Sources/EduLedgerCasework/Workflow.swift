import EduLedgerCore

/// Who may take a step, as data: a bureau role anywhere in the district, the section the case
/// is assigned to, one of its co-handling sections, the school the case is about, the public.
public enum CaseParty: Sendable, Hashable {
    /// Any district-level account of this role (信访办, 安全办, 局领导 …).
    case role(Role)
    /// The section the case is assigned to (承办股室 / 主办股室).
    case assignedSection
    /// A co-handling section (会办股室) of a proposal.
    case coSection
    /// The school's own principal or safety officer (a school account of `case.schoolID`).
    case caseSchool
    /// A member of the public without an account (a petitioner rating the reply).
    case publicPerson
    /// The deadline watch.
    case system

    public var title: String {
        switch self {
        case .role(let r): return r.title
        case .assignedSection: return "承办股室"
        case .coSection: return "会办股室"
        case .caseSchool: return "所涉学校（校长、安全专干）"
        case .publicPerson: return "当事人"
        case .system: return "期限监控"
        }
    }
}

/// A field a step asks for.
public struct CaseField: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case text
        /// Several lines (a summary, the reply, every missing document one per line).
        case longText
        case date
        /// An amount in 元 with at most two decimals, stored in 分.
        case money
        case choice([String])
        /// A bureau section (a `Role` raw value of a district role).
        case section
        /// Several sections, comma-separated.
        case sections
        /// A school id.
        case school
    }
    public var name: String
    public var label: String
    public var kind: Kind
    public var required: Bool

    public init(_ name: String, _ label: String, _ kind: Kind = .text, required: Bool = true) {
        self.name = name; self.label = label; self.kind = kind; self.required = required
    }
}

/// How long a limit runs and on which clock.
public enum LimitUnit: String, Sendable, Codable, Hashable {
    /// 工作日 on the `WorkingDayCalendar` (行政许可法 Art. 82).
    case workingDays
    /// 日 (calendar days; 信访工作条例).
    case calendarDays
    /// 个月 (代表法).
    case months

    public var chinese: String {
        switch self {
        case .workingDays: return "个工作日"
        case .calendarDays: return "日"
        case .months: return "个月"
        }
    }
}

/// One statutory time limit, with its legal source beside it, as data an administrator may change.
public struct StatutoryLimit: Sendable, Codable, Hashable {
    public var key: String
    public var purpose: String
    public var count: Int
    public var unit: LimitUnit
    public var source: String

    public init(key: String, purpose: String, count: Int, unit: LimitUnit, source: String) {
        self.key = key; self.purpose = purpose; self.count = count; self.unit = unit; self.source = source
    }

    /// `答复期限：60日（信访工作条例（2022）第34条）`
    public var label: String { "\(purpose)：\(count)\(unit.chinese)（\(source)）" }
}

/// What a step does to the deadline.
public enum DeadlineEffect: Sendable, Hashable {
    /// Keep the deadline in force.
    case keep
    /// No deadline runs after this step (waiting for the applicant, closed).
    case clear
    /// A new deadline of the limit with this key, counted from the step's day.
    case start(String)
    /// A new deadline counted from the case's receipt day (deemed acceptance, 行政许可法 Art. 32).
    case startFromReceipt(String)
    /// The date given in this field of the step (限期整改: the notice sets it).
    case fromField(String)
    /// Extends the deadline in force by the limit with this key, once per case.
    case extend(String)
}

/// A condition a step needs beyond its state.
public enum CaseCondition: Sendable, Hashable {
    case none
    /// No refund was ordered, or it is proven.
    case noRefundOutstanding
    /// The last rating was 不满意.
    case dissatisfied
}

/// One step of a workflow: from which states, to which, who, what it needs, and its deadline.
public struct CaseAction: Sendable, Hashable {
    public var id: String
    public var title: String
    public var from: [String]
    /// The state after the step; `nil` keeps the state (a co-handling opinion, an extension).
    public var to: String?
    public var who: [CaseParty]
    public var fields: [CaseField]
    /// At least this many attachments, described by `attachmentLabel`.
    public var minAttachments: Int
    public var attachmentLabel: String
    /// Accepted content types (prefixes, e.g. `image/`); empty = the store's general list.
    public var attachmentTypes: [String]
    public var deadline: DeadlineEffect
    /// This step completes the case's work: its day is judged against the deadline in force.
    public var completes: Bool
    public var closes: Bool
    public var condition: CaseCondition

    public init(_ id: String, _ title: String, from: [String], to: String?, who: [CaseParty], fields: [CaseField] = [],
                minAttachments: Int = 0, attachmentLabel: String = "附件", attachmentTypes: [String] = [],
                deadline: DeadlineEffect = .keep, completes: Bool = false, closes: Bool = false,
                condition: CaseCondition = .none) {
        self.id = id; self.title = title; self.from = from; self.to = to; self.who = who; self.fields = fields
        self.minAttachments = minAttachments; self.attachmentLabel = attachmentLabel; self.attachmentTypes = attachmentTypes
        self.deadline = deadline; self.completes = completes; self.closes = closes; self.condition = condition
    }
}

/// A case type: its states (with Chinese names), the opening step and the other steps.
public struct CaseWorkflow: Sendable {
    public var kind: CaseKind
    /// State id → Chinese name, in the order a case normally goes through them.
    public var states: [(id: String, title: String)]
    public var opening: CaseAction
    public var actions: [CaseAction]

    public func stateTitle(_ id: String) -> String { states.first { $0.id == id }?.title ?? id }
    public func action(_ id: String) -> CaseAction? { actions.first { $0.id == id } }
}
