import EduLedgerCore
import Foundation
import OfficeFormats

/// 班额 categories of the national statistics (教育统计报表): 25人及以下 … 66人及以上. 56–65 is 大班额 and
/// 66 or more 超大班额.
public enum ClassSizeBand: Int, Sendable, CaseIterable {
    case upTo25, to30, to35, to40, to45, to50, to55, to60, to65, over65

    public var title: String {
        switch self {
        case .upTo25: return "25人及以下"
        case .to30: return "26-30人"
        case .to35: return "31-35人"
        case .to40: return "36-40人"
        case .to45: return "41-45人"
        case .to50: return "46-50人"
        case .to55: return "51-55人"
        case .to60: return "56-60人"
        case .to65: return "61-65人"
        case .over65: return "66人及以上"
        }
    }

    public init(size: Int) {
        switch size {
        case ...25: self = .upTo25
        case 26...30: self = .to30
        case 31...35: self = .to35
        case 36...40: self = .to40
        case 41...45: self = .to45
        case 46...50: self = .to50
        case 51...55: self = .to55
        case 56...60: self = .to60
        case 61...65: self = .to65
        default: self = .over65
        }
    }

    public var isLarge: Bool { self == .to60 || self == .to65 }
    public var isVeryLarge: Bool { self == .over65 }
}

/// The statistics workbook a superior bureau asks for, computed from the registry on a reference date
/// (9月1日 by default): per school, pupils by grade (合计, 其中女); classes by 班额 category; staff by
/// qualification. Each sheet ends with the district's total row; a last sheet states the definitions.
public enum StatisticsWorkbook {
    public struct Totals: Sendable, Hashable {
        public var students: Int
        public var girls: Int
        public var classes: Int
        public var largeClasses: Int
        public var veryLargeClasses: Int
        public var staff: Int
    }

    @discardableResult
    public static func write(from store: any RegistryReading, on date: CivilDate, to url: URL) async throws -> Totals {
        let schools = try await store.schools(SchoolFilter(openOn: date))
        let townships = Dictionary(uniqueKeysWithValues: try await store.townships().map { ($0.id, $0.name) })
        // Pupils enrolled on the date: school → grade → (all, girls); class → size.
        var pupils: [SchoolID: [GradeLevel: (Int, Int)]] = [:]
        var classSize: [ClassID: Int] = [:]
        var query = StudentQuery(date: date, offset: 0, limit: 5_000)
        while true {
            let page = try await store.students(query)
            for r in page.items {
                var byGrade = pupils[r.enrolment.schoolID, default: [:]]
                let old = byGrade[r.enrolment.grade] ?? (0, 0)
                byGrade[r.enrolment.grade] = (old.0 + 1, old.1 + (r.student.gender == .female ? 1 : 0))
                pupils[r.enrolment.schoolID] = byGrade
                if let c = r.enrolment.classID { classSize[c, default: 0] += 1 }
            }
            query.offset += page.items.count
            if page.items.isEmpty || query.offset >= page.total { break }
        }
        var staffBySchool: [SchoolID?: [StaffMember]] = [:]
        var staffQuery = StaffQuery(date: date, offset: 0, limit: 5_000)
        while true {
            let page = try await store.staff(staffQuery)
            for m in page.items { staffBySchool[m.schoolID, default: []].append(m) }
            staffQuery.offset += page.items.count
            if page.items.isEmpty || staffQuery.offset >= page.total { break }
        }
        let grades = GradeLevel.allCases.filter { g in pupils.values.contains { $0[g] != nil } }
        var totals = Totals(students: 0, girls: 0, classes: 0, largeClasses: 0, veryLargeClasses: 0, staff: 0)

        var w = try XLSXWriter(url: url)
        let lead = ["学校标识码", "学校名称", "办学类型", "所属乡镇"]
        func leadCells(_ s: School) -> [XLSXCell] {
            [.text(s.code), .text(s.name), .text(s.type.rawValue), .text(townships[s.townshipID] ?? "")]
        }
        let totalLead: [XLSXCell] = [.text("合计", style: .bold), .text("全区", style: .bold), .empty, .empty]

        // 1. Pupils by grade and gender.
        try w.addSheet("在校生分年级", options: XLSXSheetOptions(columnWidths: [13, 22, 14, 12]))
        try w.writeHeader(lead + ["在校生合计", "其中女"] + grades.flatMap { ["\($0.name)", "\($0.name)其中女"] })
        var gradeTotals = Array(repeating: 0, count: grades.count * 2)
        for s in schools {
            let byGrade = pupils[s.id] ?? [:]
            let all = byGrade.values.reduce(0) { $0 + $1.0 }, girls = byGrade.values.reduce(0) { $0 + $1.1 }
            totals.students += all
            totals.girls += girls
            var cells = leadCells(s) + [.number(all), .number(girls)]
            for (i, g) in grades.enumerated() {
                let v = byGrade[g] ?? (0, 0)
                gradeTotals[2 * i] += v.0
                gradeTotals[2 * i + 1] += v.1
                cells += [.number(v.0), .number(v.1)]
            }
            try w.writeRow(cells)
        }
        try w.writeRow(totalLead + [.number(totals.students, style: .bold), .number(totals.girls, style: .bold)]
                       + gradeTotals.map { .number($0, style: .bold) })

        // 2. Classes by 班额 category (class sizes counted on the date).
        try w.addSheet("班额", options: XLSXSheetOptions(columnWidths: [13, 22, 14, 12]))
        try w.writeHeader(lead + ["班数", "在班学生", "平均班额"] + ClassSizeBand.allCases.map(\.title) + ["大班额（56-65人）", "超大班额（66人及以上）"])
        var bandTotals = Array(repeating: 0, count: ClassSizeBand.allCases.count)
        var seated = 0
        for s in schools {
            var bands = Array(repeating: 0, count: ClassSizeBand.allCases.count)
            var count = 0, inClasses = 0, large = 0, veryLarge = 0
            for c in try await store.classes(schoolID: s.id, year: SchoolYear(containing: date)) {
                let n = classSize[c.id] ?? 0
                guard n > 0 else { continue }
                let band = ClassSizeBand(size: n)
                bands[band.rawValue] += 1
                count += 1
                inClasses += n
                if band.isLarge { large += 1 }
                if band.isVeryLarge { veryLarge += 1 }
            }
            totals.classes += count
            totals.largeClasses += large
            totals.veryLargeClasses += veryLarge
            seated += inClasses
            for i in bands.indices { bandTotals[i] += bands[i] }
            try w.writeRow(leadCells(s) + [.number(count), .number(inClasses), average(inClasses, count)]
                           + bands.map { .number($0) } + [.number(large), .number(veryLarge)])
        }
        try w.writeRow(totalLead + [.number(totals.classes, style: .bold), .number(seated, style: .bold),
                                    average(seated, totals.classes, style: .bold)]
                       + bandTotals.map { .number($0, style: .bold) }
                       + [.number(totals.largeClasses, style: .bold), .number(totals.veryLargeClasses, style: .bold)])

        // 3. Staff by qualification (all staff, and full-time teachers).
        let levels = Qualification.allCases.reversed()
        try w.addSheet("教职工学历", options: XLSXSheetOptions(columnWidths: [13, 22, 14, 12]))
        try w.writeHeader(lead + ["教职工合计", "其中女", "专任教师"] + levels.map { "专任教师\($0.rawValue)" } + levels.map { "教职工\($0.rawValue)" })
        var staffTotals = Array(repeating: 0, count: 3 + 2 * levels.count)
        func staffCells(_ members: [StaffMember]) -> [Int] {
            let teachers = members.filter { $0.post == .fullTimeTeacher }
            return [members.count, members.filter { $0.gender == .female }.count, teachers.count]
                + levels.map { q in teachers.filter { $0.qualification == q }.count }
                + levels.map { q in members.filter { $0.qualification == q }.count }
        }
        for s in schools {
            let v = staffCells(staffBySchool[s.id] ?? [])
            for i in v.indices { staffTotals[i] += v[i] }
            try w.writeRow(leadCells(s) + v.map { .number($0) })
        }
        if let bureau = staffBySchool[nil], !bureau.isEmpty {
            let v = staffCells(bureau)
            for i in v.indices { staffTotals[i] += v[i] }
            try w.writeRow([.empty, .text("教育局机关"), .empty, .empty] + v.map { .number($0) })
        }
        totals.staff = staffTotals[0]
        try w.writeRow(totalLead + staffTotals.map { .number($0, style: .bold) })

        try w.addSheet("说明", options: XLSXSheetOptions(columnWidths: [16, 90]))
        try w.writeHeader(["项目", "口径"])
        try w.writeRow(["统计时点", "\(date.chinese)（\(SchoolYear(containing: date).name)）"])
        try w.writeRow(["学校范围", "统计时点正在办学的学校（已撤并、停办的不计）"])
        try w.writeRow(["在校生", "统计时点学籍有效（入学日期不晚于时点、尚未离校）的学生，按当时所在学校和年级计"])
        try w.writeRow(["班额", "统计时点各班在班学生数；大班额为56-65人，超大班额为66人及以上；平均班额＝在班学生÷班数，保留一位小数"])
        try w.writeRow(["教职工", "统计时点在职（入职不晚于时点、未离职）的教职工；学历为最高学历"])
        try w.finish()
        return totals
    }

    private static func average(_ total: Int, _ count: Int, style: XLSXCell.Style = .normal) -> XLSXCell {
        guard count > 0 else { return .empty }
        // One decimal, rounded half up, computed in integers (no binary floating point in the figure).
        let tenths = (total * 100 / count + 5) / 10
        return .text("\(tenths / 10).\(tenths % 10)", style: style)
    }
}
