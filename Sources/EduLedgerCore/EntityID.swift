/// A typed database identity: a `SchoolID` cannot be passed where a `StudentID` is expected.
///
/// The value is the storage's surrogate key; records also carry the national code a clerk
/// knows (学校标识码, 学籍号, 教职工号), which is what the UI and the CLI accept.
public struct EntityID<Entity>: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
    public var description: String { String(rawValue) }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public typealias DistrictID = EntityID<District>
public typealias TownshipID = EntityID<Township>
public typealias SchoolZoneID = EntityID<SchoolZone>
public typealias SchoolID = EntityID<School>
public typealias ClassID = EntityID<SchoolClass>
public typealias StudentID = EntityID<Student>
public typealias EnrolmentID = EntityID<Enrolment>
public typealias StaffID = EntityID<StaffMember>
