import EduLedgerCore
import Foundation
import SQLKit

/// Translation between domain values and SQL rows, by hand and in one place: dates as
/// `YYYY-MM-DD` text (sortable, the same in both databases), flags as 0/1 integers, enums by
/// their Chinese raw value (readable in any SQL console), lists as JSON text.
enum Column {
    static func text(_ v: String?) -> any SQLExpression { v.map { SQLBind($0) } ?? SQLLiteral.null }
    static func date(_ v: CivilDate?) -> any SQLExpression { text(v?.description) }
    static func int(_ v: Int64?) -> any SQLExpression { v.map { SQLBind($0) } ?? SQLLiteral.null }
    static func flag(_ v: Bool) -> any SQLExpression { SQLBind(v ? 1 : 0) }
    static func id<E>(_ v: EntityID<E>?) -> any SQLExpression { int(v?.rawValue) }
    static func json(_ v: [String]) -> any SQLExpression {
        let data = (try? JSONEncoder().encode(v)) ?? Data("[]".utf8)
        return SQLBind(String(decoding: data, as: UTF8.self))
    }
}

/// A corrupt row (hand-edited database, failed restore) is reported, not crashed on.
struct RowDecodingError: UserFacingError {
    let table: String
    let column: String
    let value: String
    var code: String { "storage.corrupt_row" }
    var message: String { "数据库表 \(table) 的字段 \(column) 含无法识别的值“\(value)”" }
}

struct RowReader {
    let row: any SQLRow
    let table: String
    /// Column-name prefix when several tables are joined (e.g. `s_`).
    var prefix: String = ""

    func string(_ c: String) throws -> String { try row.decode(column: prefix + c, as: String.self) }
    func optionalString(_ c: String) throws -> String? { try row.decode(column: prefix + c, as: String?.self) }
    func int64(_ c: String) throws -> Int64 { try row.decode(column: prefix + c, as: Int64.self) }
    func optionalInt64(_ c: String) throws -> Int64? { try row.decode(column: prefix + c, as: Int64?.self) }
    func int(_ c: String) throws -> Int { Int(try int64(c)) }
    func flag(_ c: String) throws -> Bool { try int64(c) != 0 }
    func id<E>(_ c: String) throws -> EntityID<E> { EntityID(try int64(c)) }
    func optionalID<E>(_ c: String) throws -> EntityID<E>? { try optionalInt64(c).map { EntityID($0) } }

    func date(_ c: String) throws -> CivilDate {
        let s = try string(c)
        guard let d = CivilDate(iso: s) else { throw RowDecodingError(table: table, column: c, value: s) }
        return d
    }
    func optionalDate(_ c: String) throws -> CivilDate? {
        guard let s = try optionalString(c) else { return nil }
        guard let d = CivilDate(iso: s) else { throw RowDecodingError(table: table, column: c, value: s) }
        return d
    }
    func enumValue<E: RawRepresentable>(_ c: String, _: E.Type) throws -> E where E.RawValue == String {
        let s = try string(c)
        guard let v = E(rawValue: s) else { throw RowDecodingError(table: table, column: c, value: s) }
        return v
    }
    func optionalEnum<E: RawRepresentable>(_ c: String, _: E.Type) throws -> E? where E.RawValue == String {
        guard let s = try optionalString(c) else { return nil }
        guard let v = E(rawValue: s) else { throw RowDecodingError(table: table, column: c, value: s) }
        return v
    }
    func residentID(_ c: String) throws -> ResidentID? {
        guard let s = try optionalString(c) else { return nil }
        do { return try ResidentID(s) } catch { throw RowDecodingError(table: table, column: c, value: s) }
    }
    func stringList(_ c: String) throws -> [String] {
        let s = try string(c)
        guard let list = try? JSONDecoder().decode([String].self, from: Data(s.utf8)) else {
            throw RowDecodingError(table: table, column: c, value: s)
        }
        return list
    }
}

/// Column lists and row codecs per table. The column order of `columns` and `values(_:)` match.
enum Tables {
    enum Districts {
        static let name = "districts"
        static let columns = ["id", "code", "name"]
        static func values(_ d: District) -> [any SQLExpression] {
            [Column.id(d.id), SQLBind(d.code), SQLBind(d.name)]
        }
        static func decode(_ r: RowReader) throws -> District {
            District(id: try r.id("id"), code: try r.string("code"), name: try r.string("name"))
        }
    }

    enum Townships {
        static let name = "townships"
        static let columns = ["id", "code", "name", "kind"]
        static func values(_ t: Township) -> [any SQLExpression] {
            [Column.id(t.id), SQLBind(t.code), SQLBind(t.name), SQLBind(t.kind.rawValue)]
        }
        static func decode(_ r: RowReader) throws -> Township {
            Township(id: try r.id("id"), code: try r.string("code"), name: try r.string("name"),
                     kind: try r.enumValue("kind", Township.Kind.self))
        }
    }

    enum Zones {
        static let name = "school_zones"
        static let columns = ["id", "name"]
        static func values(_ z: SchoolZone) -> [any SQLExpression] { [Column.id(z.id), SQLBind(z.name)] }
        static func decode(_ r: RowReader) throws -> SchoolZone {
            SchoolZone(id: try r.id("id"), name: try r.string("name"))
        }
    }

    enum Schools {
        static let name = "schools"
        static let columns = ["id", "code", "name", "type", "ownership", "urban_rural", "township_id", "zone_id",
                              "central_school_id", "address", "opened", "closed", "merged_into_id", "campuses"]
        static func values(_ s: School) -> [any SQLExpression] {
            [Column.id(s.id), SQLBind(s.code), SQLBind(s.name), SQLBind(s.type.rawValue), SQLBind(s.ownership.rawValue),
             SQLBind(s.urbanRural.rawValue), Column.id(s.townshipID), Column.id(s.zoneID), Column.id(s.centralSchoolID),
             SQLBind(s.address), Column.date(s.opened), Column.date(s.closed), Column.id(s.mergedIntoID),
             Column.json(s.campuses)]
        }
        static func decode(_ r: RowReader) throws -> School {
            School(id: try r.id("id"), code: try r.string("code"), name: try r.string("name"),
                   type: try r.enumValue("type", SchoolType.self), ownership: try r.enumValue("ownership", Ownership.self),
                   urbanRural: try r.enumValue("urban_rural", UrbanRural.self), townshipID: try r.id("township_id"),
                   zoneID: try r.optionalID("zone_id"), centralSchoolID: try r.optionalID("central_school_id"),
                   address: try r.string("address"), opened: try r.date("opened"), closed: try r.optionalDate("closed"),
                   mergedIntoID: try r.optionalID("merged_into_id"), campuses: try r.stringList("campuses"))
        }
    }

    enum Classes {
        static let name = "classes"
        static let columns = ["id", "school_id", "school_year", "grade", "number", "head_teacher_id"]
        static func values(_ c: SchoolClass) -> [any SQLExpression] {
            [Column.id(c.id), Column.id(c.schoolID), SQLBind(c.schoolYear.startYear), SQLBind(c.grade.rawValue),
             SQLBind(c.number), Column.id(c.headTeacherID)]
        }
        static func decode(_ r: RowReader) throws -> SchoolClass {
            SchoolClass(id: try r.id("id"), schoolID: try r.id("school_id"), schoolYear: SchoolYear(try r.int("school_year")),
                        grade: try r.enumValue("grade", GradeLevel.self), number: try r.int("number"),
                        headTeacherID: try r.optionalID("head_teacher_id"))
        }
    }

    enum Students {
        static let name = "students"
        static let columns = ["id", "student_number", "name", "gender", "birth_date", "resident_id", "ethnicity",
                              "hukou_type", "hukou_township_id", "left_behind", "migrant_worker_child", "disability",
                              "inclusive_class", "poverty", "boarding"]
        static func values(_ s: Student) -> [any SQLExpression] {
            [Column.id(s.id), SQLBind(s.studentNumber), SQLBind(s.name), SQLBind(s.gender.rawValue),
             Column.date(s.birthDate), Column.text(s.residentID?.value), SQLBind(s.ethnicity),
             SQLBind(s.hukouType.rawValue), Column.id(s.hukouTownshipID), Column.flag(s.flags.leftBehind),
             Column.flag(s.flags.migrantWorkerChild), Column.text(s.flags.disability?.rawValue),
             Column.flag(s.flags.inclusiveClass), Column.text(s.flags.poverty?.rawValue), Column.flag(s.flags.boarding)]
        }
        static func decode(_ r: RowReader) throws -> Student {
            Student(id: try r.id("id"), studentNumber: try r.string("student_number"), name: try r.string("name"),
                    gender: try r.enumValue("gender", Gender.self), birthDate: try r.date("birth_date"),
                    residentID: try r.residentID("resident_id"), ethnicity: try r.string("ethnicity"),
                    hukouType: try r.enumValue("hukou_type", HukouType.self),
                    hukouTownshipID: try r.optionalID("hukou_township_id"),
                    flags: StudentFlags(
                        leftBehind: try r.flag("left_behind"), migrantWorkerChild: try r.flag("migrant_worker_child"),
                        disability: try r.optionalEnum("disability", DisabilityType.self),
                        inclusiveClass: try r.flag("inclusive_class"),
                        poverty: try r.optionalEnum("poverty", PovertyStatus.self), boarding: try r.flag("boarding")))
        }
    }

    enum Enrolments {
        static let name = "enrolments"
        static let columns = ["id", "student_id", "school_id", "grade", "class_id", "from_date", "until_date", "entry",
                              "exit_reason"]
        static func values(_ e: Enrolment) -> [any SQLExpression] {
            [Column.id(e.id), Column.id(e.studentID), Column.id(e.schoolID), SQLBind(e.grade.rawValue),
             Column.id(e.classID), Column.date(e.from), Column.date(e.until), SQLBind(e.entry.rawValue),
             Column.text(e.exit?.rawValue)]
        }
        static func decode(_ r: RowReader) throws -> Enrolment {
            Enrolment(id: try r.id("id"), studentID: try r.id("student_id"), schoolID: try r.id("school_id"),
                      grade: try r.enumValue("grade", GradeLevel.self), classID: try r.optionalID("class_id"),
                      from: try r.date("from_date"), until: try r.optionalDate("until_date"),
                      entry: try r.enumValue("entry", EntryReason.self),
                      exit: try r.optionalEnum("exit_reason", ExitReason.self))
        }
    }

    enum Staff {
        static let name = "staff"
        static let columns = ["id", "staff_number", "name", "gender", "birth_date", "resident_id", "school_id", "post",
                              "established", "qualification", "title", "subjects", "certificate_level",
                              "certificate_number", "backbone", "hired", "left_date"]
        static func values(_ m: StaffMember) -> [any SQLExpression] {
            [Column.id(m.id), SQLBind(m.staffNumber), SQLBind(m.name), SQLBind(m.gender.rawValue),
             Column.date(m.birthDate), Column.text(m.residentID?.value), Column.id(m.schoolID), SQLBind(m.post.rawValue),
             Column.flag(m.established), SQLBind(m.qualification.rawValue), SQLBind(m.title.rawValue),
             Column.json(m.subjects), Column.text(m.certificate?.level.rawValue), Column.text(m.certificate?.number),
             Column.flag(m.backbone), Column.date(m.hired), Column.date(m.left)]
        }
        static func decode(_ r: RowReader) throws -> StaffMember {
            var certificate: TeacherCertificate?
            if let level = try r.optionalEnum("certificate_level", TeacherCertificate.Level.self) {
                certificate = TeacherCertificate(level: level, number: try r.optionalString("certificate_number") ?? "")
            }
            return StaffMember(
                id: try r.id("id"), staffNumber: try r.string("staff_number"), name: try r.string("name"),
                gender: try r.enumValue("gender", Gender.self), birthDate: try r.date("birth_date"),
                residentID: try r.residentID("resident_id"), schoolID: try r.optionalID("school_id"),
                post: try r.enumValue("post", StaffPost.self), established: try r.flag("established"),
                qualification: try r.enumValue("qualification", Qualification.self),
                title: try r.enumValue("title", ProfessionalTitle.self), subjects: try r.stringList("subjects"),
                certificate: certificate, backbone: try r.flag("backbone"), hired: try r.date("hired"),
                left: try r.optionalDate("left_date"))
        }
    }
}
