import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The shared string table: every text cell of an Excel-written sheet points into it by index.
/// It is parsed from a file stream (never as a DOM); the strings themselves must stay in memory because
/// any row may refer to any of them.
enum SharedStrings {
    static func read(package: ZipPackage, path: String?, scratch: TemporaryDirectory) throws(OfficeFormatError) -> [String] {
        guard let path else { return [] }
        let file = scratch.url.appendingPathComponent("sharedStrings.xml")
        guard try package.extract(path, to: file) else { return [] }
        defer { try? FileManager.default.removeItem(at: file) }
        guard let stream = InputStream(url: file) else { throw OfficeFormatError.writeFailed("临时文件") }
        let parser = XMLParser(stream: stream)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let collector = SharedStringCollector()
        parser.delegate = collector
        let ok = parser.parse()
        if !SmallXML.wellFormed(parser, ok: ok, depth: collector.depth, elements: collector.elements) {
            throw SmallXML.malformed(part: path, fileName: package.fileName, line: parser.lineNumber)
        }
        return collector.strings
    }
}

private final class SharedStringCollector: NSObject, XMLParserDelegate {
    var strings: [String] = []
    var current = ""
    var inItem = false
    var inText = false
    /// Phonetic guides (<rPh>) repeat the reading of East Asian text; they are not part of the value.
    var phoneticDepth = 0
    var depth = 0
    var elements = 0

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        depth += 1
        elements += 1
        switch XMLText.plainName(elementName) {
        case "si": inItem = true; current = ""
        case "t": inText = inItem && phoneticDepth == 0
        case "rPh": phoneticDepth += 1
        default: break
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        depth -= 1
        switch XMLText.plainName(elementName) {
        case "si":
            strings.append(current)
            inItem = false
            current = ""
        case "t": inText = false
        case "rPh": phoneticDepth -= 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}
