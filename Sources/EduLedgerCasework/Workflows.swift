import EduLedgerCore

/// The statutory time limits, each with its source (the table in the project's domain brief).
/// Data, not code: an administrator can replace any of them (`CaseEngine(limits:)`).
public struct StatutoryLimits: Sendable, Codable, Hashable {
    public var limits: [StatutoryLimit]

    public init(limits: [StatutoryLimit]) { self.limits = limits }

    public subscript(key: String) -> StatutoryLimit? { limits.first { $0.key == key } }

    /// The limits as the laws state them.
    public static let standard = StatutoryLimits(limits: [
        // 信访工作条例（2022）第22–23条: the organ tells the petitioner within 15日 whether and how it is handled.
        StatutoryLimit(key: "petition.route", purpose: "受理告知期限", count: 15, unit: .calendarDays,
                       source: "信访工作条例（2022）第22–23条"),
        // 第34条: handling within 60日 of acceptance, extension with the head's approval ≤ 30日.
        StatutoryLimit(key: "petition.handle", purpose: "办理答复期限", count: 60, unit: .calendarDays,
                       source: "信访工作条例（2022）第34条"),
        StatutoryLimit(key: "petition.extend", purpose: "经负责人批准延长", count: 30, unit: .calendarDays,
                       source: "信访工作条例（2022）第34条"),
        // 第35–36条: 复查 / 复核 opinions within 30日.
        StatutoryLimit(key: "petition.review", purpose: "复查意见期限", count: 30, unit: .calendarDays,
                       source: "信访工作条例（2022）第35条"),
        // 代表法（2025）第51条 (2015 Art. 42): reply within 3个月 of assignment; hard matters ≤ 6个月.
        StatutoryLimit(key: "deputy.reply", purpose: "建议答复期限", count: 3, unit: .months,
                       source: "全国人民代表大会和地方各级人民代表大会代表法第51条"),
        StatutoryLimit(key: "cppcc.reply", purpose: "提案答复期限", count: 3, unit: .months, source: "政协提案工作地方规定"),
        StatutoryLimit(key: "proposal.extend", purpose: "情况复杂经批准延长（总计不超过6个月）", count: 3, unit: .months,
                       source: "代表法第51条、政协提案工作地方规定"),
        // Provincial practice (e.g. 重庆 2017 Art. 26–27): re-answer a dissatisfied deputy within 1–2个月.
        StatutoryLimit(key: "proposal.reanswer", purpose: "不满意重新办理期限", count: 1, unit: .months,
                       source: "地方代表建议办理办法（如重庆2017年第26–27条）"),
        // 行政许可法第32条: one-time notice of all missing materials within 5 working days,
        // otherwise the application counts as accepted on receipt.
        StatutoryLimit(key: "licence.completeness", purpose: "材料审查及一次性告知期限", count: 5, unit: .workingDays,
                       source: "行政许可法第32条"),
        // 第42条: decision within 20 working days of acceptance, +10 with the head's approval.
        StatutoryLimit(key: "licence.decision", purpose: "许可决定期限", count: 20, unit: .workingDays, source: "行政许可法第42条"),
        StatutoryLimit(key: "licence.extend", purpose: "经负责人批准延长", count: 10, unit: .workingDays, source: "行政许可法第42条"),
        // 第44条: issue the licence within 10 working days of the grant.
        StatutoryLimit(key: "licence.issue", purpose: "颁发许可证件期限", count: 10, unit: .workingDays, source: "行政许可法第44条"),
    ])
}

/// The shipped case types.
public enum CaseWorkflows {
    public static func workflow(_ kind: CaseKind) -> CaseWorkflow {
        switch kind {
        case .petition: return petition
        case .deputyProposal: return proposal(.deputyProposal)
        case .cppccProposal: return proposal(.cppccProposal)
        case .hazard: return hazard
        case .licence: return licence
        case .annualInspection: return annualInspection
        case .violation: return violation
        }
    }

    public static let ratings = ["满意", "基本满意", "不满意"]
    /// The bureau sections a case can be assigned to.
    public static let bureauSections: [Role] = [.office, .basicEducation, .personnel, .finance, .safety, .supervision,
                                         .petitions, .licensing, .research]

    /// 信访: received → assigned to a section → investigated → replied → rated → closed;
    /// escalation when a limit passes, extension once, re-opening for 复查.
    static let petition = CaseWorkflow(
        kind: .petition,
        states: [("received", "已登记"), ("assigned", "已交办"), ("investigated", "已调查核实"), ("replied", "已答复"),
                 ("rated", "已评价"), ("closed", "已办结")],
        opening: CaseAction("open", "登记信访事项", from: [], to: "received",
                            who: [.role(.petitions), .role(.office), .publicPerson],
                            fields: [CaseField("petitioner", "信访人"), CaseField("channel", "来源", .choice(["来信", "来访", "网上信访", "电话", "举报"])),
                                     CaseField("summary", "反映问题", .longText),
                                     CaseField("contactPhone", "联系电话", required: false)],
                            deadline: .start("petition.route")),
        actions: [
            CaseAction("assign", "受理并交办股室", from: ["received"], to: "assigned", who: [.role(.petitions)],
                       fields: [CaseField("section", "承办股室", .section)], deadline: .start("petition.handle")),
            CaseAction("investigate", "调查核实", from: ["assigned"], to: "investigated", who: [.assignedSection],
                       fields: [CaseField("findings", "核实情况", .longText)]),
            CaseAction("reply", "书面答复信访人", from: ["investigated"], to: "replied", who: [.assignedSection, .role(.petitions)],
                       fields: [CaseField("reply", "答复意见", .longText)], minAttachments: 1, attachmentLabel: "答复意见书",
                       deadline: .clear, completes: true),
            CaseAction("rate", "登记信访人评价", from: ["replied"], to: "rated", who: [.role(.petitions), .publicPerson],
                       fields: [CaseField("rating", "评价", .choice(ratings))]),
            CaseAction("close", "办结归档", from: ["rated"], to: "closed", who: [.role(.petitions)], deadline: .clear, closes: true),
            CaseAction("extend", "延期（经负责人批准）", from: ["assigned", "investigated"], to: nil, who: [.role(.leadership)],
                       fields: [CaseField("reason", "延期理由", .longText)], deadline: .extend("petition.extend")),
            CaseAction("reopen", "复查（重新办理）", from: ["rated", "closed"], to: "assigned", who: [.role(.petitions)],
                       fields: [CaseField("reason", "复查请求", .longText)], deadline: .start("petition.review")),
        ])

    /// 人大代表建议 / 政协提案: received from the congress or CPPCC office → lead and co-handling
    /// sections → 见面 with the deputy → written reply by the deadline → satisfaction rating.
    static func proposal(_ kind: CaseKind) -> CaseWorkflow {
        let who = kind == .deputyProposal ? "代表" : "委员"
        let limit = kind == .deputyProposal ? "deputy.reply" : "cppcc.reply"
        return CaseWorkflow(
            kind: kind,
            states: [("received", "已接收"), ("assigned", "已交办"), ("met", "已见面沟通"), ("replied", "已书面答复"),
                     ("rated", "已测评"), ("closed", "已办结")],
            opening: CaseAction("open", "接收交办件", from: [], to: "received", who: [.role(.office)],
                                fields: [CaseField("proposer", "提出\(who)"), CaseField("proposalNumber", "建议/提案编号"),
                                         CaseField("summary", "内容摘要", .longText)]),
            actions: [
                CaseAction("assign", "确定主办、会办股室", from: ["received"], to: "assigned", who: [.role(.office)],
                           fields: [CaseField("section", "主办股室", .section), CaseField("coSections", "会办股室", .sections, required: false)],
                           deadline: .start(limit)),
                CaseAction("coOpinion", "会办意见", from: ["assigned", "met"], to: nil, who: [.coSection],
                           fields: [CaseField("opinion", "会办意见", .longText)]),
                CaseAction("meet", "与\(who)见面沟通", from: ["assigned"], to: "met", who: [.assignedSection],
                           fields: [CaseField("meetingOn", "见面日期", .date), CaseField("meetingNote", "沟通情况", .longText)]),
                CaseAction("reply", "书面答复", from: ["assigned", "met"], to: "replied", who: [.assignedSection],
                           fields: [CaseField("resultCode", "办理结果", .choice(["A 已解决", "B 正在解决或列入计划", "C 留作参考", "D 因条件限制暂时不能解决"])),
                                    CaseField("reply", "答复要点", .longText)],
                           minAttachments: 1, attachmentLabel: "答复函", deadline: .clear, completes: true),
                CaseAction("rate", "登记\(who)测评意见", from: ["replied"], to: "rated", who: [.role(.office)],
                           fields: [CaseField("rating", "测评意见", .choice(ratings))]),
                CaseAction("reanswer", "不满意重新办理", from: ["rated"], to: "assigned", who: [.role(.office)],
                           deadline: .start("proposal.reanswer"), condition: .dissatisfied),
                CaseAction("close", "办结归档", from: ["rated"], to: "closed", who: [.role(.office)], deadline: .clear, closes: true),
                CaseAction("extend", "延期（情况复杂，经批准）", from: ["assigned", "met"], to: nil, who: [.role(.leadership)],
                           fields: [CaseField("reason", "延期理由", .longText)], deadline: .extend("proposal.extend")),
            ])
    }

    /// 安全隐患: found in an inspection → 整改通知书 to the school with a deadline set per notice
    /// (教育督导条例第21–22条) → the school reports the rectification with photos → re-inspection
    /// (复查) → closed, or failed and a new notice issued. One notice may name several hazards
    /// (the same notice number on each); a hazard may get several notices.
    static let hazard = CaseWorkflow(
        kind: .hazard,
        states: [("found", "已发现"), ("noticed", "已下发整改通知"), ("rectified", "学校已报整改"), ("failed", "复查未通过"),
                 ("closed", "复查通过，已销号")],
        opening: CaseAction("open", "登记隐患", from: [], to: "found", who: [.role(.safety), .role(.inspector), .role(.supervision)],
                            fields: [CaseField("school", "学校", .school),
                                     CaseField("category", "隐患类别", .choice(["校舍", "消防", "用电", "食品卫生", "交通", "周边环境", "其他"])),
                                     CaseField("description", "隐患描述", .longText)]),
        actions: [
            CaseAction("issueNotice", "下发整改通知书", from: ["found", "failed"], to: "noticed", who: [.role(.safety)],
                       fields: [CaseField("noticeNumber", "通知书编号"), CaseField("dueOn", "限期整改日期", .date),
                                CaseField("requirement", "整改要求", .longText)],
                       deadline: .fromField("dueOn")),
            CaseAction("reportRectified", "报告整改完成", from: ["noticed"], to: "rectified", who: [.caseSchool],
                       fields: [CaseField("measures", "整改措施", .longText)], minAttachments: 1, attachmentLabel: "整改照片",
                       attachmentTypes: ["image/"], deadline: .clear, completes: true),
            CaseAction("pass", "复查通过", from: ["rectified"], to: "closed", who: [.role(.safety), .role(.inspector)],
                       fields: [CaseField("reinspection", "复查意见", .longText)], deadline: .clear, closes: true),
            CaseAction("fail", "复查未通过", from: ["rectified"], to: "failed", who: [.role(.safety), .role(.inspector)],
                       fields: [CaseField("reinspection", "复查意见", .longText)], deadline: .clear),
        ])

    /// 行政许可: submitted → completeness check within 5 working days, with a one-time notice
    /// listing every missing document (一次性告知) → accepted → decision within 20 working days
    /// (+10 once) → decision letter; a grant is followed by the licence within 10 working days.
    static let licence = CaseWorkflow(
        kind: .licence,
        states: [("submitted", "已提交"), ("incomplete", "已一次性告知补正"), ("accepted", "已受理"), ("granted", "准予许可"),
                 ("closed", "已办结")],
        opening: CaseAction("open", "接收许可申请", from: [], to: "submitted", who: [.role(.licensing), .publicPerson],
                            fields: [CaseField("applicant", "申请人"),
                                     CaseField("licenceType", "许可事项", .choice(["民办学校筹设", "民办学校正式设立", "校外培训机构设立", "教师资格认定"])),
                                     CaseField("documents", "已交材料", .longText, required: false),
                                     CaseField("contactPhone", "联系电话", required: false)],
                            deadline: .start("licence.completeness")),
        actions: [
            CaseAction("noticeMissing", "一次性告知补正材料", from: ["submitted"], to: "incomplete", who: [.role(.licensing)],
                       fields: [CaseField("missingDocuments", "需补正的全部材料（每行一项）", .longText)], deadline: .clear),
            CaseAction("resubmit", "申请人补正材料", from: ["incomplete"], to: "submitted", who: [.role(.licensing), .publicPerson],
                       fields: [CaseField("documents", "补交材料", .longText)], deadline: .start("licence.completeness")),
            CaseAction("accept", "受理", from: ["submitted"], to: "accepted", who: [.role(.licensing)],
                       deadline: .start("licence.decision")),
            CaseAction("deemAccepted", "逾期未告知，视为受理", from: ["submitted"], to: "accepted", who: [.system],
                       deadline: .startFromReceipt("licence.decision")),
            CaseAction("extend", "延长审查期限（经负责人批准）", from: ["accepted"], to: nil, who: [.role(.leadership)],
                       fields: [CaseField("reason", "延期理由", .longText)], deadline: .extend("licence.extend")),
            CaseAction("grant", "作出准予许可决定", from: ["accepted"], to: "granted", who: [.role(.licensing)],
                       fields: [CaseField("decisionNumber", "决定书文号")], minAttachments: 1, attachmentLabel: "准予许可决定书",
                       deadline: .start("licence.issue"), completes: true),
            CaseAction("refuse", "作出不予许可决定", from: ["accepted"], to: "closed", who: [.role(.licensing)],
                       fields: [CaseField("decisionNumber", "决定书文号"), CaseField("reason", "不予许可理由及救济途径", .longText)],
                       minAttachments: 1, attachmentLabel: "不予许可决定书", deadline: .clear, completes: true, closes: true),
            CaseAction("issueLicence", "颁发许可证件", from: ["granted"], to: "closed", who: [.role(.licensing)],
                       fields: [CaseField("licenceNumber", "许可证编号")], deadline: .clear, closes: true),
        ])

    /// 年检 of a licensed private school or training institution.
    static let annualInspection = CaseWorkflow(
        kind: .annualInspection,
        states: [("scheduled", "待年检"), ("closed", "已出结论")],
        opening: CaseAction("open", "列入年检", from: [], to: "scheduled", who: [.role(.licensing)],
                            fields: [CaseField("institution", "机构名称"), CaseField("inspectionYear", "年检年度")]),
        actions: [
            CaseAction("conclude", "作出年检结论", from: ["scheduled"], to: "closed", who: [.role(.licensing)],
                       fields: [CaseField("result", "年检结论", .choice(["合格", "基本合格", "不合格"])),
                                CaseField("remarks", "说明", .longText, required: false)],
                       completes: true, closes: true),
        ])

    /// 违规办班 / 违规收费: finding, sanction, refund ordered (分) and refund proof.
    static let violation = CaseWorkflow(
        kind: .violation,
        states: [("reported", "已立案"), ("found", "已查实"), ("sanctioned", "已处理"), ("refunded", "已清退"), ("closed", "已结案")],
        opening: CaseAction("open", "立案", from: [], to: "reported",
                            who: [.role(.supervision), .role(.basicEducation), .role(.personnel), .role(.petitions)],
                            fields: [CaseField("violationType", "违规类型", .choice(["违规办班", "违规收费", "有偿补课", "其他"])),
                                     CaseField("school", "学校", .school, required: false),
                                     CaseField("subject", "当事人或机构"), CaseField("summary", "问题线索", .longText)]),
        actions: [
            CaseAction("find", "调查认定", from: ["reported"], to: "found", who: [.role(.supervision), .role(.basicEducation), .role(.personnel)],
                       fields: [CaseField("finding", "查实情况", .longText)]),
            CaseAction("dismiss", "查无实据，撤销", from: ["reported"], to: "closed", who: [.role(.supervision), .role(.basicEducation), .role(.personnel)],
                       fields: [CaseField("finding", "调查结论", .longText)], completes: true, closes: true),
            CaseAction("sanction", "作出处理决定", from: ["found"], to: "sanctioned", who: [.role(.supervision), .role(.leadership)],
                       fields: [CaseField("sanction", "处理决定", .longText), CaseField("refundOrdered", "责令清退金额（元）", .money, required: false)]),
            CaseAction("recordRefund", "登记清退", from: ["sanctioned"], to: "refunded", who: [.role(.supervision), .role(.finance)],
                       fields: [CaseField("refundProven", "已清退金额（元）", .money)], minAttachments: 1, attachmentLabel: "清退凭证"),
            CaseAction("close", "结案", from: ["sanctioned", "refunded"], to: "closed", who: [.role(.supervision)],
                       completes: true, closes: true, condition: .noRefundOutstanding),
        ])
}
