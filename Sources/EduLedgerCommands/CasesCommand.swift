import ArgumentParser
import EduLedgerCasework
import EduLedgerCore
import EduLedgerDemo
import EduLedgerStorage
import Foundation

/// `eduledger cases list|show|new|step|overdue`: casework from the command line, on the same
/// engine, store and audit log as the browser.
struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases", abstract: "案件办理：信访、人大建议、政协提案、安全隐患、行政许可、年检、违规查处",
        subcommands: [List.self, Show.self, New.self, Step.self, Overdue.self, SeedBench.self])

    /// Who the command acts as: a bureau role, or a school's safety officer (`--school`).
    struct ActorOptions: ParsableArguments {
        @Option(help: "以哪个角色办理（如 petitions、safety、licensing、office、leadership、safetyOfficer）") var role: String
        @Option(help: "办理人姓名（记入办理过程和审计日志）") var name: String?
        @Option(help: "学校标识码（以学校安全专干或校长身份办理时）") var school: String?
        @Option(help: "办理日期 YYYY-MM-DD（默认今天）") var date: String?

        func actor(_ registry: SQLRegistryStore) async throws -> CaseActor {
            guard let r = Role(rawValue: role) else {
                throw ValidationError("没有角色“\(role)”；可用：" + Role.allCases.map(\.rawValue).joined(separator: "、"))
            }
            var scope = AccountScope.district
            if r.scopeKind == .school {
                guard let code = school, let s = try await registry.school(code: code) else {
                    throw ValidationError("以“\(r.title)”办理须用 --school 指定存在的学校标识码")
                }
                scope = .school(s.id)
            } else if r.scopeKind != .district {
                throw ValidationError("命令行只能以局机关角色或学校角色办理")
            }
            return CaseActor(login: "cli:" + r.rawValue, displayName: name ?? r.title, role: r, scope: scope)
        }

        func day() throws -> CivilDate { try date.map { try parseDate($0, field: "办理日期") } ?? CasesCommand.today() }
    }

    struct InputOptions: ParsableArguments {
        @Option(name: .customLong("field"), help: "字段 名称=值（可重复），如 --field section=basicEducation") var fields: [String] = []
        @Option(name: .customLong("attach"), help: "附件文件路径（可重复）") var attachments: [String] = []

        func parsedFields() throws -> [String: String] {
            var out: [String: String] = [:]
            for f in fields {
                guard let eq = f.firstIndex(of: "=") else { throw ValidationError("字段“\(f)”应写成 名称=值") }
                out[String(f[..<eq])] = String(f[f.index(after: eq)...])
            }
            return out
        }

        func files() throws -> [CaseAttachment] {
            try attachments.map { path in
                let url = URL(fileURLWithPath: path)
                guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("无法读取附件“\(path)”") }
                let types = ["jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "pdf": "application/pdf",
                             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "txt": "text/plain"]
                return CaseAttachment(name: url.lastPathComponent, contentType: types[url.pathExtension.lowercased()] ?? "application/octet-stream",
                                      bytes: Array(data))
            }
        }
    }

    static func today() -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: c.year ?? 2025, month: c.month ?? 1, day: c.day ?? 1) ?? CivilDate(dayNumber: 0)
    }

    /// Runs `body` with the registry and the case store on the chosen database, reporting errors in Chinese.
    static func withCases(_ db: DatabaseOptions, _ body: (SQLRegistryStore, SQLCaseStore) async throws -> Void) async throws {
        try await reportingErrors {
            try await db.withStore { registry in
                try await body(registry, SQLCaseStore(database: registry.database, engine: CaseEngine(calendar: try WorkingDayCalendar.shipped())))
            }
        }
    }

    static func find(_ key: String, in store: SQLCaseStore) async throws -> CaseRecord {
        if let c = try await store.caseRecord(number: key) { return c }
        if let id = Int64(key), let c = try await store.caseRecord(id: id) { return c }
        throw CaseError.notFound
    }

    struct Row: Encodable {
        var id: Int64; var number: String; var kind: String; var title: String; var state: String; var section: String?
        var schoolID: Int64?; var receivedOn: String; var dueOn: String?; var deadlineStatus: String; var overdue: Bool; var escalated: Bool
        init(_ c: CaseRecord, engine: CaseEngine, today: CivilDate) {
            let status = engine.status(c, today: today)
            id = c.id; number = c.number; kind = c.kind.title; title = c.title; state = engine.workflow(c.kind).stateTitle(c.state)
            section = c.section?.title; schoolID = c.schoolID?.rawValue; receivedOn = c.receivedOn.description; dueOn = c.dueOn?.description
            deadlineStatus = status.chinese; overdue = status.isOverdue; escalated = c.escalated
        }
    }

    static func printRows(_ rows: [Row], total: Int) {
        var table = TextTable(header: ["编号", "类别", "标题", "状态", "承办", "登记", "期限", "期限状态"])
        for r in rows {
            table.rows.append([r.number, r.kind, String(r.title.prefix(20)), r.state, r.section ?? "—", r.receivedOn, r.dueOn ?? "—",
                               r.deadlineStatus])
        }
        print(table.render())
        print("共\(total)件")
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出案件")
        @Option(help: "类别：petition、deputyProposal、cppccProposal、hazard、licence、annualInspection、violation") var kind: String?
        @Flag(help: "只列未办结") var open = false
        @Option(help: "最多列出件数") var limit: Int = 100
        @Option(help: "期限状态按哪天计算 YYYY-MM-DD（默认今天）") var date: String?
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CasesCommand.withCases(db) { registry, store in
                let k = try kind.map { k in
                    guard let v = CaseKind(rawValue: k) else { throw ValidationError("没有类别“\(k)”") }
                    return v
                }
                let today = try date.map { try parseDate($0, field: "日期") } ?? CasesCommand.today()
                let page = try await store.cases(CaseQuery(kinds: k.map { [$0] }, openOnly: open, limit: max(1, limit)))
                let rows = page.items.map { Row($0, engine: store.engine, today: today) }
                if json { try printJSON(rows) } else { CasesCommand.printRows(rows, total: page.total) }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "显示一件案件及其办理过程")
        @Argument(help: "案件编号（如 XF2025-0001）或内部编号") var key: String
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CasesCommand.withCases(db) { registry, store in
                let c = try await CasesCommand.find(key, in: store)
                let steps = try await store.steps(caseID: c.id)
                if json {
                    struct Output: Encodable { var `case`: CaseRecord; var steps: [CaseStep] }
                    try printJSON(Output(case: c, steps: steps))
                    return
                }
                let flow = store.engine.workflow(c.kind)
                print("\(c.kind.title) \(c.number)：\(c.title)")
                print("状态：\(flow.stateTitle(c.state))\(c.escalated ? "（已督办）" : "")　承办：\(c.section?.title ?? "—")　登记：\(c.receivedOn)")
                print("期限：\(c.dueOn?.description ?? "—") \(c.dueLabel ?? "")　\(store.engine.status(c, today: CasesCommand.today()).chinese)")
                for k in c.fields.keys.sorted() { print("  \(k)：\(c.fields[k] ?? "")") }
                print("办理过程：")
                for s in steps {
                    print("  \(s.sequence). \(s.on) \(s.actionTitle) → \(flow.stateTitle(s.toState))（\(s.actor.displayName)）")
                    for k in s.fields.keys.sorted() { print("       \(k)：\(s.fields[k] ?? "")") }
                    for a in s.attachments { print("       附件：\(a.name) \(a.size)字节 SHA-256 \(a.sha256)") }
                }
            }
        }
    }

    struct New: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "登记新案件")
        @Option(help: "类别：petition、deputyProposal、cppccProposal、hazard、licence、annualInspection、violation") var kind: String
        @Option(help: "标题（默认取摘要）") var title: String = ""
        @OptionGroup var actor: ActorOptions
        @OptionGroup var input: InputOptions
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CasesCommand.withCases(db) { registry, store in
                guard let k = CaseKind(rawValue: kind) else { throw ValidationError("没有类别“\(kind)”") }
                let c = try await store.open(kind: k, title: title, fields: try input.parsedFields(), attachments: try input.files(),
                                             by: try await actor.actor(registry), on: try actor.day())
                if json { try printJSON(c) } else { print("已登记 \(c.kind.title) \(c.number)；期限 \(c.dueOn?.description ?? "无")") }
            }
        }
    }

    struct Step: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "办理一个步骤（如 assign、reply、issueNotice、reportRectified、accept）")
        @Argument(help: "案件编号或内部编号") var key: String
        @Argument(help: "步骤") var action: String
        @OptionGroup var actor: ActorOptions
        @OptionGroup var input: InputOptions
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CasesCommand.withCases(db) { registry, store in
                let c = try await CasesCommand.find(key, in: store)
                let next = try await store.take(action, caseID: c.id, by: try await actor.actor(registry), fields: try input.parsedFields(),
                                                attachments: try input.files(), on: try actor.day(), expectedVersion: c.version)
                if json { try printJSON(next) } else {
                    print("\(next.number)：\(store.engine.workflow(next.kind).stateTitle(next.state))；期限 \(next.dueOn?.description ?? "无")")
                }
            }
        }
    }

    struct Overdue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "列出超期和即将到期的案件；--escalate 记录超期督办")
        @Option(help: "按哪天计算 YYYY-MM-DD（默认今天）") var date: String?
        @Flag(help: "对超期案件记录督办（每个期限一次；行政许可逾期未告知的视为受理）") var escalate = false
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CasesCommand.withCases(db) { registry, store in
                let today = try date.map { try parseDate($0, field: "日期") } ?? CasesCommand.today()
                var escalated: [CaseStep] = []
                if escalate { escalated = try await store.escalateOverdue(today: today) }
                let soon = (try? store.engine.calendar.date(CaseEngine.dueSoonWorkingDays, workingDaysAfter: today)) ?? today.adding(days: 5)
                let page = try await store.cases(CaseQuery(dueBy: soon, limit: 100_000))
                let rows = page.items.map { Row($0, engine: store.engine, today: today) }
                if json {
                    struct Output: Encodable { var date: String; var overdue: [Row]; var dueSoon: [Row]; var escalatedSteps: Int }
                    try printJSON(Output(date: today.description, overdue: rows.filter(\.overdue), dueSoon: rows.filter { !$0.overdue },
                                         escalatedSteps: escalated.count))
                } else {
                    print("\(today.chinese)：已超期\(rows.filter(\.overdue).count)件，即将到期\(rows.filter { !$0.overdue }.count)件"
                          + (escalate ? "；本次记录督办\(escalated.count)件" : ""))
                    CasesCommand.printRows(rows, total: rows.count)
                }
            }
        }
    }
}

extension CasesCommand {
    /// `eduledger cases seed-bench`: a district's year of casework for the benchmark (issue 9) —
    /// by default 5 000 cases and 30 000 steps of every kind, each taken through the engine and
    /// the store like any other (checks, attachments, notices, audit lines), in one transaction.
    /// Deterministic: the same options give the same cases.
    struct SeedBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seed-bench", abstract: "为性能测试装载一年的案件（默认5000件、30000个办理步骤；需已有学校，如先运行 eduledger demo）")
        @Option(help: "案件数") var cases: Int = 5000
        @Option(help: "办理步骤总数（含登记；最新的案件只办理到一半，以凑足该数）") var steps: Int = 30_000
        @Option(help: "年度") var year: Int = 2025
        @Option(help: "随机种子") var seed: UInt64 = 9
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await CasesCommand.withCases(db) { registry, store in
                let schools = try await registry.schools(SchoolFilter()).map(\.id)
                guard !schools.isEmpty else { throw ValidationError("数据库中没有学校：请先运行 eduledger demo") }
                guard cases > 0, steps >= cases else { throw ValidationError("案件数应大于0，步骤数不少于案件数") }
                let plan = try BenchCasework.plan(cases: cases, steps: steps, year: year, seed: seed, schools: schools,
                                                  calendar: store.engine.calendar)
                let started = Date()
                let written = try await store.write { w in
                    var n = 0
                    for script in plan {
                        let c = try await w.open(kind: script.kind, title: "", fields: script.opening.fields,
                                                 attachments: script.opening.attachments, by: script.opening.actor, on: script.opening.date)
                        n += 1
                        for s in script.steps {
                            _ = try await w.take(s.action, caseID: c.id, by: s.actor, fields: s.fields, attachments: s.attachments, on: s.date)
                            n += 1
                        }
                    }
                    return n
                }
                let seconds = Date().timeIntervalSince(started)
                print("已装载\(plan.count)件案件、\(written)个办理步骤（\(String(format: "%.1f", seconds))秒）")
                // The casework share of the rates: reading the year's facts the indicators are computed from.
                var times: [Double] = []
                var count = 0
                for _ in 0..<5 {
                    let t = Date()
                    count = try await store.facts(years: year...year).count
                    times.append(Date().timeIntervalSince(t) * 1000)
                }
                print("案件指标事实读取（\(count)件）：最快\(String(format: "%.0f", times.min() ?? 0)) ms，最慢\(String(format: "%.0f", times.max() ?? 0)) ms")
            }
        }
    }
}

/// The benchmark's year of casework: full paths of every kind (信访 6 steps, 隐患 with one
/// failed re-inspection 7, 许可 with a one-time notice 6, 违规 with a refund 5, 建议 7), the
/// newest cases cut short until the step count is reached.
enum BenchCasework {
    struct Action {
        var action: String; var actor: CaseActor; var date: CivilDate; var fields: [String: String]; var attachments: [CaseAttachment]
    }
    struct Script { var kind: CaseKind; var opening: Action; var steps: [Action] }

    static let pdf = Array("%PDF-1.4\n%%EOF\n".utf8)
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]

    static func plan(cases: Int, steps target: Int, year: Int, seed: UInt64, schools: [SchoolID],
                     calendar: WorkingDayCalendar) throws -> [Script] {
        var state = seed
        func next() -> UInt64 {  // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        func bureau(_ r: Role) -> CaseActor { CaseActor(login: "bench-" + r.rawValue, displayName: r.title, role: r, scope: .district) }
        guard let first = CivilDate(year: year, month: 1, day: 2) else { throw ValidationError("年度无效") }
        var scripts: [Script] = []
        for i in 0..<cases {
            // Received over the first ten months, in order; each step three working days after the last.
            var day = first.adding(days: i * 300 / cases)
            func later() throws -> CivilDate { day = try calendar.date(3, workingDaysAfter: day); return day }
            func act(_ a: String, _ who: CaseActor, _ f: [String: String] = [:], _ files: [CaseAttachment] = []) throws -> Action {
                Action(action: a, actor: who, date: try later(), fields: f, attachments: files)
            }
            let letter = [CaseAttachment(name: "答复.pdf", contentType: "application/pdf", bytes: pdf)]
            let photo = [CaseAttachment(name: "整改后.png", contentType: "image/png", bytes: png)]
            let roll = Int(next() % 100)
            let school = schools[Int(next() % UInt64(schools.count))]
            let received = day
            switch roll {
            case 0..<40:
                let section = [Role.basicEducation, .personnel, .finance, .safety][Int(next() % 4)]
                let office = bureau(.petitions)
                scripts.append(Script(kind: .petition, opening: Action(
                    action: "open", actor: office, date: received,
                    fields: ["petitioner": "来信人\(i)", "channel": "来信", "summary": "反映第\(i)号问题"], attachments: []), steps: [
                        try act("assign", office, ["section": section.rawValue]),
                        try act("investigate", bureau(section), ["findings": "属实"]),
                        try act("reply", bureau(section), ["reply": "已处理"], letter),
                        try act("rate", office, ["rating": ["满意", "基本满意", "不满意"][Int(next() % 3)]]),
                        try act("close", office)]))
            case 40..<65:
                let safety = bureau(.safety)
                let officer = CaseActor(login: "bench-officer", displayName: "安全专干", role: .safetyOfficer, scope: .school(school))
                func notice(_ n: Int) throws -> Action {
                    let issued = try later()
                    return Action(action: "issueNotice", actor: safety, date: issued,
                                          fields: ["noticeNumber": "安整〔\(year)〕\(i)-\(n)号", "dueOn": issued.adding(days: 14).description,
                                                   "requirement": "限期整改"], attachments: [])
                }
                scripts.append(Script(kind: .hazard, opening: Action(
                    action: "open", actor: safety, date: received,
                    fields: ["school": String(school.rawValue), "category": "消防", "description": "隐患\(i)"], attachments: []), steps: [
                        try notice(1), try act("reportRectified", officer, ["measures": "已整改"], photo),
                        try act("fail", safety, ["reinspection": "不彻底"]), try notice(2),
                        try act("reportRectified", officer, ["measures": "已彻底整改"], photo),
                        try act("pass", safety, ["reinspection": "合格"])]))
            case 65..<80:
                let clerk = bureau(.licensing)
                scripts.append(Script(kind: .licence, opening: Action(
                    action: "open", actor: clerk, date: received,
                    fields: ["applicant": "申请人\(i)", "licenceType": "校外培训机构设立"], attachments: []), steps: [
                        try act("noticeMissing", clerk, ["missingDocuments": "场地证明\n消防意见"]),
                        try act("resubmit", clerk, ["documents": "场地证明、消防意见"]),
                        try act("accept", clerk),
                        try act("grant", clerk, ["decisionNumber": "教许〔\(year)〕\(i)号"], letter),
                        try act("issueLicence", clerk, ["licenceNumber": "教民\(i)号"])]))
            case 80..<90:
                let sup = bureau(.supervision)
                let yuan = "\(100 + Int(next() % 9900)).\(10 + Int(next() % 90))"
                scripts.append(Script(kind: .violation, opening: Action(
                    action: "open", actor: sup, date: received,
                    fields: ["violationType": "违规收费", "school": String(school.rawValue), "subject": "学校\(i)", "summary": "收费\(i)"],
                    attachments: []), steps: [
                        try act("find", sup, ["finding": "属实"]),
                        try act("sanction", sup, ["sanction": "责令清退", "refundOrdered": yuan]),
                        try act("recordRefund", bureau(.finance), ["refundProven": yuan], photo),
                        try act("close", sup)]))
            default:
                let office = bureau(.office)
                let lead = [Role.basicEducation, .personnel, .safety][Int(next() % 3)]
                scripts.append(Script(kind: .deputyProposal, opening: Action(
                    action: "open", actor: office, date: received,
                    fields: ["proposer": "代表\(i)", "proposalNumber": "第\(i)号", "summary": "建议\(i)"], attachments: []), steps: [
                        try act("assign", office, ["section": lead.rawValue, "coSections": "finance"]),
                        try act("coOpinion", bureau(.finance), ["opinion": "同意"]),
                        try act("meet", bureau(lead), ["meetingOn": day.description, "meetingNote": "见面"]),
                        try act("reply", bureau(lead), ["resultCode": "A 已解决", "reply": "已办理"], letter),
                        try act("rate", office, ["rating": "满意"]),
                        try act("close", office)]))
            }
        }
        // Cut the newest cases short (they are still being worked) until the total is the target.
        var total = scripts.reduce(0) { $0 + 1 + $1.steps.count }
        var index = scripts.count - 1
        while total > target, index >= 0 {
            let cut = min(scripts[index].steps.count, total - target)
            scripts[index].steps.removeLast(cut)
            total -= cut
            index -= 1
        }
        return scripts
    }
}

/// Stores the demo year's casework (`DemoCasework.plan`) through the case store, so every case
/// goes through the engine's checks and has its steps and audit lines like any other.
enum DemoCaseworkLoader {
    /// Loads the plan for calendar year `year` as of 11月20日 of that year; does nothing when the
    /// shipped calendar does not cover the year. Returns the number of cases stored.
    @discardableResult
    static func load(seed: UInt64, year: Int, database: Database) async throws -> Int {
        let calendar = try WorkingDayCalendar.shipped()
        guard calendar.covers(year: year), let asOf = CivilDate(year: year, month: 11, day: 20) else { return 0 }
        let store = SQLCaseStore(database: database, engine: CaseEngine(calendar: calendar))
        let schools = try await SQLRegistryStore(database: database).schools(SchoolFilter())
        let plan = try DemoCasework.plan(seed: seed, year: year, schools: schools, calendar: calendar, asOf: asOf)
        var campaignIDs: [Int64] = []
        for c in plan.campaigns { campaignIDs.append(try await store.createCampaign(c).id) }
        let ids = campaignIDs
        return try await store.write { w in
            for script in plan.scripts {
                let o = script.opening
                let c = try await w.open(kind: script.kind, title: script.title, fields: o.fields, attachments: o.attachments, by: o.actor,
                                         on: o.date, campaignID: script.campaign.map { ids[$0] })
                for s in script.steps {
                    _ = try await w.take(s.action, caseID: c.id, by: s.actor, fields: s.fields, attachments: s.attachments, on: s.date)
                }
            }
            return plan.scripts.count
        }
    }
}
