import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

extension CookieNames {
    /// Double-submit token of the public case forms (no session without an account).
    static let publicCase = "eduledger_public"
}

/// The public without an account: submit a petition (信访) or a licence application (行政许可)
/// with photos or documents, receive an unguessable tracking code, and look the case up by
/// that code and the last four digits of the phone number given. The status page shows what
/// the public may see — state, dates, the reply once given, the one-time list of missing
/// documents, the decision — never the handling section, staff names or internal notes. The
/// forms carry a double-submit token like the login form; submissions (5 an hour) and failed
/// look-ups (20 in 15 minutes) are throttled per address. Steps are audited under "公众".
struct PublicCasesController {
    let deps: AppDependencies
    static let submissionWindow: TimeInterval = 3600
    static let maxSubmissionsPerAddress = 5
    static let lookupWindow: TimeInterval = 15 * 60
    static let maxFailedLookupsPerAddress = 20
    static let maxNameLength = 50
    static let maxTextLength = 2000

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/public/cases", use: index)
        r.get("/public/cases/petition", use: petitionForm)
        r.post("/public/cases/petition", use: submitPetition)
        r.get("/public/cases/licence", use: licenceForm)
        r.post("/public/cases/licence", use: submitLicence)
        r.get("/public/cases/track", use: trackForm)
        r.post("/public/cases/track", use: track)
        r.post("/public/cases/track/steps", use: step)
        return r
    }

    /// Whether a POST to `path` is a public case form (its token is the public cookie, not a session's).
    static func isPublicForm(_ path: String) -> Bool { path.hasPrefix("/public/cases/") }

    // MARK: token and pages

    /// The token of this browser's public forms: the cookie's, or a new one.
    static func token(_ request: Request) -> String {
        if let existing = request.cookies[CookieNames.publicCase]?.value, SessionMiddleware.isToken(existing) { return existing }
        return Tokens.random()
    }

    func render(_ template: String, title: String, page: some Any, token: String, context: AppRequestContext,
                status: HTTPResponse.Status = .ok) -> Response {
        var response = deps.views.render(template, ViewContext(chrome: Chrome(title: title, user: context.user), page: page), status: status)
        response.setCookie(Cookie(name: CookieNames.publicCase, value: token, maxAge: 7200, path: "/public/cases",
                                  secure: deps.config.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    struct IndexPage { var districtName: String }

    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        let district = try await deps.registry.district()
        return render("public_cases", title: "网上办事", page: IndexPage(districtName: district?.name ?? "本区"), token: Self.token(request),
                      context: context)
    }

    // MARK: submission

    /// One field of a public form, with what was typed and its error.
    struct PublicField {
        var name: String; var label: String; var required: Bool; var isText: Bool; var isLong: Bool; var isSelect: Bool
        var isPhone: Bool; var options: [Option]; var value: String; var error: String?; var maxLength: Int; var hint: String?
    }

    struct FormPage {
        var kind: String; var heading: String; var intro: String; var action: String; var csrf: String; var fields: [PublicField]
        var fileLabel: String; var fileHint: String; var error: String?; var hasErrors: Bool
    }

    /// The public's version of a kind's opening: which engine fields are asked and how.
    static func publicFields(_ kind: CaseKind) -> [(field: CaseField, max: Int, hint: String?)] {
        let opening = CaseWorkflows.workflow(kind).opening
        func f(_ name: String) -> CaseField? { opening.fields.first { $0.name == name } }
        let phone = CaseField("contactPhone", "联系电话", required: true)
        switch kind {
        case .petition:
            return [(f("petitioner") ?? CaseField("petitioner", "信访人"), maxNameLength, "真实姓名"),
                    (phone, 20, "查询办理进度时需要输入手机号后四位"),
                    (f("summary") ?? CaseField("summary", "反映问题", .longText), maxTextLength, "请写明时间、地点、学校和具体问题")]
        default:
            return [(f("applicant") ?? CaseField("applicant", "申请人"), 100, "单位名称或个人姓名"),
                    (f("licenceType") ?? CaseField("licenceType", "许可事项"), 40, nil),
                    (phone, 20, "查询办理进度时需要输入手机号后四位"),
                    (CaseField("documents", "已交材料（每行一项）", .longText, required: false), maxTextLength,
                     "列出随申请上传的材料，如：举办者资格证明、校舍证明、章程")]
        }
    }

    func formPage(_ kind: CaseKind, values: [String: String] = [:], errors: [String: String] = [:], error: String? = nil,
                  token: String) -> FormPage {
        let fields = Self.publicFields(kind).map { spec -> PublicField in
            var options: [Option] = []
            var isSelect = false
            if case .choice(let list) = spec.field.kind {
                isSelect = true
                options = list.map { Option(value: $0, label: $0, selected: values[spec.field.name] == $0) }
            }
            return PublicField(name: "f." + spec.field.name, label: spec.field.label, required: spec.field.required,
                               isText: !isSelect && spec.field.kind != .longText && spec.field.name != "contactPhone",
                               isLong: spec.field.kind == .longText, isSelect: isSelect, isPhone: spec.field.name == "contactPhone",
                               options: options, value: values[spec.field.name] ?? "", error: errors[spec.field.name],
                               maxLength: spec.max, hint: spec.hint)
        }
        let petition = kind == .petition
        return FormPage(
            kind: kind.rawValue, heading: petition ? "网上信访" : "行政许可网上申请",
            intro: petition ? "反映教育领域的问题或提出意见建议。我们将在15日内告知是否受理，受理后60日内答复（信访工作条例）。"
                : "民办学校、校外培训机构设立及教师资格认定。材料不齐的，我们在5个工作日内一次性告知需补正的全部材料（行政许可法第32条）。",
            action: petition ? "/public/cases/petition" : "/public/cases/licence", csrf: token, fields: fields,
            fileLabel: petition ? "相关照片或材料（可不传）" : "申请材料（扫描件或照片）", fileHint: CasesUpload.limitText,
            error: error, hasErrors: !errors.isEmpty || error != nil)
    }

    @Sendable func petitionForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = Self.token(request)
        return render("public_case_form", title: "网上信访", page: formPage(.petition, token: token), token: token, context: context)
    }

    @Sendable func licenceForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = Self.token(request)
        return render("public_case_form", title: "行政许可网上申请", page: formPage(.licence, token: token), token: token, context: context)
    }

    @Sendable func submitPetition(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await submit(.petition, request, context)
    }

    @Sendable func submitLicence(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await submit(.licence, request, context)
    }

    /// Checks each field the public filled in and says, beside it, what is wrong.
    static func check(_ kind: CaseKind, _ values: [String: String]) -> [String: String] {
        var errors: [String: String] = [:]
        for spec in publicFields(kind) {
            let value = values[spec.field.name] ?? ""
            if value.isEmpty {
                if spec.field.required { errors[spec.field.name] = "请填写\(spec.field.label)" }
                continue
            }
            if value.count > spec.max { errors[spec.field.name] = "不能超过\(spec.max)字（现有\(value.count)字）"; continue }
            if case .choice(let list) = spec.field.kind, !list.contains(value) {
                errors[spec.field.name] = "请从列表中选择"
            }
            if spec.field.name == "contactPhone", normalizedPhone(value) == nil {
                errors[spec.field.name] = "请填写有效的手机号（11位）或固定电话"
            }
        }
        return errors
    }

    /// Digits of a phone number (mobile 11 digits starting with 1, or a fixed line of 7–12
    /// digits with its area code), `nil` when it is not one.
    static func normalizedPhone(_ text: String) -> String? {
        let allowed = text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "-" || $0 == " " || $0 == "+") }
        let digits = String(text.filter { $0.isASCII && $0.isNumber })
        guard allowed, (7...13).contains(digits.count) else { return nil }
        if digits.count == 11, digits.first == "1" { return digits }
        return digits.first == "1" && digits.count != 11 ? nil : digits
    }

    func submit(_ kind: CaseKind, _ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = Self.token(request)
        let title = kind == .petition ? "网上信访" : "行政许可网上申请"
        let address = context.clientAddress
        let since = Date().addingTimeInterval(-Self.submissionWindow)
        if try await deps.cases.publicRequests(kind: "submit", address: address, since: since) >= Self.maxSubmissionsPerAddress {
            let page = formPage(kind, error: "提交过于频繁：同一网络每小时最多提交\(Self.maxSubmissionsPerAddress)件，请稍后再试或拨打来访接待电话",
                                token: token)
            return render("public_case_form", title: title, page: page, token: token, context: context, status: .tooManyRequests)
        }
        let submitted: CasesUpload.Submitted
        do {
            submitted = try await CasesUpload.read(request, context: context, expectedCSRF: request.cookies[CookieNames.publicCase]?.value)
        } catch let e as CaseError {
            return render("public_case_form", title: title, page: formPage(kind, error: e.message, token: token), token: token,
                          context: context, status: .unprocessableContent)
        }
        var values = CasesController.fields(submitted.form).mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let errors = Self.check(kind, values)
        guard errors.isEmpty else {
            return render("public_case_form", title: title, page: formPage(kind, values: values, errors: errors, token: token),
                          token: token, context: context, status: .unprocessableContent)
        }
        values["contactPhone"] = Self.normalizedPhone(values["contactPhone"] ?? "")
        let name = values[kind == .petition ? "petitioner" : "applicant"] ?? ""
        if kind == .petition { values["channel"] = "网上信访" }
        let code = PublicTracking.newCode(kind)
        let record: CaseRecord
        do {
            record = try await deps.cases.open(kind: kind, title: "", fields: values, attachments: submitted.attachments,
                                               by: .publicPerson(name), on: deps.today, trackingCode: code)
        } catch let e as CaseError {
            return render("public_case_form", title: title, page: formPage(kind, values: values, error: e.message, token: token),
                          token: token, context: context, status: .unprocessableContent)
        }
        try await deps.cases.recordPublicRequest(kind: "submit", address: address)
        let status = try await statusPage(record, phoneLast4: String((values["contactPhone"] ?? "").suffix(4)), token: token, justSubmitted: true)
        return render("public_case_status", title: "已提交", page: status, token: token, context: context)
    }

    // MARK: look-up

    struct TrackPage { var csrf: String; var code: String; var error: String? }

    @Sendable func trackForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = Self.token(request)
        return render("public_case_track", title: "办理进度查询", page: TrackPage(csrf: token, code: "", error: nil), token: token, context: context)
    }

    /// What the public sees of a case.
    struct StatusPage {
        var csrf: String; var code: String; var phoneLast4: String; var justSubmitted: Bool; var kind: String; var state: String
        var received: String; var due: String?; var completed: String?; var closed: String?; var facts: [CasesController.Pair]
        var missing: [String]; var hasMissing: Bool; var actions: [PublicAction]; var hasActions: Bool; var version: Int
        var error: String?; var fileHint: String
    }
    struct PublicAction { var id: String; var title: String; var fields: [PublicField]; var files: Bool; var fileLabel: String }

    /// The facts the public may see, by kind: the reply once given, the decision, never internal notes.
    static func publicFacts(_ c: CaseRecord) -> [CasesController.Pair] {
        var out: [CasesController.Pair] = []
        func add(_ label: String, _ key: String) { if let v = c.fields[key], !v.isEmpty { out.append(.init(label: label, value: v)) } }
        switch c.kind {
        case .petition:
            add("反映问题", "summary")
            if ["replied", "rated", "closed"].contains(c.state) { add("答复意见", "reply") }
            add("您的评价", "rating")
        case .licence:
            add("申请人", "applicant"); add("许可事项", "licenceType"); add("已交材料", "documents")
            add("决定书文号", "decisionNumber"); add("许可证编号", "licenceNumber")
            if c.state == "closed", c.fields["licenceNumber"] == nil { add("不予许可理由及救济途径", "reason") }
        default: break
        }
        return out
    }

    func statusPage(_ c: CaseRecord, phoneLast4: String, token: String, justSubmitted: Bool = false, error: String? = nil) async throws -> StatusPage {
        let engine = deps.cases.engine
        let flow = engine.workflow(c.kind)
        let actor = CaseActor.publicPerson(c.fields["petitioner"] ?? c.fields["applicant"] ?? "")
        let actions = engine.availableActions(c, for: actor).map { a in
            PublicAction(id: a.id, title: a.title, fields: a.fields.map { f in
                var options: [Option] = []
                if case .choice(let list) = f.kind { options = list.map { Option(value: $0, label: $0, selected: false) } }
                return PublicField(name: "f." + f.name, label: f.label, required: f.required, isText: f.kind == .text,
                                   isLong: f.kind == .longText, isSelect: !options.isEmpty, isPhone: false, options: options, value: "",
                                   error: nil, maxLength: Self.maxTextLength, hint: nil)
            }, files: a.id == "resubmit", fileLabel: "补正材料（扫描件或照片）")
        }
        let missing = c.state == "incomplete"
            ? (c.fields["missingDocuments"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            : []
        return StatusPage(
            csrf: token, code: c.trackingCode ?? "", phoneLast4: phoneLast4, justSubmitted: justSubmitted, kind: c.kind.title,
            state: flow.stateTitle(c.state), received: c.receivedOn.chinese, due: c.isClosed ? nil : c.dueOn?.chinese,
            completed: c.completedOn?.chinese, closed: c.closedOn?.chinese, facts: Self.publicFacts(c), missing: missing,
            hasMissing: !missing.isEmpty, actions: actions, hasActions: !actions.isEmpty, version: c.version, error: error,
            fileHint: CasesUpload.limitText)
    }

    /// The case behind a code and the phone's last four digits; a failed look-up is recorded for throttling.
    func lookUp(code: String, last4: String, address: String) async throws -> CaseRecord? {
        guard let normalized = PublicTracking.normalize(code), last4.count == 4, last4.allSatisfy({ $0.isASCII && $0.isNumber }),
              let c = try await deps.cases.caseRecord(trackingCode: normalized),
              let phone = c.fields["contactPhone"], phone.hasSuffix(last4) else {
            try await deps.cases.recordPublicRequest(kind: "lookup", address: address)
            return nil
        }
        return c
    }

    func throttledLookups(_ address: String) async throws -> Bool {
        try await deps.cases.publicRequests(kind: "lookup", address: address, since: Date().addingTimeInterval(-Self.lookupWindow))
            >= Self.maxFailedLookupsPerAddress
    }

    @Sendable func track(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = Self.token(request)
        let form = context.form ?? FormData(pairs: [])
        let code = String((form["code"] ?? "").prefix(40)), last4 = (form["phoneLast4"] ?? "").trimmingCharacters(in: .whitespaces)
        if try await throttledLookups(context.clientAddress) {
            return render("public_case_track", title: "办理进度查询",
                          page: TrackPage(csrf: token, code: code, error: "查询失败次数过多，请15分钟后再试"), token: token, context: context,
                          status: .tooManyRequests)
        }
        guard let c = try await lookUp(code: code, last4: last4, address: context.clientAddress) else {
            return render("public_case_track", title: "办理进度查询",
                          page: TrackPage(csrf: token, code: code, error: "查询编号或手机号后四位不正确，请核对后重试"), token: token,
                          context: context, status: .notFound)
        }
        return render("public_case_status", title: "办理进度", page: try await statusPage(c, phoneLast4: last4, token: token), token: token,
                      context: context)
    }

    /// A step the public takes on its own case (rating the reply, sending the missing documents).
    @Sendable func step(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = Self.token(request)
        if try await throttledLookups(context.clientAddress) {
            return render("public_case_track", title: "办理进度查询", page: TrackPage(csrf: token, code: "", error: "查询失败次数过多，请15分钟后再试"),
                          token: token, context: context, status: .tooManyRequests)
        }
        let submitted: CasesUpload.Submitted
        var uploadError: String?
        do {
            submitted = try await CasesUpload.read(request, context: context, expectedCSRF: request.cookies[CookieNames.publicCase]?.value)
        } catch let e as CaseError {
            submitted = CasesUpload.Submitted(form: FormData(pairs: []), attachments: [])
            uploadError = e.message
        }
        let form = submitted.form
        let last4 = form["phoneLast4"] ?? ""
        guard let c = try await lookUp(code: form["code"] ?? "", last4: last4, address: context.clientAddress) else {
            let message = uploadError ?? "查询编号或手机号后四位不正确，请重新查询"
            return render("public_case_track", title: "办理进度查询", page: TrackPage(csrf: token, code: "", error: message), token: token,
                          context: context, status: uploadError == nil ? .notFound : .unprocessableContent)
        }
        var error = uploadError
        var current = c
        if error == nil {
            do {
                let fields = CasesController.fields(form).filter { $0.value.count <= Self.maxTextLength }
                current = try await deps.cases.take(form["action"] ?? "", caseID: c.id,
                                                    by: .publicPerson(c.fields["petitioner"] ?? c.fields["applicant"] ?? ""),
                                                    fields: fields, attachments: submitted.attachments, on: deps.today,
                                                    expectedVersion: form["version"].flatMap(Int.init))
            } catch let e as CaseError {
                error = e.message
            }
        }
        let page = try await statusPage(current, phoneLast4: last4, token: token, error: error)
        return render("public_case_status", title: "办理进度", page: page, token: token, context: context,
                      status: error == nil ? .ok : .unprocessableContent)
    }
}

/// Tracking codes for the public: the kind's prefix and 12 characters of Crockford's base32
/// (60 random bits from the system's secure source, like session tokens), grouped by four:
/// `XF-7K3M-9QXD-2HFP`. Not sequential, not derived from the case number.
enum PublicTracking {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    static func newCode(_ kind: CaseKind) -> String {
        var generator = SystemRandomNumberGenerator()
        let chars = (0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return kind.numberPrefix + "-" + String(chars[0..<4]) + "-" + String(chars[4..<8]) + "-" + String(chars[8..<12])
    }

    /// What the public typed, in the stored form: case and separators ignored, O read as 0 and I/L as 1.
    static func normalize(_ typed: String) -> String? {
        var s = typed.uppercased().filter { !$0.isWhitespace && $0 != "-" }
        guard s.count == 14 else { return nil }
        let prefix = String(s.prefix(2))
        guard CaseKind.allCases.contains(where: { $0.numberPrefix == prefix }) else { return nil }
        s = String(s.dropFirst(2)).map { c -> Character in
            switch c { case "O": return "0"; case "I", "L": return "1"; default: return c }
        }.reduce(into: "") { $0.append($1) }
        guard s.allSatisfy({ alphabet.contains($0) }) else { return nil }
        let chars = Array(s)
        return prefix + "-" + String(chars[0..<4]) + "-" + String(chars[4..<8]) + "-" + String(chars[8..<12])
    }
}
