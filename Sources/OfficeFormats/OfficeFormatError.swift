import Foundation

/// Every failure of this module, with a stable machine `code` and a Chinese `message` a clerk can act on.
///
/// The root package has a `UserFacingError` protocol in its core target; this module sits at the edge and
/// must not depend on it, so callers map `code`/`message` onto it. Positions (sheet, row, cell) are part of
/// the message because the person fixing the file needs them, and are also available as fields.
public struct OfficeFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable identifiers; the CLI and the browser may switch on them.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case fileNotFound = "file_not_found"
        case emptyFile = "empty_file"
        case fileTooLarge = "file_too_large"
        case encryptedOrLegacy = "encrypted_or_legacy"
        case notAZip = "not_a_zip"
        case corruptPackage = "corrupt_package"
        case wrongDocumentKind = "wrong_document_kind"
        case noSheet = "no_sheet"
        case sheetNotFound = "sheet_not_found"
        case malformedXML = "malformed_xml"
        case formulaWithoutValue = "formula_without_value"
        case tooManyColumns = "too_many_columns"
        case unterminatedQuote = "unterminated_quote"
        case undecodableText = "undecodable_text"
        case invalidImage = "invalid_image"
        case writeFailed = "write_failed"
        case invalidArgument = "invalid_argument"
    }

    public let code: Code
    /// Chinese, complete sentence(s), includes the position when there is one.
    public let message: String
    public var sheet: String?
    /// 1-based row number as the spreadsheet (or CSV record count) shows it.
    public var row: Int?
    /// Cell reference such as "C5" when one cell is at fault.
    public var cell: String?

    public init(_ code: Code, _ message: String, sheet: String? = nil, row: Int? = nil, cell: String? = nil) {
        self.code = code
        self.message = message
        self.sheet = sheet
        self.row = row
        self.cell = cell
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension OfficeFormatError {
    static func writeFailed(_ what: String) -> OfficeFormatError {
        OfficeFormatError(.writeFailed, "无法写入文件：\(what)。请检查磁盘空间和目录权限。")
    }
}
