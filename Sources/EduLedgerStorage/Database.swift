import EduLedgerCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
@preconcurrency import AsyncKit
import PostgresKit
import SQLKit
import SQLiteKit

/// Where the ledger lives: an embedded SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    /// The default for a single bureau: `./eduledger.sqlite`.
    public static let defaultLocation = DatabaseLocation.sqlite(path: "eduledger.sqlite")

    /// Parses `--database` / `EDULEDGER_DATABASE`: a `postgres://` or `postgresql://` URL, a
    /// `sqlite:` prefixed path, or a plain file path.
    public init(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("postgres://") || t.hasPrefix("postgresql://") {
            self = .postgres(url: t)
        } else if t.hasPrefix("sqlite://") {
            self = .sqlite(path: String(t.dropFirst("sqlite://".count)))
        } else if t.hasPrefix("sqlite:") {
            self = .sqlite(path: String(t.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: t)
        }
    }

    /// For messages: never prints a password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "SQLite \(path)"
        case .postgres(let url):
            guard var c = URLComponents(string: url) else { return "PostgreSQL" }
            if c.password != nil { c.password = "***" }
            return "PostgreSQL \(c.string ?? "")"
        }
    }
}

/// The SQL dialect differences the storage cares about; everything else is shared SQL.
public enum SQLFlavor: String, Sendable {
    case sqlite, postgres
}

/// A storage failure a user can act on, in Chinese.
public struct StorageError: UserFacingError {
    public var code: String
    public var message: String
    public init(code: String, message: String) { self.code = code; self.message = message }
}

/// An open database: the shared `SQLDatabase` for reads, and `transaction` for writes.
///
/// SQLite: one connection for writing, whose transactions are run one at a time (SQLite has a
/// single writer anyway), and a second connection for reads, which in WAL mode sees only
/// committed data and never blocks on the writer. PostgreSQL: a connection pool; each
/// transaction holds one pooled connection from BEGIN to COMMIT.
public final class Database: Sendable {
    public let flavor: SQLFlavor
    public let location: DatabaseLocation
    /// For reads outside a transaction.
    public let reader: any SQLDatabase
    private let backend: Backend
    private let writeGate = AsyncGate()

    private enum Backend: Sendable {
        case sqlite(writer: SQLiteConnection, readers: [SQLiteConnection], checkpointer: WALCheckpointer)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    private init(flavor: SQLFlavor, location: DatabaseLocation, reader: any SQLDatabase, backend: Backend) {
        self.flavor = flavor; self.location = location; self.reader = reader; self.backend = backend
    }

    /// Read connections per SQLite database: one per core of this 2-core class of machine, plus one.
    static let sqliteReaders = 3

    /// Opens (creating an SQLite file if needed) and brings the schema up to date.
    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "eduledger.db"),
                            migrate: Bool = true) async throws -> Database {
        let db: Database
        switch location {
        case .sqlite(let path):
            let writer: SQLiteConnection
            var readers: [SQLiteConnection] = []
            let checkpointer: WALCheckpointer
            do {
                writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                // 16 KiB pages (set before anything is written, so only a new file takes it; an existing
                // file keeps its size): a B-tree of 16 KiB pages is a level shallower and splits a
                // quarter as often, and filling the registry's indexes on a 150 000-pupil import cost
                // SQLite about a sixth less than with the default 4 KiB (BENCHMARKS.md, import).
                // WAL: readers never see a half-written transaction and never block the writer;
                // a process killed mid-transaction leaves the last commit intact.
                for pragma in ["PRAGMA page_size = 16384", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -65536",
                               "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000", "PRAGMA wal_autocheckpoint = 0"] {
                    _ = try await writer.query(pragma)
                }
                // Several read connections, so concurrent page views are not queued behind one another.
                for _ in 0..<Self.sqliteReaders {
                    let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                    for pragma in ["PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000", "PRAGMA query_only = ON",
                                   "PRAGMA cache_size = -16384"] {
                        _ = try await reader.query(pragma)
                    }
                    readers.append(reader)
                }
                // Checkpoints beside the writer, not inside its commits (WALCheckpointer.swift).
                let side = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                _ = try await side.query("PRAGMA busy_timeout = 10000")
                checkpointer = WALCheckpointer(connection: side)
            } catch {
                for r in readers { try? await r.close() }
                throw StorageError(code: "storage.open_failed",
                                   message: "无法打开 SQLite 数据库文件“\(path)”：\(error)")
            }
            db = Database(flavor: .sqlite, location: location,
                          reader: RoundRobinSQLDatabase(readers.map { $0.sql(queryLogLevel: nil) }),
                          backend: .sqlite(writer: writer, readers: readers, checkpointer: checkpointer))
        case .postgres(let url):
            let config: SQLPostgresConfiguration
            do {
                config = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StorageError(code: "storage.bad_url", message: "PostgreSQL 连接地址无效：\(location)")
            }
            let pool = EventLoopGroupConnectionPool(
                source: PostgresConnectionSource(sqlConfiguration: config),
                maxConnectionsPerEventLoop: 4, pruneInterval: nil, logger: logger,
                on: MultiThreadedEventLoopGroup.singleton)
            db = Database(flavor: .postgres, location: location,
                          reader: pool.database(logger: logger).sql(queryLogLevel: nil), backend: .postgres(pool))
            do {
                try await db.reader.raw("SELECT 1").run()
            } catch {
                try? await pool.shutdownAsync()
                throw StorageError(code: "storage.connect_failed",
                                   message: "无法连接 PostgreSQL 数据库（\(location)）：\(String(reflecting: error))")
            }
        }
        if migrate {
            do {
                try await Migrations.run(on: db)
            } catch {
                try? await db.close()
                throw error
            }
        }
        return db
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let writer, _, let checkpointer):
            let (result, took) = try await writeGate.run {
                let started = ContinuousClock.now
                let sql = writer.sql(queryLogLevel: nil)
                return (try await Self.inTransaction(sql, begin: "BEGIN IMMEDIATE", body), ContinuousClock.now - started)
            }
            checkpointer.committed(long: took > .milliseconds(100))
            return result
        case .postgres:
            return try await reader.withSession { session in
                try await Self.inTransaction(session, begin: "BEGIN", body)
            }
        }
    }

    private static func inTransaction<T: Sendable>(
        _ sql: any SQLDatabase, begin: String, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        try await sql.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(sql)
            try await sql.raw("COMMIT").run()
            return result
        } catch {
            do { try await sql.raw("ROLLBACK").run() } catch {
                // The connection is unusable or the transaction already ended; the original error matters.
            }
            throw error
        }
    }

    public func close() async throws {
        switch backend {
        case .sqlite(let writer, let readers, let checkpointer):
            await checkpointer.close()
            for reader in readers { try await reader.close() }
            try await writer.close()
        case .postgres(let pool):
            try await pool.shutdownAsync()
        }
    }
}

/// Runs async closures one at a time, in arrival order. Used for SQLite's single writer:
/// an actor alone would interleave two transactions at their suspension points.
final class AsyncGate: Sendable {
    private let state = NIOLockedValueBox(State())
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLockedValue { s -> Bool in
                if s.busy { s.waiters.append(c); return false }
                s.busy = true
                return true
            }
            if resumeNow { c.resume() }
        }
    }

    private func release() {
        let next = state.withLockedValue { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.busy = false; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// Spreads reads over several SQLite connections (each statement on the next one). Reads are
/// single statements outside transactions, so any connection answers them alike.
struct RoundRobinSQLDatabase: SQLDatabase {
    let members: [any SQLDatabase]
    private let next = NIOLockedValueBox(0)

    init(_ members: [any SQLDatabase]) { self.members = members }

    private var pick: any SQLDatabase {
        let i = next.withLockedValue { n -> Int in
            n = (n + 1) % members.count
            return n
        }
        return members[i]
    }

    var logger: Logger { members[0].logger }
    var eventLoop: any EventLoop { members[0].eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { members[0].version }
    var dialect: any SQLDialect { members[0].dialect }
    var queryLogLevel: Logger.Level? { members[0].queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        pick.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await pick.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await pick.withSession(closure)
    }
}
