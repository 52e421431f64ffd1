import EduLedgerCore
import OfficeFormats

/// How to treat a file with rejected rows.
public enum ImportMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// Any problem rejects the whole file; nothing is written.
    case allOrNothing = "all-or-nothing"
    /// The valid rows are written (all in one transaction); the rejected ones are reported.
    case validRows = "valid-rows"
}

/// One problem of one cell (or of a row, when `column` is nil), as the person fixing the file needs it.
public struct ImportProblem: Sendable, Hashable, Codable {
    public var sheet: String
    /// Row number as Excel shows it.
    public var row: Int
    /// Column letters ("C"), nil for a problem of the whole row.
    public var column: String?
    /// The header of that column in the file.
    public var header: String?
    public var value: String
    /// Stable code, e.g. `import.date`, `resident_id.check_character`.
    public var code: String
    /// Chinese.
    public var message: String

    public init(sheet: String, row: Int, column: String?, header: String?, value: String, code: String, message: String) {
        self.sheet = sheet; self.row = row; self.column = column; self.header = header; self.value = value
        self.code = code; self.message = message
    }

    /// `工作表“学生信息”第12行C列（出生日期）“2023-02-30”：…`
    public var text: String {
        var place = "工作表“\(sheet)”第\(row)行"
        if let column { place += "\(column)列" }
        if let header, !header.isEmpty { place += "（\(header)）" }
        let shown = value.isEmpty ? "" : "“\(value)”"
        return "\(place)\(shown)：\(message)"
    }
}

/// The outcome of validating (and possibly committing) one file.
public struct ImportReport: Sendable, Codable {
    public var kind: ImportKind
    public var fileName: String
    public var sheet: String
    public var headerRow: Int
    /// Number of header cells, so copies can put their message column after the last one.
    public var headerWidth: Int
    public var mode: ImportMode
    public var dryRun: Bool
    /// Data rows read (blank rows and the template's example row not counted).
    public var rowsRead: Int
    public var validRows: Int
    public var rejectedRows: Int
    /// Written to the database (zero unless `committed`).
    public var inserted: Int
    public var updated: Int
    /// Update rows identical to the stored record: nothing written for them.
    public var unchanged: Int
    public var committed: Bool
    public var problems: [ImportProblem]
    /// Headers that matched no known column; their values are not imported.
    public var ignoredColumns: [String]
    public var skippedExampleRows: [Int]

    /// One line for the terminal or a page title.
    public var summary: String {
        var s = "\(kind.chineseName)导入：读取\(rowsRead)行，有效\(validRows)行，有问题\(rejectedRows)行"
        if committed {
            s += "；已写入：新增\(inserted)条，更新\(updated)条" + (unchanged > 0 ? "，无变化\(unchanged)条" : "")
        } else if dryRun {
            s += "；试运行，未写入数据库"
        } else {
            s += "；未写入数据库" + (mode == .allOrNothing && rejectedRows > 0 ? "（整表导入模式下有任何问题即全部不导入）" : "")
        }
        return s
    }
}

/// A file that cannot be imported at all (not a table, no header, missing columns, too large…).
/// Nothing is written when it is raised.
public struct ImportError: UserFacingError, Equatable {
    public var code: String
    public var message: String
    public init(code: String, message: String) { self.code = code; self.message = message }

    init(_ error: OfficeFormatError) {
        code = "import.file." + error.code.rawValue
        message = error.message
    }
}

/// A file's header as matched against a kind's fields, for the mapping step.
public struct ImportHeaderCheck: Sendable, Codable, Hashable {
    public struct Match: Sendable, Codable, Hashable {
        /// Field key.
        public var field: String
        /// The field's Chinese title.
        public var title: String
        /// The file's header for it.
        public var column: String
    }
    public var sheet: String
    public var headerRow: Int
    /// The file's non-empty headers, left to right.
    public var columns: [String]
    public var matched: [Match]
    /// Headers that match no field.
    public var unrecognised: [String]
    /// Keys of required fields without a column.
    public var missingRequired: [String]

    /// Whether a person should map columns before the import: a required field has no column,
    /// or a header was not recognised while some field is still without a column.
    public func needsMapping(_ kind: ImportKind) -> Bool {
        !missingRequired.isEmpty || (!unrecognised.isEmpty && matched.count < kind.fields.count)
    }
}
