import ArgumentParser
import EduLedgerCore
import Foundation

/// `eduledger students list|show|add`
struct StudentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "students", abstract: "学生：列表、详情（含学籍变动历史）、登记", subcommands: [List.self, Show.self, Add.self])

    struct RowJSON: Encodable {
        var student: Student
        var enrolment: Enrolment
        var schoolCode: String
        var schoolName: String
    }

    static func flags(_ f: StudentFlags) -> String {
        var parts: [String] = []
        if f.leftBehind { parts.append("留守") }
        if f.migrantWorkerChild { parts.append("随迁") }
        if let d = f.disability { parts.append(d.rawValue + (f.inclusiveClass ? "（随班就读）" : "")) }
        if let p = f.poverty { parts.append(p.rawValue) }
        if f.boarding { parts.append("寄宿") }
        return parts.joined(separator: "、")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出在校学生（按日期）")
        @Option(help: "年级，如 一年级、七年级、初一") var grade: GradeLevel?
        @OptionGroup var list: ListOptions
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                let on = try list.referenceDate()
                try await db.withStore { store in
                    let page = try await store.students(StudentQuery(
                        date: on, schoolIDs: try await list.schoolScope(store), grade: grade, search: list.search,
                        offset: list.offset, limit: list.limit))
                    let schools = Dictionary(uniqueKeysWithValues: try await store.schools(SchoolFilter()).map { ($0.id, $0) })
                    if list.json {
                        try printJSON(page.items.map {
                            RowJSON(student: $0.student, enrolment: $0.enrolment,
                                    schoolCode: schools[$0.enrolment.schoolID]?.code ?? "",
                                    schoolName: schools[$0.enrolment.schoolID]?.name ?? "")
                        })
                        return
                    }
                    var table = TextTable(header: ["学籍号", "姓名", "性别", "出生日期", "学校", "年级", "标记"])
                    for r in page.items {
                        table.rows.append([r.student.studentNumber, r.student.name, r.student.gender.rawValue,
                                           r.student.birthDate.description, schools[r.enrolment.schoolID]?.name ?? "",
                                           r.enrolment.grade.name, StudentsCommand.flags(r.student.flags)])
                    }
                    print(table.render())
                    print("共\(page.total)人，显示第\(page.total == 0 ? 0 : list.offset + 1)–\(list.offset + page.items.count)人（\(on.chinese)在校）")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "学生详情与学籍变动历史")
        @Argument(help: "学籍号或身份证号") var key: String
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        struct ShowJSON: Encodable { var student: Student; var enrolments: [Enrolment] }

        func run() async throws {
            try await reportingErrors {
                try await db.withStore { store in
                    var found = try await store.student(number: key)
                    if found == nil { found = try await store.student(number: "G" + key.uppercased()) }
                    guard let s = found else { throw RegistryError.notFound(kind: "学生（学籍号或身份证号）", key: key) }
                    let history = try await store.enrolments(studentID: s.id)
                    if json { try printJSON(ShowJSON(student: s, enrolments: history)); return }
                    let schools = Dictionary(uniqueKeysWithValues: try await store.schools(SchoolFilter()).map { ($0.id, $0) })
                    print("\(s.name)　\(s.gender.rawValue)　出生日期 \(s.birthDate.description)　\(s.ethnicity)")
                    print("学籍号：\(s.studentNumber)　身份证号：\(s.residentID?.value ?? "（无）")　户口：\(s.hukouType.rawValue)")
                    let f = StudentsCommand.flags(s.flags)
                    if !f.isEmpty { print("标记：\(f)") }
                    print("学籍变动历史：")
                    var table = TextTable(header: ["起", "止", "学校", "年级", "班级", "入因", "离因"])
                    for e in history {
                        var className = ""
                        if let cid = e.classID, let c = try await store.schoolClass(id: cid) { className = c.name }
                        table.rows.append([e.from.description, e.until?.description ?? "至今", schools[e.schoolID]?.name ?? "",
                                           e.grade.name, className, e.entry.rawValue, e.exit?.rawValue ?? ""])
                    }
                    print(table.render())
                }
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记学生并建立学籍（新生入学或转入）")
        @Option(help: "姓名") var name: String
        @Option(help: "居民身份证号（出生日期与性别由其推出）") var id: String?
        @Option(help: "无身份证号时的出生日期 YYYY-MM-DD") var birthDate: String?
        @Option(help: "无身份证号时的性别：男/女") var gender: String?
        @Option(help: "学籍号（默认 G+身份证号）") var number: String?
        @Option(help: "学校标识码") var school: String
        @Option(help: "年级") var grade: GradeLevel
        @Option(help: "班号") var classNumber: Int?
        @Option(help: "入学日期 YYYY-MM-DD") var date: String
        @Option(help: "入学方式：新生入学 或 转入") var entry: String = EntryReason.intake.rawValue
        @Option(help: "民族") var ethnicity: String = "汉族"
        @Flag(help: "留守儿童") var leftBehind = false
        @Flag(help: "进城务工人员随迁子女") var migrant = false
        @Flag(help: "寄宿生") var boarding = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                let start = try parseDate(date, field: "入学日期")
                guard let entryReason = EntryReason(rawValue: entry), [.intake, .transferIn].contains(entryReason) else {
                    throw ValidationError("入学方式应为“新生入学”或“转入”")
                }
                let residentID = try id.map { try ResidentID($0) }
                let birth: CivilDate
                let sex: Gender
                if let r = residentID {
                    birth = try birthDate.map { try parseDate($0, field: "出生日期") } ?? r.birthDate
                    sex = try gender.map { g in
                        guard let v = Gender(text: g) else { throw ValidationError("性别应为“男”或“女”") }
                        return v
                    } ?? r.gender
                } else {
                    guard let b = birthDate, let g = gender else {
                        throw ValidationError("没有身份证号时须提供 --birth-date 和 --gender")
                    }
                    birth = try parseDate(b, field: "出生日期")
                    guard let v = Gender(text: g) else { throw ValidationError("性别应为“男”或“女”") }
                    sex = v
                }
                guard let studentNumber = number ?? residentID.map({ "G" + $0.value }) else {
                    throw ValidationError("没有身份证号时须提供 --number（学籍号）")
                }
                let student = Student(id: .unsaved, studentNumber: studentNumber, name: name, gender: sex, birthDate: birth,
                                      residentID: residentID, ethnicity: ethnicity,
                                      flags: StudentFlags(leftBehind: leftBehind, migrantWorkerChild: migrant, boarding: boarding))
                try await db.withStore { store in
                    let (saved, enrolment) = try await RegistryService(store: store).admit(
                        student, schoolCode: school, grade: grade, classNumber: classNumber, from: start,
                        entry: entryReason, by: .commandLine)
                    print("已登记：\(saved.name)（学籍号 \(saved.studentNumber)），\(enrolment.from.chinese)起在\(school) \(enrolment.grade.name)")
                }
            }
        }
    }
}
