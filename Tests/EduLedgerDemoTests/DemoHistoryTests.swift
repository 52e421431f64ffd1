import EduLedgerCore
@testable import EduLedgerDemo
import Testing

@Suite("Demo district: five years of history")
struct DemoHistoryTests {
    let demo = DemoOutput.district

    @Test("history spans five school years with every kind of event")
    func eventsPresent() {
        let entries = Set(demo.allEnrolments.map(\.entry))
        let exits = Set(demo.allEnrolments.compactMap(\.exit))
        for e: EntryReason in [.intake, .promotion, .transferIn, .returnFromSuspension, .returnFromDropout, .repetition,
                               .schoolMerger, .initialRegistration] {
            #expect(entries.contains(e), "\(e)")
        }
        for e: ExitReason in [.promoted, .graduated, .transferredOut, .suspended, .droppedOut, .repeated, .schoolMerged] {
            #expect(exits.contains(e), "\(e)")
        }
        #expect(demo.allEnrolments.map(\.from).min() == day(2022, 9, 1))
        for y in 2022...2026 {
            let n = demo.enrolled(on: day(y, 9, 1)).count
            #expect(n > 30_000, "\(y): \(n)")
            #expect(demo.allEnrolments.contains { $0.entry == .intake && $0.from == day(y, 9, 1) })
        }
        // Periods are open only on the latest reference date; nothing starts after it.
        #expect(demo.allEnrolments.allSatisfy { $0.from <= day(2026, 9, 1) })
        #expect(demo.allEnrolments.allSatisfy { ($0.until == nil) == ($0.exit == nil) })
    }

    @Test("promotion, graduation, transfers and returns chain as the registry records them")
    func chains() throws {
        var transfersWithin = 0, stageMoves = 0
        for list in demo.periods.values {
            for (a, b) in zip(list, list.dropFirst()) {
                let until = try #require(a.until)
                #expect(until <= b.from)
                switch a.exit {
                case .promoted:
                    #expect(until.month == 9 && until.day == 1 && b.from == until && b.grade == a.grade.next)
                    #expect(b.entry == .promotion)
                case .repeated:
                    #expect(b.from == until && b.grade == a.grade && b.entry == .repetition)
                case .graduated:
                    #expect(until.month == 7 && until.day == 1 && a.grade.isFinalYearOfStage)
                    #expect(b.entry == .intake && b.from == day(until.year, 9, 1) && b.grade.yearInStage == 1)
                    stageMoves += 1
                case .transferredOut:
                    #expect(b.entry == .transferIn && b.from == until && b.schoolID != a.schoolID && b.grade == a.grade)
                    transfersWithin += 1
                case .droppedOut:
                    #expect(b.entry == .returnFromDropout && b.from > until && b.grade == a.grade)
                case .suspended:
                    #expect(b.entry == .returnFromSuspension && b.from > until && b.grade == a.grade)
                case .schoolMerged:
                    #expect(b.entry == .schoolMerger && b.from == until)
                default:
                    Issue.record("unexpected exit \(String(describing: a.exit)) followed by a period")
                }
            }
            #expect(list.last.map { $0.until == nil || $0.exit != .promoted } ?? true)
        }
        #expect(transfersWithin > 200 && stageMoves > 5_000)
    }

    @Test("exactly one merger: a rural primary school closed on 8月31日, its pupils continue on 9月1日")
    func merger() throws {
        let closed = demo.schools.values.filter { $0.closed != nil }
        try #require(closed.count == 1)
        let school = closed[0]
        #expect(school.type == .primary && school.urbanRural == .rural)
        #expect(school.closed == day(2024, 8, 31))
        let receiving = try #require(school.mergedIntoID.flatMap { demo.schools[$0] })
        #expect(receiving.townshipID == school.townshipID && receiving.isOpen(on: day(2024, 9, 1)))
        let summary = try #require(demo.summary.mergers.first)
        #expect(demo.summary.mergers.count == 1)
        #expect(summary.closedSchoolID == school.id && summary.receivingSchoolID == receiving.id)
        #expect(summary.closedOn == day(2024, 8, 31))
        // Nobody is enrolled there after the closing day; everyone there on it leaves on 9月1日.
        let there = demo.allEnrolments.filter { $0.schoolID == school.id }
        #expect(!there.isEmpty && there.allSatisfy { $0.from <= day(2024, 8, 31) })
        let lastDay = there.filter { $0.covers(day(2024, 8, 31)) }
        #expect(lastDay.allSatisfy { $0.until == day(2024, 9, 1) && $0.exit == .schoolMerged })
        var moved = 0
        for e in lastDay {
            let next = try #require(demo.periods[e.studentID]?.first { $0.from == day(2024, 9, 1) })
            #expect(next.schoolID == receiving.id && next.entry == .schoolMerger)
            moved += 1
        }
        #expect(moved == summary.pupilsMoved && moved > 50)
        // History before the merger still counts the closed school.
        #expect(demo.enrolled(on: day(2023, 9, 1)).contains { $0.schoolID == school.id })
    }

    @Test("dropout and retention come out plausible")
    func rates() {
        for y in 2022...2025 {
            let start = day(y, 9, 1), end = day(y + 1, 9, 1)
            let junior = demo.enrolled(on: start).filter { $0.grade.stage == .junior }.count
            let primary = demo.enrolled(on: start).filter { $0.grade.stage == .primary }.count
            let out = demo.allEnrolments.filter { $0.exit == .droppedOut && $0.until.map { $0 > start && $0 < end } ?? false }
            let juniorRate = Double(out.filter { $0.grade.stage == .junior }.count) / Double(junior)
            let primaryRate = Double(out.filter { $0.grade.stage == .primary }.count) / Double(primary)
            #expect(juniorRate > 0.0002 && juniorRate < 0.004, "初中辍学率 \(y): \(juniorRate)")
            #expect(primaryRate < 0.001, "小学辍学率 \(y): \(primaryRate)")
        }
        // 巩固率-like: the 2024 七年级 still enrolled as 九年级 in 2026, against their number in 2024.
        let j1 = demo.enrolled(on: day(2024, 9, 1)).filter { $0.grade == .j1 }.count
        let j3 = demo.enrolled(on: day(2026, 9, 1)).filter { $0.grade == .j3 }.count
        let ratio = Double(j3) / Double(j1)
        #expect(ratio > 0.9 && ratio < 1.1, "\(ratio)")
        // Nearly all primary graduates continue to a junior school of the district.
        let graduates = demo.allEnrolments.filter { $0.exit == .graduated && $0.grade == .p6 }
        let continued = graduates.filter { g in demo.periods[g.studentID]?.contains { $0.grade == .j1 && $0.from > g.from } ?? false }
        #expect(Double(continued.count) / Double(graduates.count) > 0.95)
    }

    @Test("class sizes: mostly 35–50, 大班额 in the early years, 超大班额 only in the first")
    func classSizes() {
        func sizes(_ y: Int) -> [ClassID: Int] {
            var count: [ClassID: Int] = [:]
            for e in demo.enrolled(on: day(y, 9, 1)) {
                guard let c = e.classID else { continue }
                count[c, default: 0] += 1
            }
            return count
        }
        func compulsory(_ c: ClassID) -> Bool {
            guard let cls = demo.classes[c], let school = demo.schools[cls.schoolID] else { return false }
            return [.primary, .junior].contains(cls.grade.stage) && !school.isTeachingPoint && school.type != .special
                && school.urbanRural != .rural
        }
        let first = sizes(2022), last = sizes(2026)
        let large2022 = first.filter { compulsory($0.key) && $0.value >= 56 }.count
        let large2026 = last.filter { compulsory($0.key) && $0.value >= 56 }.count
        #expect(first.values.contains { $0 >= 66 })
        #expect(!last.values.contains { $0 >= 66 })
        #expect(large2022 > large2026)
        let normal = last.filter { compulsory($0.key) && (35...52).contains($0.value) }.count
        let all = last.filter { compulsory($0.key) }.count
        #expect(Double(normal) / Double(all) > 0.7, "\(normal)/\(all)")
    }
}
