import Foundation
import ZIPFoundation

/// The uncompressed bytes of one entry of a zip file, read from that entry's own byte range only.
///
/// Why not `Archive.extract`: on Linux ZIPFoundation feeds zlib from the archive file until the
/// deflate stream ends, and a damaged stream that neither ends nor fails before the end of the file
/// makes it read empty chunks forever — a backup with one flipped byte hung `restore` in CI. Here the
/// input is the entry's compressed bytes and nothing more: running out of them before the stream ends
/// is an error, and the CRC-32 is checked at the end, so a damaged entry fails at once.
public enum ZipEntryData {
    /// The entry cannot be read: its header or data is damaged, or the file is shorter than it says.
    public struct Damaged: Error, Sendable {
        public let path: String
        public let reason: String
    }

    /// Streams the entry's uncompressed bytes to `consumer`, `bufferSize` bytes at a time at most.
    public static func stream(_ entry: Entry, of url: URL, bufferSize: Int = 64 * 1024,
                              _ consumer: (Data) throws -> Void) throws {
        guard let headerOffset = localHeaderOffset(entry) else {
            // A ZIP64 entry (an archive over 4 GB): its offset is kept elsewhere; ZIPFoundation's path.
            let archive = try Archive(url: url, accessMode: .read)
            _ = try archive.extract(entry, bufferSize: bufferSize, skipCRC32: false, consumer: consumer)
            return
        }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        let damaged = { (reason: String) in Damaged(path: entry.path, reason: reason) }
        try handle.seek(toOffset: headerOffset)
        // The local header: signature PK\3\4, fixed fields, then the name and the extra field.
        guard let header = try handle.read(upToCount: 30), header.count == 30,
              Array(header.prefix(4)) == [0x50, 0x4B, 0x03, 0x04] else {
            throw damaged("本地文件头缺失或损坏")
        }
        let start = header.startIndex
        let nameLength = UInt64(header[start + 26]) | UInt64(header[start + 27]) << 8
        let extraLength = UInt64(header[start + 28]) | UInt64(header[start + 29]) << 8
        try handle.seek(toOffset: headerOffset + 30 + nameLength + extraLength)
        var remaining = entry.compressedSize
        /// The entry's next bytes, at most `size`; asking past its end is the damage.
        func next(_ size: Int) throws -> Data {
            guard remaining > 0 else { throw damaged("压缩数据在结尾之前就用完了") }
            let count = Int(min(UInt64(max(size, 1)), remaining))
            guard let chunk = try handle.read(upToCount: count), chunk.count == count else {
                throw damaged("文件比其目录记载的短")
            }
            remaining -= UInt64(count)
            return chunk
        }
        let checksum: CRC32
        if entry.isCompressed {
            checksum = try Data.decompress(size: Int64(entry.compressedSize), bufferSize: bufferSize, skipCRC32: false,
                                           provider: { _, size in
                                               // ZIPFoundation tells zlib a chunk holds `size` bytes whatever it holds:
                                               // the last one is padded so zlib never reads past it. A valid stream
                                               // ends before the padding; a damaged one asks again and fails.
                                               var chunk = try next(size)
                                               if chunk.count < size { chunk.append(Data(count: size - chunk.count)) }
                                               return chunk
                                           }, consumer: consumer)
        } else {
            var crc = CRC32(0)
            while remaining > 0 {
                let chunk = try next(bufferSize)
                try consumer(chunk)
                crc = chunk.crc32(checksum: crc)
            }
            checksum = crc
        }
        guard checksum == entry.checksum else { throw damaged("校验值不符") }
    }

    /// Writes the entry's uncompressed bytes to a new file at `destination`.
    public static func extract(_ entry: Entry, of url: URL, to destination: URL) throws {
        guard FileManager.default.createFile(atPath: destination.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
        }
        let handle = try FileHandle(forWritingTo: destination)
        defer { try? handle.close() }
        try stream(entry, of: url) { try handle.write(contentsOf: $0) }
    }

    /// Where the entry's local header starts; nil for a ZIP64 entry, whose offset is in its extra field.
    ///
    /// ZIPFoundation keeps the offset internal (`centralDirectoryStructure.relativeOffsetOfLocalHeader`);
    /// it is read by reflection, and a test fails if a dependency update moves it.
    static func localHeaderOffset(_ entry: Entry) -> UInt64? {
        guard let offset = Mirror(reflecting: entry).descendant("centralDirectoryStructure", "relativeOffsetOfLocalHeader")
                as? UInt32, offset != UInt32.max else { return nil }
        return UInt64(offset)
    }
}
