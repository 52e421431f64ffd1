import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import OfficeFormats

/// Files for import tests, written with OfficeFormats' own writers into a temporary directory.
struct Scratch {
    let dir: URL
    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    func url(_ name: String) -> URL { dir.appendingPathComponent(name) }
    func remove() { try? FileManager.default.removeItem(at: dir) }

    func xlsx(_ name: String, sheet: String = "学生信息", header: [String], rows: [[String]]) throws -> URL {
        let u = url(name)
        var w = try XLSXWriter(url: u)
        try w.addSheet(sheet)
        try w.writeHeader(header)
        for r in rows { try w.writeRow(r) }
        try w.finish()
        return u
    }

    func csv(_ name: String, header: [String], rows: [[String]]) throws -> URL {
        let u = url(name)
        var w = try CSVWriter(url: u, byteOrderMark: true, protectFormulas: false)
        try w.writeRow(header)
        for r in rows { try w.writeRow(r) }
        try w.finish()
        return u
    }
}

/// Student rows in the template's column order, for the small test district.
enum StudentRows {
    static let header = ["学籍号", "姓名", "性别", "出生日期", "身份证号", "学校标识码", "年级", "班级", "入学日期"]

    static func id(_ birth: CivilDate, _ sequence: Int) -> String {
        ResidentID.make(regionCode: "431102", birthDate: birth, sequence: sequence)?.value ?? ""
    }

    /// A valid grade-1 pupil of 东城第一小学 in class 1 of 2025, number `n`.
    static func pupil(_ n: Int, name: String? = nil) -> [String] {
        let birth = CivilDate(year: 2019, month: 3, day: 1)!.adding(days: n % 300)
        let rid = id(birth, n % 1000)
        return ["G" + rid, name ?? "学生\(n)", n % 2 == 1 ? "男" : "女", birth.description, rid, "2143110201", "一年级", "1",
                "2025-09-01"]
    }
}

/// A fresh SQLite store with the small district, for one test.
func withDistrict<T>(_ backend: TestBackend = .sqlite,
                     _ body: (SQLRegistryStore, SmallDistrict, Scratch) async throws -> T) async throws -> T {
    let scratch = try Scratch()
    defer { scratch.remove() }
    return try await TestDatabases.withStore(backend) { store in
        let district = try await SmallDistrict.make(in: store)
        return try await body(store, district, scratch)
    }
}

/// Everything a test may compare to prove "the database is unchanged".
func fingerprint(_ store: SQLRegistryStore) async throws -> String {
    let counts = try await store.counts(on: SmallDistrict.day)
    let audit = try await store.auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total
    let keys = try await store.studentKeys().count + store.staffKeys().count
    let schools = try await store.schools(SchoolFilter()).count
    return "\(counts.studentsEnrolled)/\(counts.staffEmployed)/\(audit)/\(keys)/\(schools)"
}
