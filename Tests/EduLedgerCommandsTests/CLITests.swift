import EduLedgerCore
import Foundation
import Testing

/// Runs the built `eduledger` executable as a user would, and checks output and exit codes.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("eduledger")
    }

    @discardableResult
    static func run(_ arguments: [String], database: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + (database.map { ["--database", $0] } ?? [])
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "EDULEDGER_DATABASE")
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

@Suite("命令行 eduledger")
struct CLITests {
    @Test("the executable is built beside the tests")
    func executableExists() {
        #expect(FileManager.default.isExecutableFile(atPath: CLI.executable.path),
                "build with `swift build --build-tests` first (scripts/test does)")
    }

    @Test("check-id prints the fields of a valid number and exits 0")
    func checkIDValid() throws {
        let id = try #require(ResidentID.make(regionCode: "431102", birthDate: CivilDate(year: 2012, month: 2, day: 29)!,
                                              sequence: 37))
        let r = try CLI.run(["check-id", id.value])
        #expect(r.status == 0)
        #expect(r.stdout.contains("2012-02-29") && r.stdout.contains("男") && r.stdout.contains("431102"))
        let json = try CLI.run(["check-id", id.value, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["valid"] as? Bool == true && object?["birthDate"] as? String == "2012-02-29")
    }

    @Test("check-id names the fault and exits 1", arguments: [
        ("43110220120229037", "18"), ("431102201202290371", "校验"), ("431102201302290375", "出生日期"),
        ("991102201202290371", "行政区划"),
    ])
    func checkIDInvalid(_ id: String, _ words: String) throws {
        let r = try CLI.run(["check-id", id])
        #expect(r.status == 1)
        #expect(r.stderr.contains(words), "stderr was: \(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("workdays count on the shipped calendars")
    func workdays() throws {
        #expect(try CLI.run(["workdays", "add", "2025-09-30", "1"]).stdout == "2025-10-09\n")
        #expect(try CLI.run(["workdays", "add", "2026-02-13", "1"]).stdout == "2026-02-14\n")  // 调休上班的周六
        #expect(try CLI.run(["workdays", "between", "2025-01-01", "2025-12-31"]).stdout == "248\n")
        let uncovered = try CLI.run(["workdays", "add", "2027-03-01", "5"])
        #expect(uncovered.status == 1 && uncovered.stderr.contains("2027"))
        let bad = try CLI.run(["workdays", "add", "2025-02-30", "5"])
        #expect(bad.status != 0 && bad.stderr.contains("2025-02-30"))
    }

    @Test("the demo district loads once, lists its schools and students, and refuses a second load")
    func demoDistrict() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("demo.sqlite").path
        let load = try CLI.run(["demo", "--seed", "7"], database: db)
        #expect(load.status == 0, "stderr: \(load.stderr)")

        let schools = try CLI.run(["schools", "list", "--json"], database: db)
        let list = try JSONSerialization.jsonObject(with: Data(schools.stdout.utf8)) as? [[String: Any]]
        let count = list?.count ?? 0
        #expect((45...75).contains(count), "\(count) schools")
        let all = try CLI.run(["schools", "list", "--all", "--json"], database: db)
        let allCount = (try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])?.count ?? 0
        #expect(allCount > count, "the merged school is listed with --all")

        let summary = try CLI.run(["summary", "--date", "2026-09-01", "--json"], database: db)
        let counts = try JSONDecoder().decode(RegistryCounts.self, from: Data(summary.stdout.utf8))
        #expect((36_000...44_000).contains(counts.studentsEnrolled), "\(counts.studentsEnrolled) students")
        #expect((2_600...3_400).contains(counts.staffEmployed), "\(counts.staffEmployed) staff")

        let school = try #require(list?.first?["school"] as? [String: Any])
        let code = try #require(school["code"] as? String)
        let students = try CLI.run(["students", "list", "--school", code, "--date", "2026-09-01", "--limit", "3", "--json"],
                                   database: db)
        let rows = try JSONSerialization.jsonObject(with: Data(students.stdout.utf8)) as? [[String: Any]]
        let first = try #require(rows?.first?["student"] as? [String: Any])
        let number = try #require(first["studentNumber"] as? String)
        let show = try CLI.run(["students", "show", number], database: db)
        #expect(show.status == 0 && show.stdout.contains("学籍变动历史"))

        let again = try CLI.run(["demo"], database: db)
        #expect(again.status == 1 && again.stderr.contains("已有数据"))
        #expect(try CLI.run(["demo", "--if-empty"], database: db).status == 0)
    }

    @Test("bad input to add is refused with the field named, and nothing is written")
    func badAdd() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("small.sqlite").path
        #expect(try CLI.run(["demo", "--seed", "3"], database: db).status == 0)
        let before = try CLI.run(["summary", "--json", "--date", "2026-09-01"], database: db).stdout
        let schools = try CLI.run(["schools", "list", "--type", "小学", "--json"], database: db)
        let list = try JSONSerialization.jsonObject(with: Data(schools.stdout.utf8)) as? [[String: Any]]
        let code = try #require((list?.first?["school"] as? [String: Any])?["code"] as? String)

        let badID = try CLI.run(["students", "add", "--name", "测试", "--id", "431102201903030011", "--school", code,
                                 "--grade", "一年级", "--date", "2026-09-01"], database: db)
        #expect(badID.status != 0 && badID.stderr.contains("校验"))
        let id = try #require(ResidentID.make(regionCode: "431102", birthDate: CivilDate(year: 2019, month: 3, day: 3)!,
                                              sequence: 1))
        let wrongGrade = try CLI.run(["students", "add", "--name", "测试", "--id", id.value, "--school", code,
                                      "--grade", "七年级", "--date", "2026-09-01"], database: db)
        #expect(wrongGrade.status == 1 && wrongGrade.stderr.contains("不设七年级"))
        let badDate = try CLI.run(["students", "add", "--name", "测试", "--id", id.value, "--school", code,
                                   "--grade", "一年级", "--date", "2026-02-30"], database: db)
        #expect(badDate.status != 0 && badDate.stderr.contains("2026-02-30"))
        #expect(try CLI.run(["summary", "--json", "--date", "2026-09-01"], database: db).stdout == before)

        let ok = try CLI.run(["students", "add", "--name", "测试", "--id", id.value, "--school", code,
                              "--grade", "一年级", "--date", "2026-09-01"], database: db)
        #expect(ok.status == 0, "stderr: \(ok.stderr)")
        #expect(try CLI.run(["students", "show", id.value], database: db).stdout.contains("测试"))
    }

    @Test("a write killed mid-transaction leaves the database as it was")
    func killMidWrite() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("kill.sqlite").path
        let process = Process()
        process.executableURL = CLI.executable
        process.arguments = ["demo", "--database", db]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the demo transaction is writing (the WAL grows), then kill it hard.
        let wal = db + "-wal"
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
            if size > 2_000_000 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let summary = try CLI.run(["summary", "--json", "--date", "2026-09-01"], database: db)
        #expect(summary.status == 0, "stderr: \(summary.stderr)")
        let counts = try JSONDecoder().decode(RegistryCounts.self, from: Data(summary.stdout.utf8))
        #expect(counts.studentsEnrolled == 0 && counts.schoolsEver == 0)
        let reload = try CLI.run(["demo"], database: db)
        #expect(reload.status == 0, "a clean retry works: \(reload.stderr)")
    }

    @Test("report check finds a wrong average and a wrong total, and exits 2")
    func reportCheck() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("report.txt")
        try """
        某某区教育局2025年工作总结
        一、基本情况
        全镇3所学校共有学生2218人，57个班，平均班额47人。
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["report", "check", file.path, "--json"])
        #expect(r.status == 2)
        let findings = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
        #expect(findings?.contains { ($0["kind"] as? String) == "average_mismatch" && ($0["line"] as? Int) == 3 } == true)
    }
}

@Suite("命令行编班 classes assign / verify-draw")
struct ClassDrawCLITests {
    static func writeRoster(_ url: URL, count: Int) throws {
        var lines = ["学籍号,姓名,性别,成绩,留守,双胞胎"]
        var state: UInt64 = 42
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        for i in 0..<count {
            let score = 40 + Double(next() % 141) / 2
            let twin = i < 4 ? "T\(i / 2)" : ""
            lines.append("G\(100_000 + i),学生\(i),\(next() % 2 == 0 ? "男" : "女"),\(score),\(next() % 7 == 0 ? 1 : 0),\(twin)")
        }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    @Test("a draw is balanced, reproducible, and verifiable by an outsider; tampering is caught")
    func drawAndVerify() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let roster = dir.appendingPathComponent("roster.csv")
        try Self.writeRoster(roster, count: 240)
        let args = ["classes", "assign", "--roster", roster.path, "--classes", "6", "--seed-part", "0731",
                    "--seed-part", "5520", "--balance", "留守", "--together", "双胞胎"]
        let first = try CLI.run(args + ["--out", dir.appendingPathComponent("a.csv").path,
                                        "--report", dir.appendingPathComponent("a.json").path,
                                        "--record", dir.appendingPathComponent("record.json").path])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(try CLI.run(args + ["--out", dir.appendingPathComponent("b.csv").path]).status == 0)
        let a = try String(contentsOf: dir.appendingPathComponent("a.csv"), encoding: .utf8)
        let b = try String(contentsOf: dir.appendingPathComponent("b.csv"), encoding: .utf8)
        #expect(a == b && a.hasPrefix("id,class\n"))
        let classOf = Dictionary(uniqueKeysWithValues: a.split(separator: "\n").dropFirst().map { line in
            let parts = line.split(separator: ",")
            return (String(parts[0]), String(parts[1]))
        })
        #expect(classOf["G100000"] == classOf["G100001"], "twins in one class")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("a.json"))) as? [String: Any]
        #expect(report?["size_range"] as? Int == 0)
        #expect((report?["gender_max_diff"] as? Int ?? 9) <= 1)
        #expect(report?["constraints_violated"] as? Int == 0)

        let verify = try CLI.run(["verify-draw", "--record", dir.appendingPathComponent("record.json").path, "--roster", roster.path])
        #expect(verify.status == 0 && verify.stdout.hasPrefix("match"))
        var text = try String(contentsOf: roster, encoding: .utf8)
        text = text.replacingOccurrences(of: "G100010,学生10,", with: "G100010,学生十,")
        try text.write(to: roster, atomically: true, encoding: .utf8)
        let tampered = try CLI.run(["verify-draw", "--record", dir.appendingPathComponent("record.json").path, "--roster", roster.path])
        #expect(tampered.status == 1 && tampered.stdout.hasPrefix("mismatch"))
    }

    @Test("bad rosters name the row and column, and nothing is written")
    func badRoster() throws {
        let dir = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let roster = dir.appendingPathComponent("bad.csv")
        try "学籍号,姓名,性别,成绩\nG1,甲,男,80\nG1,乙,女,七十\n".write(to: roster, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out.csv")
        let r = try CLI.run(["classes", "assign", "--roster", roster.path, "--classes", "2", "--seed", "x", "--out", out.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("3") && r.stderr.contains("成绩"), "stderr: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let tooMany = try CLI.run(["classes", "assign", "--roster", roster.path, "--classes", "9", "--seed", "x", "--out", out.path])
        #expect(tooMany.status != 0 && !FileManager.default.fileExists(atPath: out.path))
    }
}
