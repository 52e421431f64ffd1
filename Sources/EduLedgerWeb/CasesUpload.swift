import EduLedgerCasework
import Foundation
import Hummingbird

/// The case forms that carry files — a new case, a step, an inspection finding, the public's
/// petition and licence application — are posted as `multipart/form-data`, so a phone sends its
/// photo as it is (no script, no base64). The body is streamed to a temporary file with a
/// limit (`ImportUpload.receive`), split by the same parser as the spreadsheet upload, and the
/// form's `_csrf` field is checked before anything else is looked at. Forms without files stay
/// url-encoded and are parsed (and their token checked) by the session middleware.
enum CasesUpload {
    static let maxFiles = CaseEngine.maxAttachmentsPerStep
    static let maxFileBytes = CaseEngine.maxAttachmentBytes
    /// Every file at its limit plus the form's text fields.
    static let maxBodyBytes = maxFiles * maxFileBytes + 256 * 1024

    /// Whether the session middleware should leave this request's body to the case handler.
    static func isUpload(_ request: Request) -> Bool {
        request.method == .post && (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data")
            && acceptsFiles(request.uri.path)
    }

    /// The paths of the forms that carry files.
    static func acceptsFiles(_ path: String) -> Bool {
        let p = path.split(separator: "/").map(String.init)
        func isID(_ s: String) -> Bool { !s.isEmpty && s.count <= 18 && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) }
        switch p.count {
        case 1: return p == ["cases"]
        case 3: return (p[0] == "cases" && isID(p[1]) && p[2] == "steps")
            || (p[0] == "public" && p[1] == "cases" && ["petition", "licence"].contains(p[2]))
        case 4: return p == ["public", "cases", "track", "steps"]
            || (p[0] == "cases" && p[1] == "campaigns" && isID(p[2]) && p[3] == "findings")
        default: return false
        }
    }

    /// A submitted case form: its fields and the files it carried.
    struct Submitted: Sendable {
        var form: FormData
        var attachments: [CaseAttachment]
    }

    /// The form of this request. Url-encoded: the form the middleware parsed (no files).
    /// Multipart: received and parsed here, its `_csrf` compared with `expectedCSRF` first (403
    /// otherwise); a file over the limit, too many files or a body over `maxBodyBytes` is a
    /// `CaseError` the handler shows beside the form.
    static func read(_ request: Request, context: AppRequestContext, expectedCSRF: String?) async throws -> Submitted {
        guard isUpload(request) else { return Submitted(form: context.form ?? FormData(pairs: []), attachments: []) }
        guard let boundary = ImportUpload.boundary(of: request) else {
            throw AppError.badRequest(code: "case.upload", message: "上传的表单格式不正确，请重新选择文件上传", fields: [])
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-case-" + String(Tokens.random().prefix(20)))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let body: URL
        do {
            body = try await ImportUpload.receive(request, into: directory, limit: maxBodyBytes)
        } catch AppError.payloadTooLarge {
            throw CaseError.uploadTooLarge(limitMB: maxFileBytes / (1024 * 1024), maxFiles: maxFiles)
        }
        let data = try Data(contentsOf: body, options: .alwaysMapped)
        let parts = try ImportUpload.parts(of: data, boundary: boundary)
        var pairs: [(name: String, value: String)] = []
        for part in parts where part.fileName == nil && part.content.count <= 64 * 1024 {
            pairs.append((part.name, String(decoding: data[part.content], as: UTF8.self)))
        }
        let form = FormData(pairs: pairs)
        guard let expectedCSRF, SessionMiddleware.isToken(expectedCSRF), let sent = form["_csrf"],
              Tokens.constantTimeEqual(sent, expectedCSRF) else { throw AppError.csrf }
        var files: [CaseAttachment] = []
        for part in parts {
            guard let fileName = part.fileName, !(fileName.isEmpty && part.content.isEmpty) else { continue }
            let name = String(URL(fileURLWithPath: fileName.isEmpty ? "附件" : fileName).lastPathComponent.prefix(200))
            guard part.content.count <= maxFileBytes else {
                throw CaseError.attachmentTooLarge(name: name, limitMB: maxFileBytes / (1024 * 1024))
            }
            files.append(CaseAttachment(name: name, contentType: "application/octet-stream", bytes: Array(data[part.content])))
            guard files.count <= maxFiles else { throw CaseError.tooManyAttachments(maxFiles) }
        }
        return Submitted(form: form, attachments: files)
    }

    /// The hint under a file input.
    static var limitText: String { "每个文件不超过\(maxFileBytes / (1024 * 1024)) MB，最多\(maxFiles)个（JPEG、PNG 照片或 PDF）" }
}
