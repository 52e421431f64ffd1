import Foundation

/// Chinese type sizes (字号) in points, as Word's Chinese font-size box lists them.
public enum ChineseFontSize: Double, Sendable, Hashable, CaseIterable {
    case chuHao = 42, xiaoChu = 36, yiHao = 26, xiaoYi = 24, erHao = 22, xiaoEr = 18
    case sanHao = 16, xiaoSan = 15, siHao = 14, xiaoSi = 12, wuHao = 10.5, xiaoWu = 9

    /// Word measures run sizes in half-points.
    var halfPoints: Int { Int((rawValue * 2).rounded()) }
}

/// East Asian font names per kind of paragraph. The defaults follow the usual layout of a Chinese
/// official report (党政机关公文格式 GB/T 9704): 一级标题 黑体, 二级标题 楷体, 三级标题 仿宋加粗, 正文 仿宋.
public struct DocxFonts: Sendable, Hashable {
    public var title: String
    public var heading1: String
    public var heading2: String
    public var heading3: String
    public var body: String
    public var table: String
    /// Font for Latin letters and digits in every run.
    public var latin: String

    public init(
        title: String = "宋体", heading1: String = "黑体", heading2: String = "楷体", heading3: String = "仿宋",
        body: String = "仿宋", table: String = "宋体", latin: String = "Times New Roman"
    ) {
        self.title = title
        self.heading1 = heading1
        self.heading2 = heading2
        self.heading3 = heading3
        self.body = body
        self.table = table
        self.latin = latin
    }
}

/// A stretch of text with one formatting. A figure the system computed is written as a run with a
/// bookmark (so the report checker and readers can find it) and optionally a link to where it came from.
public struct DocxRun: Sendable, Hashable {
    public enum Link: Sendable, Hashable {
        /// A web address, e.g. the page in the system that traces the figure to its records.
        case external(String)
        /// A bookmark in the same document.
        case bookmark(String)
    }

    public var text: String
    public var bold: Bool
    public var link: Link?
    /// Bookmark name around the run. Made valid for Word: letters, digits and "_", starting with a letter,
    /// at most 40 characters.
    public var bookmark: String?

    public init(_ text: String, bold: Bool = false, link: Link? = nil, bookmark: String? = nil) {
        self.text = text
        self.bold = bold
        self.link = link
        self.bookmark = bookmark
    }

    public static func plain(_ text: String) -> DocxRun { DocxRun(text) }
    public static func bold(_ text: String) -> DocxRun { DocxRun(text, bold: true) }
    /// A traceable figure: bookmarked, and linked when a trace address is given.
    public static func figure(_ text: String, bookmark: String, traceURL: String? = nil) -> DocxRun {
        DocxRun(text, link: traceURL.map { .external($0) }, bookmark: bookmark)
    }
}

/// A PNG picture (a chart) placed on its own centred line.
public struct DocxImage: Sendable, Hashable {
    public let png: Data
    public let pixelWidth: Int
    public let pixelHeight: Int
    /// Width on the page; the height follows the picture's proportions.
    public var widthCentimetres: Double
    /// Alternative text for screen readers.
    public var description: String

    /// Checks the PNG signature and reads its size from the IHDR chunk.
    public init(png: Data, widthCentimetres: Double = 15, description: String = "") throws(OfficeFormatError) {
        let bytes = [UInt8](png.prefix(24))
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count == 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw OfficeFormatError(.invalidImage, "插入的图片不是有效的 PNG 图片。")
        }
        func be32(_ i: Int) -> Int { bytes[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let width = be32(16)
        let height = be32(20)
        guard width > 0, height > 0, widthCentimetres > 0, widthCentimetres.isFinite else {
            throw OfficeFormatError(.invalidImage, "插入的 PNG 图片尺寸无效。")
        }
        self.png = png
        pixelWidth = width
        pixelHeight = height
        self.widthCentimetres = widthCentimetres
        self.description = description
    }
}

/// A Word document built block by block and written as .docx (OOXML written by us: document, styles,
/// settings, footer with page numbers, core properties, media).
///
/// Every run names its East Asian font (`w:eastAsia`) and the document language is zh-CN, so Word, WPS
/// and LibreOffice pick Chinese fonts and line breaking instead of guessing. Page: A4 with the margins of
/// GB/T 9704; body 仿宋 三号 with two-character first-line indent and 28 pt exact line spacing.
public struct DocxDocument: Sendable, Hashable {
    public enum Block: Sendable, Hashable {
        case title(String)
        /// Level 1–3.
        case heading(String, level: Int)
        case paragraph([DocxRun])
        /// A centred paragraph without indent (signatures, dates, captions).
        case centered([DocxRun])
        case table(header: [String], rows: [[String]])
        case pageBreak
        case image(DocxImage)
        /// A native chart (see `DocxChart`).
        case chart(DocxChart)
    }

    public var blocks: [Block] = []
    public var fonts: DocxFonts
    public var bodySize: ChineseFontSize
    public var tableSize: ChineseFontSize
    /// Prefix headings with 一、 / （一） / 1. as official reports number them. Off by default, for
    /// texts that already carry their numbers.
    public var numberHeadings: Bool
    /// Title for the file's properties; the first `.title` block when nil.
    public var documentTitle: String?

    public init(
        fonts: DocxFonts = DocxFonts(), bodySize: ChineseFontSize = .sanHao, tableSize: ChineseFontSize = .xiaoSi,
        numberHeadings: Bool = false
    ) {
        self.fonts = fonts
        self.bodySize = bodySize
        self.tableSize = tableSize
        self.numberHeadings = numberHeadings
    }

    public mutating func title(_ text: String) { blocks.append(.title(text)) }
    public mutating func heading(_ text: String, level: Int = 1) { blocks.append(.heading(text, level: min(max(level, 1), 3))) }
    public mutating func paragraph(_ text: String) { blocks.append(.paragraph([DocxRun(text)])) }
    public mutating func paragraph(_ runs: [DocxRun]) { blocks.append(.paragraph(runs)) }
    public mutating func centered(_ text: String) { blocks.append(.centered([DocxRun(text)])) }
    public mutating func table(header: [String], rows: [[String]]) { blocks.append(.table(header: header, rows: rows)) }
    public mutating func pageBreak() { blocks.append(.pageBreak) }
    public mutating func image(_ image: DocxImage) { blocks.append(.image(image)) }
    public mutating func chart(_ chart: DocxChart) { blocks.append(.chart(chart)) }

    /// Writes the .docx file (replacing one that exists).
    public func write(to url: URL) throws(OfficeFormatError) {
        var builder = DocxBuilder(document: self)
        let body = builder.body()
        let package = try PackageWriter(destination: url)
        do {
            try package.add("[Content_Types].xml", builder.contentTypes())
            try package.add("_rels/.rels", DocxBuilder.rootRelationships)
            try package.add("docProps/core.xml", builder.coreProperties())
            try package.add("word/document.xml", body)
            try package.add("word/_rels/document.xml.rels", builder.documentRelationships())
            try package.add("word/styles.xml", builder.styles())
            try package.add("word/settings.xml", DocxBuilder.settings)
            try package.add("word/footer1.xml", builder.footer())
            for (index, image) in builder.images.enumerated() {
                try package.add("word/media/image\(index + 1).png", image.png)
            }
            try builder.addCharts(to: package)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }

    /// Chinese numeral for heading numbers: 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.
    public static func chineseNumeral(_ n: Int) -> String {
        let digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0 else { return digits[0] }
        if n < 10 { return digits[n] }
        if n < 20 { return "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        if n < 100 { return digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]) }
        if n < 1000 {
            let rest = n % 100
            if rest == 0 { return digits[n / 100] + "百" }
            return digits[n / 100] + "百" + (rest < 10 ? "零" + digits[rest] : (rest < 20 ? "一" : "") + chineseNumeral(rest))
        }
        return String(n)
    }
}

/// Turns blocks into the XML parts; keeps the counters for relationships, bookmarks and drawings.
private struct DocxBuilder {
    let document: DocxDocument
    var images: [DocxImage] = []
    var charts: [DocxChart] = []
    var links: [String] = []
    var bookmarkNames: Set<String> = []
    var nextBookmark = 0
    var headingCounters = [0, 0, 0]

    init(document: DocxDocument) {
        self.document = document
    }

    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    /// Relationship ids: rId1 styles, rId2 settings, rId3 footer, then images, then charts, then links.
    func imageRelationship(_ index: Int) -> String { "rId\(10 + index)" }
    func chartRelationship(_ index: Int) -> String { "rId\(10 + images.count + index)" }
    func linkRelationship(_ index: Int) -> String { "rId\(10 + images.count + charts.count + index)" }

    mutating func body() -> String {
        var xml = DocxBuilder.declaration
        xml += "<w:document xmlns:w=\"\(DocxBuilder.w)\" xmlns:r=\"\(DocxBuilder.r)\""
        xml += " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
        xml += " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
        xml += " xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\""
        xml += " xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><w:body>"
        // Images and charts get their relationship ids before links, so collect them first.
        for block in document.blocks {
            if case .image(let image) = block { images.append(image) }
            if case .chart(let chart) = block { charts.append(chart) }
        }
        var imageIndex = 0
        var chartIndex = 0
        for block in document.blocks {
            switch block {
            case .title(let text):
                xml += paragraph(style: "Title", runs: [DocxRun(text)], font: document.fonts.title, size: .erHao, bold: true)
            case .heading(let text, let level):
                var text = text
                if document.numberHeadings {
                    headingCounters[level - 1] += 1
                    for deeper in level..<3 { headingCounters[deeper] = 0 }
                    let n = headingCounters[level - 1]
                    let prefix = level == 1 ? DocxDocument.chineseNumeral(n) + "、" : (level == 2 ? "（\(DocxDocument.chineseNumeral(n))）" : "\(n)．")
                    text = prefix + text
                }
                let font = [document.fonts.heading1, document.fonts.heading2, document.fonts.heading3][level - 1]
                xml += paragraph(style: "Heading\(level)", runs: [DocxRun(text)], font: font, size: document.bodySize, bold: level == 3)
            case .paragraph(let runs):
                xml += paragraph(style: nil, runs: runs, font: document.fonts.body, size: document.bodySize, bold: false)
            case .centered(let runs):
                xml += paragraph(style: "Centered", runs: runs, font: document.fonts.body, size: document.bodySize, bold: false)
            case .table(let header, let rows):
                xml += table(header: header, rows: rows)
            case .pageBreak:
                xml += "<w:p><w:r>" + runProperties(font: document.fonts.body, size: document.bodySize, bold: false)
                    + "<w:br w:type=\"page\"/></w:r></w:p>"
            case .image(let image):
                imageIndex += 1
                xml += drawing(image, index: imageIndex)
            case .chart(let chart):
                chartIndex += 1
                xml += chartDrawing(chart, index: chartIndex)
            }
        }
        xml += "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId3\"/>"
        xml += "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
        xml += "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>"
        xml += "<w:cols w:space=\"425\"/><w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr></w:body></w:document>"
        return xml
    }

    func runProperties(font: String, size: ChineseFontSize, bold: Bool, style: String? = nil) -> String {
        let latin = XMLText.escaped(document.fonts.latin, attribute: true)
        var xml = "<w:rPr>"
        if let style { xml += "<w:rStyle w:val=\"\(style)\"/>" }
        xml += "<w:rFonts w:ascii=\"\(latin)\" w:hAnsi=\"\(latin)\" w:eastAsia=\"\(XMLText.escaped(font, attribute: true))\" w:cs=\"\(latin)\" w:hint=\"eastAsia\"/>"
        if bold { xml += "<w:b/><w:bCs/>" }
        xml += "<w:sz w:val=\"\(size.halfPoints)\"/><w:szCs w:val=\"\(size.halfPoints)\"/>"
        xml += "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr>"
        return xml
    }

    /// Run content: text with line breaks and tabs as Word elements.
    func runContent(_ text: String) -> String {
        var xml = ""
        var pending = ""
        func flush() {
            guard !pending.isEmpty else { return }
            xml += "<w:t xml:space=\"preserve\">\(XMLText.escaped(pending))</w:t>"
            pending = ""
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": flush(); xml += "<w:br/>"
            case "\r": continue
            case "\t": flush(); xml += "<w:tab/>"
            default: pending.unicodeScalars.append(scalar)
            }
        }
        flush()
        return xml
    }

    mutating func paragraph(style: String?, runs: [DocxRun], font: String, size: ChineseFontSize, bold: Bool) -> String {
        var xml = "<w:p>"
        if let style { xml += "<w:pPr><w:pStyle w:val=\"\(style)\"/></w:pPr>" }
        for run in runs {
            var bookmarkID: Int?
            if let name = run.bookmark {
                let clean = uniqueBookmark(name)
                bookmarkID = nextBookmark
                xml += "<w:bookmarkStart w:id=\"\(nextBookmark)\" w:name=\"\(XMLText.escaped(clean, attribute: true))\"/>"
                nextBookmark += 1
            }
            let isLink = run.link != nil
            let content = "<w:r>" + runProperties(font: font, size: size, bold: bold || run.bold, style: isLink ? "Hyperlink" : nil)
                + runContent(run.text) + "</w:r>"
            switch run.link {
            case .external(let address):
                links.append(address)
                xml += "<w:hyperlink r:id=\"\(linkRelationship(links.count - 1))\" w:history=\"1\">\(content)</w:hyperlink>"
            case .bookmark(let name):
                xml += "<w:hyperlink w:anchor=\"\(XMLText.escaped(DocxBuilder.bookmarkName(name), attribute: true))\" w:history=\"1\">\(content)</w:hyperlink>"
            case nil:
                xml += content
            }
            if let bookmarkID { xml += "<w:bookmarkEnd w:id=\"\(bookmarkID)\"/>" }
        }
        return xml + "</w:p>"
    }

    mutating func uniqueBookmark(_ name: String) -> String {
        let base = DocxBuilder.bookmarkName(name)
        var candidate = base
        var counter = 2
        while bookmarkNames.contains(candidate) {
            let suffix = "_\(counter)"
            candidate = String(base.prefix(40 - suffix.count)) + suffix
            counter += 1
        }
        bookmarkNames.insert(candidate)
        return candidate
    }

    static func bookmarkName(_ name: String) -> String {
        var clean = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        if clean.first.map({ !$0.isLetter }) ?? true { clean = "F" + clean }
        return String(clean.prefix(40))
    }

    func table(header: [String], rows: [[String]]) -> String {
        let columns = max(header.count, rows.map(\.count).max() ?? 0, 1)
        let gridWidth = 11906 - 1588 - 1474
        let columnWidth = gridWidth / columns
        var xml = "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/>"
        xml += "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
        for _ in 0..<columns { xml += "<w:gridCol w:w=\"\(columnWidth)\"/>" }
        xml += "</w:tblGrid>"
        func row(_ cells: [String], isHeader: Bool) -> String {
            var xml = "<w:tr>"
            if isHeader { xml += "<w:trPr><w:tblHeader/></w:trPr>" }
            for index in 0..<columns {
                let text = index < cells.count ? cells[index] : ""
                xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(columnWidth)\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>"
                xml += "<w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr><w:r>"
                xml += runProperties(font: document.fonts.table, size: document.tableSize, bold: isHeader)
                xml += runContent(text) + "</w:r></w:p></w:tc>"
            }
            return xml + "</w:tr>"
        }
        if !header.isEmpty { xml += row(header, isHeader: true) }
        for cells in rows { xml += row(cells, isHeader: false) }
        return xml + "</w:tbl><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr></w:p>"
    }

    /// A centred paragraph of its own holding an inline drawing of `cx` × `cy` EMU, up to its extent.
    func inlineStart(cx: Int, cy: Int) -> String {
        "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r>"
            + runProperties(font: document.fonts.body, size: document.bodySize, bold: false) + "<w:drawing>"
            + "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"\(cx)\" cy=\"\(cy)\"/>"
    }

    func drawing(_ image: DocxImage, index: Int) -> String {
        let cx = Int((image.widthCentimetres * 360_000).rounded())
        let cy = Int((Double(cx) * Double(image.pixelHeight) / Double(image.pixelWidth)).rounded())
        let description = XMLText.escaped(image.description, attribute: true)
        var xml = inlineStart(cx: cx, cy: cy) + "<wp:docPr id=\"\(index)\" name=\"图片 \(index)\" descr=\"\(description)\"/>"
        xml += "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
        xml += "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
        xml += "<pic:nvPicPr><pic:cNvPr id=\"\(index)\" name=\"image\(index).png\" descr=\"\(description)\"/><pic:cNvPicPr/></pic:nvPicPr>"
        xml += "<pic:blipFill><a:blip r:embed=\"\(imageRelationship(index - 1))\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
        xml += "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"\(cx)\" cy=\"\(cy)\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>"
        xml += "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        return xml
    }

    /// A chart on its own centred line; drawing ids follow the images' so every `docPr` id is unique.
    func chartDrawing(_ chart: DocxChart, index: Int) -> String {
        let cx = Int((chart.widthCentimetres * 360_000).rounded())
        let cy = Int((chart.heightCentimetres * 360_000).rounded())
        let id = images.count + index
        let description = XMLText.escaped(chart.description.isEmpty ? chart.title : chart.description, attribute: true)
        var xml = inlineStart(cx: cx, cy: cy) + "<wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
        xml += "<wp:docPr id=\"\(id)\" name=\"图表 \(index)\" title=\"\(XMLText.escaped(chart.title, attribute: true))\" descr=\"\(description)\"/>"
        xml += "<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\">"
        xml += "<c:chart r:id=\"\(chartRelationship(index - 1))\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
        return xml
    }

    /// The chart parts, their relationships and the workbooks behind them.
    func addCharts(to package: PackageWriter) throws(OfficeFormatError) {
        guard !charts.isEmpty else { return }
        let scratch = try TemporaryDirectory()
        defer { scratch.remove() }
        for (index, chart) in charts.enumerated() {
            let n = index + 1
            let workbook = scratch.url.appendingPathComponent("chart\(n).xlsx")
            try chart.writeWorkbook(to: workbook)
            try package.add("word/embeddings/Microsoft_Excel_Worksheet\(n).xlsx", file: workbook)
            try package.add("word/charts/chart\(n).xml", chart.partXML(font: document.fonts.table, latin: document.fonts.latin,
                                                                       externalDataRelationship: "rId1"))
            var rels = DocxBuilder.declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            rels += "<Relationship Id=\"rId1\" Type=\"\(DocxBuilder.r)/package\" Target=\"../embeddings/Microsoft_Excel_Worksheet\(n).xlsx\"/>"
            try package.add("word/charts/_rels/chart\(n).xml.rels", rels + "</Relationships>")
        }
    }

    func contentTypes() -> String {
        var xml = DocxBuilder.declaration + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
        xml += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
        xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
        if !images.isEmpty { xml += #"<Default Extension="png" ContentType="image/png"/>"# }
        if !charts.isEmpty {
            xml += #"<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>"#
        }
        for index in charts.indices {
            xml += "<Override PartName=\"/word/charts/chart\(index + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.drawingml.chart+xml\"/>"
        }
        xml += #"<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#
        xml += #"<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>"#
        xml += #"<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#
        xml += #"<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>"#
        xml += #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
        return xml + "</Types>"
    }

    static let rootRelationships = declaration
        + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + "</Relationships>"

    func documentRelationships() -> String {
        var xml = DocxBuilder.declaration + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
        xml += "<Relationship Id=\"rId1\" Type=\"\(DocxBuilder.r)/styles\" Target=\"styles.xml\"/>"
        xml += "<Relationship Id=\"rId2\" Type=\"\(DocxBuilder.r)/settings\" Target=\"settings.xml\"/>"
        xml += "<Relationship Id=\"rId3\" Type=\"\(DocxBuilder.r)/footer\" Target=\"footer1.xml\"/>"
        for index in images.indices {
            xml += "<Relationship Id=\"\(imageRelationship(index))\" Type=\"\(DocxBuilder.r)/image\" Target=\"media/image\(index + 1).png\"/>"
        }
        for index in charts.indices {
            xml += "<Relationship Id=\"\(chartRelationship(index))\" Type=\"\(DocxBuilder.r)/chart\" Target=\"charts/chart\(index + 1).xml\"/>"
        }
        for (index, address) in links.enumerated() {
            xml += "<Relationship Id=\"\(linkRelationship(index))\" Type=\"\(DocxBuilder.r)/hyperlink\" Target=\"\(XMLText.escaped(address, attribute: true))\" TargetMode=\"External\"/>"
        }
        return xml + "</Relationships>"
    }

    func coreProperties() -> String {
        var title = document.documentTitle
        if title == nil {
            for block in document.blocks { if case .title(let text) = block { title = text; break } }
        }
        var xml = DocxBuilder.declaration
        xml += #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
        xml += "<dc:title>\(XMLText.escaped(title ?? ""))</dc:title><dc:language>zh-CN</dc:language></cp:coreProperties>"
        return xml
    }

    /// Centred page number "— 1 —" in 宋体 四号, as official documents print it.
    func footer() -> String {
        let rPr = runProperties(font: "宋体", size: .siHao, bold: false)
        var xml = DocxBuilder.declaration + "<w:ftr xmlns:w=\"\(DocxBuilder.w)\" xmlns:r=\"\(DocxBuilder.r)\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>"
        xml += "<w:r>\(rPr)<w:t xml:space=\"preserve\">— </w:t></w:r>"
        xml += "<w:r>\(rPr)<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>\(rPr)<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
        xml += "<w:r>\(rPr)<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r>\(rPr)<w:t>1</w:t></w:r><w:r>\(rPr)<w:fldChar w:fldCharType=\"end\"/></w:r>"
        xml += "<w:r>\(rPr)<w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
        return xml
    }

    static let settings = declaration
        + "<w:settings xmlns:w=\"\(w)\"><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/>"
        + "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
        + "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>"

    func styles() -> String {
        let fonts = document.fonts
        let body = document.bodySize
        let lineTwips = Int((body.rawValue * 1.75 * 20).rounded())  // 三号 → 28 pt exact
        let indent = Int((body.rawValue * 2 * 20).rounded())
        func rFonts(_ eastAsia: String) -> String {
            let latin = XMLText.escaped(fonts.latin, attribute: true)
            return "<w:rFonts w:ascii=\"\(latin)\" w:hAnsi=\"\(latin)\" w:eastAsia=\"\(XMLText.escaped(eastAsia, attribute: true))\" w:cs=\"\(latin)\" w:hint=\"eastAsia\"/>"
        }
        func size(_ s: ChineseFontSize) -> String { "<w:sz w:val=\"\(s.halfPoints)\"/><w:szCs w:val=\"\(s.halfPoints)\"/>" }
        var xml = DocxBuilder.declaration + "<w:styles xmlns:w=\"\(DocxBuilder.w)\">"
        xml += "<w:docDefaults><w:rPrDefault><w:rPr>\(rFonts(fonts.body))<w:kern w:val=\"2\"/>\(size(body))<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
        xml += "<w:pPrDefault><w:pPr><w:spacing w:line=\"\(lineTwips)\" w:lineRule=\"exact\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>"
        // 正文: two-character first-line indent.
        xml += "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>"
        xml += "<w:pPr><w:widowControl w:val=\"0\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"\(indent)\"/></w:pPr><w:rPr>\(rFonts(fonts.body))\(size(body))</w:rPr></w:style>"
        xml += "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
        xml += "<w:pPr><w:spacing w:before=\"240\" w:after=\"480\" w:line=\"\(Int(ChineseFontSize.erHao.rawValue * 1.5 * 20))\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr>"
        xml += "<w:rPr>\(rFonts(fonts.title))<w:b/><w:bCs/>\(size(.erHao))</w:rPr></w:style>"
        let headingFonts = [fonts.heading1, fonts.heading2, fonts.heading3]
        for level in 1...3 {
            xml += "<w:style w:type=\"paragraph\" w:styleId=\"Heading\(level)\"><w:name w:val=\"heading \(level)\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>"
            xml += "<w:pPr><w:keepNext/><w:outlineLvl w:val=\"\(level - 1)\"/></w:pPr>"
            xml += "<w:rPr>\(rFonts(headingFonts[level - 1]))\(level == 3 ? "<w:b/><w:bCs/>" : "")\(size(body))</w:rPr></w:style>"
        }
        xml += "<w:style w:type=\"paragraph\" w:styleId=\"Centered\"><w:name w:val=\"Centered\"/><w:basedOn w:val=\"Normal\"/>"
        xml += "<w:pPr><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr></w:style>"
        xml += "<w:style w:type=\"paragraph\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/>"
        xml += "<w:pPr><w:spacing w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>"
        xml += "<w:rPr>\(rFonts(fonts.table))\(size(document.tableSize))</w:rPr></w:style>"
        // Pictures need automatic line height, or an exact 28 pt line clips them.
        xml += "<w:style w:type=\"paragraph\" w:styleId=\"Figure\"><w:name w:val=\"Figure\"/><w:basedOn w:val=\"Normal\"/>"
        xml += "<w:pPr><w:keepNext/><w:spacing w:before=\"120\" w:after=\"120\" w:line=\"240\" w:lineRule=\"auto\"/><w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr></w:style>"
        xml += "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>"
        xml += "<w:style w:type=\"character\" w:styleId=\"Hyperlink\"><w:name w:val=\"Hyperlink\"/><w:basedOn w:val=\"DefaultParagraphFont\"/><w:rPr><w:color w:val=\"0563C1\"/><w:u w:val=\"single\"/></w:rPr></w:style>"
        xml += "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
        xml += "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/><w:tblPr><w:tblBorders>"
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            xml += "<w:\(side) w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
        }
        xml += "</w:tblBorders></w:tblPr></w:style></w:styles>"
        return xml
    }
}
