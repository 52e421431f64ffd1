import Foundation
import ZIPFoundation

/// Read access to an OOXML package (.xlsx, .docx): a zip of XML parts found through relationship files.
///
/// Wraps ZIPFoundation so every failure becomes an `OfficeFormatError` in Chinese, and enforces the
/// caller's limits on each part while decompressing (a declared size in a zip header can lie).
struct ZipPackage {
    let archive: Archive
    /// The file, read again entry by entry (`ZipEntryData`).
    let url: URL
    let fileName: String
    let limits: FileLimits
    /// Lower-cased entry path → real entry path, for writers that vary the case.
    private let pathsByLowercase: [String: String]

    /// Kind of document wanted, for messages: "Excel 工作簿（.xlsx）" or "Word 文档（.docx）".
    init(url: URL, limits: FileLimits, expected: ExpectedPackage) throws(OfficeFormatError) {
        let (signature, _) = try FileSignature.check(url, limits: limits, what: expected.description)
        let name = url.lastPathComponent
        switch signature {
        case .zip:
            break
        case .oleCompound:
            throw OfficeFormatError(.encryptedOrLegacy, expected.legacyMessage(name))
        case .other:
            throw OfficeFormatError(
                .notAZip,
                "文件“\(name)”不是有效的\(expected.description)：内容不是 Office 文档格式（可能是改了扩展名的其他文件，或网页导出的伪 Excel 文件）。请在 Office/WPS 中打开后另存为\(expected.extensionName)。"
            )
        }
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw OfficeFormatError(.corruptPackage, "文件“\(name)”已损坏，无法解压。请重新导出或另存后再试。")
        }
        self.url = url
        fileName = name
        self.limits = limits
        var map: [String: String] = [:]
        for entry in archive where entry.type == .file {
            map[entry.path.lowercased()] = entry.path
        }
        pathsByLowercase = map
        if map.isEmpty {
            throw OfficeFormatError(.corruptPackage, "文件“\(name)”是空的压缩包，不是\(expected.description)。")
        }
    }

    func contains(_ path: String) -> Bool {
        pathsByLowercase[ZipPackage.normalized(path).lowercased()] != nil
    }

    private func entry(_ path: String) -> Entry? {
        let clean = ZipPackage.normalized(path)
        if let entry = archive[clean] { return entry }
        if let real = pathsByLowercase[clean.lowercased()] { return archive[real] }
        return nil
    }

    /// Largest part ever held whole in memory, whatever the caller's part limit.
    static let inMemoryPartLimit: Int64 = 256 * 1_048_576

    /// The whole part in memory; for the small parts (workbook, rels, styles, document).
    func data(_ path: String) throws(OfficeFormatError) -> Data? {
        guard let entry = entry(path) else { return nil }
        var data = Data()
        try stream(entry, path: path, limit: min(limits.maxPartBytes, ZipPackage.inMemoryPartLimit)) { chunk throws(OfficeFormatError) in
            data.append(chunk)
        }
        return data
    }

    /// Decompresses a part to a file, never holding more than one chunk in memory.
    func extract(_ path: String, to destination: URL) throws(OfficeFormatError) -> Bool {
        guard let entry = entry(path) else { return false }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: destination)
        else {
            throw OfficeFormatError.writeFailed("临时文件")
        }
        defer { try? handle.close() }
        try stream(entry, path: path, limit: limits.maxPartBytes) { chunk throws(OfficeFormatError) in
            do { try handle.write(contentsOf: chunk) } catch { throw OfficeFormatError.writeFailed("临时文件") }
        }
        return true
    }

    private func stream(
        _ entry: Entry, path: String, limit: Int64, _ sink: (Data) throws(OfficeFormatError) -> Void
    ) throws(OfficeFormatError) {
        if entry.uncompressedSize > UInt64(max(limit, 0)) {
            throw tooLarge(path, limit: limit)
        }
        var total: Int64 = 0
        var sinkError: OfficeFormatError?
        do {
            try ZipEntryData.stream(entry, of: url) { chunk in
                total += Int64(chunk.count)
                if total > limit {
                    sinkError = tooLarge(path, limit: limit)
                    throw CancellationError()
                }
                do throws(OfficeFormatError) {
                    try sink(chunk)
                } catch {
                    sinkError = error
                    throw CancellationError()
                }
            }
        } catch {
            if let sinkError { throw sinkError }
            throw OfficeFormatError(
                .corruptPackage,
                "文件“\(fileName)”已损坏：内部文件 \(path) 无法解压（校验失败或数据不完整）。请重新导出或另存后再试。"
            )
        }
    }

    private func tooLarge(_ path: String, limit: Int64) -> OfficeFormatError {
        OfficeFormatError(
            .fileTooLarge,
            "文件“\(fileName)”的内部文件 \(path) 解压后超过 \(FileSignature.megabytes(limit))，超出允许的上限。请拆分后分批导入。"
        )
    }

    /// Zip entry names never start with "/" and use "/" separators; relationship targets may do both.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.replacingOccurrences(of: "\\", with: "/").split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// Resolves a relationship target against the folder of the part that owns the .rels file.
    static func resolve(target: String, from sourcePart: String) -> String {
        let decoded = target.removingPercentEncoding ?? target
        if decoded.hasPrefix("/") { return normalized(decoded) }
        var folder = normalized(sourcePart).split(separator: "/").dropLast().joined(separator: "/")
        if !folder.isEmpty { folder += "/" }
        return normalized(folder + decoded)
    }

    /// "xl/workbook.xml" → "xl/_rels/workbook.xml.rels".
    static func relationshipsPath(for part: String) -> String {
        let parts = normalized(part).split(separator: "/")
        guard let last = parts.last else { return "_rels/.rels" }
        let folder = parts.dropLast().joined(separator: "/")
        return (folder.isEmpty ? "" : folder + "/") + "_rels/" + last + ".rels"
    }
}

/// Which kind of package a caller expects, for the wording of messages.
enum ExpectedPackage: Sendable {
    case workbook
    case wordDocument

    var description: String {
        switch self {
        case .workbook: return "Excel 工作簿（.xlsx）"
        case .wordDocument: return "Word 文档（.docx）"
        }
    }

    var extensionName: String {
        switch self {
        case .workbook: return " .xlsx"
        case .wordDocument: return " .docx"
        }
    }

    func legacyMessage(_ name: String) -> String {
        switch self {
        case .workbook:
            return "文件已加密或为旧版 .xls 格式，请另存为 .xlsx（文件“\(name)”；如设有打开密码，请先取消密码）。"
        case .wordDocument:
            return "文件已加密或为旧版 .doc 格式，请另存为 .docx（文件“\(name)”；如设有打开密码，请先取消密码）。"
        }
    }
}
