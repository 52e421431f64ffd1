import Foundation

/// 转学申请: the national chain — the receiving school requests (转入校申请), the sending school
/// approves (转出校审核), the bureau approves (教育局审核); only then do the enrolments change.
/// Each step records who and when; any step may refuse with a reason, which ends the request.
public struct TransferRequest: Hashable, Sendable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case requested = "待转出校审核"
        case sendingApproved = "待教育局审核"
        case completed = "已办结"
        case refused = "已拒绝"
    }

    /// Who did a step and when (UTC, ISO 8601).
    public struct Step: Hashable, Sendable, Codable {
        public var by: String
        public var at: String
        public init(by: String, at: String) { self.by = by; self.at = at }
    }

    public var id: Int64
    public var studentID: StudentID
    public var fromSchoolID: SchoolID
    public var toSchoolID: SchoolID
    public var grade: GradeLevel
    public var classNumber: Int?
    /// The first day at the receiving school.
    public var date: CivilDate
    public var reason: String
    public var status: Status
    public var requested: Step
    public var sendingApproved: Step?
    public var bureauApproved: Step?
    public var refused: Step?
    public var refusalReason: String?

    public init(id: Int64, studentID: StudentID, fromSchoolID: SchoolID, toSchoolID: SchoolID, grade: GradeLevel,
                classNumber: Int?, date: CivilDate, reason: String, status: Status, requested: Step,
                sendingApproved: Step? = nil, bureauApproved: Step? = nil, refused: Step? = nil, refusalReason: String? = nil) {
        self.id = id; self.studentID = studentID; self.fromSchoolID = fromSchoolID; self.toSchoolID = toSchoolID
        self.grade = grade; self.classNumber = classNumber; self.date = date; self.reason = reason; self.status = status
        self.requested = requested; self.sendingApproved = sendingApproved; self.bureauApproved = bureauApproved
        self.refused = refused; self.refusalReason = refusalReason
    }
}

/// One confirmed year-end run (升级/毕业): which periods it closed and which it opened, so it can
/// be undone exactly until the new school year starts.
public struct YearEndRun: Hashable, Sendable, Codable {
    public var id: Int64
    public var year: SchoolYear
    /// The school, or `nil` for the whole district.
    public var schoolID: SchoolID?
    public var closedEnrolments: [Enrolment]
    public var openedEnrolmentIDs: [EnrolmentID]
    public var confirmed: TransferRequest.Step
    public var undone: TransferRequest.Step?

    public init(id: Int64, year: SchoolYear, schoolID: SchoolID?, closedEnrolments: [Enrolment],
                openedEnrolmentIDs: [EnrolmentID], confirmed: TransferRequest.Step, undone: TransferRequest.Step? = nil) {
        self.id = id; self.year = year; self.schoolID = schoolID; self.closedEnrolments = closedEnrolments
        self.openedEnrolmentIDs = openedEnrolmentIDs; self.confirmed = confirmed; self.undone = undone
    }
}

/// Storage of the school-year casework, inside a registry transaction (the SQL writer conforms).
public protocol SchoolYearWriting: Sendable {
    func insert(_ request: TransferRequest) async throws -> TransferRequest
    func update(_ request: TransferRequest) async throws
    func transferRequest(id: Int64) async throws -> TransferRequest?
    func transferRequests(studentID: StudentID) async throws -> [TransferRequest]
    func insert(_ run: YearEndRun) async throws -> YearEndRun
    func update(_ run: YearEndRun) async throws
    func yearEndRun(id: Int64) async throws -> YearEndRun?
    /// Removes a period opened by a year-end run that is being undone (audited).
    func deleteEnrolment(id: EnrolmentID) async throws
}

/// A refused school-year operation, with the reason in Chinese.
public enum SchoolYearError: UserFacingError, Equatable {
    case transferNotFound(Int64)
    case transferWrongStep(id: Int64, status: TransferRequest.Status, expected: String)
    case transferToSameSchool(school: String)
    case transferPending(student: String, id: Int64)
    case reasonRequired
    case alreadyGraduated(student: String)
    case notSuspended(student: String)
    case notDroppedOut(student: String)
    case stillEnrolled(student: String)
    case yearEndNothingToDo(scope: String, year: String)
    case yearEndAlreadyStarted(year: String)
    case yearEndRunNotFound(Int64)
    case yearEndAlreadyUndone(Int64)
    case yearEndChangedSince(Int64)
    case unsupportedStore
    case yearEndPending(year: String, schools: String)

    public var code: String {
        switch self {
        case .transferNotFound: return "school_year.transfer_not_found"
        case .transferWrongStep: return "school_year.transfer_wrong_step"
        case .transferToSameSchool: return "school_year.transfer_same_school"
        case .transferPending: return "school_year.transfer_pending"
        case .reasonRequired: return "school_year.reason_required"
        case .alreadyGraduated: return "school_year.already_graduated"
        case .notSuspended: return "school_year.not_suspended"
        case .notDroppedOut: return "school_year.not_dropped_out"
        case .stillEnrolled: return "school_year.still_enrolled"
        case .yearEndNothingToDo: return "school_year.year_end_empty"
        case .yearEndAlreadyStarted: return "school_year.year_end_too_late"
        case .yearEndRunNotFound: return "school_year.year_end_not_found"
        case .yearEndAlreadyUndone: return "school_year.year_end_undone"
        case .yearEndChangedSince: return "school_year.year_end_changed"
        case .unsupportedStore: return "school_year.unsupported_store"
        case .yearEndPending: return "school_year.year_end_pending"
        }
    }

    public var message: String {
        switch self {
        case .transferNotFound(let id): return "找不到转学申请 \(id)"
        case let .transferWrongStep(id, status, expected):
            return "转学申请 \(id) 当前状态为“\(status.rawValue)”，不能\(expected)"
        case .transferToSameSchool(let school): return "学生已在\(school)就读，不能转入同一所学校"
        case let .transferPending(student, id): return "\(student)已有未办结的转学申请（编号 \(id)），请先办结或拒绝"
        case .reasonRequired: return "拒绝时必须填写理由"
        case .alreadyGraduated(let student): return "\(student)已毕业，不能再升级或留级"
        case .notSuspended(let student): return "\(student)最近一段学籍不是因休学结束，不能办理复学"
        case .notDroppedOut(let student): return "\(student)最近一段学籍不是因辍学结束，不能办理辍学返校"
        case .stillEnrolled(let student): return "\(student)目前仍有在读学籍，不能办理复学或返校"
        case let .yearEndNothingToDo(scope, year): return "\(scope)在\(year)末没有需要升级或毕业的在读学生"
        case .yearEndAlreadyStarted(let year): return "\(year)已经开始，年终升级不能再撤销"
        case .yearEndRunNotFound(let id): return "找不到年终升级记录 \(id)"
        case .yearEndAlreadyUndone(let id): return "年终升级记录 \(id) 已撤销"
        case .yearEndChangedSince(let id): return "年终升级记录 \(id) 之后学籍已有变动（如转学、休学），不能自动撤销，请逐个处理"
        case .unsupportedStore: return "当前存储不支持学年业务"
        case let .yearEndPending(year, schools): return "\(schools)尚未办理\(year)年终升级或毕业，不能开始新学年"
        }
    }
}

/// What a year-end run will do for one student.
public struct YearEndLine: Hashable, Sendable, Codable {
    public enum Action: String, Sendable, Codable { case promote = "升级", repeatGrade = "留级", graduate = "毕业" }
    public var studentID: StudentID
    public var studentNumber: String
    public var name: String
    public var enrolment: Enrolment
    public var action: Action
    /// For a promotion: the school (the central school for a 教学点's last grade) and grade.
    public var nextSchoolID: SchoolID?
    public var nextGrade: GradeLevel?
}

/// The preview of a year-end run, shown before it is confirmed.
public struct YearEndPlan: Hashable, Sendable, Codable {
    public var year: SchoolYear
    public var schoolID: SchoolID?
    public var lines: [YearEndLine]
    public var promotions: Int { lines.filter { $0.action == .promote }.count }
    public var repetitions: Int { lines.filter { $0.action == .repeatGrade }.count }
    public var graduations: Int { lines.filter { $0.action == .graduate }.count }
}

extension RegistryService {
    /// UTC now, ISO 8601, for the who-and-when of each step.
    static func timestamp(_ date: Date) -> String {
        date.ISO8601Format(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func schoolYearWriter(_ tx: any RegistryWriting) throws -> any SchoolYearWriting {
        guard let w = tx as? any SchoolYearWriting else { throw SchoolYearError.unsupportedStore }
        return w
    }

    static func label(_ s: Student) -> String { "学生“\(s.name)”（\(s.studentNumber)）" }

    /// The student and their enrolment covering `date`, or the refusal "not enrolled".
    static func enrolled(_ tx: any RegistryWriting, studentNumber: String, on date: CivilDate) async throws -> (Student, Enrolment) {
        guard let student = try await tx.student(number: studentNumber) else {
            throw RegistryError.notFound(kind: "学生（学籍号）", key: studentNumber)
        }
        guard let current = try await tx.enrolments(studentID: student.id).first(where: { $0.covers(date) }) else {
            throw RegistryError.notEnrolled(student: label(student), date: date)
        }
        return (student, current)
    }

    // MARK: Transfer (转学)

    /// Step 1: the receiving school requests the transfer. Refused when the student is not
    /// enrolled on the day, the receiving school does not teach the grade or is closed, or a
    /// request is already open.
    public func requestTransfer(studentNumber: String, toSchoolCode: String, grade: GradeLevel? = nil, classNumber: Int? = nil,
                                on date: CivilDate, reason: String, by user: ActingUser, at now: Date = Date()) async throws -> TransferRequest {
        try await store.write(by: user) { tx in
            let casework = try Self.schoolYearWriter(tx)
            let (student, current) = try await Self.enrolled(tx, studentNumber: studentNumber, on: date)
            guard let target = try await tx.school(code: toSchoolCode) else {
                throw RegistryError.notFound(kind: "学校", key: toSchoolCode)
            }
            let grade = grade ?? current.grade
            guard target.type.teaches(grade) else {
                throw RegistryError.gradeNotTaught(school: target.name, schoolType: target.type, grade: grade)
            }
            try RegistryRules.checkOpen(target, on: date)
            if target.id == current.schoolID { throw SchoolYearError.transferToSameSchool(school: target.name) }
            if let open = try await casework.transferRequests(studentID: student.id)
                .first(where: { $0.status == .requested || $0.status == .sendingApproved }) {
                throw SchoolYearError.transferPending(student: Self.label(student), id: open.id)
            }
            if let n = classNumber { _ = try await Self.findClass(tx, school: target, grade: grade, number: n, on: date) }
            return try await casework.insert(TransferRequest(
                id: 0, studentID: student.id, fromSchoolID: current.schoolID, toSchoolID: target.id, grade: grade,
                classNumber: classNumber, date: date, reason: reason, status: .requested,
                requested: .init(by: user.login, at: Self.timestamp(now))))
        }
    }

    /// Step 2: the sending school approves.
    public func approveTransferBySendingSchool(id: Int64, by user: ActingUser, at now: Date = Date()) async throws -> TransferRequest {
        try await store.write(by: user) { tx in
            let casework = try Self.schoolYearWriter(tx)
            guard var r = try await casework.transferRequest(id: id) else { throw SchoolYearError.transferNotFound(id) }
            guard r.status == .requested else { throw SchoolYearError.transferWrongStep(id: id, status: r.status, expected: "由转出校审核") }
            r.status = .sendingApproved
            r.sendingApproved = .init(by: user.login, at: Self.timestamp(now))
            try await casework.update(r)
            return r
        }
    }

    /// Step 3: the bureau approves; the student's period at the sending school ends the day
    /// before `date` (转出) and a period at the receiving school starts on it (转入).
    public func approveTransferByBureau(id: Int64, by user: ActingUser, at now: Date = Date()) async throws -> TransferRequest {
        try await store.write(by: user) { tx in
            let casework = try Self.schoolYearWriter(tx)
            guard var r = try await casework.transferRequest(id: id) else { throw SchoolYearError.transferNotFound(id) }
            guard r.status == .sendingApproved else {
                throw SchoolYearError.transferWrongStep(id: id, status: r.status, expected: "由教育局审核")
            }
            guard let student = try await tx.student(id: r.studentID),
                  let target = try await tx.school(id: r.toSchoolID) else {
                throw RegistryError.notFound(kind: "学生或学校", key: String(id))
            }
            let history = try await tx.enrolments(studentID: student.id)
            guard var current = history.first(where: { $0.covers(r.date) }), current.schoolID == r.fromSchoolID else {
                throw RegistryError.notEnrolled(student: Self.label(student), date: r.date)
            }
            let schoolClass = try await Self.findClass(tx, school: target, grade: r.grade, number: r.classNumber, on: r.date)
            let next = Enrolment(id: .unsaved, studentID: student.id, schoolID: target.id, grade: r.grade,
                                 classID: schoolClass?.id, from: r.date, entry: .transferIn)
            current.until = r.date
            current.exit = .transferredOut
            try RegistryRules.check(enrolment: next, student: student, school: target, schoolClass: schoolClass,
                                    otherEnrolments: history.map { $0.id == current.id ? current : $0 })
            if current.until.map({ $0 <= current.from }) ?? false {
                throw RegistryError.invalidPeriod(record: "\(Self.label(student))的学籍", from: current.from, until: r.date)
            }
            try await tx.update(current)
            _ = try await tx.insert(next)
            r.status = .completed
            r.bureauApproved = .init(by: user.login, at: Self.timestamp(now))
            try await casework.update(r)
            return r
        }
    }

    /// Refuses an open request at whichever step it is, with the reason.
    public func refuseTransfer(id: Int64, reason: String, by user: ActingUser, at now: Date = Date()) async throws -> TransferRequest {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw SchoolYearError.reasonRequired }
        return try await store.write(by: user) { tx in
            let casework = try Self.schoolYearWriter(tx)
            guard var r = try await casework.transferRequest(id: id) else { throw SchoolYearError.transferNotFound(id) }
            guard r.status == .requested || r.status == .sendingApproved else {
                throw SchoolYearError.transferWrongStep(id: id, status: r.status, expected: "拒绝")
            }
            r.status = .refused
            r.refused = .init(by: user.login, at: Self.timestamp(now))
            r.refusalReason = reason
            try await casework.update(r)
            return r
        }
    }

    // MARK: Suspension, dropout and return

    /// Ends the current period on `date` (the first day away) with 休学 or 辍学. Refused for a
    /// student who is not enrolled on that day.
    public func leave(studentNumber: String, on date: CivilDate, reason: ExitReason, by user: ActingUser) async throws -> Enrolment {
        guard reason == .suspended || reason == .droppedOut else {
            throw RegistryError.invalidValue(record: "学籍变动", field: "原因", value: reason.rawValue, reason: "此处只办理休学或辍学")
        }
        return try await store.write(by: user) { tx in
            let (student, current) = try await Self.enrolled(tx, studentNumber: studentNumber, on: date)
            var ended = current
            ended.until = date
            ended.exit = reason
            guard date > current.from else {
                throw RegistryError.invalidPeriod(record: "\(Self.label(student))的学籍", from: current.from, until: date)
            }
            try await tx.update(ended)
            return ended
        }
    }

    /// 复学 / 辍学返校: a new period at the same school and grade (or those given), from `date`.
    /// Refused unless the student's latest period ended with 休学 (or 辍学) and they are not enrolled now.
    public func returnToSchool(studentNumber: String, on date: CivilDate, schoolCode: String? = nil, grade: GradeLevel? = nil,
                               classNumber: Int? = nil, by user: ActingUser) async throws -> Enrolment {
        try await store.write(by: user) { tx in
            guard let student = try await tx.student(number: studentNumber) else {
                throw RegistryError.notFound(kind: "学生（学籍号）", key: studentNumber)
            }
            return try await Self.reopen(tx, student: student, on: date, schoolCode: schoolCode, grade: grade, classNumber: classNumber)
        }
    }

    /// The body of 复学 / 返校 inside a transaction (also used when a 控辍保学 case ends with 劝返复学).
    static func reopen(_ tx: any RegistryWriting, student: Student, on date: CivilDate, schoolCode: String? = nil,
                       grade: GradeLevel? = nil, classNumber: Int? = nil) async throws -> Enrolment {
        let history = try await tx.enrolments(studentID: student.id)
        if history.contains(where: { $0.covers(date) }) { throw SchoolYearError.stillEnrolled(student: Self.label(student)) }
        guard let last = history.filter({ $0.from <= date }).max(by: { $0.from < $1.from }),
              last.exit == .suspended || last.exit == .droppedOut else {
            throw SchoolYearError.notSuspended(student: Self.label(student))
        }
        let school: School
        if let code = schoolCode {
            guard let s = try await tx.school(code: code) else { throw RegistryError.notFound(kind: "学校", key: code) }
            school = s
        } else {
            guard let s = try await tx.school(id: last.schoolID) else { throw RegistryError.notFound(kind: "学校", key: "\(last.schoolID)") }
            school = s
        }
        let g = grade ?? last.grade
        let schoolClass = try await Self.findClass(tx, school: school, grade: g, number: classNumber, on: date)
        let next = Enrolment(id: .unsaved, studentID: student.id, schoolID: school.id, grade: g, classID: schoolClass?.id,
                             from: date, entry: last.exit == .suspended ? .returnFromSuspension : .returnFromDropout)
        try RegistryRules.check(enrolment: next, student: student, school: school, schoolClass: schoolClass,
                                otherEnrolments: history)
        return try await tx.insert(next)
    }

    // MARK: Year end (升级、留级、毕业)

    /// Who is enrolled on the last day of `year` at the school (or everywhere) and what the run
    /// would do to them. `repeaters` (学籍号) stay in their grade; students in the last grade of
    /// a stage graduate. Nothing is written.
    public func previewYearEnd(schoolCode: String?, year: SchoolYear, repeaters: Set<String> = []) async throws -> YearEndPlan {
        try await Self.planYearEnd(store, schoolCode: schoolCode, year: year, repeaters: repeaters)
    }

    static func planYearEnd(_ reads: any RegistryReading, schoolCode: String?, year: SchoolYear,
                            repeaters: Set<String>) async throws -> YearEndPlan {
        var schools = try await reads.schools(SchoolFilter(openOn: year.lastDay))
        if let code = schoolCode {
            guard let s = try await reads.school(code: code) else { throw RegistryError.notFound(kind: "学校", key: code) }
            schools = [s]
        }
        let byID = Dictionary(uniqueKeysWithValues: try await reads.schools(SchoolFilter()).map { ($0.id, $0) })
        var lines: [YearEndLine] = []
        var found = Set<String>()
        for school in schools {
            var offset = 0
            while true {
                let page = try await reads.students(StudentQuery(date: year.lastDay, schoolIDs: [school.id], offset: offset, limit: 2_000))
                for row in page.items {
                    let e = row.enrolment
                    let s = row.student
                    // A period that already ends by the new year (graduated, transferred) is not touched.
                    if let until = e.until, until <= year.next.firstDay { continue }
                    var line = YearEndLine(studentID: s.id, studentNumber: s.studentNumber, name: s.name, enrolment: e,
                                           action: .promote)
                    if repeaters.contains(s.studentNumber) {
                        line.action = .repeatGrade
                        found.insert(s.studentNumber)
                    } else if let next = e.grade.next {
                        line.nextGrade = next
                        // A 教学点's pupils go on to the central school when it lacks the next grade.
                        if school.type.teaches(next) || school.centralSchoolID == nil {
                            line.nextSchoolID = school.id
                        } else {
                            line.nextSchoolID = school.centralSchoolID
                        }
                        if let target = line.nextSchoolID.flatMap({ byID[$0] }), !target.type.teaches(next) {
                            throw RegistryError.gradeNotTaught(school: target.name, schoolType: target.type, grade: next)
                        }
                    } else {
                        line.action = .graduate
                    }
                    lines.append(line)
                }
                offset += page.items.count
                if page.items.isEmpty || offset >= page.total { break }
            }
        }
        if let missing = repeaters.subtracting(found).sorted().first {
            // A repeater who is not enrolled: graduated, left, or a wrong number.
            if let s = try await reads.student(number: missing),
               try await reads.enrolments(studentID: s.id).last?.exit == .graduated {
                throw SchoolYearError.alreadyGraduated(student: label(s))
            }
            throw RegistryError.notEnrolled(student: "学籍号\(missing)", date: year.lastDay)
        }
        let scope = schoolCode.flatMap { code in schools.first { $0.code == code }?.name } ?? "全区"
        if lines.isEmpty { throw SchoolYearError.yearEndNothingToDo(scope: scope, year: year.name) }
        return YearEndPlan(year: year, schoolID: schoolCode == nil ? nil : schools.first?.id,
                           lines: lines.sorted { ($0.enrolment.schoolID, $0.studentID) < ($1.enrolment.schoolID, $1.studentID) })
    }

    /// Applies the year end in one transaction: graduates' periods end on 7月1日, promoted and
    /// repeating pupils continue on 9月1日 of the next year (promoted pupils keep their class
    /// number; the class is created when missing). If any student fails a rule, nothing changes.
    public func confirmYearEnd(schoolCode: String?, year: SchoolYear, repeaters: Set<String> = [], by user: ActingUser,
                               at now: Date = Date()) async throws -> YearEndRun {
        try await store.write(by: user) { tx in
            let casework = try Self.schoolYearWriter(tx)
            let plan = try await Self.planYearEnd(tx, schoolCode: schoolCode, year: year, repeaters: repeaters)
            let newYear = year.next.firstDay
            let graduationDay = CivilDate(year: year.startYear + 1, month: 7, day: 1) ?? newYear
            var closed: [Enrolment] = []
            var opened: [EnrolmentID] = []
            var classCache: [String: SchoolClass] = [:]
            for line in plan.lines {
                var e = line.enrolment
                closed.append(e)
                switch line.action {
                case .graduate:
                    e.until = max(graduationDay, e.from.adding(days: 1))
                    e.exit = .graduated
                    try await tx.update(e)
                case .promote, .repeatGrade:
                    e.until = newYear
                    e.exit = line.action == .promote ? .promoted : .repeated
                    try await tx.update(e)
                    let grade = line.action == .promote ? (line.nextGrade ?? e.grade) : e.grade
                    let schoolID = line.action == .promote ? (line.nextSchoolID ?? e.schoolID) : e.schoolID
                    guard let school = try await tx.school(id: schoolID) else {
                        throw RegistryError.notFound(kind: "学校", key: schoolID.description)
                    }
                    var classID: ClassID?
                    if line.action == .promote, let old = e.classID, let oldClass = try await tx.schoolClass(id: old) {
                        let key = "\(school.id)-\(grade.rawValue)-\(oldClass.number)"
                        if let c = classCache[key] {
                            classID = c.id
                        } else if let c = try await tx.classes(schoolID: school.id, year: year.next)
                            .first(where: { $0.grade == grade && $0.number == oldClass.number }) {
                            classCache[key] = c
                            classID = c.id
                        } else {
                            let c = SchoolClass(id: .unsaved, schoolID: school.id, schoolYear: year.next, grade: grade,
                                                number: oldClass.number)
                            try RegistryRules.check(class: c, in: school)
                            let saved = try await tx.insert(c)
                            classCache[key] = saved
                            classID = saved.id
                        }
                    }
                    let next = Enrolment(id: .unsaved, studentID: line.studentID, schoolID: school.id, grade: grade,
                                         classID: classID, from: newYear,
                                         entry: line.action == .promote ? .promotion : .repetition)
                    guard let student = try await tx.student(id: line.studentID) else {
                        throw RegistryError.notFound(kind: "学生", key: line.studentNumber)
                    }
                    let history = try await tx.enrolments(studentID: line.studentID)
                    try RegistryRules.check(enrolment: next, student: student, school: school, schoolClass: nil,
                                            otherEnrolments: history)
                    opened.append(try await tx.insert(next).id)
                }
            }
            return try await casework.insert(YearEndRun(
                id: 0, year: year, schoolID: plan.schoolID, closedEnrolments: closed, openedEnrolmentIDs: opened,
                confirmed: .init(by: user.login, at: Self.timestamp(now))))
        }
    }

    /// Undoes a confirmed year end before the new school year starts (`today` < 9月1日): the
    /// periods it opened are removed and those it closed are restored as they were.
    public func undoYearEnd(runID: Int64, today: CivilDate, by user: ActingUser, at now: Date = Date()) async throws -> YearEndRun {
        try await store.write(by: user) { tx in
            let casework = try Self.schoolYearWriter(tx)
            guard var run = try await casework.yearEndRun(id: runID) else { throw SchoolYearError.yearEndRunNotFound(runID) }
            guard run.undone == nil else { throw SchoolYearError.yearEndAlreadyUndone(runID) }
            guard today < run.year.next.firstDay else { throw SchoolYearError.yearEndAlreadyStarted(year: run.year.next.name) }
            let opened = Set(run.openedEnrolmentIDs)
            for original in run.closedEnrolments {
                let history = try await tx.enrolments(studentID: original.studentID)
                // Anything else changed since (a transfer, a new period)? Then a person must decide.
                let later = history.filter { $0.from >= (original.until ?? original.from) && $0.id != original.id && !opened.contains($0.id) }
                if !later.isEmpty { throw SchoolYearError.yearEndChangedSince(runID) }
            }
            for id in run.openedEnrolmentIDs { try await casework.deleteEnrolment(id: id) }
            for original in run.closedEnrolments { try await tx.update(original) }
            run.undone = .init(by: user.login, at: Self.timestamp(now))
            try await casework.update(run)
            return run
        }
    }

    /// Refuses to promote (or hold back) a student who has graduated; otherwise tells what the
    /// year end would do to them. Used by single-student forms before the bulk run.
    public func checkPromotable(studentNumber: String, year: SchoolYear) async throws -> Enrolment {
        guard let student = try await store.student(number: studentNumber) else {
            throw RegistryError.notFound(kind: "学生（学籍号）", key: studentNumber)
        }
        let history = try await store.enrolments(studentID: student.id)
        if let current = history.first(where: { $0.covers(year.lastDay) }) { return current }
        if history.last?.exit == .graduated { throw SchoolYearError.alreadyGraduated(student: Self.label(student)) }
        throw RegistryError.notEnrolled(student: Self.label(student), date: year.lastDay)
    }

    // MARK: Year rollover (新学年)

    /// Opens the next school year: refused while any school still has students whose period of
    /// `year` runs on past 9月1日 (its year end is not done); then creates, for every school open
    /// on that day, the intake classes (小班, 一年级, 七年级, 高一, 中职一年级) of the new year in the
    /// same number as this year, where they do not exist yet. After 9月1日 a year end can no
    /// longer be undone (`undoYearEnd`), so the rollover is the point of no return.
    public func rollOverYear(from year: SchoolYear, by user: ActingUser) async throws -> [SchoolClass] {
        try await store.write(by: user) { tx in
            let schools = try await tx.schools(SchoolFilter(openOn: year.lastDay))
            var pending: [String] = []
            for school in schools {
                let page = try await tx.students(StudentQuery(date: year.lastDay, schoolIDs: [school.id], offset: 0, limit: 2_000))
                if page.items.contains(where: { row in row.enrolment.until.map { $0 > year.next.firstDay } ?? true }) {
                    pending.append(school.name)
                }
            }
            if !pending.isEmpty {
                let shown = pending.prefix(5).joined(separator: "、") + (pending.count > 5 ? "等\(pending.count)所学校" : "")
                throw SchoolYearError.yearEndPending(year: year.name, schools: shown)
            }
            let intake: [GradeLevel] = [.k1, .p1, .j1, .s1, .v1]
            var created: [SchoolClass] = []
            for school in try await tx.schools(SchoolFilter(openOn: year.next.firstDay)) {
                let now = try await tx.classes(schoolID: school.id, year: year)
                let next = try await tx.classes(schoolID: school.id, year: year.next)
                for grade in intake where school.type.teaches(grade) {
                    let numbers = now.filter { $0.grade == grade }.map(\.number).sorted()
                    for number in numbers where !next.contains(where: { $0.grade == grade && $0.number == number }) {
                        let c = SchoolClass(id: .unsaved, schoolID: school.id, schoolYear: year.next, grade: grade, number: number)
                        try RegistryRules.check(class: c, in: school)
                        created.append(try await tx.insert(c))
                    }
                }
            }
            return created
        }
    }
}
