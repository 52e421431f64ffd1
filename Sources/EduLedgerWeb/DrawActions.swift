import ClassAssignment
import EduLedgerCore
import EduLedgerStorage
import Foundation

/// A draw step refused by the rules (wrong input, wrong order): 422 on the page and in the API,
/// with every roster problem when an upload could not be read.
struct DrawRefusal: UserFacingError {
    var code: String
    var message: String
    var problems: [DrawWorkflow.UploadProblem] = []
}

/// The class-draw steps shared by the pages and the JSON API, so both apply exactly the same
/// rules: the caller has checked the role (403); these check scope (404), order and input (422).
struct DrawActions: Sendable {
    let deps: AppDependencies
    var store: SQLDrawStore { SQLDrawStore(database: deps.config.database) }

    /// Grades whose new classes are formed by a draw: 一年级, 七年级, 高一.
    static let intakeGrades: [GradeLevel] = [.p1, .j1, .s1]
    /// Capacities a seed part may be entered in.
    static let capacities = ["家长代表", "监督员", "公开值"]

    /// The draw if the user's scope holds its school; otherwise 404 (never 403).
    func visibleDraw(_ rawID: String?, user: CurrentUser) async throws -> ClassDraw {
        guard let raw = rawID.flatMap(Int64.init), let draw = try await store.draw(id: raw),
              AccessPolicy.contains(user.readable, draw.schoolID) else { throw AppError.notFound }
        return draw
    }

    /// The day the registry is read on for a draw's school year.
    func day(in year: SchoolYear) -> CivilDate { year.rosterDay(today: deps.today) }

    static func columns(of draw: ClassDraw) -> DrawColumns {
        (try? JSONDecoder().decode(DrawColumns.self, from: Data(draw.columnsJSON.utf8)))
            ?? DrawColumns(scores: [], flags: [], together: nil, apart: [], pin: nil)
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func lottery(_ json: String?) -> [LotteryDraw] {
        guard let json else { return [] }
        return (try? JSONDecoder().decode([LotteryDraw].self, from: Data(json.utf8))) ?? []
    }

    static func refuse(_ code: String, _ message: String) -> DrawRefusal { DrawRefusal(code: code, message: message) }

    /// Rebuilds an assigned draw (recomputing it, so a tampered record is noticed) with its late placements.
    func rebuilt(_ draw: ClassDraw) async throws -> DrawWorkflow.Rebuilt? {
        guard let file = draw.rosterFile, let name = draw.rosterFileName, let record = draw.recordJSON else { return nil }
        let late = try await store.changes(drawID: draw.id).filter { $0.kind == "late" }.map(\.detailJSON)
        return try DrawWorkflow.rebuild(rosterFile: file, fileName: name, recordJSON: record, lateJSON: late)
    }

    // MARK: steps

    func create(user: CurrentUser, schoolID: SchoolID, year: Int?, grade: GradeLevel?, classCount: Int?,
                columns: DrawColumns) async throws -> ClassDraw {
        guard AccessPolicy.contains(user.readable, schoolID), let school = try await deps.registry.school(id: schoolID) else {
            throw AppError.notFound
        }
        guard let year, (2000...2100).contains(year) else { throw Self.refuse("draw.year", "学年无效") }
        guard let grade, Self.intakeGrades.contains(grade) else {
            throw Self.refuse("draw.grade", "年级须为起始年级（一年级、七年级或高一）")
        }
        guard school.type.grades.contains(grade) else {
            throw Self.refuse("draw.grade", "\(school.name)（\(school.type.rawValue)）不招收\(grade.name)")
        }
        guard let classCount, (1...200).contains(classCount) else { throw Self.refuse("draw.class_count", "班级数须为 1 到 200 之间的整数") }
        return try await store.create(schoolID: schoolID, year: SchoolYear(year), grade: grade, classCount: classCount,
                                      columnsJSON: Self.json(columns), by: user.account.actingUser)
    }

    /// Reads and stores an uploaded roster of a draft; nothing is stored when any row is wrong.
    func setRoster(user: CurrentUser, draw: ClassDraw, fileName rawName: String, data: Data, columns: DrawColumns,
                   classCount: Int?) async throws -> ClassDraw {
        guard draw.state == .draft else { throw ClassDrawError.wrongState(draw.state, action: "更换名单") }
        let k = classCount ?? draw.classCount
        guard (1...200).contains(k) else { throw Self.refuse("draw.class_count", "班级数须为 1 到 200 之间的整数") }
        guard !data.isEmpty else { throw Self.refuse("draw.roster_missing", "请选择名单文件（.csv 或 .xlsx），或粘贴 CSV 内容") }
        var fileName = String((rawName.split(separator: "/").last ?? "").suffix(80)).trimmingCharacters(in: .whitespaces)
        if fileName.isEmpty { fileName = "名单.csv" }
        switch DrawWorkflow.readUpload(data: data, fileName: fileName, columns: columns, classCount: k) {
        case .failure(let failure):
            throw DrawRefusal(code: "draw.roster_invalid", message: "名单有 \(failure.problems.count) 处问题，未保存；请改正后重新上传",
                              problems: failure.problems)
        case .success(let roster):
            guard k <= roster.students.count else {
                throw Self.refuse("draw.class_count", "班级数 \(k) 多于名单人数 \(roster.students.count)")
            }
            return try await store.setRoster(draw.id, fileName: fileName, file: data, hash: roster.rosterHash,
                                             studentCount: roster.students.count, columnsJSON: Self.json(columns), classCount: k,
                                             by: user.account.actingUser)
        }
    }

    /// The flag columns of a roster taken from the registry, in this order.
    static let registryFlags = ["留守", "随迁", "住校", "随班就读", "少数民族"]
    static let registryColumns = DrawColumns(scores: [], flags: registryFlags, together: nil, apart: ["同名"], pin: nil)

    /// Takes the school's enrolled students of the draw's grade and year from the registry as the
    /// roster: a CSV kept byte for byte like an upload, so the same reader, hash and verifier apply.
    /// Intake pupils have no entrance scores (免试入学): 成绩 is 0 for all, and the draw balances
    /// gender and the five registry flags; identical names are kept apart.
    func rosterFromRegistry(user: CurrentUser, draw: ClassDraw, classCount: Int?) async throws -> ClassDraw {
        guard draw.state == .draft else { throw ClassDrawError.wrongState(draw.state, action: "更换名单") }
        let csv = try await registryRosterCSV(draw)
        guard !csv.rows.isEmpty else {
            throw Self.refuse("draw.roster_empty", "学籍库中本校\(draw.schoolYear.name)\(draw.grade.name)没有在籍学生")
        }
        return try await setRoster(user: user, draw: draw, fileName: "学籍库\(draw.grade.name)名单.csv", data: Data(csv.text.utf8),
                                   columns: Self.registryColumns, classCount: classCount)
    }

    func registryRosterCSV(_ draw: ClassDraw) async throws -> (text: String, rows: [String]) {
        let page = try await deps.registry.students(StudentQuery(date: day(in: draw.schoolYear), schoolIDs: [draw.schoolID],
                                                                 grade: draw.grade, limit: 5000))
        return Self.registryRosterCSV(page.items.map(\.student))
    }

    /// The roster CSV of registry students: 学籍号, 姓名, 性别, 成绩 (0), the registry flags, 同名.
    static func registryRosterCSV(_ list: [EduLedgerCore.Student]) -> (text: String, rows: [String]) {
        let students = list.sorted { $0.studentNumber.utf8.lexicographicallyPrecedes($1.studentNumber.utf8) }
        var nameCount: [String: Int] = [:]
        for s in students { nameCount[s.name, default: 0] += 1 }
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let rows = students.map { s -> String in
            let flags = [s.flags.leftBehind, s.flags.migrantWorkerChild, s.flags.boarding, s.flags.inclusiveClass, s.ethnicity != "汉族"]
            return ([field(s.studentNumber), field(s.name), s.gender.rawValue, "0"] + flags.map { $0 ? "1" : "0" }
                    + [(nameCount[s.name] ?? 0) > 1 ? field(s.name) : ""]).joined(separator: ",")
        }
        let header = (["学籍号", "姓名", "性别", "成绩"] + registryFlags + ["同名"]).joined(separator: ",")
        return ((["\u{FEFF}" + header] + rows).joined(separator: "\r\n") + "\r\n", rows)
    }

    func publish(user: CurrentUser, draw: ClassDraw) async throws -> ClassDraw {
        try await store.publish(draw.id, by: user.account.actingUser)
    }

    func addSeedPart(user: CurrentUser, draw: ClassDraw, value rawValue: String, enteredBy rawWho: String,
                     capacity rawCapacity: String?) async throws -> ClassDraw {
        let value = rawValue.trimmingCharacters(in: .whitespacesAndNewlines)
        let who = rawWho.trimmingCharacters(in: .whitespacesAndNewlines)
        let capacity = rawCapacity ?? "家长代表"
        guard Self.capacities.contains(capacity) else { throw Self.refuse("draw.seed_capacity", "输入人身份只能是家长代表、监督员或公开值") }
        guard !value.isEmpty, value.count <= 100 else { throw Self.refuse("draw.seed_value", "请输入种子组成部分（不超过100个字符）") }
        guard !value.contains("+") else { throw Self.refuse("draw.seed_value", "种子组成部分不能含有“+”") }
        guard !who.isEmpty, who.count <= 60 else {
            throw Self.refuse("draw.seed_who", "请填写输入人（家长代表或监督员的姓名）；公开值请写明来源（如：当日福彩3D开奖号）")
        }
        return try await store.addSeedPart(draw.id, value: value, enteredBy: who, capacity: capacity, by: user.account.actingUser)
    }

    func fixSeed(user: CurrentUser, draw: ClassDraw) async throws -> ClassDraw {
        let parts = try await store.seedParts(drawID: draw.id).map(\.value)
        let seed: String
        do { seed = try DrawSeed.compose(parts: parts) } catch { throw Self.refuse("draw.seed", error.message) }
        return try await store.fixSeed(draw.id, seed: seed, by: user.account.actingUser)
    }

    func assign(user: CurrentUser, draw: ClassDraw) async throws -> ClassDraw {
        guard draw.state == .seeded else { throw ClassDrawError.wrongState(draw.state, action: "编班") }
        guard let file = draw.rosterFile, let name = draw.rosterFileName else { throw Self.refuse("draw.no_roster", "尚未上传名单") }
        let cols = Self.columns(of: draw)
        let roster: Roster
        switch DrawWorkflow.readUpload(data: file, fileName: name, columns: cols, classCount: draw.classCount) {
        case .failure(let f): throw DrawRefusal(code: "draw.roster_invalid", message: "名单无法读取", problems: f.problems)
        case .success(let r): roster = r
        }
        guard roster.rosterHash == draw.rosterHash else { throw Self.refuse("draw.roster_changed", "名单摘要与公布时不符，不能编班") }
        let parts = try await store.seedParts(drawID: draw.id).map(\.value)
        let published: PublishedDraw
        do {
            published = try DrawWorkflow.run(roster: roster, columns: cols, classCount: draw.classCount, seedParts: parts,
                                             drawnBy: "\(user.account.displayName)（\(user.account.login)）",
                                             drawnAt: Date().ISO8601Format())
        } catch {
            throw Self.refuse("draw.assign_failed", "无法编班：\(error)")
        }
        guard published.record.settings.seed == draw.seed else { throw Self.refuse("draw.seed_changed", "种子与确定时不符，不能编班") }
        let text = String(decoding: try published.json(), as: UTF8.self)
        return try await store.assign(draw.id, recordJSON: text, by: user.account.actingUser)
    }

    func lock(user: CurrentUser, draw: ClassDraw) async throws -> ClassDraw {
        try await store.lock(draw.id, by: user.account.actingUser)
    }

    func drawLabels(user: CurrentUser, draw: ClassDraw) async throws -> ClassDraw {
        guard let seed = draw.seed, draw.state == .assigned || draw.state == .locked else {
            throw ClassDrawError.wrongState(draw.state, action: "抽取班级名称")
        }
        let labels = (1...draw.classCount).map { "\(draw.grade.name)(\($0))班" }
        let lots: [LotteryDraw]
        do { lots = try ClassLottery.drawLabels(labels, seed: seed) } catch { throw Self.refuse("draw.lottery", error.message) }
        return try await store.setLottery(draw.id, .labels, json: Self.json(lots), by: user.account.actingUser)
    }

    /// The school's full-time teachers on the draw's day: the only candidates a lottery accepts.
    func teachers(of draw: ClassDraw) async throws -> [StaffMember] {
        try await deps.registry.staff(StaffQuery(date: day(in: draw.schoolYear), schoolIDs: [draw.schoolID], post: .fullTimeTeacher,
                                                 limit: 1000)).items
    }

    func drawTeachers(user: CurrentUser, draw: ClassDraw, staffIDs: Set<Int64>) async throws -> ClassDraw {
        guard let seed = draw.seed, draw.state == .assigned || draw.state == .locked else {
            throw ClassDrawError.wrongState(draw.state, action: "抽取班主任")
        }
        // Only this school's teachers count, whatever ids the request carries.
        let names = try await teachers(of: draw).filter { staffIDs.contains($0.id.rawValue) }.map { "\($0.name)（\($0.staffNumber)）" }
        let lots: [LotteryDraw]
        do { lots = try ClassLottery.drawTeachers(names, classCount: draw.classCount, seed: seed) } catch {
            throw Self.refuse("draw.lottery", "请选择至少 \(draw.classCount) 名本校专任教师作为候选班主任：\(error.message)")
        }
        return try await store.setLottery(draw.id, .teachers, json: Self.json(lots), by: user.account.actingUser)
    }

    /// A late enrolee as entered: scores as text, flags in the roster's flag-column order.
    struct LateInput: Sendable {
        var studentID: String
        var name: String
        var gender: String
        var scores: [String]
        var flags: [Bool]
        var reason: String
    }

    /// 插班: places one student into the class that keeps balance best, moving nobody; only after
    /// the lock, and only with a reason, both recorded.
    func placeLate(user: CurrentUser, draw: ClassDraw, input: LateInput) async throws -> (ClassDraw, DrawWorkflow.LateEntry) {
        guard draw.state == .locked else { throw ClassDrawError(code: "draw.not_locked", message: "编班锁定后才能插班") }
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ClassDrawError(code: "draw.reason_required", message: "锁定后的任何变动都必须填写理由（如：转入、复学、迟报到）") }
        guard let built = try await rebuilt(draw) else { throw Self.refuse("draw.no_record", "编班记录缺失") }
        let id = input.studentID.trimmingCharacters(in: .whitespaces)
        let name = input.name.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, !name.isEmpty, id.count <= 40, name.count <= 40 else {
            throw Self.refuse("draw.late_student", "请填写插班学生的学籍号和姓名（各不超过40个字）")
        }
        let scores = built.roster.scoreColumns.indices.map { i in
            (i < input.scores.count ? input.scores[i] : "").trimmingCharacters(in: .whitespaces)
        }
        let flags = built.roster.flagColumns.indices.map { i in i < input.flags.count ? input.flags[i] : false }
        var entry = DrawWorkflow.LateEntry(id: id, name: name, gender: input.gender, scores: scores, flags: flags, classNumber: 0,
                                           engineReason: "")
        guard let student = entry.student() else {
            throw Self.refuse("draw.late_student", "性别须为男/女，成绩须为不小于 0、最多两位小数的数")
        }
        let placed: LatePlacement
        do {
            placed = try ClassAssigner.placeLate(student: student, into: built.roster, assignment: built.assignment,
                                                 seed: built.published.record.settings.seed)
        } catch { throw Self.refuse("draw.late_refused", error.description) }
        entry.classNumber = placed.classNumber
        entry.engineReason = placed.reason
        let saved = try await store.recordChange(draw.id, kind: "late", reason: reason, detailJSON: Self.json(entry),
                                                 by: user.account.actingUser)
        return (saved, entry)
    }
}
