import Foundation

/// 性别, as the national student and staff records code it.
public enum Gender: String, Sendable, Codable, CaseIterable, Hashable {
    case male = "男"
    case female = "女"

    /// National code: 1 = 男, 2 = 女 (GB/T 2261.1).
    public var code: Int { self == .male ? 1 : 2 }

    /// Accepts 男/女, M/F, male/female, 1/2 — the spellings found in bureau spreadsheets.
    public init?(text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "男", "m", "male", "1": self = .male
        case "女", "f", "female", "2": self = .female
        default: return nil
        }
    }
}
