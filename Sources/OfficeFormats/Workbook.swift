import Foundation

/// A worksheet as the workbook lists it, in tab order.
public struct SheetInfo: Sendable, Hashable {
    public let name: String
    /// Hidden and "very hidden" sheets often hold lookup lists for drop-downs, not data.
    public let isHidden: Bool
    /// Package path of the sheet XML, e.g. "xl/worksheets/sheet1.xml".
    let partPath: String
}

/// The parts of a workbook needed to turn cells into strings: sheet list, shared strings, cell formats.
struct WorkbookStructure {
    let sheets: [SheetInfo]
    let uses1904DateSystem: Bool
    let sharedStringsPath: String?
    let stylesPath: String?

    init(package: ZipPackage) throws(OfficeFormatError) {
        let fileName = package.fileName
        let workbookPath: String
        if let main = try package.mainDocumentPath(), package.contains(main), main.lowercased().hasPrefix("xl/") || main.hasSuffix("workbook.xml") {
            workbookPath = main
        } else if package.contains("xl/workbook.xml") {
            workbookPath = "xl/workbook.xml"
        } else {
            throw WorkbookStructure.wrongKind(package)
        }
        guard let workbookData = try package.data(workbookPath) else {
            throw WorkbookStructure.wrongKind(package)
        }
        let elements = try SmallXML.elements(
            workbookData, part: workbookPath, fileName: fileName, named: ["sheet", "workbookPr"]
        )
        let rels = try package.relationships(of: workbookPath)
        var relsById: [String: Relationship] = [:]
        for rel in rels { relsById[rel.id] = rel }

        var sheets: [SheetInfo] = []
        var date1904 = false
        for element in elements {
            if element.name == "workbookPr" {
                let flag = element.attributes["date1904"] ?? "0"
                date1904 = flag == "1" || flag.lowercased() == "true"
            } else if element.name == "sheet", element.parent == "sheets" {
                guard let id = element.attributes["id"], let rel = relsById[id], !rel.isExternal,
                      rel.hasType("worksheet")  // chart sheets and dialog sheets hold no cells
                else { continue }
                let state = element.attributes["state"] ?? "visible"
                sheets.append(SheetInfo(
                    name: element.attributes["name"] ?? "Sheet\(sheets.count + 1)",
                    isHidden: state != "visible",
                    partPath: rel.target
                ))
            }
        }
        self.sheets = sheets
        uses1904DateSystem = date1904
        sharedStringsPath = rels.first(where: { $0.hasType("sharedStrings") && !$0.isExternal })?.target
        stylesPath = rels.first(where: { $0.hasType("styles") && !$0.isExternal })?.target
    }

    /// Names the kind of Office file the user picked instead of a workbook.
    static func wrongKind(_ package: ZipPackage) -> OfficeFormatError {
        let name = package.fileName
        if package.contains("word/document.xml") {
            return OfficeFormatError(.wrongDocumentKind, "文件“\(name)”是 Word 文档（.docx），不是 Excel 工作簿。请选择 .xlsx 文件。")
        }
        if package.contains("ppt/presentation.xml") {
            return OfficeFormatError(.wrongDocumentKind, "文件“\(name)”是 PowerPoint 演示文稿，不是 Excel 工作簿。请选择 .xlsx 文件。")
        }
        if package.contains("content.xml") && package.contains("mimetype") {
            return OfficeFormatError(
                .wrongDocumentKind, "文件“\(name)”是 OpenDocument 格式（.ods/.odt），请在 WPS/LibreOffice 中另存为 .xlsx。"
            )
        }
        return OfficeFormatError(.wrongDocumentKind, "文件“\(name)”是压缩包，但不是 Excel 工作簿（缺少 xl/workbook.xml）。请选择 .xlsx 文件。")
    }
}

/// How a numeric cell is shown, reduced to what changes its text: a date, a time, both, or a plain number.
enum NumberDisplay: Sendable, Equatable {
    case number
    case date
    case dateTime
    case time
}

/// Cell formats (`cellXfs`) of styles.xml, reduced to whether each shows a number as a date.
struct CellFormats: Sendable {
    /// Indexed by the `s` attribute of a cell.
    let displays: [NumberDisplay]

    static let none = CellFormats(displays: [])

    init(displays: [NumberDisplay]) {
        self.displays = displays
    }

    init(package: ZipPackage, path: String?) throws(OfficeFormatError) {
        guard let path, let data = try package.data(path) else {
            self.init(displays: [])
            return
        }
        let elements = try SmallXML.elements(data, part: path, fileName: package.fileName, named: ["numFmt", "xf"])
        var custom: [Int: String] = [:]
        for element in elements where element.name == "numFmt" {
            if let id = element.attributes["numFmtId"].flatMap({ Int($0) }) {
                custom[id] = element.attributes["formatCode"] ?? ""
            }
        }
        var displays: [NumberDisplay] = []
        for element in elements where element.name == "xf" && element.parent == "cellXfs" {
            let id = element.attributes["numFmtId"].flatMap { Int($0) } ?? 0
            if let code = custom[id] {
                displays.append(CellFormats.classify(code))
            } else {
                displays.append(CellFormats.builtIn(id))
            }
        }
        self.init(displays: displays)
    }

    func display(style: Int) -> NumberDisplay {
        style >= 0 && style < displays.count ? displays[style] : .number
    }

    /// Built-in number formats (ECMA-376 18.8.30) plus the ids Chinese-locale Excel and WPS use for
    /// 年月日 and 时分 formats without writing them into styles.xml (27–36, 50–58).
    static func builtIn(_ id: Int) -> NumberDisplay {
        switch id {
        case 14...17, 27...31, 36, 50...58: return .date
        case 22: return .dateTime
        case 18...21, 32...35, 45...47: return .time
        default: return .number
        }
    }

    /// A custom format code is a date when, outside quoted literals, escapes and [bracket] sections, it has
    /// y or d (m alone is ambiguous between month and minute); a time when it has h or s.
    /// "0.00", "0.00E+00", "General" and "#,##0" stay numbers.
    static func classify(_ code: String) -> NumberDisplay {
        // Only the first section (positive numbers) decides.
        var hasDate = false
        var hasTime = false
        var inQuote = false
        var inBracket = false
        var skipNext = false
        var bracket = ""
        for ch in code.lowercased() {
            if skipNext { skipNext = false; continue }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            if inBracket {
                if ch == "]" {
                    inBracket = false
                    // Elapsed-time sections such as [h] or [mm] are times.
                    if bracket == "h" || bracket == "hh" || bracket == "m" || bracket == "mm" || bracket == "s" || bracket == "ss" {
                        hasTime = true
                    }
                } else {
                    bracket.append(ch)
                }
                continue
            }
            switch ch {
            case "\"": inQuote = true
            case "\\", "_", "*": skipNext = true
            case "[": inBracket = true; bracket = ""
            case ";": return hasDate ? (hasTime ? .dateTime : .date) : (hasTime ? .time : .number)
            case "y", "d": hasDate = true
            case "h", "s": hasTime = true
            default: continue
            }
        }
        return hasDate ? (hasTime ? .dateTime : .date) : (hasTime ? .time : .number)
    }
}

/// Excel serial day numbers to calendar dates, without Foundation's Calendar (exact and fast).
enum SerialDate {
    /// ISO text for a serial number shown with a date/time format; nil when the number cannot be a date.
    static func text(serial: Double, display: NumberDisplay, uses1904: Bool) -> String? {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return nil }  // up to 9999-12-31
        var days = serial.rounded(.down)
        var seconds = ((serial - days) * 86_400).rounded()
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let dayNumber = Int(days)
        let dateText: String
        if uses1904 {
            dateText = civilText(daysSince1970: dayNumber + daysFrom1970(year: 1904, month: 1, day: 1))
        } else if dayNumber == 60 {
            // Excel's phantom 1900-02-29 (kept for Lotus 1-2-3 compatibility); shown as Excel shows it.
            dateText = "1900-02-29"
        } else if dayNumber == 0 {
            dateText = "1900-01-00"
        } else {
            // Serial 1 is 1900-01-01; from 61 on, the phantom leap day shifts everything by one.
            let base = daysFrom1970(year: 1899, month: 12, day: 31)
            dateText = civilText(daysSince1970: base + dayNumber - (dayNumber > 60 ? 1 : 0))
        }
        let total = Int(seconds)
        let timeText = pad2(total / 3600) + ":" + pad2(total / 60 % 60) + ":" + pad2(total % 60)
        switch display {
        case .date: return dateText
        case .dateTime: return dateText + " " + timeText
        case .time: return serial < 1 ? timeText : dateText + " " + timeText
        case .number: return nil
        }
    }

    /// Serial number for a calendar date in the 1900 system (used by the writer).
    static func serial(year: Int, month: Int, day: Int) -> Int {
        let days = daysFrom1970(year: year, month: month, day: day) - daysFrom1970(year: 1899, month: 12, day: 31)
        return days >= 60 ? days + 1 : days
    }

    /// Days from 1970-01-01 (H. Hinnant's days_from_civil).
    static func daysFrom1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(daysSince1970 z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func civilText(daysSince1970: Int) -> String {
        let (y, m, d) = civil(daysSince1970: daysSince1970)
        return pad4(y) + "-" + pad2(m) + "-" + pad2(d)
    }

    static func pad2(_ n: Int) -> String { n < 10 ? "0" + String(n) : String(n) }
    static func pad4(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}
