import EduLedgerCore
import Testing
@testable import EduLedgerCasework

func day(_ text: String) throws -> CivilDate { try #require(CivilDate(iso: text)) }

let schoolA = SchoolID(11)
let schoolB = SchoolID(12)

func user(_ role: Role, _ scope: AccountScope = .district) -> CaseActor {
    CaseActor(login: "u-\(role.rawValue)", displayName: role.title, role: role, scope: scope)
}

/// A JPEG by its first bytes (FF D8 FF), whatever it claims to be.
func photo(_ name: String = "整改后.jpg", size: Int = 2048, type: String = "image/jpeg") -> CaseAttachment {
    CaseAttachment(name: name, contentType: type, bytes: [0xFF, 0xD8, 0xFF] + [UInt8](repeating: 0xE0, count: max(0, size - 3)))
}

let letter = CaseAttachment(name: "答复意见书.pdf", contentType: "application/pdf", bytes: Array("%PDF-1.4 答复".utf8))

@Suite("Case engine")
struct CaseEngineTests {
    let engine: CaseEngine

    init() throws { engine = CaseEngine(calendar: try WorkingDayCalendar.shipped()) }

    func newPetition(on date: CivilDate) throws -> CaseRecord {
        try engine.open(kind: .petition, title: "", fields: ["petitioner": "张某", "channel": "来信", "summary": "反映校车超载"],
                        by: user(.petitions), on: date).0
    }

    @Test("working-day limits cross 国庆 and count the worked Sunday 09-28 and Saturday 10-11")
    func licenceDeadlinesOnTheCalendar() throws {
        let (submitted, opening) = try engine.open(
            kind: .licence, title: "某培训学校设立", fields: ["applicant": "某教育咨询公司", "licenceType": "校外培训机构设立"],
            by: user(.licensing), on: try day("2025-09-26"))
        #expect(opening.toState == "submitted")
        // 5 working days (行政许可法第32条) from Friday 09-26: 09-28 (Sun, worked), 09-29, 09-30, 10-09, 10-10.
        #expect(submitted.dueOn == (try day("2025-10-10")))
        #expect(submitted.dueLabel?.contains("行政许可法第32条") == true)
        let accepted = try engine.take("accept", on: submitted, by: user(.licensing), date: try day("2025-09-30")).0
        // 20 working days from 09-30: 10-09, 10-10, 10-11 (Sat, worked), then 10-13 … 11-04.
        #expect(accepted.dueOn == (try day("2025-11-04")))
        let extended = try engine.take("extend", on: accepted, by: user(.leadership), fields: ["reason": "需现场核查"],
                                       date: try day("2025-10-20")).0
        // +10 working days from 11-04: 11-05 … 11-18.
        #expect(extended.dueOn == (try day("2025-11-18")))
        #expect(throws: CaseError.self) {
            try engine.take("extend", on: extended, by: user(.leadership), fields: ["reason": "再延"], date: try day("2025-10-21"))
        }
        let granted = try engine.take("grant", on: extended, by: user(.licensing), fields: ["decisionNumber": "教许〔2025〕12号"],
                                      attachments: [letter], date: try day("2025-11-14")).0
        #expect(granted.completedOnTime == true)
        // 10 working days (第44条) to issue the licence.
        #expect(granted.dueOn == (try day("2025-11-28")))
    }

    @Test("calendar-day limits of 信访 ignore holidays; 6月 of 建议 is months")
    func calendarDayLimits() throws {
        let p = try newPetition(on: try day("2025-09-26"))
        #expect(p.dueOn == (try day("2025-10-11")))  // 15日
        let assigned = try engine.take("assign", on: p, by: user(.petitions), fields: ["section": "basicEducation"],
                                       date: try day("2025-09-30")).0
        #expect(assigned.dueOn == (try day("2025-11-29")))  // 60日
        #expect(assigned.section == .basicEducation)
        let proposal = try engine.open(kind: .deputyProposal, title: "关于增加学位的建议",
                                       fields: ["proposer": "李代表", "proposalNumber": "第12号", "summary": "城区学位紧张"],
                                       by: user(.office), on: try day("2026-01-20")).0
        let lead = try engine.take("assign", on: proposal, by: user(.office),
                                   fields: ["section": "basicEducation", "coSections": "finance,safety"], date: try day("2026-01-31")).0
        #expect(lead.dueOn == (try day("2026-04-30")))  // 3个月; 4月31日 does not exist
        #expect(lead.coSections == [.finance, .safety])
    }

    @Test("a 2026 Spring Festival working Saturday counts; deadlines across it")
    func springFestival2026() throws {
        let (submitted, _) = try engine.open(kind: .licence, title: "", fields: ["applicant": "王某", "licenceType": "教师资格认定"],
                                             by: .publicPerson("王某"), on: try day("2026-02-12"))
        // 02-13 (Fri), 02-14 (Sat, worked), 02-24, 02-25, 02-26.
        #expect(submitted.dueOn == (try day("2026-02-26")))
    }

    @Test("the wrong role, the wrong place, the wrong state, a missing field are refused with the reason")
    func refusals() throws {
        let p = try newPetition(on: try day("2025-03-03"))
        // Not the petitions office.
        #expect(throws: CaseError.notAllowedForActor(action: "受理并交办股室", allowed: "信访办")) {
            try engine.take("assign", on: p, by: user(.safety), fields: ["section": "safety"], date: try day("2025-03-04"))
        }
        // Missing field.
        #expect(throws: CaseError.missingField("承办股室")) {
            try engine.take("assign", on: p, by: user(.petitions), date: try day("2025-03-04"))
        }
        #expect(throws: CaseError.self) {
            try engine.take("assign", on: p, by: user(.petitions), fields: ["section": "principal"], date: try day("2025-03-04"))
        }
        // Out of order: a reply before assignment and investigation.
        #expect(throws: CaseError.notAllowedInState(action: "书面答复信访人", state: "已登记")) {
            try engine.take("reply", on: p, by: user(.petitions), fields: ["reply": "x"], attachments: [letter], date: try day("2025-03-04"))
        }
        let assigned = try engine.take("assign", on: p, by: user(.petitions), fields: ["section": "basicEducation"],
                                       date: try day("2025-03-04")).0
        // Another section may not investigate; a school account with the same role title may not either.
        #expect(throws: CaseError.self) {
            try engine.take("investigate", on: assigned, by: user(.personnel), fields: ["findings": "x"], date: try day("2025-03-05"))
        }
        let investigated = try engine.take("investigate", on: assigned, by: user(.basicEducation), fields: ["findings": "属实"],
                                           date: try day("2025-03-05")).0
        #expect(throws: CaseError.missingAttachment("答复意见书", needed: 1)) {
            try engine.take("reply", on: investigated, by: user(.basicEducation), fields: ["reply": "已整改"], date: try day("2025-03-06"))
        }
        #expect(throws: CaseError.self) {
            try engine.take("unknown", on: investigated, by: user(.basicEducation), date: try day("2025-03-06"))
        }
        let replied = try engine.take("reply", on: investigated, by: user(.basicEducation), fields: ["reply": "已整改"],
                                      attachments: [letter], date: try day("2025-03-06")).0
        #expect(replied.completedOnTime == true)
        #expect(throws: CaseError.self) {
            try engine.take("rate", on: replied, by: user(.petitions), fields: ["rating": "很好"], date: try day("2025-03-07"))
        }
        let rated = try engine.take("rate", on: replied, by: .publicPerson("张某"), fields: ["rating": "满意"], date: try day("2025-03-07")).0
        let closed = try engine.take("close", on: rated, by: user(.petitions), date: try day("2025-03-07")).0
        #expect(closed.isClosed && closed.version == 6)
        // 复查: re-opened, a new 30-day limit.
        let reopened = try engine.take("reopen", on: closed, by: user(.petitions), fields: ["reason": "对答复不服"],
                                       date: try day("2025-03-10")).0
        let due = try day("2025-04-09")
        #expect(reopened.state == "assigned" && !reopened.isClosed && reopened.dueOn == due)
        #expect(reopened.completedOn == nil)
    }

    @Test("only the school named on the notice reports its rectification, with photos of an accepted type and size")
    func hazardSchoolAndPhotos() throws {
        let found = try engine.open(kind: .hazard, title: "", fields: ["school": String(schoolA.rawValue), "category": "消防",
                                                                         "description": "灭火器过期"],
                                    by: user(.inspector), on: try day("2025-04-01")).0
        #expect(found.schoolID == schoolA)
        #expect(throws: CaseError.self) {  // the deadline must lie after the notice
            try engine.take("issueNotice", on: found, by: user(.safety), fields: ["noticeNumber": "安整〔2025〕1号", "dueOn": "2025-04-01",
                                                                                  "requirement": "更换"], date: try day("2025-04-02"))
        }
        let noticed = try engine.take("issueNotice", on: found, by: user(.safety),
                                      fields: ["noticeNumber": "安整〔2025〕1号", "dueOn": "2025-04-15", "requirement": "更换灭火器"],
                                      date: try day("2025-04-02")).0
        #expect(noticed.dueOn == (try day("2025-04-15")))
        let report: [String: String] = ["measures": "已更换12具"]
        for wrong in [user(.safety), user(.safetyOfficer, .school(schoolB)), user(.registrar, .school(schoolA))] {
            #expect(throws: CaseError.self) {
                try engine.take("reportRectified", on: noticed, by: wrong, fields: report, attachments: [photo()], date: try day("2025-04-10"))
            }
        }
        let officer = user(.safetyOfficer, .school(schoolA))
        #expect(throws: CaseError.missingAttachment("整改照片", needed: 1)) {
            try engine.take("reportRectified", on: noticed, by: officer, fields: report, date: try day("2025-04-10"))
        }
        #expect(throws: CaseError.attachmentType(name: "答复意见书.pdf", allowed: "照片（JPEG、PNG）")) {
            try engine.take("reportRectified", on: noticed, by: officer, fields: report, attachments: [letter], date: try day("2025-04-10"))
        }
        // The type is read from the bytes: an HTML page named and declared as a JPEG is refused.
        let disguised = CaseAttachment(name: "photo.jpg", contentType: "image/jpeg", bytes: Array("<html><script>".utf8))
        #expect(throws: CaseError.attachmentType(name: "photo.jpg", allowed: "照片（JPEG、PNG）")) {
            try engine.take("reportRectified", on: noticed, by: officer, fields: report, attachments: [disguised], date: try day("2025-04-10"))
        }
        #expect(CaseAttachment.detectType([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]) == "image/png")
        #expect(CaseAttachment.detectType(Array("%PDF-1.7".utf8)) == "application/pdf")
        #expect(CaseAttachment.detectType(Array("PK\u{3}\u{4}".utf8)) == nil)
        #expect(throws: CaseError.attachmentTooLarge(name: "big.jpg", limitMB: 10)) {
            try engine.take("reportRectified", on: noticed, by: officer, fields: report,
                            attachments: [photo("big.jpg", size: CaseEngine.maxAttachmentBytes + 1)], date: try day("2025-04-10"))
        }
        #expect(engine.availableActions(noticed, for: officer).map(\.id) == ["reportRectified"])
        #expect(engine.availableActions(noticed, for: user(.safety)).isEmpty)
        let rectified = try engine.take("reportRectified", on: noticed, by: officer, fields: report, attachments: [photo()],
                                        date: try day("2025-04-16")).0
        #expect(rectified.completedOnTime == false)  // one day after the notice's deadline
        let failed = try engine.take("fail", on: rectified, by: user(.safety), fields: ["reinspection": "仍有2具过期"], date: try day("2025-04-17")).0
        let second = try engine.take("issueNotice", on: failed, by: user(.safety),
                                     fields: ["noticeNumber": "安整〔2025〕7号", "dueOn": "2025-04-30", "requirement": "全部更换"],
                                     date: try day("2025-04-18")).0
        #expect(second.state == "noticed" && second.completedOn == nil && second.fields["noticeNumber"] == "安整〔2025〕7号")
    }

    @Test("overdue, due soon, escalation once, and a licence deemed accepted without a one-time notice")
    func overdueAndEscalation() throws {
        let p = try newPetition(on: try day("2025-09-26"))  // due 10-11 (Sat)
        #expect(engine.status(p, today: try day("2025-09-29")) == .onTrack(workingDaysLeft: 4))  // 09-30, 10-09, 10-10, 10-11 (Sat, worked)
        #expect(engine.status(p, today: try day("2025-10-09")).isDueSoon)
        #expect(engine.status(p, today: try day("2025-10-14")) == .overdue(daysLate: 3))
        #expect(engine.escalation(of: p, today: try day("2025-10-11")) == nil)
        let (escalated, step) = try #require(engine.escalation(of: p, today: try day("2025-10-13")))
        #expect(escalated.escalated && step.action == "escalate" && step.actor == .system && escalated.state == "received")
        #expect(engine.escalation(of: escalated, today: try day("2025-10-20")) == nil)
        // A new deadline clears the escalation mark.
        let assigned = try engine.take("assign", on: escalated, by: user(.petitions), fields: ["section": "safety"], date: try day("2025-10-14")).0
        #expect(!assigned.escalated)

        let licence = try engine.open(kind: .licence, title: "", fields: ["applicant": "A", "licenceType": "民办学校筹设"],
                                      by: user(.licensing), on: try day("2025-09-26")).0
        let (deemed, deemStep) = try #require(engine.escalation(of: licence, today: try day("2025-10-13")))
        #expect(deemStep.action == "deemAccepted" && deemed.state == "accepted")
        // 20 working days from the receipt (09-26), not from the day the watch noticed.
        #expect(deemed.dueOn == (try engine.deadline(try #require(engine.limits["licence.decision"]), from: try day("2025-09-26"))))
        #expect(!engine.availableActions(licence, for: user(.licensing)).contains { $0.id == "deemAccepted" })
    }

    @Test("violation: refund in exact 分, closing refused until the refund is proven")
    func violationRefund() throws {
        let v = try engine.open(kind: .violation, title: "", fields: ["violationType": "违规收费", "subject": "某中学", "summary": "收取资料费",
                                                                      "school": "11"], by: user(.supervision), on: try day("2025-05-06")).0
        let found = try engine.take("find", on: v, by: user(.supervision), fields: ["finding": "属实"], date: try day("2025-05-08")).0
        let sanctioned = try engine.take("sanction", on: found, by: user(.supervision),
                                         fields: ["sanction": "通报批评，责令清退", "refundOrdered": "12345.67"], date: try day("2025-05-09")).0
        #expect(sanctioned.fields["refundOrdered"] == "1234567")
        #expect(throws: CaseError.self) { try engine.take("close", on: sanctioned, by: user(.supervision), date: try day("2025-05-10")) }
        #expect(throws: CaseError.self) {
            try engine.take("sanction", on: found, by: user(.supervision), fields: ["sanction": "x", "refundOrdered": "12.345"], date: try day("2025-05-09"))
        }
        let refunded = try engine.take("recordRefund", on: sanctioned, by: user(.finance), fields: ["refundProven": "12345.67"],
                                       attachments: [CaseAttachment(name: "清退凭证.png", contentType: "image/png",
                                                                     bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1])],
                                       date: try day("2025-05-20")).0
        let closed = try engine.take("close", on: refunded, by: user(.supervision), date: try day("2025-05-21")).0
        #expect(closed.isClosed && closed.state == "closed")
    }

    @Test("proposals: only a co-handling section adds its opinion; re-answer only after 不满意")
    func proposalCoHandling() throws {
        let p = try engine.open(kind: .cppccProposal, title: "关于校园安全的提案", fields: ["proposer": "赵委员", "proposalNumber": "45", "summary": "s"],
                                by: user(.office), on: try day("2025-03-10")).0
        let a = try engine.take("assign", on: p, by: user(.office), fields: ["section": "safety", "coSections": "finance"],
                                date: try day("2025-03-11")).0
        _ = try engine.take("coOpinion", on: a, by: user(.finance), fields: ["opinion": "经费已列入预算"], date: try day("2025-03-20"))
        #expect(throws: CaseError.self) {
            try engine.take("coOpinion", on: a, by: user(.personnel), fields: ["opinion": "x"], date: try day("2025-03-20"))
        }
        let met = try engine.take("meet", on: a, by: user(.safety), fields: ["meetingOn": "2025-04-01", "meetingNote": "当面沟通"],
                                  date: try day("2025-04-01")).0
        let replied = try engine.take("reply", on: met, by: user(.safety), fields: ["resultCode": "A 已解决", "reply": "已落实"],
                                      attachments: [letter], date: try day("2025-05-30")).0
        let rated = try engine.take("rate", on: replied, by: user(.office), fields: ["rating": "满意"], date: try day("2025-06-05")).0
        #expect(throws: CaseError.self) { try engine.take("reanswer", on: rated, by: user(.office), date: try day("2025-06-06")) }
        #expect(!engine.availableActions(rated, for: user(.office)).contains { $0.id == "reanswer" })
    }

    @Test("visibility: a section its own casework, a school only its noticed hazards, admin none")
    func access() throws {
        let hazard = CaseRecord(kind: .hazard, title: "", state: "noticed", schoolID: schoolA, receivedOn: try day("2025-01-06"))
        let petition = CaseRecord(kind: .petition, title: "", state: "assigned", section: .basicEducation, receivedOn: try day("2025-01-06"))
        let school = CaseAccess.visibility(role: .safetyOfficer, scope: .school(schoolA), readable: [schoolA])
        #expect(CaseAccess.mayRead(hazard, school))
        #expect(!CaseAccess.mayRead(petition, school))
        var unnoticed = hazard; unnoticed.state = "found"
        #expect(!CaseAccess.mayRead(unnoticed, school))
        let other = CaseAccess.visibility(role: .principal, scope: .school(schoolB), readable: [schoolB])
        #expect(!CaseAccess.mayRead(hazard, other))
        let basic = CaseAccess.visibility(role: .basicEducation, scope: .district, readable: nil)
        #expect(CaseAccess.mayRead(petition, basic) && !CaseAccess.mayRead(hazard, basic))
        #expect(!CaseAccess.visibility(role: .admin, scope: .district, readable: nil).seesAny)
        #expect(CaseAccess.mayRead(petition, CaseAccess.visibility(role: .petitions, scope: .district, readable: nil)))
        #expect(CaseAccess.openableKinds(role: .safetyOfficer, scope: .school(schoolA)).isEmpty)
        #expect(CaseAccess.openableKinds(role: .licensing, scope: .district) == [.licence, .annualInspection])
    }
}
