import EduLedgerCore

extension IndicatorRegistry {
    /// 规模: headcounts on 9月1日.
    static let scale: [Indicator] = {
        var list: [Indicator] = []
        let stockRecords = "当年9月1日有在读学籍（学籍期间覆盖9月1日）的学生，每人计一次，计入其就读学校；休学、辍学、已转出、已毕业者不计"

        list.append(.additive(IndicatorDefinition(
            id: "students.total", nameZH: "在校生数（全部学段）", nameEN: "Enrolment, all levels", category: "规模",
            numerator: "9月1日在校学生人数", denominator: nil, reference: .stock, records: stockRecords,
            factor: .count, precision: 0, unitLabel: "人")) { ctx, year, t in
            let rows = ctx.stockRows(year)
            for r in 0..<rows.count { t.num(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r])) }
        })

        for stage in Stage.allCases {
            list.append(.additive(IndicatorDefinition(
                id: "students.\(stage.key)", nameZH: "\(stage.rawValue)在校生数", nameEN: "Enrolment, \(stage.english)",
                category: "规模", numerator: "9月1日在读年级属于\(stage.rawValue)学段的学生人数", denominator: nil,
                reference: .stock, records: stockRecords, factor: .count, precision: 0, unitLabel: "人")) { ctx, year, t in
                let rows = ctx.stockRows(year)
                for r in 0..<rows.count where rows.grade[r].stage == stage {
                    t.num(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
                }
            })
            list.append(.additive(IndicatorDefinition(
                id: "students.\(stage.key).female", nameZH: "\(stage.rawValue)在校女生数",
                nameEN: "Female enrolment, \(stage.english)", category: "规模",
                numerator: "9月1日\(stage.rawValue)在校生中性别为女的人数", denominator: nil, reference: .stock,
                records: stockRecords, factor: .count, precision: 0, unitLabel: "人")) { ctx, year, t in
                let rows = ctx.stockRows(year)
                for r in 0..<rows.count where rows.grade[r].stage == stage && rows.traits[r].contains(.female) {
                    t.num(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
                }
            })
        }

        for grade in GradeLevel.allCases {
            list.append(.additive(IndicatorDefinition(
                id: "students.grade.\(grade.key)", nameZH: "\(grade.name)在校生数", nameEN: "Enrolment, grade \(grade.key)",
                category: "规模", numerator: "9月1日在读\(grade.name)的学生人数", denominator: nil, reference: .stock,
                records: stockRecords, factor: .count, precision: 0, unitLabel: "人")) { ctx, year, t in
                let rows = ctx.stockRows(year)
                for r in 0..<rows.count where rows.grade[r] == grade {
                    t.num(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
                }
            })
        }

        list.append(.additive(IndicatorDefinition(
            id: "students.left_behind", nameZH: "义务教育留守儿童数", nameEN: "Left-behind children in compulsory education",
            category: "规模", numerator: "9月1日小学、初中在校生中标记为留守儿童的人数", denominator: nil, reference: .stock,
            records: stockRecords + "；以学籍中的“留守儿童”标记为准", factor: .count, precision: 0, unitLabel: "人")) { ctx, year, t in
            let rows = ctx.stockRows(year)
            for r in 0..<rows.count where rows.grade[r].stage.isCompulsory && rows.traits[r].contains(.leftBehind) {
                t.num(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
            }
        })
        list.append(.additive(IndicatorDefinition(
            id: "students.migrant", nameZH: "义务教育进城务工人员随迁子女数",
            nameEN: "Migrant workers' children in compulsory education", category: "规模",
            numerator: "9月1日小学、初中在校生中标记为进城务工人员随迁子女的人数", denominator: nil, reference: .stock,
            records: stockRecords + "；以学籍中的“随迁子女”标记为准", factor: .count, precision: 0, unitLabel: "人")) { ctx, year, t in
            let rows = ctx.stockRows(year)
            for r in 0..<rows.count where rows.grade[r].stage.isCompulsory && rows.traits[r].contains(.migrantWorkerChild) {
                t.num(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
            }
        })
        list.append(.additive(IndicatorDefinition(
            id: "students.disabled", nameZH: "义务教育在校残疾学生数", nameEN: "Pupils with disabilities in compulsory education",
            category: "规模", numerator: "9月1日小学、初中在校生中登记有残疾类别的人数（含特殊教育学校和随班就读）",
            denominator: nil, reference: .stock, records: stockRecords, factor: .count, precision: 0, unitLabel: "人")) { ctx, year, t in
            let rows = ctx.stockRows(year)
            for r in 0..<rows.count where rows.grade[r].stage.isCompulsory && rows.traits[r].contains(.disabled) {
                t.num(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
            }
        })
        return list
    }()

    /// 班额: classes and their sizes on 9月1日.
    static let classSize: [Indicator] = {
        var list: [Indicator] = []
        let classRecords = "当年学年的班级中，9月1日至少有1名在读学生的班级；班额 = 该班9月1日在读学生数；未编入班级的学生不计"
        let sets: [(key: String, name: String, en: String, stages: Set<Stage>, standard: String)] = [
            ("primary", "小学", "primary", [.primary], "标准班额小学45人"),
            ("junior", "初中", "lower secondary", [.junior], "标准班额初中50人"),
            ("compulsory", "义务教育", "compulsory education", [.primary, .junior], "标准班额小学45人、初中50人"),
            ("senior", "普通高中", "general upper secondary", [.senior], "普通高中标准班额50人"),
        ]
        for set in sets {
            /// The set's stages by `Stage.position` (a lookup per class instead of a hash).
            let stageMask = Stage.allCases.map { set.stages.contains($0) }
            /// The set's classes on 9月1日 with their sizes (from the context's per-year table).
            @Sendable func sizes(_ ctx: Context, _ year: Int) -> [(ref: RecordRef, school: Int, size: Int)] {
                let wanted = stageMask
                return ctx.classSizes(year).filter { wanted[$0.stage.position] }
                    .map { (RecordRef(.schoolClass, $0.id.rawValue), $0.school, $0.size) }
            }
            /// The pupils of each class, only for a drill-down of the average class size.
            @Sendable func pupils(_ ctx: Context, _ year: Int) -> [(school: Int, ref: RecordRef)] {
                let wanted = stageMask
                return ctx.stock(year).compactMap { i in
                    let e = ctx.enrolments[Int(i)]
                    guard wanted[e.grade.stage.position], e.classID != nil else { return nil }
                    return (Int(ctx.enrolmentSchool[Int(i)]), ctx.ref(student: i))
                }
            }
            list.append(.additive(IndicatorDefinition(
                id: "classes.\(set.key)", nameZH: "\(set.name)班数", nameEN: "Classes, \(set.en)", category: "班额",
                numerator: "9月1日有在读学生的\(set.name)班级数", denominator: nil, reference: .stock, records: classRecords,
                factor: .count, precision: 0, unitLabel: "个")) { ctx, year, t in
                for c in sizes(ctx, year) { t.num(school: c.school, c.ref) }
            })
            list.append(.additive(IndicatorDefinition(
                id: "class_size.\(set.key)", nameZH: "\(set.name)平均班额", nameEN: "Average class size, \(set.en)",
                category: "班额", numerator: "9月1日\(set.name)各班在读学生数之和", denominator: "9月1日有在读学生的\(set.name)班级数",
                reference: .stock, records: classRecords, factor: .ratio, precision: 1, unitLabel: "人",
                standard: set.standard)) { ctx, year, t in
                if t.isDrilling {
                    for p in pupils(ctx, year) { t.num(school: p.school, p.ref) }
                    for c in sizes(ctx, year) { t.den(school: c.school, c.ref) }
                } else {
                    for c in sizes(ctx, year) {
                        t.num(school: c.school, c.ref, Double(c.size))
                        t.den(school: c.school, c.ref)
                    }
                }
            })
            for band in [(key: "large", name: "大班额", range: 56...65, en: "large classes (56–65)"),
                         (key: "huge", name: "超大班额", range: 66...Int.max, en: "very large classes (66+)")] {
                let bandText = band.key == "large" ? "56至65人" : "66人及以上"
                list.append(.additive(IndicatorDefinition(
                    id: "\(band.key)_classes.\(set.key)", nameZH: "\(set.name)\(band.name)班数", nameEN: "Number of \(band.en), \(set.en)",
                    category: "班额", numerator: "9月1日班额为\(bandText)的\(set.name)班级数", denominator: nil, reference: .stock,
                    records: classRecords, factor: .count, precision: 0, unitLabel: "个")) { ctx, year, t in
                    for c in sizes(ctx, year) where band.range.contains(c.size) { t.num(school: c.school, c.ref) }
                })
                list.append(.additive(IndicatorDefinition(
                    id: "\(band.key)_classes_share.\(set.key)", nameZH: "\(set.name)\(band.name)比例",
                    nameEN: "Share of \(band.en), \(set.en)", category: "班额",
                    numerator: "9月1日班额为\(bandText)的\(set.name)班级数", denominator: "9月1日有在读学生的\(set.name)班级数",
                    reference: .stock, records: classRecords, factor: .percent, precision: 2)) { ctx, year, t in
                    for c in sizes(ctx, year) {
                        if band.range.contains(c.size) { t.num(school: c.school, c.ref) }
                        t.den(school: c.school, c.ref)
                    }
                })
            }
        }
        return list
    }()
}
