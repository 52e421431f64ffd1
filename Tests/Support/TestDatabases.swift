import EduLedgerCore
import EduLedgerStorage
import Foundation
import SQLKit

/// The databases the contract suite runs against. SQLite always; PostgreSQL when
/// `EDULEDGER_TEST_POSTGRES_URL` names a server (scripts/test starts a throwaway one).
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }

    /// SQLite, plus PostgreSQL when a test server is configured.
    public static var available: [TestBackend] {
        TestDatabases.postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }
}

public enum TestDatabases {
    public static var postgresURL: String? {
        let v = ProcessInfo.processInfo.environment["EDULEDGER_TEST_POSTGRES_URL"]
        return (v?.isEmpty ?? true) ? nil : v
    }

    /// CI sets this so that a missing PostgreSQL fails the run instead of skipping its half.
    public static var postgresRequired: Bool {
        ProcessInfo.processInfo.environment["EDULEDGER_REQUIRE_POSTGRES"] == "1"
    }

    /// A fresh, empty database of the given kind for one test; removed afterwards.
    public static func withFreshDatabase<T>(
        _ backend: TestBackend, _ body: (DatabaseLocation) async throws -> T
    ) async throws -> T {
        switch backend {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            return try await body(.sqlite(path: dir.appendingPathComponent("test.sqlite").path))
        case .postgres:
            guard let url = postgresURL, var components = URLComponents(string: url) else {
                throw TestSetupError(message: "EDULEDGER_TEST_POSTGRES_URL is not set")
            }
            let name = "eduledger_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            // The administrative connection is held only while creating and dropping: many tests run
            // at once, and a pool kept open for each test's whole run exhausted the server's connections.
            try await administer(url, "CREATE DATABASE " + name)
            components.path = "/" + name
            let result: Result<T, any Error>
            do {
                result = .success(try await body(.postgres(url: components.string ?? url)))
            } catch {
                result = .failure(error)
            }
            try? await administer(url, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
            return try result.get()
        }
    }

    /// Runs one administrative statement on its own short-lived connection.
    static func administer(_ url: String, _ statement: String) async throws {
        let admin = try await Database.open(.postgres(url: url), migrate: false)
        do {
            try await admin.reader.raw(SQLQueryString(statement)).run()
            try await admin.close()
        } catch {
            try? await admin.close()
            throw error
        }
    }

    /// A fresh store, closed after `body`.
    public static func withStore<T>(_ backend: TestBackend, _ body: (SQLRegistryStore) async throws -> T) async throws -> T {
        try await withFreshDatabase(backend) { location in
            let db = try await Database.open(location)
            let store = SQLRegistryStore(database: db)
            do {
                let r = try await body(store)
                try await db.close()
                return r
            } catch {
                try? await db.close()
                throw error
            }
        }
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
