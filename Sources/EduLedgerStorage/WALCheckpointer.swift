import Foundation
import NIOConcurrencyHelpers
import SQLiteKit

/// Copies SQLite's write-ahead log back into the database file on a connection of its own,
/// beside the writer instead of inside a commit.
///
/// Why: with SQLite's automatic checkpoint, the commit that fills the log to 1 000 pages copies
/// them and syncs the file before it returns, so one write in every few dozen took several
/// milliseconds longer — the p99 of case creation at 50 users (benchmark of issue 9). Here the
/// writer's automatic checkpoint is off, and after every `batch` commits (or a long
/// transaction, a bulk load) a passive checkpoint runs in the background: it never blocks the
/// writer or the readers, and at most one runs at a time.
final class WALCheckpointer: Sendable {
    private let connection: SQLiteConnection
    private let state = NIOLockedValueBox(State())
    static let batch = 32

    private struct State {
        var commits = 0
        var running: Task<Void, Never>?
        var closed = false
    }

    init(connection: SQLiteConnection) { self.connection = connection }

    /// After a commit: starts a checkpoint when enough has been written since the last one.
    func committed(long: Bool) {
        state.withLockedValue { s in
            s.commits += 1
            guard !s.closed, s.running == nil, s.commits >= Self.batch || long else { return }
            s.commits = 0
            let connection = self.connection
            s.running = Task { [weak self] in
                _ = try? await connection.query("PRAGMA wal_checkpoint(PASSIVE)")
                self?.state.withLockedValue { $0.running = nil }
            }
        }
    }

    /// Waits for a running checkpoint and closes the connection.
    func close() async {
        let running = state.withLockedValue { s -> Task<Void, Never>? in
            s.closed = true
            return s.running
        }
        await running?.value
        try? await connection.close()
    }
}
