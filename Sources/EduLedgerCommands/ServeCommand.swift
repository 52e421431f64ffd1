import ArgumentParser
import EduLedgerCore
import EduLedgerDemo
import EduLedgerStorage
import EduLedgerWeb
import Foundation

/// `eduledger serve`: the web application. On an empty database it first loads the demo
/// district and creates the demo accounts, so one command gives a newcomer a working system.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "启动网页服务（数据库为空时先装载演示区县和演示账号）",
        discussion: """
            Ctrl-C（SIGINT）或 SIGTERM 时平稳退出：正在处理的请求处理完后再关闭。
            在本机地址（127.0.0.1、localhost、::1）上以 HTTP 提供服务时，会话 Cookie 不带 Secure 属性；
            其他地址应置于 HTTPS 反向代理之后，Cookie 带 Secure 属性。
            """)

    @Option(help: "监听端口") var port: Int = 8080
    @Option(help: "监听地址") var host: String = "127.0.0.1"
    @Flag(help: "演示模式：演示账号可直接使用演示密码；否则首次登录须修改密码") var demoMode = false
    @Flag(help: "即使在本机地址上也给会话 Cookie 加 Secure 属性（前面有 HTTPS 代理时）") var secureCookies = false
    @Option(help: "数据库为空时装载演示数据所用的随机种子") var seed: UInt64 = 20_260_901
    @Option(help: "期限巡查间隔（分钟）：对超期案件记录督办，启动时先巡查一次；0 为关闭") var deadlineWatchMinutes: Int = 60
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("端口“\(port)”无效：应为0到65535之间的整数") }
        guard (0...10_080).contains(deadlineWatchMinutes) else {
            throw ValidationError("期限巡查间隔“\(deadlineWatchMinutes)”无效：应为0（关闭）到10080分钟之间的整数")
        }
    }

    /// Writes a line to standard output at once: `print` is block-buffered when stdout is a pipe,
    /// and a server that runs for days would keep the URL and the demo accounts in the buffer.
    static func say(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func isLoopback(_ host: String) -> Bool {
        ["127.0.0.1", "localhost", "::1"].contains(host) || host.hasPrefix("127.")
    }

    func run() async throws {
        try await reportingErrors {
            let database = try await Database.open(db.location)
            do {
                try await prepare(database)
                let config = WebConfig(database: database, host: host, port: port, demoMode: demoMode,
                                       secureCookies: secureCookies || !Self.isLoopback(host),
                                       deadlineWatchInterval: deadlineWatchMinutes == 0 ? nil : .seconds(60 * deadlineWatchMinutes))
                let location = db.location
                try await runWebServer(config) { url in
                    Self.say("EduLedger 已启动：\(url)（数据库：\(location)）。按 Ctrl-C 停止。")
                }
                try await database.close()
                Self.say("EduLedger 已停止。")
            } catch {
                try? await database.close()
                throw error
            }
        }
    }

    /// Loads the demo district into an empty database. Creates (the missing) demo accounts and
    /// prints them when the demo was just loaded, in demo mode, or when demo accounts already
    /// exist — never silently on a real district, where a publicly known password would be a way in.
    private func prepare(_ database: Database) async throws {
        let store = SQLRegistryStore(database: database)
        var loadedDemo = false
        if try await store.isEmpty() {
            Self.say("数据库（\(db.location)）为空，正在装载演示区县（种子 \(seed)）……")
            let summary = try await DemoLoader.load(seed: seed, scale: .district, into: store,
                                                    progress: ProgressBar(title: "装载演示数据"))
            Self.say(String(describing: summary))
            loadedDemo = true
            // One finished class draw, so the bureau's draw overview is not empty.
            if let drawID = try await DrawDemo.create(in: database, today: WebConfig(database: database).currentDate) {
                Self.say("演示编班：已完成并锁定一次一年级电脑随机编班，公开核验页 /public/draws/\(drawID)")
            }
        }
        let existing = try await SQLAccountStore(database: database).accounts()
        guard loadedDemo || demoMode || existing.contains(where: \.isDemo) else {
            if existing.isEmpty {
                Self.say("提示：数据库中还没有任何账号。演示账号只在演示数据或 --demo-mode 下自动创建。")
            }
            return
        }
        let accounts = try await DemoAccounts.create(in: database)
        Self.say("")
        Self.say("演示账号（共\(accounts.count)个，密码均为 \(DemoAccounts.password)）：")
        var table = TextTable(header: ["登录名", "角色", "范围"])
        for a in accounts { table.rows.append([a.login, a.roleTitle, a.place]) }
        Self.say(table.render())
        if !demoMode {
            Self.say("未启用演示模式（--demo-mode）：每个演示账号首次登录后须先修改密码。")
        }
        Self.say("")
    }
}
