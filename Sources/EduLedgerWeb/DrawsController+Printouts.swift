import ClassAssignment
import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// The printouts and the outside views of a draw: the roster notice posted before the draw, the
/// balance report and 公示 lists, the downloadable record and roster, the bureau's overview of the
/// year's intakes, and the public verification page.
extension DrawsController {
    // MARK: notice (先公布名单)

    struct NoticeRow { var number: Int; var name: String; var gender: String }
    struct NoticePage {
        var school: String
        var year: String
        var grade: String
        var classCount: Int
        var studentCount: Int
        var rosterHash: String
        var publishedLine: String
        var rows: [NoticeRow]
        var publicHref: String
        var isDraft: Bool
    }

    /// The printable notice posted before the draw: names (no ids, no scores), the count and the
    /// roster hash, so anyone can later check that the roster drawn is the one posted.
    @Sendable func notice(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let draw = try await visibleDraw(context, user: user)
        guard let file = draw.rosterFile, let name = draw.rosterFileName else {
            throw AppError.unprocessable(code: "draw.no_roster", message: "尚未上传名单", fields: [])
        }
        let roster: Roster
        switch DrawWorkflow.readUpload(data: file, fileName: name, columns: DrawActions.columns(of: draw), classCount: draw.classCount) {
        case .failure(let f): throw DrawRefusal(code: "draw.roster_invalid", message: f.problems.map(\.message).joined(separator: "；"))
        case .success(let r): roster = r
        }
        let sorted = roster.students.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let page = NoticePage(
            school: try await schoolName(draw.schoolID), year: draw.schoolYear.name, grade: draw.grade.name,
            classCount: draw.classCount, studentCount: roster.students.count, rosterHash: roster.rosterHash,
            publishedLine: draw.publishedAt.map { "\($0) 公布" } ?? "（尚未公布，仅供核对）",
            rows: sorted.enumerated().map { NoticeRow(number: $0.offset + 1, name: $0.element.name, gender: $0.element.gender.chinese) },
            publicHref: "/public/draws/\(draw.id)", isDraft: draw.state == .draft)
        return deps.views.render("draw_notice", ViewContext(chrome: Chrome(title: "新生名单公示", user: user, active: "draws"), page: page))
    }

    // MARK: report, downloads

    struct BalanceRow {
        var label: String
        var size: Int
        var mean: String
        var sd: String
        var min: String
        var max: String
        var bands: [String]
        var male: Int
        var female: Int
        var flags: [String]
        var teacher: String
    }
    struct PostingClass { var label: String; var teacher: String; var names: [String]; var count: Int }
    struct ReportPage {
        var school: String
        var year: String
        var grade: String
        var rosterHash: String
        var seed: String
        var record: String
        var stateTitle: String
        var flagNames: [String]
        var bandHeaders: [String]
        var rows: [BalanceRow]
        var overall: BalanceRow
        var sizeRange: Int
        var meanRange: String
        var sdRange: String
        var genderMaxDiff: Int
        var flagDiffs: [String]
        var constraints: String
        var posting: [PostingClass]
        var lateCount: Int
        /// False for a roster without scores (taken from the registry: 免试入学), whose score columns say nothing.
        var hasScores: Bool
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let draw = try await visibleDraw(context, user: user)
        guard let built = try await actions.rebuilt(draw) else {
            throw AppError.unprocessable(code: "draw.not_assigned", message: "尚未编班，没有均衡报告", fields: [])
        }
        let r = built.assignment.report
        let labels = Dictionary(DrawActions.lottery(draw.labelsJSON).map { ($0.classNumber, $0.drawn) }, uniquingKeysWith: { a, _ in a })
        let teachers = Dictionary(DrawActions.lottery(draw.teachersJSON).map { ($0.classNumber, $0.drawn) }, uniquingKeysWith: { a, _ in a })
        let flagNames = built.roster.flagColumns
        func f(_ v: Double, _ d: Int) -> String { String(format: "%.\(d)f", v) }
        func row(_ c: ClassBalance, label: String, teacher: String) -> BalanceRow {
            BalanceRow(label: label, size: c.size, mean: f(c.mean, 2), sd: f(c.sd, 2), min: f(c.min, 1), max: f(c.max, 1),
                       bands: c.bands.map(String.init), male: c.male, female: c.female,
                       flags: flagNames.map { String(c.flags[$0] ?? 0) }, teacher: teacher)
        }
        func label(_ n: Int) -> String { labels[n].map { "\($0)（第\(n)组）" } ?? "第\(n)班" }
        let rows = r.classes.compactMap { c in c.classNumber.map { row(c, label: label($0), teacher: teachers[$0] ?? "") } }
        let edges = r.bandEdges.map { f($0, 1) }
        var bandHeaders: [String] = []
        for i in 0..<5 {
            let lo = i == 0 ? "最低" : (i - 1 < edges.count ? edges[i - 1] : "")
            let hi = i < edges.count ? edges[i] : "最高"
            bandHeaders.append("\(lo)–\(hi)")
        }
        let classOf = built.assignment.classByID
        var posting: [PostingClass] = []
        for n in 1...max(1, built.assignment.settings.classCount) {
            let names = built.roster.students.filter { classOf[$0.id] == n }.map(\.name)
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            posting.append(PostingClass(label: labels[n] ?? "第\(n)班", teacher: teachers[n] ?? "", names: names, count: names.count))
        }
        let together = Set(built.roster.students.compactMap(\.togetherKey)).count
        let apart = Set(built.roster.students.flatMap(\.apartKeys)).count
        let pinned = built.roster.students.filter { $0.pinnedClass != nil }.count
        let page = ReportPage(
            school: try await schoolName(draw.schoolID), year: draw.schoolYear.name, grade: draw.grade.name,
            rosterHash: draw.rosterHash ?? "", seed: draw.seed ?? "",
            record: "EduLedger \(built.published.record.softwareVersion)，\(built.published.record.engineVersion)，\(built.published.record.drawnAt)，\(built.published.record.drawnBy)",
            stateTitle: draw.state.title, flagNames: flagNames, bandHeaders: bandHeaders, rows: rows,
            overall: row(r.overall, label: "全年级", teacher: ""), sizeRange: r.sizeRange, meanRange: f(r.meanRange, 2),
            sdRange: f(r.sdRange, 3), genderMaxDiff: r.genderMaxDiff,
            flagDiffs: flagNames.map { "\($0) 最大差 \(r.flagMaxDiff[$0] ?? 0)" },
            constraints: "同班组 \(together) 个、分开组 \(apart) 个、指定班级 \(pinned) 人；违反约束 \(r.constraintsViolated) 处",
            posting: posting, lateCount: built.late.count, hasScores: r.overall.max > 0)
        return deps.views.render("draw_report", ViewContext(chrome: Chrome(title: "编班均衡报告", user: user, active: "draws"), page: page))
    }

    @Sendable func recordFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let draw = try await visibleDraw(context, user: user)
        guard let json = draw.recordJSON else { throw AppError.notFound }
        return Self.recordResponse(json, id: draw.id)
    }

    @Sendable func rosterFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let draw = try await visibleDraw(context, user: user)
        guard let file = draw.rosterFile, let name = draw.rosterFileName else { throw AppError.notFound }
        let type = name.lowercased().hasSuffix(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
        let ext = name.lowercased().hasSuffix(".xlsx") ? "xlsx" : "csv"
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"draw-\(draw.id)-roster.\(ext)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: file)))
    }

    // MARK: bureau overview

    struct IntakeRow { var school: String; var href: String?; var grade: String; var registered: Int; var drawn: Int; var state: String; var byDraw: Bool }
    struct OverviewPage {
        var year: String
        var yearOptions: [Option]
        var rows: [IntakeRow]
        var intakes: Int
        var intakesDrawn: Int
        var classes: Int
        var classesDrawn: Int
        var share: String
        var empty: Bool
    }

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewDraws)
        let current = SchoolYear(containing: deps.today)
        let year = request.query("year").flatMap(Int.init).map(SchoolYear.init) ?? current
        let schools = try await deps.registry.schools(SchoolFilter(openOn: year.firstDay, onlyIDs: user.readable))
        let draws = try await store.draws(schoolIDs: user.readable, year: year)
        var rows: [IntakeRow] = []
        var classes = 0, classesDrawn = 0, intakesDrawn = 0
        for school in schools {
            let registered = try await deps.registry.classes(schoolID: school.id, year: year)
            for grade in DrawActions.intakeGrades where school.type.grades.contains(grade) {
                let count = registered.filter { $0.grade == grade }.count
                // The newest draw of this intake; a finished (assigned or locked) one counts.
                let draw = draws.filter { $0.schoolID == school.id && $0.grade == grade }
                    .max { ($0.state == .locked ? 1 : 0, $0.id) < ($1.state == .locked ? 1 : 0, $1.id) }
                let done = draw.map { $0.state == .assigned || $0.state == .locked } ?? false
                if count == 0 && draw == nil { continue }
                let drawnClasses = done ? (draw?.classCount ?? 0) : 0
                let intakeClasses = max(count, drawnClasses)
                classes += intakeClasses
                classesDrawn += drawnClasses
                if done { intakesDrawn += 1 }
                rows.append(IntakeRow(school: school.name, href: draw.map { "/draws/\($0.id)" }, grade: grade.name, registered: count,
                                      drawn: drawnClasses, state: draw?.state.title ?? "未经电脑随机编班", byDraw: done))
            }
        }
        let share = classes == 0 ? "—" : String(format: "%.1f%%", Double(classesDrawn) * 100 / Double(classes))
        let page = OverviewPage(
            year: year.name,
            yearOptions: (current.startYear - 3...current.startYear).reversed().map {
                Option(value: String($0), label: SchoolYear($0).name, selected: $0 == year.startYear)
            },
            rows: rows, intakes: rows.count, intakesDrawn: intakesDrawn, classes: classes, classesDrawn: classesDrawn, share: share,
            empty: rows.isEmpty)
        return deps.views.render("draws_overview", ViewContext(chrome: Chrome(title: "起始年级均衡编班情况", user: user, active: "draws"),
                                                               page: page))
    }

    // MARK: public page

    struct PublicPage {
        var id: Int64
        var school: String
        var year: String
        var grade: String
        var state: String
        var rosterHash: String
        var studentCount: Int
        var classCount: Int
        var publishedAt: String
        var seedParts: [SeedPartView]
        var hasSeedParts: Bool
        var hasRecord: Bool
        var classSizes: String
        var seed: String
        var settings: String
        var engineVersion: String
        var softwareVersion: String
        var drawnAt: String
        var drawnBy: String
        var lockedAt: String
        var recordHash: String
        var resultHash: String
        var recordHref: String
        var labels: [LotteryView]
        var hasLabels: Bool
        var teachers: [LotteryView]
        var hasTeachers: Bool
        var lateCount: Int
    }

    /// A published draw for the public (no login), or 404: a draft is nobody's business yet.
    func publicDraw(_ context: AppRequestContext) async throws -> ClassDraw {
        guard let raw = context.parameters.get("id").flatMap(Int64.init), let draw = try await store.draw(id: raw),
              draw.state != .draft else { throw AppError.notFound }
        return draw
    }

    /// SHA-256 of the result alone (`id<TAB>class` lines in the record's order), which a printed
    /// posting list can quote and anyone can recompute from the record.
    static func resultHash(_ record: DrawRecord) -> String {
        Tokens.hash(record.placements.map { "\($0.id)\t\($0.classNumber)\n" }.joined())
    }

    /// No login: the figures anyone may check against the printed notice and the record the
    /// school hands out — the roster hash from the moment the roster is published, the seed,
    /// settings and result once drawn. No names.
    @Sendable func publicPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let draw = try await publicDraw(context)
        let parts = try await store.seedParts(drawID: draw.id)
        var published: PublishedDraw?
        if let json = draw.recordJSON { published = try? JSONDecoder().decode(PublishedDraw.self, from: Data(json.utf8)) }
        let record = published?.record
        var sizes = [Int](repeating: 0, count: record?.settings.classCount ?? 0)
        for p in record?.placements ?? [] where p.classNumber >= 1 && p.classNumber <= sizes.count { sizes[p.classNumber - 1] += 1 }
        let late = try await store.changes(drawID: draw.id).filter { $0.kind == "late" }.count
        let labels = DrawActions.lottery(draw.labelsJSON).map { LotteryView(classNumber: $0.classNumber, drawn: $0.drawn) }
        let teachers = DrawActions.lottery(draw.teachersJSON).map { LotteryView(classNumber: $0.classNumber, drawn: $0.drawn) }
        let cols = published?.columns ?? DrawActions.columns(of: draw)
        func none(_ list: [String]) -> String { list.isEmpty ? "无" : list.joined(separator: "、") }
        let page = PublicPage(
            id: draw.id, school: try await schoolName(draw.schoolID), year: draw.schoolYear.name, grade: draw.grade.name,
            state: draw.state.title, rosterHash: draw.rosterHash ?? "", studentCount: draw.studentCount ?? 0, classCount: draw.classCount,
            publishedAt: draw.publishedAt ?? "",
            seedParts: parts.map { SeedPartView(position: $0.position, value: $0.value, enteredBy: $0.enteredBy, capacity: $0.capacity,
                                                recordedBy: "", at: $0.recordedAt) },
            hasSeedParts: !parts.isEmpty, hasRecord: record != nil,
            classSizes: sizes.map(String.init).joined(separator: " / "), seed: record?.settings.seed ?? draw.seed ?? "",
            settings: "班级数 \(draw.classCount)；成绩列 \(cols.scores.isEmpty ? "成绩（默认）" : cols.scores.joined(separator: "、"))；均衡标记 \(none(cols.flags))；同班列 \(cols.together ?? "无")；分开列 \(none(cols.apart))；指定班级列 \(cols.pin ?? "无")",
            engineVersion: record?.engineVersion ?? "", softwareVersion: record?.softwareVersion ?? "", drawnAt: record?.drawnAt ?? "",
            drawnBy: record?.drawnBy ?? "", lockedAt: draw.lockedAt ?? "", recordHash: draw.recordJSON.map(Tokens.hash) ?? "",
            resultHash: record.map(Self.resultHash) ?? "", recordHref: "/public/draws/\(draw.id)/record.json",
            labels: labels, hasLabels: !labels.isEmpty, teachers: teachers, hasTeachers: !teachers.isEmpty, lateCount: late)
        return deps.views.render("draw_public", ViewContext(chrome: Chrome(title: "编班结果公开核验", user: context.user), page: page))
    }

    /// The published record, as stored, for `eduledger verify-draw`.
    @Sendable func publicRecord(_ request: Request, context: AppRequestContext) async throws -> Response {
        let draw = try await publicDraw(context)
        guard let json = draw.recordJSON else { throw AppError.notFound }
        return Self.recordResponse(json, id: draw.id)
    }

    static func recordResponse(_ json: String, id: Int64) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store",
                                        .contentDisposition: "attachment; filename=\"draw-\(id)-record.json\""],
                 body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
