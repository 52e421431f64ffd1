import EduLedgerCore

/// Why a case or a step was refused, in Chinese, naming what is wrong.
public enum CaseError: UserFacingError, Equatable {
    case unknownAction(String)
    case notAllowedInState(action: String, state: String)
    case notAllowedForActor(action: String, allowed: String)
    case missingField(String)
    case invalidField(label: String, reason: String)
    case missingAttachment(String, needed: Int)
    case attachmentType(name: String, allowed: String)
    case attachmentTooLarge(name: String, limitMB: Int)
    case attachmentEmpty(String)
    case tooManyAttachments(Int)
    /// The whole upload is over what a step may carry (every file at its limit).
    case uploadTooLarge(limitMB: Int, maxFiles: Int)
    case conditionFailed(String)
    case alreadyExtended
    case calendar(String)
    case notFound
    case staleVersion

    public var code: String {
        switch self {
        case .unknownAction: return "case.unknown_action"
        case .notAllowedInState: return "case.wrong_state"
        case .notAllowedForActor: return "case.forbidden_step"
        case .missingField: return "case.missing_field"
        case .invalidField: return "case.invalid_field"
        case .missingAttachment: return "case.missing_attachment"
        case .attachmentType: return "case.attachment_type"
        case .attachmentTooLarge: return "case.attachment_too_large"
        case .attachmentEmpty: return "case.attachment_empty"
        case .tooManyAttachments: return "case.too_many_attachments"
        case .uploadTooLarge: return "case.upload_too_large"
        case .conditionFailed: return "case.condition"
        case .alreadyExtended: return "case.already_extended"
        case .calendar: return "case.calendar"
        case .notFound: return "case.not_found"
        case .staleVersion: return "case.stale"
        }
    }

    public var message: String {
        switch self {
        case .unknownAction(let a): return "没有“\(a)”这一办理步骤"
        case .notAllowedInState(let a, let s): return "案件当前状态为“\(s)”，不能进行“\(a)”"
        case .notAllowedForActor(let a, let allowed): return "“\(a)”只能由\(allowed)办理"
        case .missingField(let label): return "缺少必填项：\(label)"
        case .invalidField(let label, let reason): return "“\(label)”填写有误：\(reason)"
        case .missingAttachment(let label, let n): return "缺少必需的附件：\(label)（至少\(n)份）"
        case .attachmentType(let name, let allowed): return "附件“\(name)”的类型不允许（只接受\(allowed)）"
        case .attachmentTooLarge(let name, let mb): return "附件“\(name)”超过大小上限 \(mb) MB，请压缩或分开上传"
        case .attachmentEmpty(let name): return "附件“\(name)”是空文件"
        case .tooManyAttachments(let n): return "一次最多上传\(n)个附件"
        case .uploadTooLarge(let mb, let n): return "上传的文件过大：每个文件不超过\(mb) MB，一次最多\(n)个"
        case .conditionFailed(let why): return why
        case .alreadyExtended: return "本案已延期过一次，不能再次延期"
        case .calendar(let m): return "无法计算期限：\(m)"
        case .notFound: return "找不到该案件"
        case .staleVersion: return "案件已被他人办理，请刷新后重试"
        }
    }
}
