import EduLedgerImport
import Foundation
import Hummingbird

/// The one `multipart/form-data` form of the application: a spreadsheet upload. Its body is
/// streamed to a file (never collected in memory: a workbook may be 100 MB), then split into
/// its fields and the file. The session middleware lets it through without reading the body;
/// the upload handler checks the form's CSRF token before it looks at anything else.
enum ImportUpload {
    static let path = "/imports"
    /// The largest body accepted: the importer's file limit plus room for the form's other fields.
    static let maxBodyBytes = Int(ImportOptions.defaultLimits.maxFileBytes) + 64 * 1024

    /// Whether the session middleware should leave this request's body to the upload handler.
    static func isUpload(_ request: Request) -> Bool {
        request.method == .post && request.uri.path == path
            && (request.headers[.contentType] ?? "").lowercased().hasPrefix("multipart/form-data")
    }

    struct Form {
        var fields: [String: String]
        var fileName: String?
        /// The uploaded file, written beside the body.
        var file: URL?
    }

    /// Writes the body to `directory/body.bin`, refusing more than `limit` bytes (`maxBodyBytes`
    /// for a spreadsheet; the case forms pass their own).
    static func receive(_ request: Request, into directory: URL, limit: Int = maxBodyBytes) async throws -> URL {
        let url = directory.appendingPathComponent("body.bin")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw AppError.badRequest(code: "import.upload", message: "无法保存上传的文件", fields: [])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written = 0
        for try await buffer in request.body {
            written += buffer.readableBytes
            if written > limit { throw AppError.payloadTooLarge }
            try handle.write(contentsOf: buffer.readableBytesView)
        }
        return url
    }

    static func boundary(of request: Request) -> String? {
        let type = request.headers[.contentType] ?? ""
        for part in type.split(separator: ";") {
            let kv = part.trimmingCharacters(in: .whitespaces)
            if kv.lowercased().hasPrefix("boundary=") {
                var b = String(kv.dropFirst("boundary=".count))
                if b.hasPrefix("\""), b.hasSuffix("\""), b.count >= 2 { b = String(b.dropFirst().dropLast()) }
                return b.isEmpty || b.utf8.count > 70 ? nil : b
            }
        }
        return nil
    }

    /// Splits the body (RFC 7578): text fields into `fields`, the part with a file name into
    /// `directory/upload.<ext>`. A malformed body is a 400.
    static func parse(body: URL, boundary: String, into directory: URL) throws -> Form {
        let data = try Data(contentsOf: body, options: .alwaysMapped)
        var form = Form(fields: [:])
        for part in try parts(of: data, boundary: boundary) {
            if let fileName = part.fileName {
                if !fileName.isEmpty, form.file == nil {
                    let ext = URL(fileURLWithPath: fileName).pathExtension.lowercased()
                    let file = directory.appendingPathComponent("upload" + (ext.isEmpty ? "" : "." + ext))
                    try data[part.content].write(to: file)
                    form.file = file
                    form.fileName = URL(fileURLWithPath: fileName).lastPathComponent
                }
            } else if part.content.count <= 64 * 1024 {
                form.fields[part.name] = String(decoding: data[part.content], as: UTF8.self)
            }
        }
        return form
    }

    /// One part of a multipart body: its field name, its file name when it carries a file (empty
    /// when a file input was left empty), and where its content lies in the body.
    struct Part {
        var name: String
        var fileName: String?
        var content: Range<Data.Index>
    }

    /// The parts of a multipart body in order (the spreadsheet upload and the case forms share
    /// this). A malformed body is a 400.
    static func parts(of data: Data, boundary: String) throws -> [Part] {
        let invalid = AppError.badRequest(code: "import.upload", message: "上传的表单格式不正确，请重新选择文件上传", fields: [])
        let delimiter = Data("--\(boundary)".utf8)
        let crlf = Data("\r\n".utf8)
        let blankLine = Data("\r\n\r\n".utf8)
        guard let first = data.range(of: delimiter) else { throw invalid }
        var parts: [Part] = []
        var cursor = first.upperBound
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if data[cursor...].starts(with: Data("--".utf8)) { break }
            guard data[cursor...].starts(with: crlf) else { throw invalid }
            let headerStart = cursor + 2
            guard let headerEnd = data.range(of: blankLine, in: headerStart..<data.endIndex) else { throw invalid }
            let headers = String(decoding: data[headerStart..<headerEnd.lowerBound], as: UTF8.self)
            let contentStart = headerEnd.upperBound
            guard let next = data.range(of: crlf + delimiter, in: contentStart..<data.endIndex) else { throw invalid }
            let disposition = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-disposition:") }
            if let disposition, let name = parameter("name", in: String(disposition)) {
                parts.append(Part(name: name, fileName: parameter("filename", in: String(disposition)),
                                  content: contentStart..<next.lowerBound))
            }
            cursor = next.upperBound
        }
        return parts
    }

    /// `name="value"` in a Content-Disposition line (quoted; a browser escapes `"` as `%22`).
    static func parameter(_ name: String, in line: String) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let kv = piece.trimmingCharacters(in: .whitespaces)
            guard let eq = kv.firstIndex(of: "=") else { continue }
            guard kv[..<eq].lowercased() == name else { continue }
            var v = String(kv[kv.index(after: eq)...])
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v.replacingOccurrences(of: "%22", with: "\"")
        }
        return nil
    }
}
