/// A report chart as inline SVG for the web app: no script, no external font or library, Chinese
/// labels in the reader's own CJK font, an accessible title and description, and every bar or
/// point a link to its figure's records like the figures in the text.
public enum ReportChartSVG {
    static let width = 640.0
    static let fontFamily = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei','PingFang SC','SimSun',sans-serif"
    static let palette = ["#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47"]

    public static func render(_ chart: ReportChart, figures: [String: ReportFigure], link: (ReportFigure) -> String) -> String {
        let e = ReportHTML.escape
        let n = chart.categories.count
        let values = chart.series.flatMap { $0.points.compactMap(\.value) }.filter(\.isFinite)
        let scale = Scale(values: values, startAtZero: chart.kind == .bar)
        let hasLegend = chart.series.count > 1
        let longest = chart.categories.map(\.count).max() ?? 0
        let plotLeft = 64.0, plotRight = width - 16
        let slot = n > 0 ? (plotRight - plotLeft) / Double(n) : plotRight - plotLeft
        // Labels that do not fit under their slot (12 px a character) are slanted.
        let slanted = Double(longest) * 12 > slot - 4
        let plotTop = hasLegend ? 40.0 : 24.0
        let plotHeight = 220.0
        let plotBottom = plotTop + plotHeight
        let height = plotBottom + (slanted ? min(Double(longest) * 9 + 16, 120) : 32)
        let id = "chart\(chart.number)"
        func y(_ v: Double) -> Double { plotBottom - (v - scale.low) / (scale.high - scale.low) * plotHeight }
        func num(_ v: Double) -> String { ReportPhrases.fixed(v, 1) }

        var out = "<figure class=\"report-chart\" id=\"\(id)\">\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(num(width)) \(num(height))\" width=\"100%\" role=\"img\""
        out += " aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"\(e(fontFamily))\" font-size=\"12\">"
        out += "<title id=\"\(id)-title\">\(e(chart.caption))</title>"
        let description = chart.series.map { s in
            s.name + "：" + zip(chart.categories, s.points).map { "\($0)\($1.text)" }.joined(separator: "，")
        }.joined(separator: "；")
        out += "<desc id=\"\(id)-desc\">\(e(description))</desc>\n"
        // Grid and value axis.
        for tick in scale.ticks {
            let ty = y(tick)
            out += "<line x1=\"\(num(plotLeft))\" y1=\"\(num(ty))\" x2=\"\(num(plotRight))\" y2=\"\(num(ty))\" stroke=\"#D9D9D9\" stroke-width=\"1\"/>"
            out += "<text x=\"\(num(plotLeft - 6))\" y=\"\(num(ty + 4))\" text-anchor=\"end\" fill=\"#595959\">\(e(ReportPhrases.fixed(tick, scale.decimals)))</text>\n"
        }
        if !chart.valueUnit.isEmpty {
            out += "<text x=\"\(num(plotLeft - 6))\" y=\"\(num(plotTop - 10))\" text-anchor=\"end\" fill=\"#595959\">（\(e(chart.valueUnit))）</text>\n"
        }
        out += "<line x1=\"\(num(plotLeft))\" y1=\"\(num(plotBottom))\" x2=\"\(num(plotRight))\" y2=\"\(num(plotBottom))\" stroke=\"#595959\" stroke-width=\"1\"/>\n"
        // Categories.
        for (i, label) in chart.categories.enumerated() {
            let cx = plotLeft + slot * (Double(i) + 0.5)
            if slanted {
                out += "<text x=\"\(num(cx))\" y=\"\(num(plotBottom + 14))\" text-anchor=\"end\" transform=\"rotate(-40 \(num(cx)) \(num(plotBottom + 14)))\">\(e(label))</text>\n"
            } else {
                out += "<text x=\"\(num(cx))\" y=\"\(num(plotBottom + 18))\" text-anchor=\"middle\">\(e(label))</text>\n"
            }
        }
        // Points: each a link to its figure's records, with its value as a tooltip and a label.
        func anchor(_ p: ReportChart.Point, category: String, series: String, _ body: String) -> String {
            let tip = "<title>\(e(category + " " + series + "：" + p.text))</title>"
            guard let fid = p.figureID, let f = figures[fid] else { return "<g>\(tip)\(body)</g>" }
            return "<a href=\"\(e(link(f)))\" class=\"figure\" data-figure=\"\(e(fid))\">\(tip)\(body)</a>"
        }
        let count = max(chart.series.count, 1)
        for (si, s) in chart.series.enumerated() {
            let colour = palette[si % palette.count]
            if chart.kind == .bar {
                let barWidth = slot * 0.7 / Double(count)
                for (i, p) in s.points.enumerated() where i < n {
                    guard let v = p.value, v.isFinite else { continue }
                    let x = plotLeft + slot * Double(i) + slot * 0.15 + barWidth * Double(si)
                    let top = min(y(v), y(max(scale.low, 0))), bottom = max(y(v), y(max(scale.low, 0)))
                    var body = "<rect x=\"\(num(x))\" y=\"\(num(top))\" width=\"\(num(max(barWidth - 2, 1)))\" height=\"\(num(max(bottom - top, 0.5)))\" fill=\"\(colour)\"/>"
                    body += "<text x=\"\(num(x + barWidth / 2 - 1))\" y=\"\(num(top - 4))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#262626\">\(e(label(v, chart)))</text>"
                    out += anchor(p, category: chart.categories[i], series: s.name, body) + "\n"
                }
            } else {
                var path: [String] = []
                var lines: [String] = []
                for (i, p) in s.points.enumerated() where i < n {
                    guard let v = p.value, v.isFinite else {
                        if path.count > 1 { lines.append(path.joined(separator: " ")) }
                        path = []
                        continue
                    }
                    path.append("\(num(plotLeft + slot * (Double(i) + 0.5))),\(num(y(v)))")
                }
                if path.count > 1 { lines.append(path.joined(separator: " ")) }
                for points in lines {
                    out += "<polyline points=\"\(points)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\"/>\n"
                }
                for (i, p) in s.points.enumerated() where i < n {
                    guard let v = p.value, v.isFinite else { continue }
                    let cx = plotLeft + slot * (Double(i) + 0.5)
                    var body = "<circle cx=\"\(num(cx))\" cy=\"\(num(y(v)))\" r=\"4\" fill=\"\(colour)\"/>"
                    body += "<text x=\"\(num(cx))\" y=\"\(num(y(v) - 8))\" text-anchor=\"middle\" font-size=\"11\" fill=\"#262626\">\(e(label(v, chart)))</text>"
                    out += anchor(p, category: chart.categories[i], series: s.name, body) + "\n"
                }
            }
        }
        if hasLegend {
            var x = plotLeft
            for (si, s) in chart.series.enumerated() {
                out += "<rect x=\"\(num(x))\" y=\"10\" width=\"12\" height=\"12\" fill=\"\(palette[si % palette.count])\"/>"
                out += "<text x=\"\(num(x + 16))\" y=\"20\">\(e(s.name))</text>"
                x += 28 + Double(s.name.count) * 12
            }
            out += "\n"
        }
        out += "</svg>\n<figcaption>\(e(chart.caption))</figcaption>\n</figure>\n"
        return out
    }

    static func label(_ v: Double, _ chart: ReportChart) -> String { ReportPhrases.fixed(v, chart.decimals) }

    /// A value axis with round ticks (1, 2 or 5 × 10ⁿ apart) that covers every value.
    struct Scale {
        var low: Double
        var high: Double
        var step: Double
        var decimals: Int

        init(values: [Double], startAtZero: Bool) {
            let maxV = values.max() ?? 0, minV = values.min() ?? 0
            var lo = min(0, minV)
            // A line of values far from zero (rates near 100%) would be flat from zero: start near them.
            if !startAtZero, minV > 0, minV > maxV * 0.6 { lo = minV }
            var hi = max(maxV, lo)
            if hi - lo <= 0 { hi = lo + (lo == 0 ? 1 : abs(lo) * 0.1) }
            let raw = (hi - lo) / 5
            var magnitude = 1.0
            while magnitude * 10 <= raw { magnitude *= 10 }
            while magnitude > raw { magnitude /= 10 }
            let ratio = raw / magnitude
            step = (ratio <= 1 ? 1 : ratio <= 2 ? 2 : ratio <= 5 ? 5 : 10) * magnitude
            low = (lo / step).rounded(.down) * step
            high = (hi / step).rounded(.up) * step
            if high <= low { high = low + step }
            var d = 0
            var s = step
            while s < 1, d < 6 { s *= 10; d += 1 }
            decimals = d
        }

        var ticks: [Double] {
            var out: [Double] = []
            var t = low
            while t <= high + step / 2, out.count < 20 { out.append(t); t += step }
            return out
        }
    }
}
