import EduLedgerCore

struct PendingStaff: Sendable {
    var member: StaffMember
    var isUpdate: Bool
}

struct StaffValidator: RecordValidator {
    let store: any RegistryReading
    let registry: Registry
    let restrict: School?
    let allowUpdates: Bool
    var existingNumbers: KeySet
    var existingResidentIDs: KeyMap<String>
    var seenNumbers = SeenKeys()
    var seenResidentIDs = SeenKeys()
    var unchanged = 0

    static func load(store: any RegistryStore & RegistryBulkSupport, restrict: School?,
                     allowUpdates: Bool) async throws -> StaffValidator {
        let (numbers, ids) = PersonKeys.index(try await store.staffKeys())
        return StaffValidator(store: store, registry: try await Registry.load(store), restrict: restrict,
                              allowUpdates: allowUpdates, existingNumbers: numbers, existingResidentIDs: ids)
    }

    func missingColumns(_ map: ColumnMap) -> [String] {
        var missing: [String] = []
        for (key, title) in [("staffNumber", "教职工号"), ("name", "姓名"), ("post", "岗位类别"), ("qualification", "最高学历"),
                             ("hired", "入职日期")] where map.columns[key] == nil {
            missing.append(title)
        }
        if map.columns["gender"] == nil && map.columns["residentID"] == nil { missing.append("性别") }
        if map.columns["birthDate"] == nil && map.columns["residentID"] == nil { missing.append("出生日期") }
        return missing
    }

    mutating func validate(_ r: inout RowContext) async throws -> PendingStaff? {
        let number = r.required("staffNumber", "教职工号")
        if let number, number.count > 30 { r.problem("staffNumber", code: "import.too_long", "教职工号过长（不超过30位）") }
        let name = r.required("name", "姓名")
        let rid = r.residentID("residentID")
        let ridFailed = r.hasProblem("residentID")
        let (gender, birth) = r.genderAndBirth(rid: rid, residentIDFailed: ridFailed)

        var school: School?
        let code = r.text("schoolCode")
        if let own = restrict {
            if code.isEmpty || code == own.code { school = own } else {
                r.problem("schoolCode", code: "import.other_school", "只能导入本校（\(own.name)，\(own.code)）的教职工")
            }
        } else if !code.isEmpty {
            school = registry.schoolsByCode[code]
            if school == nil { r.problem("schoolCode", code: "import.school_not_found", "找不到学校标识码为“\(code)”的学校") }
        }
        let post = r.choice("post", "岗位类别", StaffPost.self, fallback: nil)
        if post == nil && r.text("post").isEmpty { r.problem("post", code: "import.required", "“岗位类别”为必填项") }
        let established = r.text("established").isEmpty ? true : r.flag("established", "是否在编")
        let qualification = r.choice("qualification", "最高学历", Qualification.self, fallback: nil,
                                     aliases: ["研究生": .master, "硕士": .master, "博士": .doctor, "大专": .associate,
                                               "大学本科": .bachelor, "高中": .highSchool, "中专": .highSchool])
        if qualification == nil && r.text("qualification").isEmpty {
            r.problem("qualification", code: "import.required", "“最高学历”为必填项")
        }
        let title = r.choice("title", "职称", ProfessionalTitle.self, fallback: ProfessionalTitle.none,
                             aliases: ["无": .none, "未定级": .none, "中学高级教师": .senior, "小学高级教师": .first])
        let subjects = CellParsing.list(r.text("subjects"))
        var certificate: TeacherCertificate?
        let level = r.choice("certificateLevel", "教师资格种类", TeacherCertificate.Level.self, fallback: nil)
        let certNumber = r.text("certificateNumber")
        if let level, !certNumber.isEmpty {
            certificate = TeacherCertificate(level: level, number: certNumber)
        } else if level != nil {
            r.problem("certificateNumber", code: "import.certificate", "填写了教师资格种类，须同时填写教师资格证号")
        } else if !certNumber.isEmpty && !r.hasProblem("certificateLevel") {
            r.problem("certificateLevel", code: "import.certificate", "填写了教师资格证号，须同时填写教师资格种类")
        }
        let backbone = r.flag("backbone", "骨干教师")
        let hired = r.date("hired", "入职日期")
        if hired == nil && r.text("hired").isEmpty { r.problem("hired", code: "import.required", "“入职日期”为必填项") }
        let left = r.date("left", "离职日期")
        if let h = hired, let b = birth, b.age(on: h) < 16 {
            r.problem("hired", code: "import.hired_too_young", "入职时未满16周岁，请核对入职日期和出生日期")
        }
        if let h = hired, let l = left, l <= h {
            r.problem("left", code: "registry.invalid_period", "离职日期必须晚于入职日期\(h.description)")
        }
        if let s = school, let closed = s.closed, let h = hired, h > closed {
            r.problem("hired", code: "registry.school_closed", RegistryError.schoolClosed(school: s.name, closed: closed, date: h).message)
        }

        if let number, !r.hasProblem("staffNumber"), let earlier = seenNumbers.insert(number, row: r.row.number) {
            r.problem("staffNumber", code: "import.duplicate_in_file", "教职工号与本表第\(earlier)行重复")
            r.alsoRejected.append((earlier, r.makeProblem("staffNumber", row: earlier, code: "import.duplicate_in_file",
                                                          "教职工号“\(number)”与本表第\(r.row.number)行重复")))
        }
        if let rid, let earlier = seenResidentIDs.insert(rid.value, row: r.row.number) {
            r.problem("residentID", code: "import.duplicate_in_file", "身份证号与本表第\(earlier)行重复")
            r.alsoRejected.append((earlier, r.makeProblem("residentID", row: earlier, code: "import.duplicate_in_file",
                                                          "身份证号“\(rid.value)”与本表第\(r.row.number)行重复")))
        }
        let exists = number.map(existingNumbers.contains) ?? false
        if exists && !allowUpdates {
            r.problem("staffNumber", code: "import.duplicate_in_registry",
                      "教职工号“\(number ?? "")”已登记，不能重复导入；如要修改已有教职工的信息，请选择“更新导入”")
        }
        if let rid, let holder = existingResidentIDs[rid.value], holder != number {
            r.problem("residentID", code: "import.duplicate_in_registry", "身份证号已被教职工号为“\(holder)”的教职工使用")
        }
        guard r.isValid, let number, let name, let gender, let birth, let post, let qualification, let title,
              let hired else { return nil }
        var member = StaffMember(id: .unsaved, staffNumber: number, name: name, gender: gender, birthDate: birth,
                                 residentID: rid, schoolID: school?.id, post: post, established: established,
                                 qualification: qualification, title: title, subjects: subjects, certificate: certificate,
                                 backbone: backbone, hired: hired, left: left)
        do {
            try RegistryRules.check(staff: member)
        } catch {
            r.problem(nil, code: error.code, error.message)
            return nil
        }
        if exists {
            guard let existing = try await store.staffMember(number: number) else { return nil }
            if let own = restrict, existing.schoolID != own.id {
                r.problem("staffNumber", code: "import.other_school", "该教职工不属于本校，不能由本校更新")
                return nil
            }
            member.id = existing.id
            if member == existing {
                unchanged += 1
                return nil
            }
            return PendingStaff(member: member, isUpdate: true)
        }
        return PendingStaff(member: member, isUpdate: false)
    }

    static func commit(_ records: [PendingStaff], tx: any RegistryWriting,
                       bulk: any RegistryBulkSupport) async throws -> (inserted: Int, updated: Int) {
        let ids = try await bulk.highestIDs()
        var batch = RegistryBatch()
        var updated = 0
        for record in records {
            if record.isUpdate {
                try await tx.update(record.member)
                updated += 1
            } else {
                var m = record.member
                m.id = StaffID(ids.staff + Int64(batch.staff.count) + 1)
                batch.staff.append(m)
            }
        }
        if !batch.isEmpty { try await tx.bulkInsert(batch) }
        return (batch.staff.count, updated)
    }
}
