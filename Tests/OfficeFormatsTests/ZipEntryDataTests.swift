import Foundation
import Testing
import ZIPFoundation
@testable import OfficeFormats

/// A zip of one entry written byte by byte, so its data can be anything (ZIP 4.3.7, 4.3.12, 4.3.16).
private func zip(name: String, method: UInt16, data: [UInt8], uncompressedSize: UInt32, crc: UInt32) -> Data {
    func u16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    func u32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
    let nameBytes = Array(name.utf8)
    let sizes = u32(crc) + u32(UInt32(data.count)) + u32(uncompressedSize)
    let local = u32(0x0403_4B50) + u16(20) + u16(0) + u16(method) + u16(0) + u16(0x21) + sizes
        + u16(UInt16(nameBytes.count)) + u16(0) + nameBytes + data
    let central = u32(0x0201_4B50) + u16(20) + u16(20) + u16(0) + u16(method) + u16(0) + u16(0x21) + sizes
        + u16(UInt16(nameBytes.count)) + u16(0) + u16(0) + u16(0) + u16(0) + u32(0) + u32(0) + nameBytes
    let end = u32(0x0605_4B50) + u16(0) + u16(0) + u16(1) + u16(1) + u32(UInt32(central.count)) + u32(UInt32(local.count)) + u16(0)
    return Data(local + central + end)
}

@Suite("zip 条目读取：损坏的压缩数据报错而不挂起")
struct ZipEntryDataTests {
    @Test("an entry reads back whole, its offset found in ZIPFoundation's entry")
    func readsWhole() throws {
        let scratch = try Scratch()
        let text = String(repeating: "学籍号,姓名\n", count: 20_000)
        let url = try scratch.package("ok.zip", parts: [("a/sheet.xml", text)])
        let storedURL = scratch.url("stored.zip")
        try zip(name: "b.txt", method: 0, data: Array("abc".utf8), uncompressedSize: 3, crc: 0x3524_41C2).write(to: storedURL)
        for (file, path, expected) in [(url, "a/sheet.xml", Data(text.utf8)), (storedURL, "b.txt", Data("abc".utf8))] {
            let entry = try #require(try Archive(url: file, accessMode: .read)[path])
            #expect(ZipEntryData.localHeaderOffset(entry) != nil, "without the offset every entry takes ZIPFoundation's unbounded path")
            var out = Data()
            try ZipEntryData.stream(entry, of: file, bufferSize: 4096) { out.append($0) }
            #expect(out == expected)
        }
    }

    @Test("a deflate stream that wants more bytes than the entry has fails at once (ZIPFoundation read on forever)")
    func truncatedStreamFails() throws {
        let scratch = try Scratch()
        // A stored deflate block announcing 65 535 bytes, followed by three: the stream neither ends nor
        // fails, it waits for input.
        let url = scratch.url("damaged.zip")
        try zip(name: "manifest.json", method: 8, data: [0x00, 0xFF, 0xFF, 0x00, 0x00] + Array("abc".utf8),
                uncompressedSize: 65_535, crc: 0).write(to: url)
        let entry = try #require(try Archive(url: url, accessMode: .read)["manifest.json"])
        #expect(throws: ZipEntryData.Damaged.self) { try ZipEntryData.stream(entry, of: url) { _ in } }
        // A stored entry whose bytes do not match its CRC-32.
        let stored = scratch.url("crc.zip")
        try zip(name: "x.txt", method: 0, data: Array("abc".utf8), uncompressedSize: 3, crc: 0x1234_5678).write(to: stored)
        let storedEntry = try #require(try Archive(url: stored, accessMode: .read)["x.txt"])
        #expect(throws: ZipEntryData.Damaged.self) { try ZipEntryData.stream(storedEntry, of: stored) { _ in } }
    }
}
