import EduLedgerCore

/// Yearly rates of the registry events, in parts per million of the pupils of a stage.
struct EventRates {
    var dropout = 0
    var suspension = 0
    var transferOut = 0
    var transferWithin = 0
    var repetition = 0
    /// Share (%) of dropouts who come back the next school year (控辍保学).
    var dropoutReturnPercent = 0

    /// Disability types of pupils of a 特殊教育学校 (mostly 智力, 听力) and of those taught in
    /// ordinary classes (随班就读), in percent.
    static let specialSchoolDisabilities = WeightedTable<DisabilityType>([
        (.intellectual, 55), (.hearing, 15), (.visual, 8), (.multiple, 12), (.speech, 5), (.physical, 5),
    ])
    static let inclusiveDisabilities = WeightedTable<DisabilityType>([
        (.intellectual, 35), (.physical, 25), (.speech, 12), (.hearing, 10), (.visual, 10), (.mental, 5), (.multiple, 3),
    ])

    /// Rates as the reports give them: 小学辍学率 ≈ 0.02%, 初中 0.08–0.25% (higher in the
    /// countryside), 普高 and 中职 higher; transfers out a little above transfers within.
    static func of(stage: Stage, setting: UrbanRural, role: SchoolRole) -> EventRates {
        if role == .special {
            return EventRates(dropout: 1_000, suspension: 3_000, transferOut: 5_000, transferWithin: 0, repetition: 0,
                              dropoutReturnPercent: 50)
        }
        switch stage {
        case .preschool:
            return EventRates(transferOut: 30_000, transferWithin: 15_000)
        case .primary:
            return EventRates(dropout: 200, suspension: 800, transferOut: setting == .urban ? 11_000 : 14_000,
                              transferWithin: 12_000, repetition: 1_500, dropoutReturnPercent: 60)
        case .junior:
            let dropout = setting == .urban ? 800 : setting == .town ? 1_500 : 2_500
            return EventRates(dropout: dropout, suspension: 1_000, transferOut: 8_000, transferWithin: 8_000,
                              repetition: 2_000, dropoutReturnPercent: 50)
        case .senior:
            return EventRates(dropout: 4_000, suspension: 1_500, transferOut: 5_000, transferWithin: 3_000,
                              repetition: 3_000, dropoutReturnPercent: 15)
        case .vocational:
            return EventRates(dropout: 15_000, suspension: 3_000, transferOut: 10_000, transferWithin: 2_000,
                              repetition: 2_000, dropoutReturnPercent: 10)
        }
    }
}

extension DemoRun {
    // MARK: Students of one school

    mutating func studentsBatch(_ s: Int) -> RegistryBatch {
        var batch = RegistryBatch()
        var rng = DemoRandom(seed: plan.seed, 4, UInt64(s))
        let school = plan.schools[s]
        let first = plan.firstYear
        // The pupils already there on the first day of the window.
        if school.exists(in: first) {
            for g in school.grades {
                let entered = plan.cohortYear(of: g, in: first)
                let years = first - entered
                let n = plan.cohort(s, g.stage, entered) * (100 - 2 * years) / 100
                let entry: EntryReason = years == 0 ? .intake : .initialRegistration
                addPupils(n, school: s, grade: g, entered: entered, from: date(first, 9, 1), entry: entry,
                          rng: &rng, batch: &batch)
            }
        }
        for year in first...plan.latestYear where school.exists(in: year) {
            // New pupils who do not come from the district's own schools.
            if year > first {
                for st in school.stages where school.teaches(st.demoFirstGrade) {
                    addPupils(plan.ownIntake(s, st, year), school: s, grade: st.demoFirstGrade, entered: year,
                              from: date(year, 9, 1), entry: .intake, rng: &rng, batch: &batch)
                }
            }
            // Transfers in from outside the district during the year.
            guard year < plan.latestYear, !school.grades.isEmpty else { continue }
            let ppm: Int
            switch school.record.urbanRural {
            case .urban: ppm = 14_000
            case .town: ppm = 9_000
            case .rural: ppm = 5_000
            }
            let arrivals = plan.expectedEnrolment(s, year: year) * ppm / 1_000_000
            for _ in 0..<arrivals {
                let g = rng.pick(school.grades)
                guard plan.classRange(s, year, g).count > 0, !(school.role == .special) else { continue }
                let day = date(year, 9, 10).dayNumber + rng.below(270)
                addPupils(1, school: s, grade: g, entered: plan.cohortYear(of: g, in: year), from: CivilDate(dayNumber: day),
                          entry: .transferIn, rng: &rng, batch: &batch)
            }
        }
        return batch
    }

    /// Creates `n` pupils (a few of them twins) who start in `grade` of school `s` on `from`
    /// and walks each through the years.
    private mutating func addPupils(_ n: Int, school s: Int, grade: GradeLevel, entered: Int, from: CivilDate,
                                    entry: EntryReason, rng: inout DemoRandom, batch: inout RegistryBatch) {
        var made = 0
        while made < n {
            let student = makeStudent(school: s, grade: grade, entered: entered, arriving: entry == .transferIn,
                                      twinOf: nil, rng: &rng)
            let year = SchoolYear(containing: from).startYear
            let classNumber = assignClass(s, year, grade)
            walk(student, school: s, grade: grade, classNumber: classNumber, from: from, entry: entry, rng: &rng,
                 batch: &batch)
            made += 1
            if made < n, entry != .transferIn, rng.chance(ppm: 11_000) {
                let twin = makeStudent(school: s, grade: grade, entered: entered, arriving: false, twinOf: student,
                                       rng: &rng)
                walk(twin, school: s, grade: grade, classNumber: classNumber, from: from, entry: entry, rng: &rng,
                     batch: &batch)
                made += 1
            }
        }
    }

    /// A pupil's own record: name, birth date for the grade's age, a resident ID that matches
    /// them, 民族, 户口 and the flags at the rates of the school's setting.
    private mutating func makeStudent(school s: Int, grade: GradeLevel, entered: Int, arriving: Bool,
                                      twinOf twin: Student?, rng: inout DemoRandom) -> Student {
        let school = plan.schools[s]
        let setting = school.record.urbanRural
        let stage = grade.stage
        let gender: Gender = rng.chance(ppm: 523_000) ? .male : .female
        let birth: CivilDate
        if let twin {
            birth = twin.birthDate
        } else {
            let o = rng.below(1000)
            var late: Int
            switch stage {
            case .preschool: late = o < 970 ? 0 : 1
            case .primary, .junior: late = o < 962 ? 0 : o < 997 ? 1 : 2
            case .senior: late = o < 880 ? 0 : o < 980 ? 1 : 2
            case .vocational: late = o < 750 ? 0 : o < 950 ? 1 : 2
            }
            if school.role == .special { late = rng.below(4) }
            birth = birthDate(age: stage.demoFirstGrade.demoTypicalAge + late, onSeptemberFirstOf: entered, rng: &rng)
        }
        let compulsoryOrYounger = stage == .preschool || stage == .primary || stage == .junior
        var flags = StudentFlags()
        let migrant: Bool
        if let twin {
            flags = twin.flags
            migrant = twin.flags.migrantWorkerChild
            flags.disability = nil
            flags.inclusiveClass = false
        } else {
            let migrantPpm = arriving ? (setting == .urban ? 450_000 : 150_000)
                : setting == .urban ? 100_000 : setting == .town ? 30_000 : 5_000
            migrant = compulsoryOrYounger && rng.chance(ppm: migrantPpm)
            flags.migrantWorkerChild = migrant
            if compulsoryOrYounger, !migrant {
                flags.leftBehind = rng.chance(ppm: setting == .rural ? 150_000 : setting == .town ? 80_000 : 15_000)
            }
            flags.poverty = rng.chance(ppm: setting == .rural ? 50_000 : setting == .town ? 30_000 : 15_000)
                ? (rng.percent(40) ? .registeredPoor : rng.percent(83) ? .minimumLiving : .extremeHardship) : nil
        }
        if school.role == .special {
            flags.disability = EventRates.specialSchoolDisabilities.draw(&rng)
            flags.inclusiveClass = false
        } else if rng.chance(ppm: 8_000) {
            flags.disability = EventRates.inclusiveDisabilities.draw(&rng)
            flags.inclusiveClass = true
        }
        // Where the ID number was issued and where the household is registered.
        let region: Int
        let hukouTownship: TownshipID?
        let hukouType: HukouType
        if migrant {
            region = rng.percent(40) ? rng.pick(plan.externalProvincial) : rng.pick(plan.externalOther)
            hukouTownship = nil
            hukouType = rng.percent(60) ? .agricultural : .resident
        } else {
            region = rng.percent(93) ? school.unit : rng.pick(plan.externalProvincial)
            if rng.percent(85) {
                hukouTownship = school.record.townshipID
            } else {
                hukouTownship = TownshipID(Int64(school.unit * 12 + rng.below(12) + 1))
            }
            let h = rng.below(100)
            switch setting {
            case .urban: hukouType = h < 80 ? .resident : .nonAgricultural
            case .town: hukouType = h < 75 ? .resident : .agricultural
            case .rural: hukouType = h < 60 ? .resident : .agricultural
            }
        }
        let (idRegion, seq) = sequence(region: twin.map { _ in region } ?? region, birth: birth, gender: gender)
        var residentID: ResidentID?
        let number: String
        if twin == nil, rng.chance(ppm: 3_000) {
            // 无身份证号: a temporary 学籍号 "L" + region + birth date + serial.
            let d = birth
            number = "L" + plan.regionCodes[idRegion] + DemoPlan.pad(d.year, 4) + DemoPlan.pad(d.month, 2)
                + DemoPlan.pad(d.day, 2) + DemoPlan.pad(seq, 3)
        } else {
            residentID = ResidentID.make(regionCode: plan.regionCodes[idRegion], birthDate: birth, sequence: seq)
            number = residentID.map { "G" + $0.value } ?? "L" + DemoPlan.pad(Int(nextStudent), 17)
        }
        let surname: String? = twin.map { t in
            // Twins share the surname; compound surnames are two characters.
            t.name.hasPrefix("欧阳") || t.name.hasPrefix("司马") || t.name.hasPrefix("诸葛")
                ? String(t.name.prefix(2)) : String(t.name.prefix(1))
        }
        var name = DemoNames.person(&rng, gender: gender, bornBefore1985: false, surname: surname)
        if let twin, name == twin.name { name = DemoNames.person(&rng, gender: gender, bornBefore1985: false, surname: surname) }
        let ethnicity = twin?.ethnicity ?? DemoNames.ethnicities.draw(&rng)
        defer { nextStudent += 1 }
        return Student(id: StudentID(nextStudent), studentNumber: number, name: name, gender: gender, birthDate: birth,
                       residentID: residentID, ethnicity: ethnicity, hukouType: twin?.hukouType ?? hukouType,
                       hukouTownshipID: twin.map { $0.hukouTownshipID } ?? hukouTownship, flags: flags)
    }

    // MARK: Classes

    /// Places a pupil into the class of a grade that is least full relative to its planned
    /// share, so classes stay balanced whoever generates the pupil; `nil` if the grade has no class.
    mutating func assignClass(_ s: Int, _ year: Int, _ grade: GradeLevel) -> Int? {
        let range = plan.classRange(s, year, grade)
        guard range.count > 0 else { return nil }
        var best = 0
        var bestScore = Int.max
        for k in 0..<range.count {
            let id = Int(range.first) + k
            let score = Int(classFill[id]) * 10_000 / Int(plan.classWeight[id])
            if score < bestScore { bestScore = score; best = k }
        }
        classFill[Int(range.first) + best] += 1
        return best + 1
    }

    func classID(_ s: Int, _ year: Int, _ grade: GradeLevel, _ number: Int?) -> ClassID? {
        guard let number else { return nil }
        let range = plan.classRange(s, year, grade)
        guard number >= 1, number <= range.count else { return nil }
        return ClassID(range.first + Int64(number - 1))
    }

    // MARK: A pupil's history

    /// Walks one pupil through the years, then settles the flags that depend on where they
    /// ended up (寄宿 is decided by the stage and setting of the latest school).
    private mutating func walk(_ student: Student, school startSchool: Int, grade startGrade: GradeLevel,
                               classNumber startClass: Int?, from startFrom: CivilDate, entry startEntry: EntryReason,
                               rng: inout DemoRandom, batch: inout RegistryBatch) {
        let (last, grade) = walkPeriods(student, school: startSchool, grade: startGrade, classNumber: startClass,
                                        from: startFrom, entry: startEntry, rng: &rng, batch: &batch)
        var student = student
        let setting = plan.schools[last].record.urbanRural
        let boardingPpm: Int
        if plan.schools[last].role == .special {
            boardingPpm = 400_000
        } else {
            switch grade.stage {
            case .preschool: boardingPpm = 0
            case .primary: boardingPpm = setting == .rural && grade >= .p4 ? 80_000 : 0
            case .junior: boardingPpm = setting == .rural ? 350_000 : setting == .town ? 250_000 : 30_000
            case .senior: boardingPpm = 600_000
            case .vocational: boardingPpm = 500_000
            }
        }
        student.flags.boarding = rng.chance(ppm: boardingPpm)
        batch.students.append(student)
    }

    private mutating func emitPeriod(_ student: Student, _ school: Int, _ grade: GradeLevel, _ classNumber: Int?,
                                     _ from: CivilDate, _ entry: EntryReason, _ until: CivilDate?, _ exit: ExitReason?,
                                     _ batch: inout RegistryBatch) {
        let year = SchoolYear(containing: from).startYear
        let cid = classID(school, year, grade, classNumber)
        if cid == nil { unplacedPeriods += 1 }
        batch.enrolments.append(Enrolment(id: EnrolmentID(nextEnrolment), studentID: student.id,
                                          schoolID: plan.schools[school].record.id, grade: grade, classID: cid,
                                          from: from, until: until, entry: entry, exit: exit))
        nextEnrolment += 1
    }

    /// Emits an enrolment period for each stretch in one school, grade and class, from `from`
    /// to the latest reference date, each ended with the reason why; returns the last school and grade.
    private mutating func walkPeriods(_ student: Student, school startSchool: Int, grade startGrade: GradeLevel,
                                      classNumber startClass: Int?, from startFrom: CivilDate, entry startEntry: EntryReason,
                                      rng: inout DemoRandom, batch: inout RegistryBatch) -> (Int, GradeLevel) {
        var school = startSchool
        var grade = startGrade
        var classNumber = startClass
        var from = startFrom
        var entry = startEntry
        var eventsDoneInYear = -1
        let latest = plan.latestYear

        for _ in 0..<64 {
            let year = SchoolYear(containing: from).startYear
            if year >= latest {
                emitPeriod(student, school, grade, classNumber, from, entry, nil, nil, &batch)
                enrolledByStage[grade.stage.demoIndex] += 1
                return (school, grade)
            }
            let plan = self.plan
            let here = plan.schools[school]
            let rates = EventRates.of(stage: grade.stage, setting: here.record.urbanRural, role: here.role)
            let nextYearStart = date(year + 1, 9, 1)
            // Mid-year events, at most one per school year.
            let lo = max(from.dayNumber + 1, date(year, 9, 8).dayNumber)
            let hi = date(year + 1, 6, 25).dayNumber
            if eventsDoneInYear != year, lo <= hi {
                eventsDoneInYear = year
                var r = rng.below(1_000_000)
                let day = CivilDate(dayNumber: lo + rng.below(hi - lo + 1))
                if r < rates.dropout {
                    emitPeriod(student, school, grade, classNumber, from, entry, day, .droppedOut, &batch)
                    guard rng.percent(rates.dropoutReturnPercent) else { return (school, grade) }
                    school = plan.resolve(school, year: year + 1)
                    from = nextYearStart
                    entry = .returnFromDropout
                    classNumber = assignClass(school, year + 1, grade)
                    continue
                }
                r -= rates.dropout
                if r < rates.suspension {
                    emitPeriod(student, school, grade, classNumber, from, entry, day, .suspended, &batch)
                    let back = rng.below(100)
                    let returnDay = day.adding(days: rng.int(in: 60...150))
                    if back < 45, returnDay <= date(year + 1, 6, 30) {
                        from = returnDay
                        entry = .returnFromSuspension
                        continue
                    }
                    guard back < 95 else { return (school, grade) }
                    school = plan.resolve(school, year: year + 1)
                    from = nextYearStart
                    entry = .returnFromSuspension
                    classNumber = assignClass(school, year + 1, grade)
                    continue
                }
                r -= rates.suspension
                if r < rates.transferOut {
                    emitPeriod(student, school, grade, classNumber, from, entry, day, .transferredOut, &batch)
                    return (school, grade)
                }
                r -= rates.transferOut
                if r < rates.transferWithin, let dest = transferTarget(from: school, grade: grade, year: year, rng: &rng) {
                    emitPeriod(student, school, grade, classNumber, from, entry, day, .transferredOut, &batch)
                    school = dest
                    from = day
                    entry = .transferIn
                    classNumber = assignClass(dest, year, grade)
                    continue
                }
            }
            // The end of the school year.
            let nextSchool = plan.resolve(school, year: year + 1)
            let merged = nextSchool != school
            if grade.demoNext != nil, rng.chance(ppm: rates.repetition) {
                emitPeriod(student, school, grade, classNumber, from, entry, nextYearStart, merged ? .schoolMerged : .repeated, &batch)
                if merged { mergedPupils[school, default: 0] += 1 }
                entry = merged ? .schoolMerger : .repetition
                school = nextSchool
                from = nextYearStart
                classNumber = assignClass(school, year + 1, grade)
                continue
            }
            guard let nextGrade = grade.demoNext else {
                // Graduation (毕业) on 7月1日, then perhaps the next stage on 9月1日.
                emitPeriod(student, school, grade, classNumber, from, entry, date(year + 1, 7, 1), .graduated, &batch)
                let routes = here.routes[grade.stage.demoIndex]
                guard !routes.isEmpty else { return (school, grade) }
                var r = rng.below(1_000_000)
                var chosen: Route?
                for route in routes {
                    if r < route.ppm { chosen = route; break }
                    r -= route.ppm
                }
                guard let route = chosen else { return (school, grade) }
                school = plan.resolve(route.dest, year: year + 1)
                grade = route.stage.demoFirstGrade
                from = nextYearStart
                entry = .intake
                classNumber = assignClass(school, year + 1, grade)
                continue
            }
            if !here.teaches(nextGrade), let central = here.promotesTo {
                // A 教学点 teaches the first grades only; its pupils go on to the central school.
                emitPeriod(student, school, grade, classNumber, from, entry, nextYearStart, merged ? .schoolMerged : .promoted, &batch)
                school = plan.resolve(central, year: year + 1)
                entry = .promotion
                grade = nextGrade
                from = nextYearStart
                classNumber = assignClass(school, year + 1, grade)
                continue
            }
            if merged {
                emitPeriod(student, school, grade, classNumber, from, entry, nextYearStart, .schoolMerged, &batch)
                mergedPupils[school, default: 0] += 1
                entry = .schoolMerger
                school = nextSchool
                grade = nextGrade
                from = nextYearStart
                classNumber = assignClass(school, year + 1, grade)
                continue
            }
            emitPeriod(student, school, grade, classNumber, from, entry, nextYearStart, .promoted, &batch)
            entry = .promotion
            grade = nextGrade
            from = nextYearStart
            // The class moves up together: 三年级(2)班 becomes 四年级(2)班.
            let count = plan.classRange(school, year + 1, grade).count
            if classNumber.map({ $0 > count }) ?? true { classNumber = assignClass(school, year + 1, grade) }
        }
        return (school, grade)
    }

    /// Another school of the same unit that teaches the grade this year, if one can be found;
    /// larger schools are likelier (families move towards the town and the city).
    private func transferTarget(from school: Int, grade: GradeLevel, year: Int, rng: inout DemoRandom) -> Int? {
        let candidates = plan.transferTargets[plan.schools[school].unit][grade.demoIndex]
        guard candidates.count > 1 else { return nil }
        for _ in 0..<16 {
            let c = rng.pick(candidates)
            guard rng.below(plan.maxTransferWeight) < plan.transferWeight[c] else { continue }
            if c != school, plan.schools[c].exists(in: year), plan.classRange(c, year, grade).count > 0 {
                return c
            }
        }
        return nil
    }
}
