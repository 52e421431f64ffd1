import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// The first page after login: the figures of the user's own place, and the way down the hierarchy.
struct DashboardController {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/dashboard", use: show)
        return r
    }

    struct Figure { var label: String; var value: String; var href: String? }
    struct TownshipLink { var name: String; var kind: String; var href: String; var schools: Int }
    struct DashboardPage {
        var placeName: String
        var dateText: String
        var yearName: String
        var figures: [Figure]
        var townships: [TownshipLink]
        var hasTownships: Bool
        var zones: [TownshipLink]
        var hasZones: Bool
        var schools: [SchoolsController.SchoolRow]
        var hasSchools: Bool
        /// Overdue and due-soon casework the user sees (`nil` without casework).
        var casework: CasesController.DuePanel?
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let today = deps.today
        let year = SchoolYear(containing: today)
        let district = try await deps.registry.district()
        var figures: [Figure] = []
        var townshipLinks: [TownshipLink] = []
        var zoneLinks: [TownshipLink] = []
        var schoolRows: [SchoolsController.SchoolRow] = []
        let allSchools = try await deps.registry.schools(SchoolFilter(onlyIDs: user.readable))
        let openSchools = allSchools.filter { $0.isOpen(on: today) }
        let placeName: String
        if user.readable == nil {
            let counts = try await deps.registry.counts(on: today)
            placeName = district?.name ?? "全区"
            figures.append(Figure(label: "乡镇（街道）", value: String(counts.townships), href: nil))
            figures.append(Figure(label: "在办学校", value: String(counts.schoolsOpen), href: "/schools"))
            figures.append(Figure(label: "本学年班级", value: String(counts.classes), href: nil))
            figures.append(Figure(label: "在校学生", value: String(counts.studentsEnrolled),
                                  href: user.may(.viewStudents) ? "/students" : nil))
            for stage in Stage.allCases {
                if let n = counts.studentsByStage[stage.rawValue], n > 0 {
                    figures.append(Figure(label: "其中\(stage.rawValue)", value: String(n), href: nil))
                }
            }
            figures.append(Figure(label: "在职教职工", value: String(counts.staffEmployed),
                                  href: user.may(.viewStaff) ? "/staff" : nil))
            figures.append(Figure(label: "专任教师", value: String(counts.fullTimeTeachers), href: nil))
            let perTownship = Dictionary(grouping: openSchools, by: \.townshipID).mapValues(\.count)
            townshipLinks = try await deps.registry.townships().map {
                TownshipLink(name: $0.name, kind: $0.kind.rawValue, href: "/schools?township=\($0.id.rawValue)",
                             schools: perTownship[$0.id] ?? 0)
            }
            let perZone = Dictionary(grouping: openSchools.filter { $0.zoneID != nil }, by: { $0.zoneID ?? SchoolZoneID(0) }).mapValues(\.count)
            zoneLinks = try await deps.registry.schoolZones().map {
                TownshipLink(name: $0.name, kind: "学区", href: "/schools?zone=\($0.id.rawValue)", schools: perZone[$0.id] ?? 0)
            }
        } else {
            placeName = try await Self.placeName(user.account.scope, deps: deps)
            let ids = Set(allSchools.map(\.id))
            let students = try await deps.registry.students(StudentQuery(date: today, schoolIDs: ids, limit: 0)).total
            let staff = try await deps.registry.staff(StaffQuery(date: today, schoolIDs: ids, limit: 0)).total
            var classes = 0
            for s in openSchools { classes += try await deps.registry.classes(schoolID: s.id, year: year).count }
            figures.append(Figure(label: "在办学校", value: String(openSchools.count), href: "/schools"))
            figures.append(Figure(label: "本学年班级", value: String(classes), href: nil))
            figures.append(Figure(label: "在校学生", value: String(students), href: user.may(.viewStudents) ? "/students" : nil))
            figures.append(Figure(label: "在职教职工", value: String(staff), href: user.may(.viewStaff) ? "/staff" : nil))
            let counts = try await deps.registry.studentCountsBySchool(on: today)
            schoolRows = try await SchoolsController.rows(openSchools, counts: counts, deps: deps, today: today)
        }
        let page = DashboardPage(placeName: placeName, dateText: today.chinese, yearName: year.name, figures: figures,
                                 townships: townshipLinks, hasTownships: !townshipLinks.isEmpty,
                                 zones: zoneLinks, hasZones: !zoneLinks.isEmpty, schools: schoolRows,
                                 hasSchools: !schoolRows.isEmpty,
                                 casework: try await CasesController.duePanel(user: user, deps: deps))
        return deps.views.render("dashboard", ViewContext(chrome: Chrome(title: "首页", user: user, active: "dashboard"), page: page))
    }

    static func placeName(_ scope: AccountScope, deps: AppDependencies) async throws -> String {
        switch scope {
        case .district: return try await deps.registry.district()?.name ?? "全区"
        case .township(let id): return try await deps.registry.townships().first { $0.id == id }?.name ?? "本乡镇"
        case .zone(let id): return try await deps.registry.schoolZones().first { $0.id == id }?.name ?? "本学区"
        case .school(let id): return try await deps.registry.school(id: id)?.name ?? "本校"
        }
    }
}
