import EduLedgerCore

/// The demo district's statistics: school-age population per township, single year of age,
/// gender and year, and each school's resources per year.
///
/// The population is derived from the generated pupils themselves — the children of each
/// age living in each township (registered there, or registered elsewhere and at school there)
/// who are enrolled on 9月1日, plus those who are not (studying outside the district, exempt,
/// or out of school) — so 入学率 comes out near 100%, exactly
/// 100% in some townships and years, and 入园率 near the 85% the reports quote. Feed every
/// registry batch to `add(_:)` in order, then call `makeBatch()`. Deterministic like the rest
/// of the demo: integer arithmetic and seeded streams only.
public struct DemoStatistics: Sendable {
    let plan: DemoPlan
    let townshipIndex: [TownshipID: Int]
    let schoolTownship: [SchoolID: Int]
    /// Enrolled pupils on 9月1日 per [year][township][age − minAge][gender], and those with a disability.
    private var enrolled: [Int32]
    private var enrolledDisabled: [Int32]
    static let minAge = 3
    static let maxAge = 17
    var ages: Int { Self.maxAge - Self.minAge + 1 }

    public init(generator: DemoGenerator) {
        plan = DemoPlan(seed: generator.seed, scale: generator.scale, latestYear: generator.latestYear.startYear)
        var index: [TownshipID: Int] = [:]
        for (i, t) in plan.townships.enumerated() { index[t.id] = i }
        townshipIndex = index
        var bySchool: [SchoolID: Int] = [:]
        for school in plan.schools { bySchool[school.record.id] = school.township }
        schoolTownship = bySchool
        let size = plan.windowYears * plan.townships.count * (Self.maxAge - Self.minAge + 1) * 2
        enrolled = [Int32](repeating: 0, count: size)
        enrolledDisabled = [Int32](repeating: 0, count: size)
    }

    private func slot(year: Int, township: Int, age: Int, gender: Gender) -> Int {
        (((year - plan.firstYear) * plan.townships.count + township) * ages + (age - Self.minAge)) * 2 + (gender == .male ? 0 : 1)
    }

    /// Counts the batch's pupils enrolled on each 9月1日 of the window, by 户籍 township and age.
    public mutating func add(_ batch: RegistryBatch) {
        guard !batch.enrolments.isEmpty else { return }
        var students: [StudentID: Student] = [:]
        for s in batch.students { students[s.id] = s }
        for e in batch.enrolments {
            // Children registered elsewhere (随迁子女) live where they go to school.
            guard let s = students[e.studentID],
                  let t = s.hukouTownshipID.flatMap({ townshipIndex[$0] }) ?? schoolTownship[e.schoolID] else { continue }
            for year in plan.firstYear...plan.latestYear where e.covers(SchoolYear(year).referenceDate) {
                let age = s.birthDate.age(on: SchoolYear(year).referenceDate)
                guard age >= Self.minAge, age <= Self.maxAge else { continue }
                let k = slot(year: year, township: t, age: age, gender: s.gender)
                enrolled[k] += 1
                if s.flags.disability != nil { enrolledDisabled[k] += 1 }
            }
        }
    }

    /// The population and resource figures of the five years.
    public func makeBatch() -> StatisticsBatch {
        StatisticsBatch(population: population(), resources: resources())
    }

    private func population() -> [SchoolAgePopulation] {
        var rows: [SchoolAgePopulation] = []
        for (t, township) in plan.townships.enumerated() {
            var rng = DemoRandom(seed: plan.seed, 901, UInt64(t))
            // 入园率 by kind of place, rising about a point a year.
            let preschoolBase: Int
            switch township.kind {
            case .street: preschoolBase = 880 + rng.below(60)
            case .town: preschoolBase = 800 + rng.below(70)
            case .township: preschoolBase = 700 + rng.below(90)
            }
            for year in plan.firstYear...plan.latestYear {
                // Some townships have every school-age child enrolled in the district; the others
                // lose a few to schools elsewhere or to exemptions.
                let complete = rng.percent(40)
                let preschoolRate = min(990, preschoolBase + 9 * (year - plan.firstYear))
                for age in Self.minAge...Self.maxAge {
                    for gender in [Gender.male, .female] {
                        let k = slot(year: year, township: t, age: age, gender: gender)
                        let n = Int(enrolled[k])
                        var disabled = Int(enrolledDisabled[k])
                        var count: Int
                        switch age {
                        case ...5: count = (n * 1000 + preschoolRate - 1) / preschoolRate
                        case 6...14:
                            count = n + (complete || n == 0 ? 0 : (n * rng.int(in: 1...12) + 999) / 1000)
                            if rng.percent(4) { disabled += 1; count += complete ? 0 : 1 }
                        default: count = (n * 1000 + 899) / (900 + rng.below(60))
                        }
                        disabled = min(disabled, count)
                        rows.append(SchoolAgePopulation(year: SchoolYear(year), townshipID: township.id, age: age,
                                                        gender: gender, count: count, disabledCount: disabled))
                    }
                }
            }
        }
        return rows
    }

    private func resources() -> [SchoolResources] {
        var rows: [SchoolResources] = []
        for (s, school) in plan.schools.enumerated() {
            guard school.role != .adult else { continue }
            var rng = DemoRandom(seed: plan.seed, 902, UInt64(s))
            let junior = [.junior, .complete, .senior, .vocational].contains(school.role)
            // Per-pupil standards in hundredths (平方米, 元) and per 1000 pupils (间).
            let area = junior ? 580 : 450
            let sports = junior ? 1020 : 750
            let equipment = junior ? 2500 : 2000
            let multimedia = junior ? 24 : 23
            // Crowded town schools are short of space; shrinking village schools have plenty.
            let spaceRange: ClosedRange<Int>
            if school.crowded { spaceRange = 72...98 }
            else if school.record.urbanRural == .rural { spaceRange = 100...175 }
            else { spaceRange = 90...140 }
            let areaF = rng.int(in: spaceRange)
            let sportsF = rng.int(in: spaceRange.lowerBound - 5...spaceRange.upperBound + 10)
            let equipF = rng.int(in: 80...150)
            let mediaF = rng.int(in: 85...150)
            let booksPer = junior ? rng.int(in: 25...50) : rng.int(in: 15...40)
            let firstYear = max(plan.firstYear, school.openYear)
            let designed = max(plan.expectedEnrolment(s, year: firstYear), 20)
            for year in plan.firstYear...plan.latestYear where school.exists(in: year) {
                let grown = 100 + 3 * (year - plan.firstYear)
                let teachingArea = designed * area * areaF / 100
                let sportsArea = designed * sports * sportsF / 100
                let equipmentYuan = designed * equipment * equipF / 100 * grown / 100
                let rooms = max(1, (designed * multimedia * mediaF / 100 + 999) / 1000 + (year - firstYear) / 2)
                rows.append(SchoolResources(
                    schoolID: school.record.id, year: SchoolYear(year), teachingArea: Double(teachingArea) / 100,
                    sportsArea: Double(sportsArea) / 100, equipmentValue: Money(fen: Int64(equipmentYuan) * 100),
                    books: designed * booksPer * grown / 100, multimediaClassrooms: rooms))
            }
        }
        return rows
    }
}

/// Collects the statistics while the demo's batches are stored (the generator's sink is
/// `@Sendable`, so the running tally lives in an actor).
public actor DemoStatisticsCollector {
    private var statistics: DemoStatistics

    public init(generator: DemoGenerator) { statistics = DemoStatistics(generator: generator) }

    public func add(_ batch: RegistryBatch) { statistics.add(batch) }

    public func makeBatch() -> StatisticsBatch { statistics.makeBatch() }
}
