import ClassAssignment
import Foundation
import OfficeFormats

/// The outcome of reading a class-draw roster (编班名单) from a spreadsheet: the roster when every
/// row is valid, and every problem in the same shape as the other imports (sheet, row, column,
/// value, Chinese message), so the draw pages can show them as one table.
public struct RosterImportResult: Sendable {
    /// nil when there is any problem: a draw never runs on a roster with rejected rows.
    public var roster: ClassAssignment.Roster?
    public var problems: [ImportProblem]
    public var sheet: String
    public var headerRow: Int
    /// Data rows read (blank rows not counted).
    public var rowsRead: Int
}

/// Reads 编班名单 with the streaming `TableReader` (title rows above the header are skipped, as in
/// every import) and validates them with `ClassAssignment.Roster.parse`, the rule the draw itself
/// uses. Nothing is written: the draw pages keep the roster.
public enum RosterImport {
    public static func read(file: URL, columns: RosterColumns = RosterColumns(), sheet: String? = nil,
                            limits: FileLimits = ImportOptions.defaultLimits) throws(ImportError) -> RosterImportResult {
        let sheetName: String
        if let sheet {
            sheetName = sheet
        } else {
            let sheets: [SheetInfo]
            do { sheets = try TableReader.sheets(url: file, limits: limits) } catch { throw ImportError(error) }
            guard let first = sheets.first(where: { !$0.isHidden }) ?? sheets.first else {
                throw ImportError(code: "import.no_sheet", message: "文件“\(file.lastPathComponent)”中没有工作表")
            }
            sheetName = first.name
        }
        let (header, rows) = try Importer.withHeader(file: file, sheet: sheetName, limits: limits) { reader, header in
            // `Roster.parse` numbers rows from 2 (header = row 1); blank rows keep the numbering
            // of the sheet so every message names the row the clerk sees.
            var rows: [[String]] = Array(repeating: [], count: max(0, header.rowNumber - 1))
            while let row = try reader.next(), row.sheet == header.sheet {
                let index = row.number - 2
                while rows.count < index { rows.append([]) }
                rows.append(row.values.map(CellParsing.trim))
            }
            return (header, rows)
        }
        let read = rows.filter { !$0.allSatisfy(\.isEmpty) }.count
        do {
            let roster = try Roster.parse(header: header.names, rows: rows, source: file.lastPathComponent, options: columns)
            return RosterImportResult(roster: roster, problems: [], sheet: header.sheet, headerRow: header.rowNumber, rowsRead: read)
        } catch {
            let problems = error.problems.map { problem(for: $0, header: header) }
            return RosterImportResult(roster: nil, problems: problems, sheet: header.sheet, headerRow: header.rowNumber,
                                      rowsRead: read)
        }
    }

    static func problem(for p: RosterProblem, header: TableHeader) -> ImportProblem {
        let index = header.names.firstIndex(of: TableHeader.clean(p.column))
        let message: String
        let code: String
        switch p.kind {
        case .missingColumn: code = "roster.missing_column"; message = "缺少“\(p.column)”列"
        case .emptyID: code = "import.required"; message = "学籍号为空"
        case .duplicateID(let first): code = "import.duplicate_in_file"; message = "学籍号与本表第\(first)行重复"
        case .badGender: code = "import.gender"; message = "性别无法识别（应为男/女或M/F）"
        case .badScore: code = "roster.score"; message = "成绩不是有效数字（应为不小于0、最多两位小数的数）"
        case .badFlag: code = "roster.flag"; message = "标记无法识别（应为1/0、是/否、Y/N或留空）"
        case .badPin: code = "roster.pin"; message = "指定班号不是正整数"
        case .pinOutOfRange(let k): code = "roster.pin"; message = "指定班号超出范围1至\(k)"
        }
        return ImportProblem(sheet: header.sheet, row: p.row ?? header.rowNumber, column: index.map(CellReference.columnLetters),
                             header: index.map { header.names[$0] } ?? p.column, value: p.value, code: code, message: message)
    }
}
