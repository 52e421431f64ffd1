import Foundation

/// Size limits the caller sets for one input file. A 1 GB upload or a zip bomb must stop with a message,
/// not exhaust the disk or memory of the server.
public struct FileLimits: Sendable, Hashable {
    /// Largest file accepted, in bytes, as it lies on disk.
    public var maxFileBytes: Int64
    /// Largest uncompressed size of any single part inside an .xlsx/.docx package.
    public var maxPartBytes: Int64

    public init(maxFileBytes: Int64 = 200 * 1_048_576, maxPartBytes: Int64 = 2 * 1_073_741_824) {
        self.maxFileBytes = maxFileBytes
        self.maxPartBytes = maxPartBytes
    }
}

/// What the first bytes of a file say it is; the extension a user gave it is not trusted.
enum FileSignature: Sendable, Equatable {
    case zip
    case oleCompound
    case other

    /// Sniffs a file, enforcing existence, non-emptiness and the size limit on the way.
    static func check(_ url: URL, limits: FileLimits, what: String) throws(OfficeFormatError) -> (FileSignature, Int64) {
        let name = url.lastPathComponent
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        } catch {
            throw OfficeFormatError(.fileNotFound, "找不到文件“\(name)”，或没有读取权限。")
        }
        if let type = attributes[.type] as? FileAttributeType, type == .typeDirectory {
            throw OfficeFormatError(.fileNotFound, "“\(name)”是一个文件夹，不是\(what)。")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        if size == 0 {
            throw OfficeFormatError(.emptyFile, "文件“\(name)”是空的（0 字节），请检查是否选错了文件。")
        }
        if size > limits.maxFileBytes {
            throw OfficeFormatError(
                .fileTooLarge,
                "文件“\(name)”大小为 \(megabytes(size))，超过了允许的上限 \(megabytes(limits.maxFileBytes))。请拆分后分批导入。"
            )
        }
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw OfficeFormatError(.fileNotFound, "无法打开文件“\(name)”，请检查读取权限。")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        if head.count >= 4 && head[0] == 0x50 && head[1] == 0x4B
            && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)) {
            return (.zip, size)
        }
        if head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
            return (.oleCompound, size)
        }
        return (.other, size)
    }

    static func megabytes(_ bytes: Int64) -> String {
        let mb = Double(bytes) / 1_048_576
        if mb >= 10 { return "\(Int(mb.rounded())) MB" }
        return String(format: "%.1f MB", mb)
    }
}

/// A private temporary directory removed by its owner; holds parts extracted from a package so a large
/// sheet is read from disk in chunks rather than held in memory.
struct TemporaryDirectory: Sendable {
    let url: URL

    init() throws(OfficeFormatError) {
        var template = Array(FileManager.default.temporaryDirectory
            .appendingPathComponent("officeformats-XXXXXX").path.utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else {
            throw OfficeFormatError.writeFailed("临时目录")
        }
        let path = template.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { String(cString: $0) } ?? ""
        }
        url = URL(fileURLWithPath: path, isDirectory: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
