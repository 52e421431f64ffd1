import EduLedgerCore
import Testing
@testable import EduLedgerIndicators

/// The casework rates: hand-made cases, each figure written down and checked.
@Suite("Casework indicators")
struct CaseIndicatorTests {
    static func fact(_ id: Int64, _ kind: String, received: String, school: SchoolID? = nil, state: String = "closed",
                     taken: [String: String] = [:], completed: String? = nil, onTime: Bool? = nil, rating: String? = nil,
                     notices: [(String, String)] = [], refund: Int64? = nil) -> CaseFact {
        CaseFact(id: id, kind: kind, receivedOn: day(received), schoolID: school, state: state,
                 firstTaken: taken.mapValues(day), completedOn: completed.map(day), completedOnTime: onTime, rating: rating,
                 notices: notices.map { CaseNoticeFact(number: $0.0, issuedOn: day($0.1), schoolID: school) },
                 refundOrdered: refund.map(Money.init(fen:)), refundProven: refund.map(Money.init(fen:)))
    }

    func report(_ cases: [CaseFact], ids: [String]) throws -> (IndicatorReport, IndicatorEngine) {
        var b = FactsBuilder()
        b.school(1)
        b.school(2, township: FactsBuilder.t2, zone: nil)
        var facts = b.facts(2025...2025)
        facts.cases = cases
        let engine = IndicatorEngine(facts: facts)
        return (try engine.compute(years: 2025...2025, indicators: ids), engine)
    }

    func value(_ r: IndicatorReport, _ id: String, kind: UnitKind = .district, key: String? = nil) -> IndicatorValue? {
        r.values.first { $0.indicatorID == id && $0.unit.kind == kind && (key == nil || $0.unit.key == key) }
    }

    @Test("one notice over two hazards and a second notice on one of them: 2 notices, 2 hazards, each at its school")
    func noticesCountedAsTheyAre() throws {
        let s1 = SchoolID(1), s2 = SchoolID(2)
        let cases = [
            Self.fact(1, "hazard", received: "2025-03-05", school: s1, state: "noticed",
                      taken: ["issueNotice": "2025-03-06", "reportRectified": "2025-03-10", "fail": "2025-03-12"],
                      notices: [("安整〔2025〕3号", "2025-03-06"), ("安整〔2025〕9号", "2025-03-13")]),
            Self.fact(2, "hazard", received: "2025-03-05", school: s1, taken: ["issueNotice": "2025-03-06", "reportRectified": "2025-03-10",
                                                                               "pass": "2025-03-12"],
                      completed: "2025-03-10", onTime: true, notices: [("安整〔2025〕3号", "2025-03-06")]),
            Self.fact(3, "hazard", received: "2025-04-01", school: s2, state: "found"),
            Self.fact(4, "hazard", received: "2024-12-30", school: s2, notices: [("安整〔2024〕8号", "2025-01-02")]),
        ]
        let (r, _) = try report(cases, ids: ["cases.notices.issued", "cases.hazards.found", "cases.hazards.rectification_rate",
                                             "cases.hazards.reinspection_rate"])
        #expect(value(r, "cases.notices.issued")?.value == 2)
        #expect(value(r, "cases.hazards.found")?.value == 3)
        #expect(value(r, "cases.notices.issued", kind: .school, key: "2143110201")?.value == 2)
        #expect(value(r, "cases.notices.issued", kind: .school, key: "2143110202")?.value == 0)
        let rect = try #require(value(r, "cases.hazards.rectification_rate"))
        #expect(rect.numerator == 1 && rect.denominator == 3)
        let re = try #require(value(r, "cases.hazards.reinspection_rate"))
        #expect(re.numerator == 2 && re.denominator == 2 && re.value == 100)
    }

    @Test("an empty denominator is undefined, never 0% or 100%")
    func emptyDenominator() throws {
        let (r, _) = try report([Self.fact(1, "petition", received: "2025-02-03", state: "assigned", taken: ["assign": "2025-02-04"])],
                                ids: ["cases.petitions.satisfaction", "cases.proposals.meeting_rate", "cases.on_time_rate",
                                      "cases.petitions.reply_rate", "cases.licences.on_time_rate"])
        for id in ["cases.petitions.satisfaction", "cases.proposals.meeting_rate", "cases.on_time_rate", "cases.licences.on_time_rate"] {
            let v = try #require(value(r, id))
            #expect(v.value == nil && v.denominator == 0, "\(id)")
            #expect(IndicatorEngine.definition(id)?.format(v.value) == "无定义（分母为0）")
        }
        #expect(value(r, "cases.petitions.reply_rate")?.value == 0)
    }

    @Test("见面率, 答复率, 满意率, 按期办结率 and refunds in exact 分")
    func rates() throws {
        let cases = [
            Self.fact(1, "deputyProposal", received: "2025-02-10", taken: ["assign": "2025-02-11", "meet": "2025-03-01", "reply": "2025-04-20"],
                      completed: "2025-04-20", onTime: true, rating: "满意"),
            Self.fact(2, "cppccProposal", received: "2025-02-10", state: "replied", taken: ["assign": "2025-02-11", "reply": "2025-06-01"],
                      completed: "2025-06-01", onTime: false, rating: "不满意"),
            Self.fact(3, "cppccProposal", received: "2025-02-12", state: "received"),
            Self.fact(4, "petition", received: "2025-05-06", taken: ["reply": "2025-06-01"], completed: "2025-06-01", onTime: true,
                      rating: "基本满意"),
            Self.fact(5, "violation", received: "2025-05-06", school: SchoolID(1), completed: "2025-06-01", onTime: true, refund: 1_234_567),
            Self.fact(6, "violation", received: "2025-07-06", school: SchoolID(2), refund: 33),
        ]
        let (r, _) = try report(cases, ids: ["cases.proposals.meeting_rate", "cases.proposals.reply_rate", "cases.proposals.satisfaction",
                                             "cases.on_time_rate", "cases.petitions.satisfaction", "cases.violations.refunds"])
        #expect(value(r, "cases.proposals.meeting_rate")?.value == 50)   // 1 of 2 assigned
        let reply = try #require(value(r, "cases.proposals.reply_rate"))
        #expect(reply.numerator == 2 && reply.denominator == 3)
        #expect(value(r, "cases.proposals.satisfaction")?.value == 50)
        // Violations have no deadline and are not judged: 2 of 3 on time.
        let onTime = try #require(value(r, "cases.on_time_rate"))
        #expect(onTime.numerator == 2 && onTime.denominator == 3)
        #expect(value(r, "cases.petitions.satisfaction")?.value == 100)
        let refunds = try #require(value(r, "cases.violations.refunds"))
        // 12 345.67元 + 0.33元, summed in 分.
        #expect(IndicatorEngine.definition("cases.violations.refunds")?.format(refunds.value) == "12346.00元")
    }
}
