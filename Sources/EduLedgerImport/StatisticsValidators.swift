import EduLedgerCore

/// Cell parsing shared by the yearly statistics sheets.
extension RowContext {
    /// 学年: `2025`, `2025-2026`, `2025—2026学年`, `2025学年`, `2025年` → school year 2025–2026.
    mutating func schoolYear(_ key: String, _ title: String) -> SchoolYear? {
        guard let text = required(key, title) else { return nil }
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let rest = text.dropFirst(digits.count)
        let tail = rest.filter { !"-—–－~～至学年度 ".contains($0) }
        if digits.count == 4, let start = Int(digits), (1990...2100).contains(start) {
            let second = tail.prefix { $0.isASCII && $0.isNumber }
            if tail.isEmpty || (second.count == 4 && Int(second) == start + 1 && tail.count == 4) {
                return SchoolYear(start)
            }
        }
        problem(key, code: "import.school_year", "“\(title)”应写学年的起始年份，如2025或2025-2026")
        return nil
    }

    /// A whole number ≥ 0 (`0` when empty and not required).
    mutating func count(_ key: String, _ title: String, required isRequired: Bool) -> Int? {
        let text = text(key)
        if text.isEmpty {
            if isRequired { problem(key, code: "import.required", "“\(title)”为必填项，不能为空"); return nil }
            return 0
        }
        guard let n = CellParsing.integer(text.replacingOccurrences(of: ",", with: "")), n >= 0 else {
            problem(key, code: "import.number", "“\(title)”应为不小于0的整数")
            return nil
        }
        return n
    }

    /// An area in square metres ≥ 0, with decimals.
    mutating func area(_ key: String, _ title: String) -> Double? {
        guard let text = required(key, title) else { return nil }
        var t = text.replacingOccurrences(of: ",", with: "")
        for unit in ["平方米", "㎡", "m²", "m2"] where t.hasSuffix(unit) { t = String(t.dropLast(unit.count)) }
        guard let v = Double(CellParsing.trim(t)), v.isFinite, v >= 0, v < 10_000_000 else {
            problem(key, code: "import.number", "“\(title)”应为不小于0的数（平方米）")
            return nil
        }
        return v
    }
}

/// What a statistics row becomes: a population figure or a school's resources.
enum PendingFigure: Sendable {
    case population(SchoolAgePopulation)
    case resources(SchoolResources)
}

/// Writes validated figures: one upsert (the storage replaces figures with the same key and
/// writes its audit line) and the import's summary line, inside the import's transaction.
enum StatisticsCommit {
    static func commit(_ records: [PendingFigure], tx: any RegistryWriting) async throws -> (inserted: Int, updated: Int) {
        guard let writer = tx as? any StatisticsWriting else {
            throw ImportError(code: "import.store_unsupported", message: "当前数据库不支持导入统计数据")
        }
        var batch = StatisticsBatch()
        for r in records {
            switch r {
            case .population(let p): batch.population.append(p)
            case .resources(let r): batch.resources.append(r)
            }
        }
        try await writer.bulkUpsert(batch)
        return (batch.recordCount, 0)
    }
}

/// 适龄人口 by school year, township, single year of age and gender. A (year, township, age,
/// gender) given twice in the file rejects both rows; figures already stored for the same key
/// are replaced (the yearly register is re-imported when 公安 corrects it), as the audit line says.
struct PopulationValidator: RecordValidator {
    let registry: Registry
    var seen = SeenKeys()
    var unchanged = 0

    static func load(store: any RegistryStore) async throws -> PopulationValidator {
        PopulationValidator(registry: try await Registry.load(store))
    }

    func missingColumns(_ map: ColumnMap) -> [String] {
        ImportKind.population.fields.filter { $0.required && map.columns[$0.key] == nil }.map(\.title)
    }

    mutating func validate(_ r: inout RowContext) async throws -> PendingFigure? {
        let year = r.schoolYear("year", "学年")
        var township: Township?
        if let t = r.required("township", "乡镇") {
            township = registry.townshipsByKey[t]
            if township == nil { r.problem("township", code: "import.township", "本区没有代码或名称为“\(t)”的乡镇（街道）") }
        }
        var age: Int?
        if let text = r.required("age", "年龄") {
            let t = text.hasSuffix("岁") ? String(text.dropLast()) : text
            if let n = CellParsing.integer(t), (0...25).contains(n) { age = n } else {
                r.problem("age", code: "import.age", "“年龄”应为0至25的整数（周岁）")
            }
        }
        var gender: Gender?
        if let text = r.required("gender", "性别") {
            gender = CellParsing.gender(text)
            if gender == nil { r.problem("gender", code: "import.gender", "“性别”只能填男或女（或1、2）") }
        }
        let count = r.count("count", "人数", required: true)
        let disabled = r.count("disabledCount", "其中残疾儿童", required: false)
        if let count, let disabled, disabled > count {
            r.problem("disabledCount", code: "import.disabled_over_count", "其中残疾儿童\(disabled)人多于人数\(count)人")
        }
        if let year, let township, let age, let gender {
            let key = "\(year.startYear)/\(township.id.rawValue)/\(age)/\(gender.rawValue)"
            if let earlier = seen.insert(key, row: r.row.number) {
                let what = "\(year)学年\(township.name)\(age)岁\(gender.rawValue)"
                r.problem("age", code: "import.duplicate_in_file", "\(what)与本表第\(earlier)行重复")
                r.alsoRejected.append((earlier, r.makeProblem("age", row: earlier, code: "import.duplicate_in_file",
                                                              "\(what)与本表第\(r.row.number)行重复")))
            }
        }
        guard r.isValid, let year, let township, let age, let gender, let count, let disabled else { return nil }
        return .population(SchoolAgePopulation(year: year, townshipID: township.id, age: age, gender: gender, count: count,
                                               disabledCount: disabled))
    }

    static func commit(_ records: [PendingFigure], tx: any RegistryWriting,
                       bulk: any RegistryBulkSupport) async throws -> (inserted: Int, updated: Int) {
        try await StatisticsCommit.commit(records, tx: tx)
    }
}

/// 办学条件 of one school and school year. A school's own import may only carry its own rows.
struct ResourceValidator: RecordValidator {
    let registry: Registry
    let restrict: School?
    var seen = SeenKeys()
    var unchanged = 0

    static func load(store: any RegistryStore, restrict: School?) async throws -> ResourceValidator {
        ResourceValidator(registry: try await Registry.load(store), restrict: restrict)
    }

    func missingColumns(_ map: ColumnMap) -> [String] {
        ImportKind.resources.fields.filter {
            $0.required && map.columns[$0.key] == nil && !($0.key == "schoolCode" && restrict != nil)
        }.map(\.title)
    }

    mutating func validate(_ r: inout RowContext) async throws -> PendingFigure? {
        let year = r.schoolYear("year", "学年")
        var school: School?
        let code = r.text("schoolCode")
        if code.isEmpty {
            if let restrict { school = restrict } else { r.problem("schoolCode", code: "import.required", "“学校标识码”为必填项，不能为空") }
        } else if let s = registry.schoolsByCode[code] {
            if let restrict, s.id != restrict.id {
                r.problem("schoolCode", code: "import.other_school", "只能导入本校（\(restrict.name)）的数据，不能导入“\(s.name)”的")
            } else {
                school = s
                let name = r.text("schoolName")
                if !name.isEmpty && name != s.name {
                    r.problem("schoolName", code: "import.school_name", "学校名称与标识码“\(code)”登记的“\(s.name)”不一致")
                }
            }
        } else {
            r.problem("schoolCode", code: "import.school_not_found", "找不到学校标识码为“\(code)”的学校")
        }
        let teaching = r.area("teachingArea", "教学及辅助用房面积")
        let sports = r.area("sportsArea", "体育运动场馆面积")
        var equipment: Money?
        if let text = r.required("equipmentValue", "教学仪器设备值") {
            do {
                let t = text.replacingOccurrences(of: " ", with: "")
                let value = t.hasSuffix("万元") ? try Money(wanyuan: t) : try Money(yuan: t)
                if value.fen < 0 { r.problem("equipmentValue", code: "import.money", "“教学仪器设备值”不能为负数") } else { equipment = value }
            } catch {
                r.problem("equipmentValue", code: "import.money", "“教学仪器设备值”应为金额（元，最多两位小数），如1250000.00")
            }
        }
        let books = r.count("books", "图书", required: true)
        let rooms = r.count("multimediaClassrooms", "网络多媒体教室", required: true)
        if let year, let school, let earlier = seen.insert("\(year.startYear)/\(school.id.rawValue)", row: r.row.number) {
            r.problem("schoolCode", code: "import.duplicate_in_file", "\(school.name)\(year)学年的数据与本表第\(earlier)行重复")
            r.alsoRejected.append((earlier, r.makeProblem("schoolCode", row: earlier, code: "import.duplicate_in_file",
                                                          "\(school.name)\(year)学年的数据与本表第\(r.row.number)行重复")))
        }
        guard r.isValid, let year, let school, let teaching, let sports, let equipment, let books, let rooms else { return nil }
        return .resources(SchoolResources(schoolID: school.id, year: year, teachingArea: teaching, sportsArea: sports,
                                          equipmentValue: equipment, books: books, multimediaClassrooms: rooms))
    }

    static func commit(_ records: [PendingFigure], tx: any RegistryWriting,
                       bulk: any RegistryBulkSupport) async throws -> (inserted: Int, updated: Int) {
        try await StatisticsCommit.commit(records, tx: tx)
    }
}
