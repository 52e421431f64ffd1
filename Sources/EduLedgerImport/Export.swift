import EduLedgerCore
import Foundation
import OfficeFormats

/// Writes rows to .xlsx or .csv, chosen by the file name, so every export offers both.
final class TableSink {
    private var xlsx: XLSXWriter?
    private var csv: CSVWriter?
    private(set) var rows = 0
    private let isCSV: Bool

    init(url: URL, sheet: String, widths: [Double] = []) throws {
        isCSV = url.pathExtension.lowercased() == "csv"
        if isCSV {
            csv = try CSVWriter(url: url)
        } else {
            var w = try XLSXWriter(url: url)
            try w.addSheet(sheet, options: XLSXSheetOptions(columnWidths: widths))
            xlsx = consume w
        }
    }

    func header(_ names: [String]) throws {
        if !isCSV { try xlsx?.writeHeader(names) } else { try csv?.writeRow(names) }
    }

    func row(_ values: [String]) throws {
        if !isCSV { try xlsx?.writeRow(values) } else { try csv?.writeRow(values) }
        rows += 1
    }

    func finish() throws {
        if let w = xlsx.take() { try w.finish() }
        if let w = csv.take() { try w.finish() }
    }
}

/// Lists as a clerk sees them, to .xlsx or .csv. The columns are the import template's, so an
/// exported file can be corrected and imported back as an update.
public enum RegistryExport {
    static let pageSize = 5_000

    static func yesNo(_ b: Bool) -> String { b ? "是" : "否" }

    public static let studentColumns = ["学籍号", "姓名", "性别", "出生日期", "身份证号", "民族", "户口性质", "户籍所在乡镇", "学校标识码",
                                        "学校名称", "年级", "班级", "入学日期", "入学方式", "留守儿童", "随迁子女", "残疾类别", "随班就读",
                                        "困难类别", "寄宿生"]

    /// Every student the query matches (its offset and limit are ignored); returns the number written.
    @discardableResult
    public static func students(from store: any RegistryReading, query: StudentQuery, to url: URL) async throws -> Int {
        let schools = Dictionary(uniqueKeysWithValues: try await store.schools(SchoolFilter()).map { ($0.id, $0) })
        let townships = Dictionary(uniqueKeysWithValues: try await store.townships().map { ($0.id, $0) })
        var classNumbers: [ClassID: Int] = [:]
        let sink = try TableSink(url: url, sheet: ImportKind.students.sheetName)
        try sink.header(studentColumns)
        var q = query
        q.offset = 0
        q.limit = pageSize
        while true {
            let page = try await store.students(q)
            for r in page.items {
                let s = r.student, e = r.enrolment
                var classText = ""
                if let cid = e.classID {
                    if classNumbers[cid] == nil { classNumbers[cid] = try await store.schoolClass(id: cid)?.number }
                    classText = classNumbers[cid].map(String.init) ?? ""
                }
                let school = schools[e.schoolID]
                try sink.row([
                    s.studentNumber, s.name, s.gender.rawValue, s.birthDate.description, s.residentID?.value ?? "", s.ethnicity,
                    s.hukouType.rawValue, s.hukouTownshipID.flatMap { townships[$0]?.code } ?? "", school?.code ?? "",
                    school?.name ?? "", e.grade.name, classText, e.from.description, e.entry.rawValue, yesNo(s.flags.leftBehind),
                    yesNo(s.flags.migrantWorkerChild), s.flags.disability?.rawValue ?? "", yesNo(s.flags.inclusiveClass),
                    s.flags.poverty?.rawValue ?? "", yesNo(s.flags.boarding),
                ])
            }
            q.offset += page.items.count
            if page.items.isEmpty || q.offset >= page.total { break }
        }
        try sink.finish()
        return sink.rows
    }

    public static let staffColumns = ["教职工号", "姓名", "性别", "出生日期", "身份证号", "学校标识码", "学校名称", "岗位类别", "是否在编",
                                      "最高学历", "职称", "任教学科", "教师资格种类", "教师资格证号", "骨干教师", "入职日期", "离职日期"]

    @discardableResult
    public static func staff(from store: any RegistryReading, query: StaffQuery, to url: URL) async throws -> Int {
        let schools = Dictionary(uniqueKeysWithValues: try await store.schools(SchoolFilter()).map { ($0.id, $0) })
        let sink = try TableSink(url: url, sheet: ImportKind.staff.sheetName)
        try sink.header(staffColumns)
        var q = query
        q.offset = 0
        q.limit = pageSize
        while true {
            let page = try await store.staff(q)
            for m in page.items {
                let school = m.schoolID.flatMap { schools[$0] }
                try sink.row([
                    m.staffNumber, m.name, m.gender.rawValue, m.birthDate.description, m.residentID?.value ?? "",
                    school?.code ?? "", school?.name ?? "", m.post.rawValue, yesNo(m.established), m.qualification.rawValue,
                    m.title.rawValue, m.subjects.joined(separator: "、"), m.certificate?.level.rawValue ?? "",
                    m.certificate?.number ?? "", yesNo(m.backbone), m.hired.description, m.left?.description ?? "",
                ])
            }
            q.offset += page.items.count
            if page.items.isEmpty || q.offset >= page.total { break }
        }
        try sink.finish()
        return sink.rows
    }

    public static let schoolColumns = ["学校标识码", "学校名称", "办学类型", "办学性质", "城乡分类", "所属乡镇", "学区", "中心校标识码", "地址",
                                       "开办日期", "校区", "停办日期", "并入学校标识码"]

    @discardableResult
    public static func schools(from store: any RegistryReading, filter: SchoolFilter, to url: URL) async throws -> Int {
        let all = Dictionary(uniqueKeysWithValues: try await store.schools(SchoolFilter()).map { ($0.id, $0) })
        let townships = Dictionary(uniqueKeysWithValues: try await store.townships().map { ($0.id, $0) })
        let zones = Dictionary(uniqueKeysWithValues: try await store.schoolZones().map { ($0.id, $0) })
        let sink = try TableSink(url: url, sheet: ImportKind.schools.sheetName)
        try sink.header(schoolColumns)
        for s in try await store.schools(filter) {
            try sink.row([
                s.code, s.name, s.type.rawValue, s.ownership.rawValue, s.urbanRural.rawValue, townships[s.townshipID]?.name ?? "",
                s.zoneID.flatMap { zones[$0]?.name } ?? "", s.centralSchoolID.flatMap { all[$0]?.code } ?? "", s.address,
                s.opened.description, s.campuses.joined(separator: "、"), s.closed?.description ?? "",
                s.mergedIntoID.flatMap { all[$0]?.code } ?? "",
            ])
        }
        try sink.finish()
        return sink.rows
    }

    public static let auditColumns = ["序号", "时间（UTC）", "操作人", "操作", "对象", "对象编号", "修改前", "修改后"]

    /// The audit log lines the filter matches, newest first as the list shows them; the JSON of
    /// the record before and after is kept as written, so nothing is lost in the copy.
    @discardableResult
    public static func audit(from store: any RegistryReading, entity: String?, actor: String?, to url: URL) async throws -> Int {
        let sink = try TableSink(url: url, sheet: "审计日志", widths: [8, 24, 16, 10, 12, 10, 50, 50])
        try sink.header(auditColumns)
        var offset = 0
        while true {
            let page = try await store.auditEntries(entity: entity, actor: actor, offset: offset, limit: pageSize)
            for e in page.items {
                let action = e.action == .insert ? "新增" : e.action == .update ? "修改" : "批量装载"
                try sink.row([String(e.id), e.at, e.actor, action, e.entity, e.entityID, e.before ?? "", e.after ?? ""])
            }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        try sink.finish()
        return sink.rows
    }
}
