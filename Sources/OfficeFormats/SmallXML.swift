import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a small XML part, with attribute names stripped of their namespace prefix
/// ("r:id" → "id"): writers choose prefixes freely, the local names are what the format fixes.
struct SmallXMLElement: Sendable {
    let name: String
    let parent: String
    let attributes: [String: String]
}

/// Flat list of the elements of a small part (workbook, relationships, styles). Sheets and shared strings
/// are not read this way; they are streamed.
enum SmallXML {
    static func elements(
        _ data: Data, part: String, fileName: String, named wanted: Set<String>
    ) throws(OfficeFormatError) -> [SmallXMLElement] {
        let collector = ElementCollector(wanted: wanted)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        let ok = parser.parse()
        if !wellFormed(parser, ok: ok, depth: collector.stack.count, elements: collector.elementCount) {
            throw malformed(part: part, fileName: fileName, line: parser.lineNumber)
        }
        return collector.found
    }

    /// XMLParser on Linux returns true for some malformed input (mismatched or unclosed tags) and reports
    /// the problem only in `parserError`, or not at all for a truncated document; so the caller's own
    /// count of open elements must also be back to zero.
    static func wellFormed(_ parser: XMLParser, ok: Bool, depth: Int, elements: Int) -> Bool {
        ok && parser.parserError == nil && depth == 0 && elements > 0
    }

    static func malformed(part: String, fileName: String, line: Int) -> OfficeFormatError {
        OfficeFormatError(
            .malformedXML,
            "文件“\(fileName)”已损坏：内部文件 \(part) 不是格式正确的 XML（约第 \(line) 行）。请在 Office/WPS 中打开后重新保存再试。"
        )
    }
}

private final class ElementCollector: NSObject, XMLParserDelegate {
    let wanted: Set<String>
    var stack: [String] = []
    var found: [SmallXMLElement] = []
    var elementCount = 0

    init(wanted: Set<String>) {
        self.wanted = wanted
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        let local = String(XMLText.localName(elementName))
        if wanted.contains(local) {
            var attributes: [String: String] = [:]
            for (key, value) in attributeDict {
                attributes[String(XMLText.localName(key))] = value
            }
            found.append(SmallXMLElement(name: local, parent: stack.last ?? "", attributes: attributes))
        }
        stack.append(local)
        elementCount += 1
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        if !stack.isEmpty { stack.removeLast() }
    }
}

/// One entry of a `.rels` part.
struct Relationship: Sendable {
    let id: String
    let type: String
    let target: String
    let isExternal: Bool

    /// Relationship types differ between transitional and strict OOXML only in their prefix.
    func hasType(_ suffix: String) -> Bool {
        type.hasSuffix("/" + suffix)
    }
}

extension ZipPackage {
    /// Relationships of a part, with targets resolved to package paths (external ones left as written).
    func relationships(of part: String) throws(OfficeFormatError) -> [Relationship] {
        let relsPath = ZipPackage.relationshipsPath(for: part)
        guard let data = try data(relsPath) else { return [] }
        let elements = try SmallXML.elements(data, part: relsPath, fileName: fileName, named: ["Relationship"])
        return elements.compactMap { element in
            guard let id = element.attributes["Id"], let target = element.attributes["Target"] else { return nil }
            let external = element.attributes["TargetMode"] == "External"
            return Relationship(
                id: id,
                type: element.attributes["Type"] ?? "",
                target: external ? target : ZipPackage.resolve(target: target, from: part),
                isExternal: external
            )
        }
    }

    /// The main part named by the package relationships (`officeDocument`), if any.
    func mainDocumentPath() throws(OfficeFormatError) -> String? {
        let rels = try relationships(of: "")
        return rels.first(where: { $0.hasType("officeDocument") && !$0.isExternal })?.target
    }
}
