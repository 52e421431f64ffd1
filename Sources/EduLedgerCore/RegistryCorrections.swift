import Foundation

/// Corrections of schools, classes and staff: what a clerk may change in place, and the fields
/// that only change through their own procedure.
///
/// A school's 学校标识码, type, opening, closure and merger, and a staff member's 教职工号,
/// identity and school are identities or history that other records and the statistics hang on
/// (a merger moves students, a school-type change decides which grades it may teach). Changing
/// them in an edit form would silently rewrite the past, so the corrections below refuse them
/// with the reason and the place where they are done instead.
extension RegistryService {
    /// Corrects a school's descriptive fields (name, address, ownership, 城乡 category, school zone,
    /// campuses, central school of a 教学点). The audit log keeps the old values.
    public func correct(_ school: School, by user: ActingUser) async throws {
        let record = "学校“\(school.name)”"
        let name = school.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty { throw RegistryError.required(record: "学校", field: "学校名称") }
        if name.count > 60 {
            throw RegistryError.invalidValue(record: record, field: "学校名称", value: String(name.prefix(20)) + "…", reason: "不能超过60个字")
        }
        try await store.write(by: user) { tx in
            guard let before = try await tx.school(id: school.id) else {
                throw RegistryError.notFound(kind: "学校", key: school.code)
            }
            let procedural: [(String, Bool)] = [
                ("学校标识码", before.code != school.code), ("办学类型", before.type != school.type),
                ("开办日期", before.opened != school.opened), ("停办日期", before.closed != school.closed),
                ("撤并去向", before.mergedIntoID != school.mergedIntoID), ("所属乡镇", before.townshipID != school.townshipID),
            ]
            if let changed = procedural.first(where: \.1) {
                throw RegistryError.invalidValue(record: record, field: changed.0, value: "",
                                                 reason: "须通过学校设立、变更或撤并程序办理，不能在信息更正中修改")
            }
            if let zone = school.zoneID, !(try await tx.schoolZones().contains { $0.id == zone }) {
                throw RegistryError.notFound(kind: "学区", key: zone.description)
            }
            if let central = school.centralSchoolID {
                if central == school.id {
                    throw RegistryError.invalidValue(record: record, field: "中心校", value: school.name, reason: "不能是学校自身")
                }
                guard let c = try await tx.school(id: central) else { throw RegistryError.notFound(kind: "中心校", key: central.description) }
                if c.centralSchoolID != nil {
                    throw RegistryError.invalidValue(record: record, field: "中心校", value: c.name, reason: "该校本身是教学点，不能作为中心校")
                }
            }
            var corrected = school
            corrected.name = name
            corrected.address = school.address.trimmingCharacters(in: .whitespacesAndNewlines)
            try await tx.update(corrected)
        }
    }

    /// Assigns (or clears) a class's 班主任. The teacher must work at the class's school, be
    /// employed on the day it is assigned, and be a 专任教师.
    public func assignHeadTeacher(classID: ClassID, teacher: StaffID?, on date: CivilDate, by user: ActingUser) async throws -> SchoolClass {
        try await store.write(by: user) { tx in
            guard var c = try await tx.schoolClass(id: classID) else { throw RegistryError.notFound(kind: "班级", key: classID.description) }
            if let teacher {
                guard let m = try await tx.staffMember(id: teacher) else { throw RegistryError.notFound(kind: "教职工", key: teacher.description) }
                let record = "班级“\(c.name)”"
                guard m.schoolID == c.schoolID else {
                    throw RegistryError.invalidValue(record: record, field: "班主任", value: m.name, reason: "不是本校教职工")
                }
                guard m.isEmployed(on: date) else {
                    throw RegistryError.invalidValue(record: record, field: "班主任", value: m.name, reason: "\(date.chinese)不在职")
                }
                guard m.post == .fullTimeTeacher else {
                    throw RegistryError.invalidValue(record: record, field: "班主任", value: m.name, reason: "班主任须由专任教师担任（其岗位为\(m.post.rawValue)）")
                }
            }
            c.headTeacherID = teacher
            try await tx.update(c)
            return c
        }
    }

    /// Corrects a staff member's fields (name, post, 编制, qualification, title, subjects,
    /// certificate, 骨干, leaving date). Their 教职工号, identity and school change only through
    /// 人事调动, which keeps the history.
    public func correct(_ member: StaffMember, by user: ActingUser) async throws {
        try RegistryRules.check(staff: member)
        try await store.write(by: user) { tx in
            guard let before = try await tx.staffMember(id: member.id) else {
                throw RegistryError.notFound(kind: "教职工", key: member.staffNumber)
            }
            let record = "教职工“\(before.name)”"
            let procedural: [(String, Bool)] = [
                ("教职工号", before.staffNumber != member.staffNumber), ("身份证号", before.residentID != member.residentID),
                ("出生日期", before.birthDate != member.birthDate), ("性别", before.gender != member.gender),
                ("所在学校", before.schoolID != member.schoolID), ("入职日期", before.hired != member.hired),
            ]
            if let changed = procedural.first(where: \.1) {
                throw RegistryError.invalidValue(record: record, field: changed.0, value: "",
                                                 reason: "须通过人事调动或身份信息变更程序办理，不能在信息更正中修改")
            }
            try await tx.update(member)
        }
    }
}
