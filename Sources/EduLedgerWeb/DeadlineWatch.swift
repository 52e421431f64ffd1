import EduLedgerCasework
import EduLedgerCore
import EduLedgerStorage
import Logging
import ServiceLifecycle

/// 期限巡查: runs beside the web server as a swift-service-lifecycle `Service`, so an open case
/// whose working-day deadline has passed gets its 督办 step (and a licence application left
/// without a one-time notice is deemed accepted, 行政许可法第32条) without anyone remembering to
/// run `eduledger cases due --escalate`. Each pass is one audited transaction and idempotent —
/// a deadline is escalated once however often the watch runs — so a pass at start-up and one
/// every `interval` are safe across restarts, and a second server would do no double work.
struct DeadlineWatch: Service {
    let cases: SQLCaseStore
    let interval: Duration
    let today: @Sendable () -> CivilDate
    let logger: Logger

    /// One pass on today's date; the steps written (empty when nothing was due). Failures are
    /// logged, never thrown: a busy database must not stop the web server.
    @discardableResult
    func pass() async -> [CaseStep] {
        let day = today()
        do {
            let steps = try await cases.escalateOverdue(today: day)
            if !steps.isEmpty {
                logger.info("期限巡查：\(day.chinese)记录超期督办或视为受理\(steps.count)件")
            }
            return steps
        } catch {
            logger.error("期限巡查失败（\(day.chinese)）：\(String(describing: error))")
            return []
        }
    }

    /// A pass at start, then one per `interval` until the server shuts down gracefully.
    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    await self.pass()
                    try await Task.sleep(for: self.interval)
                }
            }
        } catch is CancellationError {
            // Shutting down: the last pass either committed or rolled back as a whole.
        }
    }
}
