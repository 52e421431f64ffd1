import EduLedgerCore
import Foundation

/// The snapshot indexed once for every indicator: dense indexes instead of ids, each
/// student's periods in order, and who is enrolled on each 9月1日.
///
/// Why so many flat arrays: at city scale (5 M periods, 1 M pupils a year) the indicators'
/// passes over a year's pupils are limited by memory, not arithmetic. A pass that reads a
/// whole `Enrolment` (≈ 100 bytes) per pupil to look at its grade reads 100 MB; the same pass
/// over the year's `StockRows` columns reads a few MB, in order.
final class Context: Sendable {
    let facts: IndicatorFacts
    let schools: [School]
    let schoolIndex: [SchoolID: Int]
    let townshipIndex: [TownshipID: Int]
    /// Student id → index in `facts.students`.
    let studentPositions: DensePositions
    let enrolments: [Enrolment]
    /// Per enrolment: school index (or −1 for a school outside the snapshot) and student index.
    let enrolmentSchool: [Int32]
    let enrolmentStudent: [Int32]
    /// Per enrolment: its grade (read without touching the whole period).
    let enrolmentGrade: [GradeLevel]
    /// Per enrolment: the township the student counts in for population figures (户籍乡镇, or
    /// the school's township for a student registered elsewhere), or −1.
    let homeTownship: [Int32]
    /// Per student s: the enrolment indexes ordered by start are
    /// `periodList[periodStart[s] ..< periodStart[s + 1]]` (one flat list, not an array per student).
    private let periodList: [Int32]
    private let periodStart: [Int32]
    /// Per year: the pupils on 9月1日, one row per enrolment covering the day.
    private let stockByYear: [Int: StockRows]
    /// Per year: per student, the enrolment covering 9月1日 or −1.
    private let onDateByYear: [Int: [Int32]]
    /// Per year: every class with pupils on 9月1日 — its id, school index, stage and size — by id.
    private let classSizesByYear: [Int: [ClassSize]]
    /// Per school year: the periods whose last day falls in it and that ended by graduating or
    /// dropping out, in enrolment order (the flow figures' numerators).
    private let graduatedByYear: [Int: [Int32]]
    private let droppedOutByYear: [Int: [Int32]]

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
        let students = DensePositions(facts.students.map(\.id.rawValue))
        studentPositions = students
        enrolments = facts.enrolments
        firstYear = facts.years.lowerBound
        lastYear = facts.years.upperBound
        // Cohort figures look two years back, flows one; the years before the snapshot are
        // indexed too so that missing data shows as an empty denominator, not a crash.
        let indexedYears = Array((firstYear - 3)...(lastYear + 1))
        let referenceDays = indexedYears.map { SchoolYear($0).referenceDate.dayNumber }

        // Per student: household township index, and what the stock figures ask of them.
        let schoolTownship = facts.schools.map { Int32(ti[$0.townshipID] ?? -1) }
        let studentHome = facts.students.map { s -> Int32 in
            guard let h = s.hukouTownshipID, let t = ti[h] else { return -1 }
            return Int32(t)
        }
        let studentTraits = facts.students.map(StockRows.Traits.init)
        let studentAgeBase = facts.students.map(StockRows.ageBase)

        // One pass over the periods: dense indexes, and the 9月1日s each period covers.
        let count = facts.enrolments.count
        var es = [Int32](repeating: -1, count: count)
        var est = [Int32](repeating: -1, count: count)
        var grades = [GradeLevel](repeating: .k1, count: count)
        var home = [Int32](repeating: -1, count: count)
        var fromDay = [Int](repeating: 0, count: count)
        var perStudent = [Int32](repeating: 0, count: facts.students.count + 1)
        var covering = [[Int32]](repeating: [], count: indexedYears.count)
        var graduated: [Int: [Int32]] = [:]
        var droppedOut: [Int: [Int32]] = [:]
        for (i, e) in facts.enrolments.enumerated() {
            let school = Int32(si[e.schoolID] ?? -1)
            let student = Int32(students[e.studentID.rawValue] ?? -1)
            es[i] = school
            est[i] = student
            grades[i] = e.grade
            let from = e.from.dayNumber
            fromDay[i] = from
            if student >= 0 {
                perStudent[Int(student)] += 1
                if studentHome[Int(student)] >= 0 { home[i] = studentHome[Int(student)] }
            }
            if home[i] < 0, school >= 0 { home[i] = schoolTownship[Int(school)] }
            let until = e.until?.dayNumber ?? Int.max
            if school >= 0 && student >= 0 {
                for (k, day) in referenceDays.enumerated() where from <= day && day < until { covering[k].append(Int32(i)) }
            }
            if let exit = e.exit, exit == .graduated || exit == .droppedOut, let last = e.until?.adding(days: -1) {
                let year = SchoolYear(containing: last).startYear
                if exit == .graduated { graduated[year, default: []].append(Int32(i)) } else { droppedOut[year, default: []].append(Int32(i)) }
            }
        }
        enrolmentSchool = es
        enrolmentStudent = est
        enrolmentGrade = grades
        homeTownship = home
        graduatedByYear = graduated
        droppedOutByYear = droppedOut

        // Each student's periods as one flat list, by first day, then by position (a total
        // order, so any sort gives the same lists).
        var start = [Int32](repeating: 0, count: facts.students.count + 1)
        for s in 0..<facts.students.count { start[s + 1] = start[s] + perStudent[s] }
        var fill = start
        var list = [Int32](repeating: 0, count: Int(start[facts.students.count]))
        for i in 0..<count where est[i] >= 0 {
            let s = Int(est[i])
            list[Int(fill[s])] = Int32(i)
            fill[s] += 1
        }
        for s in 0..<facts.students.count where start[s + 1] - start[s] > 1 {
            list[Int(start[s])..<Int(start[s + 1])].sort { (fromDay[Int($0)], $0) < (fromDay[Int($1)], $1) }
        }
        periodList = list
        periodStart = start

        // Each year on its own (in parallel): the pupils' rows, who is where, class sizes,
        // staff and the 均衡 pupil counts. Each result lands in its year's slot.
        let hosts = facts.schools.map { s in s.centralSchoolID.flatMap { si[$0] } ?? si[s.id] ?? 0 }
        balanceHost = hosts
        let classSlots = IDSlots(facts.enrolments.compactMap { $0.classID?.rawValue })
        let perYear = ParallelSlots<YearIndex>(count: indexedYears.count)
        DispatchQueue.concurrentPerform(iterations: indexedYears.count) { [covering, es, est, grades, home, si] k in
            let year = indexedYears[k]
            let day = SchoolYear(year).referenceDate
            let rows = StockRows(covering[k], school: es, student: est, grade: grades, home: home,
                                 traits: studentTraits, ageBase: studentAgeBase, year: year)
            var onDate = [Int32](repeating: -1, count: facts.students.count)
            for r in 0..<rows.count { onDate[Int(rows.student[r])] = rows.enrolment[r] }
            // Class sizes: the last period of a class (in enrolment order) gives its school and stage.
            var size = [Int32](repeating: 0, count: classSlots.count)
            var classSchool = [Int32](repeating: -1, count: classSlots.count)
            var classStage = [Stage](repeating: .preschool, count: classSlots.count)
            var classID = [Int64](repeating: 0, count: classSlots.count)
            for r in 0..<rows.count {
                let i = Int(rows.enrolment[r])
                guard let c = facts.enrolments[i].classID, let slot = classSlots.slot(c.rawValue) else { continue }
                size[slot] += 1
                classSchool[slot] = rows.school[r]
                classStage[slot] = rows.grade[r].stage
                classID[slot] = c.rawValue
            }
            var sizes: [ClassSize] = []
            for slot in 0..<classSlots.count where size[slot] > 0 {
                sizes.append(ClassSize(id: ClassID(classID[slot]), school: Int(classSchool[slot]), stage: classStage[slot],
                                       size: Int(size[slot])))
            }
            let staff = facts.staff.compactMap { m -> (staff: StaffFact, school: Int)? in
                guard m.isEmployed(on: day), let id = m.schoolID, let s = si[id] else { return nil }
                return (m, s)
            }
            var all = [Int](repeating: 0, count: facts.schools.count)
            var byStage = [[Int]](repeating: [Int](repeating: 0, count: facts.schools.count), count: Stage.allCases.count)
            for r in 0..<rows.count {
                let host = hosts[Int(rows.school[r])]
                all[host] += 1
                byStage[rows.grade[r].stage.position][host] += 1
            }
            var stages: [Stage: [Int]] = [:]
            for stage in Stage.allCases { stages[stage] = byStage[stage.position] }
            perYear.set(k, YearIndex(rows: rows, onDate: onDate, classSizes: sizes, staff: staff,
                                     hostPupils: HostPupils(all: all, byStage: stages)))
        }
        var stock: [Int: StockRows] = [:]
        var onDate: [Int: [Int32]] = [:]
        var classSizes: [Int: [ClassSize]] = [:]
        var staffYears: [Int: [(staff: StaffFact, school: Int)]] = [:]
        var pupilYears: [Int: HostPupils] = [:]
        for (k, year) in indexedYears.enumerated() {
            guard let y = perYear.get(k) else { continue }
            stock[year] = y.rows
            onDate[year] = y.onDate
            classSizes[year] = y.classSizes
            staffYears[year] = y.staff
            pupilYears[year] = y.hostPupils
        }
        stockByYear = stock
        onDateByYear = onDate
        classSizesByYear = classSizes
        staffByYear = staffYears
        hostPupilsByYear = pupilYears
    }

    /// What one year's parallel step produces.
    private struct YearIndex: Sendable {
        let rows: StockRows
        let onDate: [Int32]
        let classSizes: [ClassSize]
        let staff: [(staff: StaffFact, school: Int)]
        let hostPupils: HostPupils
    }

    /// Pupils on 9月1日 of `year` per 均衡 host school (see `balanceHost`).
    func hostPupils(_ year: Int) -> HostPupils? { hostPupilsByYear[year] }

    /// Classes with pupils on 9月1日 of `year`, by id.
    func classSizes(_ year: Int) -> [ClassSize] { classSizesByYear[year] ?? [] }

    /// Enrolments covering 9月1日 of `year`.
    func stock(_ year: Int) -> [Int32] { stockByYear[year]?.enrolment ?? [] }

    /// The pupils on 9月1日 of `year`, as columns (school, grade, traits, age, township).
    func stockRows(_ year: Int) -> StockRows { stockByYear[year] ?? StockRows.empty }

    /// The enrolment of student `s` on 9月1日 of `year`, if any.
    func enrolment(student s: Int, on year: Int) -> Enrolment? {
        guard let map = onDateByYear[year], s < map.count, map[s] >= 0 else { return nil }
        return enrolments[Int(map[s])]
    }

    /// The grade of student `s` on 9月1日 of `year`, if enrolled then.
    func grade(student s: Int, on year: Int) -> GradeLevel? {
        guard let map = onDateByYear[year], s >= 0, s < map.count, map[s] >= 0 else { return nil }
        return enrolmentGrade[Int(map[s])]
    }

    /// Periods of school year `year` that ended by graduating (or dropping out), in enrolment order.
    func graduated(inSchoolYear year: Int) -> [Int32] { graduatedByYear[year] ?? [] }
    func droppedOut(inSchoolYear year: Int) -> [Int32] { droppedOutByYear[year] ?? [] }

    /// Student `s`'s enrolment indexes, ordered by first day.
    func periods(_ s: Int) -> ArraySlice<Int32> { periodList[Int(periodStart[s])..<Int(periodStart[s + 1])] }

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
        for p in periods(s) {
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

/// One year's pupils on 9月1日 as parallel columns, row r for the r-th enrolment covering the
/// day (in enrolment order): what the stock figures filter and count on, without loading the
/// periods and students themselves.
struct StockRows: Sendable {
    let enrolment: [Int32]
    let school: [Int32]
    let student: [Int32]
    let grade: [GradeLevel]
    /// `grade[r].position`, taken once per row.
    let gradePosition: [UInt8]
    let traits: [Traits]
    /// Age on 9月1日 of the year.
    let age: [Int16]
    /// See `Context.homeTownship`.
    let homeTownship: [Int32]
    var count: Int { enrolment.count }

    static let empty = StockRows(enrolment: [], school: [], student: [], grade: [], gradePosition: [], traits: [], age: [],
                                 homeTownship: [])

    /// A student's traits the stock figures count (性别, 留守, 随迁, 残疾), one byte.
    struct Traits: OptionSet, Sendable {
        let rawValue: UInt8
        static let female = Traits(rawValue: 1)
        static let leftBehind = Traits(rawValue: 2)
        static let migrantWorkerChild = Traits(rawValue: 4)
        static let disabled = Traits(rawValue: 8)

        init(rawValue: UInt8) { self.rawValue = rawValue }

        init(_ s: StudentFact) {
            var t: Traits = []
            if s.gender == .female { t.insert(.female) }
            if s.flags.leftBehind { t.insert(.leftBehind) }
            if s.flags.migrantWorkerChild { t.insert(.migrantWorkerChild) }
            if s.flags.disability != nil { t.insert(.disabled) }
            self = t
        }
    }

    /// The year from which a student's age on 9月1日 is counted: age on 9月1日 of Y is Y − base
    /// (a child born after 9月1日 turns that age only later in the year), as `CivilDate.age(on:)`.
    static func ageBase(_ s: StudentFact) -> Int {
        let b = s.birthDate
        return b.year + ((b.month, b.day) > (9, 1) ? 1 : 0)
    }

    init(enrolment: [Int32], school: [Int32], student: [Int32], grade: [GradeLevel], gradePosition: [UInt8], traits: [Traits],
         age: [Int16], homeTownship: [Int32]) {
        self.enrolment = enrolment; self.school = school; self.student = student; self.grade = grade
        self.gradePosition = gradePosition; self.traits = traits; self.age = age; self.homeTownship = homeTownship
    }

    init(_ covering: [Int32], school es: [Int32], student est: [Int32], grade grades: [GradeLevel], home: [Int32],
         traits: [Traits], ageBase: [Int], year: Int) {
        enrolment = covering
        school = covering.map { es[Int($0)] }
        student = covering.map { est[Int($0)] }
        grade = covering.map { grades[Int($0)] }
        gradePosition = grade.map { UInt8($0.position) }
        homeTownship = covering.map { home[Int($0)] }
        let students = student
        self.traits = students.map { traits[Int($0)] }
        age = students.map { Int16(clamping: year - ageBase[Int($0)]) }
    }
}

/// Positions of record ids in a list: a table indexed by id when the ids are dense (database
/// ids usually are), a dictionary otherwise. The last position wins for a repeated id, as a
/// dictionary filled in order would have it.
struct DensePositions: Sendable {
    private let low: Int64
    private let table: [Int32]
    private let sparse: [Int64: Int32]

    init(_ ids: [Int64]) {
        guard let lo = ids.min(), let hi = ids.max() else { low = 0; table = []; sparse = [:]; return }
        if hi - lo < Int64(4 * ids.count + 65_536) {
            var t = [Int32](repeating: -1, count: Int(hi - lo) + 1)
            for (i, id) in ids.enumerated() { t[Int(id - lo)] = Int32(i) }
            low = lo; table = t; sparse = [:]
        } else {
            var d: [Int64: Int32] = [:]
            d.reserveCapacity(ids.count)
            for (i, id) in ids.enumerated() { d[id] = Int32(i) }
            low = 0; table = []; sparse = d
        }
    }

    subscript(_ id: Int64) -> Int? {
        if table.isEmpty { return sparse[id].map(Int.init) }
        let k = id &- low
        guard k >= 0, k < Int64(table.count) else { return nil }
        let p = table[Int(k)]
        return p >= 0 ? Int(p) : nil
    }
}

/// A slot per distinct id, slots in ascending id order (so a walk over the slots is a walk in
/// id order): the id's offset when the ids are dense, a dictionary of the sorted ids otherwise.
struct IDSlots: Sendable {
    private let low: Int64
    let count: Int
    private let sparse: [Int64: Int]?

    init(_ ids: [Int64]) {
        guard let lo = ids.min(), let hi = ids.max() else { low = 0; count = 0; sparse = nil; return }
        if hi - lo < Int64(4 * ids.count + 65_536) {
            low = lo; count = Int(hi - lo) + 1; sparse = nil
        } else {
            let distinct = Array(Set(ids)).sorted()
            var d: [Int64: Int] = [:]
            for (k, id) in distinct.enumerated() { d[id] = k }
            low = 0; count = distinct.count; sparse = d
        }
    }

    func slot(_ id: Int64) -> Int? {
        if let sparse { return sparse[id] }
        let k = id &- low
        return k >= 0 && k < Int64(count) ? Int(k) : nil
    }
}

/// One slot per item for results computed in parallel. The lock makes the writes from the
/// worker threads visible to the thread that reads them after `concurrentPerform` returns.
final class ParallelSlots<T: Sendable>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = [T?](repeating: nil, count: count) }

    func set(_ k: Int, _ r: T) { lock.lock(); slots[k] = r; lock.unlock() }
    func get(_ k: Int) -> T? { lock.lock(); defer { lock.unlock() }; return slots[k] }
}

extension Stage {
    /// The stages in order, built once (`allCases` makes a new array per call).
    static let ordered = Stage.allCases

    /// The stage's place in `allCases`, for arrays indexed by stage (hashing the Chinese raw
    /// value per pupil cost more than the counting; `==` compares the cases).
    var position: Int { Stage.ordered.firstIndex(of: self) ?? 0 }
}

extension GradeLevel {
    /// The grades in national order, built once (`allCases` makes a new array per call).
    static let ordered = GradeLevel.allCases

    /// The grade's place in `allCases` (`==` compares the cases, not the Chinese names).
    var position: Int { GradeLevel.ordered.firstIndex(of: self) ?? 0 }
}
