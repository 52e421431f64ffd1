import Crypto

extension Roster {
    /// The canonical text of the roster that the published hash covers (format
    /// "eduledger-roster-v1", specified in README.md): everything that can change a draw, in id
    /// order, independent of the file's row order or format.
    public var canonicalText: String {
        func esc(_ s: String) -> String {
            var out = ""
            for ch in s.unicodeScalars {
                switch ch {
                case "\\": out += "\\\\"
                case "\t": out += "\\t"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case ",": out += "\\,"
                default: out.unicodeScalars.append(ch)
                }
            }
            return out
        }
        var text = "eduledger-roster-v1\n"
        text += (["scores"] + scoreColumns.map(esc)).joined(separator: "\t") + "\n"
        text += (["flags"] + flagColumns.map(esc)).joined(separator: "\t") + "\n"
        for s in students.sorted(by: { Prepared.idLess($0.id, $1.id) }) {
            var fields = [esc(s.id), esc(s.name), s.gender.rawValue]
            fields += s.scores.map(\.description)
            fields += s.flags.map { $0 ? "1" : "0" }
            fields.append(esc(s.togetherKey ?? ""))
            fields.append(s.apartKeys.map(esc).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: ","))
            fields.append(s.pinnedClass.map(String.init) ?? "")
            text += fields.joined(separator: "\t") + "\n"
        }
        return text
    }

    /// Lowercase hex SHA-256 of the UTF-8 bytes of `canonicalText`: published (先公布名单) before
    /// the seed is made, so nobody can change the roster after seeing the seed.
    public var rosterHash: String {
        SHA256.hash(data: Array(canonicalText.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// A seed made in public from several parts (numbers entered by drawn parent representatives,
/// a stated public value, …).
public enum DrawSeed {
    public static let separator = " + "

    /// Trims each part and joins them with " + " in the order given. Empty parts and parts
    /// containing "+" are refused, so every seed string has exactly one reading.
    public static func compose(parts: [String]) throws(DrawSeedError) -> String {
        if parts.isEmpty { throw DrawSeedError(message: "随机种子至少需要一个组成部分") }
        var trimmed: [String] = []
        for (i, p) in parts.enumerated() {
            let t = p.trimmingSpaces
            if t.isEmpty { throw DrawSeedError(message: "第 \(i + 1) 个种子组成部分为空") }
            if t.contains("+") { throw DrawSeedError(message: "第 \(i + 1) 个种子组成部分“\(t)”含有“+”，请去掉") }
            trimmed.append(t)
        }
        return trimmed.joined(separator: separator)
    }
}

public struct DrawSeedError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Everything an outsider needs to recompute a published draw, given the published roster.
public struct DrawRecord: Sendable, Hashable, Codable {
    public var rosterHash: String
    public var studentCount: Int
    /// Includes the seed string.
    public var settings: AssignmentSettings
    /// The public parts the seed was composed from (empty when a stated value was used as is).
    public var seedParts: [String]
    public var engineVersion: String
    /// The EduLedger release that ran the draw.
    public var softwareVersion: String
    /// When and by whom the draw was run, as the caller states them (e.g. ISO 8601 time, names).
    public var drawnAt: String
    public var drawnBy: String
    /// The result, sorted by id bytes.
    public var placements: [Placement]

    public init(
        roster: Roster, assignment: Assignment, seedParts: [String] = [], softwareVersion: String,
        drawnAt: String, drawnBy: String
    ) {
        rosterHash = roster.rosterHash
        studentCount = roster.students.count
        settings = assignment.settings
        self.seedParts = seedParts
        engineVersion = ClassAssigner.engineVersion
        self.softwareVersion = softwareVersion
        self.drawnAt = drawnAt
        self.drawnBy = drawnBy
        placements = assignment.placements
    }

    enum CodingKeys: String, CodingKey {
        case rosterHash = "roster_hash"
        case studentCount = "student_count"
        case settings
        case seedParts = "seed_parts"
        case engineVersion = "engine_version"
        case softwareVersion = "software_version"
        case drawnAt = "drawn_at"
        case drawnBy = "drawn_by"
        case placements
    }
}

/// One student whose recorded class differs from the recomputed one (nil = absent on that side).
public struct PlacementDifference: Sendable, Hashable, Codable {
    public var id: String
    public var recorded: Int?
    public var recomputed: Int?
}

/// What `DrawVerifier` found.
public enum VerificationResult: Sendable, Hashable {
    case match
    /// The roster given is not the one published before the draw.
    case rosterHashMismatch(recorded: String, computed: String)
    /// The seed string is not the composition of the recorded parts.
    case seedMismatch(recorded: String, composed: String)
    /// The record was made by other draw rules; this software cannot recompute it.
    case engineVersionMismatch(recorded: String, current: String)
    /// The draw cannot be recomputed (the roster and settings are refused).
    case cannotRecompute(message: String)
    /// Recomputed result differs: the first differences in id order, and how many in all.
    case mismatch(firstDifferences: [PlacementDifference], count: Int)

    public var isMatch: Bool { self == .match }

    /// A sentence for the auditor, in Chinese.
    public var message: String {
        switch self {
        case .match:
            return "一致：按记录的名单、参数和种子重新计算，编班结果完全相同"
        case .rosterHashMismatch(let r, let c):
            return "名单不符：记录的名单哈希为 \(r)，所给名单的哈希为 \(c)"
        case .seedMismatch(let r, let c):
            return "种子不符：记录的种子为“\(r)”，由记录的组成部分合成应为“\(c)”"
        case .engineVersionMismatch(let r, let c):
            return "编班规则版本不同：记录为 \(r)，本软件为 \(c)，请用对应版本核验"
        case .cannotRecompute(let m):
            return "无法重新计算：\(m)"
        case .mismatch(let diffs, let count):
            let shown = diffs.map { d in
                "\(d.id)：记录 \(d.recorded.map { "\($0) 班" } ?? "无")，重算 \(d.recomputed.map { "\($0) 班" } ?? "无")"
            }.joined(separator: "；")
            return "不一致：共 \(count) 名学生与重算结果不同，例如 \(shown)"
        }
    }
}

/// Recomputes a published draw and compares it with its record.
public enum DrawVerifier {
    public static let maxDifferencesShown = 10

    public static func verify(record: DrawRecord, roster: Roster) -> VerificationResult {
        let hash = roster.rosterHash
        if hash != record.rosterHash { return .rosterHashMismatch(recorded: record.rosterHash, computed: hash) }
        if !record.seedParts.isEmpty {
            let composed = (try? DrawSeed.compose(parts: record.seedParts)) ?? ""
            if composed != record.settings.seed { return .seedMismatch(recorded: record.settings.seed, composed: composed) }
        }
        if record.engineVersion != ClassAssigner.engineVersion {
            return .engineVersionMismatch(recorded: record.engineVersion, current: ClassAssigner.engineVersion)
        }
        let assignment: Assignment
        do {
            assignment = try ClassAssigner.assign(roster: roster, settings: record.settings)
        } catch {
            return .cannotRecompute(message: error.description)
        }
        return compare(recorded: record.placements, recomputed: assignment.placements)
    }

    /// Walks both lists in id-byte order (sorting them first, so a hand-edited record still compares).
    static func compare(recorded: [Placement], recomputed: [Placement]) -> VerificationResult {
        let r = recorded.sorted { Prepared.idLess($0.id, $1.id) }
        let c = recomputed.sorted { Prepared.idLess($0.id, $1.id) }
        var i = 0, j = 0
        var diffs: [PlacementDifference] = []
        var count = 0
        func note(_ d: PlacementDifference) {
            count += 1
            if diffs.count < maxDifferencesShown { diffs.append(d) }
        }
        while i < r.count || j < c.count {
            if i < r.count, j < c.count, r[i].id == c[j].id {
                if r[i].classNumber != c[j].classNumber {
                    note(PlacementDifference(id: r[i].id, recorded: r[i].classNumber, recomputed: c[j].classNumber))
                }
                i += 1
                j += 1
            } else if j >= c.count || (i < r.count && Prepared.idLess(r[i].id, c[j].id)) {
                note(PlacementDifference(id: r[i].id, recorded: r[i].classNumber, recomputed: nil))
                i += 1
            } else {
                note(PlacementDifference(id: c[j].id, recorded: nil, recomputed: c[j].classNumber))
                j += 1
            }
        }
        return count == 0 ? .match : .mismatch(firstDifferences: diffs, count: count)
    }
}
