import EduLedgerCasework
import EduLedgerCore
import Foundation
import Hummingbird
import Mustache
import OfficeFormats

/// The page frame every template shares: title, the user, the navigation their role may use,
/// and the CSRF token for the forms in it.
struct Chrome: Sendable {
    struct NavItem: Sendable {
        var href: String
        var label: String
        var active: Bool
    }
    var title: String
    var userName: String?
    var roleTitle: String?
    var csrf: String?
    /// The links of the navigation bar, escaped (see `navHTML(_:)`); read with `{{{ }}}`.
    var navHTML: String
    /// Stored, not computed: mustache reads stored properties only.
    var loggedIn: Bool

    init(title: String, user: CurrentUser?, active: String = "") {
        self.title = title
        self.userName = user?.account.displayName
        self.roleTitle = user?.account.role.title
        self.csrf = user?.csrfToken
        self.loggedIn = user != nil
        var items: [NavItem] = []
        if let user {
            items.append(NavItem(href: "/dashboard", label: "首页", active: active == "dashboard"))
            items.append(NavItem(href: "/schools", label: "学校", active: active == "schools"))
            items.append(NavItem(href: "/indicators", label: "统计指标", active: active == "indicators"))
            if user.may(.viewStudents) { items.append(NavItem(href: "/students", label: "学生", active: active == "students")) }
            if user.may(.viewStaff) { items.append(NavItem(href: "/staff", label: "教职工", active: active == "staff")) }
            if user.may(.manageSchoolYear) { items.append(NavItem(href: "/school-year", label: "学年业务", active: active == "school-year")) }
            if user.may(.viewStudents) { items.append(NavItem(href: "/dropouts", label: "控辍保学", active: active == "dropouts")) }
            if user.may(.viewDraws) { items.append(NavItem(href: "/draws", label: "编班", active: active == "draws")) }
            if CaseAccess.visibility(role: user.account.role, scope: user.account.scope, readable: user.readable).seesAny {
                items.append(NavItem(href: "/cases", label: "案件办理", active: active == "cases"))
            }
            items.append(NavItem(href: "/reports", label: "工作报告", active: active == "reports"))
            if user.may(.viewAudit) { items.append(NavItem(href: "/audit", label: "审计日志", active: active == "audit")) }
            if user.may(.manageAccounts) { items.append(NavItem(href: "/accounts", label: "账号", active: active == "accounts")) }
            if !ImportsController.kinds(for: user).isEmpty {
                items.append(NavItem(href: "/imports", label: "数据导入", active: active == "imports"))
            }
            if user.may(.exportStatistics) { items.append(NavItem(href: "/exports/statistics", label: "统计表下载", active: false)) }
        }
        self.navHTML = Self.navHTML(items)
    }

    /// The navigation bar as HTML, built here rather than by a template section: it is on every
    /// page and its dozen links were most of the template work of a detail page.
    static func navHTML(_ items: [NavItem]) -> String {
        var html = ""
        for item in items {
            html += "<a href=\"\(HTMLText.escape(item.href))\""
            if item.active { html += " class=\"active\" aria-current=\"page\"" }
            html += ">\(HTMLText.escape(item.label))</a>"
        }
        return html
    }
}

/// What a template receives: the frame and the page's own view model.
struct ViewContext: @unchecked Sendable {
    var chrome: Chrome
    /// The page's view model (a struct read by mustache through reflection).
    var page: Any
}

/// The mustache templates, loaded once from the module's resources. Every value is rendered
/// with `{{ }}`, which HTML-escapes; the only triple-brace value is the navigation bar, which
/// `Chrome` builds from escaped parts.
struct Views: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Views {
        guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw WebSetupError(message: "找不到网页模板目录（资源包缺失）")
        }
        return Views(library: try loadLibrary(directory: root.appendingPathComponent("templates")))
    }

    /// Loads every `.mustache` file like `MustacheLibrary(directory:)` does, but parses each one
    /// behind a pragma that selects `FastHTMLContentType`, the same escaping done faster.
    static func loadLibrary(directory: URL) throws -> MustacheLibrary {
        MustacheContentTypes.register(FastHTMLContentType(), named: FastHTMLContentType.name)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".mustache") }.sorted()
        var library = MustacheLibrary()
        for file in names {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            do {
                try library.register("{{% CONTENT_TYPE: \(FastHTMLContentType.name) }}" + text, named: String(file.dropLast(".mustache".count)))
            } catch {
                throw WebSetupError(message: "网页模板“\(file)”无法解析：\(error)")
            }
        }
        return library
    }

    func html(_ template: String, _ context: ViewContext) -> String {
        library.render(context, withTemplate: template) ?? "<!doctype html><title>模板缺失</title><p>模板“\(template)”缺失"
    }

    func render(_ template: String, _ context: ViewContext, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status,
                 headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: html(template, context))))
    }
}

struct WebSetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// An `application/x-www-form-urlencoded` body as ordered name/value pairs.
struct FormData: Sendable {
    var pairs: [(name: String, value: String)]

    init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    init(urlEncoded text: String) {
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(kv[0])
            let value = kv.count > 1 ? Self.decode(kv[1]) : ""
            pairs.append((name, value))
        }
        self.pairs = pairs
    }

    private static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }

    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    var names: Set<String> { Set(pairs.map(\.name)) }
}

/// URL query helpers.
extension Request {
    func query(_ name: String) -> String? {
        guard let v = uri.queryParameters.get(name) else { return nil }
        let s = String(v).trimmingCharacters(in: .whitespaces)
        return s.isEmpty ? nil : s
    }

    func queryInt(_ name: String, default value: Int, range: ClosedRange<Int>) -> Int {
        guard let s = query(name), let n = Int(s) else { return value }
        return min(max(n, range.lowerBound), range.upperBound)
    }
}

/// Builds a URL with a query, escaping every value.
func urlWithQuery(_ path: String, _ items: [(String, String?)]) -> String {
    var c = URLComponents()
    c.path = path
    let q = items.compactMap { k, v in v.map { URLQueryItem(name: k, value: $0) } }
    c.queryItems = q.isEmpty ? nil : q
    // `+` is a space in a query; encode it so a search for "+" survives.
    return (c.string ?? path).replacingOccurrences(of: "+", with: "%2B")
}

/// Pagination for list pages.
struct Pager: Sendable {
    var page: Int
    var pages: Int
    var total: Int
    var from: Int
    var to: Int
    var prevHref: String?
    var nextHref: String?

    init(total: Int, offset: Int, limit: Int, href: (Int) -> String) {
        self.total = total
        page = offset / max(1, limit) + 1
        pages = max(1, (total + limit - 1) / max(1, limit))
        from = total == 0 ? 0 : offset + 1
        to = min(total, offset + limit)
        prevHref = page > 1 ? href(page - 1) : nil
        nextHref = page < pages ? href(page + 1) : nil
    }
}

/// An option of a `<select>`.
struct Option: Sendable {
    var value: String
    var label: String
    var selected: Bool
}
