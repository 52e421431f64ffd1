/// The outcome of placing a late enrolee, returner or transfer into a locked draw.
public struct LatePlacement: Sendable, Hashable {
    public var classNumber: Int
    /// The roster with the student added.
    public var roster: Roster
    /// The assignment with the student added and nobody else moved, with a fresh report.
    public var assignment: Assignment
    /// Why this class, in Chinese (for the record of changes).
    public var reason: String
}

extension ClassAssigner {
    /// Places one student into the class that keeps balance best, moving nobody. Order of
    /// preference: a together group already placed or a pin decides outright; otherwise classes
    /// without an apart partner, then the smallest classes, then the fewest gender/flag counts
    /// pushed to more than one above the lowest class, then the class whose composite-score mean
    /// ends closest to the grade mean; remaining ties by the class order shuffled with stream
    /// "late" of `seed`.
    public static func placeLate(
        student: Student, into roster: Roster, assignment: Assignment, seed: String
    ) throws(AssignmentError) -> LatePlacement {
        let k = assignment.settings.classCount
        if roster.students.contains(where: { $0.id == student.id }) {
            throw AssignmentError(.duplicateID, "学籍号“\(student.id)”已在名单中", students: [student.id])
        }
        if student.scores.count != roster.scoreColumns.count || student.flags.count != roster.flagColumns.count {
            throw AssignmentError(.invalidSettings, "学生 \(Prepared.describe(student)) 的成绩或标记个数与名单列不一致", students: [student.id])
        }
        let classOf = assignment.classByID
        var membersOf = [[Student]](repeating: [], count: k)
        for s in roster.students {
            guard let c = classOf[s.id], c >= 1, c <= k else {
                throw AssignmentError(.invalidSettings, "名单中的 \(Prepared.describe(s)) 不在已锁定的编班结果中", students: [s.id])
            }
            membersOf[c - 1].append(s)
        }

        var forced: Int?
        var reason = ""
        if let key = student.togetherKey {
            let classes = Set(roster.students.filter { $0.togetherKey == key }.compactMap { classOf[$0.id] })
            if classes.count > 1 {
                throw AssignmentError(.conflictingPins, "同班组“\(key)”的已编学生分在不同班级，无法确定", students: [student.id])
            }
            if let c = classes.first {
                forced = c
                reason = "与同班组“\(key)”的同学同班"
            }
        }
        if let p = student.pinnedClass {
            if p < 1 || p > k { throw AssignmentError(.pinOutOfRange, "\(Prepared.describe(student)) 指定 \(p) 班，超出范围 1–\(k)", students: [student.id]) }
            if let f = forced, f != p {
                throw AssignmentError(
                    .conflictingPins, "\(Prepared.describe(student)) 指定 \(p) 班，但其同班组同学在 \(f) 班", students: [student.id])
            }
            if forced == nil { reason = "按指定班级" }
            forced = p
        }
        let apartKeys = Set(student.apartKeys)
        func apartOK(_ c: Int) -> Bool {
            !membersOf[c - 1].contains { !apartKeys.isDisjoint(with: $0.apartKeys) }
        }
        if let f = forced {
            if !apartOK(f) {
                throw AssignmentError(
                    .togetherAndApart, "\(Prepared.describe(student)) 须进 \(f) 班（\(reason)），但该班有其须分开的同学", students: [student.id])
            }
            return finish(student, f, reason, roster, assignment)
        }
        var candidates = (1...k).filter(apartOK)
        if candidates.isEmpty {
            throw AssignmentError(.unplaceable, "\(Prepared.describe(student)) 须分开的同学遍布所有班级，无处安排", students: [student.id])
        }
        var random = DrawRandom(seed: seed, purpose: "late")
        random.shuffle(&candidates)

        // Attributes: gender and every flag column.
        func attributes(_ s: Student) -> [Bool] { [s.gender == .male, s.gender == .female] + s.flags }
        let mine = attributes(student)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: mine.count), count: k)
        for c in 0..<k {
            for s in membersOf[c] { for (i, on) in attributes(s).enumerated() where on { counts[c][i] += 1 } }
        }
        let lowest = (0..<mine.count).map { i in counts.map { $0[i] }.min() ?? 0 }
        var weightOf = [Int](repeating: 1, count: roster.scoreColumns.count)
        for w in assignment.settings.scoreWeights {
            if let i = roster.scoreColumns.firstIndex(of: w.column) { weightOf[i] = w.weight }
        }
        func composite(_ s: Student) -> Int { zip(s.scores, weightOf).reduce(0) { $0 + $1.0.hundredths * $1.1 } }
        let n = roster.students.count + 1
        let total = roster.students.reduce(composite(student)) { $0 + composite($1) }
        let sizes = membersOf.map(\.count)

        // Lexicographic key per class: (size, bands pushed past +1, |mean gap| as an exact
        // integer), smaller is better.
        func key(_ c: Int) -> (Int, Int, Int) {
            let i = c - 1
            var pushed = 0
            for (a, on) in mine.enumerated() where on && counts[i][a] + 1 > lowest[a] + 1 { pushed += 1 }
            let sum = membersOf[i].reduce(composite(student)) { $0 + composite($1) }
            let gap = abs(sum * n - (sizes[i] + 1) * total)
            return (sizes[i], pushed, gap)
        }
        var best = candidates[0]
        var bestKey = key(best)
        for c in candidates.dropFirst() {
            let kc = key(c)
            if kc < bestKey {
                best = c
                bestKey = kc
            }
        }
        return finish(student, best, "补录：人数最少且最能保持均衡的班级", roster, assignment)
    }

    static func finish(_ student: Student, _ c: Int, _ reason: String, _ roster: Roster, _ assignment: Assignment) -> LatePlacement {
        var newRoster = roster
        newRoster.students.append(student)
        var placements = assignment.placements
        let at = placements.firstIndex { Prepared.idLess(student.id, $0.id) } ?? placements.count
        placements.insert(Placement(id: student.id, classNumber: c), at: at)
        var sizes = assignment.classSizes
        if c - 1 < sizes.count { sizes[c - 1] += 1 }
        let classOf = Dictionary(placements.map { ($0.id, $0.classNumber) }, uniquingKeysWith: { a, _ in a })
        let report = BalanceReport(
            roster: newRoster, classCount: assignment.settings.classCount, classOf: classOf,
            scoreWeights: assignment.settings.scoreWeights)
        let updated = Assignment(settings: assignment.settings, classSizes: sizes, placements: placements, report: report)
        return LatePlacement(classNumber: c, roster: newRoster, assignment: updated, reason: reason)
    }
}
