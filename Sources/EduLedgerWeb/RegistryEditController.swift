import EduLedgerCore
import EduLedgerStorage
import Foundation
import Hummingbird

/// Edit forms for schools, classes and staff (students have their own, richer form).
///
/// Every handler checks in the same order: a role that may never take the action gets 403;
/// a record outside the user's schools does not exist for them (404); then the form is read
/// strictly and every problem shown beside its field, and the change is written through
/// `RegistryService` — rules, write and audit line in one transaction.
struct RegistryEditController {
    let deps: AppDependencies

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/schools/:id/edit", use: schoolForm)
        r.post("/schools/:id/edit", use: saveSchool)
        r.get("/schools/:id/classes/new", use: newClassForm)
        r.post("/schools/:id/classes/new", use: createClass)
        r.get("/classes/:id/edit", use: classForm)
        r.post("/classes/:id/edit", use: saveClass)
        r.get("/staff/:id/edit", use: staffForm)
        r.post("/staff/:id/edit", use: saveStaff)
        return r
    }

    private func page(_ title: String, _ user: CurrentUser, active: String,
                      _ form: RecordFormPage, status: HTTPResponse.Status = .ok) -> Response {
        deps.views.render("record_edit", ViewContext(chrome: Chrome(title: title, user: user, active: active), page: form), status: status)
    }

    /// The end of every save: the form's own errors beside their fields, else the write, whose
    /// domain refusal goes to the banner; on success, back to the record with "saved".
    private func finish(_ title: String, _ user: CurrentUser, active: String, form: RecordFormPage, errors: [FieldError],
                        redirect: String, write: () async throws -> Void) async throws -> Response {
        var form = form
        if !errors.isEmpty {
            form.attach(errors)
            return page(title, user, active: active, form, status: .unprocessableContent)
        }
        do {
            try await write()
        } catch let error as any UserFacingError {
            form.attach([], formError: error.message)
            return page(title, user, active: active, form, status: .unprocessableContent)
        }
        return Redirect.to(redirect, status: .seeOther)
    }

    /// A list typed in one field, separated by 、 , ; (Chinese or ASCII).
    private static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { "、,，;；".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    // MARK: schools

    static let schoolFields: Set<String> = ["name", "address", "ownership", "urbanRural", "zone", "centralSchool", "campuses"]

    func schoolPage(_ s: School, user: CurrentUser) async throws -> RecordFormPage {
        let zones = try await deps.registry.schoolZones()
        let centrals = try await deps.registry.schools(SchoolFilter(townshipID: s.townshipID, openOn: deps.today))
            .filter { $0.id != s.id && $0.centralSchoolID == nil }
        return RecordFormPage(
            crumbs: [.init(href: "/dashboard", label: "首页"), .init(href: "/schools", label: "学校"),
                     .init(href: "/schools/\(s.id.rawValue)", label: s.name)],
            heading: "修改学校信息",
            note: "学校标识码 \(s.code)，\(s.type.rawValue)。标识码、办学类型、所属乡镇、开办、停办和撤并须按学校设立变更程序办理，不在此修改。",
            action: "/schools/\(s.id.rawValue)/edit", cancelHref: "/schools/\(s.id.rawValue)",
            fields: [
                .text("name", "学校名称", s.name, required: true, maxLength: 60),
                .text("address", "地址", s.address, maxLength: 120),
                .choice("ownership", "举办者", s.ownership),
                .choice("urbanRural", "城乡分类", s.urbanRural),
                .select("zone", "学区", [Option(value: "", label: "（不属任何学区）", selected: s.zoneID == nil)]
                    + zones.map { Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id == s.zoneID) }),
                .select("centralSchool", "中心校（教学点、村小填写）",
                        [Option(value: "", label: "（独立学校）", selected: s.centralSchoolID == nil)]
                            + centrals.map { Option(value: String($0.id.rawValue), label: $0.name, selected: $0.id == s.centralSchoolID) }),
                .text("campuses", "校区", s.campuses.joined(separator: "、"), maxLength: 200, hint: "多个校区用顿号“、”分隔"),
            ])
    }

    @Sendable func schoolForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editSchools)
        let school = try await SchoolsController.visibleSchool(context.parameters.get("id"), user: user, deps: deps)
        return page("修改学校信息", user, active: "schools", try await schoolPage(school, user: user))
    }

    @Sendable func saveSchool(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editSchools)
        let school = try await SchoolsController.visibleSchool(context.parameters.get("id"), user: user, deps: deps)
        var reader = FormReader(context.form ?? FormData(pairs: []), allowed: Self.schoolFields)
        var s = school
        s.name = reader.text("name", label: "学校名称", required: true, maxLength: 60)
        s.address = reader.text("address", label: "地址", required: false, maxLength: 120)
        if let o = reader.choice("ownership", label: "举办者", Ownership.self) { s.ownership = o }
        if let u = reader.choice("urbanRural", label: "城乡分类", UrbanRural.self) { s.urbanRural = u }
        s.zoneID = reader.optionalID("zone", label: "学区").map(SchoolZoneID.init)
        s.centralSchoolID = reader.optionalID("centralSchool", label: "中心校").map(SchoolID.init)
        s.campuses = Self.list(reader.text("campuses", label: "校区", required: false, maxLength: 200))
        return try await finish("修改学校信息", user, active: "schools", form: try await schoolPage(s, user: user), errors: reader.errors,
                                redirect: "/schools/\(school.id.rawValue)?saved=1") {
            try await deps.service.correct(s, by: user.account.actingUser)
        }
    }

    // MARK: classes

    func newClassPage(_ s: School, grade: GradeLevel?, number: String) -> RecordFormPage {
        let year = SchoolYear(containing: deps.today)
        let grades = GradeLevel.allCases.filter { s.type.teaches($0) }
        return RecordFormPage(
            crumbs: [.init(href: "/dashboard", label: "首页"), .init(href: "/schools", label: "学校"),
                     .init(href: "/schools/\(s.id.rawValue)", label: s.name)],
            heading: "新增班级",
            note: "为\(s.name)开设\(year.name)的班级。班级一经开设即计入班额统计；班号在同一年级内不能重复。",
            action: "/schools/\(s.id.rawValue)/classes/new", cancelHref: "/schools/\(s.id.rawValue)", submitLabel: "开设班级",
            fields: [
                .select("grade", "年级", grades.map { Option(value: $0.rawValue, label: $0.name, selected: $0 == grade) }),
                .text("number", "班号", number, required: true, maxLength: 3, hint: "如 3 表示（3）班"),
            ])
    }

    @Sendable func newClassForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editClasses)
        let school = try await SchoolsController.visibleSchool(context.parameters.get("id"), user: user, deps: deps)
        return page("新增班级", user, active: "schools", newClassPage(school, grade: nil, number: ""))
    }

    @Sendable func createClass(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editClasses)
        let school = try await SchoolsController.visibleSchool(context.parameters.get("id"), user: user, deps: deps)
        var reader = FormReader(context.form ?? FormData(pairs: []), allowed: ["grade", "number"])
        let gradeRaw = reader.form["grade"] ?? ""
        let grade = GradeLevel(rawValue: gradeRaw)
        if grade == nil { reader.fail("grade", "请选择年级") }
        let numberText = reader.text("number", label: "班号", required: true, maxLength: 3)
        let number = Int(numberText)
        if !numberText.isEmpty, !(number.map { (1...999).contains($0) } ?? false) { reader.fail("number", "班号须为1至999的整数") }
        var form = newClassPage(school, grade: grade, number: numberText)
        guard reader.errors.isEmpty, let grade, let number else {
            form.attach(reader.errors)
            return page("新增班级", user, active: "schools", form, status: .unprocessableContent)
        }
        do {
            let created = try await deps.service.addClass(schoolCode: school.code, year: SchoolYear(containing: deps.today),
                                                          grade: grade, number: number, by: user.account.actingUser)
            return Redirect.to("/classes/\(created.id.rawValue)?saved=1", status: .seeOther)
        } catch let error as any UserFacingError {
            form.attach([], formError: error.message)
            return page("新增班级", user, active: "schools", form, status: .unprocessableContent)
        }
    }

    func visibleClass(_ id: String?, user: CurrentUser) async throws -> (SchoolClass, School) {
        guard let raw = id.flatMap(Int64.init), let c = try await deps.registry.schoolClass(id: ClassID(raw)),
              AccessPolicy.contains(user.readable, c.schoolID),
              let school = try await deps.registry.school(id: c.schoolID) else { throw AppError.notFound }
        return (c, school)
    }

    func classPage(_ c: SchoolClass, school: School, selected: StaffID?) async throws -> RecordFormPage {
        let day = c.schoolYear.rosterDay(today: deps.today)
        let teachers = try await deps.registry.staff(StaffQuery(date: day, schoolIDs: [school.id], post: .fullTimeTeacher, limit: 500))
        var options = [Option(value: "", label: "（暂不指定）", selected: selected == nil)]
            + teachers.items.map { Option(value: String($0.id.rawValue), label: "\($0.name)（\($0.staffNumber)）", selected: $0.id == selected) }
        if let selected, !teachers.items.contains(where: { $0.id == selected }) {
            let name = try await deps.registry.staffMember(id: selected)?.name ?? "编号\(selected.rawValue)"
            options.insert(Option(value: String(selected.rawValue), label: name + "（已不在本校专任教师中）", selected: true), at: 1)
        }
        return RecordFormPage(
            crumbs: [.init(href: "/dashboard", label: "首页"), .init(href: "/schools/\(school.id.rawValue)", label: school.name),
                     .init(href: "/classes/\(c.id.rawValue)", label: c.name)],
            heading: "修改班级信息",
            note: "\(school.name)\(c.schoolYear.name)\(c.name)。班主任须为本校在职专任教师。",
            action: "/classes/\(c.id.rawValue)/edit", cancelHref: "/classes/\(c.id.rawValue)",
            fields: [.select("headTeacher", "班主任", options)])
    }

    @Sendable func classForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editClasses)
        let (c, school) = try await visibleClass(context.parameters.get("id"), user: user)
        return page("修改班级信息", user, active: "schools", try await classPage(c, school: school, selected: c.headTeacherID))
    }

    @Sendable func saveClass(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editClasses)
        let (c, school) = try await visibleClass(context.parameters.get("id"), user: user)
        var reader = FormReader(context.form ?? FormData(pairs: []), allowed: ["headTeacher"])
        let teacher = reader.optionalID("headTeacher", label: "班主任").map(StaffID.init)
        var form = try await classPage(c, school: school, selected: teacher)
        if !reader.errors.isEmpty {
            form.attach(reader.errors)
            return page("修改班级信息", user, active: "schools", form, status: .unprocessableContent)
        }
        let day = c.schoolYear.rosterDay(today: deps.today)
        do {
            _ = try await deps.service.assignHeadTeacher(classID: c.id, teacher: teacher, on: day, by: user.account.actingUser)
        } catch let error as any UserFacingError {
            form.attach([FieldError(field: "headTeacher", message: error.message)])
            return page("修改班级信息", user, active: "schools", form, status: .unprocessableContent)
        }
        return Redirect.to("/classes/\(c.id.rawValue)?saved=1", status: .seeOther)
    }

    // MARK: staff

    static let staffFields: Set<String> = ["name", "post", "established", "qualification", "title", "subjects",
                                           "backbone", "left"]

    func staffPage(_ m: StaffMember) -> RecordFormPage {
        RecordFormPage(
            crumbs: [.init(href: "/dashboard", label: "首页"), .init(href: "/staff", label: "教职工"),
                     .init(href: "/staff/\(m.id.rawValue)", label: m.name)],
            heading: "修改教职工信息",
            note: "教职工号 \(m.staffNumber)。身份证号、出生日期、性别、入职日期和所在学校须按人事调动或身份信息变更程序办理，不在此修改。",
            action: "/staff/\(m.id.rawValue)/edit", cancelHref: "/staff/\(m.id.rawValue)",
            fields: [
                .text("name", "姓名", m.name, required: true, maxLength: 30),
                .choice("post", "岗位类别", m.post),
                .checkbox("established", "在编（占用编制）", m.established),
                .choice("qualification", "最高学历", m.qualification),
                .choice("title", "专业技术职务", m.title),
                .text("subjects", "任教学科", m.subjects.joined(separator: "、"), maxLength: 100, hint: "多个学科用顿号“、”分隔"),
                .checkbox("backbone", "县级及以上骨干教师", m.backbone),
                .date("left", "离岗日期", m.left, hint: "调出、退休或离职的日期；在岗者留空。须晚于入职日期 \(m.hired.description)"),
            ])
    }

    @Sendable func staffForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editStaff)
        let m = try await StaffController.visibleStaff(context.parameters.get("id"), user: user, deps: deps)
        return page("修改教职工信息", user, active: "staff", staffPage(m))
    }

    @Sendable func saveStaff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.editStaff)
        let before = try await StaffController.visibleStaff(context.parameters.get("id"), user: user, deps: deps)
        var reader = FormReader(context.form ?? FormData(pairs: []), allowed: Self.staffFields)
        var m = before
        m.name = reader.text("name", label: "姓名", required: true, maxLength: 30)
        if m.name.unicodeScalars.contains(where: { ("0"..."9").contains($0) }) { reader.fail("name", "姓名不能包含数字") }
        if let p = reader.choice("post", label: "岗位类别", StaffPost.self) { m.post = p }
        m.established = reader.flag("established")
        if let q = reader.choice("qualification", label: "最高学历", Qualification.self) { m.qualification = q }
        if let t = reader.choice("title", label: "专业技术职务", ProfessionalTitle.self) { m.title = t }
        m.subjects = Self.list(reader.text("subjects", label: "任教学科", required: false, maxLength: 100))
        m.backbone = reader.flag("backbone")
        m.left = reader.optionalDate("left", label: "离岗日期")
        if let left = m.left, left <= m.hired { reader.fail("left", "离岗日期须晚于入职日期 \(m.hired.description)") }
        let corrected = m
        return try await finish("修改教职工信息", user, active: "staff", form: staffPage(m), errors: reader.errors,
                                redirect: "/staff/\(m.id.rawValue)?saved=1") {
            try await deps.service.correct(corrected, by: user.account.actingUser)
        }
    }
}
