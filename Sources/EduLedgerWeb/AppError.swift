import EduLedgerCore
import Foundation
import Hummingbird

/// One field's validation error, shown next to the field (forms) or listed in `fields` (API).
struct FieldError: Sendable, Codable, Hashable {
    var field: String
    var message: String
}

/// Errors of the web layer. Every error a handler throws — these, domain errors
/// (`UserFacingError`) and Hummingbird's own — becomes an HTTP response in one place,
/// `ErrorMiddleware`.
enum AppError: Error, Sendable {
    /// Not logged in: the login page (pages) or 401 (API).
    case unauthenticated
    /// The role may never take this action.
    case forbidden
    /// Does not exist, or exists outside the user's scope — the two are not told apart.
    case notFound
    /// The form's or header's CSRF token is missing or wrong.
    case csrf
    /// Malformed input, with field-level errors.
    case badRequest(code: String, message: String, fields: [FieldError])
    /// Well-formed input that breaks a rule (e.g. 随班就读 without a disability), with field-level errors.
    case unprocessable(code: String, message: String, fields: [FieldError])
    /// A known path asked with a method it does not answer.
    case methodNotAllowed(allowed: [String])
    /// Too many failed logins.
    case throttled
    case payloadTooLarge

    var status: HTTPResponse.Status {
        switch self {
        case .unauthenticated: return .unauthorized
        case .forbidden, .csrf: return .forbidden
        case .notFound: return .notFound
        case .badRequest: return .badRequest
        case .unprocessable: return .unprocessableContent
        case .methodNotAllowed: return .methodNotAllowed
        case .throttled: return .tooManyRequests
        case .payloadTooLarge: return .contentTooLarge
        }
    }

    var code: String {
        switch self {
        case .unauthenticated: return "auth.required"
        case .forbidden: return "auth.forbidden"
        case .notFound: return "not_found"
        case .csrf: return "auth.csrf"
        case .badRequest(let code, _, _), .unprocessable(let code, _, _): return code
        case .methodNotAllowed: return "request.method_not_allowed"
        case .throttled: return "auth.throttled"
        case .payloadTooLarge: return "request.too_large"
        }
    }

    var message: String {
        switch self {
        case .unauthenticated: return "请先登录"
        case .forbidden: return "您的角色无权进行此操作"
        case .notFound: return "找不到该页面或记录，或您无权查看"
        case .csrf: return "页面已过期或来源不明（CSRF 校验失败），请刷新页面后重试"
        case .badRequest(_, let message, _), .unprocessable(_, let message, _): return message
        case .methodNotAllowed(let allowed): return "该地址不支持此请求方法（支持：\(allowed.joined(separator: "、"))）"
        case .throttled: return "登录失败次数过多，请15分钟后再试"
        case .payloadTooLarge: return "提交的内容过大（上限1MB）"
        }
    }

    var fields: [FieldError] {
        switch self {
        case .badRequest(_, _, let fields), .unprocessable(_, _, let fields): return fields
        default: return []
        }
    }
}

/// The JSON shape of every API error: `{"error": {"code": …, "message": …, "fields": […]}}`.
struct APIErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
        var fields: [FieldError]?
    }
    var error: Detail
}

/// Maps every error to a response: an HTML error page for pages, JSON for `/api`. Domain
/// errors keep their code and Chinese message; anything unexpected is logged and shown as a
/// plain 500 without internals.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let isAPI = request.uri.path.hasPrefix("/api/")
            var error: any Error = error
            if isAPI, let http = error as? any HTTPResponseError, http.status == .notFound,
               let allowed = APIController.allowedMethods(path: request.uri.path), !allowed.contains(request.method.rawValue) {
                error = AppError.methodNotAllowed(allowed: allowed)
            }
            let mapped = Self.map(error)
            if mapped.status == .internalServerError {
                context.logger.error("未处理的错误：\(String(reflecting: error))")
            }
            if case .unauthenticated = error as? AppError, !isAPI {
                let next = request.method == .get ? request.uri.description : "/dashboard"
                return Redirect.to("/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
            }
            if isAPI {
                var fields: [FieldError]? = mapped.fields
                if fields?.isEmpty ?? true { fields = nil }
                let body = APIErrorBody(error: .init(code: mapped.code, message: mapped.message, fields: fields))
                var response = JSONResponse.make(body, status: mapped.status)
                if case .methodNotAllowed(let allowed) = error as? AppError {
                    response.headers[.allow] = allowed.joined(separator: ", ")
                }
                return response
            }
            let page = ErrorPage(status: Int(mapped.status.code), title: Self.title(mapped.status), message: mapped.message,
                                 code: mapped.code)
            return views.render("error", ViewContext(chrome: Chrome(title: page.title, user: nil), page: page),
                                status: mapped.status)
        }
    }

    struct Mapped {
        var status: HTTPResponse.Status
        var code: String
        var message: String
        var fields: [FieldError]
    }

    static func map(_ error: any Error) -> Mapped {
        switch error {
        case let e as AppError:
            return Mapped(status: e.status, code: e.code, message: e.message, fields: e.fields)
        case let e as RegistryError:
            if case .notFound = e { return Mapped(status: .notFound, code: e.code, message: e.message, fields: []) }
            if case .duplicate = e { return Mapped(status: .conflict, code: e.code, message: e.message, fields: []) }
            return Mapped(status: .unprocessableContent, code: e.code, message: e.message, fields: [])
        case let e as any UserFacingError:
            return Mapped(status: .unprocessableContent, code: e.code, message: e.message, fields: [])
        case let e as any HTTPResponseError:
            switch e.status {
            case .contentTooLarge:
                return Mapped(status: .contentTooLarge, code: "request.too_large", message: AppError.payloadTooLarge.message, fields: [])
            case .notFound:
                return Mapped(status: .notFound, code: "not_found", message: AppError.notFound.message, fields: [])
            case .methodNotAllowed:
                return Mapped(status: .methodNotAllowed, code: "request.method_not_allowed", message: "不支持该请求方法", fields: [])
            default:
                return Mapped(status: e.status, code: "request.invalid", message: "请求无效（\(e.status.code)）", fields: [])
            }
        default:
            return Mapped(status: .internalServerError, code: "internal", message: "服务器内部错误，请稍后再试或联系系统管理员", fields: [])
        }
    }

    static func title(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 403: return "无权访问"
        case 404: return "未找到"
        case 400, 422: return "输入有误"
        case 429: return "请稍后再试"
        default: return "出错了"
        }
    }
}

struct ErrorPage: Sendable {
    var status: Int
    var title: String
    var message: String
    var code: String
}

enum Redirect {
    /// 303 See Other after a POST, 302 otherwise — both make the browser GET the target.
    static func to(_ location: String, status: HTTPResponse.Status = .found) -> Response {
        Response(status: status, headers: [.location: location])
    }
}

enum JSONResponse {
    static func make<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
