import ClassAssignment
import EduLedgerCore
import EduLedgerStorage
import Foundation

/// One finished class draw for the demo district, so the bureau view and the public
/// verification page are not empty: the first primary school (by code) with at least two
/// 一年级 classes this school year draws its enrolled 一年级 pupils from the registry, with a
/// stated public seed, draws class labels and locks the result. Runs after the demo data (and
/// its pinned digest); every step is audited like a clerk's.
public enum DrawDemo {
    public static let actor = ActingUser(login: "system:demo", displayName: "演示数据生成")

    /// The id of the draw made, or nil when no school qualifies or a draw already exists.
    @discardableResult
    public static func create(in database: Database, today: CivilDate) async throws -> Int64? {
        let registry = SQLRegistryStore(database: database)
        let draws = SQLDrawStore(database: database)
        let year = SchoolYear(containing: today)
        guard try await draws.draws(schoolIDs: nil).isEmpty else { return nil }
        let schools = try await registry.schools(SchoolFilter(type: .primary, openOn: today))
            .sorted { $0.code.utf8.lexicographicallyPrecedes($1.code.utf8) }
        for school in schools {
            let classCount = try await registry.classes(schoolID: school.id, year: year).filter { $0.grade == .p1 }.count
            guard classCount >= 2 else { continue }
            let page = try await registry.students(StudentQuery(date: today, schoolIDs: [school.id], grade: .p1, limit: 5000))
            guard page.items.count >= classCount * 2 else { continue }
            let csv = DrawActions.registryRosterCSV(page.items.map(\.student))
            let file = Data(csv.text.utf8)
            let fileName = "学籍库一年级名单.csv"
            let columns = DrawActions.registryColumns
            let roster = try RosterFile.read(data: file, fileName: fileName, columns: columns, classCount: classCount)
            var draw = try await draws.create(schoolID: school.id, year: year, grade: .p1, classCount: classCount,
                                              columnsJSON: DrawActions.json(columns), by: actor)
            draw = try await draws.setRoster(draw.id, fileName: fileName, file: file, hash: roster.rosterHash,
                                             studentCount: roster.students.count, columnsJSON: DrawActions.json(columns),
                                             classCount: classCount, by: actor)
            draw = try await draws.publish(draw.id, by: actor)
            let parts = ["\(year.startYear)0901", "3957", "0712"]
            let sources = [("开学日期（公开值）", "公开值"), ("家长代表 甲", "家长代表"), ("监督员 乙", "监督员")]
            for (value, source) in zip(parts, sources) {
                draw = try await draws.addSeedPart(draw.id, value: value, enteredBy: source.0, capacity: source.1, by: actor)
            }
            let seed = try DrawSeed.compose(parts: parts)
            draw = try await draws.fixSeed(draw.id, seed: seed, by: actor)
            let published = try DrawWorkflow.run(roster: roster, columns: columns, classCount: classCount, seedParts: parts,
                                                 drawnBy: actor.displayName, drawnAt: Date().ISO8601Format())
            draw = try await draws.assign(draw.id, recordJSON: String(decoding: try published.json(), as: UTF8.self), by: actor)
            let labels = try ClassLottery.drawLabels((1...classCount).map { "一年级(\($0))班" }, seed: seed)
            draw = try await draws.setLottery(draw.id, .labels, json: DrawActions.json(labels), by: actor)
            draw = try await draws.lock(draw.id, by: actor)
            return draw.id
        }
        return nil
    }
}
