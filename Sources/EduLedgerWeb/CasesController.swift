import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// Casework in the browser and the JSON API: queues per section, a case with its timeline and
/// the steps the user may take now, new cases, inspection rounds. Who sees what is
/// `CaseAccess` (a case outside it does not exist for the user: 404); who may take a step is
/// the engine's (a refusal names the reason).
struct CasesController {
    let deps: AppDependencies
    static let pageSize = 50

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/cases", use: list)
        r.get("/cases/new", use: newForm)
        r.post("/cases", use: create)
        r.get("/cases/campaigns", use: campaigns)
        r.post("/cases/campaigns", use: createCampaign)
        r.get("/cases/campaigns/:id", use: campaign)
        r.post("/cases/campaigns/:id/findings", use: addFinding)
        r.get("/cases/:id", use: show)
        r.post("/cases/:id/steps", use: step)
        r.get("/cases/:id/attachments/:aid", use: attachment)
        return r
    }

    var apiRoutes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("cases", use: apiList)
        r.post("cases", use: apiCreate)
        r.get("cases/:id", use: apiShow)
        r.post("cases/:id/steps", use: apiStep)
        return r
    }

    // MARK: access

    static func visibility(_ user: CurrentUser) -> CaseAccess.Visibility {
        CaseAccess.visibility(role: user.account.role, scope: user.account.scope, readable: user.readable)
    }

    /// The user's visibility, or 403 for a role that never sees casework.
    static func requireCasework(_ context: AppRequestContext) throws -> (CurrentUser, CaseAccess.Visibility) {
        let user = try context.requireUser()
        let v = visibility(user)
        guard v.seesAny else { throw AppError.forbidden }
        return (user, v)
    }

    func visibleCase(_ id: String?, _ v: CaseAccess.Visibility) async throws -> CaseRecord {
        guard let raw = id.flatMap(Int64.init), let c = try await deps.cases.caseRecord(id: raw), CaseAccess.mayRead(c, v) else {
            throw AppError.notFound
        }
        return c
    }

    static func actor(_ user: CurrentUser) -> CaseActor { CaseActor(user.account) }

    // MARK: view models

    struct CaseRow {
        var href: String; var number: String; var kind: String; var title: String; var state: String; var section: String
        var school: String; var received: String; var due: String; var status: String; var overdue: Bool; var dueSoon: Bool
    }

    func rows(_ items: [CaseRecord]) async throws -> [CaseRow] {
        let names = try await schoolNames()
        let today = deps.today
        return items.map { c in
            let status = deps.cases.engine.status(c, today: today)
            return CaseRow(href: "/cases/\(c.id)", number: c.number, kind: c.kind.title, title: c.title,
                           state: deps.cases.engine.workflow(c.kind).stateTitle(c.state), section: c.section?.title ?? "—",
                           school: c.schoolID.flatMap { names[$0] } ?? "—", received: c.receivedOn.description,
                           due: c.dueOn?.description ?? "—", status: status.chinese, overdue: status.isOverdue, dueSoon: status.isDueSoon)
        }
    }

    func schoolNames() async throws -> [SchoolID: String] {
        Dictionary(uniqueKeysWithValues: try await deps.registry.schools(SchoolFilter()).map { ($0.id, $0.name) })
    }

    struct ListPage {
        var rows: [CaseRow]; var pager: Pager; var kindOptions: [Option]; var search: String; var dueOnly: Bool; var openOnly: Bool
        var empty: Bool; var canOpen: [Option]; var hasOpen: Bool; var campaignsLink: Bool; var heading: String
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, v) = try Self.requireCasework(context)
        let kind = request.query("kind").flatMap(CaseKind.init(rawValue:))
        let dueOnly = request.query("due") == "1"
        let openOnly = request.query("open") == "1" || dueOnly
        let search = request.query("q").map { String($0.prefix(40)) }
        let pageNumber = request.queryInt("page", default: 1, range: 1...100_000)
        let soon = (try? deps.cases.engine.calendar.date(CaseEngine.dueSoonWorkingDays, workingDaysAfter: deps.today))
            ?? deps.today.adding(days: 5)
        var query = CaseQuery(kinds: kind.map { [$0] }, visibility: v, openOnly: openOnly, dueBy: dueOnly ? soon : nil, search: search,
                              offset: (pageNumber - 1) * Self.pageSize, limit: Self.pageSize)
        if let format = request.query("format") {
            // Every case the filtered queue lists (all pages), as the queue shows them.
            query.offset = 0
            query.limit = 100_000
            let all = try await deps.cases.cases(query)
            let lines = try await rows(all.items).map { r in
                [r.number, r.kind, r.title, r.state, r.section, r.school, r.received, r.due, r.status]
            }
            return try TableDownload.response(format: format, fileTitle: "案件清单\(deps.today.description)", sheet: "案件",
                                              header: ["编号", "类别", "标题", "状态", "承办股室", "学校", "登记日期", "期限", "期限状态"],
                                              rows: lines, columnWidths: [14, 12, 36, 14, 14, 24, 12, 12, 12])
        }
        let result = try await deps.cases.cases(query)
        let openable = CaseAccess.openableKinds(role: user.account.role, scope: user.account.scope)
        let page = ListPage(
            rows: try await rows(result.items),
            pager: Pager(total: result.total, offset: result.offset, limit: Self.pageSize) { p in
                urlWithQuery("/cases", [("kind", kind?.rawValue), ("q", search), ("due", dueOnly ? "1" : nil),
                                        ("open", openOnly ? "1" : nil), ("page", String(p))])
            },
            kindOptions: CaseKind.allCases.filter { k in v.allOfKinds.contains(k) || v.section != nil || (k == .hazard && v.hazardSchools != nil) }
                .map { Option(value: $0.rawValue, label: $0.title, selected: $0 == kind) },
            search: search ?? "", dueOnly: dueOnly, openOnly: openOnly, empty: result.items.isEmpty,
            canOpen: openable.map { Option(value: "/cases/new?kind=\($0.rawValue)", label: "登记" + $0.title, selected: false) },
            hasOpen: !openable.isEmpty, campaignsLink: v.allOfKinds.contains(.hazard),
            heading: dueOnly ? "超期和即将到期的案件" : "案件")
        return deps.views.render("cases", ViewContext(chrome: Chrome(title: "案件办理", user: user, active: "cases"), page: page))
    }

    // MARK: forms

    struct FieldView {
        var name: String; var label: String; var required: Bool; var isText: Bool; var isLong: Bool; var isDate: Bool; var isMoney: Bool
        var isSelect: Bool; var options: [Option]; var hint: String?
    }

    func fieldViews(_ fields: [CaseField]) async throws -> [FieldView] {
        var out: [FieldView] = []
        for f in fields {
            var v = FieldView(name: "f." + f.name, label: f.label, required: f.required, isText: false, isLong: false, isDate: false,
                              isMoney: false, isSelect: false, options: [], hint: nil)
            switch f.kind {
            case .text: v.isText = true
            case .longText: v.isLong = true
            case .date: v.isDate = true
            case .money: v.isMoney = true
            case .choice(let options):
                v.isSelect = true; v.options = options.map { Option(value: $0, label: $0, selected: false) }
            case .section:
                v.isSelect = true
                v.options = CaseWorkflows.bureauSections.map { Option(value: $0.rawValue, label: $0.title, selected: false) }
            case .sections:
                v.isText = true
                v.hint = "以英文逗号分隔：" + CaseWorkflows.bureauSections.map { "\($0.rawValue)=\($0.title)" }.joined(separator: "，")
            case .school:
                v.isSelect = true
                v.options = try await deps.registry.schools(SchoolFilter(openOn: deps.today)).map {
                    Option(value: String($0.id.rawValue), label: "\($0.name)（\($0.code)）", selected: false)
                }
            }
            out.append(v)
        }
        return out
    }

    struct ActionForm {
        var id: String; var title: String; var fields: [FieldView]; var attachments: Bool; var attachmentLabel: String
        var accept: String; var minAttachments: Int
        /// A photo step: the phone opens its camera (`capture`).
        var capture: Bool; var limitText: String
    }

    func actionForm(_ a: CaseAction) async throws -> ActionForm {
        let photo = a.attachmentTypes.contains("image/")
        return ActionForm(id: a.id, title: a.title, fields: try await fieldViews(a.fields),
                          attachments: a.minAttachments > 0 || !a.attachmentTypes.isEmpty
                              || ["reply", "grant", "refuse", "recordRefund", "reportRectified", "investigate", "open", "resubmit"].contains(a.id),
                          attachmentLabel: a.attachmentLabel.isEmpty ? "附件" : a.attachmentLabel,
                          accept: photo ? "image/jpeg,image/png" : "image/jpeg,image/png,application/pdf",
                          minAttachments: a.minAttachments, capture: photo, limitText: CasesUpload.limitText)
    }

    struct NewPage { var kind: String; var kindTitle: String; var form: ActionForm; var error: String?; var campaignID: String? }

    @Sendable func newForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        guard let kind = request.query("kind").flatMap(CaseKind.init(rawValue:)) else { throw AppError.notFound }
        guard CaseAccess.openableKinds(role: user.account.role, scope: user.account.scope).contains(kind) else { throw AppError.forbidden }
        let page = NewPage(kind: kind.rawValue, kindTitle: kind.title, form: try await actionForm(CaseWorkflows.workflow(kind).opening),
                           error: nil, campaignID: nil)
        return deps.views.render("case_new", ViewContext(chrome: Chrome(title: "登记" + kind.title, user: user, active: "cases"), page: page))
    }

    /// The `f.<name>` fields of a submitted form.
    static func fields(_ form: FormData?) -> [String: String] {
        var out: [String: String] = [:]
        for (name, value) in form?.pairs ?? [] where name.hasPrefix("f.") { out[String(name.dropFirst(2))] = value }
        return out
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let submitted: CasesUpload.Submitted
        do {
            submitted = try await CasesUpload.read(request, context: context, expectedCSRF: user.csrfToken)
        } catch let e as CaseError {
            // Too large to read: the form again, with the limit.
            guard let kind = request.query("kind").flatMap(CaseKind.init(rawValue:)) else { throw e }
            let page = NewPage(kind: kind.rawValue, kindTitle: kind.title, form: try await actionForm(CaseWorkflows.workflow(kind).opening),
                               error: e.message, campaignID: nil)
            return deps.views.render("case_new", ViewContext(chrome: Chrome(title: "登记" + kind.title, user: user, active: "cases"), page: page),
                                     status: .unprocessableContent)
        }
        let form = submitted.form
        guard let kind = form["kind"].flatMap(CaseKind.init(rawValue:)) else { throw AppError.notFound }
        guard CaseAccess.openableKinds(role: user.account.role, scope: user.account.scope).contains(kind) else { throw AppError.forbidden }
        do {
            // A petition or licence application entered by staff gets a tracking code too, for
            // the visitor or applicant to follow it on the public pages.
            let code = kind == .petition || kind == .licence ? PublicTracking.newCode(kind) : nil
            let c = try await deps.cases.open(kind: kind, title: form["title"] ?? "", fields: Self.fields(form),
                                              attachments: submitted.attachments, by: Self.actor(user), on: deps.today, trackingCode: code)
            return Redirect.to("/cases/\(c.id)", status: .seeOther)
        } catch let e as CaseError {
            let page = NewPage(kind: kind.rawValue, kindTitle: kind.title, form: try await actionForm(CaseWorkflows.workflow(kind).opening),
                               error: e.message, campaignID: nil)
            return deps.views.render("case_new", ViewContext(chrome: Chrome(title: "登记" + kind.title, user: user, active: "cases"), page: page),
                                     status: .unprocessableContent)
        }
    }

    // MARK: detail and steps

    struct StepView {
        var sequence: Int; var title: String; var actor: String; var on: String; var at: String; var state: String
        var fields: [Pair]; var attachments: [FileLink]
    }
    struct Pair { var label: String; var value: String }
    struct FileLink { var href: String; var name: String; var size: String; var sha256: String }

    struct DetailPage {
        var caseID: Int64; var number: String; var kind: String; var title: String; var state: String; var section: String
        var coSections: String; var school: String; var received: String; var due: String; var dueLabel: String; var status: String
        var overdue: Bool; var escalated: Bool; var fields: [Pair]; var steps: [StepView]; var actions: [ActionForm]; var hasActions: Bool
        var version: Int; var error: String?; var campaignHref: String?; var trackingCode: String?
    }

    func detail(_ c: CaseRecord, user: CurrentUser, error: String? = nil) async throws -> DetailPage {
        let engine = deps.cases.engine
        let flow = engine.workflow(c.kind)
        let labels = Self.fieldLabels(flow)
        let names = try await schoolNames()
        let status = engine.status(c, today: deps.today)
        let steps = try await deps.cases.steps(caseID: c.id)
        var forms: [ActionForm] = []
        for a in engine.availableActions(c, for: Self.actor(user)) { forms.append(try await actionForm(a)) }
        func pairs(_ f: [String: String]) -> [Pair] {
            f.keys.sorted().map { k in Pair(label: labels[k] ?? k, value: Self.display(k, f[k] ?? "", names: names)) }
        }
        return DetailPage(
            caseID: c.id, number: c.number, kind: c.kind.title, title: c.title, state: flow.stateTitle(c.state),
            section: c.section?.title ?? "—", coSections: c.coSections.map(\.title).joined(separator: "、"),
            school: c.schoolID.flatMap { names[$0] } ?? "—", received: c.receivedOn.chinese, due: c.dueOn?.chinese ?? "—",
            dueLabel: c.dueLabel ?? "", status: status.chinese, overdue: status.isOverdue, escalated: c.escalated,
            fields: pairs(c.fields),
            steps: steps.map { s in
                StepView(sequence: s.sequence, title: s.actionTitle, actor: s.actor.displayName + (s.actor.role.map { "（\($0.title)）" } ?? ""),
                         on: s.on.description, at: s.at, state: flow.stateTitle(s.toState), fields: pairs(s.fields),
                         attachments: s.attachments.map { FileLink(href: "/cases/\(c.id)/attachments/\($0.id)", name: $0.name,
                                                                   size: "\(($0.size + 1023) / 1024) KB", sha256: String($0.sha256.prefix(12))) })
            },
            actions: forms, hasActions: !forms.isEmpty, version: c.version, error: error,
            campaignHref: c.campaignID.map { "/cases/campaigns/\($0)" }, trackingCode: c.trackingCode)
    }

    static func fieldLabels(_ flow: CaseWorkflow) -> [String: String] {
        var labels: [String: String] = ["note": "说明"]
        for a in [flow.opening] + flow.actions { for f in a.fields { labels[f.name] = f.label } }
        return labels
    }

    static func display(_ key: String, _ value: String, names: [SchoolID: String]) -> String {
        switch key {
        case "refundOrdered", "refundProven": return (Int64(value).map { Money(fen: $0).description } ?? value) + "元"
        case "section": return Role(rawValue: value)?.title ?? value
        case "coSections": return value.split(separator: ",").compactMap { Role(rawValue: String($0))?.title }.joined(separator: "、")
        case "school": return Int64(value).flatMap { names[SchoolID($0)] } ?? value
        default: return value
        }
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, v) = try Self.requireCasework(context)
        let c = try await visibleCase(context.parameters.get("id"), v)
        let page = try await detail(c, user: user)
        return deps.views.render("case", ViewContext(chrome: Chrome(title: c.number, user: user, active: "cases"), page: page))
    }

    @Sendable func step(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, v) = try Self.requireCasework(context)
        let c = try await visibleCase(context.parameters.get("id"), v)
        do {
            let submitted = try await CasesUpload.read(request, context: context, expectedCSRF: user.csrfToken)
            let form = submitted.form
            _ = try await deps.cases.take(form["action"] ?? "", caseID: c.id, by: Self.actor(user), fields: Self.fields(form),
                                          attachments: submitted.attachments, on: deps.today,
                                          expectedVersion: form["version"].flatMap(Int.init))
            return Redirect.to("/cases/\(c.id)", status: .seeOther)
        } catch let e as CaseError {
            let page = try await detail(c, user: user, error: e.message)
            return deps.views.render("case", ViewContext(chrome: Chrome(title: c.number, user: user, active: "cases"), page: page),
                                     status: .unprocessableContent)
        }
    }

    @Sendable func attachment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, v) = try Self.requireCasework(context)
        let c = try await visibleCase(context.parameters.get("id"), v)
        guard let aid = context.parameters.get("aid").flatMap(Int64.init), let file = try await deps.cases.attachment(id: aid),
              file.caseID == c.id else { throw AppError.notFound }
        let safeName = file.info.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return Response(status: .ok, headers: [.contentType: file.info.contentType, .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename*=UTF-8''\(safeName)"],
                        body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }

    // MARK: inspection rounds

    struct CampaignRow { var href: String; var name: String; var started: String; var schools: Int; var hazards: Int }
    struct CampaignsPage { var rows: [CampaignRow]; var canCreate: Bool; var schoolOptions: [Option]; var today: String; var empty: Bool }

    static func requireHazards(_ context: AppRequestContext) throws -> CurrentUser {
        let (user, v) = try requireCasework(context)
        guard v.allOfKinds.contains(.hazard) else { throw AppError.forbidden }
        return user
    }

    @Sendable func campaigns(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try Self.requireHazards(context)
        var rows: [CampaignRow] = []
        for c in try await deps.cases.campaigns() {
            let n = try await deps.cases.cases(CaseQuery(campaignID: c.id, limit: 0)).total
            rows.append(CampaignRow(href: "/cases/campaigns/\(c.id)", name: c.name, started: c.startedOn.description, schools: c.schoolIDs.count,
                                    hazards: n))
        }
        let schools = try await deps.registry.schools(SchoolFilter(openOn: deps.today))
        let page = CampaignsPage(rows: rows, canCreate: user.account.role == .safety,
                                 schoolOptions: schools.map { Option(value: String($0.id.rawValue), label: $0.name, selected: true) },
                                 today: deps.today.description, empty: rows.isEmpty)
        return deps.views.render("case_campaigns", ViewContext(chrome: Chrome(title: "安全排查", user: user, active: "cases"), page: page))
    }

    @Sendable func createCampaign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try Self.requireHazards(context)
        guard user.account.role == .safety else { throw AppError.forbidden }
        let form = context.form
        let ids = (form?.pairs ?? []).filter { $0.name == "school" }.compactMap { Int64($0.value) }.map(SchoolID.init)
        let known = Set(try await deps.registry.schools(SchoolFilter()).map(\.id))
        guard let start = form?["startedOn"].flatMap({ CivilDate(iso: $0) }), ids.allSatisfy(known.contains) else {
            throw AppError.badRequest(code: "case.campaign_invalid", message: "请填写开始日期并选择学校", fields: [])
        }
        let c = try await deps.cases.createCampaign(InspectionCampaign(
            name: form?["name"] ?? "", startedOn: start, endsOn: form?["endsOn"].flatMap { CivilDate(iso: $0) }, schoolIDs: ids,
            createdBy: user.account.login))
        return Redirect.to("/cases/campaigns/\(c.id)", status: .seeOther)
    }

    struct CampaignSchool { var name: String; var id: String; var hazards: Int }
    struct CampaignPage {
        var id: Int64; var name: String; var period: String; var schools: [CampaignSchool]; var rows: [CaseRow]
        var finding: ActionForm; var canRecord: Bool; var error: String?
    }

    func campaignPage(_ id: String?, user: CurrentUser, error: String? = nil) async throws -> CampaignPage {
        guard let raw = id.flatMap(Int64.init), let c = try await deps.cases.campaign(id: raw) else { throw AppError.notFound }
        let hazards = try await deps.cases.cases(CaseQuery(campaignID: c.id, limit: 10_000)).items
        let names = try await schoolNames()
        let perSchool = Dictionary(grouping: hazards.compactMap(\.schoolID), by: { $0 }).mapValues(\.count)
        let opening = CaseWorkflows.workflow(.hazard).opening
        return CampaignPage(
            id: c.id, name: c.name, period: c.startedOn.chinese + (c.endsOn.map { "至" + $0.chinese } ?? ""),
            schools: c.schoolIDs.map { CampaignSchool(name: names[$0] ?? "学校#\($0.rawValue)", id: String($0.rawValue), hazards: perSchool[$0] ?? 0) },
            rows: try await rows(hazards), finding: try await actionForm(opening),
            canRecord: opening.who.contains { CaseEngine.matchesParty($0, Self.actor(user)) }, error: error)
    }

    @Sendable func campaign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try Self.requireHazards(context)
        let page = try await campaignPage(context.parameters.get("id"), user: user)
        return deps.views.render("case_campaign", ViewContext(chrome: Chrome(title: page.name, user: user, active: "cases"), page: page))
    }

    @Sendable func addFinding(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try Self.requireHazards(context)
        guard let raw = context.parameters.get("id").flatMap(Int64.init), let c = try await deps.cases.campaign(id: raw) else {
            throw AppError.notFound
        }
        let submitted: CasesUpload.Submitted
        do {
            submitted = try await CasesUpload.read(request, context: context, expectedCSRF: user.csrfToken)
        } catch let e as CaseError {
            let page = try await campaignPage(String(raw), user: user, error: e.message)
            return deps.views.render("case_campaign", ViewContext(chrome: Chrome(title: page.name, user: user, active: "cases"), page: page),
                                     status: .unprocessableContent)
        }
        var fields = Self.fields(submitted.form)
        guard let school = fields["school"].flatMap(Int64.init).map(SchoolID.init), c.schoolIDs.contains(school) else {
            let page = try await campaignPage(String(raw), user: user, error: "该学校不在本轮排查范围内")
            return deps.views.render("case_campaign", ViewContext(chrome: Chrome(title: page.name, user: user, active: "cases"), page: page),
                                     status: .unprocessableContent)
        }
        fields["school"] = String(school.rawValue)
        do {
            _ = try await deps.cases.open(kind: .hazard, title: "", fields: fields, attachments: submitted.attachments,
                                          by: Self.actor(user), on: deps.today, campaignID: c.id)
            return Redirect.to("/cases/campaigns/\(c.id)", status: .seeOther)
        } catch let e as CaseError {
            let page = try await campaignPage(String(raw), user: user, error: e.message)
            return deps.views.render("case_campaign", ViewContext(chrome: Chrome(title: page.name, user: user, active: "cases"), page: page),
                                     status: .unprocessableContent)
        }
    }

    // MARK: dashboard panel

    struct DuePanel { var overdue: Int; var dueSoon: Int; var mine: [CaseRow]; var hasMine: Bool }

    /// Overdue and due-soon cases the user sees, for the dashboard; `nil` for users without casework.
    static func duePanel(user: CurrentUser, deps: AppDependencies) async throws -> DuePanel? {
        let v = visibility(user)
        guard v.seesAny else { return nil }
        let today = deps.today
        let soon = (try? deps.cases.engine.calendar.date(CaseEngine.dueSoonWorkingDays, workingDaysAfter: today)) ?? today.adding(days: 5)
        let due = try await deps.cases.cases(CaseQuery(visibility: v, dueBy: soon, limit: 10_000)).items
        let overdue = due.filter { deps.cases.engine.status($0, today: today).isOverdue }
        let controller = CasesController(deps: deps)
        let mine = try await controller.rows(Array(due.prefix(10)))
        return DuePanel(overdue: overdue.count, dueSoon: due.count - overdue.count, mine: mine, hasMine: !mine.isEmpty)
    }

    // MARK: API

    struct CaseDTO: Codable {
        var id: Int64; var number: String; var kind: String; var kindTitle: String; var title: String; var state: String; var stateTitle: String
        var section: String?; var coSections: [String]; var schoolID: Int64?; var campaignID: Int64?; var receivedOn: String
        var dueOn: String?; var dueLabel: String?; var deadlineStatus: String; var overdue: Bool; var escalated: Bool
        var completedOn: String?; var completedOnTime: Bool?; var closedOn: String?; var fields: [String: String]; var version: Int
    }
    struct StepDTO: Codable {
        var sequence: Int; var action: String; var title: String; var fromState: String?; var toState: String; var actor: String
        var actorName: String; var on: String; var at: String; var fields: [String: String]; var attachments: [CaseAttachmentInfo]
    }
    struct ActionDTO: Codable { var id: String; var title: String; var fields: [String]; var requiredFields: [String]; var minAttachments: Int }
    struct CaseDetailDTO: Codable { var `case`: CaseDTO; var steps: [StepDTO]; var actions: [ActionDTO] }
    struct AttachmentIn: Codable { var name: String; var contentType: String; var base64: String }
    struct CreateIn: Codable { var kind: String; var title: String?; var fields: [String: String]?; var attachments: [AttachmentIn]? }
    struct StepIn: Codable { var action: String; var fields: [String: String]?; var version: Int?; var attachments: [AttachmentIn]? }

    func dto(_ c: CaseRecord) -> CaseDTO {
        let engine = deps.cases.engine
        let status = engine.status(c, today: deps.today)
        return CaseDTO(id: c.id, number: c.number, kind: c.kind.rawValue, kindTitle: c.kind.title, title: c.title, state: c.state,
                       stateTitle: engine.workflow(c.kind).stateTitle(c.state), section: c.section?.rawValue,
                       coSections: c.coSections.map(\.rawValue), schoolID: c.schoolID?.rawValue, campaignID: c.campaignID,
                       receivedOn: c.receivedOn.description, dueOn: c.dueOn?.description, dueLabel: c.dueLabel,
                       deadlineStatus: status.chinese, overdue: status.isOverdue, escalated: c.escalated,
                       completedOn: c.completedOn?.description, completedOnTime: c.completedOnTime, closedOn: c.closedOn?.description,
                       fields: c.fields, version: c.version)
    }

    /// `steps`: the case's history when the caller has it (a case just opened), else read.
    func detailDTO(_ c: CaseRecord, user: CurrentUser, steps known: [CaseStep]? = nil) async throws -> CaseDetailDTO {
        var steps = known ?? []
        if known == nil { steps = try await deps.cases.steps(caseID: c.id) }
        return CaseDetailDTO(
            case: dto(c),
            steps: steps.map { StepDTO(sequence: $0.sequence, action: $0.action, title: $0.actionTitle, fromState: $0.fromState,
                                       toState: $0.toState, actor: $0.actor.login, actorName: $0.actor.displayName, on: $0.on.description,
                                       at: $0.at, fields: $0.fields, attachments: $0.attachments) },
            actions: deps.cases.engine.availableActions(c, for: Self.actor(user)).map {
                ActionDTO(id: $0.id, title: $0.title, fields: $0.fields.map(\.name), requiredFields: $0.fields.filter(\.required).map(\.name),
                          minAttachments: $0.minAttachments)
            })
    }

    static func body<T: Decodable>(_ request: Request, context: AppRequestContext, as: T.Type) async throws -> T {
        guard (request.headers[.contentType] ?? "").hasPrefix("application/json") else {
            throw AppError.badRequest(code: "request.content_type", message: "请求体必须是 application/json", fields: [])
        }
        var request = request
        // Attachments travel as base64 in the JSON: room for every file at its limit.
        let buffer = try await request.collectBody(upTo: CasesUpload.maxBodyBytes / 3 * 4 + 64 * 1024)
        do { return try JSONDecoder().decode(T.self, from: Data(buffer: buffer)) } catch {
            throw AppError.badRequest(code: "request.invalid_body", message: "请求体不是有效的 JSON 或缺少字段", fields: [])
        }
    }

    static func decode(_ files: [AttachmentIn]?) throws -> [CaseAttachment] {
        try (files ?? []).map { f in
            guard let bytes = Data(base64Encoded: f.base64) else {
                throw AppError.badRequest(code: "case.attachment_encoding", message: "附件“\(f.name)”的 base64 编码有误", fields: [])
            }
            return CaseAttachment(name: f.name, contentType: f.contentType, bytes: Array(bytes))
        }
    }

    @Sendable func apiList(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (_, v) = try Self.requireCasework(context)
        let kind = try APIController.enumParameter(request, "kind", CaseKind.self)
        let (offset, limit) = try APIController.paging(request, maxLimit: 1000)
        func flag(_ name: String) throws -> Bool {
            guard let s = APIController.strictQuery(request, name) else { return false }
            guard s == "1" else {
                throw AppError.badRequest(code: "request.invalid_query", message: "查询参数有误", fields: [FieldError(field: name, message: "只能为1")])
            }
            return true
        }
        let state = APIController.strictQuery(request, "state")
        if let state, state.isEmpty || state.count > 40 {
            throw AppError.badRequest(code: "request.invalid_query", message: "查询参数有误", fields: [FieldError(field: "state", message: "状态无效")])
        }
        let overdue = try flag("overdue")
        let result = try await deps.cases.cases(CaseQuery(kinds: kind.map { [$0] }, visibility: v, state: state, openOnly: try flag("open"),
                                                          dueBy: overdue ? deps.today.adding(days: -1) : nil,
                                                          offset: offset, limit: limit))
        return JSONResponse.make(APIController.ListDTO(items: result.items.map(dto), total: result.total, offset: offset, limit: limit))
    }

    @Sendable func apiShow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, v) = try Self.requireCasework(context)
        let c = try await visibleCase(context.parameters.get("id"), v)
        return JSONResponse.make(try await detailDTO(c, user: user))
    }

    @Sendable func apiCreate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let input = try await Self.body(request, context: context, as: CreateIn.self)
        guard let kind = CaseKind(rawValue: input.kind) else {
            throw AppError.badRequest(code: "case.unknown_kind", message: "没有“\(input.kind)”这类案件", fields: [])
        }
        guard CaseAccess.openableKinds(role: user.account.role, scope: user.account.scope).contains(kind) else { throw AppError.forbidden }
        let (c, step) = try await deps.cases.openWithStep(kind: kind, title: input.title ?? "", fields: input.fields ?? [:],
                                                          attachments: try Self.decode(input.attachments), by: Self.actor(user), on: deps.today)
        return JSONResponse.make(try await detailDTO(c, user: user, steps: [step]), status: .created)
    }

    @Sendable func apiStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (user, v) = try Self.requireCasework(context)
        let c = try await visibleCase(context.parameters.get("id"), v)
        let input = try await Self.body(request, context: context, as: StepIn.self)
        let next = try await deps.cases.take(input.action, caseID: c.id, by: Self.actor(user), fields: input.fields ?? [:],
                                             attachments: try Self.decode(input.attachments), on: deps.today, expectedVersion: input.version)
        return JSONResponse.make(try await detailDTO(next, user: user))
    }
}

extension CaseEngine {
    /// Whether an actor fits a party that does not depend on the case (roles, the public).
    static func matchesParty(_ party: CaseParty, _ actor: CaseActor) -> Bool {
        if case .role(let r) = party { return actor.kind == .user && actor.role == r && actor.scope == .district }
        return false
    }
}
