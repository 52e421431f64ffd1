import EduLedgerCore

struct PendingSchool: Sendable {
    var school: School
    /// Number of this new school among the file's new schools.
    var local: Int
    /// Local number of a central school defined earlier in the same file.
    var centralLocal: Int?
    var isUpdate: Bool
}

struct SchoolValidator: RecordValidator {
    let registry: Registry
    let allowUpdates: Bool
    var seenCodes = SeenKeys()
    /// Code → local number of schools of this file, for 中心校 references to earlier rows.
    var localByCode: [String: Int] = [:]
    var unchanged = 0

    static func load(store: any RegistryStore & RegistryBulkSupport, allowUpdates: Bool) async throws -> SchoolValidator {
        SchoolValidator(registry: try await Registry.load(store), allowUpdates: allowUpdates)
    }

    func missingColumns(_ map: ColumnMap) -> [String] {
        [("schoolCode", "学校标识码"), ("name", "学校名称"), ("type", "办学类型"), ("urbanRural", "城乡分类"),
         ("township", "所属乡镇"), ("opened", "开办日期")].filter { map.columns[$0.0] == nil }.map(\.1)
    }

    mutating func validate(_ r: inout RowContext) async throws -> PendingSchool? {
        let code = r.required("schoolCode", "学校标识码")
        if let code, !(code.count == 10 && code.allSatisfy { $0.isASCII && $0.isNumber }) {
            r.problem("schoolCode", code: "import.school_code", "学校标识码应为10位数字")
        }
        let name = r.required("name", "学校名称")
        var type: SchoolType?
        if let text = r.required("type", "办学类型") {
            type = SchoolType(text: text)
            if type == nil {
                r.problem("type", code: "import.choice", "“办学类型”只能填：" + SchoolType.allCases.map(\.rawValue).joined(separator: "、"))
            }
        }
        let ownership = r.choice("ownership", "办学性质", Ownership.self, fallback: .publicSchool)
        let urbanRural = r.choice("urbanRural", "城乡分类", UrbanRural.self, fallback: nil)
        if urbanRural == nil && r.text("urbanRural").isEmpty { r.problem("urbanRural", code: "import.required", "“城乡分类”为必填项") }
        var township: Township?
        if let t = r.required("township", "所属乡镇") {
            township = registry.townshipsByKey[t]
            if township == nil { r.problem("township", code: "import.township", "本区没有代码或名称为“\(t)”的乡镇（街道）") }
        }
        var zone: SchoolZone?
        let zoneText = r.text("zone")
        if !zoneText.isEmpty {
            zone = registry.zonesByName[zoneText]
            if zone == nil { r.problem("zone", code: "import.zone", "没有名为“\(zoneText)”的学区，请先建立学区") }
        }
        var central: School?
        var centralLocal: Int?
        let centralCode = r.text("centralSchoolCode")
        if !centralCode.isEmpty {
            if let s = registry.schoolsByCode[centralCode] { central = s } else if let n = localByCode[centralCode] { centralLocal = n } else {
                r.problem("centralSchoolCode", code: "import.central_school",
                          "找不到标识码为“\(centralCode)”的中心校（须已登记，或在本表前面的行中）")
            }
            if centralCode == code { r.problem("centralSchoolCode", code: "import.central_school", "中心校不能是学校自己") }
        }
        let opened = r.date("opened", "开办日期")
        if opened == nil && r.text("opened").isEmpty { r.problem("opened", code: "import.required", "“开办日期”为必填项") }

        if let code, !r.hasProblem("schoolCode"), let earlier = seenCodes.insert(code, row: r.row.number) {
            r.problem("schoolCode", code: "import.duplicate_in_file", "学校标识码与本表第\(earlier)行重复")
            r.alsoRejected.append((earlier, r.makeProblem("schoolCode", row: earlier, code: "import.duplicate_in_file",
                                                          "学校标识码“\(code)”与本表第\(r.row.number)行重复")))
        }
        let existing = code.flatMap { registry.schoolsByCode[$0] }
        if existing != nil && !allowUpdates {
            r.problem("schoolCode", code: "import.duplicate_in_registry",
                      "学校标识码“\(code ?? "")”已登记，不能重复导入；如要修改已有学校的信息，请选择“更新导入”")
        }
        guard r.isValid, let code, let name, let type, let ownership, let urbanRural, let township, let opened else { return nil }
        var school = School(id: .unsaved, code: code, name: name, type: type, ownership: ownership, urbanRural: urbanRural,
                            townshipID: township.id, zoneID: zone?.id, centralSchoolID: central?.id,
                            address: r.text("address"), opened: opened, campuses: CellParsing.list(r.text("campuses")))
        if let existing {
            if centralLocal != nil {
                r.problem("centralSchoolCode", code: "import.central_school", "更新已有学校时，中心校须是已登记的学校")
                return nil
            }
            school.id = existing.id
            school.closed = existing.closed
            school.mergedIntoID = existing.mergedIntoID
            if school == existing {
                unchanged += 1
                return nil
            }
            return PendingSchool(school: school, local: -1, centralLocal: nil, isUpdate: true)
        }
        let local = localByCode.count
        localByCode[code] = local
        return PendingSchool(school: school, local: local, centralLocal: centralLocal, isUpdate: false)
    }

    static func commit(_ records: [PendingSchool], tx: any RegistryWriting,
                       bulk: any RegistryBulkSupport) async throws -> (inserted: Int, updated: Int) {
        let ids = try await bulk.highestIDs()
        var batch = RegistryBatch()
        var updated = 0
        var idByLocal: [Int: SchoolID] = [:]
        for record in records where !record.isUpdate {
            var s = record.school
            s.id = SchoolID(ids.schools + Int64(batch.schools.count) + 1)
            idByLocal[record.local] = s.id
            if let c = record.centralLocal {
                guard let cid = idByLocal[c] else {
                    throw ImportError(code: "import.central_school", message: "学校“\(s.name)”的中心校未能导入，该行不能单独导入")
                }
                s.centralSchoolID = cid
            }
            batch.schools.append(s)
        }
        if !batch.isEmpty { try await tx.bulkInsert(batch) }
        for record in records where record.isUpdate {
            try await tx.update(record.school)
            updated += 1
        }
        return (batch.schools.count, updated)
    }
}
