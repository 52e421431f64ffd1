import Crypto
import EduLedgerCore
import Foundation
import OfficeFormats
import SQLKit
import ZIPFoundation

/// The description of a backup file, stored in it as `manifest.json`.
public struct BackupManifest: Sendable, Codable, Hashable {
    public struct Column: Sendable, Codable, Hashable {
        public var name: String
        /// integer, real, text, boolean or blob
        public var type: String
    }
    public struct Table: Sendable, Codable, Hashable {
        public var name: String
        public var columns: [Column]
        public var rows: Int
        /// Entry in the archive: `tables/<name>.jsonl`, one JSON array per row in column order.
        public var file: String
        /// SHA-256 (hex) of that entry's bytes.
        public var sha256: String
    }
    /// Always `eduledger-backup`.
    public var format: String
    public var formatVersion: Int
    /// Migration versions applied in the source database; a restore needs the same.
    public var migrations: [Int]
    /// UTC, ISO 8601.
    public var createdAt: String
    public var sourceDatabase: String
    /// In an order that satisfies foreign keys (parents first).
    public var tables: [Table]
}

/// A complete, versioned backup of the database: a zip with `manifest.json` and one JSON-lines file per
/// table, each with its SHA-256 in the manifest. Every table is included (registry, audit log, accounts,
/// sessions and whatever later capabilities add) except `schema_migrations`, which the manifest records
/// as the list of versions. Table and column lists are read from the database itself, so a new table
/// is backed up without changing this file.
///
/// Restore goes into an empty database of the same schema (SQLite or PostgreSQL, either way round),
/// checks every checksum before writing, and writes everything in one transaction with the original
/// ids, so the audit log's references stay true. Nothing is written if anything is wrong.
public enum DatabaseBackup {
    public static let format = "eduledger-backup"
    public static let formatVersion = 1
    static let pageSize = 2_000

    struct Failure: UserFacingError {
        var code: String
        var message: String
    }

    // MARK: backup

    @discardableResult
    public static func write(_ db: Database, to url: URL) async throws -> BackupManifest {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sql = db.reader
        var tables: [BackupManifest.Table] = []
        for name in try await orderedTables(sql, flavor: db.flavor) {
            let columns = try await columnsOf(name, sql, flavor: db.flavor)
            let file = scratch.appendingPathComponent(name + ".jsonl")
            let (rows, digest) = try await dump(name, columns: columns, sql: sql, to: file)
            tables.append(BackupManifest.Table(name: name, columns: columns, rows: rows, file: "tables/\(name).jsonl", sha256: digest))
        }
        let manifest = BackupManifest(
            format: format, formatVersion: formatVersion, migrations: try await migrations(sql),
            createdAt: Timestamp.now(), sourceDatabase: db.flavor.rawValue, tables: tables)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifestFile = scratch.appendingPathComponent("manifest.json")
        try encoder.encode(manifest).write(to: manifestFile)
        let partial = url.appendingPathExtension("partial")
        try? FileManager.default.removeItem(at: partial)
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            try archive.addEntry(with: "manifest.json", fileURL: manifestFile, compressionMethod: .deflate)
            for t in tables {
                try archive.addEntry(with: t.file, fileURL: scratch.appendingPathComponent(t.name + ".jsonl"), compressionMethod: .deflate)
            }
            try? FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: partial, to: url)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw Failure(code: "backup.write_failed", message: "无法写入备份文件“\(url.path)”：\(error.localizedDescription)")
        }
        return manifest
    }

    static func migrations(_ sql: any SQLDatabase) async throws -> [Int] {
        try await sql.raw("SELECT version FROM schema_migrations ORDER BY version").all(decodingColumn: "version", as: Int.self)
    }

    /// User tables with parents before children (ties by name), `schema_migrations` left out.
    static func orderedTables(_ sql: any SQLDatabase, flavor: SQLFlavor) async throws -> [String] {
        var names: [String]
        var parents: [String: Set<String>] = [:]
        switch flavor {
        case .sqlite:
            names = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .all(decodingColumn: "name", as: String.self)
            for n in names {
                let refs = try await sql.raw(SQLQueryString(text: "PRAGMA foreign_key_list(\"\(n)\")")).all(decodingColumn: "table", as: String.self)
                parents[n] = Set(refs)
            }
        case .postgres:
            names = try await sql.raw("""
                SELECT table_name AS name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                """).all(decodingColumn: "name", as: String.self)
            for row in try await sql.raw("""
                SELECT DISTINCT tc.table_name AS child, ccu.table_name AS parent
                FROM information_schema.table_constraints tc
                JOIN information_schema.constraint_column_usage ccu
                  ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
                WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
                """).all() {
                parents[try row.decode(column: "child", as: String.self), default: []]
                    .insert(try row.decode(column: "parent", as: String.self))
            }
        }
        names = names.filter { $0 != "schema_migrations" }.sorted()
        var ordered: [String] = []
        var placed = Set<String>()
        while ordered.count < names.count {
            guard let next = names.first(where: { n in
                !placed.contains(n) && (parents[n] ?? []).allSatisfy { $0 == n || placed.contains($0) || !names.contains($0) }
            }) else {
                throw Failure(code: "backup.cycle", message: "数据表之间的外键引用成环，无法确定备份顺序")
            }
            ordered.append(next)
            placed.insert(next)
        }
        return ordered
    }

    static func columnsOf(_ table: String, _ sql: any SQLDatabase, flavor: SQLFlavor) async throws -> [BackupManifest.Column] {
        var raw: [(String, String)] = []
        switch flavor {
        case .sqlite:
            for row in try await sql.raw(SQLQueryString(text: "PRAGMA table_info(\"\(table)\")")).all() {
                raw.append((try row.decode(column: "name", as: String.self), try row.decode(column: "type", as: String.self)))
            }
        case .postgres:
            for row in try await sql.raw("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY ordinal_position
                """).all() {
                raw.append((try row.decode(column: "column_name", as: String.self), try row.decode(column: "data_type", as: String.self)))
            }
        }
        return try raw.map { name, declared in
            let t = declared.lowercased()
            let kind: String
            if t.contains("int") { kind = "integer" } else if t.contains("char") || t.contains("text") || t.contains("clob") {
                kind = "text"
            } else if t.contains("real") || t.contains("floa") || t.contains("doub") { kind = "real" } else if t.contains("bool") {
                kind = "boolean"
            } else if t.contains("blob") || t.contains("bytea") { kind = "blob" } else {
                throw Failure(code: "backup.column_type", message: "数据表 \(table) 的字段 \(name) 类型为“\(declared)”，备份尚不支持该类型")
            }
            return BackupManifest.Column(name: name, type: kind)
        }
    }

    /// Rows in order of the first column (the primary key of every table), read a page at a time.
    static func dump(_ table: String, columns: [BackupManifest.Column], sql: any SQLDatabase,
                     to file: URL) async throws -> (Int, String) {
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw Failure(code: "backup.write_failed", message: "无法创建临时文件“\(file.path)”")
        }
        let out = try FileHandle(forWritingTo: file)
        defer { try? out.close() }
        var hasher = SHA256()
        var count = 0
        let key = columns[0]
        let list = columns.map { "\"\($0.name)\"" }.joined(separator: ", ")
        var lastInt: Int64?
        var lastText: String?
        while true {
            var q = SQLQueryString(text: "SELECT \(list) FROM \"\(table)\"")
            if let lastInt { q += SQLQueryString(text: " WHERE \"\(key.name)\" > ") + "\(bind: lastInt)" }
            if let lastText { q += SQLQueryString(text: " WHERE \"\(key.name)\" > ") + "\(bind: lastText)" }
            q += SQLQueryString(text: " ORDER BY \"\(key.name)\" LIMIT \(pageSize)")
            let rows = try await sql.raw(q).all()
            var buffer = ""
            for row in rows {
                buffer += "["
                for (i, c) in columns.enumerated() {
                    if i > 0 { buffer += "," }
                    buffer += try jsonValue(row, c, table: table)
                }
                buffer += "]\n"
            }
            let data = Data(buffer.utf8)
            hasher.update(data: data)
            try out.write(contentsOf: data)
            count += rows.count
            guard rows.count == pageSize, let lastRow = rows.last else { break }
            if key.type == "integer" {
                lastInt = try lastRow.decode(column: key.name, as: Int64.self)
            } else {
                lastText = try lastRow.decode(column: key.name, as: String.self)
            }
        }
        let total = try await sql.raw(SQLQueryString(text: "SELECT COUNT(*) AS n FROM \"\(table)\"")).first(decodingColumn: "n", as: Int.self)
        guard total == count else {
            throw Failure(code: "backup.key", message: "数据表 \(table) 的第一列不是唯一键，无法完整备份")
        }
        return (count, hasher.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func jsonValue(_ row: any SQLRow, _ c: BackupManifest.Column, table: String) throws -> String {
        if try row.decodeNil(column: c.name) { return "null" }
        switch c.type {
        case "integer": return String(try row.decode(column: c.name, as: Int64.self))
        case "real": return "\(try row.decode(column: c.name, as: Double.self))"
        case "boolean": return try row.decode(column: c.name, as: Bool.self) ? "true" : "false"
        case "blob": return quoted(try row.decode(column: c.name, as: Data.self).base64EncodedString())
        default: return quoted(try row.decode(column: c.name, as: String.self))
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    // MARK: restore

    @discardableResult
    public static func restore(from url: URL, into db: Database) async throws -> BackupManifest {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw Failure(code: "backup.not_a_backup", message: "“\(url.lastPathComponent)”不是 EduLedger 备份文件（无法作为 zip 打开）")
        }
        func extract(_ path: String) throws -> URL {
            guard let entry = archive[path] else {
                throw Failure(code: "backup.incomplete", message: "备份文件不完整：缺少 \(path)")
            }
            let target = scratch.appendingPathComponent(path.replacingOccurrences(of: "/", with: "_"))
            do {
                // Bounded to the entry's own bytes: a damaged entry fails instead of hanging (ZipEntryData).
                try ZipEntryData.extract(entry, of: url, to: target)
            } catch let damaged as ZipEntryData.Damaged {
                throw Failure(code: "backup.checksum", message: "备份文件已损坏：\(damaged.path) \(damaged.reason)，未恢复任何数据")
            }
            return target
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(contentsOf: try extract("manifest.json")))
        } catch let e as Failure { throw e } catch {
            throw Failure(code: "backup.manifest", message: "备份文件的清单（manifest.json）无法读取：\(error.localizedDescription)")
        }
        guard manifest.format == format else {
            throw Failure(code: "backup.not_a_backup", message: "“\(url.lastPathComponent)”不是 EduLedger 备份文件")
        }
        guard manifest.formatVersion <= formatVersion else {
            throw Failure(code: "backup.too_new", message: "备份格式版本为\(manifest.formatVersion)，本程序只支持到\(formatVersion)，请升级 EduLedger")
        }
        let here = try await migrations(db.reader)
        guard here == manifest.migrations else {
            throw Failure(code: "backup.schema", message: "备份的数据库结构版本（\(manifest.migrations.last ?? 0)）与目标数据库"
                          + "（\(here.last ?? 0)）不同，请使用相同版本的 EduLedger 恢复")
        }
        let targetTables = Set(try await orderedTables(db.reader, flavor: db.flavor))
        var files: [String: URL] = [:]
        for t in manifest.tables {
            guard targetTables.contains(t.name) else {
                throw Failure(code: "backup.schema", message: "目标数据库没有数据表 \(t.name)")
            }
            let here = try await columnsOf(t.name, db.reader, flavor: db.flavor).map(\.name)
            guard here == t.columns.map(\.name) else {
                throw Failure(code: "backup.schema", message: "数据表 \(t.name) 的字段与备份不一致")
            }
            let file = try extract(t.file)
            guard try sha256(of: file) == t.sha256 else {
                throw Failure(code: "backup.checksum", message: "备份文件已损坏：\(t.file) 的校验值不符，未恢复任何数据")
            }
            files[t.name] = file
        }
        for name in targetTables.sorted() {
            let n = try await db.reader.raw(SQLQueryString(text: "SELECT COUNT(*) AS n FROM \"\(name)\"")).first(decodingColumn: "n", as: Int.self) ?? 0
            if n > 0 {
                throw Failure(code: "backup.target_not_empty",
                              message: "目标数据库不是空的（数据表 \(name) 已有\(n)条记录）：只能恢复到新建的空数据库")
            }
        }
        let flavor = db.flavor
        let plan = manifest.tables.map { ($0, files[$0.name] ?? scratch) }
        try await db.transaction { sql in
            let deferral: String = flavor == .sqlite ? "PRAGMA defer_foreign_keys = ON" : "SET CONSTRAINTS ALL DEFERRED"
            try await sql.raw(SQLQueryString(deferral)).run()
            for (table, file) in plan {
                try await load(table, from: file, sql: sql)
                if flavor == .postgres, table.columns.contains(where: { $0.name == "id" && $0.type == "integer" }) {
                    try await sql.raw(SQLQueryString(text: """
                        SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM "\(table.name)"
                        """)).run()
                }
            }
        }
        return manifest
    }

    static func sha256(of file: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func load(_ table: BackupManifest.Table, from file: URL, sql: any SQLDatabase) async throws {
        let perStatement = max(1, 30_000 / max(1, table.columns.count))
        var pending: [[any SQLExpression]] = []
        var loaded = 0
        func flush() async throws {
            guard !pending.isEmpty else { return }
            var builder = sql.insert(into: table.name).columns(table.columns.map(\.name))
            for row in pending { builder = builder.values(row) }
            try await builder.run()
            loaded += pending.count
            pending.removeAll(keepingCapacity: true)
        }
        var lines = LineReader(url: file)
        while let line = try lines.next() {
            guard let values = try JSONSerialization.jsonObject(with: line) as? [Any], values.count == table.columns.count else {
                throw Failure(code: "backup.row", message: "备份中数据表 \(table.name) 的一行格式不正确")
            }
            pending.append(try zip(values, table.columns).map { try bind($0, $1, table: table.name) })
            if pending.count >= perStatement { try await flush() }
        }
        try await flush()
        guard loaded == table.rows else {
            throw Failure(code: "backup.row_count", message: "备份中数据表 \(table.name) 应有\(table.rows)行，实际\(loaded)行")
        }
    }

    static func bind(_ value: Any, _ c: BackupManifest.Column, table: String) throws -> any SQLExpression {
        if value is NSNull { return SQLLiteral.null }
        switch c.type {
        case "integer":
            if let n = value as? NSNumber { return SQLBind(n.int64Value) }
        case "real":
            if let n = value as? NSNumber { return SQLBind(n.doubleValue) }
        case "boolean":
            if let b = (value as? Bool) ?? (value as? NSNumber)?.boolValue { return SQLBind(b) }
        case "blob":
            if let s = value as? String, let d = Data(base64Encoded: s) { return SQLBind(d) }
        default:
            if let s = value as? String { return SQLBind(s) }
        }
        throw Failure(code: "backup.value", message: "备份中数据表 \(table) 字段 \(c.name) 的值类型不正确")
    }
}

/// Lines of a file, read 1 MB at a time.
struct LineReader {
    private let handle: FileHandle?
    private var buffer = Data()
    private var done = false

    init(url: URL) { handle = try? FileHandle(forReadingFrom: url) }

    mutating func next() throws -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = buffer[(newline + 1)...]
                return Data(line)
            }
            if done {
                if buffer.isEmpty { return nil }
                defer { buffer = Data() }
                return Data(buffer)
            }
            if let chunk = try handle?.read(upToCount: 1 << 20), !chunk.isEmpty {
                buffer = Data(buffer) + chunk
            } else {
                done = true
                try? handle?.close()
            }
        }
    }
}
