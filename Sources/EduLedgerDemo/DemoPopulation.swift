import EduLedgerCore

/// 适龄人口: the children of one age living in one township on a reference date (9月1日), the
/// denominator of 入学率 and 入园率. The demo derives it from its own pupils so that the rates
/// come out as a district reports them, instead of inventing a second, inconsistent population.
public struct DemoPopulationRow: Sendable, Codable, Hashable {
    public var townshipID: TownshipID
    /// The school year whose reference date (9月1日) the count is taken on.
    public var year: SchoolYear
    /// Full years of age on that date.
    public var age: Int
    public var persons: Int
}

extension DemoRun {
    /// Ages counted: 3–5 (学前三年), 6–11 (小学), 12–14 (初中), 15–17 (高中阶段).
    static let populationAges = 3...17

    func populationSlot(_ township: Int, _ year: Int, _ age: Int) -> Int {
        (township * plan.windowYears + (year - plan.firstYear)) * DemoRun.populationAges.count
            + (age - DemoRun.populationAges.lowerBound)
    }

    /// Share (‰) of the children of an age who are enrolled in the district's schools: 入园率
    /// about 90% in the city, 82% in town, 70% in the countryside; 小学 99.8%; 初中 99%;
    /// 高中阶段 90%. Persons = pupils enrolled ÷ share, rounded up.
    static func enrolledShare(age: Int, kind: Township.Kind) -> Int {
        switch age {
        case ..<6:
            switch kind {
            case .street: return 900
            case .town: return 820
            case .township: return 700
            }
        case 6...11: return 998
        case 12...14: return 990
        default: return 900
        }
    }

    /// The school-age population of every township, year of the window and age 3–17, ordered by
    /// township, year and age; complete once `nextBatch()` has returned `nil`.
    ///
    /// Pupils count in the township of their household registration, or (registered elsewhere,
    /// 随迁子女) in the township of their school. Dividing the pupils of an age by these persons
    /// gives the shares of `enrolledShare`, up to rounding and pupils older than their grade.
    public func schoolAgePopulation() -> [DemoPopulationRow] {
        var rows: [DemoPopulationRow] = []
        rows.reserveCapacity(plan.townships.count * plan.windowYears * DemoRun.populationAges.count)
        for (t, township) in plan.townships.enumerated() {
            for year in plan.firstYear...plan.latestYear {
                for age in DemoRun.populationAges {
                    let enrolled = Int(enrolledByAge[populationSlot(t, year, age)])
                    let share = DemoRun.enrolledShare(age: age, kind: township.kind)
                    rows.append(DemoPopulationRow(townshipID: township.id, year: SchoolYear(year), age: age,
                                                  persons: (enrolled * 1000 + share - 1) / share))
                }
            }
        }
        return rows
    }
}
