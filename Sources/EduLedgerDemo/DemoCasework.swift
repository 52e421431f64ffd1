import EduLedgerCasework
import EduLedgerCore

/// One step of a demo case, as the loader hands it to the case store.
public struct DemoCaseAction: Sendable {
    public var action: String
    public var actor: CaseActor
    public var date: CivilDate
    public var fields: [String: String]
    public var attachments: [CaseAttachment]
}

/// A demo case: its opening and the steps taken on it up to the demo's "as of" day.
public struct DemoCaseScript: Sendable {
    public var kind: CaseKind
    public var title: String
    /// Index into `DemoCaseworkPlan.campaigns` for hazards found in an inspection round.
    public var campaign: Int?
    public var opening: DemoCaseAction
    public var steps: [DemoCaseAction]
}

/// The demo year of casework: inspection rounds and every case's script, in receipt order.
public struct DemoCaseworkPlan: Sendable {
    public var campaigns: [InspectionCampaign]
    public var scripts: [DemoCaseScript]
}

/// A realistic, deterministic year of casework for the demo district, so that the report's
/// casework figures (见面率、答复率、满意率、按期办结率, 发出整改通知书…份, 清退…元) exist.
///
/// Volumes follow the seed reports: about 220 petitions, 40 deputies' proposals and 30 CPPCC
/// proposals, two 拉网式排查 rounds over every open school with their hazards and notices, 60
/// licence applications, 48 年检, 25 violation cases. A few cases stall, so some are overdue on
/// the "as of" day. Nothing after `asOf` happens. Same seed, same schools → same plan.
public enum DemoCasework {
    public static func plan(seed: UInt64, year: Int, schools: [School], calendar: WorkingDayCalendar,
                            asOf: CivilDate) throws -> DemoCaseworkPlan {
        var g = Builder(seed: seed, year: year, calendar: calendar, asOf: asOf)
        try g.petitions(220)
        try g.proposals(.deputyProposal, 40)
        try g.proposals(.cppccProposal, 30)
        try g.campaign(index: 0, name: "\(year)年春季开学安全隐患拉网式排查", from: "\(year)-03-02", schools: schools)
        try g.campaign(index: 1, name: "\(year)年秋季开学安全隐患拉网式排查", from: "\(year)-09-01", schools: schools)
        try g.licences(60)
        try g.annualInspections(48)
        try g.violations(25, schools: schools)
        let scripts = g.scripts.sorted { ($0.opening.date, $0.kind.rawValue) < ($1.opening.date, $1.kind.rawValue) }
        return DemoCaseworkPlan(campaigns: g.campaigns, scripts: scripts)
    }

    /// A minimal valid PDF of one blank A4 page whose document title is `title` (UTF-16BE).
    static func pdf(title: String) -> [UInt8] {
        var utf16be: [UInt8] = [0xFE, 0xFF]
        for unit in title.utf16 { utf16be.append(UInt8(unit >> 8)); utf16be.append(UInt8(unit & 0xFF)) }
        let digits = Array("0123456789ABCDEF")
        var hex = ""
        for b in utf16be { hex.append(digits[Int(b >> 4)]); hex.append(digits[Int(b & 0x0F)]) }
        let objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                       "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>", "<< /Title <\(hex)> >>"]
        var out = Array("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(i + 1) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for o in offsets { table += String(repeating: "0", count: 10 - String(o).count) + "\(o) 00000 n \n" }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R /Info 4 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(table.utf8)
    }

    /// A 1×1 PNG: the demo's stand-in for a rectification photo.
    static let photo: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41,
        0x54, 0x78, 0xDA, 0x63, 0x64, 0x60, 0xF8, 0x5F, 0x0F, 0x00, 0x02, 0x87, 0x01, 0x80, 0xEB, 0x47, 0xBA, 0x92, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ]

    struct Builder {
        var random: DemoRandom
        let year: Int
        let calendar: WorkingDayCalendar
        let asOf: CivilDate
        var scripts: [DemoCaseScript] = []
        var campaigns: [InspectionCampaign] = []
        var noticeSerial = 0

        init(seed: UInt64, year: Int, calendar: WorkingDayCalendar, asOf: CivilDate) {
            random = DemoRandom(seed: seed, 0xCA5E, UInt64(year))
            self.year = year; self.calendar = calendar; self.asOf = asOf
        }

        static func bureau(_ role: Role, _ name: String? = nil) -> CaseActor {
            CaseActor(login: "demo-" + role.rawValue, displayName: name ?? role.title, role: role, scope: .district)
        }

        /// A reply letter as a one-page PDF (blank page, the title in the document information):
        /// attachments are accepted only as JPEG, PNG or PDF.
        func letter(_ title: String, _ number: String) -> CaseAttachment {
            CaseAttachment(name: "\(title)（\(number)）.pdf", contentType: "application/pdf",
                           bytes: DemoCasework.pdf(title: "\(title)（\(number)）（演示数据）"))
        }

        /// `n` working days after `d`; beyond the covered years, a day far after `asOf`, so the
        /// step is simply not taken yet.
        func work(_ n: Int, after d: CivilDate) throws -> CivilDate {
            (try? calendar.date(n, workingDaysAfter: d)) ?? asOf.adding(days: 400)
        }

        /// A working day of the year between two dates (for receipts).
        mutating func receiptDay(from: String, through: String) throws -> CivilDate {
            let a = CivilDate(iso: from) ?? asOf, b = min(CivilDate(iso: through) ?? asOf, asOf)
            var d = a.adding(days: random.below(max(1, b.dayNumber - a.dayNumber + 1)))
            while try !calendar.isWorkingDay(d) { d = d.adding(days: 1) }
            return d
        }

        /// Appends the case, keeping only the steps on or before `asOf`.
        mutating func add(_ kind: CaseKind, _ title: String, campaign: Int? = nil, _ opening: DemoCaseAction, _ steps: [DemoCaseAction]) {
            guard opening.date <= asOf else { return }
            var kept: [DemoCaseAction] = []
            var last = opening.date
            for s in steps {
                guard s.date <= asOf, s.date >= last else { break }
                kept.append(s)
                last = s.date
            }
            scripts.append(DemoCaseScript(kind: kind, title: title, campaign: campaign, opening: opening, steps: kept))
        }

        func rating(_ roll: Int) -> String { roll < 86 ? "满意" : roll < 97 ? "基本满意" : "不满意" }

        mutating func petitions(_ count: Int) throws {
            let topics: [(String, Role)] = [
                ("反映校车超员、车况差", .safety), ("反映教师有偿补课", .supervision), ("咨询义务教育入学划片", .basicEducation),
                ("反映学校食堂收费偏高", .finance), ("反映校园欺凌处理不当", .basicEducation), ("反映代课教师工资待遇", .personnel),
                ("反映转学手续办理慢", .basicEducation), ("反映校舍漏雨、围墙开裂", .safety), ("反映学校违规收取资料费", .supervision),
                ("反映民办培训机构退费难", .licensing), ("反映教师职称评审不公", .personnel), ("反映学校周边交通安全隐患", .safety),
            ]
            let channels = ["来信", "来访", "网上信访", "电话", "举报"]
            let surnames = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"]
            let petitions = Self.bureau(.petitions, "信访办 周敏")
            for _ in 0..<count {
                let (topic, section) = random.pick(topics)
                let d0 = try receiptDay(from: "\(year)-01-04", through: "\(year)-12-20")
                let opening = DemoCaseAction(action: "open", actor: petitions, date: d0,
                                             fields: ["petitioner": random.pick(surnames) + "某", "channel": random.pick(channels), "summary": topic],
                                             attachments: [])
                var steps: [DemoCaseAction] = []
                let assigned = try work(random.int(in: 1...5), after: d0)
                steps.append(DemoCaseAction(action: "assign", actor: petitions, date: assigned, fields: ["section": section.rawValue], attachments: []))
                let stalled = random.percent(4)
                let handler = Self.bureau(section)
                let investigated = try work(random.int(in: 3...20), after: assigned)
                let late = random.percent(3)
                let replied = late ? assigned.adding(days: 60 + random.int(in: 2...12)) : try work(random.int(in: 2...12), after: investigated)
                let rated = try work(random.int(in: 2...8), after: replied)
                let roll = random.below(100)
                if !stalled {
                    steps.append(DemoCaseAction(action: "investigate", actor: handler, date: investigated,
                                                fields: ["findings": "经调查核实，所反映问题基本属实，已责成学校整改"], attachments: []))
                    steps.append(DemoCaseAction(action: "reply", actor: handler, date: max(replied, investigated),
                                                fields: ["reply": "已书面答复信访人处理意见"], attachments: [letter("信访事项答复意见书", "答复")]))
                    steps.append(DemoCaseAction(action: "rate", actor: petitions, date: max(rated, replied), fields: ["rating": rating(roll)], attachments: []))
                    steps.append(DemoCaseAction(action: "close", actor: petitions, date: try work(random.int(in: 1...3), after: max(rated, replied)),
                                                fields: [:], attachments: []))
                }
                add(.petition, topic, opening, steps)
            }
        }

        mutating func proposals(_ kind: CaseKind, _ count: Int) throws {
            let topics: [(String, Role, [Role])] = [
                ("关于缓解城区学位紧张的建议", .basicEducation, [.finance]), ("关于加强乡村教师队伍建设的建议", .personnel, [.finance]),
                ("关于加强校园安全管理的建议", .safety, [.supervision]), ("关于规范校外培训机构的建议", .licensing, [.supervision]),
                ("关于改善农村学校办学条件的建议", .finance, [.basicEducation]), ("关于推进课后服务的建议", .basicEducation, []),
                ("关于加强学生心理健康教育的建议", .research, [.basicEducation]), ("关于落实教师减负的建议", .office, [.personnel]),
            ]
            let office = Self.bureau(.office, "办公室 孙丽")
            let who = kind == .deputyProposal ? "代表" : "委员"
            for i in 0..<count {
                let (topic, lead, co) = random.pick(topics)
                let d0 = try receiptDay(from: "\(year)-03-16", through: "\(year)-04-10")
                let opening = DemoCaseAction(action: "open", actor: office, date: d0,
                                             fields: ["proposer": ["钱", "孙", "郑", "冯", "褚", "卫"][random.below(6)] + who,
                                                      "proposalNumber": "第\(i + 1)号", "summary": topic], attachments: [])
                var steps: [DemoCaseAction] = []
                let assigned = try work(random.int(in: 1...4), after: d0)
                var assign = ["section": lead.rawValue]
                if !co.isEmpty { assign["coSections"] = co.map(\.rawValue).joined(separator: ",") }
                steps.append(DemoCaseAction(action: "assign", actor: office, date: assigned, fields: assign, attachments: []))
                let handler = Self.bureau(lead)
                var last = assigned
                if let c = co.first {
                    last = try work(random.int(in: 5...15), after: assigned)
                    steps.append(DemoCaseAction(action: "coOpinion", actor: Self.bureau(c), date: last,
                                                fields: ["opinion": "同意主办股室意见，配合落实"], attachments: []))
                }
                if random.percent(92) {
                    last = try work(random.int(in: 3...15), after: last)
                    steps.append(DemoCaseAction(action: "meet", actor: handler, date: last,
                                                fields: ["meetingOn": last.description, "meetingNote": "当面听取\(who)意见，介绍办理思路"], attachments: []))
                }
                let replied = random.percent(96) ? try work(random.int(in: 10...35), after: last) : assigned.adding(days: 97)
                steps.append(DemoCaseAction(action: "reply", actor: handler, date: max(replied, last),
                                            fields: ["resultCode": random.pick(["A 已解决", "A 已解决", "B 正在解决或列入计划", "C 留作参考"]),
                                                     "reply": "已书面答复，并抄送人大、政协有关工作机构"],
                                            attachments: [letter("答复函", topic)]))
                let rated = try work(random.int(in: 5...15), after: max(replied, last))
                steps.append(DemoCaseAction(action: "rate", actor: office, date: rated, fields: ["rating": rating(random.below(100) / 2)], attachments: []))
                steps.append(DemoCaseAction(action: "close", actor: office, date: try work(2, after: rated), fields: [:], attachments: []))
                add(kind, topic, opening, steps)
            }
        }

        mutating func campaign(index: Int, name: String, from: String, schools: [School]) throws {
            guard let start = CivilDate(iso: from), start <= asOf else { return }
            let open = schools.filter { $0.isOpen(on: start) }
            campaigns.append(InspectionCampaign(name: name, startedOn: start, endsOn: try work(9, after: start),
                                                schoolIDs: open.map(\.id), createdBy: "demo-safety"))
            let hazards: [(String, String)] = [
                ("消防", "灭火器压力不足或过期"), ("用电", "教室插座老化、电线裸露"), ("校舍", "教学楼外墙瓷砖松动"), ("食品卫生", "食堂留样记录不全"),
                ("交通", "校门口缺少减速带和警示标志"), ("消防", "疏散通道堆放杂物"), ("周边环境", "围墙局部开裂"), ("其他", "体育器材固定不牢"),
            ]
            let inspector = Self.bureau(.inspector, "责任督学 吴刚")
            let safety = Self.bureau(.safety, "安全办 郑强")
            for school in open {
                let roll = random.below(100)
                let n = roll < 55 ? 0 : roll < 85 ? 1 : 2
                guard n > 0 else { continue }
                let found = try work(random.int(in: 1...9), after: start.adding(days: -1))
                noticeSerial += 1
                let notice = "安整〔\(year)〕\(noticeSerial)号"
                let issued = try work(random.int(in: 1...3), after: found)
                let due = try work(random.int(in: 10...20), after: issued)
                let officer = CaseActor(login: "demo-safety-\(school.code)", displayName: school.name + "安全专干", role: .safetyOfficer,
                                        scope: .school(school.id))
                for _ in 0..<n {
                    let (category, text) = random.pick(hazards)
                    let opening = DemoCaseAction(action: "open", actor: inspector, date: found,
                                                 fields: ["school": String(school.id.rawValue), "category": category, "description": text], attachments: [])
                    var steps = [DemoCaseAction(action: "issueNotice", actor: safety, date: issued,
                                                fields: ["noticeNumber": notice, "dueOn": due.description, "requirement": "限期整改并报送整改照片"],
                                                attachments: [])]
                    let fate = random.below(100)
                    if fate < 97 {
                        let reported = fate < 90 ? try work(random.int(in: 3...8), after: issued) : due.adding(days: random.int(in: 1...6))
                        steps.append(DemoCaseAction(action: "reportRectified", actor: officer, date: reported,
                                                    fields: ["measures": "已按通知书要求整改：" + text],
                                                    attachments: [CaseAttachment(name: "整改后.png", contentType: "image/png", bytes: DemoCasework.photo)]))
                        let checked = try work(random.int(in: 2...5), after: reported)
                        if random.percent(14) {
                            steps.append(DemoCaseAction(action: "fail", actor: safety, date: checked, fields: ["reinspection": "整改不彻底"], attachments: []))
                            noticeSerial += 1
                            let again = try work(1, after: checked)
                            let due2 = try work(10, after: again)
                            steps.append(DemoCaseAction(action: "issueNotice", actor: safety, date: again,
                                                        fields: ["noticeNumber": "安整〔\(year)〕\(noticeSerial)号", "dueOn": due2.description,
                                                                 "requirement": "复查未通过，再次限期整改"], attachments: []))
                            let re = try work(random.int(in: 3...8), after: again)
                            steps.append(DemoCaseAction(action: "reportRectified", actor: officer, date: re, fields: ["measures": "已再次整改"],
                                                        attachments: [CaseAttachment(name: "再次整改.png", contentType: "image/png", bytes: DemoCasework.photo)]))
                            steps.append(DemoCaseAction(action: "pass", actor: safety, date: try work(3, after: re), fields: ["reinspection": "复查合格，销号"],
                                                        attachments: []))
                        } else {
                            steps.append(DemoCaseAction(action: "pass", actor: inspector, date: checked, fields: ["reinspection": "复查合格，销号"],
                                                        attachments: []))
                        }
                    }
                    add(.hazard, "\(school.name)：\(text)", campaign: index, opening, steps)
                }
            }
        }

        mutating func licences(_ count: Int) throws {
            let types = ["校外培训机构设立", "校外培训机构设立", "民办学校筹设", "民办学校正式设立", "教师资格认定", "教师资格认定"]
            let licensing = Self.bureau(.licensing, "行政审批股 陈静")
            for i in 0..<count {
                let type = random.pick(types)
                let applicant = type == "教师资格认定" ? ["马", "胡", "林", "何"][random.below(4)] + "某" : "某某教育咨询有限公司\(i + 1)"
                let d0 = try receiptDay(from: "\(year)-01-05", through: "\(year)-12-15")
                let opening = DemoCaseAction(action: "open", actor: licensing, date: d0,
                                             fields: ["applicant": applicant, "licenceType": type, "documents": "申请书、身份证明、场地证明"], attachments: [])
                var steps: [DemoCaseAction] = []
                var last = d0
                if random.percent(30) {
                    last = try work(random.int(in: 1...4), after: d0)
                    steps.append(DemoCaseAction(action: "noticeMissing", actor: licensing, date: last,
                                                fields: ["missingDocuments": "消防安全检查合格证明\n场地租赁合同（租期三年以上）\n举办者资信证明"], attachments: []))
                    last = try work(random.int(in: 3...10), after: last)
                    steps.append(DemoCaseAction(action: "resubmit", actor: licensing, date: last, fields: ["documents": "补交全部材料"], attachments: []))
                }
                let accepted = try work(random.int(in: 1...4), after: last)
                steps.append(DemoCaseAction(action: "accept", actor: licensing, date: accepted, fields: [:], attachments: []))
                let decided = try work(random.percent(96) ? random.int(in: 5...19) : 23, after: accepted)
                let number = "教许〔\(year)〕\(i + 1)号"
                if random.percent(88) {
                    steps.append(DemoCaseAction(action: "grant", actor: licensing, date: decided, fields: ["decisionNumber": number],
                                                attachments: [letter("准予行政许可决定书", number)]))
                    steps.append(DemoCaseAction(action: "issueLicence", actor: licensing, date: try work(random.int(in: 2...8), after: decided),
                                                fields: ["licenceNumber": "教民\(year)\(1000 + i)"], attachments: []))
                } else {
                    steps.append(DemoCaseAction(action: "refuse", actor: licensing, date: decided,
                                                fields: ["decisionNumber": number, "reason": "办学场地不符合设置标准；可依法申请行政复议或提起行政诉讼"],
                                                attachments: [letter("不予行政许可决定书", number)]))
                }
                add(.licence, "\(type)：\(applicant)", opening, steps)
            }
        }

        mutating func annualInspections(_ count: Int) throws {
            let licensing = Self.bureau(.licensing, "行政审批股 陈静")
            for i in 0..<count {
                let d0 = try receiptDay(from: "\(year)-03-02", through: "\(year)-03-20")
                let name = i % 3 == 0 ? "民办幼儿园\(i + 1)" : "校外培训机构\(i + 1)"
                let result = i == 7 ? "不合格" : i % 16 == 3 ? "基本合格" : "合格"
                add(.annualInspection, "\(year - 1)年度年检：\(name)",
                    DemoCaseAction(action: "open", actor: licensing, date: d0, fields: ["institution": name, "inspectionYear": String(year - 1)],
                                   attachments: []),
                    [DemoCaseAction(action: "conclude", actor: licensing, date: try work(random.int(in: 10...30), after: d0),
                                    fields: ["result": result], attachments: [])])
            }
        }

        mutating func violations(_ count: Int, schools: [School]) throws {
            let supervision = Self.bureau(.supervision, "督导室 冯伟")
            let finance = Self.bureau(.finance, "计划财务股 褚红")
            let open = schools.filter { $0.isOpen(on: asOf) }
            for _ in 0..<count {
                let type = random.pick(["违规收费", "违规收费", "违规办班", "有偿补课"])
                let school = open.isEmpty ? nil : random.pick(open)
                let d0 = try receiptDay(from: "\(year)-01-10", through: "\(year)-12-10")
                var fields = ["violationType": type, "subject": school?.name ?? "某培训机构", "summary": "群众举报\(type)"]
                if let school { fields["school"] = String(school.id.rawValue) }
                let opening = DemoCaseAction(action: "open", actor: supervision, date: d0, fields: fields, attachments: [])
                var steps: [DemoCaseAction] = []
                let found = try work(random.int(in: 5...15), after: d0)
                if random.percent(20) {
                    steps.append(DemoCaseAction(action: "dismiss", actor: supervision, date: found, fields: ["finding": "经调查，反映问题不属实"], attachments: []))
                } else {
                    steps.append(DemoCaseAction(action: "find", actor: supervision, date: found, fields: ["finding": "经调查，\(type)问题属实"], attachments: []))
                    let sanctioned = try work(random.int(in: 3...10), after: found)
                    var sanction = ["sanction": "通报批评，责令限期整改"]
                    let refund = type == "违规收费" ? random.int(in: 2_000...80_000) : 0
                    if refund > 0 { sanction["refundOrdered"] = "\(refund).\(random.below(10))0" }
                    steps.append(DemoCaseAction(action: "sanction", actor: supervision, date: sanctioned, fields: sanction, attachments: []))
                    var last = sanctioned
                    if let amount = sanction["refundOrdered"] {
                        last = try work(random.int(in: 5...20), after: sanctioned)
                        steps.append(DemoCaseAction(action: "recordRefund", actor: finance, date: last, fields: ["refundProven": amount],
                                                    attachments: [letter("清退凭证", amount + "元")]))
                    }
                    steps.append(DemoCaseAction(action: "close", actor: supervision, date: try work(2, after: last), fields: [:], attachments: []))
                }
                add(.violation, "\(type)：\(fields["subject"] ?? "")", opening, steps)
            }
        }
    }
}
