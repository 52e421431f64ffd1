import EduLedgerCore

extension IndicatorRegistry {
    /// 案件办理: the rates the work reports quote (见面率、答复率、满意率、按期办结率、整改完成率 …),
    /// over the cases received in the calendar year. A case about a school counts at the school
    /// and every unit above it; a case about no school (most petitions, proposals, licences)
    /// counts at the district only.
    static let casework: [Indicator] = {
        var list: [Indicator] = []
        let satisfied: Set<String> = ["满意", "基本满意"]
        /// Kinds with a statutory or notice deadline; violations and 年检 have none and are not judged on time.
        let withDeadline = ["petition", "deputyProposal", "cppccProposal", "hazard", "licence"]

        /// Calls `body` with each case of `kinds` received in the calendar year. A walk, not a
        /// filtered copy, and kinds as a short list compared directly rather than hashed: the
        /// rates are recomputed after every casework write (benchmark of issue 9).
        @Sendable func cases(_ ctx: Context, _ year: Int, _ kinds: [String], _ body: (CaseFact) -> Void) {
            for c in ctx.facts.cases where c.receivedOn.year == year && kinds.contains(c.kind) { body(c) }
        }
        @Sendable func num(_ ctx: Context, _ t: Tally, _ c: CaseFact, _ weight: Double = 1) {
            let ref = RecordRef(.casework, c.id)
            if let s = c.schoolID, let i = ctx.schoolIndex[s] { t.num(school: i, ref, weight) } else { t.num(district: ref, weight) }
        }
        @Sendable func den(_ ctx: Context, _ t: Tally, _ c: CaseFact) {
            let ref = RecordRef(.casework, c.id)
            if let s = c.schoolID, let i = ctx.schoolIndex[s] { t.den(school: i, ref) } else { t.den(district: ref) }
        }
        /// A rate over the cases of `kinds` received in the year: those that pass `among` form the
        /// denominator, those of them that pass `counts` the numerator.
        func rate(_ d: IndicatorDefinition, _ kinds: [String], among: @escaping @Sendable (CaseFact) -> Bool = { _ in true },
                  counts: @escaping @Sendable (CaseFact) -> Bool) -> Indicator {
            .additive(d) { ctx, year, t in
                cases(ctx, year, kinds) { c in
                    guard among(c) else { return }
                    den(ctx, t, c)
                    if counts(c) { num(ctx, t, c) }
                }
            }
        }
        /// A count of the cases of `kinds` received in the year that pass `counts`.
        func count(_ d: IndicatorDefinition, _ kinds: [String], counts: @escaping @Sendable (CaseFact) -> Bool = { _ in true }) -> Indicator {
            .additive(d) { ctx, year, t in
                cases(ctx, year, kinds) { c in if counts(c) { num(ctx, t, c) } }
            }
        }
        func def(_ id: String, _ zh: String, _ en: String, numerator: String, denominator: String?, records: String,
                 factor: Factor = .percent, precision: Int = 1, unit: String = "", levels: [UnitKind] = UnitKind.allCases) -> IndicatorDefinition {
            IndicatorDefinition(id: id, nameZH: zh, nameEN: en, category: "案件办理", numerator: numerator, denominator: denominator,
                                reference: .calendarYear, records: records, factor: factor, precision: precision,
                                unitLabel: unit, levels: levels)
        }
        /// Completed, and judged against a deadline that was in force.
        let completedWithDeadline: @Sendable (CaseFact) -> Bool = { c in c.completedOn != nil && c.completedOnTime != nil }
        let petition = ["petition"]
        let proposals = ["deputyProposal", "cppccProposal"]

        // 信访
        list.append(count(def("cases.petitions.received", "受理信访件数", "Petitions received",
                                  numerator: "当年登记的信访件（来信、来访、网上信访、电话、举报）", denominator: nil,
                                  records: "按登记日期计；复查不另计件", factor: .count, precision: 0, unit: "件", levels: [.district]), petition))
        list.append(rate(def("cases.petitions.reply_rate", "信访答复率（回复率）", "Petitions replied",
                                  numerator: "其中已书面答复信访人的件数（截至统计时）", denominator: "当年登记的信访件数",
                                  records: "答复以“书面答复信访人”步骤为准；尚在办理期限内未答复的也计入分母", levels: [.district]), petition, counts: { c in c.firstTaken["reply"] != nil }))
        list.append(rate(def("cases.petitions.satisfaction", "信访满意率", "Petitioners satisfied",
                                  numerator: "评价为满意或基本满意的件数", denominator: "当年登记且信访人已评价的件数",
                                  records: "以最后一次评价为准；未评价的不计入分母", levels: [.district]), petition,
                         among: { c in c.rating != nil }, counts: { c in satisfied.contains(c.rating ?? "") }))

        // 人大代表建议、政协提案
        list.append(count(def("cases.proposals.received", "承办建议提案件数", "Proposals handled",
                                  numerator: "当年接收的人大代表建议和政协提案件数", denominator: nil,
                                  records: "按接收交办件的日期计", factor: .count, precision: 0, unit: "件", levels: [.district]), proposals))
        list.append(rate(def("cases.proposals.meeting_rate", "建议提案见面率", "Proposals with a meeting",
                                  numerator: "其中主办股室与代表、委员见面沟通的件数", denominator: "当年接收并已交办的建议提案件数",
                                  records: "见面以“见面沟通”步骤为准", levels: [.district]), proposals,
                         among: { c in c.firstTaken["assign"] != nil }, counts: { c in c.firstTaken["meet"] != nil }))
        list.append(rate(def("cases.proposals.reply_rate", "建议提案答复率", "Proposals replied",
                                  numerator: "其中已书面答复的件数", denominator: "当年接收的建议提案件数",
                                  records: "答复以“书面答复”步骤为准", levels: [.district]), proposals, counts: { c in c.firstTaken["reply"] != nil }))
        list.append(rate(def("cases.proposals.satisfaction", "建议提案满意率", "Proposers satisfied",
                                  numerator: "测评为满意或基本满意的件数", denominator: "当年接收且已测评的件数",
                                  records: "以最后一次测评为准（不满意重新办理后再测评的，取新测评）", levels: [.district]), proposals,
                         among: { c in c.rating != nil }, counts: { c in satisfied.contains(c.rating ?? "") }))

        // 全部有期限的案件
        list.append(rate(def("cases.on_time_rate", "按期办结率", "Cases completed on time",
                                  numerator: "其中在当时有效期限内完成的件数", denominator: "当年受理、已完成办理的有期限案件数",
                                  records: "有期限的案件：信访（答复）、建议提案（书面答复）、安全隐患（学校报告整改，以通知书限期为准）、"
                                      + "行政许可（作出决定）；延期经批准的按延长后的期限；违规查处、年检无法定期限，不计"), withDeadline, among: completedWithDeadline, counts: { c in c.completedOnTime == true }))

        // 安全隐患
        let hazard = ["hazard"]
        list.append(count(def("cases.hazards.found", "排查安全隐患数", "Safety hazards found",
                                  numerator: "当年登记的安全隐患处数", denominator: nil,
                                  records: "一处隐患一件，无论下发几次整改通知书", factor: .count, precision: 0, unit: "处"), hazard))
        list.append(rate(def("cases.hazards.rectification_rate", "隐患整改完成率", "Hazards rectified",
                                  numerator: "其中复查通过（销号）的处数", denominator: "当年登记的安全隐患处数",
                                  records: "学校报告整改但尚未复查通过的不计入分子"), hazard, counts: { c in c.firstTaken["pass"] != nil }))
        list.append(rate(def("cases.hazards.reinspection_rate", "隐患复查率", "Rectifications re-inspected",
                                  numerator: "其中已复查（通过或未通过）的处数", denominator: "当年登记、学校已报告整改的隐患处数",
                                  records: "以“复查通过”“复查未通过”步骤为准"), hazard,
                         among: { c in c.firstTaken["reportRectified"] != nil }, counts: { c in c.firstTaken["pass"] != nil || c.firstTaken["fail"] != nil }))
        list.append(.additive(def("cases.notices.issued", "发出安全整改通知书份数", "Rectification notices issued",
                                  numerator: "当年登记的隐患上下发的整改通知书份数（按通知书编号去重）", denominator: nil,
                                  records: "一份通知书列多处隐患的计1份；同一隐患复查未通过再次下发的另计1份",
                                  factor: .count, precision: 0, unit: "份")) { ctx, year, t in
            var seen = Set<String>()
            cases(ctx, year, hazard) { c in
                for n in c.notices where seen.insert(n.number).inserted {
                    let ref = RecordRef(.casework, c.id)
                    if let s = n.schoolID, let i = ctx.schoolIndex[s] { t.num(school: i, ref) } else { t.num(district: ref) }
                }
            }
        })

        // 行政许可
        let licence = ["licence"]
        list.append(count(def("cases.licences.received", "受理行政许可申请件数", "Licence applications",
                                  numerator: "当年提交的行政许可申请件数", denominator: nil, records: "补正后再次提交的不另计件",
                                  factor: .count, precision: 0, unit: "件", levels: [.district]), licence))
        list.append(rate(def("cases.licences.on_time_rate", "许可按期办结率", "Licences decided within the limit",
                                  numerator: "其中在法定期限内作出决定的件数", denominator: "当年提交且已作出准予或不予许可决定的件数",
                                  records: "法定期限：受理之日起20个工作日，经批准延长10个工作日（行政许可法第42条），"
                                      + "按工作日历计算；未在5个工作日内一次性告知的，自收到申请之日起视为受理（第32条）",
                                  levels: [.district]), licence, among: completedWithDeadline, counts: { c in c.completedOnTime == true }))
        list.append(.additive(def("cases.annual_inspections", "年检机构数", "Institutions inspected (年检)",
                                  numerator: "当年列入年检并已作出年检结论的民办学校、培训机构数", denominator: nil,
                                  records: "按列入年检的日期计", factor: .count, precision: 0, unit: "所", levels: [.district])) { ctx, year, t in
            cases(ctx, year, ["annualInspection"]) { c in if c.firstTaken["conclude"] != nil { num(ctx, t, c) } }
        })

        // 违规查处
        let violation = ["violation"]
        list.append(count(def("cases.violations.count", "查处违规办班、违规收费件数", "Violation cases",
                                  numerator: "当年立案的违规件数", denominator: nil, records: "查无实据撤销的也计件",
                                  factor: .count, precision: 0, unit: "件"), violation))
        list.append(.additive(def("cases.violations.refunds", "清退违规收费金额", "Refunds of illegal fees",
                                  numerator: "当年立案的违规案件中凭清退凭证登记的清退金额（元，按分精确累加）", denominator: nil,
                                  records: "只计有清退凭证的金额；责令清退而未登记清退的不计", factor: .count, precision: 2, unit: "元")) { ctx, year, t in
            cases(ctx, year, violation) { c in
                if let m = c.refundProven, m.fen > 0 { num(ctx, t, c, Double(m.fen) / 100) }
            }
        })
        return list
    }()
}
