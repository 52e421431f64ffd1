/// One cell value as text, with what kind of value it was in the file.
public struct TableCell: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// No value (a gap in a sparse row, or an empty CSV field).
        case empty
        case text
        /// `value` is the number as Excel's "General" format shows it: integers without ".0",
        /// other numbers with at most 15 significant digits.
        case number
        /// `value` is ISO "YYYY-MM-DD" (a serial number formatted as a date in the workbook).
        case date
        /// `value` is "YYYY-MM-DD HH:MM:SS".
        case dateTime
        /// `value` is "HH:MM:SS".
        case time
        /// `value` is "TRUE" or "FALSE".
        case boolean
        /// A formula error such as "#N/A" or "#DIV/0!"; `value` is the error text.
        case error
    }

    public var value: String
    public var kind: Kind
    /// The value came from a formula (the result Excel saved in the file is used).
    public var isFormula: Bool
    /// The value was copied from the top-left cell of a merged range this cell belongs to.
    public var isFromMergedRange: Bool

    public init(value: String, kind: Kind, isFormula: Bool = false, isFromMergedRange: Bool = false) {
        self.value = value
        self.kind = kind
        self.isFormula = isFormula
        self.isFromMergedRange = isFromMergedRange
    }

    public static let empty = TableCell(value: "", kind: .empty)
}

/// One row of a sheet or CSV file with its position, so every problem can be reported as
/// "工作表 学生, 第 12 行, C 列".
public struct TableRow: Sendable, Hashable {
    /// Worksheet name; for CSV the file name without extension.
    public let sheet: String
    /// 1-based row number as Excel/WPS shows it (for CSV: the record number, counting blank lines,
    /// which is the row Excel shows when it opens the CSV).
    public let number: Int
    /// Cells from column A on; gaps in sparse rows are `.empty`. Trailing empty cells are not stored.
    public let cells: [TableCell]

    public init(sheet: String, number: Int, cells: [TableCell]) {
        self.sheet = sheet
        self.number = number
        self.cells = cells
    }

    /// Plain values from column A on.
    public var values: [String] { cells.map(\.value) }

    /// Value by 0-based column index; "" beyond the last cell.
    public subscript(index: Int) -> String {
        index >= 0 && index < cells.count ? cells[index].value : ""
    }

    /// Value by column letters ("A", "AB"); "" when absent or the letters are not a column.
    public subscript(column letters: String) -> String {
        guard let index = CellReference.columnIndex(letters) else { return "" }
        return self[index]
    }

    /// Cell by 0-based column index; `.empty` beyond the last cell.
    public func cell(at index: Int) -> TableCell {
        index >= 0 && index < cells.count ? cells[index] : .empty
    }

    /// "C5" for column index 2 of row 5.
    public func reference(column index: Int) -> String {
        CellReference.name(column: index, row: number)
    }

    /// Number of cells with a non-empty value.
    public var filledCount: Int { cells.reduce(0) { $0 + ($1.value.isEmpty ? 0 : 1) } }

    public var isEmpty: Bool { cells.allSatisfy { $0.value.isEmpty } }
}
