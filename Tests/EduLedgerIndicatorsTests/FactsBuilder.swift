import EduLedgerCore
@testable import EduLedgerIndicators

func day(_ s: String) -> CivilDate { CivilDate(iso: s) ?? CivilDate(dayNumber: 0) }

/// Builds small hand-made snapshots: each test writes down exactly the records it counts.
struct FactsBuilder {
    static let t1 = TownshipID(1)
    static let t2 = TownshipID(2)
    static let zone = SchoolZoneID(1)

    var schools: [School] = []
    var classes: [SchoolClass] = []
    var students: [StudentFact] = []
    var enrolments: [Enrolment] = []
    var staff: [StaffFact] = []
    var population: [SchoolAgePopulation] = []
    var resources: [SchoolResources] = []

    @discardableResult
    mutating func school(_ id: Int64, _ type: SchoolType = .primary, township: TownshipID = t1, zone: SchoolZoneID? = zone,
                         central: Int64? = nil, ownership: Ownership = .publicSchool,
                         urbanRural: UrbanRural = .urban) -> SchoolID {
        let sid = SchoolID(id)
        schools.append(School(id: sid, code: "21431102" + (id < 10 ? "0" : "") + String(id), name: "学校\(id)", type: type,
                              ownership: ownership, urbanRural: urbanRural, townshipID: township, zoneID: zone,
                              centralSchoolID: central.map(SchoolID.init), opened: day("2000-09-01")))
        return sid
    }

    @discardableResult
    mutating func schoolClass(_ id: Int64, school: SchoolID, year: Int, grade: GradeLevel, number: Int = 1) -> ClassID {
        classes.append(SchoolClass(id: ClassID(id), schoolID: school, schoolYear: SchoolYear(year), grade: grade, number: number))
        return ClassID(id)
    }

    /// A pupil; `age` is the age on 9月1日 of `ageYear`.
    mutating func pupil(age: Int = 7, ageYear: Int = 2024, gender: Gender = .male, hukou: TownshipID? = t1,
                        flags: StudentFlags = StudentFlags()) -> StudentID {
        let id = StudentID(Int64(students.count + 1))
        let birth = day("\(ageYear - age - 1)-12-01")
        students.append(StudentFact(id: id, gender: gender, birthDate: birth, hukouTownshipID: hukou, flags: flags))
        return id
    }

    mutating func period(_ student: StudentID, _ school: SchoolID, _ grade: GradeLevel, from: String, until: String? = nil,
                         entry: EntryReason = .intake, exit: ExitReason? = nil, classID: ClassID? = nil) {
        enrolments.append(Enrolment(id: EnrolmentID(Int64(enrolments.count + 1)), studentID: student, schoolID: school,
                                    grade: grade, classID: classID, from: day(from), until: until.map(day), entry: entry,
                                    exit: exit))
    }

    /// `n` pupils enrolled in `grade` at `school` from 9月1日 of `year`, open-ended.
    mutating func pupils(_ n: Int, _ school: SchoolID, _ grade: GradeLevel, year: Int, classID: ClassID? = nil,
                         hukou: TownshipID? = t1, gender: Gender = .male) -> [StudentID] {
        (0..<n).map { _ in
            let s = pupil(age: grade.typicalAge, ageYear: year, gender: gender, hukou: hukou)
            period(s, school, grade, from: "\(year)-09-01", classID: classID)
            return s
        }
    }

    mutating func teacher(_ school: SchoolID, _ q: Qualification = .bachelor, backbone: Bool = false,
                          subjects: [String] = ["语文"], post: StaffPost = .fullTimeTeacher) {
        staff.append(StaffFact(id: StaffID(Int64(staff.count + 1)), schoolID: school, post: post, qualification: q,
                               backbone: backbone, subjects: subjects, hired: day("2010-09-01")))
    }

    func facts(_ years: ClosedRange<Int>) -> IndicatorFacts {
        IndicatorFacts(
            district: District(id: DistrictID(1), code: "431102", name: "测试区"),
            townships: [Township(id: Self.t1, code: "431102001", name: "东城街道", kind: .street),
                        Township(id: Self.t2, code: "431102101", name: "王家镇", kind: .town)],
            zones: [SchoolZone(id: Self.zone, name: "第一学区")],
            schools: schools, classes: classes, students: students, enrolments: enrolments, staff: staff,
            population: population, resources: resources, years: years)
    }
}

extension IndicatorReport {
    /// The value at the district (or the named unit key) for a year.
    func value(_ id: String, year: Int, unit: String? = nil) -> IndicatorValue? {
        values.first { v in
            guard v.indicatorID == id, v.year == year else { return false }
            if let unit { return v.unit.key == unit }
            return v.unit.kind == .district
        }
    }
}
