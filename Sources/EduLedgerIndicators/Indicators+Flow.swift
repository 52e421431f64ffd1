import EduLedgerCore

extension IndicatorRegistry {
    /// 流动: what happened during the school year before 9月1日, and cohorts over the years.
    /// A figure for year Y covers the 学年 from 9月1日 of Y−1 to 8月31日 of Y.
    static let flows: [Indicator] = {
        var list: [Indicator] = []
        let flowLevels = UnitKind.allCases

        for stage in [Stage.primary, .junior] {
            list.append(.additive(IndicatorDefinition(
                id: "dropout_rate.\(stage.key)", nameZH: "\(stage.rawValue)年辍学率", nameEN: "Annual dropout rate, \(stage.english)",
                category: "流动",
                numerator: "上一学年内以“辍学”结束\(stage.rawValue)学籍、且到该学年结束（8月31日）仍未复学的学生人数",
                denominator: "上一学年初（上年9月1日）\(stage.rawValue)在校生数", reference: .flow,
                records: "按辍学时就读的学校计入；同一学生一年内多次辍学只计一次；学年内已返校的不计；转学、休学不算辍学",
                factor: .percent, precision: 2, levels: flowLevels,
                standard: "控辍保学要求：小学0.6%以下、初中1.8%以下（以地方标准为准）")) { ctx, year, t in
                let rows = ctx.stockRows(year - 1)
                for r in 0..<rows.count where rows.grade[r].stage == stage {
                    t.den(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
                }
                var counted = Set<Int32>()
                // The periods that ended in a dropout during the year, in enrolment order.
                for k in ctx.droppedOut(inSchoolYear: year - 1) where ctx.enrolmentGrade[Int(k)].stage == stage {
                    let i = Int(k)
                    let e = ctx.enrolments[i]
                    let s = ctx.enrolmentStudent[i]
                    guard s >= 0, !ctx.reenrolled(after: e, student: Int(s), before: year), counted.insert(s).inserted else { continue }
                    t.num(school: Int(ctx.enrolmentSchool[i]), RecordRef(.student, e.studentID.rawValue))
                }
            })
        }

        let finals: [(stage: Stage, last: GradeLevel, next: Set<GradeLevel>, name: String, en: String, nextText: String)] = [
            (.primary, .p6, [.j1], "小升初", "primary to lower secondary", "七年级"),
            (.junior, .j3, [.s1, .v1], "初升高", "lower to upper secondary", "高一或中职一年级"),
        ]
        for f in finals {
            /// Graduations from the last grade during school year Y−1.
            @Sendable func graduations(_ ctx: Context, _ year: Int) -> [(enrolment: Int, student: Int)] {
                ctx.graduated(inSchoolYear: year - 1).compactMap { k in
                    let i = Int(k)
                    guard ctx.enrolmentGrade[i] == f.last, ctx.enrolmentStudent[i] >= 0 else { return nil }
                    return (i, Int(ctx.enrolmentStudent[i]))
                }
            }
            list.append(.additive(IndicatorDefinition(
                id: "graduation_rate.\(f.stage.key)", nameZH: "\(f.stage.rawValue)毕业率", nameEN: "Graduation rate, \(f.stage.english)",
                category: "流动", numerator: "上一学年内以“毕业”结束\(f.last.name)学籍的学生人数",
                denominator: "上一学年初（上年9月1日）\(f.last.name)在校生数", reference: .flow,
                records: "按毕业学校计入；学年中转入并毕业的学生计入分子，学年中转出的不计入分子", factor: .percent, precision: 2,
                levels: flowLevels)) { ctx, year, t in
                let rows = ctx.stockRows(year - 1)
                for r in 0..<rows.count where rows.grade[r] == f.last {
                    t.den(school: Int(rows.school[r]), ctx.ref(student: rows.enrolment[r]))
                }
                for g in graduations(ctx, year) {
                    t.num(school: Int(ctx.enrolmentSchool[g.enrolment]), RecordRef(.student, ctx.enrolments[g.enrolment].studentID.rawValue))
                }
            })
            list.append(.additive(IndicatorDefinition(
                id: "progression_rate.\(f.stage.key)", nameZH: "升学率（\(f.name)）", nameEN: "Transition rate, \(f.en)",
                category: "流动",
                numerator: "上一学年\(f.last.name)毕业生中，当年9月1日在本区\(f.nextText)有在读学籍的人数",
                denominator: "上一学年\(f.last.name)毕业生数", reference: .flow,
                records: "按毕业学校计入；升入区外学校的毕业生本系统无记录，不计入分子", factor: .percent, precision: 2,
                levels: flowLevels)) { ctx, year, t in
                for g in graduations(ctx, year) {
                    let school = Int(ctx.enrolmentSchool[g.enrolment])
                    let ref = RecordRef(.student, ctx.enrolments[g.enrolment].studentID.rawValue)
                    t.den(school: school, ref)
                    if let next = ctx.grade(student: g.student, on: year), f.next.contains(next) { t.num(school: school, ref) }
                }
            })
        }

        list.append(.additive(IndicatorDefinition(
            id: "retention_rate.junior", nameZH: "初中三年巩固率", nameEN: "Three-year retention rate, lower secondary",
            category: "流动",
            numerator: "分母中的学生当年9月1日在本区九年级有在读学籍的人数（追踪同一批学生）",
            denominator: "前年9月1日（Y−2）在本区七年级在读的学生数，减去其后转出本区或死亡且当年9月1日不在读的学生",
            reference: .cohort,
            records: "按七年级时的学校计入；中途转入的学生不进入本队列；留级仍在八年级的学生不计入分子；"
                + "五年数据可追踪的最早队列为第一年的七年级，故前两年无值",
            factor: .percent, precision: 2, levels: flowLevels, standard: "国家要求初中三年巩固率达到95%以上")) { ctx, year, t in
            let rows = ctx.stockRows(year - 2)
            for r in 0..<rows.count where rows.grade[r] == .j1 {
                let i = rows.enrolment[r]
                let s = Int(rows.student[r])
                let school = Int(rows.school[r])
                let now = ctx.grade(student: s, on: year)
                if now == nil {
                    // Moved away or died: not a failure of retention, so out of the cohort.
                    let left = ctx.periods(s).map { ctx.enrolments[Int($0)] }
                        .last { $0.from < SchoolYear(year).referenceDate }
                    if let exit = left?.exit, exit == .transferredOut || exit == .deceased { continue }
                }
                t.den(school: school, ctx.ref(student: i))
                if now == .j3 { t.num(school: school, ctx.ref(student: i)) }
            }
        })

        // UIS flow rates by grade (reconstructed cohort method).
        let uisGrades: [GradeLevel] = [.p1, .p2, .p3, .p4, .p5, .p6, .j1, .j2, .j3]
        for g in uisGrades {
            let next: Set<GradeLevel> = g.next.map { [$0] } ?? (g == .p6 ? [.j1] : [.s1, .v1])
            let nextText = next.map(\.name).sorted().joined(separator: "或")
            /// `next` as a list: one or two comparisons of cases per pupil instead of hashing the grade's name.
            let nextList = Array(next)
            let base = "上一学年初（上年9月1日）在读\(g.name)的学生数"
            let records = "按上年9月1日的学校计入；当年9月1日的年级取自该生当日的在读学籍（本区任一学校）"
            /// Each student in grade g on 9月1日 of Y−1 with their grade on 9月1日 of Y (nil: not enrolled).
            @Sendable func cohort(_ ctx: Context, _ year: Int, _ t: Tally, counts: (GradeLevel?) -> Bool) {
                let rows = ctx.stockRows(year - 1)
                for r in 0..<rows.count where rows.grade[r] == g {
                    let school = Int(rows.school[r])
                    let i = rows.enrolment[r]
                    t.den(school: school, ctx.ref(student: i))
                    if counts(ctx.grade(student: Int(rows.student[r]), on: year)) { t.num(school: school, ctx.ref(student: i)) }
                }
            }
            list.append(.additive(IndicatorDefinition(
                id: "uis.promotion.\(g.key)", nameZH: "\(g.name)升级率（UIS）", nameEN: "Promotion rate, grade \(g.key)", category: "流动",
                numerator: "其中当年9月1日在读\(nextText)的人数", denominator: base, reference: .flow, records: records,
                factor: .percent, precision: 2)) { ctx, year, t in
                cohort(ctx, year, t) { $0.map { nextList.contains($0) } ?? false }
            })
            list.append(.additive(IndicatorDefinition(
                id: "uis.repetition.\(g.key)", nameZH: "\(g.name)留级率（UIS）", nameEN: "Repetition rate, grade \(g.key)", category: "流动",
                numerator: "其中当年9月1日仍在读\(g.name)的人数", denominator: base, reference: .flow, records: records,
                factor: .percent, precision: 2)) { ctx, year, t in
                cohort(ctx, year, t) { $0 == g }
            })
            list.append(.additive(IndicatorDefinition(
                id: "uis.dropout.\(g.key)", nameZH: "\(g.name)流失率（UIS，100%−升级率−留级率）",
                nameEN: "Dropout rate (residual), grade \(g.key)", category: "流动",
                numerator: "其中当年9月1日既不在\(nextText)也不在\(g.name)的人数（辍学、休学、转出本区、死亡及毕业后未在本区升学）",
                denominator: base, reference: .flow, records: records + "；UIS 定义的剩余项，含转出本区，故高于年辍学率",
                factor: .percent, precision: 2)) { ctx, year, t in
                cohort(ctx, year, t) { grade in grade.map { $0 != g && !nextList.contains($0) } ?? true }
            })
        }

        list.append(Indicator(
            definition: IndicatorDefinition(
                id: "retention_rate.nine_year", nameZH: "九年巩固率（估算）", nameEN: "Nine-year retention rate (estimate)",
                category: "流动",
                numerator: "一年级至八年级各年级UIS升级率的乘积（含六年级升入七年级）",
                denominator: "—（合成队列：以上一学年各年级的升级率代替同一批学生九年的实际追踪）", reference: .cohort,
                records: "系统只有五个学年的数据，无法追踪一批学生九年，因此按UIS重构队列法用同一学年的各年级升级率连乘估算；"
                    + "留级后再升级的学生不计，故为下限估计；钻取列出一年级升级率的学生",
                factor: .percent, precision: 2, standard: "国家要求九年义务教育巩固率达到95%以上"),
            computation: .product([GradeLevel.p1, .p2, .p3, .p4, .p5, .p6, .j1, .j2].map { "uis.promotion.\($0.key)" })))
        return list
    }()
}
