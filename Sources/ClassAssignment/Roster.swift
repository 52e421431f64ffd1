/// Gender as the registry records it.
public enum Gender: String, Sendable, Hashable, Codable {
    case male = "M"
    case female = "F"

    /// Accepts M/F, 男/女, male/female and the national code 1 (男) / 2 (女).
    public init?(parsing text: String) {
        switch text.trimmingSpaces.lowercased() {
        case "m", "male", "男", "1": self = .male
        case "f", "female", "女", "2": self = .female
        default: return nil
        }
    }

    /// The Chinese word, for messages and reports.
    public var chinese: String { self == .male ? "男" : "女" }
}

/// One new student of the grade being split into classes.
public struct Student: Sendable, Hashable {
    /// 学籍号 or another unique id; the canonical order of the draw is by the UTF-8 bytes of this.
    public var id: String
    public var name: String
    public var gender: Gender
    /// Aligned with `Roster.scoreColumns`.
    public var scores: [Score]
    /// Aligned with `Roster.flagColumns` (留守, 住校, 随班就读, …).
    public var flags: [Bool]
    /// Students sharing a non-empty key go to one class (twins, siblings).
    public var togetherKey: String?
    /// Students sharing any non-empty key go to different classes (identical names, named conflicts).
    public var apartKeys: [String]
    /// A class number 1...K the student must be placed in.
    public var pinnedClass: Int?
    /// The spreadsheet row this came from, for messages only (not part of the roster hash).
    public var sourceRow: Int?

    public init(
        id: String, name: String, gender: Gender, scores: [Score], flags: [Bool] = [],
        togetherKey: String? = nil, apartKeys: [String] = [], pinnedClass: Int? = nil, sourceRow: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.gender = gender
        self.scores = scores
        self.flags = flags
        self.togetherKey = togetherKey
        self.apartKeys = apartKeys
        self.pinnedClass = pinnedClass
        self.sourceRow = sourceRow
    }
}

/// Which columns of a roster sheet mean what, as the caller (CLI `--scores`, `--balance`,
/// `--together`, `--apart`, `--pin`) names them. id, name and gender are always found by their
/// English or Chinese names.
public struct RosterColumns: Sendable, Hashable {
    /// Score columns by header name; empty means the one column called score/成绩/总分.
    public var scoreColumns: [String]
    /// 0/1 flag columns to read (each becomes a balanced attribute unless settings say otherwise).
    public var flagColumns: [String]
    public var togetherColumn: String?
    public var apartColumns: [String]
    public var pinColumn: String?
    /// When known, pins above this are reported while parsing.
    public var classCount: Int?

    public init(
        scoreColumns: [String] = [], flagColumns: [String] = [], togetherColumn: String? = nil,
        apartColumns: [String] = [], pinColumn: String? = nil, classCount: Int? = nil
    ) {
        self.scoreColumns = scoreColumns
        self.flagColumns = flagColumns
        self.togetherColumn = togetherColumn
        self.apartColumns = apartColumns
        self.pinColumn = pinColumn
        self.classCount = classCount
    }
}

/// One problem found in a roster sheet, located as a clerk would look for it.
public struct RosterProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case missingColumn
        case emptyID
        case duplicateID(firstRow: Int)
        case badGender
        case badScore
        case badFlag
        case badPin
        case pinOutOfRange(classCount: Int)
    }

    public var source: String
    /// 1-based spreadsheet row (the header is row 1); nil for a missing column.
    public var row: Int?
    public var column: String
    public var value: String
    public var kind: Kind

    public var description: String {
        let place = row.map { "\(source) 第 \($0) 行，列“\(column)”" } ?? "\(source)"
        switch kind {
        case .missingColumn:
            return "\(place)：缺少列“\(column)”"
        case .emptyID:
            return "\(place)：学籍号为空"
        case .duplicateID(let first):
            return "\(place)：学籍号“\(value)”重复（第 \(first) 行已出现）"
        case .badGender:
            return "\(place)：性别“\(value)”无法识别（应为 男/女 或 M/F）"
        case .badScore:
            return "\(place)：成绩“\(value)”不是有效数字（应为不小于 0、最多两位小数的数）"
        case .badFlag:
            return "\(place)：标记“\(value)”无法识别（应为 1/0、是/否、Y/N 或留空）"
        case .badPin:
            return "\(place)：指定班号“\(value)”不是正整数"
        case .pinOutOfRange(let k):
            return "\(place)：指定班号“\(value)”超出范围 1–\(k)"
        }
    }
}

/// Every problem of a roster sheet at once, so the clerk fixes the file in one go.
public struct RosterError: Error, Sendable, Hashable, CustomStringConvertible {
    public var problems: [RosterProblem]
    public init(problems: [RosterProblem]) { self.problems = problems }
    public var description: String {
        "名单有 \(problems.count) 处错误：\n" + problems.map(\.description).joined(separator: "\n")
    }
}

/// The students of one grade to be split into classes.
public struct Roster: Sendable, Hashable {
    /// File name or other label used in messages.
    public var source: String
    public var scoreColumns: [String]
    public var flagColumns: [String]
    public var students: [Student]

    public init(source: String, scoreColumns: [String], flagColumns: [String], students: [Student]) {
        self.source = source
        self.scoreColumns = scoreColumns
        self.flagColumns = flagColumns
        self.students = students
    }

    static let idNames = ["id", "学籍号", "学号"]
    static let nameNames = ["name", "姓名"]
    static let genderNames = ["gender", "sex", "性别"]
    static let scoreNames = ["score", "成绩", "总分"]

    /// Reads a sheet already split into cells (the CLI turns .csv/.xlsx into this). `rows[i]` is
    /// spreadsheet row i+2 (row 1 is the header); rows whose cells are all blank are skipped.
    /// All problems are collected before throwing.
    public static func parse(
        header: [String], rows: [[String]], source: String, options: RosterColumns = RosterColumns()
    ) throws(RosterError) -> Roster {
        let keys = header.map { $0.trimmingSpaces.lowercased() }
        var problems: [RosterProblem] = []

        func find(_ names: [String]) -> Int? {
            for n in names { if let i = keys.firstIndex(of: n.trimmingSpaces.lowercased()) { return i } }
            return nil
        }
        func require(_ names: [String], label: String) -> Int? {
            if let i = find(names) { return i }
            problems.append(RosterProblem(source: source, row: nil, column: label, value: "", kind: .missingColumn))
            return nil
        }
        let idCol = require(idNames, label: "学籍号(id)")
        let nameCol = require(nameNames, label: "姓名(name)")
        let genderCol = require(genderNames, label: "性别(gender)")
        var scoreCols: [(name: String, index: Int?)] = []
        if options.scoreColumns.isEmpty {
            let i = require(scoreNames, label: "成绩(score)")
            scoreCols.append((i.map { header[$0].trimmingSpaces } ?? "成绩", i))
        } else {
            for n in options.scoreColumns { scoreCols.append((n, require([n], label: n))) }
        }
        let flagCols = options.flagColumns.map { ($0, require([$0], label: $0)) }
        let togetherCol = options.togetherColumn.map { require([$0], label: $0) } ?? nil
        let apartCols = options.apartColumns.map { require([$0], label: $0) }
        let pinCol = options.pinColumn.map { require([$0], label: $0) } ?? nil

        func label(_ i: Int?) -> String { i.map { header[$0].trimmingSpaces } ?? "" }

        var students: [Student] = []
        var firstRowOfID: [String: Int] = [:]
        for (offset, row) in rows.enumerated() {
            let rowNumber = offset + 2
            if row.allSatisfy({ $0.trimmingSpaces.isEmpty }) { continue }
            func cell(_ i: Int?) -> String {
                guard let i, i < row.count else { return "" }
                return row[i].trimmingSpaces
            }
            func problem(_ col: Int?, _ value: String, _ kind: RosterProblem.Kind) {
                problems.append(RosterProblem(source: source, row: rowNumber, column: label(col), value: value, kind: kind))
            }
            let id = cell(idCol)
            if idCol != nil {
                if id.isEmpty {
                    problem(idCol, id, .emptyID)
                } else if let first = firstRowOfID[id] {
                    problem(idCol, id, .duplicateID(firstRow: first))
                } else {
                    firstRowOfID[id] = rowNumber
                }
            }
            let genderText = cell(genderCol)
            let gender = Gender(parsing: genderText)
            if genderCol != nil, gender == nil { problem(genderCol, genderText, .badGender) }
            var scores: [Score] = []
            for (name, index) in scoreCols {
                let text = cell(index)
                if let s = Score(parsing: text) {
                    scores.append(s)
                } else {
                    if index != nil {
                        problems.append(RosterProblem(source: source, row: rowNumber, column: name, value: text, kind: .badScore))
                    }
                    scores.append(Score(hundredths: 0))
                }
            }
            var flags: [Bool] = []
            for (_, index) in flagCols {
                let text = cell(index)
                switch text.lowercased() {
                case "", "0", "否", "n", "no", "false", "×": flags.append(false)
                case "1", "是", "y", "yes", "true", "√": flags.append(true)
                default:
                    if index != nil { problem(index, text, .badFlag) }
                    flags.append(false)
                }
            }
            let together = cell(togetherCol)
            let aparts = apartCols.map { cell($0) }.filter { !$0.isEmpty }
            var pin: Int?
            let pinText = cell(pinCol)
            if !pinText.isEmpty {
                if let p = Int(pinText), p >= 1 {
                    if let k = options.classCount, p > k {
                        problem(pinCol, pinText, .pinOutOfRange(classCount: k))
                    } else {
                        pin = p
                    }
                } else {
                    problem(pinCol, pinText, .badPin)
                }
            }
            students.append(Student(
                id: id, name: cell(nameCol), gender: gender ?? .male, scores: scores, flags: flags,
                togetherKey: together.isEmpty ? nil : together, apartKeys: aparts, pinnedClass: pin,
                sourceRow: rowNumber))
        }
        if !problems.isEmpty { throw RosterError(problems: problems) }
        return Roster(
            source: source, scoreColumns: scoreCols.map(\.name), flagColumns: options.flagColumns.map { $0.trimmingSpaces },
            students: students)
    }
}
