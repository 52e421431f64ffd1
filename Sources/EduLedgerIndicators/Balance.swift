import EduLedgerCore
import Foundation

/// The two stages judged for 义务教育优质均衡 (《县域义务教育优质均衡发展督导评估办法》, 2017).
public enum BalanceStage: String, Sendable, Codable, CaseIterable {
    case primary, junior

    var stage: Stage { self == .primary ? .primary : .junior }
    var name: String { self == .primary ? "小学" : "初中" }
    /// 差异系数 limit.
    public var limit: Double { self == .primary ? 0.50 : 0.45 }
}

/// The seven resource indicators of 优质均衡, plus 生均图书 (not one of the seven since 2017, but
/// still reported and the figure of the published 差异系数 example).
public enum BalanceItem: String, Sendable, Codable, CaseIterable {
    case higherQualified = "higher_qualified"
    case backbone
    case peArts = "pe_arts"
    case teachingArea = "teaching_area"
    case sportsArea = "sports_area"
    case equipment
    case multimedia
    case books

    /// Whether the item is one of the seven judged per school.
    public var isStandard: Bool { self != .books }

    public func id(_ stage: BalanceStage) -> String { "balance.\(stage.rawValue).\(rawValue)" }
    public func cvID(_ stage: BalanceStage) -> String { "cv.\(stage.rawValue).\(rawValue)" }

    /// The national standard per school (2017): the figure must reach this value.
    public func standard(_ stage: BalanceStage) -> Double? {
        let p = stage == .primary
        switch self {
        case .higherQualified: return p ? 4.2 : 5.3
        case .backbone: return 1.0
        case .peArts: return 0.9
        case .teachingArea: return p ? 4.5 : 5.8
        case .sportsArea: return p ? 7.5 : 10.2
        case .equipment: return p ? 2000 : 2500
        case .multimedia: return p ? 2.3 : 2.4
        case .books: return nil
        }
    }

    var nameZH: String {
        switch self {
        case .higherQualified: return "每百名学生拥有高于规定学历教师数"
        case .backbone: return "每百名学生拥有县级及以上骨干教师数"
        case .peArts: return "每百名学生拥有体育、艺术（美术、音乐）专任教师数"
        case .teachingArea: return "生均教学及辅助用房面积"
        case .sportsArea: return "生均体育运动场馆面积"
        case .equipment: return "生均教学仪器设备值"
        case .multimedia: return "每百名学生拥有网络多媒体教室数"
        case .books: return "生均图书"
        }
    }

    var nameEN: String {
        switch self {
        case .higherQualified: return "Teachers above the required qualification per 100 pupils"
        case .backbone: return "County-level backbone teachers per 100 pupils"
        case .peArts: return "PE and arts teachers per 100 pupils"
        case .teachingArea: return "Teaching and auxiliary floor area per pupil"
        case .sportsArea: return "Sports ground area per pupil"
        case .equipment: return "Teaching equipment value per pupil"
        case .multimedia: return "Multimedia classrooms per 100 pupils"
        case .books: return "Library books per pupil"
        }
    }

    var factor: Factor {
        switch self {
        case .higherQualified, .backbone, .peArts, .multimedia: return .perHundred
        case .teachingArea, .sportsArea, .equipment, .books: return .ratio
        }
    }

    var unitLabel: String {
        switch self {
        case .higherQualified, .backbone, .peArts: return "人"
        case .multimedia: return "间"
        case .teachingArea, .sportsArea: return "平方米"
        case .equipment: return "元"
        case .books: return "册"
        }
    }

    var numeratorText: String {
        switch self {
        case .higherQualified: return "专任教师中最高学历高于规定学历者（小学：专科及以上；初中：本科及以上）"
        case .backbone: return "专任教师中标记为县级及以上骨干教师者"
        case .peArts: return "专任教师中任教学科含体育（体育与健康）、音乐、美术或艺术者"
        case .teachingArea: return "学校填报的教学及辅助用房面积（平方米）"
        case .sportsArea: return "学校填报的体育运动场馆面积（平方米）"
        case .equipment: return "学校填报的教学仪器设备值（元）"
        case .multimedia: return "学校填报的网络多媒体教室间数"
        case .books: return "学校填报的图书册数"
        }
    }

    /// Teacher-based items come from the staff records; the rest from the school's resource report.
    var fromStaff: Bool { self == .higherQualified || self == .backbone || self == .peArts }

    static let peArtsSubjects: Set<String> = ["体育", "体育与健康", "音乐", "美术", "艺术"]

    func teacherCounts(_ m: StaffFact, _ stage: BalanceStage) -> Bool {
        guard m.post == .fullTimeTeacher else { return false }
        switch self {
        case .higherQualified: return m.qualification >= (stage == .primary ? .associate : .bachelor)
        case .backbone: return m.backbone
        case .peArts: return m.subjects.contains { Self.peArtsSubjects.contains($0) }
        default: return false
        }
    }

    func amount(_ r: SchoolResources) -> Double {
        switch self {
        case .teachingArea: return r.teachingArea
        case .sportsArea: return r.sportsArea
        case .equipment: return Double(r.equipmentValue.fen) / 100
        case .multimedia: return Double(r.multimediaClassrooms)
        case .books: return Double(r.books)
        default: return 0
        }
    }
}

/// The 差异系数 and the per-school check.
public enum Balance {
    /// Enrolment-weighted coefficient of variation: CV = √(Σ (nᵢ/N)(xᵢ − x̄)²) / x̄, where xᵢ is
    /// school i's per-student value, nᵢ its students, N = Σ nᵢ and x̄ = Σ nᵢxᵢ / N, the
    /// county's total resource per student — not the plain mean of the xᵢ.
    /// `nil` when there are no students or the county has none of the resource.
    public static func coefficientOfVariation(students n: [Double], perStudent x: [Double]) -> Double? {
        let total = n.reduce(0, +)
        guard total > 0, n.count == x.count else { return nil }
        let mean = zip(n, x).reduce(0) { $0 + $1.0 * $1.1 } / total
        guard mean > 0 else { return nil }
        let variance = zip(n, x).reduce(0) { $0 + ($1.0 / total) * ($1.1 - mean) * ($1.1 - mean) }
        return variance.squareRoot() / mean
    }

    /// The same from totals: students and total resource per school.
    public static func coefficientOfVariation(students n: [Int], resource r: [Double]) -> Double? {
        let x = zip(n, r).map { $0.0 > 0 ? $0.1 / Double($0.0) : 0 }
        return coefficientOfVariation(students: n.map(Double.init), perStudent: x)
    }

    /// One school's seven figures against the standards.
    public struct SchoolCheck: Sendable, Hashable {
        /// Per item (the seven, in `BalanceItem` order): the figure and whether it reaches the standard.
        public var figures: [(item: BalanceItem, value: Double, reached: Bool)]
        public var reachedCount: Int { figures.filter(\.reached).count }
        /// 6 of 7 reached and the rest at least 85% of its standard.
        public var passes: Bool

        public static func == (a: SchoolCheck, b: SchoolCheck) -> Bool {
            a.passes == b.passes && a.figures.map(\.value) == b.figures.map(\.value)
        }
        public func hash(into h: inout Hasher) { h.combine(passes); h.combine(figures.map(\.value)) }
    }

    /// Judges the seven figures: at least six reach the standard and none is below 85% of it.
    public static func judge(stage: BalanceStage, values: [BalanceItem: Double]) -> SchoolCheck {
        var figures: [(item: BalanceItem, value: Double, reached: Bool)] = []
        var allAbove85 = true
        for item in BalanceItem.allCases where item.isStandard {
            let v = values[item] ?? 0
            let standard = item.standard(stage) ?? 0
            let reached = v >= standard - 1e-9
            if v < standard * 0.85 - 1e-9 { allAbove85 = false }
            figures.append((item, v, reached))
        }
        let reachedCount = figures.filter(\.reached).count
        return SchoolCheck(figures: figures, passes: reachedCount >= 6 && allAbove85)
    }

    /// The check of the school at unit `school` from the computed per-school figures; `nil`
    /// when the school has no pupils of the stage.
    static func check(stage: BalanceStage, school unit: Int,
                      results: [String: (num: [Double], den: [Double]?, value: [Double?])]) -> SchoolCheck? {
        var values: [BalanceItem: Double] = [:]
        for item in BalanceItem.allCases where item.isStandard {
            guard let r = results[item.id(stage)], let v = r.value[unit] else { return nil }
            values[item] = v
        }
        return judge(stage: stage, values: values)
    }
}

extension IndicatorRegistry {
    /// 均衡: per-student resources per school, their 差异系数 and the per-school check.
    ///
    /// A 教学点 counts with its central school. A school teaching both stages (九年一贯制,
    /// 完全中学) enters each stage with its own pupils of that stage, and its resources and
    /// teachers are divided between the stages in proportion to its pupils, so its per-student
    /// figure is the same in both.
    static let balance: [Indicator] = {
        var list: [Indicator] = []
        for stage in BalanceStage.allCases {
            for item in BalanceItem.allCases {
                let standardText = item.standard(stage).map { "国家标准（2017）：\(stage.name)达到\(BalanceDefinitionText.number($0))\(item.unitLabel)以上" }
                list.append(.additive(IndicatorDefinition(
                    id: item.id(stage), nameZH: "\(stage.name)\(item.nameZH)", nameEN: "\(item.nameEN), \(stage.rawValue)",
                    category: "均衡", numerator: item.numeratorText + "（兼有两个学段的学校按学生比例分摊）",
                    denominator: "9月1日\(stage.name)在校生数", reference: .stock,
                    records: "教学点并入中心校计算；办学条件取当年填报数，教师取9月1日在职专任教师",
                    factor: item.factor, precision: 2, unitLabel: item.unitLabel, standard: standardText)) { ctx, year, t in
                    balanceFigures(ctx, year, t, stage: stage, item: item)
                })
                list.append(Indicator(
                    definition: IndicatorDefinition(
                        id: item.cvID(stage), nameZH: "\(stage.name)\(item.nameZH)差异系数",
                        nameEN: "Coefficient of variation: \(item.nameEN), \(stage.rawValue)", category: "均衡",
                        numerator: "√(Σ(nᵢ/N)(xᵢ−x̄)²)：各校生均值xᵢ与全域生均值x̄之差的平方按在校生数nᵢ加权",
                        denominator: "x̄ = 全域资源总量 ÷ 全域在校生数N（不是各校生均值的简单平均）", reference: .stock,
                        records: "单位内有\(stage.name)在校生的学校（教学点并入中心校）；分子一栏为参与计算的学校数",
                        factor: .ratio, precision: 3, levels: [.district, .township, .zone, .group],
                        standard: "差异系数\(stage.name)不高于\(BalanceDefinitionText.number(stage.limit))"),
                    computation: .dispersion(of: item.id(stage))))
            }
            list.append(Indicator(
                definition: IndicatorDefinition(
                    id: "balance.\(stage.rawValue).schools_passing", nameZH: "\(stage.name)优质均衡办学条件达标学校比例",
                    nameEN: "Schools meeting the resource standards, \(stage.rawValue)", category: "均衡",
                    numerator: "七项指标中至少六项达到国家标准、其余一项不低于标准85%的学校数",
                    denominator: "有\(stage.name)在校生的学校数（教学点并入中心校）", reference: .stock,
                    records: "在学校一级为100%（达标）或0%（未达标）", factor: .percent, precision: 2,
                    standard: "每所学校至少6项达标，余项不低于85%"),
                computation: .balancePass(stage)))
        }
        return list
    }()

    /// Adds one item's resource (numerator) and pupils (denominator) to each host school.
    static func balanceFigures(_ ctx: Context, _ year: Int, _ t: Tally, stage: BalanceStage, item: BalanceItem) {
        var stagePupils = [Int](repeating: 0, count: ctx.schools.count)
        var allPupils = [Int](repeating: 0, count: ctx.schools.count)
        if !t.isDrilling, let counted = ctx.hostPupils(year), let byStage = counted.byStage[stage.stage] {
            // The same counts as the loop below, taken once per year for every item.
            allPupils = counted.all
            stagePupils = byStage
        } else {
            for i in ctx.stock(year) {
                let host = ctx.balanceHost[Int(ctx.enrolmentSchool[Int(i)])]
                allPupils[host] += 1
                if ctx.enrolments[Int(i)].grade.stage == stage.stage {
                    stagePupils[host] += 1
                    // Pupils one by one only when their records are wanted; otherwise per school.
                    if t.isDrilling { t.den(school: host, ctx.ref(student: i)) }
                }
            }
        }
        if !t.isDrilling {
            for (host, n) in stagePupils.enumerated() where n > 0 {
                t.den(school: host, RecordRef(.school, ctx.schools[host].id.rawValue), Double(n))
            }
        }
        func share(_ host: Int) -> Double {
            allPupils[host] > 0 ? Double(stagePupils[host]) / Double(allPupils[host]) : 0
        }
        if item.fromStaff {
            for (m, s) in ctx.staff(on: year) where item.teacherCounts(m, stage) {
                let host = ctx.balanceHost[s]
                if stagePupils[host] > 0 { t.num(school: host, RecordRef(.staff, m.id.rawValue), share(host)) }
            }
        } else {
            for r in ctx.facts.resources where r.year.startYear == year {
                guard let s = ctx.schoolIndex[r.schoolID] else { continue }
                let host = ctx.balanceHost[s]
                if stagePupils[host] > 0 {
                    t.num(school: host, RecordRef(.resources, r.schoolID.rawValue), item.amount(r) * share(host))
                }
            }
        }
    }
}

enum BalanceDefinitionText {
    static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : IndicatorDefinition.fixed(v, 2).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
