import EduLedgerCore

extension IndicatorRegistry {
    /// 新生随机编班: how many intakes were placed in classes by the public computer draw, and
    /// whether the draws were done in the open and can be checked — what the reports quote as
    /// proof that no school built a 重点班. A draw belongs to the school year of the intake it
    /// placed (the draw for the 一年级 of 2026—2027 counts in 2026) and is counted at its school
    /// and every unit above it. Only draws that placed their pupils (已编班 or 已锁定) count;
    /// drafts and draws still waiting for their seed do not.
    static let draws: [Indicator] = {
        @Sendable func held(_ ctx: Context, _ year: Int) -> [(draw: DrawFact, school: Int)] {
            ctx.facts.draws.compactMap { d in
                guard d.schoolYear == year, d.isHeld, let i = ctx.schoolIndex[d.schoolID] else { return nil }
                return (d, i)
            }
        }
        func def(_ id: String, _ zh: String, _ en: String, numerator: String, denominator: String?, records: String,
                 factor: Factor = .count, precision: Int = 0, unit: String = "") -> IndicatorDefinition {
            IndicatorDefinition(id: id, nameZH: zh, nameEN: en, category: "随机编班", numerator: numerator, denominator: denominator,
                                reference: .stock, records: records, factor: factor, precision: precision, unitLabel: unit)
        }
        let counted = "当年秋季入学新生的编班（按编班所属学年计），状态为已编班或已锁定；草稿、待输入种子的不计"
        var list: [Indicator] = []
        list.append(.additive(def("draws.held", "随机编班次数", "Class draws held",
                                  numerator: "当年组织电脑随机编班的次数（一所学校一个起始年级一次）", denominator: nil,
                                  records: counted, unit: "次")) { ctx, year, t in
            for (d, i) in held(ctx, year) { t.num(school: i, RecordRef(.classDraw, d.id)) }
        })
        list.append(.additive(def("draws.schools", "开展随机编班学校数", "Schools with a class draw",
                                  numerator: "当年至少组织一次电脑随机编班的学校数", denominator: nil,
                                  records: counted + "；一所学校多个年级编班的计1所", unit: "所")) { ctx, year, t in
            var seen = Set<Int>()
            for (_, i) in held(ctx, year) where seen.insert(i).inserted {
                t.num(school: i, RecordRef(.school, ctx.schools[i].id.rawValue))
            }
        })
        list.append(.additive(def("draws.pupils", "随机编班学生数", "Pupils placed by draw",
                                  numerator: "参加电脑随机编班的新生人数（公布名单上的人数）", denominator: nil,
                                  records: counted + "；迟到插班生不计", unit: "人")) { ctx, year, t in
            for (d, i) in held(ctx, year) { t.num(school: i, RecordRef(.classDraw, d.id), Double(d.studentCount)) }
        })
        list.append(.additive(def("draws.classes", "随机编班班级数", "Classes formed by draw",
                                  numerator: "电脑随机编班编成的班级数", denominator: nil, records: counted, unit: "个")) { ctx, year, t in
            for (d, i) in held(ctx, year) { t.num(school: i, RecordRef(.classDraw, d.id), Double(d.classCount)) }
        })
        /// A rate over the draws held in the year: those that pass `counts` form the numerator.
        func rate(_ d: IndicatorDefinition, counts: @escaping @Sendable (DrawFact) -> Bool) -> Indicator {
            .additive(d) { ctx, year, t in
                for (draw, i) in held(ctx, year) {
                    let ref = RecordRef(.classDraw, draw.id)
                    t.den(school: i, ref)
                    if counts(draw) { t.num(school: i, ref) }
                }
            }
        }
        list.append(rate(def("draws.public_seed_rate", "编班种子现场公开输入率", "Draws seeded in public",
                             numerator: "其中种子各组成部分均在名单公布后、种子确定前录入，且至少一部分由家长代表或监督员现场输入的次数",
                             denominator: "当年组织电脑随机编班的次数",
                             records: counted + "；种子只由公开值（如开奖号码）组成的不计入分子",
                             factor: .percent, precision: 1), counts: \.seedEnteredInPublic))
        list.append(rate(def("draws.verifiable_rate", "编班结果可核验率", "Draws anyone can verify",
                             numerator: "其中编班记录载明所公布名单的摘要、确定的种子及其组成部分，可用公开记录重新计算核验的次数",
                             denominator: "当年组织电脑随机编班的次数",
                             records: counted + "；记录与公布的名单摘要或种子不符的不计入分子",
                             factor: .percent, precision: 1), counts: \.verifiable))
        return list
    }()
}
