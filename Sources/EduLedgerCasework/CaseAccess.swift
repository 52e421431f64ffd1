import EduLedgerCore

/// Who sees which cases: a section its own casework, leadership all of it, a school only the
/// hazard notices addressed to it, townships and zones the hazards of their schools, the public
/// nothing (without an account). Pure, so the web pages, the API and the tests share it.
public enum CaseAccess {
    /// What a user may see, as a filter a store can apply.
    public struct Visibility: Sendable, Hashable {
        /// Kinds seen in full.
        public var allOfKinds: Set<CaseKind>
        /// Cases assigned to or co-handled by this section.
        public var section: Role?
        /// Hazards of these schools, once a notice has been issued (`nil` = none).
        public var hazardSchools: Set<SchoolID>?
        /// Whether this user sees any casework at all.
        public var seesAny: Bool { !allOfKinds.isEmpty || section != nil || hazardSchools != nil }
    }

    /// The visibility of an account with `role` at `scope`; `readable` is the set of schools of
    /// its place (`AccessPolicy.readableSchools`).
    public static func visibility(role: Role, scope: AccountScope, readable: Set<SchoolID>?) -> Visibility {
        switch scope {
        case .district:
            switch role {
            case .leadership:
                return Visibility(allOfKinds: Set(CaseKind.allCases), section: nil, hazardSchools: nil)
            case .admin:
                return Visibility(allOfKinds: [], section: nil, hazardSchools: nil)
            case .inspector:
                return Visibility(allOfKinds: [.hazard], section: nil, hazardSchools: nil)
            default:
                var kinds = Set(CaseKind.allCases.filter { $0.owningSection == role })
                // 计划财务股 records refunds of 违规收费 (with the proof), so it sees those cases.
                if role == .finance { kinds.insert(.violation) }
                return Visibility(allOfKinds: kinds, section: CaseWorkflows.bureauSections.contains(role) ? role : nil,
                                  hazardSchools: nil)
            }
        case .township, .zone, .school:
            switch role {
            case .principal, .safetyOfficer, .townshipOfficer, .zoneOfficer:
                return Visibility(allOfKinds: [], section: nil, hazardSchools: readable ?? [])
            default:
                return Visibility(allOfKinds: [], section: nil, hazardSchools: nil)
            }
        }
    }

    /// Whether a user with this visibility may read the case.
    public static func mayRead(_ record: CaseRecord, _ v: Visibility) -> Bool {
        if v.allOfKinds.contains(record.kind) { return true }
        if let s = v.section, record.section == s || record.coSections.contains(s) { return true }
        if let schools = v.hazardSchools, record.kind == .hazard, let school = record.schoolID, schools.contains(school),
           record.state != "found" { return true }
        return false
    }

    /// Kinds a user may open new cases of (the opening step's parties).
    public static func openableKinds(role: Role, scope: AccountScope) -> [CaseKind] {
        let actor = CaseActor(login: "-", displayName: "-", role: role, scope: scope)
        return CaseKind.allCases.filter { kind in
            CaseWorkflows.workflow(kind).opening.who.contains { CaseEngine.matches($0, actor: actor, case: CaseRecord(kind: kind, title: "", state: "", receivedOn: CivilDate(dayNumber: 0))) }
        }
    }
}

/// An inspection round (拉网式排查) over many schools; each finding becomes a hazard case.
public struct InspectionCampaign: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var startedOn: CivilDate
    public var endsOn: CivilDate?
    /// The schools the round covers, in order.
    public var schoolIDs: [SchoolID]
    public var createdBy: String

    public init(id: Int64 = 0, name: String, startedOn: CivilDate, endsOn: CivilDate?, schoolIDs: [SchoolID], createdBy: String) {
        self.id = id; self.name = name; self.startedOn = startedOn; self.endsOn = endsOn; self.schoolIDs = schoolIDs
        self.createdBy = createdBy
    }

    /// Checks a new round: a name, at least one school, no end before the start.
    public func validated() throws(CaseError) -> InspectionCampaign {
        guard !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .missingField("排查名称") }
        guard !schoolIDs.isEmpty else { throw .missingField("排查学校") }
        if let endsOn, endsOn < startedOn { throw .invalidField(label: "结束日期", reason: "不能早于开始日期") }
        return self
    }
}
