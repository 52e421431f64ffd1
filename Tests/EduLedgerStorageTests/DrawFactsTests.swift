import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Testing

/// The class draws as indicator facts: only the draws of the years asked for, who entered the
/// seed, and whether the stored record names the published roster hash and the fixed seed.
@Suite("Class draws in the indicator facts")
struct DrawFactsTests {
    static let clerk = ActingUser(login: "registrar-x", displayName: "学籍管理员")

    /// A draw taken to `assigned` with the given seed parts and stored record.
    static func draw(_ draws: SQLDrawStore, school: SchoolID, parts: [(String, String)], record: String) async throws -> Int64 {
        let file = Data("学籍号,姓名,性别,成绩\n1,甲,男,90\n2,乙,女,80\n3,丙,男,70\n".utf8)
        let d = try await draws.create(schoolID: school, year: SmallDistrict.year, grade: .p1, classCount: 2, columnsJSON: "{}", by: clerk)
        _ = try await draws.setRoster(d.id, fileName: "a.csv", file: file, hash: "h1", studentCount: 3, columnsJSON: "{}", classCount: 2, by: clerk)
        _ = try await draws.publish(d.id, by: clerk)
        for (value, capacity) in parts {
            _ = try await draws.addSeedPart(d.id, value: value, enteredBy: "某人", capacity: capacity, by: clerk)
        }
        _ = try await draws.fixSeed(d.id, seed: parts.map(\.0).joined(separator: "+"), by: clerk)
        _ = try await draws.assign(d.id, recordJSON: record, by: clerk)
        return d.id
    }

    @Test("seeded in public and verifiable are read from the stored draw", arguments: TestBackend.available)
    func facts(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let draws = SQLDrawStore(database: store.database)
            let good = #"{"columns":{},"record":{"rosterHash":"h1","settings":{"seed":"12+34"},"seedParts":["12","34"]}}"#
            let a = try await Self.draw(draws, school: d.primary.id, parts: [("12", "家长代表"), ("34", "监督员")], record: good)
            // Only public values typed by the clerk: made after publishing, but nobody present typed a part.
            let onlyPublic = #"{"record":{"rosterHash":"h1","settings":{"seed":"0901"},"seedParts":["0901"]}}"#
            let b = try await Self.draw(draws, school: d.primary.id, parts: [("0901", "公开值")], record: onlyPublic)
            // A record naming another roster cannot be checked against what was published.
            let wrong = #"{"record":{"rosterHash":"other","settings":{"seed":"5"},"seedParts":["5"]}}"#
            let c = try await Self.draw(draws, school: d.primary.id, parts: [("5", "家长代表")], record: wrong)
            // A draft counts nowhere.
            _ = try await draws.create(schoolID: d.primary.id, year: SmallDistrict.year, grade: .p1, classCount: 2, columnsJSON: "{}", by: Self.clerk)

            let loader = IndicatorFactsLoader(database: store.database)
            let y = SmallDistrict.year.startYear
            let facts = try await loader.drawFacts(years: y...y)
            #expect(facts.map(\.id) == [a, b, c, facts.last?.id ?? 0])
            let byID = Dictionary(uniqueKeysWithValues: facts.map { ($0.id, $0) })
            #expect(byID[a]?.seedEnteredInPublic == true && byID[a]?.verifiable == true && byID[a]?.isHeld == true)
            #expect(byID[a]?.seedCapacities == ["家长代表", "监督员"] && byID[a]?.studentCount == 3 && byID[a]?.classCount == 2)
            #expect(byID[b]?.seedEnteredInPublic == false && byID[b]?.verifiable == true)
            #expect(byID[c]?.seedEnteredInPublic == true && byID[c]?.verifiable == false)
            #expect(facts.last?.isHeld == false)
            #expect(try await loader.drawFacts(years: (y + 1)...(y + 1)).isEmpty)
            // The full snapshot carries them.
            #expect(try await loader.load(years: y...y).draws.count == 4)
        }
    }
}
