import EduLedgerCore

extension IndicatorRegistry {
    /// 普及: enrolled children of an age against the registered population of that age.
    ///
    /// The population data exist per township (children living there: those registered in the
    /// township, and children registered outside the district who live there, mostly 随迁子女),
    /// so these figures are reported for the district and its townships only. The numerator
    /// counts a student in the township of their household registration (户籍乡镇) or, when
    /// registered outside the district, in the township of their school.
    static let access: [Indicator] = {
        let popLevels: [UnitKind] = [.district, .township]
        let hukouRecords = "9月1日在读的学生，户籍在本区的按户籍乡镇计入，户籍在区外的（随迁子女等）按就读学校所在乡镇计入；年龄按9月1日的周岁计"

        /// Adds enrolled students (by hukou township) to the numerator and the population of
        /// `ages` to the denominator.
        @Sendable func rate(_ ctx: Context, _ year: Int, _ t: Tally, ages: ClosedRange<Int>, disabled: Bool = false,
                            counts: (GradeLevel, StockRows.Traits, Int) -> Bool) {
            let rows = ctx.stockRows(year)
            // The answer of `counts` per grade, traits and age (0–39), asked once per combination
            // instead of once per pupil; other ages are asked each time.
            let ageSlots = 40
            var known = [Int8](repeating: -1, count: GradeLevel.allCases.count * 16 * ageSlots)
            for r in 0..<rows.count {
                let ti = Int(rows.homeTownship[r])
                guard ti >= 0 else { continue }
                let grade = rows.grade[r], traits = rows.traits[r], age = Int(rows.age[r])
                let counted: Bool
                if age >= 0 && age < ageSlots {
                    let k = (Int(rows.gradePosition[r]) * 16 + Int(traits.rawValue & 15)) * ageSlots + age
                    if known[k] < 0 { known[k] = counts(grade, traits, age) ? 1 : 0 }
                    counted = known[k] == 1
                } else {
                    counted = counts(grade, traits, age)
                }
                if counted { t.num(township: ti, ctx.ref(student: rows.enrolment[r])) }
            }
            for (k, p) in ctx.facts.population.enumerated() where p.year.startYear == year && ages.contains(p.age) {
                guard let ti = ctx.townshipIndex[p.townshipID] else { continue }
                let n = disabled ? p.disabledCount : p.count
                if n > 0 { t.den(township: ti, RecordRef(.population, Int64(k)), Double(n)) }
            }
        }

        var list: [Indicator] = []
        for (stage, ages, name) in [(Stage.primary, OfficialAge.primary, "小学适龄儿童"), (Stage.junior, OfficialAge.junior, "初中适龄少年")] {
            let ageText = "\(ages.lowerBound)至\(ages.upperBound)周岁"
            list.append(.additive(IndicatorDefinition(
                id: "enrolment_rate.\(stage.key)", nameZH: "\(name)入学率", nameEN: "Enrolment rate of \(stage.english)-age children",
                category: "普及",
                numerator: "9月1日\(ageText)、在小学或初中（含特殊教育学校）有在读学籍的学生数",
                denominator: "当年\(ageText)适龄人口数（乡镇适龄人口数据，含居住在本区的区外户籍儿童）", reference: .population,
                records: hukouRecords + "；已升入初中的小学适龄儿童、仍在小学的初中适龄少年都算已入学",
                factor: .percent, precision: 2, levels: popLevels, standard: "国家要求保持在100%左右")) { ctx, year, t in
                rate(ctx, year, t, ages: ages) { grade, _, age in grade.stage.isCompulsory && ages.contains(age) }
            })
            list.append(.additive(IndicatorDefinition(
                id: "ner.\(stage.key)", nameZH: "\(stage.rawValue)净入学率（UIS NER）", nameEN: "Net enrolment rate, \(stage.english)",
                category: "普及", numerator: "9月1日\(ageText)、在读\(stage.rawValue)年级的学生数",
                denominator: "当年\(ageText)适龄人口数", reference: .population, records: hukouRecords,
                factor: .percent, precision: 2, levels: popLevels)) { ctx, year, t in
                rate(ctx, year, t, ages: ages) { grade, _, age in grade.stage == stage && ages.contains(age) }
            })
            list.append(.additive(IndicatorDefinition(
                id: "ger.\(stage.key)", nameZH: "\(stage.rawValue)毛入学率（UIS GER）", nameEN: "Gross enrolment ratio, \(stage.english)",
                category: "普及", numerator: "9月1日在读\(stage.rawValue)年级的学生数（不论年龄）",
                denominator: "当年\(ageText)适龄人口数", reference: .population, records: hukouRecords,
                factor: .percent, precision: 2, levels: popLevels)) { ctx, year, t in
                rate(ctx, year, t, ages: ages) { grade, _, _ in grade.stage == stage }
            })
        }
        list.append(.additive(IndicatorDefinition(
            id: "preschool_rate.three_year", nameZH: "学前三年毛入园率", nameEN: "Gross enrolment ratio, three years of pre-primary",
            category: "普及", numerator: "9月1日在读幼儿园小班、中班、大班的幼儿数（不论年龄）",
            denominator: "当年3至5周岁人口数", reference: .population, records: hukouRecords,
            factor: .percent, precision: 2, levels: popLevels, standard: "“十四五”目标90%以上")) { ctx, year, t in
            rate(ctx, year, t, ages: OfficialAge.preschool) { grade, _, _ in grade.stage == .preschool }
        })
        list.append(.additive(IndicatorDefinition(
            id: "preschool_rate.one_year", nameZH: "学前一年毛入园率", nameEN: "Gross enrolment ratio, final year of pre-primary",
            category: "普及", numerator: "9月1日在读幼儿园大班的幼儿数（不论年龄）",
            denominator: "当年5周岁人口数", reference: .population, records: hukouRecords,
            factor: .percent, precision: 2, levels: popLevels)) { ctx, year, t in
            rate(ctx, year, t, ages: 5...5) { grade, _, _ in grade == .k3 }
        })
        list.append(.additive(IndicatorDefinition(
            id: "disabled_enrolment_rate", nameZH: "残疾儿童少年入学率", nameEN: "Enrolment rate of children with disabilities",
            category: "普及",
            numerator: "9月1日6至14周岁、登记有残疾类别、在小学或初中（含特殊教育学校、随班就读）有在读学籍的学生数",
            denominator: "当年6至14周岁残疾儿童少年数（残联登记，随适龄人口数据录入）", reference: .population,
            records: hukouRecords + "；送教上门学生须在系统中有学籍才计入", factor: .percent, precision: 2, levels: popLevels,
            standard: "“十四五”目标97%以上")) { ctx, year, t in
            rate(ctx, year, t, ages: OfficialAge.compulsory, disabled: true) { grade, traits, age in
                grade.stage.isCompulsory && traits.contains(.disabled) && OfficialAge.compulsory.contains(age)
            }
        })
        return list
    }()
}
