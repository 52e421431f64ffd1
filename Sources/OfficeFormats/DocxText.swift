import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The text of a .docx, paragraph by paragraph, for checking figures typed in a report.
public enum DocxText {
    /// Paragraph texts of the main document in reading order, table cell paragraphs included.
    ///
    /// Text comes from `w:t` runs; tabs, line breaks and carriage returns become one space each (page and column breaks
    /// add nothing); a
    /// non-breaking hyphen becomes "-". Deleted tracked changes (`w:delText`), field instructions and the
    /// fallback copy of text boxes (`mc:Fallback`) are left out. A paragraph inside a text box is returned
    /// on its own, before the paragraph that anchors it. Empty paragraphs are kept as "" so positions match
    /// what the author sees. Headers, footers and footnotes are not read.
    public static func paragraphs(url: URL, limits: FileLimits = FileLimits()) throws(OfficeFormatError) -> [String] {
        let package = try ZipPackage(url: url, limits: limits, expected: .wordDocument)
        var path = "word/document.xml"
        if let main = try package.mainDocumentPath(), package.contains(main), !main.lowercased().hasPrefix("xl/") {
            path = main
        }
        guard package.contains(path) else {
            if package.contains("xl/workbook.xml") {
                throw OfficeFormatError(.wrongDocumentKind, "文件“\(package.fileName)”是 Excel 工作簿，不是 Word 文档。请选择 .docx 文件。")
            }
            if package.contains("ppt/presentation.xml") {
                throw OfficeFormatError(.wrongDocumentKind, "文件“\(package.fileName)”是 PowerPoint 演示文稿，不是 Word 文档。请选择 .docx 文件。")
            }
            throw OfficeFormatError(.wrongDocumentKind, "文件“\(package.fileName)”是压缩包，但不是 Word 文档（缺少 word/document.xml）。请选择 .docx 文件。")
        }
        guard let data = try package.data(path) else {
            throw OfficeFormatError(.corruptPackage, "文件“\(package.fileName)”已损坏：找不到正文。")
        }
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let collector = ParagraphCollector()
        parser.delegate = collector
        let ok = parser.parse()
        if !SmallXML.wellFormed(parser, ok: ok, depth: collector.depth, elements: collector.elements) {
            throw SmallXML.malformed(part: path, fileName: package.fileName, line: parser.lineNumber)
        }
        return collector.paragraphs
    }
}

private final class ParagraphCollector: NSObject, XMLParserDelegate {
    var paragraphs: [String] = []
    /// Open paragraphs, innermost last (text boxes nest paragraphs inside paragraphs).
    var open: [String] = []
    var inText = false
    var skipDepth = 0
    var depth = 0
    var elements = 0

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        depth += 1
        elements += 1
        let name = XMLText.plainName(elementName)
        if skipDepth > 0 {
            skipDepth += 1
            return
        }
        switch name {
        case "Fallback":
            skipDepth = 1
        case "p":
            open.append("")
        case "t":
            inText = !open.isEmpty
        case "tab", "cr":
            if !open.isEmpty { open[open.count - 1] += " " }
        case "br":
            // A page or column break separates nothing inside the sentence; a line break is a space.
            let type = attributeDict["w:type"] ?? attributeDict["type"] ?? "textWrapping"
            if !open.isEmpty && type == "textWrapping" { open[open.count - 1] += " " }
        case "noBreakHyphen":
            if !open.isEmpty { open[open.count - 1] += "-" }
        default:
            break
        }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        depth -= 1
        if skipDepth > 0 {
            skipDepth -= 1
            return
        }
        switch XMLText.plainName(elementName) {
        case "p":
            if let text = open.popLast() { paragraphs.append(text) }
        case "t":
            inText = false
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText && skipDepth == 0 && !open.isEmpty { open[open.count - 1] += string }
    }
}
