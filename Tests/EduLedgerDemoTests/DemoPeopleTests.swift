import EduLedgerCore
@testable import EduLedgerDemo
import Testing

@Suite("Demo district: people")
struct DemoPeopleTests {
    let demo = DemoOutput.district

    @Test("resident IDs are valid, unique and agree with birth date and gender; 学籍号 follows them")
    func residentIDs() throws {
        var seen = Set<String>()
        var withoutID = 0
        for s in demo.allStudents {
            if let id = s.residentID {
                let parsed = try ResidentID(id.value)
                #expect(parsed.birthDate == s.birthDate && parsed.gender == s.gender)
                #expect(ResidentID.validate(id.value) == nil)
                #expect(s.studentNumber == "G" + id.value)
                #expect(seen.insert(id.value).inserted, "duplicate \(id.value)")
            } else {
                withoutID += 1
                #expect(s.studentNumber.hasPrefix("L") && s.studentNumber.count == 18)
            }
        }
        for m in demo.allStaff {
            let id = try #require(m.residentID)
            #expect(try ResidentID(id.value).birthDate == m.birthDate && id.gender == m.gender)
            #expect(seen.insert(id.value).inserted, "duplicate \(id.value)")
        }
        let share = Double(withoutID) / Double(demo.allStudents.count)
        #expect(share > 0.001 && share < 0.006, "\(share)")
        #expect(Set(demo.allStudents.map(\.studentNumber)).count == demo.allStudents.count)
        #expect(Set(demo.allStaff.map(\.staffNumber)).count == demo.allStaff.count)
        let local = demo.allStudents.compactMap(\.residentID).filter { $0.regionCode == "431102" }.count
        #expect(Double(local) / Double(demo.allStudents.count) > 0.8)
    }

    @Test("ages fit the grades: 一年级 mostly 6 on 9月1日, a few 7")
    func agesPerGrade() throws {
        let ref = day(2026, 9, 1)
        let special = Set(demo.schools.values.filter { $0.type == .special }.map(\.id))
        var byGrade: [GradeLevel: [Int]] = [:]
        for e in demo.enrolled(on: ref) where !special.contains(e.schoolID) {
            let s = try #require(demo.students[e.studentID])
            byGrade[e.grade, default: []].append(s.birthDate.age(on: ref))
        }
        for g in GradeLevel.allCases {
            let ages = try #require(byGrade[g], "no pupils in \(g.name)")
            let typical = ages.filter { $0 == g.typicalAge }.count
            let share = Double(typical) / Double(ages.count)
            #expect(share > 0.8 && share < 0.995, "\(g.name): \(share)")
            #expect(ages.allSatisfy { $0 >= g.typicalAge && $0 <= g.typicalAge + 4 }, "\(g.name)")
        }
        let p1 = try #require(byGrade[.p1])
        #expect(p1.filter { $0 == 7 }.count > 0)
        // Birth dates spread over the whole year.
        let months = Set(demo.allStudents.map(\.birthDate.month))
        #expect(months.count == 12)
    }

    @Test("names: census-like surnames, some duplicate names, twins in the same school and grade")
    func namesAndTwins() throws {
        let names = demo.allStudents.map(\.name)
        let wang = names.filter { $0.hasPrefix("王") }.count
        let share = Double(wang) / Double(names.count)
        #expect(share > 0.05 && share < 0.1, "王: \(share)")
        #expect(names.allSatisfy { (2...4).contains($0.count) })
        #expect(Set(names).count < names.count)
        let ref = day(2026, 9, 1)
        var groups: [String: Int] = [:]
        for e in demo.enrolled(on: ref) {
            let s = try #require(demo.students[e.studentID])
            groups["\(s.name.prefix(1))|\(s.birthDate)|\(e.schoolID)|\(e.grade)", default: 0] += 1
        }
        #expect(groups.values.filter { $0 >= 2 }.count >= 20)
        let ethnic = demo.allStudents.filter { $0.ethnicity != "汉族" }.count
        #expect(ethnic > 0 && Double(ethnic) / Double(names.count) < 0.08)
    }

    @Test("flags at realistic rates")
    func flags() throws {
        let ref = day(2026, 9, 1)
        var rural = 0, ruralLeft = 0, urban = 0, urbanMigrant = 0, all = 0, disabled = 0, inclusive = 0, poor = 0
        var ruralJunior = 0, ruralJuniorBoarding = 0
        for e in demo.enrolled(on: ref) {
            let s = try #require(demo.students[e.studentID])
            let school = try #require(demo.schools[e.schoolID])
            all += 1
            if s.flags.disability != nil { disabled += 1 }
            if s.flags.inclusiveClass { inclusive += 1; #expect(s.flags.disability != nil && school.type != .special) }
            if s.flags.poverty != nil { poor += 1 }
            #expect(!(s.flags.leftBehind && s.flags.migrantWorkerChild))
            guard [.preschool, .primary, .junior].contains(e.grade.stage) else { continue }
            if school.urbanRural == .rural {
                rural += 1
                if s.flags.leftBehind { ruralLeft += 1 }
                if e.grade.stage == .junior { ruralJunior += 1; if s.flags.boarding { ruralJuniorBoarding += 1 } }
            }
            if school.urbanRural == .urban {
                urban += 1
                if s.flags.migrantWorkerChild { urbanMigrant += 1; #expect(s.hukouTownshipID == nil) }
            }
        }
        func rate(_ a: Int, _ b: Int) -> Double { Double(a) / Double(max(b, 1)) }
        #expect((0.1...0.2).contains(rate(ruralLeft, rural)), "留守 \(rate(ruralLeft, rural))")
        #expect((0.07...0.16).contains(rate(urbanMigrant, urban)), "随迁 \(rate(urbanMigrant, urban))")
        #expect((0.006...0.016).contains(rate(disabled, all)), "残疾 \(rate(disabled, all))")
        #expect(inclusive * 2 > disabled)
        #expect((0.015...0.045).contains(rate(poor, all)), "困难 \(rate(poor, all))")
        #expect((0.18...0.45).contains(rate(ruralJuniorBoarding, ruralJunior)), "寄宿 \(rate(ruralJuniorBoarding, ruralJunior))")
    }

    @Test("staff: posts, qualifications, titles, certificates of the right level, hires and leavers")
    func staff() throws {
        let ref = day(2026, 9, 1)
        let teachers = demo.allStaff.filter { $0.post == .fullTimeTeacher && $0.isEmployed(on: ref) }
        let bachelorOrMore = teachers.filter { $0.qualification >= .bachelor }.count
        #expect(Double(bachelorOrMore) / Double(teachers.count) > 0.6)
        #expect(teachers.contains { $0.qualification == .master } && teachers.contains { $0.qualification == .associate })
        let backbone = Double(teachers.filter(\.backbone).count) / Double(teachers.count)
        #expect(backbone > 0.06 && backbone < 0.15, "骨干 \(backbone)")
        for t in teachers {
            let school = try #require(t.schoolID.flatMap { demo.schools[$0] })
            #expect(!t.subjects.isEmpty)
            guard let cert = t.certificate else { continue }
            #expect(cert.number.count == 17)
            switch school.type {
            case .kindergarten: #expect(cert.level == .kindergarten)
            case .seniorSecondary: #expect(cert.level == .senior)
            case .primary: #expect(cert.level == .primary || cert.level == .junior)
            default: break
            }
        }
        #expect(Double(teachers.filter { $0.certificate != nil }.count) / Double(teachers.count) > 0.9)
        for y in 2022...2026 {
            #expect(demo.allStaff.contains { $0.hired == day(y, 9, 1) }, "no hires in \(y)")
        }
        let leavers = demo.allStaff.filter { $0.left.map { $0 > day(2022, 9, 1) && $0 <= ref } ?? false }
        #expect(leavers.count > 100)
        #expect(Set(TitlesSeen(teachers).titles).isSuperset(of: [.second, .first, .senior, .none]))
        // Nobody is hired before the school opened; the merged school's staff are gone after it closed.
        for m in demo.allStaff {
            let school = try #require(m.schoolID.flatMap { demo.schools[$0] })
            #expect(m.hired >= school.opened, "\(m.name) hired \(m.hired) before \(school.name) opened")
            if let closed = school.closed { #expect(m.left.map { $0 <= closed.adding(days: 1) } ?? false) }
            let age = m.birthDate.age(on: m.hired)
            // Only a school founded late hires experienced people in their fifties (on its first day).
            #expect(age >= 21 && (age <= 45 || m.hired == school.opened), "\(m.name) hired at \(age)")
        }
        let kindergartenTeachers = teachers.filter { demo.schools[$0.schoolID ?? SchoolID(0)]?.type == .kindergarten }
        #expect(Double(kindergartenTeachers.filter { $0.gender == .female }.count) / Double(kindergartenTeachers.count) > 0.9)
    }
}

struct TitlesSeen {
    let titles: [ProfessionalTitle]
    init(_ staff: [StaffMember]) { titles = staff.map(\.title) }
}
