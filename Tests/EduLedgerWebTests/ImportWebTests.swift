import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// The import pages in-process, with real multipart uploads, on SQLite and PostgreSQL.
@Suite("Web import and export")
struct ImportWebTests {
    static let header = ["学籍号", "姓名", "性别", "出生日期", "身份证号", "学校标识码", "年级", "班级", "入学日期"]

    /// A valid grade-1 pupil of `school` (class 1 of 2025), born in May 2019, number `n`.
    static func pupil(_ n: Int, school: String = "2143110201", name: String? = nil) -> [String] {
        let birth = CivilDate(year: 2019, month: 5, day: 1)!.adding(days: n)
        let rid = ResidentID.make(regionCode: "431102", birthDate: birth, sequence: 100 + n)?.value ?? ""
        return ["G" + rid, name ?? "导入生\(n)", (100 + n) % 2 == 1 ? "男" : "女", birth.description, rid, school, "一年级", "1", "2025-09-01"]
    }

    static func csv(_ header: [String], _ rows: [[String]]) -> Data {
        Data(("\u{FEFF}" + ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static let boundary = "----EduLedgerTestBoundary7MA4YWxk"

    static func multipart(_ fields: [(String, String)], file: (name: String, data: Data)?) -> ByteBuffer {
        var body = Data()
        for (k, v) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        if let file {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
            body += file.data
            body += Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: body)
    }

    static func upload(_ client: any TestClientProtocol, _ session: Session, kind: String, name: String = "名单.csv", data: Data,
                       csrf: String? = nil, update: Bool = false) async throws -> TestResponse {
        var fields = [("_csrf", csrf ?? session.csrf), ("kind", kind)]
        if update { fields.append(("update", "1")) }
        return try await client.execute(
            uri: "/imports", method: .post,
            headers: session.headers.merging([.contentType: "multipart/form-data; boundary=\(boundary)"]),
            body: multipart(fields, file: (name, data)))
    }

    /// Uploads and follows the redirect to the job page (or the mapping page).
    static func uploadAndOpen(_ client: any TestClientProtocol, _ session: Session, kind: String, data: Data)
        async throws -> (location: String, page: String) {
        let r = try await upload(client, session, kind: kind, data: data)
        #expect(r.status == .seeOther, "upload: \(r.status) \(r.text.prefix(300))")
        let location = try #require(r.location)
        let page = try await client.execute(uri: location, method: .get, headers: session.headers)
        #expect(page.status == .ok)
        return (location, page.text)
    }

    static func commit(_ client: any TestClientProtocol, _ session: Session, job: String, mode: ImportMode) async throws -> String {
        let r = try await client.execute(uri: job + "/commit", method: .post, headers: formType.merging(session.headers),
                                         body: formBody([("_csrf", session.csrf), ("mode", mode.rawValue)]))
        #expect(r.status == .seeOther, "commit: \(r.status) \(r.text.prefix(300))")
        return try await client.execute(uri: job, method: .get, headers: session.headers).text
    }

    static func enrolled(_ db: Database) async throws -> Int {
        try await SQLRegistryStore(database: db).counts(on: SmallDistrict.day).studentsEnrolled
    }

    static func auditTotal(_ db: Database) async throws -> Int {
        try await SQLRegistryStore(database: db).auditEntries(entity: nil, actor: nil, offset: 0, limit: 1).total
    }

    static var mixedFile: Data {
        var badDate = pupil(4)
        badDate[3] = "2019-02-30"
        var badID = pupil(5)
        badID[4] = String(badID[4].dropLast()) + (badID[4].hasSuffix("1") ? "2" : "1")
        badID[0] = "G" + badID[4]
        return csv(header, [pupil(1), pupil(2), pupil(3), badDate, badID])
    }

    @Test("preview lists every problem; all-or-nothing writes nothing; valid-rows writes only the valid rows",
          arguments: TestBackend.available)
    func previewAndCommit(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, db in
            let session = try await logIn(client, .basicEducation)
            let before = try await Self.enrolled(db)
            let auditBefore = try await Self.auditTotal(db)

            let (job, preview) = try await Self.uploadAndOpen(client, session, kind: "students", data: Self.mixedFile)
            #expect(preview.contains("读取5行，有效3行，有问题2行"))
            #expect(preview.contains("不是真实存在的日期"))
            #expect(preview.contains("2019-02-30"))
            #expect(preview.contains("校验位不符"), "the check-digit problem is listed too")
            #expect(try await Self.enrolled(db) == before, "a preview writes nothing")

            let refused = try await Self.commit(client, session, job: job, mode: .allOrNothing)
            #expect(refused.contains("未写入数据库"))
            #expect(try await Self.enrolled(db) == before)
            #expect(try await Self.auditTotal(db) == auditBefore, "all-or-nothing with problems leaves the database unchanged")

            let (job2, _) = try await Self.uploadAndOpen(client, session, kind: "students", data: Self.mixedFile)
            let done = try await Self.commit(client, session, job: job2, mode: .validRows)
            #expect(done.contains("新增3条"))
            #expect(try await Self.enrolled(db) == before + 3)
            let store = SQLRegistryStore(database: db)
            #expect(try await store.student(number: Self.pupil(1)[0]) != nil)
            #expect(try await store.student(number: Self.pupil(4)[0]) == nil)
            let audit = try await store.auditEntries(entity: nil, actor: WebWorld.login(.basicEducation), offset: 0, limit: 50)
            #expect(!audit.items.isEmpty, "the import is audited under the user's login")

            // The rejected rows come back as a file to correct, with the messages.
            let rejected = try await client.execute(uri: job2 + "/rejected?format=csv", method: .get, headers: session.headers)
            #expect(rejected.status == .ok)
            let text = rejected.text
            #expect(text.contains(Self.pupil(4)[1]) && text.contains(Self.pupil(5)[1]) && !text.contains(Self.pupil(1)[1]))
            let annotated = try await client.execute(uri: job2 + "/annotated", method: .get, headers: session.headers)
            #expect(annotated.status == .ok)
            #expect(annotated.headers[.contentType]?.contains("spreadsheetml") == true)
            // A job cannot be committed twice.
            let again = try await client.execute(uri: job2 + "/commit", method: .post, headers: formType.merging(session.headers),
                                                 body: formBody([("_csrf", session.csrf), ("mode", "valid-rows")]))
            #expect(again.status == .badRequest)
            // Another user does not see the job.
            let other = try await logIn(client, .admin)
            #expect(try await client.execute(uri: job2, method: .get, headers: other.headers).status == .notFound)
        }
    }

    @Test("after a server restart a job's address explains itself (404 page in Chinese, progress JSON), the data stays",
          arguments: TestBackend.available)
    func jobGoneAfterRestart(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, db in
            let session = try await logIn(client, .basicEducation)
            let before = try await Self.enrolled(db)
            let (job, _) = try await Self.uploadAndOpen(client, session, kind: "students",
                                                        data: Self.csv(Self.header, [Self.pupil(41), Self.pupil(42)]))
            #expect(try await Self.commit(client, session, job: job, mode: .allOrNothing).contains("新增2条"))

            // A second server on the same database: the jobs of the first one are not in its memory.
            let config = WebConfig(database: db, demoMode: true, secureCookies: false, bcryptCost: 4, today: SmallDistrict.day,
                                   logLevel: .critical)
            let restarted = try await buildApplication(config)
            try await restarted.test(.router) { client in
                let session = try await logIn(client, .basicEducation)
                for path in [job, job + "/mapping", job + "/annotated", job + "/rejected?format=csv"] {
                    let page = try await client.execute(uri: path, method: .get, headers: session.headers)
                    #expect(page.status == .notFound, "\(path)")
                    #expect(page.text.contains("服务器重启后该导入任务已不可查：已提交的数据在库中"), "\(path)")
                    #expect(page.text.contains("href=\"/imports\""), "a link back to the import page")
                }
                let commit = try await client.execute(uri: job + "/commit", method: .post, headers: formType.merging(session.headers),
                                                      body: formBody([("_csrf", session.csrf), ("mode", "all-or-nothing")]))
                #expect(commit.status == .notFound && commit.text.contains("已不可查"))
                let progress = try await client.execute(uri: job + "/progress", method: .get, headers: session.headers)
                #expect(progress.status == .notFound)
                #expect(progress.headers[.contentType]?.contains("application/json") == true)
                #expect(progress.text.contains("\"stage\":\"gone\""), "the page's script stops polling and reloads")
            }
            #expect(try await Self.enrolled(db) == before + 2, "what was committed before the restart is in the database")
        }
    }

    @Test("an unrecognised header goes through the mapping step, which the commit uses", arguments: TestBackend.available)
    func mapping(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, db in
            let session = try await logIn(client, .admin)
            var header = Self.header
            header[1] = "FullName"
            let data = Self.csv(header, [Self.pupil(21), Self.pupil(22)])
            let r = try await Self.upload(client, session, kind: "students", data: data)
            #expect(r.status == .seeOther)
            let location = try #require(r.location)
            #expect(location.hasSuffix("/mapping"))
            let form = try await client.execute(uri: location, method: .get, headers: session.headers)
            #expect(form.text.contains("FullName") && form.text.contains("缺少必填项：姓名"))
            let before = try await Self.enrolled(db)
            // Mapping to a column the file lacks is refused with a message.
            let wrong = try await client.execute(uri: location, method: .post, headers: formType.merging(session.headers),
                                                 body: formBody([("_csrf", session.csrf), ("field.name", "不存在的列")]))
            #expect(wrong.status == .unprocessableContent)
            let mapped = try await client.execute(uri: location, method: .post, headers: formType.merging(session.headers),
                                                  body: formBody([("_csrf", session.csrf), ("field.name", "FullName")]))
            #expect(mapped.status == .seeOther)
            let job = try #require(mapped.location)
            let preview = try await client.execute(uri: job, method: .get, headers: session.headers).text
            #expect(preview.contains("有效2行，有问题0行"))
            let done = try await Self.commit(client, session, job: job, mode: .allOrNothing)
            #expect(done.contains("新增2条"))
            #expect(try await Self.enrolled(db) == before + 2)
            let store = SQLRegistryStore(database: db)
            #expect(try await store.student(number: Self.pupil(21)[0])?.name == "导入生21")
        }
    }

    @Test("a registrar imports into their own school only; roles without the right get 403; CSRF is checked",
          arguments: TestBackend.available)
    func scope(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let registrar = try await logIn(client, .registrar)
            #expect(try await client.execute(uri: "/imports", method: .get, headers: registrar.headers).status == .ok)
            let data = Self.csv(Self.header, [Self.pupil(31), Self.pupil(32, school: world.otherSchool.code)])
            let (job, preview) = try await Self.uploadAndOpen(client, registrar, kind: "students", data: data)
            #expect(preview.contains("只能导入本校"))
            #expect(preview.contains("有效1行，有问题1行"))
            let before = try await Self.enrolled(db)
            _ = try await Self.commit(client, registrar, job: job, mode: .validRows)
            #expect(try await Self.enrolled(db) == before + 1)
            let store = SQLRegistryStore(database: db)
            #expect(try await store.student(number: Self.pupil(32)[0]) == nil)
            // Kinds outside the role's rights, and roles that may never import.
            #expect(try await Self.upload(client, registrar, kind: "schools", data: data).status == .forbidden)
            #expect(try await client.execute(uri: "/import-templates/schools", method: .get, headers: registrar.headers).status == .forbidden)
            for role in [Role.finance, .inspector, .principal, .townshipOfficer, .leadership] {
                let s = try await logIn(client, role)
                #expect(try await client.execute(uri: "/imports", method: .get, headers: s.headers).status == .forbidden, "\(role)")
                #expect(try await Self.upload(client, s, kind: "students", data: data).status == .forbidden, "\(role)")
            }
            // A forged form without the session's token.
            let admin = try await logIn(client, .admin)
            let forged = try await Self.upload(client, admin, kind: "students", data: data, csrf: String(repeating: "0", count: 64))
            #expect(forged.status == .forbidden)
            #expect(try await Self.enrolled(db) == before + 1)
            // Templates download as workbooks.
            let template = try await client.execute(uri: "/import-templates/students", method: .get, headers: admin.headers)
            #expect(template.status == .ok && template.headers[.contentDisposition]?.contains("attachment") == true)
        }
    }

    @Test("population and resources import through the page", arguments: TestBackend.available)
    func statistics(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, _, db in
            let session = try await logIn(client, .basicEducation)
            let population = Self.csv(["学年", "乡镇", "年龄", "性别", "人数", "其中残疾儿童"],
                                      [["2025", "东城街道", "6", "男", "120", "1"], ["2025", "王家镇", "6", "女", "80", ""]])
            let (job, preview) = try await Self.uploadAndOpen(client, session, kind: "population", data: population)
            #expect(preview.contains("有效2行，有问题0行"))
            let done = try await Self.commit(client, session, job: job, mode: .allOrNothing)
            #expect(done.contains("新增2条"))
            let facts = try await IndicatorFactsLoader(database: db).load(years: 2025...2025)
            #expect(facts.population.map(\.count).sorted() == [80, 120])
        }
    }

    /// The data rows of an exported CSV (header and BOM dropped).
    static func csvRows(_ text: String) -> [String] {
        Array(text.split(whereSeparator: \.isNewline).dropFirst().map(String.init))
    }

    @Test("exports hold exactly the rows the filtered list shows", arguments: TestBackend.available)
    func exports(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, _ in
            let admin = try await logIn(client, .admin)
            let p = world.district.primary.id.rawValue, o = world.otherSchool.id.rawValue
            let all = try await client.execute(uri: "/exports/students?format=csv", method: .get, headers: admin.headers)
            #expect(all.status == .ok)
            #expect(Self.csvRows(all.text).count == 2)
            let primary = try await client.execute(uri: "/exports/students?format=csv&school=\(p)", method: .get, headers: admin.headers)
            let rows = Self.csvRows(primary.text)
            #expect(rows.count == 1 && rows[0].contains(world.student.studentNumber))
            let searched = try await client.execute(uri: "/exports/students?format=csv&q=" + "王小红".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                                                    method: .get, headers: admin.headers)
            #expect(Self.csvRows(searched.text).count == 1 && searched.text.contains(world.otherStudent.studentNumber))
            let xlsx = try await client.execute(uri: "/exports/students?format=xlsx&school=\(p)", method: .get, headers: admin.headers)
            #expect(xlsx.status == .ok && xlsx.headers[.contentType]?.contains("spreadsheetml") == true)
            // The list page offers the export with its filters.
            let list = try await client.execute(uri: "/students?school=\(p)", method: .get, headers: admin.headers)
            #expect(list.text.contains("action=\"/exports/students\"") && list.text.contains("name=\"school\" value=\"\(p)\""))
            let staff = try await client.execute(uri: "/exports/staff?format=csv&school=\(o)", method: .get, headers: admin.headers)
            #expect(Self.csvRows(staff.text).count == 1 && staff.text.contains(world.otherTeacher.staffNumber))
            let schools = try await client.execute(uri: "/exports/schools?format=csv", method: .get, headers: admin.headers)
            #expect(Self.csvRows(schools.text).count == 3, "open schools only, as the list shows by default")
            let audit = try await client.execute(uri: "/exports/audit?format=csv&entity=school", method: .get, headers: admin.headers)
            #expect(audit.status == .ok && Self.csvRows(audit.text).allSatisfy { $0.contains(",school,") })
            // Scope: a registrar's export has only their school; another school's filter is 404.
            let registrar = try await logIn(client, .registrar)
            let own = try await client.execute(uri: "/exports/students?format=csv", method: .get, headers: registrar.headers)
            #expect(Self.csvRows(own.text).count == 1 && own.text.contains(world.student.studentNumber))
            #expect(try await client.execute(uri: "/exports/students?school=\(o)", method: .get, headers: registrar.headers).status == .notFound)
            #expect(try await client.execute(uri: "/exports/audit", method: .get, headers: registrar.headers).status == .forbidden)
            // A class roster from the class page; another school's class is not found.
            let classID = world.otherClass.id.rawValue
            let classPage = try await client.execute(uri: "/classes/\(classID)", method: .get, headers: admin.headers)
            #expect(classPage.text.contains("/exports/students?class=\(classID)&amp;format=xlsx"))
            let roster = try await client.execute(uri: "/exports/students?format=csv&class=\(classID)", method: .get, headers: admin.headers)
            #expect(roster.status == .ok && Self.csvRows(roster.text).count == 1 && roster.text.contains(world.otherStudent.studentNumber))
            #expect(roster.headers[.contentDisposition]?.contains("%E5%AD%A6%E7%94%9F%E5%90%8D%E5%8D%95") == true)   // 学生名单
            #expect(try await client.execute(uri: "/exports/students?format=csv&class=\(classID)", method: .get,
                                             headers: registrar.headers).status == .notFound)
            #expect(try await client.execute(uri: "/exports/students?format=csv&class=999999", method: .get,
                                             headers: admin.headers).status == .notFound)
            // The statistics workbook: bureau roles only.
            let leader = try await logIn(client, .leadership)
            let stats = try await client.execute(uri: "/exports/statistics", method: .get, headers: leader.headers)
            #expect(stats.status == .ok && stats.headers[.contentType]?.contains("spreadsheetml") == true)
            #expect(try await client.execute(uri: "/exports/statistics", method: .get, headers: registrar.headers).status == .forbidden)
        }
    }
}

extension WebWorld {
    /// Roles that import something (students, staff, schools or statistics), written out by hand.
    static let importers: Set<Role> = [.admin, .basicEducation, .personnel, .registrar]
    /// Bureau roles (district-wide accounts) download the statistics workbook.
    static let statisticsReaders: Set<Role> = [.leadership, .admin, .office, .basicEducation, .personnel, .finance, .safety,
                                               .supervision, .petitions, .licensing, .research, .inspector]
}
