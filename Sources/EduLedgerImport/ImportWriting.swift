import EduLedgerCore

/// Writes the valid records of one import inside its single transaction, chunk by chunk, in file
/// order. The validation loop hands it chunks while it reads on, so a large file is never held
/// in memory and the database works on one chunk while the next is validated (two cores).
protocol RecordWriter {
    associatedtype Pending: Sendable
    /// Forgets records handed over earlier whose rows a later row rejected (duplicates in the file).
    mutating func retract(rows: [Int]) async throws
    /// Takes the next valid records, each with its row number (ascending).
    mutating func write(_ records: [(row: Int, record: Pending)]) async throws
    /// Writes what is still held and the audit lines; returns the counts of the whole import.
    mutating func finish() async throws -> (inserted: Int, updated: Int)
}

/// The writer of kinds whose files are small (schools, staff, statistics): holds the records and
/// writes them all at the end with the validator's `commit`, as one batch.
struct CollectingWriter<Pending: Sendable>: RecordWriter {
    typealias Commit = ([Pending], any RegistryWriting, any RegistryBulkSupport) async throws -> (inserted: Int, updated: Int)
    let tx: any RegistryWriting
    let bulk: any RegistryBulkSupport
    let commit: Commit
    private var records: [(row: Int, record: Pending)] = []

    init(tx: any RegistryWriting, bulk: any RegistryBulkSupport, commit: @escaping Commit) {
        self.tx = tx
        self.bulk = bulk
        self.commit = commit
    }

    mutating func retract(rows: [Int]) async throws {
        guard !rows.isEmpty else { return }
        let gone = Set(rows)
        records.removeAll { gone.contains($0.row) }
    }

    mutating func write(_ more: [(row: Int, record: Pending)]) async throws {
        records.append(contentsOf: more)
    }

    mutating func finish() async throws -> (inserted: Int, updated: Int) {
        guard !records.isEmpty else { return (0, 0) }
        return try await commit(records.map(\.record), tx, bulk)
    }
}

extension RecordValidator where Writer == CollectingWriter<Pending> {
    static func makeWriter(tx: any RegistryWriting, bulk: any RegistryBulkSupport) async throws -> Writer {
        CollectingWriter(tx: tx, bulk: bulk) { records, tx, bulk in try await commit(records, tx: tx, bulk: bulk) }
    }
}

/// One hand-over from the validation loop to the writer.
enum WriteStep<Pending: Sendable>: Sendable {
    /// Rows handed over earlier that are now rejected, then the next valid records.
    case chunk(retract: [Int], records: [(row: Int, record: Pending)])
    /// Every row is validated and the import is to be committed, with this audit summary.
    case commit(ImportAuditSummary)
    /// Nothing is to be written (all-or-nothing with a rejected row, or a failure while reading):
    /// the transaction is rolled back.
    case abandon
}

/// Thrown inside the write transaction to roll it back when the import is abandoned.
struct ImportAbandoned: Error {}

/// A bounded, ordered queue between the validation loop (one producer) and the transaction that
/// writes (one consumer). The producer waits while `capacity` steps are queued, so memory stays
/// bounded whatever the size of the file.
actor WritePipe<Element: Sendable> {
    private var queue: [Element] = []
    private let capacity: Int
    private var stopped = false
    private var consumer: CheckedContinuation<Element?, Never>?
    private var producer: CheckedContinuation<Void, Never>?

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Queues `element`; false when the writer has stopped (its error is the result of its task).
    func send(_ element: Element) async -> Bool {
        while queue.count >= capacity && !stopped {
            await withCheckedContinuation { producer = $0 }
        }
        if stopped { return false }
        if let waiting = consumer {
            consumer = nil
            waiting.resume(returning: element)
        } else {
            queue.append(element)
        }
        return true
    }

    /// The next step; nil once the writer has stopped.
    func next() async -> Element? {
        if stopped { return nil }
        if !queue.isEmpty {
            let element = queue.removeFirst()
            producer?.resume()
            producer = nil
            return element
        }
        return await withCheckedContinuation { consumer = $0 }
    }

    /// The writer leaves (finished or failed): a waiting producer is released and later sends fail.
    func stop() {
        stopped = true
        queue.removeAll()
        producer?.resume()
        producer = nil
        consumer?.resume(returning: nil)
        consumer = nil
    }
}
