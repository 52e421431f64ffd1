import EduLedgerCore

extension DemoGenerator {
    /// The generated district as indicator facts in memory, without a database: what the
    /// indicator and report tests and benchmarks compute on, so they need not load SQL first.
    /// Casework is not included (it is generated against a store).
    public func indicatorFacts(years: ClosedRange<Int>) -> IndicatorFacts {
        var run = makeRun()
        var statistics = DemoStatistics(generator: self)
        var facts = IndicatorFacts(years: years)
        while let b = run.nextBatch() {
            statistics.add(b)
            if let d = b.districts.first { facts.district = d }
            facts.townships += b.townships
            facts.zones += b.zones
            facts.schools += b.schools
            facts.classes += b.classes
            facts.students += b.students.map(StudentFact.init)
            facts.enrolments += b.enrolments
            facts.staff += b.staff.map(StaffFact.init)
        }
        let stats = statistics.makeBatch()
        facts.population = stats.population
        facts.resources = stats.resources
        return facts
    }
}
