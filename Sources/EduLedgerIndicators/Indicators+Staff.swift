import EduLedgerCore

extension IndicatorRegistry {
    /// 师资: full-time teachers (专任教师) on 9月1日.
    static let staffing: [Indicator] = {
        var list: [Indicator] = []
        let teacherRecords = "9月1日在职（入职日不晚于9月1日、离职日晚于9月1日）、岗位类别为专任教师、属于某所学校的教职工；局机关人员不计"

        list.append(.additive(IndicatorDefinition(
            id: "teachers.full_time", nameZH: "专任教师数", nameEN: "Full-time teachers", category: "师资",
            numerator: "9月1日在职专任教师人数", denominator: nil, reference: .stock, records: teacherRecords,
            factor: .count, precision: 0, unitLabel: "人")) { ctx, year, t in
            for (m, s) in ctx.staff(on: year) where m.post == .fullTimeTeacher { t.num(school: s, RecordRef(.staff, m.id.rawValue)) }
        })

        let ratioSets: [(key: String, name: String, en: String, types: Set<SchoolType>?, standard: String?)] = [
            ("all", "", "all schools", nil, nil),
            ("primary", "小学", "primary schools", [.primary], "城市小学19:1、县镇21:1、农村23:1（中央编办2014年统一为19:1）"),
            ("junior", "初中", "junior secondary schools", [.juniorSecondary], "初中13.5:1"),
        ]
        for set in ratioSets {
            let scope = set.types.map { ts in "办学类型为" + ts.map(\.rawValue).sorted().joined(separator: "、") + "的学校（含其教学点）" }
                ?? "全部学校"
            list.append(.additive(IndicatorDefinition(
                id: set.key == "all" ? "pupil_teacher_ratio" : "pupil_teacher_ratio.\(set.key)",
                nameZH: "\(set.name)生师比", nameEN: "Pupil–teacher ratio, \(set.en)", category: "师资",
                numerator: "9月1日\(scope)在校生数", denominator: "9月1日\(scope)在职专任教师数", reference: .stock,
                records: teacherRecords + "；九年一贯制、完全中学的教师不分学段，只计入全部学校的生师比",
                factor: .ratioToOne, precision: 1, standard: set.standard)) { ctx, year, t in
                // Whether each school is in scope, decided once per school rather than per pupil.
                let scoped = ctx.schools.map { school in set.types.map { $0.contains(school.type) } ?? true }
                func inScope(_ s: Int) -> Bool { scoped[s] }
                let rows = ctx.stockRows(year)
                for r in 0..<rows.count where inScope(Int(rows.school[r])) {
                    t.num(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
                }
                for (m, s) in ctx.staff(on: year) where m.post == .fullTimeTeacher && inScope(s) {
                    t.den(school: s, RecordRef(.staff, m.id.rawValue))
                }
            })
        }

        for (key, name, type, minimum) in [("primary", "小学", SchoolType.primary, Qualification.associate),
                                           ("junior", "初中", SchoolType.juniorSecondary, Qualification.bachelor)] {
            list.append(.additive(IndicatorDefinition(
                id: "teacher_qualification_rate.\(key)", nameZH: "\(name)专任教师学历合格率",
                nameEN: "Share of qualified full-time teachers, \(key)", category: "师资",
                numerator: "其中最高学历为\(minimum.rawValue)及以上的人数",
                denominator: "9月1日办学类型为\(type.rawValue)的学校在职专任教师数", reference: .stock,
                records: teacherRecords + "；本系统采用提高后的标准：小学专科及以上、初中本科及以上"
                    + "（《教师法》的法定最低学历为小学中师、初中专科）",
                factor: .percent, precision: 2)) { ctx, year, t in
                for (m, s) in ctx.staff(on: year) where m.post == .fullTimeTeacher && ctx.schools[s].type == type {
                    let ref = RecordRef(.staff, m.id.rawValue)
                    t.den(school: s, ref)
                    if m.qualification >= minimum { t.num(school: s, ref) }
                }
            })
        }
        return list
    }()
}
