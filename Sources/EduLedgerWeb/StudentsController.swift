import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// Student list (search, filters, pages), detail with enrolment history, and the edit form.
struct StudentsController {
    let deps: AppDependencies
    static let pageSize = 50

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/students", use: list)
        r.get("/students/:id", use: show)
        r.get("/students/:id/edit", use: editForm)
        r.post("/students/:id/edit", use: update)
        return r
    }

    struct StudentRowView {
        var href: String
        var name: String
        var studentNumber: String
        var gender: String
        var birthDate: String
        var grade: String
        var school: String
        init(_ row: StudentRow, schoolName: String) {
            href = "/students/\(row.student.id.rawValue)"; name = row.student.name
            studentNumber = row.student.studentNumber; gender = row.student.gender.rawValue
            birthDate = row.student.birthDate.description; grade = row.enrolment.grade.name; school = schoolName
        }
    }

    struct ListPage {
        var rows: [StudentRowView]
        var pager: Pager
        var search: String
        var schoolOptions: [Option]
        var gradeOptions: [Option]
        var dateText: String
        var empty: Bool
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStudents)
        let today = deps.today
        let visible = try await deps.registry.schools(SchoolFilter(openOn: today, onlyIDs: user.readable))
        let schoolParam = request.query("school")
        let schoolID = schoolParam.flatMap(Int64.init).map(SchoolID.init)
        if schoolParam != nil, !(schoolID.map { AccessPolicy.contains(user.readable, $0) } ?? false) { throw AppError.notFound }
        let grade = request.query("grade").flatMap(GradeLevel.init(rawValue:))
        let search = request.query("q").map { String($0.prefix(40)) }
        let pageNumber = request.queryInt("page", default: 1, range: 1...100_000)
        let limit = Self.pageSize
        let schoolIDs: Set<SchoolID>? = schoolID.map { [$0] } ?? user.readable
        let result = try await deps.registry.students(StudentQuery(date: today, schoolIDs: schoolIDs, grade: grade, search: search,
                                                                   offset: (pageNumber - 1) * limit, limit: limit))
        let names = try await schoolNames()
        let page = ListPage(
            rows: result.items.map { StudentRowView($0, schoolName: names[$0.enrolment.schoolID] ?? "") },
            pager: Pager(total: result.total, offset: result.offset, limit: limit) { p in
                urlWithQuery("/students", [("q", search), ("school", schoolID.map { String($0.rawValue) }),
                                           ("grade", grade?.rawValue), ("page", String(p))])
            },
            search: search ?? "",
            schoolOptions: visible.map { Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id == schoolID) },
            gradeOptions: GradeLevel.allCases.map { Option(value: $0.rawValue, label: $0.name, selected: $0 == grade) },
            dateText: today.chinese, empty: result.items.isEmpty)
        return deps.views.render("students", ViewContext(chrome: Chrome(title: "学生", user: user, active: "students"), page: page))
    }

    func schoolNames() async throws -> [SchoolID: String] {
        Dictionary(uniqueKeysWithValues: try await deps.registry.schools(SchoolFilter()).map { ($0.id, $0.name) })
    }

    /// The student and their history, if the user may read them; otherwise 404.
    static func visibleStudent(_ id: String?, user: CurrentUser, deps: AppDependencies) async throws -> (Student, [Enrolment]) {
        guard let raw = id.flatMap(Int64.init), let student = try await deps.registry.student(id: StudentID(raw)) else {
            throw AppError.notFound
        }
        let enrolments = try await deps.registry.enrolments(studentID: student.id)
        guard AccessPolicy.mayRead(studentEnrolments: enrolments, readable: user.readable) else { throw AppError.notFound }
        return (student, enrolments)
    }

    struct EnrolmentView { var school: String; var schoolHref: String?; var grade: String; var className: String; var from: String; var until: String; var entry: String; var exit: String }
    struct DetailPage {
        var id: Int64
        var name: String
        var studentNumber: String
        var gender: String
        var birthDate: String
        var residentID: String
        var ethnicity: String
        var hukouType: String
        var flags: [String]
        var hasFlags: Bool
        var enrolments: [EnrolmentView]
        var canEdit: Bool
        var saved: Bool
        var current: String
    }

    /// 身份证号 shown with the middle digits hidden: enough to tell two students apart, not to copy.
    static func masked(_ id: ResidentID?) -> String {
        guard let v = id?.value, v.count == 18 else { return "—" }
        return String(v.prefix(6)) + "********" + String(v.suffix(4))
    }

    static func flagList(_ f: StudentFlags) -> [String] {
        var out: [String] = []
        if f.leftBehind { out.append("留守儿童") }
        if f.migrantWorkerChild { out.append("进城务工人员随迁子女") }
        if let d = f.disability { out.append(d.rawValue) }
        if f.inclusiveClass { out.append("随班就读") }
        if let p = f.poverty { out.append(p.rawValue) }
        if f.boarding { out.append("寄宿生") }
        return out
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStudents)
        // The history (with school and class names) also decides access, so the page needs
        // two queries, not three.
        guard let raw = context.parameters.get("id").flatMap(Int64.init),
              let student = try await deps.registry.student(id: StudentID(raw)) else { throw AppError.notFound }
        let history = try await deps.registry.enrolmentHistory(studentID: student.id)
        guard AccessPolicy.mayRead(studentEnrolments: history.map(\.enrolment), readable: user.readable) else { throw AppError.notFound }
        let views = history.reversed().map { h in
            let e = h.enrolment
            let visible = AccessPolicy.contains(user.readable, e.schoolID)
            return EnrolmentView(school: h.schoolName, schoolHref: visible ? "/schools/\(e.schoolID.rawValue)" : nil,
                                 grade: e.grade.name, className: h.className ?? "—", from: e.from.description,
                                 until: e.until?.description ?? "至今", entry: e.entry.rawValue, exit: e.exit?.rawValue ?? "")
        }
        let flags = Self.flagList(student.flags)
        let current = history.first { $0.enrolment.covers(deps.today) }
            .map { "\($0.schoolName)\($0.enrolment.grade.name)" } ?? "当前不在读"
        let page = DetailPage(
            id: student.id.rawValue, name: student.name, studentNumber: student.studentNumber, gender: student.gender.rawValue,
            birthDate: student.birthDate.chinese,
            residentID: user.may(.editStudents) ? (student.residentID?.value ?? "—") : Self.masked(student.residentID), ethnicity: student.ethnicity,
            hukouType: student.hukouType.rawValue, flags: flags, hasFlags: !flags.isEmpty, enrolments: views,
            canEdit: user.may(.editStudents), saved: request.query("saved") != nil, current: current)
        return deps.views.render("student", ViewContext(chrome: Chrome(title: student.name, user: user, active: "students"), page: page))
    }

    struct CheckboxView { var name: String; var label: String; var checked: Bool }
    struct EditPage {
        var id: Int64
        var studentNumber: String
        var name: String
        var nameError: String?
        var ethnicityOptions: [Option]
        var ethnicityError: String?
        var hukouOptions: [Option]
        var hukouTypeError: String?
        var checkboxes: [CheckboxView]
        var flagsError: String?
        var disabilityOptions: [Option]
        var disabilityError: String?
        var povertyOptions: [Option]
        var povertyError: String?
        var formError: String?
        var hasErrors: Bool
    }

    func editPage(_ s: Student, errors: [FieldError], formError: String? = nil) -> EditPage {
        func err(_ f: String) -> String? {
            let m = errors.filter { $0.field == f }.map(\.message)
            return m.isEmpty ? nil : m.joined(separator: "；")
        }
        var ethnicities = StudentEdit.ethnicities
        if !ethnicities.contains(s.ethnicity) { ethnicities.insert(s.ethnicity, at: 0) }
        let unknown = errors.filter { !StudentEdit.fieldNames.contains($0.field) }.map { "\($0.field)：\($0.message)" }
        let general = ([formError].compactMap { $0 } + unknown).joined(separator: "；")
        return EditPage(
            id: s.id.rawValue, studentNumber: s.studentNumber, name: s.name, nameError: err("name"),
            ethnicityOptions: ethnicities.map { Option(value: $0, label: $0, selected: $0 == s.ethnicity) }, ethnicityError: err("ethnicity"),
            hukouOptions: HukouType.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == s.hukouType) },
            hukouTypeError: err("hukouType"),
            checkboxes: [
                CheckboxView(name: "leftBehind", label: "留守儿童", checked: s.flags.leftBehind),
                CheckboxView(name: "migrantWorkerChild", label: "进城务工人员随迁子女", checked: s.flags.migrantWorkerChild),
                CheckboxView(name: "boarding", label: "寄宿生", checked: s.flags.boarding),
                CheckboxView(name: "inclusiveClass", label: "随班就读", checked: s.flags.inclusiveClass),
            ],
            flagsError: err("inclusiveClass"),
            disabilityOptions: [Option(value: "", label: "无", selected: s.flags.disability == nil)]
                + DisabilityType.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == s.flags.disability) },
            disabilityError: err("disability"),
            povertyOptions: [Option(value: "", label: "无", selected: s.flags.poverty == nil)]
                + PovertyStatus.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0 == s.flags.poverty) },
            povertyError: err("poverty"),
            formError: general.isEmpty ? nil : general, hasErrors: !errors.isEmpty || formError != nil)
    }

    @Sendable func editForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewStudents)
        let (student, _) = try await Self.visibleStudent(context.parameters.get("id"), user: user, deps: deps)
        guard user.may(.editStudents) else { throw AppError.forbidden }
        return deps.views.render("student_edit", ViewContext(chrome: Chrome(title: "修改学生信息", user: user, active: "students"),
                                                             page: editPage(student, errors: [])))
    }

    /// The form's values laid over the stored record, each where it can be shown, so a user who
    /// made one mistake does not have to enter everything again.
    static func typedValues(_ form: FormData, over student: Student) -> Student {
        var s = student
        s.name = String((form["name"] ?? "").prefix(60))
        if let e = form["ethnicity"], StudentEdit.ethnicities.contains(e) { s.ethnicity = e }
        if let h = form["hukouType"].flatMap(HukouType.init(rawValue:)) { s.hukouType = h }
        func flag(_ n: String) -> Bool { form[n] == "1" || form[n] == "on" }
        s.flags.leftBehind = flag("leftBehind")
        s.flags.migrantWorkerChild = flag("migrantWorkerChild")
        s.flags.boarding = flag("boarding")
        s.flags.inclusiveClass = flag("inclusiveClass")
        if let d = form["disability"] { s.flags.disability = DisabilityType(rawValue: d) }
        if let p = form["poverty"] { s.flags.poverty = PovertyStatus(rawValue: p) }
        return s
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editStudents)
        let (student, _) = try await Self.visibleStudent(context.parameters.get("id"), user: user, deps: deps)
        let chrome = Chrome(title: "修改学生信息", user: user, active: "students")
        let form = context.form ?? FormData(pairs: [])
        let result = StudentEdit.fromForm(form).flatMap { $0.apply(to: student) }
        switch result {
        case .failure(let failure):
            let errors = failure.items
            // Show what the user typed, with the errors next to the fields; nothing is written.
            let typed = Self.typedValues(form, over: student)
            return deps.views.render("student_edit", ViewContext(chrome: chrome, page: editPage(typed, errors: errors)),
                                     status: .unprocessableContent)
        case .success(let updated):
            do {
                try await deps.service.update(updated, by: user.account.actingUser)
            } catch let error as any UserFacingError {
                return deps.views.render("student_edit", ViewContext(chrome: chrome, page: editPage(updated, errors: [], formError: error.message)),
                                         status: .unprocessableContent)
            }
            return Redirect.to("/students/\(student.id.rawValue)?saved=1", status: .seeOther)
        }
    }
}
