import EduLedgerCore
@testable import EduLedgerDemo
import Testing

@Suite("Demo scales and the determinism contract")
struct DemoScaleTests {
    @Test("the digest of seed 1 is pinned: the same output on every machine and toolchain")
    func pinnedDigest() {
        // If a deliberate change to the generator alters the output, update this value and say
        // so in the commit: it is the contract that a seed means the same district everywhere.
        #expect(DemoOutput.district.summary.digest == "a3f8ba8b82635d7f")
    }

    @Test("the city plan repeats the unit 25 times with unique codes")
    func cityPlan() {
        let plan = DemoPlan(seed: 3, scale: .city, latestYear: 2026)
        #expect(plan.townships.count == 25 * 12 && plan.schools.count == 25 * 60)
        #expect(Set(plan.townships.map(\.code)).count == plan.townships.count)
        #expect(Set(plan.schools.map(\.record.code)).count == plan.schools.count)
        #expect(Set(plan.unitCodes).count == 25)
        #expect(plan.unitCodes.allSatisfy { ResidentID.make(regionCode: $0, birthDate: day(2015, 3, 1), sequence: 1) != nil })
        #expect(plan.mergers.count == 25)
        #expect(plan.district.name == "清河市")
        // Planned enrolment on the latest reference date ≈ 1 million.
        let expected = plan.schools.indices.filter { plan.schools[$0].exists(in: 2026) }
            .reduce(0) { $0 + plan.expectedEnrolment($1, year: 2026) }
        #expect((900_000...1_150_000).contains(expected), "\(expected)")
    }

    @Test("the province plan keeps every code unique across 250 units")
    func provincePlanCodes() {
        let codes = (0..<DemoScale.province.units).map { DemoPlan.countyCode(unit: $0) }
        #expect(Set(codes).count == 250)
        #expect(codes.allSatisfy { $0.count == 6 && $0.hasPrefix("43") })
    }

    @Test("a different latest year shifts the window")
    func otherLatestYear() throws {
        var run = DemoGenerator(seed: 5, scale: .district, latestYear: SchoolYear(2025)).makeRun()
        var earliest: CivilDate?
        var latest: CivilDate?
        while let b = run.nextBatch() {
            for e in b.enrolments {
                earliest = min(earliest ?? e.from, e.from)
                latest = max(latest ?? e.from, e.from)
            }
        }
        #expect(earliest == day(2021, 9, 1) && latest == day(2025, 9, 1))
        #expect(run.summary.mergers.first?.closedOn == day(2023, 8, 31))
        #expect(run.summary.latestYear == SchoolYear(2025))
    }

    @Test("the summary prints in Chinese with the figures")
    func summaryText() {
        let s = DemoOutput.district.summary
        let text = s.description
        #expect(text.contains("清河区（431102）") && text.contains("在校 \(s.studentsOnReferenceDate) 人"))
        #expect(text.contains("撤并") && text.contains(s.digest))
    }

    @Test("the random streams are reproducible and spread evenly")
    func randomStreams() {
        var a = DemoRandom(seed: 42, 1, 2)
        var b = DemoRandom(seed: 42, 1, 2)
        var c = DemoRandom(seed: 42, 1, 3)
        let xs = (0..<100).map { _ in a.next() }
        #expect(xs == (0..<100).map { _ in b.next() })
        #expect(xs != (0..<100).map { _ in c.next() })
        var buckets = Array(repeating: 0, count: 10)
        for _ in 0..<100_000 { buckets[a.below(10)] += 1 }
        #expect(buckets.allSatisfy { (9_500...10_500).contains($0) })
        // SplitMix64 reference value for state 0 (first output of the published algorithm).
        var mix = SplitMix64(state: 0)
        #expect(mix.next() == 0xE220_A839_7B1D_CDAF)
    }
}
