import EduLedgerReports

/// Bar and line charts drawn as SVG text on the server: no script, no font or library from the
/// internet, so the pages work on the bureau's closed network and a chart saved as `.svg` opens
/// in a report editor unchanged. Labels are Chinese; the text uses the reader's system font.
struct SVGChart: Sendable {
    /// One line of a line chart (a unit's figure over the years).
    struct Series: Sendable {
        var name: String
        /// One value per x label; `nil` (undefined figure) leaves a gap in the line.
        var values: [Double?]
    }

    var title: String
    /// Shown beside the y axis (e.g. `%`, `人`).
    var unit: String
    var width = 720
    /// Decimal places of the value labels.
    var precision = 1

    static let palette = ["#a4262c", "#1d4f91", "#2f855a", "#b7791f", "#6b46c1", "#2c7a7b", "#c05621", "#4a5568"]

    /// Vertical bars, one per label (schools or townships compared for one year). Bars in
    /// `highlight` are drawn in red (e.g. schools below a standard); `limit` draws a dashed line.
    func bars(labels: [String], values: [Double?], highlight: Set<Int> = [], limit: Double? = nil, limitLabel: String = "") -> String {
        let n = max(labels.count, 1)
        let slot = max(22, min(64, (width - 80) / n))
        let plotWidth = slot * n
        let w = plotWidth + 90
        let plotTop = 40, plotHeight = 220
        let labelSpace = 110
        let h = plotTop + plotHeight + labelSpace
        let top = niceMax(max(values.compactMap { $0 }.max() ?? 0, limit ?? 0))
        var out = header(w, h)
        out += axes(left: 60, top: plotTop, width: plotWidth, height: plotHeight, maxValue: top)
        for (i, label) in labels.enumerated() {
            let x = 60 + i * slot
            let cx = x + slot / 2
            if let v = i < values.count ? values[i] : nil {
                let barHeight = top > 0 ? Int((v / top * Double(plotHeight)).rounded()) : 0
                let y = plotTop + plotHeight - barHeight
                let colour = highlight.contains(i) ? "#a4262c" : "#1d4f91"
                out += "<rect x=\"\(x + 3)\" y=\"\(y)\" width=\"\(slot - 6)\" height=\"\(barHeight)\" fill=\"\(colour)\"><title>\(Self.escape(label))：\(format(v))\(Self.escape(unit))</title></rect>"
                out += "<text x=\"\(cx)\" y=\"\(y - 3)\" font-size=\"10\" text-anchor=\"middle\">\(format(v))</text>"
            } else {
                out += "<text x=\"\(cx)\" y=\"\(plotTop + plotHeight - 4)\" font-size=\"10\" text-anchor=\"middle\" fill=\"#616e7c\">无</text>"
            }
            let ly = plotTop + plotHeight + 8
            out += "<text transform=\"translate(\(cx),\(ly)) rotate(60)\" font-size=\"11\" text-anchor=\"start\">\(Self.escape(Self.shorten(label, 9)))</text>"
        }
        if let limit, top > 0 {
            let y = plotTop + plotHeight - Int((limit / top * Double(plotHeight)).rounded())
            out += "<line x1=\"60\" y1=\"\(y)\" x2=\"\(60 + plotWidth)\" y2=\"\(y)\" stroke=\"#b7791f\" stroke-dasharray=\"5,4\" stroke-width=\"1.5\"/>"
            out += "<text x=\"\(60 + plotWidth)\" y=\"\(y - 4)\" font-size=\"11\" text-anchor=\"end\" fill=\"#b7791f\">\(Self.escape(limitLabel))\(format(limit))</text>"
        }
        return out + "</svg>"
    }

    /// Lines over the x labels (years), one per series, with a legend.
    func lines(xLabels: [String], series: [Series]) -> String {
        let n = max(xLabels.count, 1)
        let step = n > 1 ? max(60, (width - 140) / (n - 1)) : 60
        let plotWidth = step * (n - 1)
        let plotTop = 40, plotHeight = 220
        let legendRows = (series.count + 2) / 3
        let w = max(plotWidth + 140, 360)
        let h = plotTop + plotHeight + 36 + legendRows * 18
        let all = series.flatMap { $0.values.compactMap { $0 } }
        let top = niceMax(all.max() ?? 0)
        var out = header(w, h)
        out += axes(left: 60, top: plotTop, width: max(plotWidth, 1), height: plotHeight, maxValue: top)
        for (i, label) in xLabels.enumerated() {
            out += "<text x=\"\(60 + i * step)\" y=\"\(plotTop + plotHeight + 18)\" font-size=\"11\" text-anchor=\"middle\">\(Self.escape(label))</text>"
        }
        for (k, s) in series.enumerated() {
            let colour = Self.palette[k % Self.palette.count]
            var segment: [String] = []
            func flush() {
                if segment.count > 1 {
                    out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(segment.joined(separator: " "))\"/>"
                }
                segment = []
            }
            for (i, value) in s.values.enumerated() {
                guard let v = value else { flush(); continue }
                let x = 60 + i * step
                let y = plotTop + plotHeight - (top > 0 ? Int((v / top * Double(plotHeight)).rounded()) : 0)
                segment.append("\(x),\(y)")
                out += "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3\" fill=\"\(colour)\"><title>\(Self.escape(s.name)) \(Self.escape(i < xLabels.count ? xLabels[i] : ""))：\(format(v))\(Self.escape(unit))</title></circle>"
                if series.count <= 3 {
                    out += "<text x=\"\(x)\" y=\"\(y - 6)\" font-size=\"10\" text-anchor=\"middle\" fill=\"\(colour)\">\(format(v))</text>"
                }
            }
            flush()
            let lx = 60 + (k % 3) * 200, ly = plotTop + plotHeight + 36 + (k / 3) * 18
            out += "<rect x=\"\(lx)\" y=\"\(ly - 9)\" width=\"12\" height=\"4\" fill=\"\(colour)\"/>"
            out += "<text x=\"\(lx + 16)\" y=\"\(ly - 4)\" font-size=\"11\">\(Self.escape(Self.shorten(s.name, 14)))</text>"
        }
        return out + "</svg>"
    }

    private func header(_ w: Int, _ h: Int) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" role=\"img\" "
            + "font-family=\"PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif\">"
            + "<title>\(Self.escape(title))</title><rect width=\"\(w)\" height=\"\(h)\" fill=\"#fff\"/>"
            + "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"600\" fill=\"#1f2933\">\(Self.escape(title))</text>"
    }

    private func axes(left: Int, top: Int, width: Int, height: Int, maxValue: Double) -> String {
        var out = ""
        for k in 0...4 {
            let v = maxValue * Double(k) / 4
            let y = top + height - height * k / 4
            out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + width)\" y2=\"\(y)\" stroke=\"#d9dee4\" stroke-width=\"1\"/>"
            out += "<text x=\"\(left - 6)\" y=\"\(y + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#616e7c\">\(format(v))</text>"
        }
        out += "<text x=\"\(left - 6)\" y=\"\(top - 8)\" font-size=\"10\" text-anchor=\"end\" fill=\"#616e7c\">\(Self.escape(unit))</text>"
        return out
    }

    /// A round upper bound for the axis (1, 2, 2.5, 5 × 10ⁿ), so grid lines fall on plain numbers.
    func niceMax(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= v { magnitude *= 10 }
        while magnitude > v { magnitude /= 10 }
        for m in [1.0, 2.0, 2.5, 5.0, 10.0] where m * magnitude >= v { return m * magnitude }
        return 10 * magnitude
    }

    func format(_ v: Double) -> String {
        var scale = 1.0
        for _ in 0..<precision { scale *= 10 }
        let r = (v * scale).rounded() / scale
        if precision == 0 || r == r.rounded() { return String(Int64(r)) }
        return String(r)
    }

    static func shorten(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    /// XML escaping of text and attribute values (the same five characters as HTML).
    static func escape(_ s: String) -> String { ReportHTML.escape(s) }
}
