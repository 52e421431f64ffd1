import Foundation
import Testing
@testable import ClassAssignment

@Suite("Public draw record and verification")
struct DrawRecordTests {
    func draw() throws -> (Roster, DrawRecord) {
        let roster = SyntheticRoster.make(count: 240, seed: "verify")
        let parts = ["  3817 ", "2290", "上证指数 3021.45"]
        let seed = try DrawSeed.compose(parts: parts)
        let a = try ClassAssigner.assign(roster: roster, settings: AssignmentSettings(classCount: 6, seed: seed))
        let record = DrawRecord(
            roster: roster, assignment: a, seedParts: parts, softwareVersion: "0.1.0",
            drawnAt: "2025-08-28T09:30:00+08:00", drawnBy: "家长代表 张三；监督 李四")
        return (roster, record)
    }

    @Test func seedComposition() throws {
        #expect(try DrawSeed.compose(parts: [" 12 ", "34"]) == "12 + 34")
        #expect(throws: DrawSeedError.self) { try DrawSeed.compose(parts: ["1", " "]) }
        #expect(throws: DrawSeedError.self) { try DrawSeed.compose(parts: ["1+2"]) }
    }

    @Test func canonicalTextIsAsSpecified() {
        let r = Roster(
            source: "x", scoreColumns: ["成绩"], flagColumns: ["留守", "住校"],
            students: [
                Student(id: "B2", name: "李\t四", gender: .female, scores: [Score(hundredths: 9050)], flags: [false, true],
                        apartKeys: ["k,2", "a"], pinnedClass: 3),
                Student(id: "A1", name: "张三", gender: .male, scores: [Score(hundredths: 8700)], flags: [true, false],
                        togetherKey: "T"),
            ])
        #expect(r.canonicalText == """
            eduledger-roster-v1
            scores\t成绩
            flags\t留守\t住校
            A1\t张三\tM\t87\t1\t0\tT\t\t
            B2\t李\\t四\tF\t90.5\t0\t1\t\ta,k\\,2\t3

            """)
        #expect(r.rosterHash.count == 64)
        var changed = r
        changed.students[0].scores[0] = Score(hundredths: 9000)
        #expect(changed.rosterHash != r.rosterHash)
    }

    @Test func verifyMatches() throws {
        let (roster, record) = try draw()
        #expect(DrawVerifier.verify(record: record, roster: roster) == .match)
        // The record survives its JSON form.
        let data = try JSONEncoder().encode(record)
        let back = try JSONDecoder().decode(DrawRecord.self, from: data)
        #expect(DrawVerifier.verify(record: back, roster: roster) == .match)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains("\"roster_hash\""))
        #expect(json.contains("\"class_count\""))
    }

    @Test func tamperedResultIsCaught() throws {
        let (roster, record) = try draw()
        var tampered = record
        let victim = tampered.placements[17]
        tampered.placements[17].classNumber = victim.classNumber % 6 + 1
        let result = DrawVerifier.verify(record: tampered, roster: roster)
        #expect(result == .mismatch(
            firstDifferences: [PlacementDifference(id: victim.id, recorded: victim.classNumber % 6 + 1, recomputed: victim.classNumber)],
            count: 1))
        #expect(result.message.contains(victim.id))
    }

    @Test func changedRosterOrSeedIsCaught() throws {
        let (roster, record) = try draw()
        var other = roster
        other.students[3].scores[0] = Score(hundredths: other.students[3].scores[0].hundredths + 50)
        guard case .rosterHashMismatch = DrawVerifier.verify(record: record, roster: other) else {
            Issue.record("expected roster hash mismatch")
            return
        }
        var seed = record
        seed.settings.seed = "3817 + 2290 + 0"
        guard case .seedMismatch = DrawVerifier.verify(record: seed, roster: roster) else {
            Issue.record("expected seed mismatch")
            return
        }
        var version = record
        version.engineVersion = "other-0"
        #expect(!DrawVerifier.verify(record: version, roster: roster).isMatch)
    }

    @Test func reportJSONUsesTheAgreedKeys() throws {
        let (roster, _) = try draw()
        let a = try ClassAssigner.assign(roster: roster, settings: AssignmentSettings(classCount: 6, seed: "r"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(a.report), as: UTF8.self)
        for key in ["size_range", "mean_range", "sd_range", "gender_max_diff", "flag_max_diff", "constraints_violated", "seconds",
                    "\"mean\"", "\"sd\"", "\"min\"", "\"max\"", "\"bands\"", "\"male\"", "\"female\"", "\"flags\""] {
            #expect(json.contains(key), "missing \(key)")
        }
        #expect(a.report.classes.count == 6)
        #expect(a.report.classes.map(\.size).reduce(0, +) == 240)
        #expect(a.report.classes.allSatisfy { $0.bands.reduce(0, +) == $0.size })
    }
}

@Suite("Lotteries and late enrolees")
struct LotteryAndLateTests {
    @Test func labelLotteryIsASeededPermutationIndependentOfListOrder() throws {
        let labels = (1...8).map { "七(\($0))班" }
        let a = try ClassLottery.drawLabels(labels, seed: "s")
        #expect(a.map(\.classNumber) == Array(1...8))
        #expect(Set(a.map(\.drawn)) == Set(labels))
        #expect(try ClassLottery.drawLabels(labels.reversed(), seed: "s") == a)
        #expect(try ClassLottery.drawLabels(labels, seed: "t") != a)
    }

    @Test func teacherLottery() throws {
        let teachers = ["王老师", "李老师", "赵老师", "钱老师", "孙老师"]
        let d = try ClassLottery.drawTeachers(teachers, classCount: 4, seed: "s")
        #expect(d.count == 4)
        #expect(Set(d.map(\.drawn)).count == 4)
        #expect(throws: LotteryError.self) { try ClassLottery.drawTeachers(teachers, classCount: 6, seed: "s") }
        let reps = try ClassLottery.drawRepresentatives(from: ["1", "2", "3", "4"], count: 2, seed: "s")
        #expect(reps.count == 2)
    }

    @Test func lateEnroleeMovesNobody() throws {
        let roster = SyntheticRoster.make(count: 401, seed: "late")
        let a = try ClassAssigner.assign(roster: roster, settings: AssignmentSettings(classCount: 8, seed: "s"))
        let late = Student(id: "Z999", name: "迟到", gender: .female, scores: [Score(halfPoints: 150)], flags: [false, true, false, false])
        let placed = try ClassAssigner.placeLate(student: late, into: roster, assignment: a, seed: "补录1")
        let before = a.classByID
        let after = placed.assignment.classByID
        for s in roster.students { #expect(before[s.id] == after[s.id]) }
        #expect(after["Z999"] == placed.classNumber)
        #expect(placed.assignment.report.sizeRange <= 1)
        // 401 students in 8 classes: exactly one class had 51; the enrolee goes to one of the 50s.
        #expect(a.classSizes[placed.classNumber - 1] == 50)
        #expect(placed.assignment.report.genderMaxDiff <= 1)
        #expect(placed.assignment.report.constraintsViolated == 0)
        #expect(placed.assignment.placements.map(\.id) == placed.assignment.placements.map(\.id).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        })
    }

    @Test func lateSiblingJoinsTheGroupAndApartIsKept() throws {
        var roster = SyntheticRoster.make(count: 200, seed: "late2")
        roster.students[10].togetherKey = "孙家"
        let a = try ClassAssigner.assign(roster: roster, settings: AssignmentSettings(classCount: 4, seed: "s"))
        let sibling = Student(id: "Z1", name: "孙二", gender: .male, scores: [Score(halfPoints: 140)], flags: [false, false, false, false],
                              togetherKey: "孙家")
        let placed = try ClassAssigner.placeLate(student: sibling, into: roster, assignment: a, seed: "x")
        #expect(placed.classNumber == a.classByID[roster.students[10].id])
        // Apart from someone in every class: refused with a reason.
        var everywhere = roster
        let firstOfEach = (1...4).compactMap { c in a.placements.first { $0.classNumber == c }?.id }
        for i in everywhere.students.indices where firstOfEach.contains(everywhere.students[i].id) {
            everywhere.students[i].apartKeys = ["同名:王伟"]
        }
        let wang = Student(id: "Z2", name: "王伟", gender: .male, scores: [Score(halfPoints: 140)], flags: [false, false, false, false],
                           apartKeys: ["同名:王伟"])
        #expect(throws: AssignmentError.self) {
            try ClassAssigner.placeLate(student: wang, into: everywhere, assignment: a, seed: "x")
        }
    }
}
