import Foundation
import ZIPFoundation

/// Writes an OOXML package: named parts, from memory or from a file, deflated into a zip.
/// Entries carry a fixed timestamp so the same content gives the same bytes.
struct PackageWriter {
    private let archive: Archive
    let destination: URL
    static let timestamp = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01, a fixed date on purpose

    init(destination: URL) throws(OfficeFormatError) {
        try? FileManager.default.removeItem(at: destination)
        do {
            archive = try Archive(url: destination, accessMode: .create)
        } catch {
            throw OfficeFormatError.writeFailed("“\(destination.lastPathComponent)”")
        }
        self.destination = destination
    }

    func add(_ path: String, _ text: String) throws(OfficeFormatError) {
        try add(path, Data(text.utf8))
    }

    func add(_ path: String, _ data: Data) throws(OfficeFormatError) {
        do {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: PackageWriter.timestamp,
                compressionMethod: .deflate
            ) { position, size in
                let start = Int(position)
                return data.subdata(in: start..<min(start + size, data.count))
            }
        } catch {
            throw OfficeFormatError.writeFailed("“\(destination.lastPathComponent)”中的 \(path)")
        }
    }

    /// Adds a part from a file, read in chunks.
    func add(_ path: String, file: URL) throws(OfficeFormatError) {
        guard let handle = try? FileHandle(forReadingFrom: file) else {
            throw OfficeFormatError.writeFailed("临时文件")
        }
        defer { try? handle.close() }
        let size = Int64((try? handle.seekToEnd()) ?? 0)
        do {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: size, modificationDate: PackageWriter.timestamp,
                compressionMethod: .deflate, bufferSize: 256 * 1024
            ) { position, chunk in
                try handle.seek(toOffset: UInt64(position))
                return try handle.read(upToCount: chunk) ?? Data()
            }
        } catch {
            throw OfficeFormatError.writeFailed("“\(destination.lastPathComponent)”中的 \(path)")
        }
    }
}

/// Appends text to a file through a buffer, so a sheet of 150 000 rows is never held in memory.
struct BufferedFileWriter: Sendable {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    let url: URL

    init(url: URL) throws(OfficeFormatError) {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw OfficeFormatError.writeFailed("临时文件")
        }
        self.handle = handle
        self.url = url
        buffer.reserveCapacity(1 << 18)
    }

    mutating func write(_ text: String) throws(OfficeFormatError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 18 { try flush() }
    }

    mutating func flush() throws(OfficeFormatError) {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw OfficeFormatError.writeFailed("临时文件")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws(OfficeFormatError) {
        try flush()
        try? handle.close()
    }

    func abandon() {
        try? handle.close()
    }
}
