import EduLedgerCore

/// Where a case stands against its deadline on a given day.
public enum DeadlineStatus: Sendable, Hashable, Codable {
    /// No deadline runs (waiting for the applicant, closed).
    case none
    /// Within the limit, with this many working days left (the day itself not counted).
    case onTrack(workingDaysLeft: Int)
    /// Within the limit but at most `CaseEngine.dueSoonWorkingDays` working days left.
    case dueSoon(workingDaysLeft: Int)
    /// The deadline has passed by this many calendar days.
    case overdue(daysLate: Int)

    public var isOverdue: Bool { if case .overdue = self { return true }; return false }
    public var isDueSoon: Bool { if case .dueSoon = self { return true }; return false }

    public var chinese: String {
        switch self {
        case .none: return "无期限"
        case .onTrack(let n): return "剩余\(n)个工作日"
        case .dueSoon(let n): return n == 0 ? "今日到期" : "即将到期（剩余\(n)个工作日）"
        case .overdue(let n): return "已超期\(n)日"
        }
    }
}

/// The case engine: opens cases and takes steps according to the workflows, checking who may
/// take each step, the fields and attachments it needs, and setting deadlines on the
/// working-day calendar. Pure: the caller stores what it returns.
public struct CaseEngine: Sendable {
    public let calendar: WorkingDayCalendar
    public let limits: StatutoryLimits
    /// Largest attachment accepted: a full-size phone photo (4–8 MB) or a scanned letter.
    public static let maxAttachmentBytes = 10 * 1024 * 1024
    public static let maxAttachmentsPerStep = 5
    /// Types accepted, recognised by their first bytes (`CaseAttachment.detectType`), not by name or claim.
    public static let allowedTypes = ["image/jpeg", "image/png", "application/pdf"]
    /// A deadline this close (in working days) shows as due soon.
    public static let dueSoonWorkingDays = 3

    public init(calendar: WorkingDayCalendar, limits: StatutoryLimits = .standard) {
        self.calendar = calendar; self.limits = limits
    }

    public func workflow(_ kind: CaseKind) -> CaseWorkflow { CaseWorkflows.workflow(kind) }

    // MARK: opening and steps

    /// A new case (id and number are given by the store) and its opening step.
    public func open(kind: CaseKind, title: String, fields: [String: String], attachments: [CaseAttachment] = [],
                     by actor: CaseActor, on date: CivilDate) throws(CaseError) -> (CaseRecord, CaseStep) {
        let flow = workflow(kind)
        let opening = flow.opening
        let stub = CaseRecord(kind: kind, title: title, state: "", receivedOn: date)
        try checkActor(opening, actor: actor, case: stub)
        let cleaned = try check(fields: fields, for: opening)
        try check(attachments: attachments, for: opening)
        var record = stub
        record.title = title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? (cleaned["summary"] ?? cleaned["description"] ?? kind.title).prefix(40).description : title
        record.state = opening.to ?? ""
        record.fields = cleaned
        if let school = cleaned["school"].flatMap(Int64.init) { record.schoolID = SchoolID(school) }
        try applyDeadline(opening.deadline, to: &record, on: date, fields: cleaned)
        record.version = 1
        let step = CaseStep(sequence: 1, action: opening.id, actionTitle: opening.title, fromState: nil, toState: record.state,
                            actor: actor, on: date, fields: cleaned)
        return (record, step)
    }

    /// The case after `actionID` and the step to record, or the reason it is refused.
    public func take(_ actionID: String, on record: CaseRecord, by actor: CaseActor, fields: [String: String] = [:],
                     attachments: [CaseAttachment] = [], date: CivilDate) throws(CaseError) -> (CaseRecord, CaseStep) {
        let flow = workflow(record.kind)
        guard let action = flow.action(actionID) else { throw .unknownAction(actionID) }
        guard action.from.contains(record.state) else {
            throw .notAllowedInState(action: action.title, state: flow.stateTitle(record.state))
        }
        try checkActor(action, actor: actor, case: record)
        let cleaned = try check(fields: fields, for: action)
        try check(attachments: attachments, for: action)
        switch action.condition {
        case .none: break
        case .dissatisfied:
            guard record.fields["rating"] == "不满意" else { throw .conditionFailed("只有测评“不满意”的才重新办理") }
        case .noRefundOutstanding:
            let ordered = Int64(record.fields["refundOrdered"] ?? "0") ?? 0
            let proven = Int64(record.fields["refundProven"] ?? "0") ?? 0
            guard ordered <= proven else {
                throw .conditionFailed("责令清退\(Money(fen: ordered))元，已登记清退\(Money(fen: proven))元，清退凭证齐全后才能结案")
            }
        }
        var next = record
        for (k, v) in cleaned { next.fields[k] = v }
        if action.completes {
            next.completedOn = date
            next.completedOnTime = record.dueOn.map { date <= $0 } ?? true
        }
        if let to = action.to { next.state = to }
        if actionID == "assign" || actionID == "reopen", let s = cleaned["section"].flatMap(Role.init(rawValue:)) {
            next.section = s
        }
        if record.kind.isProposal, actionID == "assign" {
            next.coSections = Self.sections(cleaned["coSections"] ?? "")
        }
        if actionID == "reopen" || actionID == "reanswer" {
            next.completedOn = nil; next.completedOnTime = nil; next.closedOn = nil
        }
        if actionID == "issueNotice" { next.completedOn = nil; next.completedOnTime = nil }
        try applyDeadline(action.deadline, to: &next, on: date, fields: cleaned)
        if action.closes { next.closedOn = date }
        next.version = record.version + 1
        let step = CaseStep(caseID: record.id, sequence: next.version, action: action.id, actionTitle: action.title,
                            fromState: record.state, toState: next.state, actor: actor, on: date, fields: cleaned)
        return (next, step)
    }

    /// 督办: the step the deadline watch records once a deadline has passed unmet; for a licence
    /// application without a one-time notice within 5 working days, acceptance on receipt
    /// (行政许可法第32条). `nil` when nothing is due.
    public func escalation(of record: CaseRecord, today: CivilDate) -> (CaseRecord, CaseStep)? {
        guard !record.isClosed, let due = record.dueOn, today > due else { return nil }
        if record.kind == .licence, record.state == "submitted",
           let result = try? take("deemAccepted", on: record, by: .system, date: today) {
            return result
        }
        guard !record.escalated else { return nil }
        var next = record
        next.escalated = true
        next.version += 1
        let flow = workflow(record.kind)
        let note = "\(record.dueLabel ?? "办理期限")已于\(due.chinese)届满，\(flow.stateTitle(record.state))，列入督办"
        let step = CaseStep(caseID: record.id, sequence: next.version, action: "escalate", actionTitle: "超期督办",
                            fromState: record.state, toState: record.state, actor: .system, on: today, fields: ["note": note])
        return (next, step)
    }

    /// The steps `actor` may take on the case now (state and actor checked, not fields).
    public func availableActions(_ record: CaseRecord, for actor: CaseActor) -> [CaseAction] {
        workflow(record.kind).actions.filter { a in
            guard a.from.contains(record.state), !a.who.contains(.system) || actor.kind == .system else { return false }
            do { try checkActor(a, actor: actor, case: record) } catch { return false }
            if a.id == "extend", record.extended { return false }
            if a.condition == .dissatisfied, record.fields["rating"] != "不满意" { return false }
            return true
        }
    }

    /// Where the case stands against its deadline on `today`.
    public func status(_ record: CaseRecord, today: CivilDate) -> DeadlineStatus {
        guard !record.isClosed, let due = record.dueOn else { return .none }
        if today > due { return .overdue(daysLate: due.distance(to: today)) }
        let left = (try? calendar.workingDays(from: today, through: due)) ?? (today.distance(to: due) * 5 / 7)
        return left <= Self.dueSoonWorkingDays ? .dueSoon(workingDaysLeft: left) : .onTrack(workingDaysLeft: left)
    }

    /// The date a limit ends when its clock starts on `start` (the start day not counted).
    public func deadline(_ limit: StatutoryLimit, from start: CivilDate) throws(CaseError) -> CivilDate {
        switch limit.unit {
        case .calendarDays: return start.adding(days: limit.count)
        case .months: return start.adding(months: limit.count)
        case .workingDays:
            do { return try calendar.date(limit.count, workingDaysAfter: start) } catch { throw .calendar(error.message) }
        }
    }

    // MARK: checks

    func checkActor(_ action: CaseAction, actor: CaseActor, case record: CaseRecord) throws(CaseError) {
        let allowed = action.who.contains { party in Self.matches(party, actor: actor, case: record) }
        guard allowed else {
            throw .notAllowedForActor(action: action.title, allowed: action.who.map { party -> String in
                if party == .assignedSection, let s = record.section { return s.title }
                return party.title
            }.joined(separator: "或"))
        }
    }

    static func matches(_ party: CaseParty, actor: CaseActor, case record: CaseRecord) -> Bool {
        switch party {
        case .system: return actor.kind == .system
        case .publicPerson: return actor.kind == .publicPerson
        case .role(let r): return actor.kind == .user && actor.role == r && actor.scope == .district
        case .assignedSection:
            return actor.kind == .user && actor.scope == .district && actor.role != nil && actor.role == record.section
        case .coSection:
            guard actor.kind == .user, actor.scope == .district, let role = actor.role else { return false }
            return record.coSections.contains(role)
        case .caseSchool:
            guard actor.kind == .user, let school = record.schoolID, actor.scope == .school(school) else { return false }
            return actor.role == .principal || actor.role == .safetyOfficer
        }
    }

    /// Trims values, drops empty ones, checks required fields and each value's kind. Money is
    /// converted from 元 to 分 (exact); sections are checked against the bureau's sections.
    func check(fields: [String: String], for action: CaseAction) throws(CaseError) -> [String: String] {
        var out: [String: String] = [:]
        for field in action.fields {
            let raw = (fields[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !raw.isEmpty else {
                if field.required { throw .missingField(field.label) }
                continue
            }
            guard raw.count <= 4000 else { throw .invalidField(label: field.label, reason: "不能超过4000字") }
            switch field.kind {
            case .text, .longText:
                out[field.name] = raw
            case .date:
                guard let d = CivilDate(iso: raw) else { throw .invalidField(label: field.label, reason: "日期应为 YYYY-MM-DD") }
                out[field.name] = d.description
            case .money:
                do { out[field.name] = String(try Money(yuan: raw).fen) } catch {
                    throw .invalidField(label: field.label, reason: error.message)
                }
                if (Int64(out[field.name] ?? "") ?? 0) < 0 { throw .invalidField(label: field.label, reason: "金额不能为负") }
            case .choice(let options):
                guard options.contains(raw) else {
                    throw .invalidField(label: field.label, reason: "应为" + options.joined(separator: "、") + "之一")
                }
                out[field.name] = raw
            case .section:
                guard let r = Role(rawValue: raw), CaseWorkflows.bureauSections.contains(r) else {
                    throw .invalidField(label: field.label, reason: "不是局机关股室")
                }
                out[field.name] = r.rawValue
            case .sections:
                let parts = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                for p in parts where !(Role(rawValue: p).map(CaseWorkflows.bureauSections.contains) ?? false) {
                    throw .invalidField(label: field.label, reason: "“\(p)”不是局机关股室")
                }
                out[field.name] = parts.joined(separator: ",")
            case .school:
                guard let id = Int64(raw), id > 0 else { throw .invalidField(label: field.label, reason: "应为学校编号") }
                out[field.name] = String(id)
            }
        }
        return out
    }

    func check(attachments: [CaseAttachment], for action: CaseAction) throws(CaseError) {
        guard attachments.count <= Self.maxAttachmentsPerStep else { throw .tooManyAttachments(Self.maxAttachmentsPerStep) }
        for a in attachments {
            guard !a.bytes.isEmpty else { throw .attachmentEmpty(a.name) }
            guard a.bytes.count <= Self.maxAttachmentBytes else {
                throw .attachmentTooLarge(name: a.name, limitMB: Self.maxAttachmentBytes / (1024 * 1024))
            }
            let type = a.detectedType ?? ""
            let ok = action.attachmentTypes.isEmpty
                ? Self.allowedTypes.contains(type)
                : action.attachmentTypes.contains { type.hasPrefix($0) } && Self.allowedTypes.contains(type)
            guard ok else {
                let allowed = action.attachmentTypes.isEmpty ? "JPEG、PNG 照片或 PDF 文件" : "照片（JPEG、PNG）"
                throw .attachmentType(name: a.name, allowed: allowed)
            }
        }
        if attachments.count < action.minAttachments { throw .missingAttachment(action.attachmentLabel, needed: action.minAttachments) }
    }

    func applyDeadline(_ effect: DeadlineEffect, to record: inout CaseRecord, on date: CivilDate,
                       fields: [String: String]) throws(CaseError) {
        switch effect {
        case .keep: return
        case .clear:
            record.dueOn = nil; record.dueLabel = nil
        case .start(let key), .startFromReceipt(let key):
            guard let limit = limits[key] else { throw .calendar("未配置期限“\(key)”") }
            var start = date
            if case .startFromReceipt = effect { start = record.receivedOn }
            record.dueOn = try deadline(limit, from: start)
            record.dueLabel = limit.label
        case .fromField(let name):
            guard let d = fields[name].flatMap({ CivilDate(iso: $0) }) else { throw .missingField(name) }
            guard d > date else { throw .invalidField(label: "限期整改日期", reason: "应晚于下发日期\(date)") }
            record.dueOn = d
            record.dueLabel = "限期整改：\(d.chinese)前（整改通知书确定，教育督导条例第21–22条）"
        case .extend(let key):
            guard !record.extended else { throw .alreadyExtended }
            guard let limit = limits[key], let due = record.dueOn else { throw .conditionFailed("当前没有可延长的期限") }
            record.dueOn = try deadline(limit, from: due)
            record.dueLabel = (record.dueLabel ?? "") + "；已延长\(limit.count)\(limit.unit.chinese)（\(limit.source)）"
            record.extended = true
        }
        record.escalated = false
    }

    static func sections(_ text: String) -> [Role] {
        text.split(separator: ",").compactMap { Role(rawValue: String($0)) }
    }
}

extension CivilDate {
    /// Days from `self` to `other` (negative when `other` is earlier).
    func distance(to other: CivilDate) -> Int { other.dayNumber - dayNumber }

    /// The same day `n` months later; a day the month lacks becomes its last day (1月31日 + 1个月 = 2月28/29日).
    func adding(months n: Int) -> CivilDate {
        let total = year * 12 + (month - 1) + n
        let y = total / 12, m = total % 12 + 1
        let d = min(day, CivilDate.daysIn(month: m, year: y))
        return CivilDate(year: y, month: m, day: d) ?? self
    }
}
