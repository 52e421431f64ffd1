import Foundation

/// 撤并: a school merged into another on a day. Every pupil enrolled there that day leaves
/// with 学校撤并 and continues, same grade, at the receiving school from the same day
/// (学校撤并转入); the school is marked closed and merged, never deleted. Its past periods stay
/// as they were, so a figure for a year before the merger still reconciles afterwards, and
/// `SchoolMergerReconciliation` checks that everyone who left arrived.
public struct SchoolMergerPlan: Hashable, Sendable, Codable {
    public struct Line: Hashable, Sendable, Codable {
        public var studentID: StudentID
        public var studentNumber: String
        public var name: String
        public var enrolment: Enrolment
    }
    public var school: School
    public var into: School
    public var date: CivilDate
    public var lines: [Line]

    /// Pupils moving, by grade, in the order of the grades.
    public var byGrade: [(grade: GradeLevel, count: Int)] {
        let counts = Dictionary(grouping: lines, by: \.enrolment.grade).mapValues(\.count)
        return GradeLevel.allCases.compactMap { g in counts[g].map { (g, $0) } }
    }
}

/// The check after a merger: who left the merged school on the day with 学校撤并, and whether
/// each of them continued at the receiving school from the same day.
public struct SchoolMergerReconciliation: Hashable, Sendable, Codable {
    public var school: School
    public var into: School?
    public var date: CivilDate
    /// Periods at the merged school that ended on the day with 学校撤并.
    public var left: Int
    /// Of those pupils, how many have a period at the receiving school from the day (学校撤并转入).
    public var arrived: Int
    /// 学籍号 of pupils who left without arriving (should be empty).
    public var missing: [String]
    public var reconciles: Bool { left == arrived && missing.isEmpty }
}

extension RegistryService {
    /// What merging the school into `intoCode` on `date` would do; nothing is written.
    public func previewMerger(schoolCode: String, intoCode: String, on date: CivilDate) async throws -> SchoolMergerPlan {
        try await Self.planMerger(store, schoolCode: schoolCode, intoCode: intoCode, on: date)
    }

    /// Merges the school in one transaction: every period open on `date` ends with 学校撤并 and
    /// a new one starts at the receiving school; the school gets its closing day and 撤并去向.
    /// If any pupil breaks a rule (e.g. the receiving school does not teach the grade), nothing changes.
    public func confirmMerger(schoolCode: String, intoCode: String, on date: CivilDate, by user: ActingUser) async throws -> SchoolMergerPlan {
        try await store.write(by: user) { tx in
            let plan = try await Self.planMerger(tx, schoolCode: schoolCode, intoCode: intoCode, on: date)
            for line in plan.lines {
                guard let student = try await tx.student(id: line.studentID) else {
                    throw RegistryError.notFound(kind: "学生", key: line.studentNumber)
                }
                var ended = line.enrolment
                ended.until = date
                ended.exit = .schoolMerged
                try await tx.update(ended)
                let next = Enrolment(id: .unsaved, studentID: line.studentID, schoolID: plan.into.id, grade: ended.grade,
                                     classID: nil, from: date, entry: .schoolMerger)
                let history = try await tx.enrolments(studentID: line.studentID)
                try RegistryRules.check(enrolment: next, student: student, school: plan.into, schoolClass: nil,
                                        otherEnrolments: history)
                _ = try await tx.insert(next)
            }
            var closed = plan.school
            // `closed` is the last teaching day; the pupils are at the receiving school from `date`.
            closed.closed = date.adding(days: -1)
            closed.mergedIntoID = plan.into.id
            try await tx.update(closed)
            return plan
        }
    }

    /// 停办 without a receiving school: refused while anyone is enrolled on `date`.
    public func closeSchool(schoolCode: String, on date: CivilDate, by user: ActingUser) async throws -> School {
        try await store.write(by: user) { tx in
            let school = try await Self.openSchool(tx, code: schoolCode, on: date)
            let enrolled = try await tx.students(StudentQuery(date: date, schoolIDs: [school.id], offset: 0, limit: 1)).total
            guard enrolled == 0 else { throw SchoolMergerError.stillEnrolled(school: school.name, count: enrolled) }
            try await Self.refuseLaterEnrolments(tx, at: school, after: date)
            var closed = school
            closed.closed = date.adding(days: -1)
            try await tx.update(closed)
            return closed
        }
    }

    /// The reconciliation of a merged school (see `SchoolMergerReconciliation`); nil when the
    /// school was not merged.
    public func reconcileMerger(schoolID: SchoolID) async throws -> SchoolMergerReconciliation? {
        guard let school = try await store.school(id: schoolID), let lastDay = school.closed, let intoID = school.mergedIntoID else {
            return nil
        }
        let date = lastDay.adding(days: 1)
        let into = try await store.school(id: intoID)
        // Two paged reads, not one per pupil: who left on the day, and who arrived from a merger that day.
        let left = try await studentIDs(at: school.id, on: lastDay) { $0.until == date && $0.exit == .schoolMerged }
        let arrived = try await studentIDs(at: intoID, on: date) { $0.from == date && $0.entry == .schoolMerger }
        let missing = left.filter { arrived[$0.key] == nil }.values.sorted()
        return SchoolMergerReconciliation(school: school, into: into, date: date, left: left.count,
                                          arrived: left.count - missing.count, missing: missing)
    }

    /// 学籍号 by student of the pupils enrolled at the school on the day whose period matches.
    private func studentIDs(at schoolID: SchoolID, on day: CivilDate,
                            where matches: (Enrolment) -> Bool) async throws -> [StudentID: String] {
        var found: [StudentID: String] = [:]
        var offset = 0
        while true {
            let page = try await store.students(StudentQuery(date: day, schoolIDs: [schoolID], offset: offset, limit: 2_000))
            for row in page.items where matches(row.enrolment) { found[row.student.id] = row.student.studentNumber }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        return found
    }

    static func openSchool(_ reads: any RegistryReading, code: String, on date: CivilDate) async throws -> School {
        guard let school = try await reads.school(code: code) else { throw RegistryError.notFound(kind: "学校", key: code) }
        guard school.closed == nil else { throw SchoolMergerError.alreadyClosed(school: school.name) }
        guard school.opened < date else { throw SchoolMergerError.notYetOpen(school: school.name, opened: school.opened) }
        return school
    }

    /// A period that starts at the school after the day (say an intake registered ahead for next
    /// 9月1日) would be left at a school that no longer exists: the merger or closure is refused
    /// until that period is corrected, so no pupil is ever enrolled at a closed school.
    static func refuseLaterEnrolments(_ reads: any RegistryReading, at school: School, after date: CivilDate) async throws {
        guard let later = try await reads.enrolments(startingAt: school.id, after: date, limit: 1).first else { return }
        let student = try await reads.student(id: later.studentID)
        throw SchoolMergerError.startsAfterMergerDay(student: student.map(label) ?? "学生（编号\(later.studentID.rawValue)）",
                                                     school: school.name, from: later.from)
    }

    static func planMerger(_ reads: any RegistryReading, schoolCode: String, intoCode: String, on date: CivilDate) async throws -> SchoolMergerPlan {
        let school = try await openSchool(reads, code: schoolCode, on: date)
        guard let into = try await reads.school(code: intoCode) else { throw RegistryError.notFound(kind: "学校", key: intoCode) }
        guard into.id != school.id else { throw SchoolMergerError.intoItself(school: school.name) }
        guard into.isOpen(on: date) else { throw SchoolMergerError.receiverNotOpen(school: into.name, date: date) }
        try await refuseLaterEnrolments(reads, at: school, after: date)
        var lines: [SchoolMergerPlan.Line] = []
        var offset = 0
        while true {
            let page = try await reads.students(StudentQuery(date: date, schoolIDs: [school.id], offset: offset, limit: 2_000))
            for row in page.items {
                let e = row.enrolment
                guard e.from < date else {
                    throw SchoolMergerError.startsOnMergerDay(student: label(row.student), school: school.name)
                }
                guard into.type.teaches(e.grade) else {
                    throw RegistryError.gradeNotTaught(school: into.name, schoolType: into.type, grade: e.grade)
                }
                lines.append(.init(studentID: row.student.id, studentNumber: row.student.studentNumber, name: row.student.name, enrolment: e))
            }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        return SchoolMergerPlan(school: school, into: into, date: date,
                                lines: lines.sorted { ($0.enrolment.grade, $0.studentNumber) < ($1.enrolment.grade, $1.studentNumber) })
    }
}

/// A refused merger or closure, with the reason in Chinese.
public enum SchoolMergerError: UserFacingError, Equatable {
    case alreadyClosed(school: String)
    case notYetOpen(school: String, opened: CivilDate)
    case intoItself(school: String)
    case receiverNotOpen(school: String, date: CivilDate)
    case startsOnMergerDay(student: String, school: String)
    case stillEnrolled(school: String, count: Int)
    case startsAfterMergerDay(student: String, school: String, from: CivilDate)

    public var code: String {
        switch self {
        case .alreadyClosed: return "school.already_closed"
        case .notYetOpen: return "school.not_yet_open"
        case .intoItself: return "school.merge_into_itself"
        case .receiverNotOpen: return "school.receiver_not_open"
        case .startsOnMergerDay: return "school.enrolment_starts_on_merger_day"
        case .stillEnrolled: return "school.still_enrolled"
        case .startsAfterMergerDay: return "school.enrolment_starts_after_merger_day"
        }
    }

    public var message: String {
        switch self {
        case .alreadyClosed(let s): return "“\(s)”已停办或已撤并，不能再次办理"
        case .notYetOpen(let s, let opened): return "“\(s)”于\(opened.chinese)开办，撤并日期须在开办之后"
        case .intoItself(let s): return "“\(s)”不能并入自身"
        case .receiverNotOpen(let s, let d): return "接收学校“\(s)”在\(d.chinese)未在办学，不能接收学生"
        case .startsOnMergerDay(let st, let s): return "\(st)的学籍在撤并当天才在“\(s)”开始，请先更正该学籍或另选日期"
        case .stillEnrolled(let s, let n): return "“\(s)”仍有\(n)名在读学生，请先办理撤并或转学后再停办"
        case .startsAfterMergerDay(let st, let s, let from):
            return "\(st)的学籍登记为\(from.chinese)起在“\(s)”就读，晚于撤并（停办）日期，请先更正或撤销该学籍"
        }
    }
}
