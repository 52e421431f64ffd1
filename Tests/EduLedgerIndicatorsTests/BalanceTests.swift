import EduLedgerCore
import Testing
@testable import EduLedgerIndicators

@Suite("优质均衡: 差异系数 and the per-school check")
struct BalanceTests {
    static let pupils = [45, 37, 89, 76, 55]
    static let books = [279.0, 137, 935, 160, 402]

    @Test("the published example: weighted CV 0.515, not the unweighted 0.489")
    func publishedExample() throws {
        let cv = try #require(Balance.coefficientOfVariation(students: Self.pupils, resource: Self.books))
        #expect(abs(cv - 0.515) < 0.0005)
        #expect(IndicatorDefinition.fixed(cv, 3) == "0.515")
        // The unweighted CV of the per-pupil figures (the common mistake) is 0.489.
        let x = zip(Self.books, Self.pupils).map { $0 / Double($1) }
        let mean = x.reduce(0, +) / Double(x.count)
        let unweighted = (x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(x.count)).squareRoot() / mean
        #expect(abs(unweighted - 0.489) < 0.0005)
        #expect(abs(cv - unweighted) > 0.02)
    }

    @Test("the same example through the engine, from pupils' and schools' records")
    func exampleThroughEngine() throws {
        var b = FactsBuilder()
        for (k, n) in Self.pupils.enumerated() {
            let s = b.school(Int64(k + 1), township: k < 3 ? FactsBuilder.t1 : FactsBuilder.t2)
            _ = b.pupils(n, s, .p3, year: 2025)
            b.resources.append(SchoolResources(schoolID: s, year: SchoolYear(2025), teachingArea: 0, sportsArea: 0,
                                               equipmentValue: .zero, books: Int(Self.books[k]), multimediaClassrooms: 0))
        }
        let engine = IndicatorEngine(facts: b.facts(2025...2025))
        let r = try engine.compute(indicators: ["cv.primary.books", "balance.primary.books"])
        let cv = try #require(r.value("cv.primary.books", year: 2025)?.value)
        #expect(r.definition("cv.primary.books")?.format(cv) == "0.515")
        #expect(r.value("cv.primary.books", year: 2025)?.numerator == 5)
        // x̄ is the total per pupil: 1913 books / 302 pupils.
        let mean = try #require(r.value("balance.primary.books", year: 2025)?.value)
        #expect(abs(mean - 1913.0 / 302) < 1e-9)
        // Not computed per school (a single school has no dispersion).
        #expect(!r.values.contains { $0.indicatorID == "cv.primary.books" && $0.unit.kind == .school })
        // A township with one school has CV 0; the drill-down lists the schools.
        let t2 = try engine.unit(kind: .township, key: "431102101")
        let drill = try engine.drillDown(indicatorID: "cv.primary.books", unit: t2, year: 2025)
        #expect(drill.numerator.map(\.id) == [4, 5])
    }

    @Test("CV is undefined without pupils or without any of the resource")
    func cvUndefined() {
        #expect(Balance.coefficientOfVariation(students: [0, 0], resource: [10, 20]) == nil)
        #expect(Balance.coefficientOfVariation(students: [10, 20], resource: [0, 0]) == nil)
        #expect(Balance.coefficientOfVariation(students: [10, 10], resource: [50, 50]) == 0)
    }

    @Test("6 of 7 reached and the seventh at least 85% of its standard")
    func sixOfSeven() {
        var values: [BalanceItem: Double] = [
            .higherQualified: 4.2, .backbone: 1.0, .peArts: 0.9, .teachingArea: 4.5, .sportsArea: 7.5,
            .equipment: 2000, .multimedia: 2.3,
        ]
        #expect(Balance.judge(stage: .primary, values: values).passes)
        values[.sportsArea] = 7.5 * 0.86
        #expect(Balance.judge(stage: .primary, values: values).passes)
        #expect(Balance.judge(stage: .primary, values: values).reachedCount == 6)
        values[.sportsArea] = 7.5 * 0.84
        #expect(!Balance.judge(stage: .primary, values: values).passes)
        values[.sportsArea] = 7.5
        values[.equipment] = 1900
        values[.multimedia] = 2.2
        #expect(!Balance.judge(stage: .primary, values: values).passes)
        // Junior standards are higher.
        values[.equipment] = 2000
        values[.multimedia] = 2.3
        #expect(!Balance.judge(stage: .junior, values: values).passes)
    }

    @Test("per-school figures: teaching points count with the central school; staff-based items from staff records")
    func perSchoolFigures() throws {
        var b = FactsBuilder()
        let central = b.school(1)
        let point = b.school(2, central: 1)
        _ = b.pupils(150, central, .p4, year: 2025)
        _ = b.pupils(50, point, .p1, year: 2025)
        for k in 0..<10 { b.teacher(central, k < 9 ? .associate : .highSchool, backbone: k < 2, subjects: k < 2 ? ["体育"] : ["数学"]) }
        b.resources.append(SchoolResources(schoolID: central, year: SchoolYear(2025), teachingArea: 900, sportsArea: 1500,
                                           equipmentValue: Money(fen: 40_000_000), books: 5000, multimediaClassrooms: 4))
        b.resources.append(SchoolResources(schoolID: point, year: SchoolYear(2025), teachingArea: 100, sportsArea: 100,
                                           equipmentValue: Money(fen: 2_000_000), books: 500, multimediaClassrooms: 1))
        let r = try IndicatorEngine(facts: b.facts(2025...2025)).compute()
        let c = "2143110201"
        #expect(approx(r.value("balance.primary.teaching_area", year: 2025, unit: c)?.value, 5))
        #expect(approx(r.value("balance.primary.sports_area", year: 2025, unit: c)?.value, 8))
        #expect(approx(r.value("balance.primary.equipment", year: 2025, unit: c)?.value, 2100))
        #expect(approx(r.value("balance.primary.multimedia", year: 2025, unit: c)?.value, 2.5))
        #expect(approx(r.value("balance.primary.higher_qualified", year: 2025, unit: c)?.value, 4.5))
        #expect(approx(r.value("balance.primary.backbone", year: 2025, unit: c)?.value, 1))
        #expect(approx(r.value("balance.primary.pe_arts", year: 2025, unit: c)?.value, 1))
        // All seven reached.
        #expect(approx(r.value("balance.primary.schools_passing", year: 2025, unit: c)?.value, 100))
        #expect(r.value("balance.primary.schools_passing", year: 2025)?.denominator == 1)
        // The teaching point has no figures of its own.
        #expect(r.value("balance.primary.teaching_area", year: 2025, unit: "2143110202")?.value == nil)
    }
}

func approx(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) < 1e-9
}
