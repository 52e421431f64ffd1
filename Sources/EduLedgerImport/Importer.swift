import EduLedgerCore
import Foundation
import OfficeFormats

/// Choices of one import run.
public struct ImportOptions: Sendable {
    public var mode: ImportMode
    /// Rows whose key (学籍号, 教职工号, 学校标识码) is already registered update that record (audited
    /// with before and after). Without it such a row is a duplicate: nothing is overwritten silently.
    public var allowUpdates: Bool
    /// Validate and report only.
    public var dryRun: Bool
    /// A school's own import: every row must be of this school (an empty school column means it).
    public var schoolCode: String?
    /// The sheet to read; default: the template's sheet name if present, else the first visible sheet.
    public var sheet: String?
    public var limits: FileLimits
    public var user: ActingUser
    /// Called with (bytes done, bytes in total) while the file is read, for a progress bar with ETA.
    public var progress: (@Sendable (_ done: UInt64, _ total: UInt64) -> Void)?
    /// Field key → header of the file, chosen by a person for headers the importer did not
    /// recognise (the mapping step); overrides the automatic match for those fields.
    public var columnMapping: [String: String] = [:]

    /// Files above 200 MB are refused before reading (a 150 000-row workbook is about 10 MB).
    public static let defaultLimits = FileLimits(maxFileBytes: 200 * 1_048_576)

    public init(mode: ImportMode = .allOrNothing, allowUpdates: Bool = false, dryRun: Bool = false,
                schoolCode: String? = nil, sheet: String? = nil, limits: FileLimits = ImportOptions.defaultLimits,
                user: ActingUser = .commandLine,
                progress: (@Sendable (_ done: UInt64, _ total: UInt64) -> Void)? = nil) {
        self.mode = mode; self.allowUpdates = allowUpdates; self.dryRun = dryRun; self.schoolCode = schoolCode
        self.sheet = sheet; self.limits = limits; self.user = user; self.progress = progress
    }
}

/// A validator of one kind's rows. It builds the records of valid rows; its `Writer` writes them
/// inside the import's single transaction (by default all at the end with `commit`).
protocol RecordValidator: SendableMetatype {
    associatedtype Pending: Sendable
    associatedtype Writer: RecordWriter = CollectingWriter<Pending> where Writer.Pending == Pending
    /// Titles of required columns the header lacks (given what the options supply).
    func missingColumns(_ map: ColumnMap) -> [String]
    /// Validates one row; returns its record when the row is valid and changes something.
    mutating func validate(_ row: inout RowContext) async throws -> Pending?
    /// Rows that were valid but identical to the stored record (update imports).
    var unchanged: Int { get }
    static func commit(_ records: [Pending], tx: any RegistryWriting,
                       bulk: any RegistryBulkSupport) async throws -> (inserted: Int, updated: Int)
    /// The writer of this kind inside the import's transaction.
    static func makeWriter(tx: any RegistryWriting, bulk: any RegistryBulkSupport) async throws -> Writer
}

/// Reads a spreadsheet of schools, students or staff, validates every row with the registry's
/// rules, reports every problem at once, and writes the valid records in one transaction.
///
/// Nothing is ever half-written: the records of valid rows go, in chunks and in file order, to a
/// writer inside one transaction that is opened when the first chunk is ready and committed only
/// after the last row is validated (with the audit summary; updates audited one by one with
/// before and after). When a row is rejected in all-or-nothing mode, or reading fails, the
/// transaction is rolled back and nothing is written. Students are written chunk by chunk while
/// the rest of the file is validated (memory does not grow with the file); a row rejected later
/// as a duplicate of a row already written is removed again inside the same transaction.
public struct Importer: Sendable {
    public let store: any RegistryStore & RegistryBulkSupport

    public init(store: any RegistryStore & RegistryBulkSupport) { self.store = store }

    public func run(_ kind: ImportKind, file: URL, options: ImportOptions = ImportOptions()) async throws -> ImportReport {
        var restrict: School?
        if let code = options.schoolCode {
            guard let school = try await store.school(code: code) else {
                throw ImportError(code: "import.school_not_found", message: "找不到学校标识码为“\(code)”的学校")
            }
            restrict = school
        }
        switch kind {
        case .students:
            var v = try await StudentValidator.load(store: store, restrict: restrict, allowUpdates: options.allowUpdates)
            return try await run(kind, file: file, options: options, validator: &v)
        case .staff:
            var v = try await StaffValidator.load(store: store, restrict: restrict, allowUpdates: options.allowUpdates)
            return try await run(kind, file: file, options: options, validator: &v)
        case .schools:
            if restrict != nil {
                throw ImportError(code: "import.schools_scope", message: "学校信息只能由教育局导入，学校账号不能导入学校")
            }
            var v = try await SchoolValidator.load(store: store, allowUpdates: options.allowUpdates)
            return try await run(kind, file: file, options: options, validator: &v)
        case .population:
            if restrict != nil {
                throw ImportError(code: "import.population_scope", message: "适龄人口数据只能由教育局导入，学校账号不能导入")
            }
            var v = try await PopulationValidator.load(store: store)
            return try await run(kind, file: file, options: options, validator: &v)
        case .resources:
            var v = try await ResourceValidator.load(store: store, restrict: restrict)
            return try await run(kind, file: file, options: options, validator: &v)
        }
    }

    /// The header of a file and how it matches the kind's fields, without reading the data rows:
    /// what the mapping step shows when a column is not recognised.
    public static func checkHeader(_ kind: ImportKind, file: URL, options: ImportOptions = ImportOptions()) throws(ImportError)
        -> ImportHeaderCheck {
        let sheetName = try chooseSheet(kind, file: file, options: options)
        let header = try readHeader(file: file, sheet: sheetName, limits: options.limits)
        let map = try ColumnMap(header: header, kind: kind, mapping: options.columnMapping)
        let optionalWhenScoped: Set<String> = options.schoolCode == nil ? [] : ["schoolCode"]
        let missing = kind.fields.filter { $0.required && map.columns[$0.key] == nil && !optionalWhenScoped.contains($0.key) }
        return ImportHeaderCheck(
            sheet: header.sheet, headerRow: header.rowNumber, columns: header.names.filter { !$0.isEmpty },
            matched: kind.fields.compactMap { f in map.columns[f.key].map { ImportHeaderCheck.Match(field: f.key, title: f.title, column: header.names[$0]) } },
            unrecognised: map.ignored, missingRequired: missing.map(\.key))
    }

    static func readHeader(file: URL, sheet: String, limits: FileLimits) throws(ImportError) -> TableHeader {
        try withHeader(file: file, sheet: sheet, limits: limits) { _, header in header }
    }

    /// Opens one sheet, finds its header and hands both to `body` (which reads on); every failure
    /// becomes an `ImportError` with the reader's Chinese message.
    static func withHeader<T>(file: URL, sheet: String, limits: FileLimits,
                              _ body: (inout TableReader, TableHeader) throws -> T) throws(ImportError) -> T {
        var reader: TableReader
        do {
            reader = try TableReader.open(url: file, options: TableReadOptions(limits: limits, sheets: .named(sheet)))
        } catch {
            throw ImportError(error)
        }
        do {
            guard let found = try reader.readHeader() else {
                throw ImportError(code: "import.no_rows", message: "工作表“\(sheet)”是空的：没有表头，也没有数据")
            }
            return try body(&reader, found)
        } catch let error as OfficeFormatError {
            throw ImportError(error)
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError(code: "import.file", message: "无法读取文件：\(error)")
        }
    }

    /// Picks the sheet to read: the one asked for, else the template's, else the first visible one.
    static func chooseSheet(_ kind: ImportKind, file: URL, options: ImportOptions) throws(ImportError) -> String {
        let sheets: [SheetInfo]
        do { sheets = try TableReader.sheets(url: file, limits: options.limits) } catch { throw ImportError(error) }
        if let wanted = options.sheet { return wanted }
        if let named = sheets.first(where: { $0.name == kind.sheetName }) { return named.name }
        guard let first = sheets.first(where: { !$0.isHidden }) ?? sheets.first else {
            throw ImportError(code: "import.no_sheet", message: "文件“\(file.lastPathComponent)”中没有工作表")
        }
        return first.name
    }

    private func run<V: RecordValidator>(_ kind: ImportKind, file: URL, options: ImportOptions,
                                         validator: inout V) async throws -> ImportReport {
        let sheetName = try Self.chooseSheet(kind, file: file, options: options)
        var reader: TableReader
        do {
            reader = try TableReader.open(url: file, options: TableReadOptions(limits: options.limits, sheets: .named(sheetName)))
        } catch {
            throw ImportError(error)
        }
        let header: TableHeader
        do {
            guard let found = try reader.readHeader() else {
                throw ImportError(code: "import.no_rows", message: "工作表“\(sheetName)”是空的：没有表头，也没有数据")
            }
            header = found
        } catch let error as OfficeFormatError {
            throw ImportError(error)
        }
        let map = try ColumnMap(header: header, kind: kind, mapping: options.columnMapping)
        if map.columns.isEmpty {
            let expected = kind.fields.filter(\.required).map(\.title).joined(separator: "、")
            throw ImportError(code: "import.no_header",
                              message: "工作表“\(header.sheet)”没有可识别的表头：前10行中找不到\(kind.chineseName)信息的列名"
                                  + "（应有：\(expected)）。请使用导入模板，或在第一行填写列名")
        }
        let missing = validator.missingColumns(map)
        if !missing.isEmpty {
            throw ImportError(code: "import.missing_columns",
                              message: "工作表“\(header.sheet)”第\(header.rowNumber)行的表头缺少必填列：\(missing.joined(separator: "、"))")
        }
        let examples = kind.fields.filter { !$0.example.isEmpty && map.columns[$0.key] != nil }

        var problems: [ImportProblem] = []
        var rejectedRows = Set<Int>()
        var rowsRead = 0
        var skippedExamples: [Int] = []
        var sinceProgress = 0
        // Rows whose records are still to be written (in `chunk` or handed to the writer).
        var recordRows = Set<Int>()
        var chunk: [(row: Int, record: V.Pending)] = []
        var retracts: [Int] = []
        var writer: ChunkedWrite<V>?
        let willWrite = !options.dryRun
        do {
            while true {
                let next: TableRow?
                do { next = try reader.next() } catch { throw ImportError(error) }
                guard let row = next, row.sheet == header.sheet else { break }
                var context = RowContext(row: row, map: map)
                if !examples.isEmpty, examples.allSatisfy({ context.text($0.key) == $0.example }) {
                    skippedExamples.append(row.number)
                    continue
                }
                rowsRead += 1
                let record = try await validator.validate(&context)
                for (other, problem) in context.alsoRejected {
                    problems.append(problem)
                    rejectedRows.insert(other)
                    if recordRows.remove(other) != nil {
                        if let i = chunk.lastIndex(where: { $0.row == other }) { chunk.remove(at: i) } else { retracts.append(other) }
                    }
                }
                if context.isValid {
                    if let record, willWrite {
                        recordRows.insert(row.number)
                        chunk.append((row.number, record))
                    }
                } else {
                    problems.append(contentsOf: context.problems)
                    rejectedRows.insert(row.number)
                }
                if options.mode == .allOrNothing && !rejectedRows.isEmpty && (writer != nil || !chunk.isEmpty) {
                    // Nothing of this file will be written: roll back what was written, hold nothing more.
                    await writer?.abandon()
                    writer = nil
                    chunk.removeAll()
                    recordRows.removeAll()
                    retracts.removeAll()
                }
                if chunk.count >= (writer == nil ? Self.firstChunkRows : Self.chunkRows) {
                    if writer == nil { writer = ChunkedWrite<V>(store: store, user: options.user) }
                    try await writer?.send(.chunk(retract: retracts, records: chunk))
                    chunk.removeAll(keepingCapacity: true)
                    retracts.removeAll()
                }
                sinceProgress += 1
                if sinceProgress >= 2000, let progress = options.progress {
                    sinceProgress = 0
                    let p = reader.progress
                    progress(p.done, p.total)
                }
            }
        } catch {
            await writer?.abandon()
            throw error
        }
        if let progress = options.progress {
            let p = reader.progress
            progress(p.total, p.total)
        }
        problems.sort { ($0.row, $0.column?.count ?? 0, $0.column ?? "") < ($1.row, $1.column?.count ?? 0, $1.column ?? "") }
        var report = ImportReport(
            kind: kind, fileName: file.lastPathComponent, sheet: header.sheet, headerRow: header.rowNumber,
            headerWidth: header.names.count,
            mode: options.mode, dryRun: options.dryRun, rowsRead: rowsRead, validRows: rowsRead - rejectedRows.count,
            rejectedRows: rejectedRows.count, inserted: 0, updated: 0, unchanged: validator.unchanged, committed: false,
            problems: problems, ignoredColumns: map.ignored, skippedExampleRows: skippedExamples)
        let blocked = options.mode == .allOrNothing && !rejectedRows.isEmpty
        guard willWrite, !blocked, !recordRows.isEmpty else {
            await writer?.abandon()
            return report
        }
        let summary = ImportAuditSummary(
            kind: kind.rawValue, fileName: file.lastPathComponent, mode: options.mode.rawValue, rowsRead: rowsRead,
            inserted: 0, updated: 0, rejected: rejectedRows.count)
        let write = writer ?? ChunkedWrite<V>(store: store, user: options.user)
        try await write.send(.chunk(retract: retracts, records: chunk))
        let counts = try await write.commit(summary)
        report.inserted = counts.inserted
        report.updated = counts.updated
        report.committed = true
        return report
    }

    /// Valid records handed to the writer at a time.
    static let chunkRows = 2_000
    /// The first hand-over is smaller, so that the writer (which opens the transaction) starts while
    /// the rest of the first chunk is still being checked, not a full chunk later.
    static let firstChunkRows = 200
}

/// The write side of one import: a task that opens the transaction, takes chunks from a
/// `WritePipe` and writes them with the kind's `RecordWriter`, then commits or rolls back.
struct ChunkedWrite<V: RecordValidator>: Sendable {
    private let pipe: WritePipe<WriteStep<V.Pending>>
    private let task: Task<(inserted: Int, updated: Int), any Error>

    init(store: any RegistryStore & RegistryBulkSupport, user: ActingUser) {
        let pipe = WritePipe<WriteStep<V.Pending>>(capacity: 2)
        self.pipe = pipe
        task = Task {
            do {
                let counts = try await store.write(by: user) { tx in
                    guard let bulk = tx as? any RegistryBulkSupport else {
                        throw ImportError(code: "import.store_unsupported", message: "当前数据库不支持批量导入")
                    }
                    var writer = try await V.makeWriter(tx: tx, bulk: bulk)
                    while let step = await pipe.next() {
                        switch step {
                        case .chunk(let retract, let records):
                            try await writer.retract(rows: retract)
                            try await writer.write(records)
                        case .commit(var summary):
                            let counts = try await writer.finish()
                            summary.inserted = counts.inserted
                            summary.updated = counts.updated
                            try await bulk.recordImport(summary)
                            return counts
                        case .abandon:
                            throw ImportAbandoned()
                        }
                    }
                    throw ImportAbandoned()
                }
                await pipe.stop()
                return counts
            } catch {
                await pipe.stop()
                throw error
            }
        }
    }

    /// Hands over one step; when the writer has failed, throws its error.
    func send(_ step: WriteStep<V.Pending>) async throws {
        if await pipe.send(step) { return }
        _ = try await task.value
        throw ImportError(code: "import.write_stopped", message: "写入数据库时中断，未导入任何数据")
    }

    /// Commits: the writer finishes, the audit summary is written, the transaction commits.
    func commit(_ summary: ImportAuditSummary) async throws -> (inserted: Int, updated: Int) {
        try await send(.commit(summary))
        return try await task.value
    }

    /// Rolls the transaction back and waits until it is.
    func abandon() async {
        _ = await pipe.send(.abandon)
        _ = try? await task.value
    }
}

