import ArgumentParser
import EduLedgerCore
import EduLedgerStorage
import Foundation

/// `--database` on every command that touches data; `EDULEDGER_DATABASE` when absent.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "数据库：SQLite 文件路径（默认 ./eduledger.sqlite）或 postgres:// 地址；也可用环境变量 EDULEDGER_DATABASE")
    var database: String?

    var location: DatabaseLocation {
        if let database { return DatabaseLocation(database) }
        if let env = ProcessInfo.processInfo.environment["EDULEDGER_DATABASE"], !env.isEmpty {
            return DatabaseLocation(env)
        }
        return .defaultLocation
    }

    /// Opens the database, runs `body`, and always closes it.
    func withStore<T>(_ body: (SQLRegistryStore) async throws -> T) async throws -> T {
        let db = try await Database.open(location)
        let store = SQLRegistryStore(database: db)
        do {
            let result = try await body(store)
            try await db.close()
            return result
        } catch {
            try? await db.close()
            throw error
        }
    }
}

/// Prints JSON with sorted keys and unescaped Chinese, for scripts.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// A domain or storage error becomes one Chinese line on stderr and exit code 1; anything
/// else is shown with its details, also exit 1. Argument errors keep ArgumentParser's handling.
func reportingErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as any UserFacingError {
        printError("错误：\(error.message)")
        throw ExitCode.failure
    } catch let error as ExitCode {
        throw error
    } catch let error as CleanExit {
        throw error
    } catch {
        printError("错误：\(String(describing: error))")
        throw ExitCode.failure
    }
}

/// Plain-text columns that line up with Chinese text (a CJK character is two cells wide).
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
            return w + (wide ? 2 : 1)
        }
    }

    func render() -> String {
        var widths = header.map(Self.width)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.width(cell)) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i == cells.count - 1 ? c : c + String(repeating: " ", count: max(0, widths[i] - Self.width(c)))
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

/// Parses a `YYYY-MM-DD` argument with a Chinese error.
func parseDate(_ text: String, field: String) throws -> CivilDate {
    guard let d = CivilDate(iso: text) else {
        throw ValidationError("\(field)“\(text)”不是有效日期：应为 YYYY-MM-DD 格式的真实日期（如 2025-09-01）")
    }
    return d
}

/// The default reference date: 9月1日 of the current school year, from today's date in China.
func currentReferenceDate() -> CivilDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
    let c = calendar.dateComponents([.year, .month, .day], from: Date())
    let today = CivilDate(year: c.year ?? 2025, month: c.month ?? 9, day: c.day ?? 1) ?? CivilDate(dayNumber: 0)
    return SchoolYear(containing: today).referenceDate
}

/// The options every list command shares: school, search, reference date, paging, JSON.
struct ListOptions: ParsableArguments {
    @Option(help: "学校标识码") var school: String?
    @Option(help: "按姓名或编号开头查找") var search: String?
    @Option(help: "日期 YYYY-MM-DD（默认本学年9月1日）") var date: String?
    @Option(help: "最多显示条数") var limit: Int = 50
    @Option(help: "跳过条数") var offset: Int = 0
    @Flag(help: "以 JSON 输出") var json = false

    func referenceDate() throws -> CivilDate {
        try date.map { try parseDate($0, field: "日期") } ?? currentReferenceDate()
    }

    /// The one school named by `--school`, as a scope; `nil` for all.
    func schoolScope(_ store: some RegistryReading) async throws -> Set<SchoolID>? {
        guard let code = school else { return nil }
        guard let s = try await store.school(code: code) else { throw RegistryError.notFound(kind: "学校", key: code) }
        return [s.id]
    }
}
