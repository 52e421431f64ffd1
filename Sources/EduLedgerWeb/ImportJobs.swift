import EduLedgerCore
import EduLedgerImport
import Foundation

/// One uploaded file on its way through the import: header check, mapping, preview (a dry run
/// that lists every problem), then the commit in the mode the user chose.
struct ImportJob: Sendable {
    enum Stage: String, Sendable {
        /// The header needs the user's column mapping before anything else.
        case mapping
        /// Reading and validating the file (no writes), progress reported.
        case previewing
        /// The preview is ready: problems shown, mode to choose.
        case previewed
        /// Validating again and writing in one transaction.
        case committing
        /// Written (or refused in all-or-nothing mode): the result is shown.
        case finished
        /// The file cannot be imported at all (not a table, missing columns…).
        case failed
    }

    let id: String
    let kind: ImportKind
    /// Login of the account that uploaded it; nobody else sees the job.
    let owner: String
    let actingUser: ActingUser
    /// A school account's own school: every row must be of this school.
    let schoolCode: String?
    let fileName: String
    let directory: URL
    let file: URL
    let created: Date
    var mapping: [String: String] = [:]
    var header: ImportHeaderCheck?
    var stage: Stage
    var started = Date()
    var done: UInt64 = 0
    var total: UInt64 = 0
    var preview: ImportReport?
    var result: ImportReport?
    var failure: String?
    var allowUpdates = false

    /// Seconds left at the rate so far, once there is a rate to tell.
    func secondsLeft(now: Date) -> Int? {
        guard total > 0, done > 0, done < total else { return nil }
        let elapsed = now.timeIntervalSince(started)
        let fraction = Double(done) / Double(total)
        guard fraction > 0.01 else { return nil }
        return Int((elapsed / fraction - elapsed).rounded())
    }

    var percent: Int { total == 0 ? 0 : Int(min(100, Double(done) * 100 / Double(total))) }
}

/// The import jobs of the running server, by random id. The progress callback of a running
/// import is synchronous, so the jobs sit behind a lock rather than in an actor. Jobs and their
/// files are removed after `lifetime`.
final class ImportJobs: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [String: ImportJob] = [:]
    let root: URL
    static let lifetime: TimeInterval = 6 * 3600

    init() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-imports-\(Tokens.random().prefix(16))")
    }

    /// A new directory for an upload, after removing expired jobs.
    func makeDirectory() throws -> (id: String, url: URL) {
        removeExpired(now: Date())
        let id = String(Tokens.random().prefix(32))
        let url = root.appendingPathComponent(id)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return (id, url)
    }

    func add(_ job: ImportJob) {
        lock.lock(); defer { lock.unlock() }
        jobs[job.id] = job
    }

    /// The job, if it exists and belongs to `owner`.
    func job(_ id: String, owner: String) -> ImportJob? {
        lock.lock(); defer { lock.unlock() }
        guard let job = jobs[id], job.owner == owner else { return nil }
        return job
    }

    func update(_ id: String, _ change: (inout ImportJob) -> Void) {
        lock.lock(); defer { lock.unlock() }
        if var job = jobs[id] {
            change(&job)
            jobs[id] = job
        }
    }

    private func removeExpired(now: Date) {
        lock.lock()
        let expired = jobs.values.filter { now.timeIntervalSince($0.created) > Self.lifetime && $0.stage != .committing
            && $0.stage != .previewing }
        for job in expired { jobs[job.id] = nil }
        lock.unlock()
        for job in expired { try? FileManager.default.removeItem(at: job.directory) }
    }
}
