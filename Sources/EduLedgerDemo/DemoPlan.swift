import EduLedgerCore

// MARK: The plan

/// Where graduates of a stage of a school go next: `ppm` of them to `dest`'s first grade of `stage`.
struct Route {
    var dest: Int
    var stage: Stage
    var ppm: Int
}

/// Whom a school serves and how large its cohorts are meant to be.
enum SchoolRole {
    case kindergarten, primary, teachingPoint, junior, nineYear, complete, senior, vocational, special, adult
}

/// One school with everything the generator needs beyond its domain record.
struct SchoolPlan {
    var record: School
    var index: Int
    var unit: Int
    var township: Int
    var role: SchoolRole
    /// Grades actually taught in the demo (a 教学点 teaches 一至三年级 only).
    var grades: [GradeLevel]
    /// Designed intake per stage (index by `Stage.demoIndex`) before birth and trend factors.
    var base: [Int] = [0, 0, 0, 0, 0]
    /// Planned class size per stage.
    var classTarget: [Int] = [28, 45, 48, 50, 42]
    /// Old cohorts of a crowded urban school were packed into 大班额 classes.
    var crowded = false
    /// Graduation routes per stage.
    var routes: [[Route]] = [[], [], [], [], []]
    /// The school whose 三年级 pupils continue in this school's 四年级 (the 教学点's central school).
    var promotesTo: Int?
    /// First school year in which the school teaches.
    var openYear: Int
    /// First school year in which it no longer teaches (closed on 8月31日 before it).
    var closeYear: Int?
    /// The school merged into this one, from `closeYear` of that school.
    var absorbs: Int?
    /// Per-mille change of the intake per year (countryside shrinks, town grows).
    var trendPerMille: Int = 0
    /// Students per staff member (tenths), and staff regardless of size.
    var staffRatioTenths: Int = 140
    var fixedStaff: Int = 2

    func exists(in year: Int) -> Bool { openYear <= year && (closeYear.map { year < $0 } ?? true) }
    func teaches(_ g: GradeLevel) -> Bool { grades.contains(g) }
    var stages: [Stage] {
        DemoTables.stages.filter { st in grades.contains { $0.stage == st } }
    }
}

struct DemoPlan {
    let seed: UInt64
    let scale: DemoScale
    let firstYear: Int
    let latestYear: Int
    /// Earliest cohort year the cohort tables hold (old enough for every pre-window cohort).
    let minYear: Int
    var district: District
    var townships: [Township] = []
    var townshipUnit: [Int] = []
    var zones: [SchoolZone] = []
    var schools: [SchoolPlan] = []
    var unitCodes: [String] = []
    /// Region codes for resident IDs: first one per unit, then codes of other counties.
    var regionCodes: [String] = []
    var externalProvincial: [Int] = []
    var externalOther: [Int] = []
    var mergers: [(closed: Int, receiving: Int)] = []

    // Cohort tables, flat: [(school * 5 + stage) * years + (year - minYear)].
    var cohortTotal: [Int32] = []
    var cohortOwn: [Int32] = []
    var cohortClasses: [Int32] = []

    // Class tables, flat: [(school * windowYears + yearIndex) * 18 + grade].
    var classFirst: [Int64] = []
    var classCount: [Int32] = []
    var classWeight: [UInt8] = []
    var totalClasses = 0

    /// Schools a pupil of a grade may transfer to, per unit and grade index.
    var transferTargets: [[[Int]]] = []
    /// How strongly each school attracts transfers (its planned size), and the largest weight.
    var transferWeight: [Int] = []
    var maxTransferWeight = 1

    var cohortYears: Int { latestYear - minYear + 1 }
    var windowYears: Int { latestYear - firstYear + 1 }

    init(seed: UInt64, scale: DemoScale, latestYear: Int) {
        self.seed = seed
        self.scale = scale
        self.latestYear = latestYear
        self.firstYear = latestYear - 4
        self.minYear = latestYear - 30
        switch scale {
        case .district: district = District(id: DistrictID(1), code: "431102", name: "清河区")
        case .city: district = District(id: DistrictID(1), code: "431100", name: "清河市")
        case .province: district = District(id: DistrictID(1), code: "430000", name: "清河省")
        }
        var rng = DemoRandom(seed: seed, 1)
        var placeNames = DemoNames.shuffledPlaceNames(&rng)
        if placeNames.isEmpty { placeNames = ["清河"] }
        var placeCursor = 0
        func nextPlace() -> String {
            defer { placeCursor += 1 }
            return placeNames[placeCursor % placeNames.count]
        }
        var surnameCursor = rng.below(DemoNames.villageSurnames.count)
        func nextSurnamePlace() -> String {
            defer { surnameCursor += 1 }
            return DemoNames.villageSurnames[surnameCursor % DemoNames.villageSurnames.count] + "家"
        }
        for unit in 0..<scale.units {
            unitCodes.append(DemoPlan.countyCode(unit: unit))
        }
        regionCodes = unitCodes
        // Other counties of the same province, and of other provinces (migrant workers' children).
        for code in ["430104", "430111", "430203", "430304", "430602", "430902", "431003", "431202", "431302"] {
            externalProvincial.append(regionCodes.count); regionCodes.append(code)
        }
        for code in ["360102", "420106", "440106", "450102", "500101", "510104", "520102", "530102", "350102",
                     "410102", "340102", "320102", "330102", "370102", "130102", "140105", "210102", "220102",
                     "230102", "610102", "620102", "640104", "650102", "460105", "120101", "110101", "310101"] {
            externalOther.append(regionCodes.count); regionCodes.append(code)
        }
        for unit in 0..<scale.units {
            buildUnit(unit, rng: &rng, nextPlace: nextPlace, nextSurnamePlace: nextSurnamePlace)
        }
        computeCohorts()
        planClasses()
        planTransferTargets()
    }

    /// The county code of a unit: the demo district's own for unit 0, otherwise a code of the
    /// form 43PPCC with CC ≥ 21, so it never equals the district's or an external code.
    static func countyCode(unit: Int) -> String {
        if unit == 0 { return "431102" }
        let prefecture = 1 + (unit - 1) / 40
        let county = 21 + (unit - 1) % 40
        return "43" + pad(prefecture, 2) + pad(county, 2)
    }

    // MARK: Units: townships, zones, schools

    private mutating func buildUnit(_ unit: Int, rng: inout DemoRandom, nextPlace: () -> String,
                                    nextSurnamePlace: () -> String) {
        let county = unitCodes[unit]
        let unitName: String
        if unit == 0 {
            unitName = "清河区"
        } else {
            unitName = nextPlace() + (unit % 3 == 0 ? "区" : "县")
        }
        // 3 街道, 7 镇, 2 乡.
        let townshipBase = townships.count
        var townNames: [String] = []
        for i in 0..<12 {
            let kind: Township.Kind
            let name: String
            let code: String
            switch i {
            case 0..<3:
                kind = .street
                name = i == 0 ? "城关街道" : nextPlace() + "街道"
                code = county + DemoPlan.pad(1 + i, 3)
            case 3..<10:
                kind = .town
                name = (i % 3 == 1 ? nextSurnamePlace() : nextPlace()) + "镇"
                code = county + DemoPlan.pad(100 + i - 2, 3)
            default:
                kind = .township
                name = nextPlace() + "乡"
                code = county + DemoPlan.pad(200 + i - 9, 3)
            }
            townNames.append(name)
            townships.append(Township(id: TownshipID(Int64(townships.count + 1)), code: code, name: name, kind: kind))
            townshipUnit.append(unit)
        }
        let zoneBase = zones.count
        for z in ["城区学区", "东部学区", "西部学区", "北部学区"] {
            zones.append(SchoolZone(id: SchoolZoneID(Int64(zones.count + 1)), name: unitName + z))
        }
        func zoneFor(_ localTownship: Int) -> Int {
            switch localTownship {
            case 0..<3: return zoneBase
            case 3..<7: return zoneBase + 1
            case 7..<11: return zoneBase + 2
            default: return zoneBase + 3
            }
        }

        func add(_ name: String, _ type: SchoolType, _ role: SchoolRole, ownership: Ownership = .publicSchool,
                 urbanRural: UrbanRural, township local: Int, openedYear: Int, campuses: [String] = [],
                 central: Int? = nil, village: String? = nil, configure: (inout SchoolPlan) -> Void) -> Int {
            let index = schools.count
            let t = townshipBase + local
            let address: String
            if let village {
                address = townNames[local] + village
            } else {
                address = townNames[local] + rng.pick(DemoNames.roads) + String(rng.int(in: 1...388)) + "号"
            }
            let record = School(
                id: SchoolID(Int64(index + 1)),
                code: "2" + String(county.prefix(4)) + DemoPlan.pad(index + 1, 5),
                name: name, type: type, ownership: ownership, urbanRural: urbanRural,
                townshipID: townships[t].id, zoneID: zones[zoneFor(local)].id,
                centralSchoolID: central.map { SchoolID(Int64($0 + 1)) }, address: address,
                opened: CivilDate(year: openedYear, month: 9, day: 1) ?? CivilDate(dayNumber: 0),
                campuses: campuses)
            var grades = type.grades
            if role == .teachingPoint { grades = [.p1, .p2, .p3] }
            var plan = SchoolPlan(record: record, index: index, unit: unit, township: t, role: role, grades: grades,
                                  openYear: openedYear)
            switch urbanRural {
            case .urban: plan.trendPerMille = 10
            case .town: plan.trendPerMille = 0
            case .rural: plan.trendPerMille = -25
            }
            configure(&plan)
            schools.append(plan)
            return index
        }
        func size(_ n: Int) -> Int { n * rng.int(in: 85...115) / 100 }
        func oldYear() -> Int { rng.int(in: 1952...1998) }
        let newKindergartenYear = firstYear + 2
        let mergerYear = firstYear + 2

        // 城区 (the three 街道).
        let exp1 = add(unitName + "第一实验小学", .primary, .primary, urbanRural: .urban, township: 0, openedYear: oldYear(),
                       campuses: ["本部", "东校区"]) { $0.base[1] = 440; $0.crowded = true; $0.staffRatioTenths = 175 }
        let exp2 = add(unitName + "第二实验小学", .primary, .primary, urbanRural: .urban, township: 1, openedYear: oldYear()) {
            $0.base[1] = 385; $0.crowded = true; $0.staffRatioTenths = 175
        }
        let p3 = add(unitName + "第三小学", .primary, .primary, urbanRural: .urban, township: 2, openedYear: oldYear()) {
            $0.base[1] = 330; $0.staffRatioTenths = 170
        }
        let p4 = add(unitName + "第四小学", .primary, .primary, urbanRural: .urban, township: 0, openedYear: oldYear()) {
            $0.base[1] = 285; $0.staffRatioTenths = 170
        }
        let yucai = add(unitName + "育才学校", .nineYear, .nineYear, ownership: .privateSchool, urbanRural: .urban,
                        township: 1, openedYear: rng.int(in: 2003...2012)) {
            $0.base[1] = 145; $0.base[2] = 180; $0.classTarget[1] = 42; $0.classTarget[2] = 45; $0.staffRatioTenths = 150
        }
        let no1 = add(unitName + "第一中学", .completeSecondary, .complete, urbanRural: .urban, township: 0,
                      openedYear: oldYear(), campuses: ["本部", "高中部"]) { $0.crowded = true; $0.staffRatioTenths = 115 }
        let no2 = add(unitName + "第二中学", .seniorSecondary, .senior, urbanRural: .urban, township: 1, openedYear: oldYear()) {
            $0.staffRatioTenths = 120
        }
        let no3 = add(unitName + "第三中学", .juniorSecondary, .junior, urbanRural: .urban, township: 2, openedYear: oldYear()) {
            $0.crowded = true; $0.staffRatioTenths = 120
        }
        let no4 = add(unitName + "第四中学", .juniorSecondary, .junior, urbanRural: .urban, township: 1, openedYear: oldYear()) {
            $0.staffRatioTenths = 120
        }
        let vocational = add(unitName + "职业中等专业学校", .vocational, .vocational, urbanRural: .urban, township: 2,
                             openedYear: rng.int(in: 1980...1995), campuses: ["本部", "实训基地"]) { $0.staffRatioTenths = 130 }
        let special = add(unitName + "特殊教育学校", .special, .special, urbanRural: .urban, township: 0,
                          openedYear: rng.int(in: 1990...2012)) {
            $0.base[1] = 12; $0.classTarget = [8, 10, 10, 10, 10]; $0.staffRatioTenths = 35; $0.fixedStaff = 4
        }
        var kindergartens: [Int] = []
        kindergartens.append(add(unitName + "第一幼儿园", .kindergarten, .kindergarten, urbanRural: .urban, township: 0,
                                 openedYear: rng.int(in: 1960...1990)) { $0.base[0] = 275; $0.staffRatioTenths = 85 })
        kindergartens.append(add(unitName + "第二幼儿园", .kindergarten, .kindergarten, urbanRural: .urban, township: 1,
                                 openedYear: rng.int(in: 1970...1995)) { $0.base[0] = 225; $0.staffRatioTenths = 85 })
        kindergartens.append(add(unitName + "机关幼儿园", .kindergarten, .kindergarten, urbanRural: .urban, township: 2,
                                 openedYear: rng.int(in: 1960...1985)) { $0.base[0] = 190; $0.staffRatioTenths = 85 })
        kindergartens.append(add(unitName + "阳光幼儿园", .kindergarten, .kindergarten, ownership: .privateSchool,
                                 urbanRural: .urban, township: 1, openedYear: rng.int(in: 2005...2015)) {
            $0.base[0] = 160; $0.classTarget[0] = 25; $0.staffRatioTenths = 90
        })
        kindergartens.append(add(unitName + "小天鹅幼儿园", .kindergarten, .kindergarten, ownership: .privateSchool,
                                 urbanRural: .urban, township: 2, openedYear: rng.int(in: 2005...2015)) {
            $0.base[0] = 140; $0.classTarget[0] = 25; $0.staffRatioTenths = 90
        })
        kindergartens.append(add(unitName + "城南幼儿园", .kindergarten, .kindergarten, urbanRural: .urban, township: 2,
                                 openedYear: newKindergartenYear) { $0.base[0] = 190; $0.staffRatioTenths = 85 })
        _ = add(unitName + "成人文化技术学校", .adult, .adult, urbanRural: .urban, township: 0, openedYear: oldYear()) {
            $0.fixedStaff = 9
        }
        let urbanPrimaries = [exp1, exp2, p3, p4]
        for k in kindergartens {
            schools[k].routes[0] = [Route(dest: exp1, stage: .primary, ppm: 280_000),
                                    Route(dest: exp2, stage: .primary, ppm: 250_000),
                                    Route(dest: p3, stage: .primary, ppm: 190_000),
                                    Route(dest: p4, stage: .primary, ppm: 150_000),
                                    Route(dest: yucai, stage: .primary, ppm: 80_000)]
        }
        for p in urbanPrimaries {
            schools[p].routes[1] = [Route(dest: no3, stage: .junior, ppm: 380_000),
                                    Route(dest: no4, stage: .junior, ppm: 300_000),
                                    Route(dest: no1, stage: .junior, ppm: 220_000),
                                    Route(dest: yucai, stage: .junior, ppm: 70_000)]
        }
        schools[yucai].routes[1] = [Route(dest: yucai, stage: .junior, ppm: 850_000),
                                    Route(dest: no1, stage: .junior, ppm: 120_000)]
        schools[special].routes[1] = [Route(dest: special, stage: .junior, ppm: 950_000)]
        var juniors = [no1, no3, no4, yucai]

        // 镇 (seven towns).
        var townComplete = no1
        for t in 0..<7 {
            let local = 3 + t
            let town = townNames[local]
            let central = add(town + "中心小学", .primary, .primary, urbanRural: .town, township: local, openedYear: oldYear()) {
                $0.base[1] = size(185); $0.staffRatioTenths = 150
            }
            var village: Int?
            if [0, 1, 2, 4, 5].contains(t) {
                let v = nextPlace() + "村"
                let closes = t == 1
                village = add(town + v + "小学", .primary, .primary, urbanRural: .rural, township: local,
                              openedYear: rng.int(in: 1955...1985), village: v) {
                    $0.base[1] = size(closes ? 32 : 50); $0.classTarget[1] = 40; $0.staffRatioTenths = 110
                    $0.fixedStaff = 3
                    if closes { $0.closeYear = mergerYear }
                }
                if closes, let village {
                    schools[village].record.closed = CivilDate(year: mergerYear, month: 8, day: 31)
                    schools[village].record.mergedIntoID = schools[central].record.id
                    schools[central].absorbs = village
                    mergers.append((closed: village, receiving: central))
                }
            }
            if [0, 1, 3, 5].contains(t) {
                let v = nextPlace() + "村"
                let point = add(town + v + "教学点", .primary, .teachingPoint, urbanRural: .rural, township: local,
                                openedYear: rng.int(in: 1955...1985), central: central, village: v) {
                    $0.base[1] = size(12); $0.classTarget[1] = 100; $0.staffRatioTenths = 120; $0.fixedStaff = 1
                }
                schools[point].promotesTo = central
            }
            let middle: Int
            if t == 3 {
                middle = add(town + "中学", .completeSecondary, .complete, urbanRural: .town, township: local,
                             openedYear: oldYear()) { $0.staffRatioTenths = 115 }
                townComplete = middle
            } else {
                middle = add(town + "中学", .juniorSecondary, .junior, urbanRural: .town, township: local,
                             openedYear: oldYear()) { $0.staffRatioTenths = 120 }
            }
            juniors.append(middle)
            let kg = add(town + "中心幼儿园", .kindergarten, .kindergarten, urbanRural: .town, township: local,
                         openedYear: rng.int(in: 1975...2005)) { $0.base[0] = size(185); $0.staffRatioTenths = 90 }
            var kgs = [kg]
            if t == 0 {
                kgs.append(add(town + "蓓蕾幼儿园", .kindergarten, .kindergarten, ownership: .privateSchool,
                               urbanRural: .town, township: local, openedYear: rng.int(in: 2008...2016)) {
                    $0.base[0] = size(100); $0.classTarget[0] = 25; $0.staffRatioTenths = 95
                })
            }
            if [0, 2, 4].contains(t) {
                _ = add(town + "成人文化技术学校", .adult, .adult, urbanRural: .town, township: local, openedYear: oldYear()) {
                    $0.fixedStaff = 5
                }
            }
            for k in kgs {
                var routes = [Route(dest: central, stage: .primary, ppm: village == nil ? 890_000 : 800_000),
                              Route(dest: exp1, stage: .primary, ppm: 50_000)]
                if let village { routes.append(Route(dest: village, stage: .primary, ppm: 90_000)) }
                schools[k].routes[0] = routes
            }
            for p in [central] + (village.map { [$0] } ?? []) {
                schools[p].routes[1] = [Route(dest: middle, stage: .junior, ppm: 920_000),
                                        Route(dest: no1, stage: .junior, ppm: 30_000),
                                        Route(dest: no3, stage: .junior, ppm: 30_000)]
            }
        }

        // 乡 (two rural townships).
        for x in 0..<2 {
            let local = 10 + x
            let name = townNames[local]
            let central = add(name + "中心小学", .primary, .primary, urbanRural: .rural, township: local, openedYear: oldYear()) {
                $0.base[1] = size(78); $0.staffRatioTenths = 120; $0.classTarget[1] = 40
            }
            let v = nextPlace() + "村"
            let point = add(name + v + "教学点", .primary, .teachingPoint, urbanRural: .rural, township: local,
                            openedYear: rng.int(in: 1955...1985), central: central, village: v) {
                $0.base[1] = size(10); $0.classTarget[1] = 100; $0.staffRatioTenths = 120; $0.fixedStaff = 1
            }
            schools[point].promotesTo = central
            let nine = add(name + "学校", .nineYear, .nineYear, urbanRural: .rural, township: local, openedYear: oldYear()) {
                $0.base[1] = size(33); $0.classTarget[1] = 40; $0.classTarget[2] = 45; $0.staffRatioTenths = 115
            }
            juniors.append(nine)
            let kg = add(name + "中心幼儿园", .kindergarten, .kindergarten, urbanRural: .rural, township: local,
                         openedYear: rng.int(in: 1985...2010)) { $0.base[0] = size(90); $0.staffRatioTenths = 95 }
            schools[kg].routes[0] = [Route(dest: central, stage: .primary, ppm: 820_000),
                                     Route(dest: nine, stage: .primary, ppm: 130_000)]
            schools[central].routes[1] = [Route(dest: nine, stage: .junior, ppm: 950_000),
                                          Route(dest: no3, stage: .junior, ppm: 20_000)]
            schools[nine].routes[1] = [Route(dest: nine, stage: .junior, ppm: 970_000)]
        }

        // 中考: 55% to 普通高中, 30% to 中职, the rest leave the district's schools.
        for j in juniors {
            schools[j].routes[2] = [Route(dest: no2, stage: .senior, ppm: 250_000),
                                    Route(dest: no1, stage: .senior, ppm: 200_000),
                                    Route(dest: townComplete, stage: .senior, ppm: 100_000),
                                    Route(dest: vocational, stage: .vocational, ppm: 300_000)]
        }
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    // MARK: Cohorts

    func cohortSlot(_ school: Int, _ stage: Int, _ year: Int) -> Int {
        (school * 5 + stage) * cohortYears + (year - minYear)
    }

    /// Planned pupils of the cohort that entered `stage` of `school` in `year`.
    func cohort(_ school: Int, _ stage: Stage, _ year: Int) -> Int {
        guard year >= minYear, year <= latestYear else { return 0 }
        return Int(cohortTotal[cohortSlot(school, stage.demoIndex, year)])
    }

    /// Pupils of that cohort whom the school itself brings in (not graduates of the district's own schools).
    func ownIntake(_ school: Int, _ stage: Stage, _ year: Int) -> Int {
        guard year >= minYear, year <= latestYear else { return 0 }
        return Int(cohortOwn[cohortSlot(school, stage.demoIndex, year)])
    }

    func classes(_ school: Int, _ stage: Stage, _ year: Int) -> Int {
        guard year >= minYear, year <= latestYear else { return 0 }
        return Int(cohortClasses[cohortSlot(school, stage.demoIndex, year)])
    }

    /// The school that teaches a school's pupils in `year`: itself, or the school it was merged into.
    func resolve(_ school: Int, year: Int) -> Int {
        var s = school
        var guardCount = 0
        while let close = schools[s].closeYear, year >= close, let into = schools[s].record.mergedIntoID,
              guardCount < 8 {
            s = Int(into.rawValue) - 1
            guardCount += 1
        }
        return s
    }

    private func designedIntake(_ s: Int, _ stage: Stage, _ year: Int) -> Int {
        let plan = schools[s]
        var value = plan.base[stage.demoIndex]
        guard value > 0 else { return 0 }
        let birthYear = year - stage.demoFirstGrade.demoTypicalAge
        value = value * DemoTables.birthFactor(birthYear) / 1000
        value = value * max(400, 1000 + plan.trendPerMille * (year - firstYear)) / 1000
        var noise = DemoRandom(seed: seed, 2, UInt64(s), UInt64(stage.demoIndex), UInt64(year))
        value = value * noise.int(in: 960...1040) / 1000
        return value
    }

    private mutating func computeCohorts() {
        let count = schools.count * 5 * cohortYears
        cohortTotal = Array(repeating: 0, count: count)
        cohortOwn = Array(repeating: 0, count: count)
        cohortClasses = Array(repeating: 0, count: count)
        var inflow = Array(repeating: 0, count: schools.count * 5)
        for year in minYear...latestYear {
            for i in inflow.indices { inflow[i] = 0 }
            // Graduates of earlier cohorts arriving this year.
            for p in schools.indices {
                for st in DemoTables.stages where !schools[p].routes[st.demoIndex].isEmpty {
                    let entered = year - st.demoLength
                    guard entered >= minYear else { continue }
                    let graduates = cohort(p, st, entered) * 97 / 100
                    for r in schools[p].routes[st.demoIndex] {
                        let dest = resolve(r.dest, year: year)
                        inflow[dest * 5 + r.stage.demoIndex] += graduates * r.ppm / 1_000_000
                    }
                }
            }
            for s in schools.indices {
                guard schools[s].exists(in: year) else { continue }
                for st in schools[s].stages where schools[s].teaches(st.demoFirstGrade) {
                    var designed = designedIntake(s, st, year)
                    if let absorbed = schools[s].absorbs, let close = schools[absorbed].closeYear, year >= close {
                        designed += designedIntake(absorbed, st, year)
                    }
                    let arriving = inflow[s * 5 + st.demoIndex]
                    let own = max(designed - arriving, arriving * 2 / 100)
                    let total = arriving + own
                    let slot = cohortSlot(s, st.demoIndex, year)
                    cohortTotal[slot] = Int32(total)
                    cohortOwn[slot] = Int32(own)
                    cohortClasses[slot] = Int32(classCount(for: s, stage: st, year: year, pupils: total))
                }
            }
        }
    }

    /// Classes planned for a cohort: the school's class size, except in the old cohorts of a
    /// crowded urban school, which were packed into 大班额 classes (56–65) that the district
    /// has since eliminated.
    private func classCount(for s: Int, stage: Stage, year: Int, pupils: Int) -> Int {
        guard pupils > 0 else { return 0 }
        let plan = schools[s]
        if plan.role == .teachingPoint { return 1 }
        let target = plan.classTarget[stage.demoIndex]
        if plan.crowded {
            let oldest = stage == .primary ? firstYear - 4 : firstYear - 1
            if year <= oldest {
                // Sized on the pupils still there on the first day of the window.
                let remaining = pupils * (100 - 2 * max(0, firstYear - year)) / 100
                // 56–63 per class: 大班额, but 超大班额 only where a class is weighted so.
                return max(1, remaining / 58, (remaining + 62) / 63)
            }
        }
        // Enough classes that none exceeds the planned size on the first day.
        return max(1, (pupils + target - 1) / target)
    }

    // MARK: Classes

    func classSlot(_ school: Int, _ year: Int, _ grade: GradeLevel) -> Int {
        (school * windowYears + (year - firstYear)) * DemoTables.gradeCount + grade.demoIndex
    }

    /// The cohort (entry year) of pupils in `grade` in `year` who were never held back.
    func cohortYear(of grade: GradeLevel, in year: Int) -> Int {
        year - DemoTables.yearInStage[grade.demoIndex] + 1
    }

    private mutating func planClasses() {
        let count = schools.count * windowYears * DemoTables.gradeCount
        classFirst = Array(repeating: 0, count: count)
        classCount = Array(repeating: 0, count: count)
        var next: Int64 = 1
        for s in schools.indices {
            for year in firstYear...latestYear where schools[s].exists(in: year) {
                for g in schools[s].grades {
                    let n = classes(s, g.stage, cohortYear(of: g, in: year))
                    let slot = classSlot(s, year, g)
                    classFirst[slot] = next
                    classCount[slot] = Int32(n)
                    next += Int64(n)
                }
            }
        }
        totalClasses = Int(next - 1)
        classWeight = Array(repeating: 100, count: totalClasses + 1)
        // One 超大班额 class (≥66) in the oldest crowded cohort of each unit's first crowded
        // primary and junior school: they graduate after the first year.
        var marked = Set<Int>()
        for s in schools.indices where schools[s].crowded {
            let grade: GradeLevel
            switch schools[s].role {
            case .primary: grade = .p6
            case .junior: grade = .j3
            default: continue
            }
            let key = schools[s].unit * 2 + (grade == .p6 ? 0 : 1)
            guard !marked.contains(key) else { continue }
            marked.insert(key)
            let slot = classSlot(s, firstYear, grade)
            if classCount[slot] >= 3 { classWeight[Int(classFirst[slot])] = 122 }
        }
    }

    /// First class id and number of classes of a grade in a school and year (0 classes if none).
    func classRange(_ school: Int, _ year: Int, _ grade: GradeLevel) -> (first: Int64, count: Int) {
        guard year >= firstYear, year <= latestYear else { return (0, 0) }
        let slot = classSlot(school, year, grade)
        return (classFirst[slot], Int(classCount[slot]))
    }

    private mutating func planTransferTargets() {
        transferTargets = Array(repeating: Array(repeating: [], count: DemoTables.gradeCount), count: scale.units)
        for s in schools.indices {
            let plan = schools[s]
            guard plan.role != .special, plan.role != .teachingPoint, plan.role != .adult else { continue }
            for g in plan.grades { transferTargets[plan.unit][g.demoIndex].append(s) }
        }
        transferWeight = schools.indices.map { max(1, expectedEnrolment($0, year: firstYear + 2)) }
        maxTransferWeight = transferWeight.max() ?? 1
    }

    /// Pupils expected in a school on a date's school year, from the cohort plan (for staffing).
    func expectedEnrolment(_ s: Int, year: Int) -> Int {
        var total = 0
        for g in schools[s].grades {
            let entered = cohortYear(of: g, in: year)
            total += cohort(s, g.stage, entered) * (100 - 2 * (year - entered)) / 100
        }
        return total
    }
}
