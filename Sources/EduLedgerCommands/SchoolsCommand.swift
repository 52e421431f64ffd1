import ArgumentParser
import EduLedgerCore
import Foundation

extension SchoolType: ExpressibleByArgument {
    public init?(argument: String) { self.init(text: argument) }
}
extension GradeLevel: ExpressibleByArgument {
    public init?(argument: String) { self.init(text: argument) }
}

/// `eduledger schools list|show|add|merge|close`
struct SchoolsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schools", abstract: "学校：列表、详情、登记", subcommands: [List.self, Show.self, Add.self, Merge.self, Close.self])

    struct SchoolJSON: Encodable {
        var school: School
        var township: String?
        var status: String
    }

    static func status(_ s: School, on date: CivilDate, names: [SchoolID: String]) -> String {
        if let closed = s.closed, closed < date {
            if let into = s.mergedIntoID { return "\(closed.description)并入\(names[into] ?? into.description)" }
            return "\(closed.description)停办"
        }
        return s.opened > date ? "\(s.opened.description)开办" : "在办"
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出学校（默认只列在办学校）")
        @Option(help: "乡镇代码") var township: String?
        @Option(help: "办学类型，如 小学、初中、九年一贯制") var type: SchoolType?
        @Flag(help: "包括已撤并、停办的学校") var all = false
        @Option(help: "日期 YYYY-MM-DD（默认本学年9月1日）") var date: String?
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                let on = try date.map { try parseDate($0, field: "日期") } ?? currentReferenceDate()
                try await db.withStore { store in
                    let townships = try await store.townships()
                    var filter = SchoolFilter(type: type, openOn: all ? nil : on)
                    if let code = township {
                        guard let t = townships.first(where: { $0.code == code || $0.name == code }) else {
                            throw RegistryError.notFound(kind: "乡镇", key: code)
                        }
                        filter.townshipID = t.id
                    }
                    let schools = try await store.schools(filter)
                    let everything = try await store.schools(SchoolFilter())
                    let names = Dictionary(uniqueKeysWithValues: everything.map { ($0.id, $0.name) })
                    let townshipNames = Dictionary(uniqueKeysWithValues: townships.map { ($0.id, $0.name) })
                    if json {
                        try printJSON(schools.map {
                            SchoolJSON(school: $0, township: townshipNames[$0.townshipID],
                                       status: SchoolsCommand.status($0, on: on, names: names))
                        })
                        return
                    }
                    var table = TextTable(header: ["学校标识码", "学校名称", "类型", "性质", "城乡", "乡镇（街道）", "状态"])
                    for s in schools {
                        table.rows.append([s.code, s.name, s.type.rawValue, s.ownership.rawValue, s.urbanRural.rawValue,
                                           townshipNames[s.townshipID] ?? "", SchoolsCommand.status(s, on: on, names: names)])
                    }
                    print(table.render())
                    print("共\(schools.count)所")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "学校详情与本学年各班人数")
        @Argument(help: "学校标识码") var code: String
        @Option(help: "日期 YYYY-MM-DD（默认本学年9月1日）") var date: String?
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        struct ClassJSON: Encodable { var schoolClass: SchoolClass; var name: String; var students: Int }
        struct ShowJSON: Encodable { var school: School; var classes: [ClassJSON]; var students: Int }

        func run() async throws {
            try await reportingErrors {
                let on = try date.map { try parseDate($0, field: "日期") } ?? currentReferenceDate()
                try await db.withStore { store in
                    guard let s = try await store.school(code: code) else {
                        throw RegistryError.notFound(kind: "学校", key: code)
                    }
                    let classes = try await store.classes(schoolID: s.id, year: SchoolYear(containing: on))
                    var rows: [ClassJSON] = []
                    for c in classes {
                        let n = try await store.students(StudentQuery(date: on, schoolIDs: [s.id], classID: c.id, limit: 0)).total
                        rows.append(ClassJSON(schoolClass: c, name: c.name, students: n))
                    }
                    let total = try await store.students(StudentQuery(date: on, schoolIDs: [s.id], limit: 0)).total
                    if json { try printJSON(ShowJSON(school: s, classes: rows, students: total)); return }
                    let names = Dictionary(uniqueKeysWithValues: try await store.schools(SchoolFilter()).map { ($0.id, $0.name) })
                    print("\(s.name)（\(s.code)）")
                    print("类型：\(s.type.rawValue)　性质：\(s.ownership.rawValue)　城乡：\(s.urbanRural.rawValue)")
                    print("开办：\(s.opened.description)　状态：\(SchoolsCommand.status(s, on: on, names: names))")
                    if let central = s.centralSchoolID { print("所属中心校：\(names[central] ?? central.description)") }
                    if !s.campuses.isEmpty { print("校区：\(s.campuses.joined(separator: "、"))") }
                    print("\(on.chinese)在校学生\(total)人，班级\(classes.count)个")
                    var table = TextTable(header: ["班级", "人数", "班额"])
                    for r in rows {
                        let size = r.students >= 66 ? "超大班额" : r.students >= 56 ? "大班额" : ""
                        table.rows.append([r.name, String(r.students), size])
                    }
                    if !rows.isEmpty { print(table.render()) }
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记新学校")
        @Option(help: "10位学校标识码") var code: String
        @Option(help: "学校名称") var name: String
        @Option(help: "办学类型") var type: SchoolType
        @Option(help: "公办 或 民办") var ownership: String = "公办"
        @Option(help: "城区、镇区 或 乡村") var urbanRural: String = "城区"
        @Option(help: "所属乡镇代码或名称") var township: String
        @Option(help: "开办日期 YYYY-MM-DD") var opened: String
        @Option(help: "教学点所属中心校的学校标识码") var central: String?
        @Option(help: "地址") var address: String = ""
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                guard let own = Ownership(rawValue: ownership) else { throw ValidationError("办学性质应为“公办”或“民办”") }
                guard let ur = UrbanRural(rawValue: urbanRural) else { throw ValidationError("城乡分类应为“城区”“镇区”或“乡村”") }
                let openedDate = try parseDate(opened, field: "开办日期")
                try await db.withStore { store in
                    guard let t = try await store.townships().first(where: { $0.code == township || $0.name == township }) else {
                        throw RegistryError.notFound(kind: "乡镇", key: township)
                    }
                    var centralID: SchoolID?
                    if let central {
                        guard let c = try await store.school(code: central) else {
                            throw RegistryError.notFound(kind: "中心校", key: central)
                        }
                        centralID = c.id
                    }
                    let school = School(id: .unsaved, code: code, name: name, type: type, ownership: own, urbanRural: ur,
                                        townshipID: t.id, centralSchoolID: centralID, address: address, opened: openedDate)
                    let saved = try await RegistryService(store: store).addSchool(school, by: .commandLine)
                    print("已登记：\(saved.name)（\(saved.code)）")
                }
            }
        }
    }
}
