import Testing
@testable import ClassAssignment

/// A small plain roster: ids A01…, alternating gender, scores 60 + i.
func smallRoster(_ n: Int) -> Roster {
    let students = (0..<n).map { i in
        Student(
            id: String(format2: i), name: "学生\(i)", gender: i % 2 == 0 ? .male : .female,
            scores: [Score(halfPoints: 120 + i)], flags: [i % 5 == 0], sourceRow: i + 2)
    }
    return Roster(source: "名单.xlsx", scoreColumns: ["成绩"], flagColumns: ["留守"], students: students)
}

extension String {
    init(format2 i: Int) { self = "A" + (i < 10 ? "0" : "") + String(i) }
}

func problems(_ roster: Roster, _ settings: AssignmentSettings) -> [AssignmentProblem] {
    do {
        _ = try ClassAssigner.assign(roster: roster, settings: settings)
        return []
    } catch {
        return error.problems
    }
}

@Suite("Conflicting rules are reported, never broken")
struct ConflictTests {
    @Test func togetherGroupLargerThanAClass() {
        var r = smallRoster(20)
        for i in 0..<6 { r.students[i].togetherKey = "大家庭" }
        let p = problems(r, AssignmentSettings(classCount: 4, seed: "s"))
        #expect(p.count == 1)
        #expect(p.first?.kind == .togetherGroupTooLarge)
        #expect(p.first?.studentIDs == ["A00", "A01", "A02", "A03", "A04", "A05"])
        #expect(p.first?.message.contains("大家庭") == true)
        #expect(p.first?.message.contains("6 人") == true)
    }

    @Test func groupWithTwoDifferentPins() {
        var r = smallRoster(20)
        r.students[2].togetherKey = "双胞胎"
        r.students[3].togetherKey = "双胞胎"
        r.students[2].pinnedClass = 1
        r.students[3].pinnedClass = 2
        let p = problems(r, AssignmentSettings(classCount: 4, seed: "s"))
        #expect(p.map(\.kind) == [.conflictingPins])
        #expect(p.first?.message.contains("A02（学生2，第 4 行） 指定 1 班") == true)
        #expect(p.first?.message.contains("A03（学生3，第 5 行） 指定 2 班") == true)
    }

    @Test func togetherAndApartAtOnce() {
        var r = smallRoster(20)
        r.students[4].togetherKey = "兄弟"
        r.students[5].togetherKey = "兄弟"
        r.students[4].apartKeys = ["同名"]
        r.students[5].apartKeys = ["同名"]
        let p = problems(r, AssignmentSettings(classCount: 4, seed: "s"))
        #expect(p.map(\.kind) == [.togetherAndApart])
        #expect(p.first?.studentIDs == ["A04", "A05"])
    }

    @Test func apartSetLargerThanClassCount() {
        var r = smallRoster(20)
        for i in 0..<5 { r.students[i].apartKeys = ["张伟"] }
        let p = problems(r, AssignmentSettings(classCount: 4, seed: "s"))
        #expect(p.map(\.kind) == [.apartSetTooLarge])
        #expect(p.first?.message.contains("5 人") == true)
        #expect(p.first?.message.contains("4 个班") == true)
    }

    @Test func pinnedPairThatMustBeApart() {
        var r = smallRoster(20)
        r.students[7].apartKeys = ["冲突"]
        r.students[9].apartKeys = ["冲突"]
        r.students[7].pinnedClass = 2
        r.students[9].pinnedClass = 2
        let p = problems(r, AssignmentSettings(classCount: 4, seed: "s"))
        #expect(p.map(\.kind) == [.pinnedApart])
        #expect(p.first?.studentIDs == ["A07", "A09"])
    }

    @Test func tooManyPinnedIntoOneClass() {
        var r = smallRoster(20)
        for i in 0..<6 { r.students[i].pinnedClass = 1 }
        let p = problems(r, AssignmentSettings(classCount: 4, seed: "s"))
        #expect(p.contains { $0.kind == .classOverfull && $0.message.contains("1 班") })
    }

    @Test func pinsThatBreakTheGenderBand() {
        var r = smallRoster(20)
        for i in [0, 2, 4, 6] { r.students[i].pinnedClass = 1 }  // four boys; 10 boys / 4 classes allows 3
        let p = problems(r, AssignmentSettings(classCount: 4, seed: "s"))
        #expect(p.map(\.kind) == [.pinnedUnbalanced])
        #expect(p.first?.message.contains("4 名“男”") == true)
    }

    @Test func badSettingsAreAllReported() {
        let r = smallRoster(10)
        #expect(problems(r, AssignmentSettings(classCount: 11, seed: "s")).map(\.kind) == [.invalidSettings])
        #expect(problems(r, AssignmentSettings(classSizes: [5, 4], seed: "s")).first?.message.contains("合计 9 人") == true)
        let p = problems(r, AssignmentSettings(classCount: 2, balancedFlags: ["住校"], scoreWeights: [ScoreWeight(column: "数学", weight: 1)], seed: "s"))
        #expect(p.count == 2)
        var dup = r
        dup.students[3].id = "A02"
        #expect(problems(dup, AssignmentSettings(classCount: 2, seed: "s")).map(\.kind) == [.duplicateID])
        var pin = r
        pin.students[0].pinnedClass = 3
        #expect(problems(pin, AssignmentSettings(classCount: 2, seed: "s")).map(\.kind) == [.pinOutOfRange])
    }

    @Test func severalConflictsAreReportedTogether() {
        var r = smallRoster(20)
        for i in 0..<6 { r.students[i].togetherKey = "大家庭" }
        for i in 10..<15 { r.students[i].apartKeys = ["张伟"] }
        let p = problems(r, AssignmentSettings(classCount: 4, seed: "s"))
        #expect(Set(p.map(\.kind)) == [.togetherGroupTooLarge, .apartSetTooLarge])
    }
}
