@testable import EduLedgerCore
import Foundation
import Testing

@Suite("公历日期与学年 CivilDate, SchoolYear")
struct CivilDateAndYearTests {
    @Test("day numbers round-trip and match known weekdays")
    func dayNumbers() throws {
        let epoch = try #require(CivilDate(year: 1970, month: 1, day: 1))
        #expect(epoch.dayNumber == 0 && epoch.weekday == 4)
        let national = try #require(CivilDate(year: 2025, month: 10, day: 1))
        #expect(national.weekday == 3)  // a Wednesday
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CivilDate(dayNumber: n).dayNumber == n)
        }
        #expect(try #require(CivilDate(year: 2024, month: 2, day: 28)).adding(days: 1) == CivilDate(year: 2024, month: 2, day: 29))
        #expect(try #require(CivilDate(year: 2023, month: 2, day: 28)).adding(days: 1) == CivilDate(year: 2023, month: 3, day: 1))
    }

    @Test("impossible dates are refused", arguments: ["2023-02-30", "2025-13-01", "2025-00-10", "2100-02-29", "2025-9-1", "20250901", "", "2025-09-01x"])
    func impossibleDates(_ text: String) {
        #expect(CivilDate(iso: text) == nil)
    }

    @Test("leap days and ISO text")
    func leapDays() throws {
        #expect(CivilDate(iso: "2000-02-29") != nil && CivilDate(iso: "2024-02-29") != nil)
        #expect(try #require(CivilDate(iso: "2025-09-01")).description == "2025-09-01")
        #expect(try #require(CivilDate(iso: "2025-09-01")).chinese == "2025年9月1日")
    }

    @Test("ISO text is zero-padded for every day, and parses back to the same date")
    func isoTextOfEveryDay() throws {
        func padded(_ v: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(v).count)) + String(v) }
        // 0800-01-01 … 2199-12-31: years of three digits take the general path, four digits the fast one.
        let first = try #require(CivilDate(year: 800, month: 1, day: 1)).dayNumber
        let last = try #require(CivilDate(year: 2199, month: 12, day: 31)).dayNumber
        var wrong: [String] = []
        for n in first...last {
            let date = CivilDate(dayNumber: n)
            let text = date.description
            if text != "\(padded(date.year, 4))-\(padded(date.month, 2))-\(padded(date.day, 2))" || CivilDate(iso: text) != date {
                wrong.append(text)
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(last - first + 1 == 511_340)
    }

    @Test("age on a date counts whole years")
    func ages() throws {
        let birth = try #require(CivilDate(year: 2019, month: 9, day: 1))
        #expect(birth.age(on: try #require(CivilDate(year: 2025, month: 8, day: 31))) == 5)
        #expect(birth.age(on: try #require(CivilDate(year: 2025, month: 9, day: 1))) == 6)
    }

    @Test("a school year runs from 9月1日 to 8月31日")
    func schoolYear() throws {
        let y = SchoolYear(containing: try #require(CivilDate(year: 2026, month: 3, day: 15)))
        #expect(y.startYear == 2025 && y.name == "2025—2026学年")
        #expect(y.referenceDate == CivilDate(year: 2025, month: 9, day: 1))
        #expect(y.contains(try #require(CivilDate(year: 2026, month: 8, day: 31))))
        #expect(!y.contains(try #require(CivilDate(year: 2026, month: 9, day: 1))))
        #expect(SchoolYear(containing: try #require(CivilDate(year: 2026, month: 9, day: 1))) == y.next)
        // Rosters: today while the year runs, else its 9月1日 (a past or a coming year).
        let today = try #require(CivilDate(year: 2026, month: 3, day: 15))
        #expect(y.rosterDay(today: today) == today)
        #expect(y.next.rosterDay(today: today) == CivilDate(year: 2026, month: 9, day: 1))
        #expect(SchoolYear(2023).rosterDay(today: today) == CivilDate(year: 2023, month: 9, day: 1))
    }

    @Test("grades know their stage, order and next grade")
    func grades() {
        #expect(GradeLevel.p6.next == nil && GradeLevel.p6.isFinalYearOfStage)
        #expect(GradeLevel.j1.next == .j2 && GradeLevel.j1.stage == .junior && GradeLevel.j1.yearInStage == 1)
        #expect(GradeLevel.p1.typicalAge == 6 && GradeLevel.j1.typicalAge == 12)
        #expect(GradeLevel(text: "初一") == .j1 && GradeLevel(text: "3年级") == .p3 && GradeLevel(text: "十年级") == nil)
        #expect(GradeLevel.k3 < GradeLevel.p1 && GradeLevel.p6 < GradeLevel.j1)
    }

    @Test("school types decide which grades may be taught")
    func schoolTypes() {
        #expect(SchoolType.primary.teaches(.p6) && !SchoolType.primary.teaches(.j1))
        #expect(SchoolType.nineYear.teaches(.p1) && SchoolType.nineYear.teaches(.j3) && !SchoolType.nineYear.teaches(.s1))
        #expect(SchoolType.completeSecondary.teaches(.j1) && SchoolType.completeSecondary.teaches(.s3))
        #expect(SchoolType.adult.grades.isEmpty)
        #expect(SchoolType(text: "初中") == .juniorSecondary && SchoolType(text: "成校") == .adult)
    }
}
