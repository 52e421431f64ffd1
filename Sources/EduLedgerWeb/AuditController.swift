import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// The audit log browser, for the administrator only. Read-only: the log cannot be changed
/// or deleted, by this application or by SQL (the database refuses it).
struct AuditController {
    let deps: AppDependencies
    static let pageSize = 50
    static let entities: [(String, String)] = [
        ("student", "学生"), ("enrolment", "学籍记录"), ("school", "学校"), ("class", "班级"), ("staff", "教职工"),
        ("township", "乡镇"), ("school_zone", "学区"), ("district", "区县"), ("account", "账号"), ("batch", "批量装载"),
    ]

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/audit", use: list)
        return r
    }

    struct Change: Equatable { var field: String; var before: String?; var after: String }
    struct EntryView {
        var id: Int64; var at: String; var actor: String; var action: String; var entity: String; var entityID: String
        var changes: [Change]; var hasChanges: Bool; var entityHref: String?
    }
    struct ListPage { var entries: [EntryView]; var pager: Pager; var entityOptions: [Option]; var actor: String; var empty: Bool }

    /// Labels a clerk recognises for the fields of the audited records.
    static let labels: [String: String] = [
        "name": "名称/姓名", "ethnicity": "民族", "hukouType": "户口性质", "hukouTownshipID": "户籍乡镇", "gender": "性别",
        "birthDate": "出生日期", "residentID": "身份证号", "studentNumber": "学籍号", "staffNumber": "教职工号",
        "flags.leftBehind": "留守儿童", "flags.migrantWorkerChild": "随迁子女", "flags.boarding": "寄宿生",
        "flags.inclusiveClass": "随班就读", "flags.disability": "残疾类别", "flags.poverty": "困难类别",
        "schoolID": "学校", "grade": "年级", "classID": "班级", "from": "开始日期", "until": "结束日期", "entry": "入学方式",
        "exit": "离开原因", "code": "代码", "type": "类型", "closed": "停办日期", "mergedIntoID": "并入学校", "opened": "开办日期",
        "post": "岗位", "title": "职称", "qualification": "学历", "hired": "入职日期", "left": "离职日期", "established": "在编",
        "login": "登录名", "displayName": "显示名", "role": "角色", "scope": "范围", "scopeID": "范围编号",
        "mustChangePassword": "须改密码", "isDemo": "演示账号", "disabled": "停用", "passwordChanged": "已改密码",
    ]

    /// The fields whose values differ between two JSON objects (nested objects flattened one
    /// level, e.g. `flags.boarding`), in key order.
    static func changes(before: String?, after: String?) -> [Change] {
        func object(_ s: String?) -> [String: JSONValue] {
            guard let s, case .object(let o)? = try? JSONDecoder().decode(JSONValue.self, from: Data(s.utf8)) else { return [:] }
            var flat: [String: JSONValue] = [:]
            for (k, v) in o {
                if case .object(let inner) = v { for (ik, iv) in inner { flat[k + "." + ik] = iv } } else { flat[k] = v }
            }
            return flat
        }
        let b = object(before), a = object(after)
        var out: [Change] = []
        for key in Set(b.keys).union(a.keys).sorted() {
            let bt = b[key].map(Self.text), at = a[key].map(Self.text) ?? "—"
            if bt != at { out.append(Change(field: labels[key] ?? key, before: bt, after: at)) }
        }
        return out
    }

    /// An audit instant (UTC, ISO 8601) in Beijing time, as the bureau reads it.
    static func beijingTime(_ iso: String) -> String {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = parser.date(from: iso) else { return iso }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : String(v) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    static func text(_ v: JSONValue) -> String {
        switch v {
        case .null: return "—"
        case .bool(let b): return b ? "是" : "否"
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return s
        case .array(let a): return "[" + a.map(text).joined(separator: ", ") + "]"
        case .object(let o): return "{" + o.keys.sorted().map { "\($0): \(text(o[$0] ?? .null))" }.joined(separator: ", ") + "}"
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewAudit)
        let entity = request.query("entity").flatMap { e in Self.entities.contains { $0.0 == e } ? e : nil }
        let actor = request.query("actor").map { String($0.prefix(64)) }
        let pageNumber = request.queryInt("page", default: 1, range: 1...1_000_000)
        let limit = Self.pageSize
        let page = try await deps.registry.auditEntries(entity: entity, actor: actor, offset: (pageNumber - 1) * limit, limit: limit)
        let labels = Dictionary(uniqueKeysWithValues: Self.entities)
        let entries = page.items.map { e in
            let changes = Self.changes(before: e.before, after: e.after)
            let href: String? = e.entity == "student" ? "/students/\(e.entityID)" : e.entity == "school" ? "/schools/\(e.entityID)"
                : e.entity == "staff" ? "/staff/\(e.entityID)" : nil
            return EntryView(id: e.id, at: Self.beijingTime(e.at), actor: e.actor,
                             action: e.action == .insert ? "新增" : e.action == .update ? "修改" : e.action == .delete ? "删除" : "批量装载",
                             entity: labels[e.entity] ?? e.entity, entityID: e.entityID, changes: changes,
                             hasChanges: !changes.isEmpty, entityHref: href)
        }
        let view = ListPage(
            entries: entries,
            pager: Pager(total: page.total, offset: page.offset, limit: limit) { p in
                urlWithQuery("/audit", [("entity", entity), ("actor", actor), ("page", String(p))])
            },
            entityOptions: Self.entities.map { Option(value: $0.0, label: $0.1, selected: $0.0 == entity) },
            actor: actor ?? "", empty: entries.isEmpty)
        return deps.views.render("audit", ViewContext(chrome: Chrome(title: "审计日志", user: user, active: "audit"), page: view))
    }
}
