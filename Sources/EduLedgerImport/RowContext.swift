import EduLedgerCore
import OfficeFormats

/// Which column of the file holds which field.
struct ColumnMap: Sendable {
    let header: TableHeader
    /// field key → 0-based column
    let columns: [String: Int]
    let ignored: [String]

    /// Matches headers to the kind's fields by title or alias, ignoring case, blanks, a "*" marking a
    /// required column and a bracketed hint such as "出生日期（YYYY-MM-DD）".
    ///
    /// `mapping` (field key → header text of the file) is what a person chose in the mapping step
    /// for headers the importer did not recognise; it takes precedence over the automatic match.
    init(header: TableHeader, kind: ImportKind, mapping: [String: String] = [:]) throws(ImportError) {
        self.header = header
        var byName: [String: String] = [:]
        for field in kind.fields {
            for name in [field.title, field.key] + field.aliases { byName[Self.normalise(name)] = field.key }
        }
        var chosen: [Int: String] = [:]
        for (key, name) in mapping.sorted(by: { $0.key < $1.key }) where !name.isEmpty {
            guard let field = kind.fields.first(where: { $0.key == key }) else {
                throw ImportError(code: "import.mapping.unknown_field", message: "\(kind.chineseName)信息没有“\(key)”这一项，无法对应")
            }
            guard let index = header.names.firstIndex(of: TableHeader.clean(name)) else {
                throw ImportError(code: "import.mapping.unknown_column",
                                  message: "工作表“\(header.sheet)”的表头中没有“\(name)”列，无法对应到“\(field.title)”")
            }
            if let other = chosen[index] {
                let otherTitle = kind.fields.first { $0.key == other }?.title ?? other
                throw ImportError(code: "import.mapping.duplicate",
                                  message: "“\(name)”列不能同时对应“\(otherTitle)”和“\(field.title)”")
            }
            chosen[index] = key
        }
        let mappedKeys = Set(chosen.values)
        var columns: [String: Int] = [:]
        var ignored: [String] = []
        for (index, name) in header.names.enumerated() where !name.isEmpty {
            let automatic = byName[Self.normalise(name)].flatMap { mappedKeys.contains($0) ? nil : $0 }
            guard let key = chosen[index] ?? automatic else { ignored.append(name); continue }
            if let earlier = columns[key] {
                let title = kind.fields.first { $0.key == key }?.title ?? key
                throw ImportError(code: "import.header.duplicate_column",
                                  message: "工作表“\(header.sheet)”第\(header.rowNumber)行：\(CellReference.columnLetters(earlier))列"
                                      + "“\(header.names[earlier])”和\(CellReference.columnLetters(index))列“\(name)”都是“\(title)”，请删去其中一列")
            }
            columns[key] = index
        }
        self.columns = columns
        self.ignored = ignored
    }

    static func normalise(_ name: String) -> String {
        var t = TableHeader.clean(name).lowercased()
        while t.hasPrefix("*") || t.hasPrefix("★") { t.removeFirst() }
        while t.hasSuffix("*") || t.hasSuffix("★") { t.removeLast() }
        for (open, close) in [("（", "）"), ("(", ")")] where t.hasSuffix(close) {
            if let start = t.range(of: open, options: .backwards), start.lowerBound != t.startIndex {
                t = String(t[..<start.lowerBound])
            }
        }
        return t.filter { $0 != "_" && $0 != "-" && $0 != "：" && $0 != ":" }
    }
}

/// One row being validated: reads its fields by key and collects its problems.
struct RowContext {
    let row: TableRow
    let map: ColumnMap
    var problems: [ImportProblem] = []
    /// Earlier rows found to be in conflict with this one (duplicates): they are rejected too.
    var alsoRejected: [(row: Int, problem: ImportProblem)] = []

    init(row: TableRow, map: ColumnMap) { self.row = row; self.map = map }

    func has(_ key: String) -> Bool { map.columns[key] != nil }

    /// The trimmed value; "" when the column is absent.
    func text(_ key: String) -> String {
        guard let i = map.columns[key] else { return "" }
        return CellParsing.trim(row[i])
    }

    func cell(_ key: String) -> TableCell? {
        map.columns[key].map { row.cell(at: $0) }
    }

    var isValid: Bool { problems.isEmpty }

    func makeProblem(_ key: String?, row number: Int? = nil, code: String, _ message: String) -> ImportProblem {
        let column = key.flatMap { map.columns[$0] }
        return ImportProblem(
            sheet: row.sheet, row: number ?? row.number, column: column.map(CellReference.columnLetters),
            header: column.map { map.header.names[$0] }, value: number == nil ? (key.map(text) ?? "") : "",
            code: code, message: message)
    }

    mutating func problem(_ key: String?, code: String, _ message: String) {
        problems.append(makeProblem(key, code: code, message))
    }

    /// Whether a problem is already recorded on this field (later checks of it are then skipped).
    func hasProblem(_ key: String) -> Bool {
        guard !problems.isEmpty, let i = map.columns[key] else { return false }
        let letters = CellReference.columnLetters(i)
        return problems.contains { $0.column == letters }
    }

    /// A required field: the trimmed value, or nil after recording the problem.
    mutating func required(_ key: String, _ title: String) -> String? {
        let v = text(key)
        if v.isEmpty {
            problem(key, code: "import.required", "“\(title)”为必填项，不能为空")
            return nil
        }
        return v
    }

    /// A date field: nil when empty; records a problem for a value that is no date.
    mutating func date(_ key: String, _ title: String) -> CivilDate? {
        let v = text(key)
        if v.isEmpty { return nil }
        if let cell = cell(key), cell.kind == .number {
            problem(key, code: "import.date",
                    "“\(title)”应为日期，而单元格是数字“\(v)”：请把单元格格式设为日期，或填写如2015-09-01的日期")
            return nil
        }
        switch CellParsing.date(v) {
        case .success(let d): return d
        case .failure(let e):
            if e.kind == .nonexistent {
                problem(key, code: "import.date.nonexistent", "“\(title)”“\(v)”不是真实存在的日期（请核对年、月、日）")
            } else {
                problem(key, code: "import.date", "“\(title)”“\(v)”无法识别为日期，应写作如2015-09-01、2015/9/1或2015年9月1日")
            }
            return nil
        }
    }

    /// A 是/否 field; false when empty.
    mutating func flag(_ key: String, _ title: String) -> Bool {
        let v = text(key)
        guard let b = CellParsing.yesNo(v) else {
            problem(key, code: "import.yes_no", "“\(title)”只能填“是”或“否”")
            return false
        }
        return b
    }

    /// A choice among an enum's Chinese raw values; `fallback` when empty.
    mutating func choice<E: RawRepresentable & CaseIterable>(
        _ key: String, _ title: String, _ type: E.Type, fallback: E?, aliases: [String: E] = [:]
    ) -> E? where E.RawValue == String {
        let v = text(key)
        if v.isEmpty { return fallback }
        if let e = E(rawValue: v) ?? aliases[v] { return e }
        let allowed = E.allCases.map(\.rawValue).joined(separator: "、")
        problem(key, code: "import.choice", "“\(title)”只能填：\(allowed)")
        return nil
    }

    /// A resident ID number: nil when empty; records the check that failed.
    mutating func residentID(_ key: String) -> ResidentID? {
        let v = text(key)
        if v.isEmpty { return nil }
        do {
            return try ResidentID(v)
        } catch {
            problem(key, code: error.code, error.message)
            return nil
        }
    }
}

extension RowContext {
    /// 性别 and 出生日期 of a person: taken from the ID number when blank, else they must agree with it.
    mutating func genderAndBirth(rid: ResidentID?, residentIDFailed: Bool) -> (Gender?, CivilDate?) {
        var gender: Gender?
        let genderText = text("gender")
        if genderText.isEmpty {
            if let rid { gender = rid.gender } else if !residentIDFailed { problem("gender", code: "import.required", "“性别”为必填项") }
        } else if let g = CellParsing.gender(genderText) {
            gender = g
            if let rid, rid.gender != g {
                let e = ResidentIDError.genderMismatch(declared: g, encoded: rid.gender)
                problem("gender", code: e.code, e.message)
            }
        } else {
            problem("gender", code: "import.gender", "“性别”只能填男或女（或1、2）")
        }
        var birth = date("birthDate", "出生日期")
        if birth == nil && text("birthDate").isEmpty {
            if let rid { birth = rid.birthDate } else if !residentIDFailed {
                problem("birthDate", code: "import.required", "“出生日期”为必填项")
            }
        } else if let b = birth, let rid, rid.birthDate != b {
            problem("birthDate", code: "import.birth_date_mismatch", "与身份证号中的出生日期\(rid.birthDate.description)不一致")
        }
        return (gender, birth)
    }
}

/// Registered numbers and resident IDs (ID → number) of one kind of person.
enum PersonKeys {
    static func index(_ keys: [RegistryPersonKey]) -> (KeySet, KeyMap<String>) {
        var numbers = KeySet()
        var ids = KeyMap<String>()
        for key in keys {
            numbers.insert(key.number)
            if let r = key.residentID { ids[r] = key.number }
        }
        return (numbers, ids)
    }
}
