import EduLedgerCore

extension DemoGenerator {
    /// The generated district as indicator facts in memory, without a database: what the
    /// indicator and report tests and benchmarks compute on, so they need not load SQL first.
    /// Casework is the latest year's demo plan replayed through the case engine; the class draw
    /// is the one the web demo makes.
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
        facts.draws = Self.demoDraws(in: facts)
        if years.contains(latestYear.startYear) { facts.cases = demoCaseFacts(schools: facts.schools) }
        return facts
    }
}
