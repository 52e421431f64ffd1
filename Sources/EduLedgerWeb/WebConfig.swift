import EduLedgerCore
import EduLedgerStorage
import Foundation
import Logging

/// Everything the web application needs to start. The database is opened (and migrated) by
/// the caller, so the command line, the tests and the benchmarks share one way in.
public struct WebConfig: Sendable {
    public var database: Database
    public var host: String
    public var port: Int
    /// Demo mode: the demo accounts keep the printed demo password. Outside demo mode a demo
    /// account must choose a new password before it may do anything.
    public var demoMode: Bool
    /// Session cookies carry `Secure` (HTTPS only). Off only for plain-HTTP development on loopback.
    public var secureCookies: Bool
    /// bcrypt cost for new passwords; at least 10 outside tests.
    public var bcryptCost: UInt8
    /// The day the registry is read on ("today"); `nil` uses the current date in China.
    public var today: CivilDate?
    public var sessionLifetime: Duration
    public var logLevel: Logger.Level
    /// How often the deadline watch (期限巡查, `DeadlineWatch`) records 督办 on overdue cases
    /// while the server runs; `nil` turns it off. It also runs once at start.
    public var deadlineWatchInterval: Duration?

    public init(database: Database, host: String = "127.0.0.1", port: Int = 8080, demoMode: Bool = false,
                secureCookies: Bool = true, bcryptCost: UInt8 = 12, today: CivilDate? = nil,
                sessionLifetime: Duration = .seconds(12 * 3600), logLevel: Logger.Level = .info,
                deadlineWatchInterval: Duration? = .seconds(3600)) {
        self.database = database; self.host = host; self.port = port; self.demoMode = demoMode
        self.secureCookies = secureCookies; self.bcryptCost = bcryptCost; self.today = today
        self.sessionLifetime = sessionLifetime; self.logLevel = logLevel
        self.deadlineWatchInterval = deadlineWatchInterval
    }

    /// Today's date in China (Asia/Shanghai), unless fixed by `today`.
    public var currentDate: CivilDate {
        if let today { return today }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return CivilDate(year: c.year ?? 2025, month: c.month ?? 9, day: c.day ?? 1) ?? CivilDate(dayNumber: 0)
    }
}
