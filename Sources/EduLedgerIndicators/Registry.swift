import EduLedgerCore

/// The registry: every indicator in report order. Each category lives in its own file, each
/// definition directly above the closure that computes it.
enum IndicatorRegistry {
    static let all: [Indicator] = scale + classSize + access + flows + staffing + balance + casework + draws

    static let byID: [String: Indicator] = {
        var map: [String: Indicator] = [:]
        for i in all { map[i.definition.id] = i }
        return map
    }()
}

extension Indicator {
    static func additive(_ d: IndicatorDefinition, _ body: @escaping @Sendable (Context, Int, Tally) -> Void) -> Indicator {
        Indicator(definition: d, computation: .additive(body))
    }
}

/// Stable English keys for ids (`students.grade.p1`), since the grades' raw values are Chinese.
extension GradeLevel {
    var key: String {
        switch self {
        case .k1: return "k1"
        case .k2: return "k2"
        case .k3: return "k3"
        case .p1: return "p1"
        case .p2: return "p2"
        case .p3: return "p3"
        case .p4: return "p4"
        case .p5: return "p5"
        case .p6: return "p6"
        case .j1: return "j1"
        case .j2: return "j2"
        case .j3: return "j3"
        case .s1: return "s1"
        case .s2: return "s2"
        case .s3: return "s3"
        case .v1: return "v1"
        case .v2: return "v2"
        case .v3: return "v3"
        }
    }
}

extension Stage {
    var key: String {
        switch self {
        case .preschool: return "preschool"
        case .primary: return "primary"
        case .junior: return "junior"
        case .senior: return "senior"
        case .vocational: return "vocational"
        }
    }
    var english: String {
        switch self {
        case .preschool: return "pre-primary"
        case .primary: return "primary"
        case .junior: return "lower secondary"
        case .senior: return "general upper secondary"
        case .vocational: return "secondary vocational"
        }
    }
    var isCompulsory: Bool { self == .primary || self == .junior }
}

/// Ages on 9月1日 that the statistics treat as the official age of a stage.
enum OfficialAge {
    static let preschool = 3...5
    static let primary = 6...11
    static let junior = 12...14
    static let compulsory = 6...14
}
