import EduLedgerCore
import Testing
@testable import EduLedgerIndicators

@Suite("Indicator definitions on hand-made data")
struct IndicatorDefinitionTests {
    @Test("every indicator has a complete written definition and a unique id")
    func definitionsComplete() {
        let defs = IndicatorEngine.definitions
        #expect(defs.count > 100)
        #expect(Set(defs.map(\.id)).count == defs.count)
        for d in defs {
            #expect(!d.nameZH.isEmpty && !d.nameEN.isEmpty && !d.numerator.isEmpty && !d.records.isEmpty, "\(d.id)")
            if d.factor != .count { #expect(d.denominator != nil, "\(d.id) is a ratio without denominator text") }
        }
    }

    @Test("在校生数 counts the periods covering 9月1日, by stage, grade and gender")
    func headcounts() throws {
        var b = FactsBuilder()
        let p = b.school(1)
        let j = b.school(2, .juniorSecondary, township: FactsBuilder.t2, zone: nil, urbanRural: .rural)
        _ = b.pupils(3, p, .p1, year: 2025)
        _ = b.pupils(2, p, .p2, year: 2025, gender: .female)
        _ = b.pupils(4, j, .j1, year: 2025)
        // Left on 8月31日: not enrolled on 9月1日.
        let gone = b.pupil()
        b.period(gone, p, .p3, from: "2024-09-01", until: "2025-09-01", exit: .transferredOut)
        // Starts on 9月2日: not in the 9月1日 figure.
        let late = b.pupil()
        b.period(late, p, .p3, from: "2025-09-02", entry: .transferIn)
        let report = try IndicatorEngine(facts: b.facts(2025...2025)).compute()
        #expect(report.value("students.total", year: 2025)?.value == 9)
        #expect(report.value("students.primary", year: 2025)?.value == 5)
        #expect(report.value("students.primary.female", year: 2025)?.value == 2)
        #expect(report.value("students.grade.p3", year: 2025)?.value == 0)
        #expect(report.value("students.junior", year: 2025)?.value == 4)
        #expect(report.value("students.junior", year: 2025, unit: "431102101")?.value == 4)
        #expect(report.value("students.junior", year: 2025, unit: "431102001")?.value == 0)
        #expect(report.value("students.total", year: 2025, unit: "乡村")?.value == 4)
        #expect(report.value("students.total", year: 2025, unit: "公办")?.value == 9)
    }

    @Test("班额: sizes on 9月1日, 大班额 56–65 and 超大班额 ≥66 with shares")
    func classSizes() throws {
        var b = FactsBuilder()
        let p = b.school(1)
        let c1 = b.schoolClass(1, school: p, year: 2025, grade: .p1, number: 1)
        let c2 = b.schoolClass(2, school: p, year: 2025, grade: .p1, number: 2)
        let c3 = b.schoolClass(3, school: p, year: 2025, grade: .p2, number: 1)
        _ = b.schoolClass(4, school: p, year: 2025, grade: .p3, number: 1)  // empty: not counted
        _ = b.pupils(55, p, .p1, year: 2025, classID: c1)
        _ = b.pupils(66, p, .p1, year: 2025, classID: c2)
        _ = b.pupils(56, p, .p2, year: 2025, classID: c3)
        let r = try IndicatorEngine(facts: b.facts(2025...2025)).compute()
        #expect(r.value("classes.primary", year: 2025)?.value == 3)
        #expect(r.value("large_classes.primary", year: 2025)?.value == 1)
        #expect(r.value("huge_classes.primary", year: 2025)?.value == 1)
        let share = try #require(r.value("large_classes_share.primary", year: 2025)?.value)
        #expect(abs(share - 100.0 / 3) < 1e-9)
        #expect(r.value("class_size.primary", year: 2025)?.value == 59)
        // No junior classes at all: the average is undefined, not 0.
        let junior = try #require(r.value("class_size.junior", year: 2025))
        #expect(junior.value == nil)
        #expect(r.definition("class_size.junior")?.format(junior.value) == "无定义（分母为0）")
        #expect(r.definition("large_classes_share.primary")?.format(share) == "33.33%")
    }

    @Test("年辍学率: dropouts of the school year not back by its end ÷ enrolled at its start")
    func dropoutRate() throws {
        var b = FactsBuilder()
        let p = b.school(1)
        _ = b.pupils(8, p, .p3, year: 2024)
        let out = b.pupil()
        b.period(out, p, .p3, from: "2024-09-01", until: "2025-03-01", exit: .droppedOut)
        let back = b.pupil()
        b.period(back, p, .p3, from: "2024-09-01", until: "2024-11-01", exit: .droppedOut)
        b.period(back, p, .p3, from: "2025-05-01", entry: .returnFromDropout)
        let r = try IndicatorEngine(facts: b.facts(2024...2025)).compute(indicators: ["dropout_rate.primary"])
        let v = try #require(r.value("dropout_rate.primary", year: 2025))
        #expect(v.numerator == 1 && v.denominator == 10)
        #expect(v.value == 10)
        // 2024's school year (2023–24) has no records: undefined, and so is the change.
        #expect(r.value("dropout_rate.primary", year: 2024)?.value == nil)
        #expect(v.change == nil)
        let engine = IndicatorEngine(facts: b.facts(2024...2025))
        let drill = try engine.drillDown(indicatorID: "dropout_rate.primary", unit: engine.unit(kind: .district, key: nil), year: 2025)
        #expect(drill.numerator == [RecordRef(.student, out.rawValue)])
        #expect(drill.denominator.count == 10)
    }

    @Test("毕业率 and 升学率 (小升初) follow the graduates to 七年级 on the next 9月1日")
    func graduationAndProgression() throws {
        var b = FactsBuilder()
        let p = b.school(1)
        let j = b.school(2, .juniorSecondary)
        var grads: [StudentID] = []
        for _ in 0..<3 {
            let s = b.pupil(age: 11)
            b.period(s, p, .p6, from: "2024-09-01", until: "2025-07-01", exit: .graduated)
            grads.append(s)
        }
        let moved = b.pupil(age: 11)
        b.period(moved, p, .p6, from: "2024-09-01", until: "2025-01-10", exit: .transferredOut)
        b.period(grads[0], j, .j1, from: "2025-09-01")
        b.period(grads[1], j, .j1, from: "2025-09-01")
        let r = try IndicatorEngine(facts: b.facts(2025...2025)).compute()
        #expect(r.value("graduation_rate.primary", year: 2025)?.value == 75)
        let prog = try #require(r.value("progression_rate.primary", year: 2025)?.value)
        #expect(abs(prog - 200.0 / 3) < 1e-9)
        #expect(r.definition("progression_rate.primary")?.format(prog) == "66.67%")
        // Junior has no graduates: undefined.
        #expect(r.value("progression_rate.junior", year: 2025)?.value == nil)
    }

    @Test("初中三年巩固率 follows the 七年级 cohort; transfers out leave the cohort, dropouts stay in it")
    func juniorRetention() throws {
        var b = FactsBuilder()
        let j = b.school(2, .juniorSecondary)
        for _ in 0..<3 {
            let s = b.pupil(age: 12, ageYear: 2023)
            b.period(s, j, .j1, from: "2023-09-01", until: "2024-09-01", exit: .promoted)
            b.period(s, j, .j2, from: "2024-09-01", until: "2025-09-01", entry: .promotion, exit: .promoted)
            b.period(s, j, .j3, from: "2025-09-01", entry: .promotion)
        }
        let moved = b.pupil(age: 12, ageYear: 2023)
        b.period(moved, j, .j1, from: "2023-09-01", until: "2024-03-01", exit: .transferredOut)
        let dropped = b.pupil(age: 12, ageYear: 2023)
        b.period(dropped, j, .j1, from: "2023-09-01", until: "2024-03-01", exit: .droppedOut)
        // Joined in 八年级: not part of the cohort.
        let newcomer = b.pupil(age: 13, ageYear: 2024)
        b.period(newcomer, j, .j2, from: "2024-09-01", until: "2025-09-01", entry: .transferIn, exit: .promoted)
        b.period(newcomer, j, .j3, from: "2025-09-01", entry: .promotion)
        let r = try IndicatorEngine(facts: b.facts(2023...2025)).compute(indicators: ["retention_rate.junior"])
        let v = try #require(r.value("retention_rate.junior", year: 2025))
        #expect(v.numerator == 3 && v.denominator == 4)
        #expect(v.value == 75)
        #expect(r.value("retention_rate.junior", year: 2024)?.value == nil)
    }

    @Test("入学率 against the population of the township where the child lives; undefined without population data")
    func enrolmentRate() throws {
        var b = FactsBuilder()
        let p = b.school(1)
        // 9 local pupils of primary age; one pupil registered elsewhere (not in the numerator).
        for k in 0..<9 {
            let s = b.pupil(age: 6 + k % 6, ageYear: 2025, hukou: FactsBuilder.t1)
            b.period(s, p, .p1, from: "2025-09-01")
        }
        let migrant = b.pupil(age: 7, ageYear: 2025, hukou: nil, flags: StudentFlags(migrantWorkerChild: true))
        b.period(migrant, p, .p2, from: "2025-09-01")
        for age in 6...11 {
            b.population.append(SchoolAgePopulation(year: SchoolYear(2025), townshipID: FactsBuilder.t1, age: age, gender: .male,
                                                    count: age == 6 ? 10 : 1))
        }
        // A pupil registered in 王家镇 but at school in 东城街道 counts in 王家镇.
        let commuter = b.pupil(age: 8, ageYear: 2025, hukou: FactsBuilder.t2)
        b.period(commuter, p, .p3, from: "2025-09-01")
        let engine = IndicatorEngine(facts: b.facts(2025...2025))
        let r = try engine.compute()
        // 9 local pupils and the migrant pupil (living where they go to school) of 15 children.
        let local = try #require(r.value("enrolment_rate.primary", year: 2025, unit: "431102001"))
        #expect(local.numerator == 10 && local.denominator == 15)
        #expect(r.definition("enrolment_rate.primary")?.format(local.value) == "66.67%")
        // The district adds the commuter to the numerator but has no population for 王家镇.
        #expect(r.value("enrolment_rate.primary", year: 2025)?.numerator == 11)
        // 王家镇 has no population data: undefined, never 0% or 100%.
        #expect(r.value("enrolment_rate.primary", year: 2025, unit: "431102101")?.value == nil)
        #expect(r.value("enrolment_rate.junior", year: 2025)?.value == nil)
        // Not reported per school: population data are per township.
        #expect(!r.values.contains { $0.indicatorID == "enrolment_rate.primary" && $0.unit.kind == .school })
        #expect(r.value("students.migrant", year: 2025)?.value == 1)
        let drill = try engine.drillDown(indicatorID: "enrolment_rate.primary", unit: engine.unit(kind: .district, key: nil),
                                         year: 2025)
        #expect(drill.numerator.count == 11 && drill.denominator.count == 6)
        #expect(drill.numerator.contains(RecordRef(.student, migrant.rawValue)))
    }

    @Test("生师比 and 专任教师学历合格率 (小学 专科及以上)")
    func teachers() throws {
        var b = FactsBuilder()
        let p = b.school(1)
        _ = b.pupils(21, p, .p1, year: 2025)
        b.teacher(p, .associate)
        b.teacher(p, .highSchool)
        b.teacher(p, .master)
        b.teacher(p, .bachelor, post: .administrator)
        let r = try IndicatorEngine(facts: b.facts(2025...2025)).compute()
        #expect(r.value("pupil_teacher_ratio.primary", year: 2025)?.value == 7)
        #expect(r.definition("pupil_teacher_ratio")?.format(7) == "7.0:1")
        let q = try #require(r.value("teacher_qualification_rate.primary", year: 2025)?.value)
        #expect(abs(q - 200.0 / 3) < 1e-9)
        #expect(r.value("teacher_qualification_rate.junior", year: 2025)?.value == nil)
    }

    @Test("the change from last year is in 百分点 for rates")
    func changeInPoints() throws {
        var b = FactsBuilder()
        let p = b.school(1)
        // 2024: 2 of 4 graduates go on; 2025: 3 of 4.
        for (year, onward) in [(2024, 2), (2025, 3)] {
            for k in 0..<4 {
                let s = b.pupil(age: 11, ageYear: year - 1)
                b.period(s, p, .p6, from: "\(year - 1)-09-01", until: "\(year)-07-01", exit: .graduated)
                if k < onward {
                    let j = b.school(Int64(10 + year % 10 * 4 + k), .juniorSecondary)
                    b.period(s, j, .j1, from: "\(year)-09-01")
                }
            }
        }
        let r = try IndicatorEngine(facts: b.facts(2024...2025)).compute(indicators: ["progression_rate.primary"])
        let v = try #require(r.value("progression_rate.primary", year: 2025))
        #expect(v.value == 75 && v.previous == 50 && v.change == 25)
        #expect(r.definition("progression_rate.primary")?.formatChange(v.change) == "+25.00个百分点")
    }

    @Test("UIS flow rates by grade add up to 100%")
    func uisRates() throws {
        var b = FactsBuilder()
        let p = b.school(1)
        for k in 0..<10 {
            let s = b.pupil(age: 8, ageYear: 2024)
            if k < 7 {
                b.period(s, p, .p3, from: "2024-09-01", until: "2025-09-01", exit: .promoted)
                b.period(s, p, .p4, from: "2025-09-01", entry: .promotion)
            } else if k < 9 {
                b.period(s, p, .p3, from: "2024-09-01", until: "2025-09-01", exit: .repeated)
                b.period(s, p, .p3, from: "2025-09-01", entry: .repetition)
            } else {
                b.period(s, p, .p3, from: "2024-09-01", until: "2025-02-01", exit: .transferredOut)
            }
        }
        let r = try IndicatorEngine(facts: b.facts(2025...2025)).compute()
        #expect(r.value("uis.promotion.p3", year: 2025)?.value == 70)
        #expect(r.value("uis.repetition.p3", year: 2025)?.value == 20)
        #expect(r.value("uis.dropout.p3", year: 2025)?.value == 10)
        #expect(r.value("uis.promotion.p4", year: 2025)?.value == nil)
        // The nine-year estimate needs every grade: undefined here.
        #expect(r.value("retention_rate.nine_year", year: 2025)?.value == nil)
    }
}
