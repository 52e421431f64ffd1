import Foundation

/// A chart placed on its own centred line of a Word document, written as a native DrawingML chart
/// part (`word/charts/chartN.xml`) with its values and category labels cached in the part and an
/// embedded workbook holding the same data.
///
/// Why a chart part and not a picture: Word, WPS and LibreOffice draw it themselves from the
/// cached values (with Chinese labels in the document's fonts, sharp at any zoom and when
/// printed), and the clerk can restyle it or correct a number with Word's 编辑数据 — a picture
/// could only be replaced. No raster fallback is written: every reader that opens a .docx of
/// Office 2007 or later understands chart parts, and a picture made without a text renderer could
/// not carry the Chinese labels anyway.
public struct DocxChart: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Vertical bars (柱状图), clustered when there are several series.
        case bar
        /// Lines with markers (折线图).
        case line
    }

    /// One series: its name (the legend's entry) and a value per category; `nil` leaves a gap.
    public struct Series: Sendable, Hashable {
        public var name: String
        public var values: [Double?]
        public init(name: String, values: [Double?]) { self.name = name; self.values = values }
    }

    public var kind: Kind
    /// Printed above the plot; none when empty (a report prints its caption 图1 … below instead).
    public var title: String
    public var categories: [String]
    public var series: [Series]
    /// Decimals of the data labels and the value axis.
    public var decimals: Int
    /// Written after the values on the value axis title, e.g. 人, %, 个.
    public var valueUnit: String
    /// Size on the page.
    public var widthCentimetres: Double
    public var heightCentimetres: Double
    /// Alternative text for screen readers (the figures in words).
    public var description: String

    public init(kind: Kind, title: String, categories: [String], series: [Series], decimals: Int = 0, valueUnit: String = "",
                widthCentimetres: Double = 15, heightCentimetres: Double = 8, description: String = "") {
        self.kind = kind; self.title = title; self.categories = categories; self.series = series
        self.decimals = min(max(decimals, 0), 6); self.valueUnit = valueUnit
        self.widthCentimetres = widthCentimetres; self.heightCentimetres = heightCentimetres; self.description = description
    }

    /// Excel's column letters for the embedded sheet: A holds the categories, B… the series.
    static func column(_ index: Int) -> String {
        var n = index + 1
        var out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// The sheet the chart's formulas point to in its embedded workbook.
    static let sheetName = "Sheet1"

    var numberFormat: String { decimals == 0 ? "0" : "0." + String(repeating: "0", count: decimals) }

    /// A number as the cache stores it: plain decimal digits, no exponent, no grouping.
    static func cached(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var text = String(format: "%.10f", v)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// The chart part: `c:chartSpace` with a bar or line chart, its caches, axes and legend; every
    /// text property names the East Asian font so Chinese labels are not drawn in a Latin face.
    func partXML(font: String, latin: String, externalDataRelationship: String?) -> String {
        let c = "http://schemas.openxmlformats.org/drawingml/2006/chart"
        let a = "http://schemas.openxmlformats.org/drawingml/2006/main"
        let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let ea = XMLText.escaped(font, attribute: true)
        let lat = XMLText.escaped(latin, attribute: true)
        func textProperties(size: Int, bold: Bool = false) -> String {
            "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"\(size)\" b=\"\(bold ? 1 : 0)\">"
                + "<a:latin typeface=\"\(lat)\"/><a:ea typeface=\"\(ea)\"/><a:cs typeface=\"\(lat)\"/></a:defRPr></a:pPr>"
                + "<a:endParaRPr lang=\"zh-CN\"/></a:p></c:txPr>"
        }
        let palette = ["4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5", "70AD47"]
        let rows = categories.count
        let sheet = Self.sheetName
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        xml += "<c:chartSpace xmlns:c=\"\(c)\" xmlns:a=\"\(a)\" xmlns:r=\"\(r)\">"
        xml += "<c:date1904 val=\"0\"/><c:lang val=\"zh-CN\"/><c:roundedCorners val=\"0\"/><c:chart>"
        if title.isEmpty {
            xml += "<c:autoTitleDeleted val=\"1\"/>"
        } else {
            xml += "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1200\" b=\"1\"/></a:pPr>"
            xml += "<a:r><a:rPr lang=\"zh-CN\" altLang=\"en-US\" sz=\"1200\" b=\"1\"><a:latin typeface=\"\(lat)\"/><a:ea typeface=\"\(ea)\"/></a:rPr>"
            xml += "<a:t>\(XMLText.escaped(title))</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>"
            xml += "<c:autoTitleDeleted val=\"0\"/>"
        }
        xml += "<c:plotArea><c:layout/>"
        xml += kind == .bar ? "<c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>"
                            : "<c:lineChart><c:grouping val=\"standard\"/><c:varyColors val=\"0\"/>"
        for (index, s) in series.enumerated() {
            let col = Self.column(index + 1)
            let colour = palette[index % palette.count]
            xml += "<c:ser><c:idx val=\"\(index)\"/><c:order val=\"\(index)\"/>"
            xml += "<c:tx><c:strRef><c:f>\(sheet)!$\(col)$1</c:f><c:strCache><c:ptCount val=\"1\"/>"
            xml += "<c:pt idx=\"0\"><c:v>\(XMLText.escaped(s.name))</c:v></c:pt></c:strCache></c:strRef></c:tx>"
            if kind == .bar {
                xml += "<c:spPr><a:solidFill><a:srgbClr val=\"\(colour)\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>"
            } else {
                xml += "<c:spPr><a:ln w=\"28575\" cap=\"rnd\"><a:solidFill><a:srgbClr val=\"\(colour)\"/></a:solidFill><a:round/></a:ln></c:spPr>"
                xml += "<c:marker><c:symbol val=\"circle\"/><c:size val=\"6\"/><c:spPr><a:solidFill><a:srgbClr val=\"\(colour)\"/></a:solidFill></c:spPr></c:marker>"
            }
            xml += "<c:dLbls><c:numFmt formatCode=\"\(numberFormat)\" sourceLinked=\"0\"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
            xml += textProperties(size: 900)
            xml += "<c:dLblPos val=\"\(kind == .bar ? "outEnd" : "t")\"/><c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/>"
            xml += "<c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>"
            xml += "<c:cat><c:strRef><c:f>\(sheet)!$A$2:$A$\(rows + 1)</c:f><c:strCache><c:ptCount val=\"\(rows)\"/>"
            for (i, label) in categories.enumerated() { xml += "<c:pt idx=\"\(i)\"><c:v>\(XMLText.escaped(label))</c:v></c:pt>" }
            xml += "</c:strCache></c:strRef></c:cat>"
            xml += "<c:val><c:numRef><c:f>\(sheet)!$\(col)$2:$\(col)$\(rows + 1)</c:f><c:numCache><c:formatCode>\(numberFormat)</c:formatCode>"
            xml += "<c:ptCount val=\"\(rows)\"/>"
            for (i, v) in s.values.prefix(rows).enumerated() {
                guard let v, v.isFinite else { continue }
                xml += "<c:pt idx=\"\(i)\"><c:v>\(Self.cached(v))</c:v></c:pt>"
            }
            xml += "</c:numCache></c:numRef></c:val>"
            if kind == .line { xml += "<c:smooth val=\"0\"/>" }
            xml += "</c:ser>"
        }
        xml += kind == .bar ? "<c:gapWidth val=\"80\"/><c:overlap val=\"0\"/>" : "<c:marker val=\"1\"/>"
        xml += "<c:axId val=\"500000001\"/><c:axId val=\"500000002\"/>"
        xml += kind == .bar ? "</c:barChart>" : "</c:lineChart>"
        xml += "<c:catAx><c:axId val=\"500000001\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/>"
        xml += "<c:axPos val=\"b\"/><c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/>"
        xml += "<c:minorTickMark val=\"none\"/><c:tickLblPos val=\"low\"/>" + textProperties(size: 900)
        xml += "<c:crossAx val=\"500000002\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/>"
        xml += "<c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>"
        xml += "<c:valAx><c:axId val=\"500000002\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:delete val=\"0\"/>"
        xml += "<c:axPos val=\"l\"/><c:majorGridlines><c:spPr><a:ln w=\"6350\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>"
        if !valueUnit.isEmpty {
            xml += "<c:title><c:tx><c:rich><a:bodyPr rot=\"0\" vert=\"horz\"/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"900\" b=\"0\"/></a:pPr>"
            xml += "<a:r><a:rPr lang=\"zh-CN\" altLang=\"en-US\" sz=\"900\" b=\"0\"><a:latin typeface=\"\(lat)\"/><a:ea typeface=\"\(ea)\"/></a:rPr>"
            xml += "<a:t>（\(XMLText.escaped(valueUnit))）</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>"
        }
        xml += "<c:numFmt formatCode=\"\(numberFormat)\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/>"
        xml += "<c:tickLblPos val=\"nextTo\"/>" + textProperties(size: 900)
        xml += "<c:crossAx val=\"500000001\"/><c:crosses val=\"autoZero\"/><c:crossBetween val=\"between\"/></c:valAx>"
        xml += "</c:plotArea>"
        if series.count > 1 {
            xml += "<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/>" + textProperties(size: 900) + "</c:legend>"
        }
        xml += "<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>"
        xml += textProperties(size: 900)
        if let externalDataRelationship {
            xml += "<c:externalData r:id=\"\(externalDataRelationship)\"><c:autoUpdate val=\"0\"/></c:externalData>"
        }
        return xml + "</c:chartSpace>"
    }

    /// The chart's data as a workbook (categories in column A, a column per series), so that
    /// Word's 编辑数据 opens the numbers behind the chart.
    func writeWorkbook(to url: URL) throws(OfficeFormatError) {
        var writer = try XLSXWriter(url: url)
        try writer.addSheet(Self.sheetName, options: XLSXSheetOptions(columnWidths: [18] + series.map { _ in 14 }, freezeFirstRow: false))
        try writer.writeRow([XLSXCell.text("")] + series.map { XLSXCell.text($0.name) })
        for (i, label) in categories.enumerated() {
            try writer.writeRow([XLSXCell.text(label)] + series.map { s in
                i < s.values.count ? s.values[i].map { XLSXCell.number($0) } ?? .empty : .empty
            })
        }
        try writer.finish()
    }
}
