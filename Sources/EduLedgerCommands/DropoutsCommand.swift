import ArgumentParser
import EduLedgerCore
import EduLedgerStorage
import Foundation

/// `eduledger dropouts …`: the 控辍保学 ledger — suspected dropouts reported by schools, home
/// visits, confirmation, outcomes, the schools' monthly reports and the county's quarterly review.
struct DropoutsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropouts", abstract: "控辍保学台账：疑似辍学登记、家访、确认、结果、学校月报与县级季度会商",
        subcommands: [DropoutListCommand.self, DropoutReportCommand.self, DropoutVisitCommand.self, DropoutConfirmCommand.self,
                      DropoutOutcomeCommand.self, DropoutSubmitCommand.self])
}

private func describe(_ c: DropoutCase, visits: [HomeVisit]) -> String {
    var lines = ["记录 \(c.id)：\(c.status.rawValue)，学生#\(c.studentID.rawValue)，\(c.grade.name)，自\(c.absentSince.chinese)缺勤，原因：\(c.reason)",
                 "  责任人：包村干部 \(c.villageCadre)；班主任 \(c.classTeacher)；登记 \(c.reportedBy) \(c.reportedOn)"]
    if let d = c.confirmedOn { lines.append("  确认辍学：\(d)") }
    for v in visits where v.caseID == c.id { lines.append("  家访 \(v.date)：\(v.visitors)——\(v.notes)") }
    if let o = c.outcome { lines.append("  结果：\(o.rawValue)（\(c.outcomeOn?.description ?? "")）\(c.outcomeNote ?? "")") }
    return lines.joined(separator: "\n")
}

struct DropoutListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "列出台账（可按学校）")
    @Option(help: "学校标识码") var school: String?
    @Flag(help: "以 JSON 输出") var json = false
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            try await db.withStore { store in
                var ids: Set<SchoolID>?
                if let code = school {
                    guard let s = try await store.school(code: code) else { throw RegistryError.notFound(kind: "学校", key: code) }
                    ids = [s.id]
                }
                let (cases, visits) = try await store.dropoutLedger(schoolIDs: ids)
                if json {
                    struct Out: Encodable { var cases: [DropoutCase]; var visits: [HomeVisit]; var reports: [DropoutReport] }
                    try printJSON(Out(cases: cases, visits: visits, reports: try await store.dropoutReports(schoolIDs: ids)))
                    return
                }
                if cases.isEmpty { print("没有控辍保学记录") }
                for c in cases { print(describe(c, visits: visits)) }
            }
        }
    }
}

struct DropoutReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "学校登记疑似辍学（名在人不在）")
    @Option(help: "学籍号") var student: String
    @Option(help: "开始缺勤日期 YYYY-MM-DD") var absentSince: String
    @Option(help: "登记日期（默认同缺勤日期）") var date: String?
    @Option(help: "原因") var reason: String = ""
    @Option(help: "包村干部") var cadre: String
    @Option(help: "班主任") var teacher: String
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let since = try parseDate(absentSince, field: "开始缺勤日期")
            let on = try date.map { try parseDate($0, field: "登记日期") } ?? since
            try await db.withStore { store in
                let c = try await RegistryService(store: store).reportSuspectedDropout(
                    studentNumber: student, absentSince: since, reportedOn: on, reason: reason, villageCadre: cadre, classTeacher: teacher,
                    by: who.user)
                print(describe(c, visits: []))
            }
        }
    }
}

struct DropoutVisitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "visit", abstract: "登记家访（日期、人员、谈话情况）")
    @Argument(help: "台账编号") var id: Int64
    @Option(help: "家访日期 YYYY-MM-DD") var date: String
    @Option(help: "家访人员") var visitors: String
    @Option(help: "谈话情况") var notes: String
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let day = try parseDate(date, field: "家访日期")
            try await db.withStore { store in
                let v = try await RegistryService(store: store).recordHomeVisit(caseID: id, date: day, visitors: visitors, notes: notes, by: who.user)
                print("已登记家访 \(v.id)：\(v.date) \(v.visitors)")
            }
        }
    }
}

struct DropoutConfirmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "confirm", abstract: "确认辍学（须已家访；学籍自缺勤之日以辍学结束）")
    @Argument(help: "台账编号") var id: Int64
    @Option(help: "确认日期 YYYY-MM-DD") var date: String
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let day = try parseDate(date, field: "确认日期")
            try await db.withStore { store in
                print(describe(try await RegistryService(store: store).confirmDropout(caseID: id, on: day, by: who.user), visits: []))
            }
        }
    }
}

struct DropoutOutcomeCommand: AsyncParsableCommand {
    enum Kind: String, ExpressibleByArgument {
        case returned, moved, exempt, stillOut = "still-out"
        var outcome: DropoutCase.Outcome {
            switch self {
            case .returned: return .returned
            case .moved: return .moved
            case .exempt: return .exempt
            case .stillOut: return .stillOut
            }
        }
    }
    static let configuration = CommandConfiguration(commandName: "outcome",
                                                    abstract: "登记结果：returned（劝返复学）、moved（迁出）、exempt（免修缓学）、still-out（仍未返校）")
    @Argument(help: "台账编号") var id: Int64
    @Option(help: "结果") var outcome: Kind
    @Option(help: "日期 YYYY-MM-DD") var date: String
    @Option(help: "说明") var note: String = ""
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let day = try parseDate(date, field: "日期")
            try await db.withStore { store in
                let c = try await RegistryService(store: store).recordDropoutOutcome(caseID: id, outcome: outcome.outcome, on: day,
                                                                                    note: note, by: who.user)
                print(describe(c, visits: []))
            }
        }
    }
}

struct DropoutSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit",
                                                    abstract: "提交学校月报（--school，--period 2025-10）或县级季度会商（--period 2025-Q4）")
    @Option(help: "学校标识码（不给为县级季度会商）") var school: String?
    @Option(help: "报告期：月报 YYYY-MM，季度 YYYY-Qn") var period: String
    @Option(help: "说明或会商意见") var notes: String = ""
    @OptionGroup var who: OperatorOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            try await db.withStore { store in
                var id: SchoolID?
                if let code = school {
                    guard let s = try await store.school(code: code) else { throw RegistryError.notFound(kind: "学校", key: code) }
                    id = s.id
                }
                let r = try await RegistryService(store: store).submitDropoutReport(period: period, schoolID: id, notes: notes, by: who.user)
                let c = r.counts
                print("\(r.kind.rawValue) \(r.period)：疑似\(c.suspected)、确认\(c.confirmed)、劝返\(c.returned)、迁出\(c.moved)、免修缓学\(c.exempt)、仍未返校\(c.stillOut)、家访\(c.visits)次")
            }
        }
    }
}

/// A few 控辍保学 cases in the demo district, so the ledger pages are not empty: a suspected case
/// with a visit, a confirmed case still out, and a case that ended with the pupil back at school.
/// Picks junior pupils enrolled on the day, deterministically (the first by student number).
public enum DropoutDemo {
    public static func seed(into store: some RegistryStore, on day: CivilDate) async throws -> Int {
        let service = RegistryService(store: store)
        let user = ActingUser(login: "system:demo", displayName: "演示数据生成")
        let juniors = try await store.students(StudentQuery(date: day, grade: .j2, offset: 0, limit: 3)).items
        guard juniors.count == 3 else { return 0 }
        let later = day.adding(days: 21)
        let people = [("张建国", "李老师"), ("王秀英", "赵老师"), ("刘德华", "陈老师")]
        for (k, row) in juniors.enumerated() {
            let c = try await service.reportSuspectedDropout(
                studentNumber: row.student.studentNumber, absentSince: day.adding(days: 14), reportedOn: day.adding(days: 17),
                reason: ["外出务工家长带走", "厌学", "家庭困难"][k], villageCadre: people[k].0, classTeacher: people[k].1, by: user)
            _ = try await service.recordHomeVisit(caseID: c.id, date: later, visitors: "\(people[k].0)、\(people[k].1)",
                                                  notes: ["家长称孩子随父母在外地，已联系当地学校核实", "学生表示不想读书，已做思想工作", "家庭经济困难，已申请资助"][k],
                                                  by: user)
            guard k > 0 else { continue }
            _ = try await service.confirmDropout(caseID: c.id, on: later.adding(days: 3), by: user)
            let outcome: DropoutCase.Outcome = k == 1 ? .stillOut : .returned
            _ = try await service.recordDropoutOutcome(caseID: c.id, outcome: outcome, on: later.adding(days: 30),
                                                       note: outcome == .returned ? "落实资助后返校" : "继续劝返", by: user)
        }
        return juniors.count
    }
}
