import EduLedgerCore

/// What a file holds. Each kind has its columns, its template and its validator.
public enum ImportKind: String, Sendable, Hashable, Codable, CaseIterable {
    case schools, students, staff
    /// 适龄人口: school-age population by single year of age, gender and township, per school year.
    case population
    /// 办学条件: a school's building areas, equipment value, books and multimedia rooms, per school year.
    case resources

    /// 学校 / 学生 / 教职工 / 适龄人口 / 办学条件
    public var chineseName: String {
        switch self {
        case .schools: return "学校"
        case .students: return "学生"
        case .staff: return "教职工"
        case .population: return "适龄人口"
        case .resources: return "办学条件"
        }
    }

    /// Kinds that carry yearly statistics figures (replaced per key, not records with a history).
    public var isStatistics: Bool { self == .population || self == .resources }

    /// The data sheet's name in the template; a workbook with a sheet of this name is read from it.
    public var sheetName: String { chineseName + "信息" }

    public var fields: [ImportField] {
        switch self {
        case .schools: return ImportField.schoolFields
        case .students: return ImportField.studentFields
        case .staff: return ImportField.staffFields
        case .population: return ImportField.populationFields
        case .resources: return ImportField.resourceFields
        }
    }

    /// The field whose value identifies a record: an existing key is a duplicate, or an update when asked for.
    var keyField: String {
        switch self {
        case .schools: return "schoolCode"
        case .students: return "studentNumber"
        case .staff: return "staffNumber"
        case .population: return "age"
        case .resources: return "schoolCode"
        }
    }
}

/// One column an importer understands: the Chinese header of the template, the other names bureau
/// sheets use for it (Chinese and English), and what the template tells the person filling it in.
public struct ImportField: Sendable, Hashable {
    /// Stable key used in code and in JSON.
    public let key: String
    /// Header in the template.
    public let title: String
    public let aliases: [String]
    public let required: Bool
    /// Value in the template's example row.
    public let example: String
    /// Explanation on the notes sheet.
    public let note: String
    /// Allowed values (a drop-down in the template), empty when free text.
    public let choices: [String]

    init(_ key: String, _ title: String, aliases: [String] = [], required: Bool = false, example: String,
         note: String, choices: [String] = []) {
        self.key = key; self.title = title; self.aliases = aliases; self.required = required
        self.example = example; self.note = note; self.choices = choices
    }

    static let yesNo = ["是", "否"]

    /// Valid numbers for the examples (a template's example must pass its own checks).
    static let exampleStudentID = CivilDate(year: 2015, month: 9, day: 1)
        .flatMap { ResidentID.make(regionCode: "431102", birthDate: $0, sequence: 123)?.value } ?? ""
    static let exampleStaffID = CivilDate(year: 1990, month: 5, day: 12)
        .flatMap { ResidentID.make(regionCode: "431102", birthDate: $0, sequence: 2)?.value } ?? ""

    static let studentFields: [ImportField] = [
        ImportField("studentNumber", "学籍号", aliases: ["全国学籍号", "学生学籍号", "学籍编号", "全国学籍编号", "student number",
                                                       "studentnumber", "student no", "student_no", "student id"],
                    example: "G" + exampleStudentID,
                    note: "全国学籍号：G加18位身份证号，无身份证号的填L开头的临时学籍号；不填时按身份证号生成"),
        ImportField("name", "姓名", aliases: ["学生姓名", "name", "student name"], required: true, example: "张小明",
                    note: "与户口簿一致"),
        ImportField("gender", "性别", aliases: ["gender", "sex", "性别码"], required: true, example: "男",
                    note: "男/女（也可填1/2）；须与身份证号第17位一致", choices: ["男", "女"]),
        ImportField("birthDate", "出生日期", aliases: ["出生年月日", "生日", "出生年月", "birth date", "birthdate", "date of birth", "dob"],
                    required: true, example: "2015-09-01",
                    note: "如2015-09-01、2015/9/1、2015年9月1日、20150901，或Excel日期；须与身份证号一致"),
        ImportField("residentID", "身份证号", aliases: ["居民身份证号", "身份证件号", "身份证件号码", "身份证号码", "公民身份号码",
                                                    "证件号码", "id number", "resident id", "residentid", "id card"],
                    example: exampleStudentID, note: "18位居民身份证号，末位可为X；校验位、出生日期、性别都会核对"),
        ImportField("ethnicity", "民族", aliases: ["ethnicity", "nation"], example: "汉族", note: "不填默认为汉族"),
        ImportField("hukouType", "户口性质", aliases: ["户籍性质", "hukou type", "hukou"], example: "居民",
                    note: "农业/非农业/居民，不填默认为居民", choices: HukouType.allCases.map(\.rawValue)),
        ImportField("hukouTownship", "户籍所在乡镇", aliases: ["户籍乡镇", "户口所在乡镇", "hukou township"], example: "",
                    note: "本区乡镇（街道）的代码或名称；户籍在外区的不填"),
        ImportField("schoolCode", "学校标识码", aliases: ["学校代码", "学校编码", "学校识别码", "school code", "schoolcode"],
                    required: true, example: "2143110201", note: "10位学校标识码；学校账号导入时可不填，默认为本校"),
        ImportField("schoolName", "学校名称", aliases: ["学校", "school", "school name"], example: "东城第一小学",
                    note: "仅供核对，以学校标识码为准"),
        ImportField("grade", "年级", aliases: ["grade", "所在年级"], required: true, example: "一年级",
                    note: "如一年级、七年级、初一、高一；须是该校开设的年级",
                    choices: GradeLevel.allCases.map(\.rawValue)),
        ImportField("classNumber", "班级", aliases: ["班号", "班级号", "所在班级", "class", "class number"], example: "1",
                    note: "班号，如1、1班、(1)班；班级须已在系统中建立；不填为未分班"),
        ImportField("entryDate", "入学日期", aliases: ["入学时间", "入校日期", "入学年月", "entry date", "enrolment date"],
                    required: true, example: "2025-09-01", note: "本次学籍开始的日期，学校须在该日已开办"),
        ImportField("entryReason", "入学方式", aliases: ["学籍变动类型", "entry reason"], example: "初始登记",
                    note: "新生入学/转入/复学/初始登记…，不填为初始登记", choices: EntryReason.allCases.map(\.rawValue)),
        ImportField("leftBehind", "留守儿童", aliases: ["是否留守儿童", "left behind"], example: "否", note: "是/否", choices: yesNo),
        ImportField("migrantWorkerChild", "随迁子女", aliases: ["进城务工人员随迁子女", "是否随迁子女", "migrant worker child"],
                    example: "否", note: "是/否", choices: yesNo),
        ImportField("disability", "残疾类别", aliases: ["残疾类型", "disability"], example: "",
                    note: "视力残疾/听力残疾/言语残疾/肢体残疾/智力残疾/精神残疾/多重残疾，无则不填",
                    choices: DisabilityType.allCases.map(\.rawValue)),
        ImportField("inclusiveClass", "随班就读", aliases: ["是否随班就读", "inclusive class"], example: "否",
                    note: "是/否；填“是”须同时填残疾类别", choices: yesNo),
        ImportField("poverty", "困难类别", aliases: ["家庭困难类别", "贫困类别", "poverty"], example: "",
                    note: "建档立卡/低保/特困供养，无则不填", choices: PovertyStatus.allCases.map(\.rawValue)),
        ImportField("boarding", "寄宿生", aliases: ["是否寄宿", "是否寄宿生", "boarding"], example: "否", note: "是/否", choices: yesNo),
    ]

    static let staffFields: [ImportField] = [
        ImportField("staffNumber", "教职工号", aliases: ["工号", "职工号", "教师编号", "staff number", "staffnumber", "staff no"],
                    required: true, example: "T2025001", note: "全区唯一"),
        ImportField("name", "姓名", aliases: ["教师姓名", "name"], required: true, example: "李老师", note: ""),
        ImportField("gender", "性别", aliases: ["gender", "sex"], required: true, example: "女", note: "男/女（也可填1/2）",
                    choices: ["男", "女"]),
        ImportField("birthDate", "出生日期", aliases: ["出生年月日", "生日", "birth date", "birthdate", "date of birth"],
                    required: true, example: "1990-05-12", note: "须与身份证号一致"),
        ImportField("residentID", "身份证号", aliases: ["居民身份证号", "身份证件号", "身份证件号码", "身份证号码", "公民身份号码",
                                                    "证件号码", "id number", "resident id"],
                    example: exampleStaffID, note: "18位居民身份证号"),
        ImportField("schoolCode", "学校标识码", aliases: ["学校代码", "学校编码", "school code"], example: "2143110201",
                    note: "所在学校；教育局机关人员不填"),
        ImportField("schoolName", "学校名称", aliases: ["学校", "所在学校", "school"], example: "东城第一小学", note: "仅供核对"),
        ImportField("post", "岗位类别", aliases: ["岗位", "post"], required: true, example: "专任教师",
                    note: "专任教师/行政人员/教辅人员/工勤人员", choices: StaffPost.allCases.map(\.rawValue)),
        ImportField("established", "是否在编", aliases: ["在编", "编制", "established"], example: "是", note: "是/否，不填为是",
                    choices: yesNo),
        ImportField("qualification", "最高学历", aliases: ["学历", "qualification"], required: true, example: "本科",
                    note: "博士研究生/硕士研究生/本科/专科/高中阶段/高中以下", choices: Qualification.allCases.map(\.rawValue)),
        ImportField("title", "职称", aliases: ["专业技术职称", "职务（职称）", "title"], example: "二级教师", note: "不填为未定职级",
                    choices: ProfessionalTitle.allCases.map(\.rawValue)),
        ImportField("subjects", "任教学科", aliases: ["学科", "subjects"], example: "语文、道德与法治", note: "多个学科用顿号或逗号分隔"),
        ImportField("certificateLevel", "教师资格种类", aliases: ["教师资格", "资格种类"], example: "小学教师资格",
                    note: "与教师资格证号同填或同不填", choices: TeacherCertificate.Level.allCases.map(\.rawValue)),
        ImportField("certificateNumber", "教师资格证号", aliases: ["资格证号", "教师资格证书号码"], example: "20154310241000123", note: ""),
        ImportField("backbone", "骨干教师", aliases: ["是否骨干教师", "backbone"], example: "否", note: "县级及以上骨干教师填是",
                    choices: yesNo),
        ImportField("hired", "入职日期", aliases: ["参加工作时间", "参加工作日期", "来校时间", "hired", "hire date"], required: true,
                    example: "2012-09-01", note: "到本单位工作的日期"),
        ImportField("left", "离职日期", aliases: ["调离日期", "left"], example: "", note: "在职人员不填"),
    ]

    static let schoolFields: [ImportField] = [
        ImportField("schoolCode", "学校标识码", aliases: ["学校代码", "学校编码", "学校识别码", "school code"], required: true,
                    example: "2143110209", note: "10位数字，全国唯一"),
        ImportField("name", "学校名称", aliases: ["学校", "校名", "school name", "name"], required: true, example: "东城第九小学",
                    note: ""),
        ImportField("type", "办学类型", aliases: ["学校类型", "type"], required: true, example: "小学",
                    note: "幼儿园/小学/初级中学/九年一贯制学校/完全中学/高级中学/中等职业学校/特殊教育学校/成人文化技术学校",
                    choices: SchoolType.allCases.map(\.rawValue)),
        ImportField("ownership", "办学性质", aliases: ["举办者类型", "ownership"], example: "公办", note: "公办/民办，不填为公办",
                    choices: Ownership.allCases.map(\.rawValue)),
        ImportField("urbanRural", "城乡分类", aliases: ["城乡类别", "城乡", "urban rural"], required: true, example: "城区",
                    note: "城区/镇区/乡村", choices: UrbanRural.allCases.map(\.rawValue)),
        ImportField("township", "所属乡镇", aliases: ["乡镇", "乡镇（街道）", "所在乡镇", "township"], required: true,
                    example: "东城街道", note: "本区乡镇（街道）的代码或名称"),
        ImportField("zone", "学区", aliases: ["片区", "所属学区", "zone"], example: "", note: "已建立的学区名称，可不填"),
        ImportField("centralSchoolCode", "中心校标识码", aliases: ["所属中心校", "中心校代码"], example: "",
                    note: "教学点、村小填所属中心校的标识码（可为本表中前面的学校）"),
        ImportField("address", "地址", aliases: ["学校地址", "address"], example: "东城区人民路1号", note: ""),
        ImportField("opened", "开办日期", aliases: ["建校日期", "建校时间", "opened"], required: true, example: "2025-09-01",
                    note: ""),
        ImportField("campuses", "校区", aliases: ["campuses"], example: "", note: "多个校区用顿号分隔"),
    ]

    static let schoolYearNote = "学年的起始年份，如2025（即2025—2026学年，以2025年9月1日为统计基准日）；也可写2025-2026、2025学年"

    static let populationFields: [ImportField] = [
        ImportField("year", "学年", aliases: ["统计学年", "年度", "school year", "year"], required: true, example: "2025",
                    note: schoolYearNote),
        ImportField("township", "乡镇", aliases: ["乡镇（街道）", "户籍所在乡镇", "所属乡镇", "乡镇代码", "township"], required: true,
                    example: "东城街道", note: "户籍所在的本区乡镇（街道）的代码或名称"),
        ImportField("age", "年龄", aliases: ["周岁", "年龄（周岁）", "age"], required: true, example: "6",
                    note: "当年9月1日的周岁，0至25"),
        ImportField("gender", "性别", aliases: ["gender", "sex"], required: true, example: "男", note: "男/女（也可填1/2）",
                    choices: ["男", "女"]),
        ImportField("count", "人数", aliases: ["适龄人口", "适龄人口数", "户籍人口数", "count", "persons"], required: true,
                    example: "312", note: "公安户籍登记的该年龄、该性别的儿童人数"),
        ImportField("disabledCount", "其中残疾儿童", aliases: ["残疾儿童少年", "残疾人数", "其中残疾", "disabled"], example: "2",
                    note: "持残疾证的人数（残联数据），不填为0，不能大于人数"),
    ]

    static let resourceFields: [ImportField] = [
        ImportField("year", "学年", aliases: ["统计学年", "年度", "school year", "year"], required: true, example: "2025",
                    note: schoolYearNote),
        ImportField("schoolCode", "学校标识码", aliases: ["学校代码", "学校编码", "学校识别码", "school code"], required: true,
                    example: "2143110201", note: "10位学校标识码；学校账号导入时可不填，默认为本校"),
        ImportField("schoolName", "学校名称", aliases: ["学校", "school", "school name"], example: "东城第一小学", note: "仅供核对"),
        ImportField("teachingArea", "教学及辅助用房面积", aliases: ["教学及辅助用房面积（平方米）", "教学辅助用房面积", "teaching area"],
                    required: true, example: "5200.5", note: "平方米，可有小数"),
        ImportField("sportsArea", "体育运动场馆面积", aliases: ["体育运动场馆面积（平方米）", "运动场馆面积", "sports area"], required: true,
                    example: "8000", note: "平方米，可有小数"),
        ImportField("equipmentValue", "教学仪器设备值", aliases: ["教学仪器设备值（元）", "仪器设备值", "equipment value"], required: true,
                    example: "1250000.00", note: "元，最多两位小数；以万元填写时请在数字后写“万元”"),
        ImportField("books", "图书", aliases: ["图书（册）", "图书册数", "藏书", "books"], required: true, example: "32000", note: "册"),
        ImportField("multimediaClassrooms", "网络多媒体教室", aliases: ["网络多媒体教室（间）", "多媒体教室", "multimedia classrooms"],
                    required: true, example: "24", note: "间"),
    ]
}
