import EduLedgerCore

/// The snapshot indexed once for every indicator: dense indexes instead of ids, each
/// student's periods in order, and who is enrolled on each 9月1日.
final class Context: Sendable {
    let facts: IndicatorFacts
    let schools: [School]
    let schoolIndex: [SchoolID: Int]
    let townshipIndex: [TownshipID: Int]
    let studentIndex: [StudentID: Int]
    let enrolments: [Enrolment]
    /// Per enrolment: school index (or −1 for a school outside the snapshot) and student index.
    let enrolmentSchool: [Int32]
    let enrolmentStudent: [Int32]
    /// Per enrolment: the township the student counts in for population figures (户籍乡镇, or
    /// the school's township for a student registered elsewhere), or −1.
    let homeTownship: [Int32]
    /// Per student: enrolment indexes ordered by start.
    let periods: [[Int32]]
    /// Per year: the enrolment indexes covering 9月1日.
    private let stockByYear: [Int: [Int32]]
    /// Per year: per student, the enrolment covering 9月1日 or −1.
    private let onDateByYear: [Int: [Int32]]
    /// Per year: every class with pupils on 9月1日 — its id, school index, stage and size — by id.
    private let classSizesByYear: [Int: [ClassSize]]

    struct ClassSize: Sendable {
        let id: ClassID
        let school: Int
        let stage: Stage
        let size: Int
    }
    /// Per school: the school whose figures it is part of in the 均衡 tables (a 教学点 counts
    /// with its central school).
    let balanceHost: [Int]
    /// Per year: staff employed at a school on 9月1日, with the school's index (in staff order).
    /// Computed once: a dozen indicators ask for it per year.
    private let staffByYear: [Int: [(staff: StaffFact, school: Int)]]
    /// Per year: pupils on 9月1日 per 均衡 host school, all stages and by stage (the 均衡 items
    /// of one stage all start from the same counts).
    private let hostPupilsByYear: [Int: HostPupils]

    struct HostPupils: Sendable {
        let all: [Int]
        let byStage: [Stage: [Int]]
    }
    let firstYear: Int
    let lastYear: Int

    init(_ facts: IndicatorFacts) {
        self.facts = facts
        schools = facts.schools
        var si: [SchoolID: Int] = [:]
        for (i, s) in facts.schools.enumerated() { si[s.id] = i }
        schoolIndex = si
        var ti: [TownshipID: Int] = [:]
        for (i, t) in facts.townships.enumerated() { ti[t.id] = i }
        townshipIndex = ti
        var sti: [StudentID: Int] = [:]
        sti.reserveCapacity(facts.students.count)
        for (i, s) in facts.students.enumerated() { sti[s.id] = i }
        studentIndex = sti
        enrolments = facts.enrolments
        var es = [Int32](repeating: -1, count: facts.enrolments.count)
        var est = [Int32](repeating: -1, count: facts.enrolments.count)
        var per = [[Int32]](repeating: [], count: facts.students.count)
        for (i, e) in facts.enrolments.enumerated() {
            es[i] = Int32(si[e.schoolID] ?? -1)
            if let s = sti[e.studentID] {
                est[i] = Int32(s)
                per[s].append(Int32(i))
            }
        }
        // By first day, then by position (a total order, so any sort gives the same lists).
        let fromDay = facts.enrolments.map { $0.from.dayNumber }
        for s in per.indices where per[s].count > 1 {
            per[s].sort { (fromDay[Int($0)], $0) < (fromDay[Int($1)], $1) }
        }
        enrolmentSchool = es
        enrolmentStudent = est
        homeTownship = facts.enrolments.indices.map { i -> Int32 in
            if est[i] >= 0, let h = facts.students[Int(est[i])].hukouTownshipID, let t = ti[h] { return Int32(t) }
            if es[i] >= 0, let t = ti[facts.schools[Int(es[i])].townshipID] { return Int32(t) }
            return -1
        }
        periods = per
        firstYear = facts.years.lowerBound
        lastYear = facts.years.upperBound
        // Cohort figures look two years back, flows one; the years before the snapshot are
        // indexed too so that missing data shows as an empty denominator, not a crash.
        var stock: [Int: [Int32]] = [:]
        var onDate: [Int: [Int32]] = [:]
        var classSizes: [Int: [ClassSize]] = [:]
        for year in (firstYear - 3)...(lastYear + 1) {
            let day = SchoolYear(year).referenceDate
            var list: [Int32] = []
            var map = [Int32](repeating: -1, count: facts.students.count)
            var sizes: [ClassID: ClassSize] = [:]
            for (i, e) in facts.enrolments.enumerated() where e.covers(day) && es[i] >= 0 && est[i] >= 0 {
                list.append(Int32(i))
                map[Int(est[i])] = Int32(i)
                if let c = e.classID {
                    sizes[c] = ClassSize(id: c, school: Int(es[i]), stage: e.grade.stage, size: (sizes[c]?.size ?? 0) + 1)
                }
            }
            stock[year] = list
            onDate[year] = map
            classSizes[year] = sizes.values.sorted { $0.id < $1.id }
        }
        stockByYear = stock
        onDateByYear = onDate
        classSizesByYear = classSizes
        let hosts = facts.schools.map { s in s.centralSchoolID.flatMap { si[$0] } ?? si[s.id] ?? 0 }
        balanceHost = hosts
        var staffYears: [Int: [(staff: StaffFact, school: Int)]] = [:]
        var pupilYears: [Int: HostPupils] = [:]
        for year in (firstYear - 3)...(lastYear + 1) {
            let day = SchoolYear(year).referenceDate
            staffYears[year] = facts.staff.compactMap { m in
                guard m.isEmployed(on: day), let id = m.schoolID, let s = si[id] else { return nil }
                return (m, s)
            }
            var all = [Int](repeating: 0, count: facts.schools.count)
            var byStage: [Stage: [Int]] = [:]
            for stage in Stage.allCases { byStage[stage] = [Int](repeating: 0, count: facts.schools.count) }
            for i in stock[year] ?? [] {
                let host = hosts[Int(es[Int(i)])]
                all[host] += 1
                byStage[facts.enrolments[Int(i)].grade.stage]?[host] += 1
            }
            pupilYears[year] = HostPupils(all: all, byStage: byStage)
        }
        staffByYear = staffYears
        hostPupilsByYear = pupilYears
    }

    /// Pupils on 9月1日 of `year` per 均衡 host school (see `balanceHost`).
    func hostPupils(_ year: Int) -> HostPupils? { hostPupilsByYear[year] }

    /// Classes with pupils on 9月1日 of `year`, by id.
    func classSizes(_ year: Int) -> [ClassSize] { classSizesByYear[year] ?? [] }

    /// Enrolments covering 9月1日 of `year`.
    func stock(_ year: Int) -> [Int32] { stockByYear[year] ?? [] }

    /// The enrolment of student `s` on 9月1日 of `year`, if any.
    func enrolment(student s: Int, on year: Int) -> Enrolment? {
        guard let map = onDateByYear[year], s < map.count, map[s] >= 0 else { return nil }
        return enrolments[Int(map[s])]
    }

    func student(ofEnrolment i: Int32) -> StudentFact { facts.students[Int(enrolmentStudent[Int(i)])] }

    func ref(student i: Int32) -> RecordRef { RecordRef(.student, enrolments[Int(i)].studentID.rawValue) }

    /// Age on 9月1日 of `year`.
    func age(_ s: StudentFact, _ year: Int) -> Int { s.birthDate.age(on: SchoolYear(year).referenceDate) }

    /// Whether the last day enrolled (`until − 1`) falls in school year `year`.
    func endsIn(_ e: Enrolment, schoolYear year: Int) -> Bool {
        guard let until = e.until else { return false }
        return SchoolYear(year).contains(until.adding(days: -1))
    }

    /// Whether the student is enrolled again after `e` ended and before 9月1日 of `year`.
    func reenrolled(after e: Enrolment, student s: Int, before year: Int) -> Bool {
        guard let until = e.until else { return true }
        let limit = SchoolYear(year).referenceDate
        for p in periods[s] {
            let other = enrolments[Int(p)]
            if other.from >= until && other.from < limit { return true }
        }
        return false
    }

    /// Staff employed at a school on 9月1日 of `year`, with the school's index.
    func staff(on year: Int) -> [(staff: StaffFact, school: Int)] {
        if let cached = staffByYear[year] { return cached }
        let day = SchoolYear(year).referenceDate
        return facts.staff.compactMap { m in
            guard m.isEmployed(on: day), let id = m.schoolID, let s = schoolIndex[id] else { return nil }
            return (m, s)
        }
    }
}
