import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import EduLedgerWeb

/// A minimal W3C WebDriver client over HTTP for chromedriver: enough to log in, click, type
/// and take screenshots, without a third-party library.
struct WebDriver: Sendable {
    let client: TestClient
    let authority: String
    let session: String

    static func chromedriverPath() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = dir + "/chromedriver"
            if FileManager.default.isExecutableFile(atPath: String(path)) { return String(path) }
        }
        return nil
    }

    /// One WebDriver command; the `value` of the answer, or the WebDriver error as a thrown error.
    static func call(_ client: TestClient, _ authority: String, _ method: HTTPRequest.Method, _ path: String,
                     _ body: [String: Any]? = nil) async throws -> Any? {
        var buffer: ByteBuffer?
        if let body { buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)) }
        let response = try await client.execute(TestClient.Request(
            "/" + path, method: method, authority: authority,
            headers: [.contentType: "application/json; charset=utf-8"], body: buffer ?? (method == .post ? ByteBuffer(string: "{}") : nil)))
        let data = response.body.map { Data(buffer: $0) } ?? Data()
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        if let value = object?["value"] as? [String: Any], let error = value["error"] as? String {
            throw WebTestError(message: "WebDriver \(path): \(error) \(value["message"] ?? "")")
        }
        return object?["value"]
    }

    static func start(_ client: TestClient, _ authority: String, width: Int, height: Int) async throws -> WebDriver {
        let caps: [String: Any] = ["capabilities": ["alwaysMatch": ["goog:chromeOptions": [
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)", "--lang=zh-CN"],
        ]]]]
        guard let value = try await call(client, authority, .post, "session", caps) as? [String: Any],
              let id = value["sessionId"] as? String else {
            throw WebTestError(message: "chromedriver did not start a session")
        }
        return WebDriver(client: client, authority: authority, session: id)
    }

    func go(_ url: String) async throws { _ = try await Self.call(client, authority, .post, "session/\(session)/url", ["url": url]) }
    func element(_ css: String) async throws -> String {
        guard let v = try await Self.call(client, authority, .post, "session/\(session)/element", ["using": "css selector", "value": css]) as? [String: Any],
              let id = v.values.first as? String else { throw WebTestError(message: "no element \(css)") }
        return id
    }
    func type(_ css: String, _ text: String) async throws {
        let id = try await element(css)
        _ = try await Self.call(client, authority, .post, "session/\(session)/element/\(id)/clear", [:])
        _ = try await Self.call(client, authority, .post, "session/\(session)/element/\(id)/value", ["text": text])
    }
    func click(_ css: String) async throws {
        _ = try await Self.call(client, authority, .post, "session/\(session)/element/\(try await element(css))/click", [:])
    }
    func title() async throws -> String { try await Self.call(client, authority, .get, "session/\(session)/title") as? String ?? "" }
    func url() async throws -> String { try await Self.call(client, authority, .get, "session/\(session)/url") as? String ?? "" }
    func source() async throws -> String { try await Self.call(client, authority, .get, "session/\(session)/source") as? String ?? "" }
    func screenshot(_ name: String, into dir: URL) async throws {
        guard let b64 = try await Self.call(client, authority, .get, "session/\(session)/screenshot") as? String,
              let png = Data(base64Encoded: b64) else { throw WebTestError(message: "no screenshot") }
        try png.write(to: dir.appendingPathComponent(name + ".png"))
    }
    /// Waits (up to 10 s) until the current URL ends with `suffix`: a click's navigation may still be under way.
    func waitForURL(suffix: String) async throws -> Bool {
        for _ in 0..<100 {
            if try await url().hasSuffix(suffix) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
    /// Waits (up to 10 s) until the page contains `text`.
    func waitForText(_ text: String) async throws -> Bool {
        for _ in 0..<100 {
            if try await source().contains(text) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
    func quit() async { _ = try? await Self.call(client, authority, .delete, "session/\(session)") }
}

/// Headless Chromium drives the running server: roles log in, navigate, edit a student and hit a
/// validation error. Screenshots are kept in `EDULEDGER_ARTEFACTS` (default: a temp directory).
/// Runs when `chromedriver` (Debian package chromium-driver) is on the PATH.
@Suite("Browser", .enabled(if: WebDriver.chromedriverPath() != nil), .serialized)
struct BrowserTests {
    @Test func rolesNavigateEditAndSeeValidationErrors() async throws {
        let artefacts = URL(fileURLWithPath: ProcessInfo.processInfo.environment["EDULEDGER_ARTEFACTS"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-browser").path)
        try FileManager.default.createDirectory(at: artefacts, withIntermediateDirectories: true)
        try await TestDatabases.withFreshDatabase(.sqlite) { location in
            let db = try await Database.open(location)
            let world = try await WebWorld.make(db)
            let config = WebConfig(database: db, port: 0, secureCookies: false, bcryptCost: 4, today: SmallDistrict.day, logLevel: .critical,
                                   deadlineWatchInterval: nil)
            let (urls, continuation) = AsyncStream.makeStream(of: String.self)
            let server = Task { try await runWebServer(config) { continuation.yield($0) } }
            var it = urls.makeAsyncIterator()
            let site = try #require(await it.next())
            let port = 9515 + Int.random(in: 1...400)
            let driverProcess = Process()
            driverProcess.executableURL = URL(fileURLWithPath: try #require(WebDriver.chromedriverPath()))
            driverProcess.arguments = ["--port=\(port)"]
            driverProcess.standardOutput = FileHandle.nullDevice
            driverProcess.standardError = FileHandle.nullDevice
            try driverProcess.run()
            // chromedriver ignores SIGTERM; it is this test's own child, so it is killed by its id and reaped.
            defer {
                kill(driverProcess.processIdentifier, SIGKILL)
                driverProcess.waitUntilExit()
            }
            let authority = "127.0.0.1:\(port)"
            var ready = false
            for _ in 0..<50 where !ready {
                ready = (try? await TestClient.withClient(host: "127.0.0.1", port: port) { c in
                    try await WebDriver.call(c, authority, .get, "status")
                }) != nil
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(ready, "chromedriver answers")
            let driverClient = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60)))
            driverClient.connect()

            func logIn(_ browser: WebDriver, _ role: Role) async throws {
                try await browser.go(site + "/login")
                try await browser.type("#login", WebWorld.login(role))
                try await browser.type("#password", WebWorld.password)
                try await browser.click("button[type=submit]")
            }

            // A principal on a phone: sees their school only, edits a student, makes a mistake first.
            let phone = try await WebDriver.start(driverClient, authority, width: 390, height: 844)
            do {
                try await logIn(phone, .principal)
                #expect(try await phone.waitForURL(suffix: "/dashboard"))
                try await phone.screenshot("principal-dashboard-phone", into: artefacts)
                try await phone.go(site + "/students")
                let list = try await phone.source()
                #expect(list.contains("张小明"))
                #expect(!list.contains("王小红"))
                try await phone.screenshot("principal-students-phone", into: artefacts)
                try await phone.go(site + "/students/\(world.otherStudent.id.rawValue)")
                #expect(try await phone.title().hasPrefix("未找到"))
                try await phone.go(site + "/students/\(world.student.id.rawValue)/edit")
                try await phone.type("#name", "张小明2")
                try await phone.click("form.form button[type=submit]")
                #expect(try await phone.waitForText("姓名不能包含数字"))
                try await phone.screenshot("principal-edit-validation-phone", into: artefacts)
                try await phone.type("#name", "张晓明")
                try await phone.click("input[name=boarding]")
                try await phone.click("form.form button[type=submit]")
                #expect(try await phone.waitForURL(suffix: "/students/\(world.student.id.rawValue)?saved=1"))
                #expect(try await phone.source().contains("已保存"))
                try await phone.screenshot("principal-student-saved-phone", into: artefacts)
            } catch {
                await phone.quit()
                try? await driverClient.shutdown()
                throw error
            }
            await phone.quit()

            // A township officer and the admin on a desktop.
            let desk = try await WebDriver.start(driverClient, authority, width: 1280, height: 900)
            do {
                try await logIn(desk, .townshipOfficer)
                #expect(try await desk.waitForURL(suffix: "/dashboard"))
                try await desk.go(site + "/schools")
                let schools = try await desk.source()
                #expect(schools.contains("东城第一小学"))
                #expect(!schools.contains("王家镇中心小学"))
                try await desk.screenshot("township-schools", into: artefacts)
                try await desk.go(site + "/schools/\(world.district.primary.id.rawValue)")
                try await desk.screenshot("township-school-detail", into: artefacts)
                try await desk.click("form.inline button[type=submit]")
                #expect(try await desk.waitForText("工作人员登录"))
                try await logIn(desk, .admin)
                #expect(try await desk.waitForURL(suffix: "/dashboard"))
                try await desk.go(site + "/audit?entity=student")
                let audit = try await desk.source()
                #expect(audit.contains(WebWorld.login(.principal)))
                #expect(audit.contains("张晓明"))
                try await desk.screenshot("admin-audit", into: artefacts)
            } catch {
                await desk.quit()
                try? await driverClient.shutdown()
                throw error
            }
            await desk.quit()
            try? await driverClient.shutdown()
            server.cancel()
            _ = await server.result
            try await db.close()
        }
    }
}

/// CI installs chromium-driver; there a missing browser must fail the run, not skip the suite.
@Test func browserToolsPresentInCI() {
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        #expect(WebDriver.chromedriverPath() != nil, "CI must install chromium and chromium-driver")
    }
}
