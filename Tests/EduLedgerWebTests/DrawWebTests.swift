import ClassAssignment
import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import OfficeFormats
import Testing
@testable import EduLedgerWeb

/// The class draw in the browser, end to end, in-process on both databases: a school registrar
/// runs the whole public draw; an outsider downloads the record and recomputes it.
@Suite("Class draw in the browser")
struct DrawWebTests {
    /// 24 pupils with scores, a 留守 flag, one pair of twins kept together and two namesakes kept apart.
    static let rosterCSV: String = {
        var lines = ["学籍号,姓名,性别,成绩,留守,双胞胎,同名"]
        let names = ["赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七", "王八", "冯九", "陈十", "褚明", "卫东",
                     "蒋南", "沈西", "韩北", "杨中", "朱红", "秦绿", "尤青", "许蓝", "何紫", "吕白", "施黑", "张黄"]
        for (i, name) in names.enumerated() {
            let twin = i == 3 || i == 4 ? "T1" : ""
            let same = i == 10 || i == 11 ? "同名甲" : ""
            let score = 60 + (i * 37) % 41
            lines.append("G2025\(String(format: "%03d", i + 1)),\(name),\(i % 2 == 0 ? "男" : "女"),\(score).5,\(i % 5 == 0 ? 1 : 0),\(twin),\(same)")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static let columns = DrawColumns(scores: [], flags: ["留守"], together: "双胞胎", apart: ["同名"], pin: nil)

    static func post(_ client: any TestClientProtocol, _ session: Session, _ path: String, _ pairs: [(String, String)] = []) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: formType.merging(session.headers),
                                 body: formBody([("_csrf", session.csrf)] + pairs))
    }

    static func get(_ client: any TestClientProtocol, _ session: Session?, _ path: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: session?.headers ?? [:])
    }

    /// Creates a draw through the form and returns its id.
    static func create(_ client: any TestClientProtocol, _ session: Session, school: SchoolID, classes: Int = 3) async throws -> Int64 {
        let r = try await Self.post(client, session, "/draws", [("school", String(school.rawValue)), ("year", "2025"), ("grade", "一年级"),
                                                           ("classCount", String(classes))])
        #expect(r.status.code == 303, "create: \(r.status.code) \(r.text.prefix(300))")
        let location = try #require(r.location)
        return try #require(Int64(location.split(separator: "/").last.map(String.init) ?? ""))
    }

    @Test("a registrar runs the whole public draw; the downloaded record verifies", arguments: TestBackend.available)
    func wholeFlow(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let admin = ActingUser(login: "test-admin", displayName: "测试管理员")
            let service = RegistryService(store: SQLRegistryStore(database: db))
            var teacherIDs = [world.teacher.id.rawValue]
            for (n, name) in [("T0101", "钱老师"), ("T0102", "孙老师")] {
                let t = try await service.addStaff(StaffMember(
                    id: .unsaved, staffNumber: n, name: name, gender: .female, birthDate: CivilDate(year: 1988, month: 1, day: 2)!,
                    residentID: nil, schoolID: nil, post: .fullTimeTeacher, qualification: .bachelor, title: .first,
                    hired: CivilDate(year: 2012, month: 9, day: 1)!), schoolCode: world.district.primary.code, by: admin)
                teacherIDs.append(t.id.rawValue)
            }
            let registrar = try await logIn(client, .registrar)
            #expect(try await Self.get(client, registrar, "/draws/new").status.code == 200)
            let id = try await Self.create(client, registrar, school: world.district.primary.id)
            let page = "/draws/\(id)"
            // A draft is not public yet.
            #expect(try await Self.get(client, nil, "/public/draws/\(id)").status.code == 404)

            // A roster with a bad row is refused as a whole, naming row and column.
            let bad = try await Self.post(client, registrar, "\(page)/roster", [("rosterText", "学籍号,姓名,性别,成绩\n1,甲,男,abc\n"),
                                                                          ("classCount", "3")])
            #expect(bad.status.code == 422)
            #expect(bad.text.contains("成绩"))
            #expect(try #require(try await SQLDrawStore(database: db).draw(id: id)).rosterHash == nil)

            // Upload (as the browser's script sends a chosen file: base64 with its name).
            let upload = try await Self.post(client, registrar, "\(page)/roster", [
                ("rosterBase64", Data(Self.rosterCSV.utf8).base64EncodedString()), ("rosterName", "一年级新生.csv"),
                ("classCount", "3"), ("flags", "留守"), ("together", "双胞胎"), ("apart", "同名")])
            #expect(upload.status.code == 303, "upload: \(upload.text.prefix(500))")
            let expectedHash = try RosterFile.read(data: Data(Self.rosterCSV.utf8), fileName: "x.csv", columns: Self.columns,
                                                   classCount: 3).rosterHash
            let shown = try await Self.get(client, registrar, page)
            #expect(shown.text.contains(expectedHash))
            // Printable before the draw: the notice carries the hash and the names.
            let notice = try await Self.get(client, registrar, "\(page)/notice")
            #expect(notice.status.code == 200)
            #expect(notice.text.contains(expectedHash) && notice.text.contains("赵一"))
            #expect(try await Self.post(client, registrar, "\(page)/publish").status.code == 303)
            // Once published, the roster cannot be replaced; the public sees the hash.
            #expect(try await Self.post(client, registrar, "\(page)/roster", [("rosterText", Self.rosterCSV)]).status.code == 422)
            let early = try await Self.get(client, nil, "/public/draws/\(id)")
            #expect(early.status.code == 200)
            #expect(early.text.contains(expectedHash))

            // The seed is made in public: two parts, with who entered them.
            #expect(try await Self.post(client, registrar, "\(page)/seed", [("value", "3957"), ("enteredBy", "张家长"),
                                                                       ("capacity", "家长代表")]).status.code == 303)
            #expect(try await Self.post(client, registrar, "\(page)/seed", [("value", "0712"), ("enteredBy", "李监督"),
                                                                       ("capacity", "监督员")]).status.code == 303)
            #expect(try await Self.post(client, registrar, "\(page)/seed", [("value", "1+2"), ("enteredBy", "王")]).status.code == 422)
            // Drawing before the seed is fixed is refused.
            #expect(try await Self.post(client, registrar, "\(page)/assign").status.code == 422)
            #expect(try await Self.post(client, registrar, "\(page)/seed/fix").status.code == 303)
            #expect(try await Self.post(client, registrar, "\(page)/assign").status.code == 303)
            let drawn = try await Self.get(client, registrar, page)
            #expect(drawn.text.contains("结果一致"))
            #expect(drawn.text.contains("3957 + 0712"))

            // Lotteries: class labels, and 班主任 only from this school's teachers.
            #expect(try await Self.post(client, registrar, "\(page)/lottery/labels").status.code == 303)
            let tooFew = try await Self.post(client, registrar, "\(page)/lottery/teachers", [("teacher", String(teacherIDs[0])),
                                                                                       ("teacher", String(world.otherTeacher.id.rawValue))])
            #expect(tooFew.status.code == 422)
            #expect(try await Self.post(client, registrar, "\(page)/lottery/teachers",
                                   teacherIDs.map { ("teacher", String($0)) }).status.code == 303)
            #expect(try await Self.post(client, registrar, "\(page)/lottery/labels").status.code == 422)

            let report = try await Self.get(client, registrar, "\(page)/report")
            #expect(report.status.code == 200)
            for text in ["均衡报告", "一年级(1)班", "一年级(3)班", "钱老师", "留守", "分班公示名单", "赵一", "违反约束 0 处"] {
                #expect(report.text.contains(text), "report lacks \(text)")
            }

            // Lock (不调): the draw can no longer be redone; a late enrolee needs a reason and moves nobody.
            #expect(try await Self.post(client, registrar, "\(page)/lock").status.code == 303)
            let redo = try await Self.post(client, registrar, "\(page)/assign")
            #expect(redo.status.code == 422)
            #expect(redo.text.contains("不调"))
            let lateForm: [(String, String)] = [("studentID", "G2025099"), ("name", "迟到生"), ("gender", "女"), ("score_0", "88"),
                                                ("flag_0", "1")]
            let noReason = try await Self.post(client, registrar, "\(page)/late", lateForm + [("reason", " ")])
            #expect(noReason.status.code == 422)
            #expect(noReason.text.contains("理由"))
            #expect(try await SQLDrawStore(database: db).changes(drawID: id).isEmpty)
            #expect(try await Self.post(client, registrar, "\(page)/late", lateForm + [("reason", "外地转入")]).status.code == 303)
            let changes = try await SQLDrawStore(database: db).changes(drawID: id)
            #expect(changes.map(\.reason) == ["外地转入"])
            let afterLate = try await Self.get(client, registrar, "\(page)/report")
            #expect(afterLate.text.contains("迟到生"))

            // The outsider: the record from the public page, the roster as published; verify-draw's check says match.
            let publicPage = try await Self.get(client, nil, "/public/draws/\(id)")
            #expect(publicPage.status.code == 200)
            #expect(publicPage.text.contains("eduledger verify-draw"))
            let recordResponse = try await Self.get(client, nil, "/public/draws/\(id)/record.json")
            #expect(recordResponse.status.code == 200)
            let recordData = Data(buffer: recordResponse.body)
            let published = try JSONDecoder().decode(PublishedDraw.self, from: recordData)
            #expect(published.record.rosterHash == expectedHash)
            #expect(published.record.seedParts == ["3957", "0712"])
            let rosterResponse = try await Self.get(client, registrar, "\(page)/roster")
            #expect(rosterResponse.status.code == 200)
            let rosterData = Data(buffer: rosterResponse.body)
            #expect(rosterData == Data(Self.rosterCSV.utf8))
            let roster = try RosterFile.read(data: rosterData, fileName: "roster.csv", columns: published.columns,
                                             classCount: published.record.settings.classCount)
            #expect(DrawVerifier.verify(record: published.record, roster: roster) == .match)
            // Tampered: one pupil moved in the record, or one score changed in the roster.
            var tampered = published.record
            let first = tampered.placements[0]
            tampered.placements[0].classNumber = first.classNumber % 3 + 1
            #expect(!DrawVerifier.verify(record: tampered, roster: roster).isMatch)
            let changedRoster = try RosterFile.read(data: Data(Self.rosterCSV.replacingOccurrences(of: ",60.5,", with: ",61.5,").utf8),
                                                    fileName: "roster.csv", columns: published.columns, classCount: 3)
            #expect(!DrawVerifier.verify(record: published.record, roster: changedRoster).isMatch)

            // Every write is in the audit log: create, roster, publish, 2 seed parts, seed, assign, 2 lotteries, lock, late.
            let audit = try await SQLRegistryStore(database: db).auditEntries(entity: "class_draw", actor: nil, offset: 0, limit: 100)
            #expect(audit.items.count == 11)
            #expect(audit.items.allSatisfy { $0.actor == WebWorld.login(.registrar) })

            // The JSON API shows the same draw; the bureau overview counts it.
            let api = try await Self.get(client, registrar, "/api/v1/draws/\(id)")
            #expect(api.status.code == 200)
            #expect(api.text.contains("\"state\":\"locked\""))
            let jcjyg = try await logIn(client, .basicEducation)
            let overview = try await Self.get(client, jcjyg, "/draws/overview?year=2025")
            #expect(overview.status.code == 200)
            #expect(overview.text.contains(world.district.primary.name))
            #expect(overview.text.contains("已锁定"))
        }
    }

    @Test("roster from the registry; scope: other schools' draws are 404, roles that may never are 403", arguments: TestBackend.available)
    func registryAndScope(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let registrar = try await logIn(client, .registrar)
            let mine = try await Self.create(client, registrar, school: world.district.primary.id, classes: 1)
            let fromRegistry = try await Self.post(client, registrar, "/draws/\(mine)/roster/registry", [("classCount", "1")])
            #expect(fromRegistry.status.code == 303, "\(fromRegistry.text.prefix(400))")
            let stored = try #require(try await SQLDrawStore(database: db).draw(id: mine))
            #expect(stored.studentCount == 1)
            #expect(String(decoding: stored.rosterFile ?? Data(), as: UTF8.self).contains(world.student.studentNumber))

            // The registrar cannot create a draw for another school.
            let foreign = try await Self.post(client, registrar, "/draws", [("school", String(world.otherSchool.id.rawValue)),
                                                                       ("year", "2025"), ("grade", "一年级"), ("classCount", "2")])
            #expect(foreign.status.code == 404)
            let admin = try await logIn(client, .admin)
            let theirs = try await Self.create(client, admin, school: world.otherSchool.id)
            for path in ["/draws/\(theirs)", "/draws/\(theirs)/report", "/draws/\(theirs)/roster", "/api/v1/draws/\(theirs)"] {
                #expect(try await Self.get(client, registrar, path).status.code == 404, "registrar GET \(path)")
            }
            #expect(try await Self.post(client, registrar, "/draws/\(theirs)/publish").status.code == 404)
            let list = try await Self.get(client, registrar, "/draws")
            #expect(list.text.contains("/draws/\(mine)") && !list.text.contains("/draws/\(theirs)\""))
            // Township: its schools only; zone: the other school only.
            let township = try await logIn(client, .townshipOfficer)
            #expect(try await Self.get(client, township, "/draws/\(mine)").status.code == 200)
            #expect(try await Self.get(client, township, "/draws/\(theirs)").status.code == 404)
            let zone = try await logIn(client, .zoneOfficer)
            #expect(try await Self.get(client, zone, "/draws/\(theirs)").status.code == 200)
            #expect(try await Self.get(client, zone, "/draws/\(mine)").status.code == 404)
            // Roles that may look but never run a draw: 403 on every write, page and API.
            for role in [Role.basicEducation, .leadership, .townshipOfficer, .inspector] {
                let s = try await logIn(client, role)
                for step in ["publish", "seed/fix", "assign", "lock", "lottery/labels"] {
                    #expect(try await Self.post(client, s, "/draws/\(mine)/\(step)").status.code == 403, "\(role) POST \(step)")
                }
                var headers = s.headers
                headers[.contentType] = "application/json"
                headers[.init("X-CSRF-Token")!] = s.csrf
                let api = try await client.execute(uri: "/api/v1/draws/\(mine)/publish", method: .post, headers: headers,
                                                   body: ByteBuffer(string: "{}"))
                #expect(api.status.code == 403)
            }
            // Without the CSRF token a write is refused.
            let noToken = try await client.execute(uri: "/draws/\(mine)/publish", method: .post,
                                                   headers: formType.merging(registrar.headers), body: formBody([]))
            #expect(noToken.status.code == 403)
            #expect(try #require(try await SQLDrawStore(database: db).draw(id: mine)).state == .draft)
        }
    }

    @Test("who may look at and run draws (pure policy)")
    func policy() {
        #expect(Set(Role.allCases.filter { AccessPolicy.may($0, .runDraws) }) == DrawMatrix.runners)
        #expect(Set(Role.allCases.filter { AccessPolicy.may($0, .viewDraws) }) == DrawMatrix.viewers)
        for role in Role.allCases where AccessPolicy.may(role, .runDraws) { #expect(AccessPolicy.may(role, .viewDraws)) }
    }

    @Test("the demo draw: registry roster, locked, listed for the bureau, and it verifies", arguments: TestBackend.available)
    func demoDraw(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let admin = ActingUser(login: "test-admin", displayName: "测试管理员")
            let service = RegistryService(store: SQLRegistryStore(database: db))
            _ = try await service.addClass(schoolCode: world.district.primary.code, year: SmallDistrict.year, grade: .p1, number: 2, by: admin)
            for (i, name) in ["周一", "吴二", "郑三", "王四"].enumerated() {
                _ = try await service.admit(SmallDistrict.student(name: name, birth: CivilDate(year: 2019, month: 5, day: i + 1)!, sequence: 40 + i),
                                            schoolCode: world.district.primary.code, grade: .p1, classNumber: i % 2 + 1,
                                            from: SmallDistrict.day, entry: .intake, by: admin)
            }
            let id = try #require(try await DrawDemo.create(in: db, today: SmallDistrict.day))
            #expect(try await DrawDemo.create(in: db, today: SmallDistrict.day) == nil)
            let draw = try #require(try await SQLDrawStore(database: db).draw(id: id))
            #expect(draw.state == .locked && draw.schoolID == world.district.primary.id && draw.studentCount == 5)
            let record = try await Self.get(client, nil, "/public/draws/\(id)/record.json")
            let published = try JSONDecoder().decode(PublishedDraw.self, from: Data(buffer: record.body))
            let registrar = try await logIn(client, .registrar)
            let file = Data(buffer: try await Self.get(client, registrar, "/draws/\(id)/roster").body)
            let roster = try RosterFile.read(data: file, fileName: "r.csv", columns: published.columns, classCount: 2)
            #expect(DrawVerifier.verify(record: published.record, roster: roster) == .match)
            let overview = try await Self.get(client, try await logIn(client, .leadership), "/draws/overview?year=2025")
            #expect(overview.text.contains("已锁定（不调）") && overview.text.contains("1 / "))
        }
    }

    @Test("an .xlsx roster reads like the same .csv: the same hash", arguments: TestBackend.available)
    func xlsxUpload(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, db in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("draw-xlsx-" + UUID().uuidString)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let url = dir.appendingPathComponent("名单.xlsx")
            var writer = try XLSXWriter(url: url)
            try writer.addSheet("新生")
            let lines = Self.rosterCSV.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            try writer.writeHeader(lines[0])
            for line in lines.dropFirst() {
                try writer.writeRow(line.enumerated().map { $0.offset == 3 ? .number(Double($0.element) ?? -1) : .text($0.element) })
            }
            try writer.finish()
            let registrar = try await logIn(client, .registrar)
            let id = try await Self.create(client, registrar, school: world.district.primary.id)
            let r = try await Self.post(client, registrar, "/draws/\(id)/roster", [
                ("rosterBase64", try Data(contentsOf: url).base64EncodedString()), ("rosterName", "名单.xlsx"), ("classCount", "3"),
                ("flags", "留守"), ("together", "双胞胎"), ("apart", "同名")])
            #expect(r.status.code == 303, "\(r.text.prefix(400))")
            let csvHash = try RosterFile.read(data: Data(Self.rosterCSV.utf8), fileName: "x.csv", columns: Self.columns, classCount: 3).rosterHash
            let stored = try #require(try await SQLDrawStore(database: db).draw(id: id))
            #expect(stored.rosterHash == csvHash)
            #expect(stored.rosterFileName == "名单.xlsx")
            #expect(stored.studentCount == 24)
        }
    }

    @Test("JSON API: the whole draw, with the same refusals", arguments: TestBackend.available)
    func api(_ backend: TestBackend) async throws {
        try await withApp(backend) { client, world, _ in
            let s = try await logIn(client, .principal)
            var headers = s.headers
            headers[.contentType] = "application/json"
            headers[.init("X-CSRF-Token")!] = s.csrf
            func post(_ path: String, _ json: String = "{}") async throws -> TestResponse {
                try await client.execute(uri: "/api/v1" + path, method: .post, headers: headers, body: ByteBuffer(string: json))
            }
            let created = try await post("/draws", "{\"schoolID\":\(world.district.primary.id.rawValue),\"schoolYear\":2025,\"grade\":\"一年级\",\"classCount\":3}")
            #expect(created.status.code == 201, "\(created.text)")
            struct IDOnly: Decodable { var id: Int64; var state: String }
            let id = try JSONDecoder().decode(IDOnly.self, from: Data(buffer: created.body)).id
            let b64 = Data(Self.rosterCSV.utf8).base64EncodedString()
            let badRoster = try await post("/draws/\(id)/roster", "{\"fileName\":\"a.csv\",\"contentBase64\":\"\(Data("学籍号,姓名,性别,成绩\n1,甲,X,9\n".utf8).base64EncodedString())\"}")
            #expect(badRoster.status.code == 422)
            #expect(badRoster.text.contains("\"fields\""))
            let roster = try await post("/draws/\(id)/roster", """
                {"fileName":"r.csv","contentBase64":"\(b64)","classCount":3,"columns":{"scores":[],"flags":["留守"],"together":"双胞胎","apart":["同名"]}}
                """)
            #expect(roster.status.code == 200, "\(roster.text)")
            #expect(try await post("/draws/\(id)/publish").status.code == 200)
            #expect(try await post("/draws/\(id)/seed-parts", "{\"value\":\"42\",\"enteredBy\":\"张家长\"}").status.code == 200)
            #expect(try await post("/draws/\(id)/seed").status.code == 200)
            #expect(try await post("/draws/\(id)/assign").status.code == 200)
            #expect(try await post("/draws/\(id)/lock").status.code == 200)
            let late = try await post("/draws/\(id)/late", "{\"studentID\":\"L1\",\"name\":\"插班生\",\"gender\":\"男\",\"scores\":[\"70\"]}")
            #expect(late.status.code == 422)
            #expect(late.text.contains("draw.reason_required"))
            let report = try await client.execute(uri: "/api/v1/draws/\(id)/report", method: .get, headers: s.headers)
            #expect(report.status.code == 200)
            #expect(report.text.contains("mean_range"))
            let record = try await client.execute(uri: "/api/v1/draws/\(id)/record", method: .get, headers: s.headers)
            let published = try JSONDecoder().decode(PublishedDraw.self, from: Data(buffer: record.body))
            let parsed = try RosterFile.read(data: Data(Self.rosterCSV.utf8), fileName: "r.csv", columns: published.columns, classCount: 3)
            #expect(DrawVerifier.verify(record: published.record, roster: parsed) == .match)
            let list = try await client.execute(uri: "/api/v1/draws", method: .get, headers: s.headers)
            #expect(list.text.contains("\"total\":1"))
            let wrongMethod = try await client.execute(uri: "/api/v1/draws/\(id)/lock", method: .get, headers: s.headers)
            #expect(wrongMethod.status.code == 405)
        }
    }
}

/// The draw routes of the route × role matrix: a draft draw in the primary school and one in the other school.
enum DrawMatrix {
    static let viewers: Set<Role> = [.leadership, .admin, .basicEducation, .supervision, .inspector, .townshipOfficer, .zoneOfficer,
                                     .principal, .registrar]
    static let runners: Set<Role> = [.admin, .principal, .registrar]

    static func routes(_ w: WebWorld, _ db: Database) async throws -> [RouteRoleMatrixTests.Route] {
        let store = SQLDrawStore(database: db)
        let actor = ActingUser(login: "test-admin", displayName: "测试管理员")
        let d1 = try await store.create(schoolID: w.district.primary.id, year: SmallDistrict.year, grade: .p1, classCount: 2,
                                        columnsJSON: "{}", by: actor).id
        let d2 = try await store.create(schoolID: w.otherSchool.id, year: SmallDistrict.year, grade: .p1, classCount: 2,
                                        columnsJSON: "{}", by: actor).id
        func scoped(_ sees: @escaping @Sendable (Role) -> Bool, _ allowed: Set<Role>) -> @Sendable (Role) -> Int {
            { role in allowed.contains(role) ? (sees(role) ? 200 : 404) : 403 }
        }
        let any: @Sendable (Role) -> Bool = { _ in true }
        return [
            .init(path: "/draws", expect: scoped(any, viewers)),
            .init(path: "/draws/overview", expect: scoped(any, viewers)),
            .init(path: "/draws/new", expect: scoped(any, runners)),
            .init(path: "/draws/\(d1)", expect: scoped(WebWorld.seesPrimary, viewers)),
            .init(path: "/draws/\(d2)", expect: scoped(WebWorld.seesOther, viewers)),
            .init(path: "/draws/999999", expect: scoped({ _ in false }, viewers)),
            .init(path: "/api/v1/draws", expect: scoped(any, viewers)),
            .init(path: "/api/v1/draws/\(d1)", expect: scoped(WebWorld.seesPrimary, viewers)),
            .init(path: "/api/v1/draws/\(d2)", expect: scoped(WebWorld.seesOther, viewers)),
        ]
    }
}
