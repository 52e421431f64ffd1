import EduLedgerCore
@testable import EduLedgerDemo

/// The district-scale demo for seed 1, generated once and shared by the tests, with the
/// look-ups the checks need.
struct DemoOutput: Sendable {
    let batches: [RegistryBatch]
    let summary: DemoSummary
    let unplaced: Int
    let schools: [SchoolID: School]
    let classes: [ClassID: SchoolClass]
    let students: [StudentID: Student]
    let staff: [StaffID: StaffMember]
    /// Each student's periods in order of their start.
    let periods: [StudentID: [Enrolment]]
    let allStudents: [Student]
    let allEnrolments: [Enrolment]
    let allStaff: [StaffMember]

    init(seed: UInt64, scale: DemoScale = .district) {
        var run = DemoGenerator(seed: seed, scale: scale).makeRun()
        var batches: [RegistryBatch] = []
        while let b = run.nextBatch() { batches.append(b) }
        self.batches = batches
        summary = run.summary
        unplaced = run.unplacedPeriods
        var schools: [SchoolID: School] = [:]
        var classes: [ClassID: SchoolClass] = [:]
        var students: [StudentID: Student] = [:]
        var staff: [StaffID: StaffMember] = [:]
        var periods: [StudentID: [Enrolment]] = [:]
        var allStudents: [Student] = []
        var allEnrolments: [Enrolment] = []
        var allStaff: [StaffMember] = []
        for b in batches {
            for s in b.schools { schools[s.id] = s }
            for c in b.classes { classes[c.id] = c }
            for s in b.students { students[s.id] = s }
            for m in b.staff { staff[m.id] = m }
            for e in b.enrolments { periods[e.studentID, default: []].append(e) }
            allStudents += b.students
            allEnrolments += b.enrolments
            allStaff += b.staff
        }
        for (k, v) in periods { periods[k] = v.sorted { $0.from < $1.from } }
        self.schools = schools; self.classes = classes; self.students = students; self.staff = staff
        self.periods = periods; self.allStudents = allStudents; self.allEnrolments = allEnrolments
        self.allStaff = allStaff
    }

    static let district = DemoOutput(seed: 1)

    func enrolled(on date: CivilDate) -> [Enrolment] { allEnrolments.filter { $0.covers(date) } }
}

func day(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d) ?? CivilDate(dayNumber: 0) }
