import EduLedgerCore

extension DemoGenerator {
    /// The demo's class draw as a fact, as the web app's demo makes it in the database: the first
    /// primary school (by code) open on 9月1日 of the last year with at least two 一年级 classes and
    /// at least two pupils a class draws its 一年级 into those classes, with a seed of a stated
    /// public value, a parent representative's and a supervisor's numbers, and locks the result.
    public static func demoDraws(in facts: IndicatorFacts) -> [DrawFact] {
        let year = facts.years.upperBound
        let day = SchoolYear(year).referenceDate
        let schools = facts.schools
            .filter { $0.type == .primary && $0.opened <= day && ($0.closed.map { day < $0 } ?? true) }
            .sorted { $0.code.utf8.lexicographicallyPrecedes($1.code.utf8) }
        for school in schools {
            let classCount = facts.classes.filter { $0.schoolID == school.id && $0.schoolYear.startYear == year && $0.grade == .p1 }.count
            guard classCount >= 2 else { continue }
            let pupils = Set(facts.enrolments.filter { $0.schoolID == school.id && $0.grade == .p1 && $0.covers(day) }.map(\.studentID)).count
            guard pupils >= classCount * 2 else { continue }
            return [DrawFact(id: 1, schoolID: school.id, schoolYear: year, grade: .p1, state: "locked", classCount: classCount,
                             studentCount: pupils, seedCapacities: ["公开值", "家长代表", "监督员"], seedEnteredInPublic: true,
                             verifiable: true)]
        }
        return []
    }
}
