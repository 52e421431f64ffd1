import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// Schools and classes, navigated by the hierarchy: district → township / zone → school → class.
struct SchoolsController {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/schools", use: list)
        r.get("/schools/:id", use: show)
        r.get("/classes/:id", use: showClass)
        return r
    }

    struct SchoolRow {
        var href: String
        var code: String
        var name: String
        var type: String
        var ownership: String
        var township: String
        var zone: String
        var students: Int
        var status: String
        var closed: Bool
        var teachingPoint: Bool
    }

    static func rows(_ schools: [School], counts: [SchoolID: Int], deps: AppDependencies, today: CivilDate) async throws -> [SchoolRow] {
        let townships = Dictionary(uniqueKeysWithValues: try await deps.registry.townships().map { ($0.id, $0.name) })
        let zones = Dictionary(uniqueKeysWithValues: try await deps.registry.schoolZones().map { ($0.id, $0.name) })
        return schools.map { s in
            let open = s.isOpen(on: today)
            return SchoolRow(href: "/schools/\(s.id.rawValue)", code: s.code, name: s.name, type: s.type.rawValue,
                             ownership: s.ownership.rawValue, township: townships[s.townshipID] ?? "",
                             zone: s.zoneID.flatMap { zones[$0] } ?? "", students: counts[s.id] ?? 0,
                             status: open ? "在办" : (s.mergedIntoID != nil ? "已撤并" : "已停办"), closed: !open,
                             teachingPoint: s.isTeachingPoint)
        }
    }

    struct ListPage {
        var rows: [SchoolRow]
        var count: Int
        var townshipOptions: [Option]
        var zoneOptions: [Option]
        var typeOptions: [Option]
        var showClosed: Bool
        var breadcrumb: String?
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let today = deps.today
        let townshipID = request.query("township").flatMap(Int64.init).map(TownshipID.init)
        let zoneID = request.query("zone").flatMap(Int64.init).map(SchoolZoneID.init)
        let type = request.query("type").flatMap(SchoolType.init(rawValue:))
        let showClosed = request.query("closed") == "1"
        let filter = SchoolFilter(townshipID: townshipID, zoneID: zoneID, type: type, openOn: showClosed ? nil : today,
                                  onlyIDs: user.readable)
        let schools = try await deps.registry.schools(filter)
        let counts = try await deps.registry.studentCountsBySchool(on: today)
        let visible = try await deps.registry.schools(SchoolFilter(onlyIDs: user.readable))
        let visibleTownships = Set(visible.map(\.townshipID))
        let visibleZones = Set(visible.compactMap(\.zoneID))
        let townships = try await deps.registry.townships().filter { visibleTownships.contains($0.id) }
        let zones = try await deps.registry.schoolZones().filter { visibleZones.contains($0.id) }
        let page = ListPage(
            rows: try await Self.rows(schools, counts: counts, deps: deps, today: today), count: schools.count,
            townshipOptions: townships.map { Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id == townshipID) },
            zoneOptions: zones.map { Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id == zoneID) },
            typeOptions: SchoolType.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == type) },
            showClosed: showClosed,
            breadcrumb: townshipID.flatMap { id in townships.first { $0.id == id }?.name })
        return deps.views.render("schools", ViewContext(chrome: Chrome(title: "学校", user: user, active: "schools"), page: page))
    }

    /// The school, if it exists and the user may read it; otherwise 404.
    static func visibleSchool(_ id: String?, user: CurrentUser, deps: AppDependencies) async throws -> School {
        guard let raw = id.flatMap(Int64.init), let school = try await deps.registry.school(id: SchoolID(raw)),
              AccessPolicy.contains(user.readable, school.id) else { throw AppError.notFound }
        return school
    }

    enum SizeCategory {
        /// 班额: 大班额 56–65, 超大班额 66 and more.
        static func label(_ n: Int) -> String? {
            if n >= 66 { return "超大班额" }
            if n >= 56 { return "大班额" }
            return nil
        }
    }

    struct ClassRow { var href: String; var name: String; var size: Int; var sizeLabel: String?; var oversize: Bool; var huge: Bool }
    struct SchoolPage {
        var school: SchoolRow
        var address: String
        var opened: String
        var closedText: String?
        var mergedInto: String?
        var mergedIntoHref: String?
        var campuses: String
        var yearName: String
        var classes: [ClassRow]
        var hasClasses: Bool
        var largeClasses: Int
        var hugeClasses: Int
        var studentsHref: String?
        var staffHref: String?
        var townshipHref: String
        var editHref: String?
        var newClassHref: String?
        var saved: Bool
        /// 撤并与停办, for the bureau while the school is open.
        var mergeHref: String?
        /// After a merger: who left and whether each arrived at the receiving school.
        var reconciliation: String?
        var reconciles: Bool
        var mergedNow: String?
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let school = try await Self.visibleSchool(context.parameters.get("id"), user: user, deps: deps)
        let today = deps.today
        let year = SchoolYear(containing: today)
        let classes = try await deps.registry.classes(schoolID: school.id, year: year)
        let sizes = try await deps.registry.classSizes(schoolID: school.id, on: today)
        let enrolled = try await deps.registry.students(StudentQuery(date: today, schoolIDs: [school.id], limit: 0)).total
        let row = try await Self.rows([school], counts: [school.id: enrolled], deps: deps, today: today)[0]
        let classRows = classes.map { c in
            let n = sizes[c.id] ?? 0
            return ClassRow(href: "/classes/\(c.id.rawValue)", name: c.name, size: n, sizeLabel: SizeCategory.label(n),
                            oversize: n >= 56 && n < 66, huge: n >= 66)
        }
        var mergedInto: School?
        if let m = school.mergedIntoID { mergedInto = try await deps.registry.school(id: m) }
        let mergedVisible = mergedInto.map { AccessPolicy.contains(user.readable, $0.id) } ?? false
        let reconciliation = mergedInto == nil ? nil : try await deps.service.reconcileMerger(schoolID: school.id)
        let page = SchoolPage(
            school: row, address: school.address, opened: school.opened.chinese, closedText: school.closed?.chinese,
            mergedInto: mergedInto?.name, mergedIntoHref: mergedVisible ? mergedInto.map { "/schools/\($0.id.rawValue)" } : nil,
            campuses: school.campuses.joined(separator: "、"), yearName: year.name, classes: classRows,
            hasClasses: !classRows.isEmpty, largeClasses: classRows.filter(\.oversize).count,
            hugeClasses: classRows.filter(\.huge).count,
            studentsHref: user.may(.viewStudents) ? "/students?school=\(school.id.rawValue)" : nil,
            staffHref: user.may(.viewStaff) ? "/staff?school=\(school.id.rawValue)" : nil,
            townshipHref: "/schools?township=\(school.townshipID.rawValue)",
            editHref: user.may(.editSchools) ? "/schools/\(school.id.rawValue)/edit" : nil,
            newClassHref: user.may(.editClasses) && school.isOpen(on: today) ? "/schools/\(school.id.rawValue)/classes/new" : nil,
            saved: request.query("saved") != nil,
            mergeHref: user.may(.editSchools) && user.readable == nil && school.closed == nil ? "/schools/\(school.id.rawValue)/merge" : nil,
            reconciliation: reconciliation.map(Self.reconciliationText), reconciles: reconciliation?.reconciles ?? true,
            mergedNow: request.query("merged").map { "撤并已办理：\($0)名学生已转入接收学校，变动已记入审计日志。" })
        return deps.views.render("school", ViewContext(chrome: Chrome(title: school.name, user: user, active: "schools"), page: page))
    }

    static func reconciliationText(_ r: SchoolMergerReconciliation) -> String {
        let base = "撤并对账：\(r.date.chinese)以“学校撤并”离校\(r.left)人，同日转入\(r.into?.name ?? "接收学校")\(r.arrived)人"
        return r.reconciles ? base + "，一致。" : base + "，不一致：未转入的学籍号 " + r.missing.prefix(20).joined(separator: "、") + "。"
    }

    struct ClassPage {
        var schoolName: String
        var schoolHref: String
        var classID: Int64
        var className: String
        var yearName: String
        var size: Int
        var sizeLabel: String?
        var headTeacher: String?
        var students: [StudentsController.StudentRowView]
        var showStudents: Bool
        var pager: Pager
        var editHref: String?
        var saved: Bool
    }

    @Sendable func showClass(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        guard let raw = context.parameters.get("id").flatMap(Int64.init),
              let c = try await deps.registry.schoolClass(id: ClassID(raw)),
              AccessPolicy.contains(user.readable, c.schoolID),
              let school = try await deps.registry.school(id: c.schoolID) else { throw AppError.notFound }
        let limit = 60
        let pageNumber = request.queryInt("page", default: 1, range: 1...10_000)
        let offset = (pageNumber - 1) * limit
        let date = c.schoolYear.rosterDay(today: deps.today)
        let students = try await deps.registry.students(StudentQuery(date: date, classID: c.id, offset: user.may(.viewStudents) ? offset : 0,
                                                                     limit: user.may(.viewStudents) ? limit : 0))
        var head: String?
        if let h = c.headTeacherID { head = try await deps.registry.staffMember(id: h)?.name }
        let page = ClassPage(
            schoolName: school.name, schoolHref: "/schools/\(school.id.rawValue)", classID: c.id.rawValue, className: c.name, yearName: c.schoolYear.name,
            size: students.total, sizeLabel: SizeCategory.label(students.total), headTeacher: head,
            students: students.items.map { StudentsController.StudentRowView($0, schoolName: school.name) },
            showStudents: user.may(.viewStudents),
            pager: Pager(total: students.total, offset: offset, limit: limit) { "/classes/\(c.id.rawValue)?page=\($0)" },
            editHref: user.may(.editClasses) ? "/classes/\(c.id.rawValue)/edit" : nil, saved: request.query("saved") != nil)
        return deps.views.render("class", ViewContext(chrome: Chrome(title: school.name + c.name, user: user, active: "schools"), page: page))
    }
}
