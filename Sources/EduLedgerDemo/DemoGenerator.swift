import EduLedgerCore

/// Generates the demo district: a realistic, deterministic set of registry records with five
/// school years of history, handed out in batches whose ids are already assigned.
///
/// Batches come in this order, and every id a batch refers to is defined in the same batch or
/// an earlier one (so a store may check foreign keys batch by batch):
/// 1. one batch with the district, its townships, school zones and every school;
/// 2. per school (in id order): its staff and its classes of the five years, each class with a
///    head teacher drawn from the school's teachers;
/// 3. per school (in id order): the students whose history starts there, with all their
///    enrolment periods — also the later ones in other schools (after a transfer, a merger or
///    at the next stage), whose classes batch 2 has already defined.
///
/// Only one school's students are held at a time, so the city scale stays small in memory.
public struct DemoGenerator: Sendable {
    public let seed: UInt64
    public let scale: DemoScale
    public let latestYear: SchoolYear

    public init(seed: UInt64, scale: DemoScale, latestYear: SchoolYear = SchoolYear(2026)) {
        self.seed = seed
        self.scale = scale
        self.latestYear = latestYear
    }

    /// Generates everything, handing each batch to `sink` in order and reporting
    /// `progress(done, total)` in steps (one step per batch) after each one is stored.
    /// `sink` is never called again before its previous call has returned. The school-age
    /// population and school resources come from `DemoStatistics`, fed the same batches.
    public func generate(
        into sink: @Sendable (RegistryBatch) async throws -> Void,
        progress: @Sendable (Int, Int) -> Void
    ) async throws -> DemoSummary {
        var run = DemoRun(self)
        var pending = run.nextBatch()
        var stored = 0
        while let batch = pending {
            try Task.checkCancellation()
            // The store writes this batch while the next one is generated (one batch ahead, so
            // memory stays at two batches); batches still reach the sink one at a time, in order.
            async let written: Void = sink(batch)
            pending = run.nextBatch()
            try await written
            stored += 1
            progress(stored, run.totalSteps)
        }
        return run.summary
    }

    /// The batches one by one, synchronously (for tests and tools that do not need `async`).
    public func makeRun() -> DemoRun { DemoRun(self) }
}

/// A generation in progress: call `nextBatch()` until it returns `nil`, then read `summary`.
public struct DemoRun {
    let generator: DemoGenerator
    var plan: DemoPlan
    let reference: CivilDate
    /// 0: structure, 1…n: staff and classes of school i−1, n+1…2n: students of school i−n−1.
    public private(set) var stepsDone = 0
    public var totalSteps: Int { 1 + 2 * plan.schools.count }

    var nextStudent: Int64 = 1
    var nextEnrolment: Int64 = 1
    var nextStaff: Int64 = 1
    var staffPerUnit: [Int]
    /// Pupils placed into each class by the balancing draw (index: class id).
    var classFill: [Int32]
    /// Resident-ID sequence counters per region, birth day and gender.
    var idCounters: [UInt16]
    let idMinDay: Int
    let idDays: Int

    var digest = DemoDigest()
    var counts = (districts: 0, townships: 0, zones: 0, schools: 0, classes: 0, students: 0, enrolments: 0, staff: 0)
    var enrolledByStage = [0, 0, 0, 0, 0]
    var staffOnReference = 0
    var teachersOnReference = 0
    var mergedPupils: [Int: Int] = [:]
    /// Pupils left without a class because no class of their grade existed (should stay 0).
    public internal(set) var unplacedPeriods = 0

    init(_ generator: DemoGenerator) {
        self.generator = generator
        plan = DemoPlan(seed: generator.seed, scale: generator.scale, latestYear: generator.latestYear.startYear)
        reference = generator.latestYear.referenceDate
        staffPerUnit = Array(repeating: 0, count: generator.scale.units)
        classFill = Array(repeating: 0, count: plan.totalClasses + 1)
        idMinDay = (CivilDate(year: 1950, month: 1, day: 1) ?? CivilDate(dayNumber: 0)).dayNumber
        idDays = reference.dayNumber + 400 - idMinDay
        idCounters = Array(repeating: 0, count: plan.regionCodes.count * idDays * 2)
    }

    /// The next batch, or `nil` when everything has been emitted.
    public mutating func nextBatch() -> RegistryBatch? {
        let n = plan.schools.count
        guard stepsDone < totalSteps else { return nil }
        let batch: RegistryBatch
        if stepsDone == 0 {
            batch = structureBatch()
        } else if stepsDone <= n {
            batch = staffAndClassesBatch(stepsDone - 1)
        } else {
            batch = studentsBatch(stepsDone - n - 1)
        }
        stepsDone += 1
        digest.add(batch)
        counts.districts += batch.districts.count
        counts.townships += batch.townships.count
        counts.zones += batch.zones.count
        counts.schools += batch.schools.count
        counts.classes += batch.classes.count
        counts.students += batch.students.count
        counts.enrolments += batch.enrolments.count
        counts.staff += batch.staff.count
        return batch
    }

    /// What was generated; complete once `nextBatch()` has returned `nil`.
    public var summary: DemoSummary {
        DemoSummary(
            seed: generator.seed, scale: generator.scale, latestYear: generator.latestYear,
            districtName: plan.district.name, districtCode: plan.district.code,
            districts: counts.districts, townships: counts.townships, zones: counts.zones, schools: counts.schools,
            classes: counts.classes, students: counts.students, enrolments: counts.enrolments, staff: counts.staff,
            studentsOnReferenceDate: enrolledByStage.reduce(0, +),
            studentsByStage: Stage.allCases.map { DemoSummary.StageCount(stage: $0, students: enrolledByStage[$0.demoIndex]) },
            staffOnReferenceDate: staffOnReference, fullTimeTeachersOnReferenceDate: teachersOnReference,
            mergers: plan.mergers.map { m in
                let closed = plan.schools[m.closed].record
                let receiving = plan.schools[m.receiving].record
                return DemoSummary.Merger(
                    closedSchoolID: closed.id, closedSchoolName: closed.name, closedSchoolCode: closed.code,
                    receivingSchoolID: receiving.id, receivingSchoolName: receiving.name,
                    closedOn: closed.closed ?? reference, pupilsMoved: mergedPupils[m.closed] ?? 0)
            },
            digest: digest.hex)
    }

    // MARK: Structure

    private func structureBatch() -> RegistryBatch {
        var batch = RegistryBatch()
        batch.districts = [plan.district]
        batch.townships = plan.townships
        batch.zones = plan.zones
        batch.schools = plan.schools.map(\.record)
        return batch
    }

    // MARK: Dates and identity numbers

    func date(_ y: Int, _ m: Int, _ d: Int) -> CivilDate {
        CivilDate(year: y, month: m, day: d) ?? CivilDate(dayNumber: 0)
    }

    /// A birth date such that the person is `age` on 9月1日 of `year`, spread over the year.
    func birthDate(age: Int, onSeptemberFirstOf year: Int, rng: inout DemoRandom) -> CivilDate {
        let first = date(year - age - 1, 9, 2).dayNumber
        let last = date(year - age, 9, 1).dayNumber
        return CivilDate(dayNumber: first + rng.below(last - first + 1))
    }

    /// A 顺序码 not yet used for this region, birth date and gender: odd for men, even for women.
    mutating func sequence(region: Int, birth: CivilDate, gender: Gender) -> (region: Int, sequence: Int) {
        var r = region
        for attempt in 0..<plan.regionCodes.count {
            let day = min(max(birth.dayNumber - idMinDay, 0), idDays - 1)
            let slot = (r * idDays + day) * 2 + (gender == .male ? 1 : 0)
            let k = Int(idCounters[slot])
            if k < 500 {
                idCounters[slot] += 1
                let scatter = Int((UInt64(slot) &* 0x9E37_79B9_7F4A_7C15) >> 40) % 500
                return (r, ((k * 37 + scatter) % 500) * 2 + (gender == .male ? 1 : 0))
            }
            r = plan.externalOther[attempt % plan.externalOther.count]
        }
        return (r, gender == .male ? 1 : 0)
    }

    // MARK: Staff and classes

    private mutating func staffAndClassesBatch(_ s: Int) -> RegistryBatch {
        var batch = RegistryBatch()
        var rng = DemoRandom(seed: plan.seed, 3, UInt64(s))
        let school = plan.schools[s]
        let lastYear = min(plan.latestYear, (school.closeYear ?? (plan.latestYear + 1)) - 1)
        let pupils = plan.expectedEnrolment(s, year: lastYear)
        let current = school.fixedStaff + pupils * 100 / max(school.staffRatioTenths * 11, 1)
        // About 3% leave a year (retirement at 60/55, resignation); a school opened within the
        // window has had no time to lose anyone.
        let leavers = school.openYear >= plan.firstYear ? 0 : current * 12 / 100 + (rng.percent(50) ? 1 : 0)
        let closedOn = school.closeYear.map { date($0, 9, 1) }
        for i in 0..<(current + leavers) {
            var member = makeStaff(school: school, leaver: i >= current, anchor: i == 0, rng: &rng)
            if let closedOn, member.left.map({ $0 > closedOn }) ?? true {
                member.left = closedOn
                if member.hired >= closedOn { member.hired = date(lastYear, 9, 1) }
            }
            if member.isEmployed(on: reference) {
                staffOnReference += 1
                if member.post == .fullTimeTeacher { teachersOnReference += 1 }
            }
            batch.staff.append(member)
        }
        // 班主任: a head teacher stays with the class as it moves up (三年级(2)班 → 四年级(2)班) while
        // still employed; new classes get the next free teacher of the school.
        var previousHeads: [Int: StaffID] = [:]
        for year in plan.firstYear...plan.latestYear where school.exists(in: year) {
            let firstDay = date(year, 9, 1)
            let teachers = batch.staff.filter { $0.post == .fullTimeTeacher && $0.isEmployed(on: firstDay) }
            let employed = Set(teachers.map(\.id))
            var busy = Set<StaffID>()
            var heads: [Int: StaffID] = [:]
            var turn = rng.below(max(teachers.count, 1))
            func nextFree() -> StaffID? {
                guard !teachers.isEmpty else { return nil }
                for _ in 0..<teachers.count {
                    let candidate = teachers[turn % teachers.count].id
                    turn += 1
                    if !busy.contains(candidate) { return candidate }
                }
                turn += 1
                return teachers[turn % teachers.count].id
            }
            // First the classes that move up with their head teacher, then the new ones.
            var slots: [(grade: GradeLevel, k: Int, first: Int64)] = []
            for g in school.grades {
                let range = plan.classRange(s, year, g)
                for k in 0..<range.count { slots.append((g, k, range.first)) }
            }
            for slot in slots where DemoTables.yearInStage[slot.grade.demoIndex] > 1 {
                if let before = previousHeads[(slot.grade.demoIndex - 1) * 1000 + slot.k], employed.contains(before),
                   !busy.contains(before) {
                    busy.insert(before)
                    heads[slot.grade.demoIndex * 1000 + slot.k] = before
                }
            }
            for slot in slots {
                let key = slot.grade.demoIndex * 1000 + slot.k
                if heads[key] == nil, let head = nextFree() {
                    busy.insert(head)
                    heads[key] = head
                }
                batch.classes.append(SchoolClass(id: ClassID(slot.first + Int64(slot.k)), schoolID: school.record.id,
                                                 schoolYear: SchoolYear(year), grade: slot.grade, number: slot.k + 1,
                                                 headTeacherID: heads[key]))
            }
            previousHeads = heads
        }
        return batch
    }

    /// One member of staff. The `anchor` (the first of each school) is an experienced teacher
    /// employed throughout the five years, so every class of every year has a head teacher.
    private mutating func makeStaff(school: SchoolPlan, leaver: Bool, anchor: Bool, rng: inout DemoRandom) -> StaffMember {
        let role = school.role
        let femalePercent: Int
        switch role {
        case .kindergarten: femalePercent = 96
        case .primary, .teachingPoint, .special: femalePercent = 70
        case .junior, .nineYear: femalePercent = 58
        default: femalePercent = 48
        }
        let gender: Gender = rng.percent(femalePercent) ? .female : .male
        // Post (岗位类别).
        var post: StaffPost
        let p = rng.below(100)
        switch role {
        case .kindergarten: post = p < 66 ? .fullTimeTeacher : p < 86 ? .teachingSupport : p < 95 ? .worker : .administrator
        case .adult: post = p < 70 ? .fullTimeTeacher : .administrator
        case .teachingPoint: post = .fullTimeTeacher
        default: post = p < 86 ? .fullTimeTeacher : p < 92 ? .administrator : p < 96 ? .teachingSupport : .worker
        }
        if anchor { post = .fullTimeTeacher }
        let retirementAge = gender == .male ? 60 : 55
        let birth: CivilDate
        var hired: CivilDate
        var left: CivilDate?
        // Ages and hire dates are those of the school's last open year (a merged school's staff
        // were hired before it closed).
        let ref = school.closeYear.map { date($0 - 1, 9, 1) } ?? reference
        if !leaver {
            let maxAge = gender == .male ? 59 : 54
            let age = anchor ? rng.int(in: 36...50) : rng.percent(15) ? rng.int(in: 23...27) : rng.int(in: 26...maxAge)
            birth = birthDate(age: age, onSeptemberFirstOf: ref.year, rng: &rng)
            var hireYear = birth.year + 22 + rng.below(4)
            hireYear = min(max(hireYear, school.openYear, 1982), ref.year)
            hired = date(hireYear, 9, 1)
        } else if rng.percent(60) {
            // Retired in the window on the first day of the month after the birthday.
            let month = plan.firstYear * 12 + 8 + 1 + rng.below(48)
            left = date(month / 12, month % 12 + 1, 1)
            let leftDate = left ?? ref
            birth = leftDate.adding(days: -rng.int(in: 1...28)).adding(days: 0)
                .yearsEarlier(retirementAge)
            hired = date(min(max(birth.year + 22 + rng.below(4), school.openYear, 1982), plan.firstYear - 1), 9, 1)
        } else {
            // Resigned or moved away.
            let age = rng.int(in: 27...50)
            let leftDay = date(plan.firstYear, 9, 2).dayNumber + rng.below(4 * 365)
            left = CivilDate(dayNumber: leftDay)
            birth = birthDate(age: age, onSeptemberFirstOf: plan.firstYear, rng: &rng)
            hired = date(min(max(birth.year + 22 + rng.below(4), school.openYear, 1982), plan.firstYear - 1), 9, 1)
        }
        if let l = left, l <= hired { hired = l.adding(days: -365) }
        let yearsOfService = max(0, ref.year - hired.year)
        let bornBefore1985 = birth.year < 1988

        // Qualification (最高学历).
        let q = rng.below(100)
        let qualification: Qualification
        switch (role, post) {
        case (_, .worker): qualification = q < 60 ? .highSchool : q < 90 ? .associate : .belowHighSchool
        case (.kindergarten, _): qualification = q < 10 ? .highSchool : q < 58 ? .associate : q < 98 ? .bachelor : .master
        case (.senior, _), (.complete, _): qualification = q < 2 ? .associate : q < 84 ? .bachelor : .master
        default:
            if bornBefore1985 { qualification = q < 3 ? .highSchool : q < 30 ? .associate : q < 97 ? .bachelor : .master }
            else { qualification = q < 10 ? .associate : q < 92 ? .bachelor : .master }
        }
        // Title (职称) by years of service.
        var title: ProfessionalTitle = .none
        if post == .fullTimeTeacher || post == .teachingSupport {
            let t = rng.below(100)
            switch yearsOfService {
            case ..<2: title = .none
            case 2..<6: title = t < 80 ? .second : t < 95 ? .none : .third
            case 6..<15: title = t < 65 ? .first : .second
            default:
                if role == .kindergarten { title = t < 70 ? .first : t < 85 ? .second : .senior }
                else { title = t < 1 ? .seniorProfessor : t < 36 ? .senior : t < 90 ? .first : .second }
            }
        }
        // Subjects and certificate.
        var subjects: [String] = []
        var certificate: TeacherCertificate?
        let region = rng.percent(72) ? school.unit
            : rng.percent(85) ? rng.pick(plan.externalProvincial) : rng.pick(plan.externalOther)
        let (idRegion, seq) = sequence(region: region, birth: birth, gender: gender)
        let residentID = ResidentID.make(regionCode: plan.regionCodes[idRegion], birthDate: birth, sequence: seq)
        staffPerUnit[school.unit] += 1
        let serial = nextStaff
        if post == .fullTimeTeacher {
            let pool = DemoRun.subjects(for: role)
            subjects = [rng.pick(pool)]
            if rng.percent(15) {
                let second = rng.pick(pool)
                if second != subjects[0] { subjects.append(second) }
            }
            if rng.percent(97) {
                let level = DemoRun.certificateLevel(for: role, rng: &rng)
                let digit = TeacherCertificate.Level.allCases.firstIndex(of: level).map { $0 + 1 } ?? 0
                let number = String(max(hired.year - 1, birth.year + 21)) + plan.unitCodes[school.unit] + String(digit)
                    + DemoPlan.pad(Int(serial % 1_000_000), 6)
                certificate = TeacherCertificate(level: level, number: number)
            }
        } else if post == .administrator {
            subjects = rng.percent(50) ? [rng.pick(DemoRun.subjects(for: role))] : []
        }
        let backbonePercent: Int
        switch title {
        case .seniorProfessor, .senior: backbonePercent = 28
        case .first: backbonePercent = 12
        default: backbonePercent = 2
        }
        let backbone = post == .fullTimeTeacher && rng.percent(backbonePercent)
        let established: Bool
        if school.record.ownership == .privateSchool { established = false }
        else if role == .kindergarten { established = rng.percent(post == .fullTimeTeacher ? 70 : 25) }
        else { established = rng.percent(post == .worker ? 55 : 94) }

        nextStaff += 1
        return StaffMember(
            id: StaffID(serial), staffNumber: plan.unitCodes[school.unit] + DemoPlan.pad(staffPerUnit[school.unit], 5),
            name: DemoNames.person(&rng, gender: gender, bornBefore1985: bornBefore1985), gender: gender,
            birthDate: birth, residentID: residentID, schoolID: school.record.id, post: post, established: established,
            qualification: qualification, title: title, subjects: subjects, certificate: certificate, backbone: backbone,
            hired: hired, left: left)
    }

    static func subjects(for role: SchoolRole) -> [String] {
        switch role {
        case .kindergarten: return ["学前教育"]
        case .primary, .teachingPoint:
            return ["语文", "语文", "语文", "数学", "数学", "数学", "英语", "科学", "道德与法治", "音乐", "体育", "美术", "信息科技"]
        case .junior, .nineYear:
            return ["语文", "语文", "数学", "数学", "英语", "英语", "物理", "化学", "生物学", "历史", "地理", "道德与法治",
                    "体育与健康", "音乐", "美术", "信息科技"]
        case .complete, .senior:
            return ["语文", "语文", "数学", "数学", "英语", "英语", "物理", "化学", "生物学", "历史", "地理", "思想政治",
                    "体育与健康", "信息技术", "通用技术", "艺术"]
        case .vocational:
            return ["语文", "数学", "英语", "机电技术应用", "计算机应用", "汽车运用与维修", "电子商务", "幼儿保育", "会计事务",
                    "数控技术应用"]
        case .special: return ["特殊教育", "康复训练", "生活适应", "语文", "数学"]
        case .adult: return ["农业实用技术", "职业技能培训", "文化补习"]
        }
    }

    static func certificateLevel(for role: SchoolRole, rng: inout DemoRandom) -> TeacherCertificate.Level {
        switch role {
        case .kindergarten: return .kindergarten
        case .primary, .teachingPoint, .special: return rng.percent(85) ? .primary : .junior
        case .junior: return rng.percent(85) ? .junior : .senior
        case .nineYear: return rng.percent(50) ? .primary : .junior
        case .complete: return rng.percent(40) ? .junior : .senior
        case .senior: return .senior
        case .vocational: return rng.percent(60) ? .vocational : .senior
        case .adult: return rng.percent(50) ? .vocational : .senior
        }
    }
}

extension CivilDate {
    /// The same day `years` years earlier (02-29 becomes 02-28 in a common year).
    func yearsEarlier(_ years: Int) -> CivilDate {
        CivilDate(year: year - years, month: month, day: day)
            ?? CivilDate(year: year - years, month: month, day: day - 1) ?? self
    }
}
