import EduLedgerCasework
import EduLedgerCore

extension DemoGenerator {
    /// The demo year's casework as facts, without a database: the same plan the demo loader
    /// stores (`DemoCasework.plan` for the latest year, as of 11月20日), taken step by step
    /// through the case engine, so the report tests see the casework figures the database demo
    /// has. Ids are the cases' order of receipt (the store's ids for a fresh demo). Empty when
    /// the shipped working-day calendar does not cover the year.
    public func demoCaseFacts(schools: [School]) -> [CaseFact] {
        let year = latestYear.startYear
        guard let calendar = try? WorkingDayCalendar.shipped(), calendar.covers(year: year),
              let asOf = CivilDate(year: year, month: 11, day: 20),
              let plan = try? DemoCasework.plan(seed: seed, year: year, schools: schools, calendar: calendar, asOf: asOf) else { return [] }
        let engine = CaseEngine(calendar: calendar)
        var out: [CaseFact] = []
        for script in plan.scripts {
            let o = script.opening
            guard var (record, step) = try? engine.open(kind: script.kind, title: script.title, fields: o.fields,
                                                        attachments: o.attachments, by: o.actor, on: o.date) else { continue }
            record.id = Int64(out.count + 1)
            var firstTaken: [String: CivilDate] = [:]
            var notices: [CaseNoticeFact] = []
            func note(_ step: CaseStep, _ after: CaseRecord) {
                if firstTaken[step.action] == nil { firstTaken[step.action] = step.on }
                if step.action == "issueNotice", let number = step.fields["noticeNumber"], after.dueOn != nil {
                    notices.append(CaseNoticeFact(number: number, issuedOn: step.on, schoolID: after.schoolID))
                }
            }
            note(step, record)
            for s in script.steps {
                guard let (next, taken) = try? engine.take(s.action, on: record, by: s.actor, fields: s.fields,
                                                           attachments: s.attachments, date: s.date) else { break }
                record = next
                step = taken
                note(taken, next)
            }
            out.append(CaseFact(id: record.id, kind: record.kind.rawValue, receivedOn: record.receivedOn, schoolID: record.schoolID,
                                state: record.state, firstTaken: firstTaken, completedOn: record.completedOn,
                                completedOnTime: record.completedOnTime, rating: record.fields["rating"], notices: notices,
                                refundOrdered: record.fields["refundOrdered"].flatMap(Int64.init).map(Money.init(fen:)),
                                refundProven: record.fields["refundProven"].flatMap(Int64.init).map(Money.init(fen:))))
        }
        return out
    }
}
