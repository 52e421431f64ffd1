import EduLedgerIndicators

/// What a clerk may write inside `{…}`: indicator names as the registry spells them, or a short
/// name with 学段=/年级= (在校生数 学段=小学 → 小学在校生数), the report's keywords, and money.
public enum ReportVocabulary {
    /// Money the records hold exactly (in 分), printed in 元/万元 with the decimals asked for.
    public struct MoneyMeasure: Sendable, Hashable, Codable {
        public var id: String
        public var nameZH: String
        public var definition: String
    }

    public static let moneyMeasures: [MoneyMeasure] = [
        MoneyMeasure(id: "money.equipment", nameZH: "教学仪器设备值",
                     definition: "各校当年填报的教学仪器设备值之和（按分精确累加，打印时只舍入一次）"),
    ]

    /// Stage names a clerk writes after 学段= and how the registry's names begin.
    static let stages: [String: String] = [
        "学前": "学前", "幼儿园": "学前", "小学": "小学", "初中": "初中", "高中": "普通高中", "普通高中": "普通高中",
        "中职": "中职", "义务教育": "义务教育",
    ]
    static let grades = ["小班", "中班", "大班", "一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级",
                         "九年级", "高一", "高二", "高三"]

    /// Parameter names a reference may carry.
    static let parameterNames: Set<String> = ["学段", "年级", "小数", "单位", "年数"]

    /// One entry of the browser's indicator picker.
    public struct Entry: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var category: String
        /// What the picker inserts.
        public var insert: String
    }

    /// Every indicator and money measure, in registry order, for the picker.
    public static var entries: [Entry] {
        IndicatorEngine.definitions.map { Entry(id: $0.id, name: $0.nameZH, category: $0.category, insert: "{\($0.nameZH)}") }
            + moneyMeasures.map { Entry(id: $0.id, name: $0.nameZH, category: "经费", insert: "{\($0.nameZH) 单位=万元 小数=2}") }
            + FigureReference.Keyword.allCases.map { Entry(id: "keyword." + $0.rawValue, name: $0.rawValue, category: "报告期", insert: "{\($0.rawValue)}") }
    }

    /// The indicator a name and its 学段/年级 stand for, or why none does.
    static func resolve(name: String, stage: String?, grade: String?) -> Result<String, ResolveError> {
        let defs = IndicatorEngine.definitions
        if stage == nil, grade == nil, let d = defs.first(where: { $0.nameZH == name || $0.id == name }) { return .success(d.id) }
        let qualifier = grade ?? stage.flatMap { stages[$0] } ?? ""
        if !qualifier.isEmpty, let d = defs.first(where: { $0.nameZH == qualifier + name }) { return .success(d.id) }
        // Names that contain both the qualifier and the short name; prefer those that begin with the
        // qualifier, then those without a parenthesised variant (UIS …), then the shortest.
        let candidates = defs.filter { $0.nameZH.contains(name) && (qualifier.isEmpty || $0.nameZH.contains(qualifier)) }
        guard !candidates.isEmpty else {
            let hint = defs.filter { d in name.count >= 2 && d.nameZH.contains(String(name.suffix(2))) }.prefix(3).map(\.nameZH)
            return .failure(.unknown(hint: Array(hint)))
        }
        func score(_ n: String) -> (Int, Int, Int) {
            (qualifier.isEmpty || n.hasPrefix(qualifier) ? 0 : 1, n.contains("（") ? 1 : 0, n.count)
        }
        let sorted = candidates.sorted { score($0.nameZH) < score($1.nameZH) }
        if sorted.count > 1, score(sorted[0].nameZH) == score(sorted[1].nameZH) {
            return .failure(.ambiguous(sorted.prefix(4).map(\.nameZH)))
        }
        return .success(sorted[0].id)
    }

    enum ResolveError: Error {
        case unknown(hint: [String])
        case ambiguous([String])
    }
}
