import EduLedgerCore

// MARK: Stage and grade helpers

extension Stage {
    /// Position in `Stage.allCases` (学前 0 … 中职 4), for table indexing.
    var demoIndex: Int {
        switch self {
        case .preschool: return 0
        case .primary: return 1
        case .junior: return 2
        case .senior: return 3
        case .vocational: return 4
        }
    }
    var demoGrades: [GradeLevel] { DemoTables.gradesOfStage[demoIndex] }
    var demoLength: Int { demoGrades.count }
    var demoFirstGrade: GradeLevel { demoGrades[0] }
}

extension GradeLevel {
    var demoNext: GradeLevel? { DemoTables.nextGrade[demoIndex] }
    var demoTypicalAge: Int { DemoTables.typicalAge[demoIndex] }
}

extension GradeLevel {
    /// Position in `GradeLevel.allCases` (小班 0 … 中职三年级 17).
    var demoIndex: Int {
        switch self {
        case .k1: return 0
        case .k2: return 1
        case .k3: return 2
        case .p1: return 3
        case .p2: return 4
        case .p3: return 5
        case .p4: return 6
        case .p5: return 7
        case .p6: return 8
        case .j1: return 9
        case .j2: return 10
        case .j3: return 11
        case .s1: return 12
        case .s2: return 13
        case .s3: return 14
        case .v1: return 15
        case .v2: return 16
        case .v3: return 17
        }
    }
}

enum DemoTables {
    static let stages = Stage.allCases
    static let gradesOfStage: [[GradeLevel]] = Stage.allCases.map { s in GradeLevel.allCases.filter { $0.stage == s } }
    static let gradeCount = 18
    /// Years in stage of each grade (1-based), by grade index.
    static let yearInStage: [Int] = GradeLevel.allCases.map { $0.yearInStage }
    /// The grade after each grade (nil at the end of a stage), and each grade's usual age —
    /// tables, because the core computes them by filtering all grades on every call.
    static let nextGrade: [GradeLevel?] = GradeLevel.allCases.map { $0.next }
    static let typicalAge: [Int] = GradeLevel.allCases.map { $0.typicalAge }

    /// Relative size of a birth year's cohort (‰ of 2016): the national births fell from
    /// 17.9 million (2016) to 9.0 million (2023); a district that gains families from the
    /// countryside sees a damped version of that fall, so kindergartens shrink first.
    static func birthFactor(_ year: Int) -> Int {
        switch year {
        case ..<2013: return 930
        case 2013: return 950
        case 2014: return 990
        case 2015: return 960
        case 2016: return 1000
        case 2017: return 980
        case 2018: return 900
        case 2019: return 870
        case 2020: return 780
        case 2021: return 730
        case 2022: return 690
        case 2023: return 670
        default: return 690
        }
    }
}
