import EduLedgerCore
@testable import EduLedgerDemo
import Testing

@Suite("Demo district: school-age population")
struct DemoPopulationTests {
    let demo = DemoOutput.district

    @Test("population rows agree with the pupils and give plausible 入园率 and 入学率")
    func population() throws {
        let rows = demo.population
        #expect(rows.count == 12 * 5 * 15)
        let townships = Dictionary(uniqueKeysWithValues: demo.batches[0].townships.map { ($0.id, $0) })
        // Recount the pupils of each township, year and age from the records.
        struct Key: Hashable { let township: TownshipID; let year: Int; let age: Int }
        var enrolled: [Key: Int] = [:]
        for y in 2022...2026 {
            let ref = day(y, 9, 1)
            for e in demo.enrolled(on: ref) {
                let s = try #require(demo.students[e.studentID])
                let school = try #require(demo.schools[e.schoolID])
                let age = s.birthDate.age(on: ref)
                guard (3...17).contains(age) else { continue }
                enrolled[Key(township: s.hukouTownshipID ?? school.townshipID, year: y, age: age), default: 0] += 1
            }
        }
        var band: [String: (pupils: Int, persons: Int)] = [:]
        for r in rows {
            let n = enrolled[Key(township: r.townshipID, year: r.year.startYear, age: r.age)] ?? 0
            let kind = try #require(townships[r.townshipID]).kind
            let share = DemoRun.enrolledShare(age: r.age, kind: kind)
            #expect(r.persons == (n * 1000 + share - 1) / share)
            let name = r.age < 6 ? "学前" : r.age < 12 ? "小学" : r.age < 15 ? "初中" : "高中阶段"
            band[name, default: (0, 0)].pupils += n
            band[name, default: (0, 0)].persons += r.persons
        }
        func rate(_ name: String) -> Double { Double(band[name]?.pupils ?? 0) / Double(max(band[name]?.persons ?? 1, 1)) }
        #expect((0.72...0.9).contains(rate("学前")), "入园率 \(rate("学前"))")
        #expect((0.99...1.0).contains(rate("小学")), "小学 \(rate("小学"))")
        #expect((0.98...1.0).contains(rate("初中")), "初中 \(rate("初中"))")
        #expect((0.85...0.92).contains(rate("高中阶段")), "高中阶段 \(rate("高中阶段"))")
    }

    @Test("the async API hands the same population over at the end")
    func asyncPopulation() async throws {
        let received = PopulationBox()
        _ = try await DemoGenerator(seed: 1, scale: .district).generate(
            into: { _ in }, population: { rows in await received.set(rows) }, progress: { _, _ in })
        #expect(await received.rows == demo.population)
    }
}

actor PopulationBox {
    var rows: [DemoPopulationRow] = []
    func set(_ r: [DemoPopulationRow]) { rows = r }
}
