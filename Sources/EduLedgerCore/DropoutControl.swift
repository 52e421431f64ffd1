import Foundation

/// 控辍保学 (the 2024 MoE notice): a student registered but absent (名在人不在) is reported by the
/// school as a suspected dropout; the responsible people (包村干部 and the class teacher) visit
/// the home (家访); the case is confirmed or not, and ends with an outcome. Schools report
/// monthly; the county reviews quarterly. Confirming a case ends the student's period with
/// 辍学 and a return opens a new one, so the dropout rate comes out of these cases and the
/// registry together.
public struct DropoutCase: Hashable, Sendable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case suspected = "疑似辍学"
        case confirmed = "确认辍学"
        case closed = "已结案"
    }

    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case returned = "劝返复学"
        case moved = "迁出或转学"
        case exempt = "依法免修缓学"
        case stillOut = "仍未返校"

        /// Whether this outcome ends the case (a child still out stays on the ledger).
        public var closesCase: Bool { self != .stillOut }
    }

    public var id: Int64
    public var studentID: StudentID
    public var schoolID: SchoolID
    public var grade: GradeLevel
    /// The first day absent, as the school reports it.
    public var absentSince: CivilDate
    public var reportedOn: CivilDate
    public var reportedBy: String
    public var reason: String
    /// 包村干部 (the township cadre responsible for the village).
    public var villageCadre: String
    public var classTeacher: String
    public var status: Status
    public var confirmedOn: CivilDate?
    public var outcome: Outcome?
    public var outcomeOn: CivilDate?
    public var outcomeNote: String?

    public init(id: Int64, studentID: StudentID, schoolID: SchoolID, grade: GradeLevel, absentSince: CivilDate, reportedOn: CivilDate,
                reportedBy: String, reason: String, villageCadre: String, classTeacher: String, status: Status = .suspected,
                confirmedOn: CivilDate? = nil, outcome: Outcome? = nil, outcomeOn: CivilDate? = nil, outcomeNote: String? = nil) {
        self.id = id; self.studentID = studentID; self.schoolID = schoolID; self.grade = grade; self.absentSince = absentSince
        self.reportedOn = reportedOn; self.reportedBy = reportedBy; self.reason = reason; self.villageCadre = villageCadre
        self.classTeacher = classTeacher; self.status = status; self.confirmedOn = confirmedOn; self.outcome = outcome
        self.outcomeOn = outcomeOn; self.outcomeNote = outcomeNote
    }
}

/// One home visit: when, who went, what was said.
public struct HomeVisit: Hashable, Sendable, Codable {
    public var id: Int64
    public var caseID: Int64
    public var date: CivilDate
    public var visitors: String
    public var notes: String
    public var recordedBy: String

    public init(id: Int64, caseID: Int64, date: CivilDate, visitors: String, notes: String, recordedBy: String) {
        self.id = id; self.caseID = caseID; self.date = date; self.visitors = visitors; self.notes = notes; self.recordedBy = recordedBy
    }
}

/// The figures of a ledger period: open cases on its last day and what happened during it.
public struct DropoutCounts: Hashable, Sendable, Codable {
    public var suspected = 0
    public var confirmed = 0
    public var returned = 0
    public var moved = 0
    public var exempt = 0
    public var stillOut = 0
    public var visits = 0

    public init() {}

    /// Counts over `cases` (with their visits) for the days `from...to`.
    public static func of(_ cases: [DropoutCase], visits: [HomeVisit], from: CivilDate, to: CivilDate) -> DropoutCounts {
        var c = DropoutCounts()
        for k in cases where k.reportedOn <= to {
            let closedBefore = k.outcomeOn.map { $0 < from } ?? false
            if closedBefore && (k.outcome?.closesCase ?? false) { continue }
            let confirmed = k.confirmedOn.map { $0 <= to } ?? false
            if let o = k.outcome, let on = k.outcomeOn, on >= from, on <= to {
                switch o {
                case .returned: c.returned += 1
                case .moved: c.moved += 1
                case .exempt: c.exempt += 1
                case .stillOut: c.stillOut += 1
                }
                if o.closesCase { continue }
            }
            if confirmed { c.confirmed += 1 } else { c.suspected += 1 }
        }
        c.visits = visits.filter { $0.date >= from && $0.date <= to }.count
        return c
    }
}

/// A school's monthly report (学校月报), or the county's quarterly review (县级季度会商):
/// the counts as submitted, who submitted them and when.
public struct DropoutReport: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable { case schoolMonthly = "学校月报", countyQuarterly = "县级季度会商" }
    public var id: Int64
    public var kind: Kind
    /// `2025-10` for a month, `2025-Q4` for a quarter.
    public var period: String
    /// The school of a monthly report; `nil` for the county review.
    public var schoolID: SchoolID?
    public var counts: DropoutCounts
    public var notes: String
    public var submittedBy: String
    public var submittedAt: String

    public init(id: Int64, kind: Kind, period: String, schoolID: SchoolID?, counts: DropoutCounts, notes: String,
                submittedBy: String, submittedAt: String) {
        self.id = id; self.kind = kind; self.period = period; self.schoolID = schoolID; self.counts = counts; self.notes = notes
        self.submittedBy = submittedBy; self.submittedAt = submittedAt
    }

    /// First and last day of a `YYYY-MM` month or a `YYYY-Qn` quarter.
    public static func days(of period: String) -> (CivilDate, CivilDate)? {
        let parts = period.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), (2000...2100).contains(year) else { return nil }
        let first: Int, last: Int
        if parts[1].hasPrefix("Q"), let q = Int(parts[1].dropFirst()), (1...4).contains(q) {
            first = q * 3 - 2; last = q * 3
        } else if let m = Int(parts[1]), (1...12).contains(m), parts[1].count == 2 {
            first = m; last = m
        } else {
            return nil
        }
        guard let from = CivilDate(year: year, month: first, day: 1),
              let next = last == 12 ? CivilDate(year: year + 1, month: 1, day: 1) : CivilDate(year: year, month: last + 1, day: 1) else { return nil }
        return (from, next.adding(days: -1))
    }
}

/// Storage of the ledger inside a registry transaction (the SQL writer conforms).
public protocol DropoutWriting: Sendable {
    func insert(_ c: DropoutCase) async throws -> DropoutCase
    func update(_ c: DropoutCase) async throws
    func dropoutCase(id: Int64) async throws -> DropoutCase?
    func dropoutCases(studentID: StudentID) async throws -> [DropoutCase]
    func insert(_ v: HomeVisit) async throws -> HomeVisit
    func homeVisits(caseID: Int64) async throws -> [HomeVisit]
    func insert(_ r: DropoutReport) async throws -> DropoutReport
    /// All cases and visits (for counting a report inside the transaction).
    func dropoutLedger(schoolIDs: Set<SchoolID>?) async throws -> (cases: [DropoutCase], visits: [HomeVisit])
}

/// A refused 控辍保学 step, with the reason in Chinese.
public enum DropoutError: UserFacingError, Equatable {
    case caseNotFound(Int64)
    case caseOpen(student: String, id: Int64)
    case wrongStatus(id: Int64, status: DropoutCase.Status, action: String)
    case visitRequired(Int64)
    case peopleRequired
    case invalidPeriod(String)
    case unsupportedStore

    public var code: String {
        switch self {
        case .caseNotFound: return "dropout.not_found"
        case .caseOpen: return "dropout.case_open"
        case .wrongStatus: return "dropout.wrong_status"
        case .visitRequired: return "dropout.visit_required"
        case .peopleRequired: return "dropout.people_required"
        case .invalidPeriod: return "dropout.invalid_period"
        case .unsupportedStore: return "dropout.unsupported_store"
        }
    }

    public var message: String {
        switch self {
        case .caseNotFound(let id): return "找不到控辍保学台账记录 \(id)"
        case let .caseOpen(student, id): return "\(student)已有未结案的控辍保学记录（编号 \(id)）"
        case let .wrongStatus(id, status, action): return "记录 \(id) 当前为“\(status.rawValue)”，不能\(action)"
        case .visitRequired(let id): return "记录 \(id) 尚无家访记录：确认辍学前须由包村干部和班主任家访核实"
        case .peopleRequired: return "必须填写包村干部和班主任"
        case .invalidPeriod(let p): return "报告期“\(p)”无效（月报如 2025-10，季度会商如 2025-Q4）"
        case .unsupportedStore: return "当前存储不支持控辍保学台账"
        }
    }
}

extension RegistryService {
    static func dropoutWriter(_ tx: any RegistryWriting) throws -> any DropoutWriting {
        guard let w = tx as? any DropoutWriting else { throw DropoutError.unsupportedStore }
        return w
    }

    /// The school reports a suspected dropout: the student must be registered (enrolled) on the
    /// day they were first absent — a child who is not enrolled is not a 名在人不在 case.
    public func reportSuspectedDropout(studentNumber: String, absentSince: CivilDate, reportedOn: CivilDate, reason: String,
                                       villageCadre: String, classTeacher: String, by user: ActingUser) async throws -> DropoutCase {
        let cadre = villageCadre.trimmingCharacters(in: .whitespaces), teacher = classTeacher.trimmingCharacters(in: .whitespaces)
        guard !cadre.isEmpty, !teacher.isEmpty else { throw DropoutError.peopleRequired }
        return try await store.write(by: user) { tx in
            let ledger = try Self.dropoutWriter(tx)
            let (student, current) = try await Self.enrolled(tx, studentNumber: studentNumber, on: absentSince)
            if let open = try await ledger.dropoutCases(studentID: student.id).first(where: { $0.status != .closed }) {
                throw DropoutError.caseOpen(student: Self.label(student), id: open.id)
            }
            return try await ledger.insert(DropoutCase(
                id: 0, studentID: student.id, schoolID: current.schoolID, grade: current.grade, absentSince: absentSince,
                reportedOn: reportedOn, reportedBy: user.login, reason: reason, villageCadre: cadre, classTeacher: teacher))
        }
    }

    public func recordHomeVisit(caseID: Int64, date: CivilDate, visitors: String, notes: String, by user: ActingUser) async throws -> HomeVisit {
        try await store.write(by: user) { tx in
            let ledger = try Self.dropoutWriter(tx)
            guard let c = try await ledger.dropoutCase(id: caseID) else { throw DropoutError.caseNotFound(caseID) }
            guard c.status != .closed else { throw DropoutError.wrongStatus(id: caseID, status: c.status, action: "再登记家访") }
            return try await ledger.insert(HomeVisit(id: 0, caseID: caseID, date: date, visitors: visitors, notes: notes, recordedBy: user.login))
        }
    }

    /// Confirms the dropout after at least one home visit; the student's period ends on the
    /// first day absent with 辍学 (if it has not ended already).
    public func confirmDropout(caseID: Int64, on date: CivilDate, by user: ActingUser) async throws -> DropoutCase {
        try await store.write(by: user) { tx in
            let ledger = try Self.dropoutWriter(tx)
            guard var c = try await ledger.dropoutCase(id: caseID) else { throw DropoutError.caseNotFound(caseID) }
            guard c.status == .suspected else { throw DropoutError.wrongStatus(id: caseID, status: c.status, action: "确认辍学") }
            guard !(try await ledger.homeVisits(caseID: caseID)).isEmpty else { throw DropoutError.visitRequired(caseID) }
            if var current = try await tx.enrolments(studentID: c.studentID).first(where: { $0.covers(c.absentSince) }) {
                guard c.absentSince > current.from else {
                    throw RegistryError.invalidPeriod(record: "学籍", from: current.from, until: c.absentSince)
                }
                current.until = c.absentSince
                current.exit = .droppedOut
                try await tx.update(current)
            }
            c.status = .confirmed
            c.confirmedOn = date
            try await ledger.update(c)
            return c
        }
    }

    /// Records the outcome. 劝返复学 of a confirmed dropout opens a new period at the same school
    /// and grade from `date`; any outcome but 仍未返校 closes the case.
    public func recordDropoutOutcome(caseID: Int64, outcome: DropoutCase.Outcome, on date: CivilDate, note: String,
                                     by user: ActingUser) async throws -> DropoutCase {
        try await store.write(by: user) { tx in
            let ledger = try Self.dropoutWriter(tx)
            guard var c = try await ledger.dropoutCase(id: caseID) else { throw DropoutError.caseNotFound(caseID) }
            guard c.status != .closed else { throw DropoutError.wrongStatus(id: caseID, status: c.status, action: "登记结果") }
            if outcome == .returned, c.status == .confirmed {
                guard let student = try await tx.student(id: c.studentID) else { throw RegistryError.notFound(kind: "学生", key: "\(c.studentID)") }
                _ = try await Self.reopen(tx, student: student, on: date)
            }
            c.outcome = outcome
            c.outcomeOn = date
            c.outcomeNote = note
            if outcome.closesCase { c.status = .closed }
            try await ledger.update(c)
            return c
        }
    }

    /// Submits a school's monthly report (`YYYY-MM`) or the county's quarterly review
    /// (`YYYY-Qn`, school `nil`), with the counts computed from the ledger at submission.
    public func submitDropoutReport(period: String, schoolID: SchoolID?, notes: String, by user: ActingUser,
                                    at now: Date = Date()) async throws -> DropoutReport {
        let kind: DropoutReport.Kind = schoolID == nil ? .countyQuarterly : .schoolMonthly
        guard let days = DropoutReport.days(of: period), period.contains("Q") == (kind == .countyQuarterly) else {
            throw DropoutError.invalidPeriod(period)
        }
        let (from, to) = days
        return try await store.write(by: user) { tx in
            let ledger = try Self.dropoutWriter(tx)
            let (cases, visits) = try await ledger.dropoutLedger(schoolIDs: schoolID.map { [$0] })
            let counts = DropoutCounts.of(cases, visits: visits, from: from, to: to)
            return try await ledger.insert(DropoutReport(id: 0, kind: kind, period: period, schoolID: schoolID, counts: counts,
                                                         notes: notes, submittedBy: user.login, submittedAt: Self.timestamp(now)))
        }
    }
}
