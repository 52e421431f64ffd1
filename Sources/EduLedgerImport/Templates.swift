import EduLedgerCore
import Foundation
import OfficeFormats

/// The downloadable template workbook of each kind: the data sheet (header, one example row,
/// drop-down lists) and a sheet of notes, one line per column.
public enum ImportTemplate {
    public static let notesSheetName = "填写说明"

    public static func write(_ kind: ImportKind, to url: URL) throws {
        let fields = kind.fields
        var w = try XLSXWriter(url: url)
        let drops = fields.enumerated().compactMap { i, f in f.choices.isEmpty ? nil : XLSXDropDown(column: i, choices: f.choices) }
        try w.addSheet(kind.sheetName, options: XLSXSheetOptions(
            columnWidths: fields.map { max(10, Double($0.example.count) * 1.3 + 2, Double($0.title.count) * 2.2 + 2) },
            dropDowns: drops))
        try w.writeHeader(fields.map(\.title))
        try w.writeRow(fields.map { XLSXCell.text($0.example) })
        try w.addSheet(notesSheetName, options: XLSXSheetOptions(columnWidths: [16, 8, 70, 22]))
        try w.writeHeader(["列名", "必填", "说明", "示例"])
        for f in fields {
            let required = f.required ? "是" : "否"
            let also = f.aliases.filter { $0.unicodeScalars.contains { $0.value > 0x2E80 } }.prefix(4)
            let note = f.note + (also.isEmpty ? "" : "（也可写作：\(also.joined(separator: "、"))）")
            try w.writeRow([f.title, required, note, f.example])
        }
        try w.writeRow([""])
        try w.writeRow(["说明", "", "第2行是示例，导入时会自动跳过；可以删除。列的顺序可以调整，无法识别的列会被忽略。", ""])
        try w.writeRow(["", "", "文本型的号码（身份证号、学籍号、学校标识码）请设为文本格式，以免末位被Excel改为0。", ""])
        try w.finish()
    }
}
