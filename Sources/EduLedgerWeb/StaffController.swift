import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// Staff list and detail, within the user's schools.
struct StaffController {
    let deps: AppDependencies
    static let pageSize = 50

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/staff", use: list)
        r.get("/staff/:id", use: show)
        return r
    }

    struct StaffRowView {
        var href: String; var name: String; var staffNumber: String; var gender: String; var post: String
        var title: String; var school: String; var established: Bool
    }

    struct ListPage { var rows: [StaffRowView]; var pager: Pager; var search: String; var schoolOptions: [Option]; var postOptions: [Option]; var empty: Bool }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStaff)
        let today = deps.today
        let visible = try await deps.registry.schools(SchoolFilter(openOn: today, onlyIDs: user.readable))
        let schoolParam = request.query("school")
        let schoolID = schoolParam.flatMap(Int64.init).map(SchoolID.init)
        if schoolParam != nil, !(schoolID.map { AccessPolicy.contains(user.readable, $0) } ?? false) { throw AppError.notFound }
        let post = request.query("post").flatMap(StaffPost.init(rawValue:))
        let search = request.query("q").map { String($0.prefix(40)) }
        let pageNumber = request.queryInt("page", default: 1, range: 1...100_000)
        let limit = Self.pageSize
        let result = try await deps.registry.staff(StaffQuery(date: today, schoolIDs: schoolID.map { [$0] } ?? user.readable, post: post,
                                                              search: search, offset: (pageNumber - 1) * limit, limit: limit))
        let names = Dictionary(uniqueKeysWithValues: try await deps.registry.schools(SchoolFilter()).map { ($0.id, $0.name) })
        let page = ListPage(
            rows: result.items.map { Self.row($0, names: names) },
            pager: Pager(total: result.total, offset: result.offset, limit: limit) { p in
                urlWithQuery("/staff", [("q", search), ("school", schoolID.map { String($0.rawValue) }), ("post", post?.rawValue),
                                        ("page", String(p))])
            },
            search: search ?? "",
            schoolOptions: visible.map { Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id == schoolID) },
            postOptions: StaffPost.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == post) },
            empty: result.items.isEmpty)
        return deps.views.render("staff_list", ViewContext(chrome: Chrome(title: "教职工", user: user, active: "staff"), page: page))
    }

    static func row(_ m: StaffMember, names: [SchoolID: String]) -> StaffRowView {
        StaffRowView(href: "/staff/\(m.id.rawValue)", name: m.name, staffNumber: m.staffNumber, gender: m.gender.rawValue,
                     post: m.post.rawValue, title: m.title.rawValue, school: m.schoolID.flatMap { names[$0] } ?? "局机关",
                     established: m.established)
    }

    /// The staff member, if the user may read them; otherwise 404.
    static func visibleStaff(_ id: String?, user: CurrentUser, deps: AppDependencies) async throws -> StaffMember {
        guard let raw = id.flatMap(Int64.init), let m = try await deps.registry.staffMember(id: StaffID(raw)),
              AccessPolicy.mayRead(staff: m, readable: user.readable) else { throw AppError.notFound }
        return m
    }

    struct DetailPage {
        var row: StaffRowView
        var schoolHref: String?
        var birthDate: String
        var qualification: String
        var subjects: String
        var certificate: String
        var backbone: Bool
        var hired: String
        var left: String?
        var editHref: String?
        var saved: Bool
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStaff)
        let m = try await Self.visibleStaff(context.parameters.get("id"), user: user, deps: deps)
        let names = Dictionary(uniqueKeysWithValues: try await deps.registry.schools(SchoolFilter()).map { ($0.id, $0.name) })
        let page = DetailPage(
            row: Self.row(m, names: names), schoolHref: m.schoolID.map { "/schools/\($0.rawValue)" },
            birthDate: m.birthDate.chinese, qualification: m.qualification.rawValue,
            subjects: m.subjects.isEmpty ? "—" : m.subjects.joined(separator: "、"),
            certificate: m.certificate.map { "\($0.level.rawValue)（\($0.number)）" } ?? "—", backbone: m.backbone,
            hired: m.hired.chinese, left: m.left?.chinese,
            editHref: user.may(.editStaff) ? "/staff/\(m.id.rawValue)/edit" : nil, saved: request.query("saved") != nil)
        return deps.views.render("staff", ViewContext(chrome: Chrome(title: m.name, user: user, active: "staff"), page: page))
    }
}
