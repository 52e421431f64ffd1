import EduLedgerCore
import Foundation
import Testing
@testable import EduLedgerWeb

@Suite("Access policy, tokens and student edits (pure)")
struct PolicyTests {
    let t1 = TownshipID(1), t2 = TownshipID(2)
    let z1 = SchoolZoneID(7)
    var schools: [School] {
        let opened = CivilDate(year: 2000, month: 9, day: 1)!
        return [
            School(id: SchoolID(1), code: "1", name: "甲校", type: .primary, ownership: .publicSchool, urbanRural: .urban, townshipID: t1, zoneID: z1, opened: opened),
            School(id: SchoolID(2), code: "2", name: "甲校教学点", type: .primary, ownership: .publicSchool, urbanRural: .rural, townshipID: t1,
                   centralSchoolID: SchoolID(1), opened: opened),
            School(id: SchoolID(3), code: "3", name: "乙校", type: .primary, ownership: .publicSchool, urbanRural: .rural, townshipID: t2, zoneID: z1, opened: opened),
        ]
    }

    @Test func readableSchoolsFollowTheHierarchy() {
        #expect(AccessPolicy.readableSchools(scope: .district, schools: schools) == nil)
        #expect(AccessPolicy.readableSchools(scope: .township(t1), schools: schools) == [SchoolID(1), SchoolID(2)])
        #expect(AccessPolicy.readableSchools(scope: .township(TownshipID(99)), schools: schools) == [])
        #expect(AccessPolicy.readableSchools(scope: .zone(z1), schools: schools) == [SchoolID(1), SchoolID(3)])
        #expect(AccessPolicy.readableSchools(scope: .school(SchoolID(1)), schools: schools) == [SchoolID(1), SchoolID(2)])
        #expect(AccessPolicy.readableSchools(scope: .school(SchoolID(3)), schools: schools) == [SchoolID(3)])
    }

    @Test func rolesThatMayNever() {
        #expect(Role.allCases.filter { AccessPolicy.may($0, .viewAudit) } == [.admin])
        #expect(Set(Role.allCases.filter { AccessPolicy.may($0, .editStudents) }) == [.admin, .basicEducation, .principal, .registrar])
        // Everyone who may edit may also read.
        for role in Role.allCases where AccessPolicy.may(role, .editStudents) { #expect(AccessPolicy.may(role, .viewStudents)) }
        #expect(!AccessPolicy.may(.inspector, .viewStudents))
        #expect(!AccessPolicy.may(.safetyOfficer, .viewStudents))
        #expect(!AccessPolicy.may(.registrar, .viewStaff))
        #expect(Role.allCases.allSatisfy { AccessPolicy.may($0, .viewSchools) })
    }

    @Test func aStudentBelongsToTheSchoolOfTheirLatestEnrolment() {
        let d1 = CivilDate(year: 2023, month: 9, day: 1)!, d2 = CivilDate(year: 2025, month: 2, day: 10)!
        let history = [
            Enrolment(id: EnrolmentID(1), studentID: StudentID(1), schoolID: SchoolID(3), grade: .p1, classID: nil, from: d1, until: d2,
                      entry: .intake, exit: .transferredOut),
            Enrolment(id: EnrolmentID(2), studentID: StudentID(1), schoolID: SchoolID(1), grade: .p2, classID: nil, from: d2, entry: .transferIn),
        ]
        #expect(AccessPolicy.owningSchool(of: history) == SchoolID(1))
        #expect(AccessPolicy.mayRead(studentEnrolments: history, readable: [SchoolID(1)]))
        #expect(!AccessPolicy.mayRead(studentEnrolments: history, readable: [SchoolID(3)]))
        #expect(!AccessPolicy.mayRead(studentEnrolments: [], readable: [SchoolID(3)]))
        #expect(AccessPolicy.mayRead(studentEnrolments: history, readable: nil))
    }

    @Test func accountChecks() throws {
        try AccessPolicy.check(login: "registrar-2143110201", role: .registrar, scope: .school(SchoolID(1)))
        #expect(throws: AccountError.scopeMismatch(role: .registrar)) {
            try AccessPolicy.check(login: "registrar-x", role: .registrar, scope: .district)
        }
        #expect(throws: AccountError.invalidLogin("a b")) { try AccessPolicy.check(login: "a b", role: .admin, scope: .district) }
        #expect(throws: AccountError.self) { try AccessPolicy.check(login: "管理员", role: .admin, scope: .district) }
        #expect(throws: AccountError.self) { try AccessPolicy.check(newPassword: "short1", login: "admin") }
        #expect(throws: AccountError.self) { try AccessPolicy.check(newPassword: "onlyletterslong", login: "admin") }
        #expect(throws: AccountError.self) { try AccessPolicy.check(newPassword: "my-admin-pass-1", login: "admin") }
        try AccessPolicy.check(newPassword: "river-stone-42", login: "admin")
        #expect(AccountScope(kind: .school, placeID: nil) == nil)
        #expect(AccountScope(kind: .township, placeID: 4) == .township(TownshipID(4)))
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(Tokens.hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Tokens.hex(SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Tokens.hex(SHA256.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        let a = Tokens.random(), b = Tokens.random()
        #expect(a.count == 64 && a != b)
        #expect(Tokens.constantTimeEqual(a, a) && !Tokens.constantTimeEqual(a, b) && !Tokens.constantTimeEqual(a, "x"))
    }

    @Test func studentEditValidatesFieldByField() {
        let s = Student(id: StudentID(1), studentNumber: "L1", name: "张三", gender: .male, birthDate: CivilDate(year: 2018, month: 1, day: 1)!,
                        residentID: nil)
        let ok = StudentEdit(name: " 李四 ", ethnicity: "回族", disability: "听力残疾").apply(to: s)
        #expect((try? ok.get())?.name == "李四")
        #expect((try? ok.get())?.flags.disability == .hearing)
        guard case .failure(let errors) = StudentEdit(name: "A1", ethnicity: "x", hukouType: "城市", inclusiveClass: true, poverty: "富").apply(to: s) else {
            Issue.record("expected errors"); return
        }
        #expect(errors.items.map(\.field) == ["name", "ethnicity", "hukouType", "poverty", "inclusiveClass"])
        if case .failure(let e) = StudentEdit.fromJSON(Data("[1,2]".utf8)) { #expect(e.items.count == 1) } else { Issue.record("array accepted") }
        if case .failure(let e) = StudentEdit.fromJSON(Data("{\"boarding\":1}".utf8)) { #expect(e.items.map(\.field) == ["boarding"]) } else {
            Issue.record("number accepted as boolean")
        }
        #expect((try? StudentEdit.fromJSON(Data("{\"boarding\":false,\"poverty\":null}".utf8)).get()) == StudentEdit(boarding: false, poverty: ""))
    }

    @Test func loginRedirectsStayOnThisSite() {
        #expect(AuthController.safeNext("/students?page=2") == "/students?page=2")
        #expect(AuthController.safeNext("//evil.example") == "/dashboard")
        #expect(AuthController.safeNext("https://evil.example") == "/dashboard")
        #expect(AuthController.safeNext("/\\evil.example") == "/dashboard")
        #expect(AuthController.safeNext(nil) == "/dashboard")
    }
}
