import EduLedgerCore
import Foundation

/// A small hand-made district for tests: two townships, a primary school, a junior school,
/// a school already merged away, one class per grade of 2025, a teacher.
public struct SmallDistrict: Sendable {
    public let primary: School
    public let junior: School
    public let closedSchool: School
    public let primaryClass: SchoolClass
    public let juniorClass: SchoolClass
    public static let year = SchoolYear(2025)
    public static let day = CivilDate(year: 2025, month: 9, day: 1)!

    /// Builds it through the registry service, so the same rules apply as for a user.
    public static func make(in store: some RegistryStore) async throws -> SmallDistrict {
        let admin = ActingUser(login: "test-admin", displayName: "测试管理员")
        let ids = try await store.write(by: admin) { tx in
            _ = try await tx.insert(District(id: .unsaved, code: "431102", name: "测试区"))
            let t1 = try await tx.insert(Township(id: .unsaved, code: "431102001", name: "东城街道", kind: .street))
            _ = try await tx.insert(Township(id: .unsaved, code: "431102101", name: "王家镇", kind: .town))
            return t1.id
        }
        let service = RegistryService(store: store)
        let opened = CivilDate(year: 1990, month: 9, day: 1)!
        let primary = try await service.addSchool(School(
            id: .unsaved, code: "2143110201", name: "东城第一小学", type: .primary, ownership: .publicSchool,
            urbanRural: .urban, townshipID: ids, opened: opened), by: admin)
        let junior = try await service.addSchool(School(
            id: .unsaved, code: "2143110202", name: "东城中学", type: .juniorSecondary, ownership: .publicSchool,
            urbanRural: .urban, townshipID: ids, opened: opened), by: admin)
        var closed = try await service.addSchool(School(
            id: .unsaved, code: "2143110203", name: "李村小学", type: .primary, ownership: .publicSchool,
            urbanRural: .rural, townshipID: ids, opened: opened), by: admin)
        closed.closed = CivilDate(year: 2024, month: 8, day: 31)
        closed.mergedIntoID = primary.id
        let closedSchool = closed
        try await store.write(by: admin) { tx in try await tx.update(closedSchool) }
        let pc = try await service.addClass(schoolCode: primary.code, year: year, grade: .p1, number: 1, by: admin)
        let jc = try await service.addClass(schoolCode: junior.code, year: year, grade: .j1, number: 1, by: admin)
        return SmallDistrict(primary: primary, junior: junior, closedSchool: closed, primaryClass: pc, juniorClass: jc)
    }

    /// A valid student born on `birth`, with a resident ID computed for that date.
    public static func student(name: String, birth: CivilDate, sequence: Int) -> Student {
        let rid = ResidentID.make(regionCode: "431102", birthDate: birth, sequence: sequence)
        return Student(id: .unsaved, studentNumber: "G" + (rid?.value ?? "\(sequence)"), name: name,
                       gender: sequence % 2 == 1 ? .male : .female, birthDate: birth, residentID: rid)
    }
}
