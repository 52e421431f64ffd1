import ClassAssignment
import Foundation
import OfficeFormats

/// The release recorded in draw records and reports (the CLI and the web draw share it).
public enum EduLedgerVersion {
    public static let current = "0.1.0"
}

/// The column choices of a draw, as published with its record, so a verifier reads the roster
/// exactly as the draw did. Shared by `eduledger classes`/`verify-draw` and the web draw.
public struct DrawColumns: Codable, Hashable, Sendable {
    public var scores: [String]
    public var flags: [String]
    public var together: String?
    public var apart: [String]
    public var pin: String?

    public init(scores: [String], flags: [String], together: String?, apart: [String], pin: String?) {
        self.scores = scores; self.flags = flags; self.together = together; self.apart = apart; self.pin = pin
    }
}

/// The file `classes assign --record` writes, the web draw offers for download, and
/// `verify-draw` reads.
public struct PublishedDraw: Codable, Sendable {
    public var columns: DrawColumns
    public var record: DrawRecord

    public init(columns: DrawColumns, record: DrawRecord) { self.columns = columns; self.record = record }

    /// Pretty, key-sorted JSON: the same bytes for the same draw.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Why a roster file could not be read: the file itself, or every problem of its rows.
public enum RosterFileError: Error, Sendable, CustomStringConvertible {
    case unreadable(String)
    case noHeader(fileName: String)
    case problems(RosterError)

    public var description: String {
        switch self {
        case .unreadable(let message): return message
        case .noHeader(let name): return "名单文件“\(name)”没有表头行"
        case .problems(let error): return error.description
        }
    }
}

/// Reads a class-draw roster (.csv or .xlsx, first visible sheet) with spreadsheet row numbers
/// kept, so that every problem names the row a clerk sees.
public enum RosterFile {
    public static func read(path: String, columns: DrawColumns, classCount: Int?) throws(RosterFileError) -> Roster {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: path) else { throw .unreadable("找不到名单文件“\(path)”") }
        return try read(url: url, displayName: url.lastPathComponent, columns: columns, classCount: classCount)
    }

    /// Reads uploaded bytes; `fileName` decides the format (.csv/.xlsx) and names the file in messages.
    public static func read(data: Data, fileName: String, columns: DrawColumns, classCount: Int?) throws(RosterFileError) -> Roster {
        let ext = (fileName as NSString).pathExtension.lowercased()
        guard ["csv", "xlsx"].contains(ext) else { throw .unreadable("名单文件“\(fileName)”须为 .csv 或 .xlsx 格式") }
        // The reader works on files: a private temporary copy, removed at once.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eduledger-roster-" + UUID().uuidString)
        let url = dir.appendingPathComponent("roster." + ext)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try data.write(to: url)
        } catch {
            throw .unreadable("无法暂存上传的名单文件：\(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        return try read(url: url, displayName: fileName, columns: columns, classCount: classCount)
    }

    static func read(url: URL, displayName: String, columns: DrawColumns, classCount: Int?) throws(RosterFileError) -> Roster {
        let rows: [TableRow]
        do { rows = try TableReader.readAll(url: url, options: TableReadOptions(sheets: .firstVisible)) } catch {
            throw .unreadable(error.message)
        }
        guard let (header, index) = TableHeader.detect(in: rows) else { throw .noHeader(fileName: displayName) }
        // rows[i] of the parser is spreadsheet row i + 2: title rows above the header become blank rows.
        var table: [[String]] = []
        let last = rows.last?.number ?? header.rowNumber
        var byNumber: [Int: [String]] = [:]
        for row in rows[(index + 1)...] { byNumber[row.number] = row.values }
        if last >= 2 {
            for n in 2...last { table.append(n > header.rowNumber ? (byNumber[n] ?? []) : []) }
        }
        do {
            return try Roster.parse(header: header.names, rows: table, source: displayName,
                                    options: RosterColumns(scoreColumns: columns.scores, flagColumns: columns.flags,
                                                           togetherColumn: columns.together, apartColumns: columns.apart,
                                                           pinColumn: columns.pin, classCount: classCount))
        } catch {
            throw .problems(error)
        }
    }
}
