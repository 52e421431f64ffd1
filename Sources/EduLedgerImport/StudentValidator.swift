import EduLedgerCore

/// A student row to write: a new student with their first enrolment, or a change to an existing one.
struct PendingStudent: Sendable {
    var student: Student
    /// The first enrolment of a new student; nil for an update.
    var enrolment: Enrolment?
    var isUpdate: Bool
}

/// The registry facts student rows are checked against, loaded once per file.
struct Registry: Sendable {
    var schoolsByCode: [String: School] = [:]
    var townshipsByKey: [String: Township] = [:]
    var zonesByName: [String: SchoolZone] = [:]

    static func load(_ store: any RegistryReading) async throws -> Registry {
        var r = Registry()
        for s in try await store.schools(SchoolFilter()) { r.schoolsByCode[s.code] = s }
        for t in try await store.townships() {
            r.townshipsByKey[t.code] = t
            r.townshipsByKey[t.name] = t
        }
        for z in try await store.schoolZones() { r.zonesByName[z.name] = z }
        return r
    }
}

/// Keys seen so far in the file, with the row that first used each, for duplicate checks.
struct SeenKeys {
    private var firstRow = KeyMap<Int>()
    /// Records `key` for `row`; returns the earlier row when the key was used before.
    mutating func insert(_ key: String, row: Int) -> Int? {
        firstRow.insertIfAbsent(key, row)
    }
}

/// 身份证号 and 学籍号 (G + 身份证号) as one integer, so the lookups every row makes (in-file
/// duplicates, registered numbers) hash eight bytes instead of a string: 17 digits and the check
/// character (X = 10) give digits × 11 + check < 1.1 × 10¹⁸; a leading G adds 1.1 × 10¹⁸.
/// Any other shape of key (an L number, a school code) has no compact form and is kept as text.
enum CompactKey {
    static func make(_ key: String) -> UInt64? {
        let answer = key.utf8.withContiguousStorageIfAvailable { b -> UInt64? in
            var start = 0
            var prefix: UInt64 = 0
            if b.count == 19 && b[0] == UInt8(ascii: "G") {
                start = 1
                prefix = 1
            } else if b.count != 18 {
                return nil
            }
            var value: UInt64 = 0
            for i in start..<(start + 17) {
                let d = b[i] &- 48
                guard d <= 9 else { return nil }
                value = value * 10 + UInt64(d)
            }
            let last = b[start + 17]
            let check: UInt64
            if last == UInt8(ascii: "X") { check = 10 } else if last &- 48 <= 9 { check = UInt64(last - 48) } else { return nil }
            return prefix * 1_100_000_000_000_000_000 + value * 11 + check
        }
        return answer ?? nil
    }
}

/// A set of keys, compact where `CompactKey` allows.
struct KeySet {
    private var compact = Set<UInt64>()
    private var text = Set<String>()
    mutating func insert(_ key: String) {
        if let c = CompactKey.make(key) { compact.insert(c) } else { text.insert(key) }
    }
    func contains(_ key: String) -> Bool {
        if let c = CompactKey.make(key) { return compact.contains(c) }
        return text.contains(key)
    }
}

/// A dictionary by key, compact where `CompactKey` allows.
struct KeyMap<Value> {
    private var compact: [UInt64: Value] = [:]
    private var text: [String: Value] = [:]
    subscript(key: String) -> Value? {
        get {
            if let c = CompactKey.make(key) { return compact[c] }
            return text[key]
        }
        set {
            if let c = CompactKey.make(key) { compact[c] = newValue } else { text[key] = newValue }
        }
    }
    /// Stores `value` unless the key is present; returns the value already there.
    mutating func insertIfAbsent(_ key: String, _ value: Value) -> Value? {
        if let c = CompactKey.make(key) {
            if let old = compact[c] { return old }
            compact[c] = value
            return nil
        }
        if let old = text[key] { return old }
        text[key] = value
        return nil
    }
}

/// Caches the classes of a school year per school, read from the registry when first needed.
struct ClassDirectory {
    private struct Key: Hashable {
        var school: SchoolID
        var year: Int
    }
    private var cache: [Key: [SchoolClass]] = [:]
    mutating func find(_ store: any RegistryReading, school: School, year: SchoolYear, grade: GradeLevel,
                       number: Int) async throws -> SchoolClass? {
        let key = Key(school: school.id, year: year.startYear)
        if let classes = cache[key] { return classes.first { $0.grade == grade && $0.number == number } }
        let classes = try await store.classes(schoolID: school.id, year: year)
        cache[key] = classes
        return classes.first { $0.grade == grade && $0.number == number }
    }
}

struct StudentValidator: RecordValidator {
    let store: any RegistryReading
    let registry: Registry
    let restrict: School?
    let allowUpdates: Bool
    /// 学籍号 already registered.
    var existingNumbers: KeySet
    /// 身份证号 already registered → the 学籍号 that holds it.
    var existingResidentIDs: KeyMap<String>
    var classes = ClassDirectory()
    var seenNumbers = SeenKeys()
    var seenResidentIDs = SeenKeys()
    var unchanged = 0
    var nextLocalID: Int64 = 1

    /// A blank, 无 or 否 in an optional category column (残疾类别, 困难类别): none.
    static func isNone(_ text: String) -> Bool { text.isEmpty || text == "无" || text == "否" }

    /// Other names of the choices, built once (not for every row).
    static let hukouAliases: [String: HukouType] = ["农业户口": .agricultural, "非农业户口": .nonAgricultural, "居民户口": .resident]
    static let povertyAliases: [String: PovertyStatus] = ["建档立卡贫困户": .registeredPoor, "低保户": .minimumLiving, "特困": .extremeHardship]

    static func load(store: any RegistryStore & RegistryBulkSupport, restrict: School?,
                     allowUpdates: Bool) async throws -> StudentValidator {
        let (numbers, ids) = PersonKeys.index(try await store.studentKeys())
        return StudentValidator(store: store, registry: try await Registry.load(store), restrict: restrict,
                                allowUpdates: allowUpdates, existingNumbers: numbers, existingResidentIDs: ids)
    }

    func missingColumns(_ map: ColumnMap) -> [String] {
        var missing: [String] = []
        if map.columns["name"] == nil { missing.append("姓名") }
        if map.columns["studentNumber"] == nil && map.columns["residentID"] == nil { missing.append("学籍号或身份证号") }
        if map.columns["gender"] == nil && map.columns["residentID"] == nil { missing.append("性别") }
        if map.columns["birthDate"] == nil && map.columns["residentID"] == nil { missing.append("出生日期") }
        if map.columns["schoolCode"] == nil && restrict == nil { missing.append("学校标识码") }
        if map.columns["grade"] == nil { missing.append("年级") }
        if map.columns["entryDate"] == nil { missing.append("入学日期") }
        return missing
    }

    mutating func validate(_ r: inout RowContext) async throws -> PendingStudent? {
        let name = r.required("name", "姓名")
        if let name, name.count > 30 { r.problem("name", code: "import.too_long", "姓名过长（不超过30个字）") }
        let rid = r.residentID("residentID")
        let ridFailed = r.hasProblem("residentID")

        // 学籍号: G + ID number, or a temporary L number; derived from the ID number when blank.
        var number = r.text("studentNumber")
        if number.utf8.contains(where: { $0 >= 0x61 }) { number = number.uppercased() }
        if number.isEmpty {
            if let rid { number = "G" + rid.value } else if !ridFailed {
                r.problem("studentNumber", code: "import.required", "学籍号和身份证号至少填写一项")
            }
        } else if number.hasPrefix("G") {
            let inner = String(number.dropFirst())
            if let rid, rid.value == inner {
                // The number in the 身份证号 column, already checked: nothing more to check.
            } else if let error = ResidentID.validate(inner) {
                r.problem("studentNumber", code: "import.student_number",
                          "学籍号应为G加18位身份证号，G后的号码无效：\(error.message)")
            } else if let rid, rid.value != inner {
                r.problem("studentNumber", code: "import.student_number_mismatch",
                          "学籍号G后的号码与身份证号“\(rid.value)”不一致")
            }
        } else if number.hasPrefix("L") {
            let rest = number.dropFirst()
            if rest.isEmpty || rest.count > 30 || !rest.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter) }) {
                r.problem("studentNumber", code: "import.student_number", "临时学籍号应为L加数字或字母（不超过30位）")
            }
        } else {
            r.problem("studentNumber", code: "import.student_number",
                      "学籍号应以G开头（G加身份证号）或以L开头（临时学籍号）")
        }

        // Gender and birth date: taken from the ID number when blank, else must agree with it.
        let (gender, birth) = r.genderAndBirth(rid: rid, residentIDFailed: ridFailed)

        let ethnicity = CellParsing.ethnicity(r.text("ethnicity"))
        if ethnicity == nil { r.problem("ethnicity", code: "import.ethnicity", "“民族”不是国家标准中的民族名称，如汉族、回族、土家族") }
        let hukouType = r.choice("hukouType", "户口性质", HukouType.self, fallback: .resident, aliases: Self.hukouAliases)
        var hukouTownship: TownshipID?
        let townshipText = r.text("hukouTownship")
        if !townshipText.isEmpty {
            if let t = registry.townshipsByKey[townshipText] { hukouTownship = t.id } else {
                r.problem("hukouTownship", code: "import.township", "本区没有代码或名称为“\(townshipText)”的乡镇（街道）")
            }
        }
        var flags = StudentFlags()
        flags.leftBehind = r.flag("leftBehind", "留守儿童")
        flags.migrantWorkerChild = r.flag("migrantWorkerChild", "随迁子女")
        flags.inclusiveClass = r.flag("inclusiveClass", "随班就读")
        flags.boarding = r.flag("boarding", "寄宿生")
        let disabilityText = r.text("disability")
        if !Self.isNone(disabilityText) {
            flags.disability = DisabilityType(rawValue: disabilityText) ?? DisabilityType(rawValue: disabilityText + "残疾")
            if flags.disability == nil {
                r.problem("disability", code: "import.choice",
                          "“残疾类别”只能填：" + DisabilityType.allCases.map(\.rawValue).joined(separator: "、") + "，无则不填")
            }
        }
        if flags.inclusiveClass && flags.disability == nil && !r.hasProblem("disability") {
            r.problem("inclusiveClass", code: "import.inclusive_without_disability", "随班就读的学生须填写残疾类别")
        }
        let povertyText = r.text("poverty")
        if !Self.isNone(povertyText) {
            flags.poverty = PovertyStatus(rawValue: povertyText)
                ?? Self.povertyAliases[povertyText]
            if flags.poverty == nil {
                r.problem("poverty", code: "import.choice",
                          "“困难类别”只能填：" + PovertyStatus.allCases.map(\.rawValue).joined(separator: "、") + "，无则不填")
            }
        }

        // Where: school (the registrar's own when restricted), grade taught there, class of that year.
        var school: School?
        let code = r.text("schoolCode")
        if let own = restrict {
            if code.isEmpty || code == own.code { school = own } else {
                r.problem("schoolCode", code: "import.other_school", "只能导入本校（\(own.name)，\(own.code)）的学生")
            }
        } else if code.isEmpty {
            r.problem("schoolCode", code: "import.required", "“学校标识码”为必填项")
        } else if let s = registry.schoolsByCode[code] {
            school = s
        } else {
            r.problem("schoolCode", code: "import.school_not_found", "找不到学校标识码为“\(code)”的学校")
        }
        var grade: GradeLevel?
        if let text = r.required("grade", "年级") {
            grade = GradeLevel(text: text)
            if grade == nil {
                r.problem("grade", code: "import.grade", "“年级”无法识别，应写作如一年级、七年级、初一、高一")
            } else if let s = school, let g = grade, !s.type.teaches(g) {
                r.problem("grade", code: RegistryError.gradeNotTaught(school: s.name, schoolType: s.type, grade: g).code,
                          RegistryError.gradeNotTaught(school: s.name, schoolType: s.type, grade: g).message)
            }
        }
        let entryDate = r.date("entryDate", "入学日期")
        if entryDate == nil && r.text("entryDate").isEmpty {
            r.problem("entryDate", code: "import.required", "“入学日期”为必填项")
        }
        if let s = school, let d = entryDate {
            if let closed = s.closed, d > closed {
                r.problem("entryDate", code: "registry.school_closed",
                          RegistryError.schoolClosed(school: s.name, closed: closed, date: d).message)
            } else if d < s.opened {
                r.problem("entryDate", code: "registry.school_not_open",
                          RegistryError.schoolNotYetOpen(school: s.name, opened: s.opened, date: d).message)
            }
            if let b = birth, b >= d {
                r.problem("birthDate", code: "import.birth_after_entry", "出生日期不能晚于入学日期\(d.description)")
            }
        }
        var schoolClass: SchoolClass?
        let classText = r.text("classNumber")
        if !classText.isEmpty {
            if let n = CellParsing.classNumber(classText) {
                if let s = school, let g = grade, let d = entryDate, !r.hasProblem("grade") {
                    let year = SchoolYear(containing: d)
                    schoolClass = try await classes.find(store, school: s, year: year, grade: g, number: n)
                    if schoolClass == nil {
                        r.problem("classNumber", code: "import.class_not_found",
                                  "\(s.name)\(year.name)没有\(g.name)(\(n))班，请先建立班级或核对班号")
                    }
                }
            } else {
                r.problem("classNumber", code: "import.class_number", "“班级”应为班号，如1、1班或(1)班")
            }
        }
        let entry = r.choice("entryReason", "入学方式", EntryReason.self, fallback: .initialRegistration)

        // Duplicates in the file and against the registry.
        if !number.isEmpty && !r.hasProblem("studentNumber") {
            if let earlier = seenNumbers.insert(number, row: r.row.number) {
                r.problem("studentNumber", code: "import.duplicate_in_file", "学籍号与本表第\(earlier)行重复")
                r.alsoRejected.append((earlier, r.makeProblem("studentNumber", row: earlier, code: "import.duplicate_in_file",
                                                              "学籍号“\(number)”与本表第\(r.row.number)行重复")))
            }
        }
        if let rid, !ridFailed {
            if let earlier = seenResidentIDs.insert(rid.value, row: r.row.number) {
                r.problem("residentID", code: "import.duplicate_in_file", "身份证号与本表第\(earlier)行重复")
                r.alsoRejected.append((earlier, r.makeProblem("residentID", row: earlier, code: "import.duplicate_in_file",
                                                              "身份证号“\(rid.value)”与本表第\(r.row.number)行重复")))
            }
        }
        let exists = !number.isEmpty && existingNumbers.contains(number)
        if exists && !allowUpdates {
            r.problem("studentNumber", code: "import.duplicate_in_registry",
                      "学籍号“\(number)”已登记，不能重复导入；如要修改已有学生的信息，请选择“更新导入”")
        }
        if let rid, let holder = existingResidentIDs[rid.value], holder != number {
            r.problem("residentID", code: "import.duplicate_in_registry", "身份证号已被学籍号为“\(holder)”的学生使用")
        }

        guard r.isValid, let name, let gender, let birth, let ethnicity, let hukouType else { return nil }
        var student = Student(id: .unsaved, studentNumber: number, name: name, gender: gender, birthDate: birth,
                              residentID: rid, ethnicity: ethnicity, hukouType: hukouType,
                              hukouTownshipID: hukouTownship, flags: flags)
        do {
            try RegistryRules.check(student: student)
        } catch {
            r.problem(nil, code: error.code, error.message)
            return nil
        }

        if exists {
            return try await validateUpdate(&r, student: student, school: school, grade: grade, classNumber: schoolClass?.number,
                                            classText: classText)
        }
        guard let school, let grade, let entryDate, let entry else { return nil }
        student.id = StudentID(nextLocalID)
        let enrolment = Enrolment(id: EnrolmentID(nextLocalID), studentID: student.id, schoolID: school.id, grade: grade,
                                  classID: schoolClass?.id, from: entryDate, entry: entry)
        do {
            try RegistryRules.check(enrolment: enrolment, student: student, school: school, schoolClass: schoolClass,
                                    otherEnrolments: [])
        } catch {
            r.problem(nil, code: error.code, error.message)
            return nil
        }
        nextLocalID += 1
        return PendingStudent(student: student, enrolment: enrolment, isUpdate: false)
    }

    /// An update changes the student's own fields only. Where they study changes through the
    /// registry's transfer and promotion steps, so the row's school, grade and class must match the
    /// current enrolment; a registrar may update only students currently at their school.
    private mutating func validateUpdate(_ r: inout RowContext, student: Student, school: School?, grade: GradeLevel?,
                                         classNumber: Int?, classText: String) async throws -> PendingStudent? {
        guard let existing = try await store.student(number: student.studentNumber) else { return nil }
        let current = try await store.enrolments(studentID: existing.id).last { $0.until == nil }
        if let current {
            let currentSchool = registry.schoolsByCode.values.first { $0.id == current.schoolID }
            if let school, school.id != current.schoolID {
                r.problem("schoolCode", code: "import.update_moves_student",
                          "该生目前在\(currentSchool?.name ?? "其他学校")就读；转学请办理学籍变动，不能通过更新导入")
            } else if let grade, grade != current.grade {
                r.problem("grade", code: "import.update_moves_student",
                          "该生目前在\(current.grade.name)；升级、留级请办理学籍变动，不能通过更新导入")
            } else if !classText.isEmpty, let s = school {
                let currentClass = try await current.classID.asyncMap { try await store.schoolClass(id: $0) } ?? nil
                if currentClass?.number != classNumber {
                    r.problem("classNumber", code: "import.update_moves_student",
                              "该生目前在\(currentClass.map { $0.name } ?? "未分班")（\(s.name)）；调班请办理学籍变动，不能通过更新导入")
                }
            }
        } else if restrict != nil {
            r.problem("studentNumber", code: "import.update_not_enrolled", "该生目前不在本校在读，不能由本校更新")
        }
        guard r.isValid else { return nil }
        var updated = student
        updated.id = existing.id
        if updated == existing {
            unchanged += 1
            return nil
        }
        return PendingStudent(student: updated, enrolment: nil, isUpdate: true)
    }

    static func makeWriter(tx: any RegistryWriting, bulk: any RegistryBulkSupport) async throws -> StudentChunkWriter {
        try await StudentChunkWriter(tx: tx, bulk: bulk)
    }

    static func commit(_ records: [PendingStudent], tx: any RegistryWriting,
                       bulk: any RegistryBulkSupport) async throws -> (inserted: Int, updated: Int) {
        var writer = try await StudentChunkWriter(tx: tx, bulk: bulk)
        try await writer.write(records.enumerated().map { (row: $0.offset, record: $0.element) })
        return try await writer.finish()
    }
}

/// Writes new students with their first enrolment chunk by chunk as the file is validated (ids
/// follow the highest in use, in file order), and holds updates, which are few, for the end,
/// where each is written with its audit line (before and after) and the one `bulk_load` line
/// summarises the new records.
struct StudentChunkWriter: RecordWriter {
    let tx: any RegistryWriting
    let bulk: any RegistryBulkSupport
    let base: RegistryHighestIDs
    /// Row of each student written, in id order (rows ascend, so it is sorted).
    private var writtenRows: [Int] = []
    /// Positions in `writtenRows` removed again (duplicates found later in the file).
    private var retracted = Set<Int>()
    private var updates: [(row: Int, record: PendingStudent)] = []

    init(tx: any RegistryWriting, bulk: any RegistryBulkSupport) async throws {
        self.tx = tx
        self.bulk = bulk
        base = try await bulk.highestIDs()
    }

    mutating func retract(rows: [Int]) async throws {
        guard !rows.isEmpty else { return }
        let gone = Set(rows)
        updates.removeAll { gone.contains($0.row) }
        var ids: [StudentID] = []
        for row in rows.sorted() {
            guard let i = Self.position(of: row, in: writtenRows), retracted.insert(i).inserted else { continue }
            ids.append(StudentID(base.students + Int64(i) + 1))
        }
        try await bulk.retractStudents(ids)
    }

    mutating func write(_ records: [(row: Int, record: PendingStudent)]) async throws {
        var students: [Student] = []
        var enrolments: [Enrolment] = []
        students.reserveCapacity(records.count)
        enrolments.reserveCapacity(records.count)
        for (row, record) in records {
            if record.isUpdate {
                updates.append((row, record))
                continue
            }
            guard var enrolment = record.enrolment else { continue }
            let n = Int64(writtenRows.count) + 1
            var student = record.student
            student.id = StudentID(base.students + n)
            enrolment.id = EnrolmentID(base.enrolments + n)
            enrolment.studentID = student.id
            writtenRows.append(row)
            students.append(student)
            enrolments.append(enrolment)
        }
        if !students.isEmpty { try await bulk.insertStudentChunk(students: students, enrolments: enrolments) }
    }

    mutating func finish() async throws -> (inserted: Int, updated: Int) {
        for update in updates { try await tx.update(update.record.student) }
        let inserted = writtenRows.count - retracted.count
        if inserted > 0 { try await bulk.finishBulkLoad(["students": inserted, "enrolments": inserted]) }
        return (inserted, updates.count)
    }

    /// Binary search in the ascending row numbers.
    static func position(of row: Int, in rows: [Int]) -> Int? {
        var low = 0
        var high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if rows[mid] < row { low = mid + 1 } else { high = mid }
        }
        return low < rows.count && rows[low] == row ? low : nil
    }
}

extension Optional {
    func asyncMap<U>(_ transform: (Wrapped) async throws -> U) async rethrows -> U? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
