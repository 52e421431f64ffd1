import ArgumentParser
import EduLedgerCore
import Foundation

/// `eduledger staff list|show|add`
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff", abstract: "教职工：列表、详情、登记", subcommands: [List.self, Show.self, Add.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出在职教职工")
        @Option(help: "岗位：专任教师、行政人员、教辅人员、工勤人员") var post: String?
        @OptionGroup var list: ListOptions
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                let on = try list.referenceDate()
                let postValue = try post.map { p in
                    guard let v = StaffPost(rawValue: p) else { throw ValidationError("岗位“\(p)”无效") }
                    return v
                }
                try await db.withStore { store in
                    let page = try await store.staff(StaffQuery(
                        date: on, schoolIDs: try await list.schoolScope(store), post: postValue, search: list.search,
                        offset: list.offset, limit: list.limit))
                    if list.json { try printJSON(page.items); return }
                    let schools = Dictionary(uniqueKeysWithValues: try await store.schools(SchoolFilter()).map { ($0.id, $0.name) })
                    var table = TextTable(header: ["教职工号", "姓名", "性别", "学校", "岗位", "学历", "职称", "任教学科"])
                    for m in page.items {
                        table.rows.append([m.staffNumber, m.name, m.gender.rawValue, m.schoolID.flatMap { schools[$0] } ?? "教育局",
                                           m.post.rawValue, m.qualification.rawValue, m.title.rawValue,
                                           m.subjects.joined(separator: "、")])
                    }
                    print(table.render())
                    print("共\(page.total)人，显示第\(page.total == 0 ? 0 : list.offset + 1)–\(list.offset + page.items.count)人")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "教职工详情")
        @Argument(help: "教职工号") var number: String
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                try await db.withStore { store in
                    guard let m = try await store.staffMember(number: number) else {
                        throw RegistryError.notFound(kind: "教职工", key: number)
                    }
                    if json { try printJSON(m); return }
                    let school = try await m.schoolID.asyncMap { try await store.school(id: $0) } ?? nil
                    print("\(m.name)　\(m.gender.rawValue)　出生日期 \(m.birthDate.description)　教职工号 \(m.staffNumber)")
                    print("单位：\(school?.name ?? "教育局")　岗位：\(m.post.rawValue)\(m.established ? "（在编）" : "（非在编）")")
                    print("学历：\(m.qualification.rawValue)　职称：\(m.title.rawValue)\(m.backbone ? "　骨干教师" : "")")
                    if !m.subjects.isEmpty { print("任教学科：\(m.subjects.joined(separator: "、"))") }
                    if let c = m.certificate { print("教师资格：\(c.level.rawValue)（\(c.number)）") }
                    print("入职：\(m.hired.description)" + (m.left.map { "　离职：\($0.description)" } ?? ""))
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记教职工")
        @Option(help: "教职工号") var number: String
        @Option(help: "姓名") var name: String
        @Option(help: "居民身份证号") var id: String
        @Option(help: "学校标识码（不填为教育局机关）") var school: String?
        @Option(help: "岗位") var post: String = StaffPost.fullTimeTeacher.rawValue
        @Option(help: "最高学历：专科、本科、硕士研究生…") var qualification: String = Qualification.bachelor.rawValue
        @Option(help: "职称") var title: String = ProfessionalTitle.none.rawValue
        @Option(help: "任教学科，用逗号分隔") var subjects: String = ""
        @Option(help: "入职日期 YYYY-MM-DD") var hired: String
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                let rid = try ResidentID(id)
                guard let p = StaffPost(rawValue: post) else { throw ValidationError("岗位“\(post)”无效") }
                guard let q = Qualification(rawValue: qualification) else { throw ValidationError("学历“\(qualification)”无效") }
                guard let t = ProfessionalTitle(rawValue: title) else { throw ValidationError("职称“\(title)”无效") }
                let member = StaffMember(
                    id: .unsaved, staffNumber: number, name: name, gender: rid.gender, birthDate: rid.birthDate,
                    residentID: rid, schoolID: nil, post: p, qualification: q, title: t,
                    subjects: subjects.split(whereSeparator: { $0 == "," || $0 == "，" || $0 == "、" }).map(String.init),
                    hired: try parseDate(hired, field: "入职日期"))
                try await db.withStore { store in
                    let saved = try await RegistryService(store: store).addStaff(member, schoolCode: school, by: .commandLine)
                    print("已登记：\(saved.name)（教职工号 \(saved.staffNumber)）")
                }
            }
        }
    }
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let v = self else { return nil }
        return try await transform(v)
    }
}
