/// Reads a template line by line and reports every mistake at its line and column, so the browser
/// editor can point at it while the clerk types.
public enum TemplateParser {
    public static func parse(_ text: String) -> ParsedTemplate {
        var template = ReportTemplate()
        var errors: [TemplateError] = []
        var tableRows: [[[Segment]]] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        func flushTable() {
            if !tableRows.isEmpty { template.blocks.append(.table(rows: tableRows)); tableRows = [] }
        }
        for (index, raw) in lines.enumerated() {
            let lineNumber = index + 1
            let chars = Array(raw)
            // Leading blanks (half- or full-width) are not content; columns still count them.
            var start = 0
            while start < chars.count, chars[start] == " " || chars[start] == "\t" || chars[start] == "\u{3000}" { start += 1 }
            let body = String(chars[start...])
            let trimmed = body.trimmingTrailingBlanks()
            if trimmed.isEmpty || trimmed.hasPrefix("//") { flushTable(); continue }
            let column = start + 1
            if trimmed.hasPrefix("|") || trimmed.hasPrefix("｜") {
                tableRows.append(parseRow(trimmed, line: lineNumber, column: column, errors: &errors))
                continue
            }
            flushTable()
            if trimmed.hasPrefix("#") {
                let level = trimmed.prefix(while: { $0 == "#" }).count
                guard level <= 3 else {
                    errors.append(TemplateError(TemplatePosition(line: lineNumber, column: column), "标题最多三级（#、##、###），这里有\(level)个#"))
                    continue
                }
                let rest = String(trimmed.dropFirst(level))
                let skip = rest.prefix(while: { $0 == " " || $0 == "\u{3000}" }).count
                let content = String(rest.dropFirst(skip))
                if content.isEmpty {
                    errors.append(TemplateError(TemplatePosition(line: lineNumber, column: column), "标题没有文字"))
                    continue
                }
                template.blocks.append(.heading(level: level, segments(content, line: lineNumber, column: column + level + skip, errors: &errors)))
                continue
            }
            if trimmed.hasPrefix("@") || trimmed.hasPrefix("＠") {
                directive(trimmed, line: lineNumber, column: column, template: &template, errors: &errors)
                continue
            }
            template.blocks.append(.paragraph(segments(trimmed, line: lineNumber, column: column, errors: &errors)))
        }
        flushTable()
        return ParsedTemplate(template: template, errors: errors.sorted { $0.position < $1.position })
    }

    // MARK: Directives

    private static func directive(_ text: String, line: Int, column: Int, template: inout ReportTemplate, errors: inout [TemplateError]) {
        let chars = Array(text)
        var i = 1
        while i < chars.count, chars[i] != " ", chars[i] != "\u{3000}" { i += 1 }
        let name = String(chars[1..<i])
        while i < chars.count, chars[i] == " " || chars[i] == "\u{3000}" { i += 1 }
        let argument = String(chars[i...])
        let argColumn = column + i
        let here = TemplatePosition(line: line, column: column)
        switch name {
        case "标题":
            template.title = segments(argument, line: line, column: argColumn, errors: &errors)
        case "落款":
            template.blocks.append(.signature(segments(argument, line: line, column: argColumn, errors: &errors)))
        case "分页":
            template.blocks.append(.pageBreak)
        case "体裁":
            if let g = ReportGenre(rawValue: argument) { template.genre = g } else {
                errors.append(TemplateError(TemplatePosition(line: line, column: argColumn),
                    "未知体裁“\(argument)”（可选：\(ReportGenre.allCases.map(\.rawValue).joined(separator: "、"))）"))
            }
        case "年数":
            if let n = Int(argument), (1...5).contains(n) { template.yearsCovered = n } else {
                errors.append(TemplateError(TemplatePosition(line: line, column: argColumn), "年数应为1至5的整数，这里是“\(argument)”"))
            }
        case "图表":
            if let spec = chart(argument, line: line, column: argColumn, errors: &errors) { template.blocks.append(.chart(spec)) }
        case "分单位表", "金额表":
            let parts = argument.split(separator: " ", maxSplits: 1).map(String.init)
            guard let levelText = parts.first, let level = ChildLevel(rawValue: levelText) else {
                errors.append(TemplateError(TemplatePosition(line: line, column: argColumn),
                    "@\(name)后应先写列出的下级单位：乡镇、学区或学校"))
                return
            }
            let restColumn = argColumn + levelText.count + 1
            let rest = parts.count > 1 ? parts[1] : ""
            if name == "金额表" {
                // The money measure is written without braces: `@金额表 乡镇 教学仪器设备值 单位=万元 小数=2`.
                let body = rest.hasPrefix("{") && rest.hasSuffix("}") ? String(rest.dropFirst().dropLast()) : rest
                let offset = rest.hasPrefix("{") ? 1 : 0
                guard let ref = reference(body, line: line, column: restColumn + offset, errors: &errors) else { return }
                guard case .money = ref.target else {
                    errors.append(TemplateError(ref.position, "@金额表只能列金额（\(ReportVocabulary.moneyMeasures.map(\.nameZH).joined(separator: "、"))）"))
                    return
                }
                template.blocks.append(.moneyTable(level: level, reference: ref))
            } else {
                let refs = segments(rest, line: line, column: restColumn, errors: &errors).compactMap(\.reference)
                if refs.isEmpty {
                    errors.append(TemplateError(TemplatePosition(line: line, column: restColumn), "@分单位表需要至少一个{指标}作为列"))
                    return
                }
                template.blocks.append(.unitTable(level: level, columns: refs))
            }
        default:
            errors.append(TemplateError(here, "未知指令“@\(name)”（可用：@标题、@体裁、@年数、@落款、@分单位表、@金额表、@图表、@分页）"))
        }
    }

    // MARK: Lines and references

    private static func parseRow(_ text: String, line: Int, column: Int, errors: inout [TemplateError]) -> [[Segment]] {
        var cells: [[Segment]] = []
        let chars = Array(text)
        var i = 1
        var cellStart = 1
        var depth = 0
        while i <= chars.count {
            let c: Character? = i < chars.count ? chars[i] : nil
            if c == "{" { depth += 1 } else if c == "}" { depth = max(0, depth - 1) }
            if c == nil || ((c == "|" || c == "｜") && depth == 0) {
                let raw = String(chars[cellStart..<i])
                let lead = raw.prefix(while: { $0 == " " || $0 == "\u{3000}" }).count
                let cell = String(raw.dropFirst(lead)).trimmingTrailingBlanks()
                if c != nil || !cell.isEmpty {
                    cells.append(segments(cell, line: line, column: column + cellStart + lead, errors: &errors))
                }
                cellStart = i + 1
            }
            i += 1
        }
        return cells
    }

    /// Splits text into literal pieces and `{…}` references.
    static func segments(_ text: String, line: Int, column: Int, errors: inout [TemplateError]) -> [Segment] {
        var out: [Segment] = []
        var literal = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" || c == "｛" {
                var j = i + 1
                while j < chars.count, chars[j] != "}", chars[j] != "｝", chars[j] != "{", chars[j] != "｛" { j += 1 }
                guard j < chars.count, chars[j] == "}" || chars[j] == "｝" else {
                    errors.append(TemplateError(TemplatePosition(line: line, column: column + i), "“{”没有对应的“}”"))
                    literal.append(String(chars[i...]))
                    break
                }
                if !literal.isEmpty { out.append(.text(literal)); literal = "" }
                let inner = String(chars[(i + 1)..<j])
                if let ref = reference(inner, line: line, column: column + i + 1, errors: &errors) {
                    out.append(.reference(ref))
                } else {
                    out.append(.text("{" + inner + "}"))
                }
                i = j + 1
                continue
            }
            if c == "}" || c == "｝" {
                errors.append(TemplateError(TemplatePosition(line: line, column: column + i), "多余的“}”：前面没有“{”"))
            }
            literal.append(c)
            i += 1
        }
        if !literal.isEmpty { out.append(.text(literal)) }
        return out
    }

    /// One reference's inside: `名称 参数=值 修饰 …`; `column` is where the inside begins.
    static func reference(_ inner: String, line: Int, column: Int, errors: inout [TemplateError]) -> FigureReference? {
        // Tokens with their columns; blanks of either width separate them, ＝ is =.
        var tokens: [(text: String, column: Int)] = []
        var current = ""
        var currentStart = 0
        for (k, ch) in inner.enumerated() {
            if ch == " " || ch == "\u{3000}" || ch == "\t" {
                if !current.isEmpty { tokens.append((current, column + currentStart)); current = "" }
            } else {
                if current.isEmpty { currentStart = k }
                current.append(ch == "＝" ? "=" : ch)
            }
        }
        if !current.isEmpty { tokens.append((current, column + currentStart)) }
        guard let first = tokens.first else {
            errors.append(TemplateError(TemplatePosition(line: line, column: column), "空的“{}”：请写指标名称，例如{在校生数 学段=小学}"))
            return nil
        }
        var parameters: [String: String] = [:]
        var modifiers = Set<FigureReference.Modifier>()
        var decimals: Int?
        var moneyUnit: MoneyUnitChoice?
        var trendYears = 3
        var failed = false
        for token in tokens.dropFirst() {
            if let eq = token.text.firstIndex(of: "=") {
                let key = String(token.text[..<eq])
                let value = String(token.text[token.text.index(after: eq)...])
                let valueColumn = token.column + key.count + 1
                guard ReportVocabulary.parameterNames.contains(key) else {
                    errors.append(TemplateError(TemplatePosition(line: line, column: token.column),
                        "未知参数“\(key)”（可用：学段、年级、小数、单位、年数）"))
                    failed = true
                    continue
                }
                switch key {
                case "学段":
                    guard ReportVocabulary.stages[value] != nil else {
                        errors.append(TemplateError(TemplatePosition(line: line, column: valueColumn),
                            "学段“\(value)”不存在（可用：学前、小学、初中、高中、中职、义务教育）"))
                        failed = true
                        continue
                    }
                case "年级":
                    guard ReportVocabulary.grades.contains(value) else {
                        errors.append(TemplateError(TemplatePosition(line: line, column: valueColumn), "年级“\(value)”不存在（例如：一年级、七年级、高一）"))
                        failed = true
                        continue
                    }
                case "小数":
                    guard let n = Int(value), (0...6).contains(n) else {
                        errors.append(TemplateError(TemplatePosition(line: line, column: valueColumn), "小数位数应为0至6的整数，这里是“\(value)”"))
                        failed = true
                        continue
                    }
                    decimals = n
                case "单位":
                    guard let u = MoneyUnitChoice(rawValue: value) else {
                        errors.append(TemplateError(TemplatePosition(line: line, column: valueColumn), "金额单位只能是元或万元，这里是“\(value)”"))
                        failed = true
                        continue
                    }
                    moneyUnit = u
                case "年数":
                    guard let n = Int(value), (2...5).contains(n) else {
                        errors.append(TemplateError(TemplatePosition(line: line, column: valueColumn), "年数应为2至5的整数，这里是“\(value)”"))
                        failed = true
                        continue
                    }
                    trendYears = n
                default: break
                }
                parameters[key] = value
            } else if let m = FigureReference.Modifier(rawValue: token.text) {
                modifiers.insert(m)
            } else {
                errors.append(TemplateError(TemplatePosition(line: line, column: token.column),
                    "无法理解“\(token.text)”：参数写作“名称=值”，修饰词可用\(FigureReference.Modifier.allCases.map(\.rawValue).joined(separator: "、"))"))
                failed = true
            }
        }
        let position = TemplatePosition(line: line, column: first.column)
        // A bad 学段/年级 would only make the name look unknown or ambiguous: report the parameter alone.
        if failed { return nil }
        let target: FigureReference.Target
        if let keyword = FigureReference.Keyword(rawValue: first.text) {
            target = .keyword(keyword)
        } else if let money = ReportVocabulary.moneyMeasures.first(where: { $0.nameZH == first.text || $0.id == first.text }) {
            target = .money(money.id)
            if parameters["学段"] != nil || parameters["年级"] != nil {
                errors.append(TemplateError(position, "金额“\(money.nameZH)”不分学段或年级"))
                failed = true
            }
        } else {
            if moneyUnit != nil {
                errors.append(TemplateError(position, "“单位=”只用于金额（\(ReportVocabulary.moneyMeasures.map(\.nameZH).joined(separator: "、"))）"))
                failed = true
            }
            switch ReportVocabulary.resolve(name: first.text, stage: parameters["学段"], grade: parameters["年级"]) {
            case .success(let id): target = .indicator(id)
            case .failure(.unknown(let hint)):
                let qualifier = [parameters["学段"].map { "学段=\($0)" }, parameters["年级"].map { "年级=\($0)" }].compactMap { $0 }
                errors.append(TemplateError(position, "未知指标“\(first.text)”\(qualifier.isEmpty ? "" : "（" + qualifier.joined(separator: "，") + "）")"
                    + (hint.isEmpty ? "；请在指标列表中查找" : "；是否指：" + hint.joined(separator: "、"))))
                return nil
            case .failure(.ambiguous(let names)):
                errors.append(TemplateError(position, "“\(first.text)”可指多个指标：\(names.joined(separator: "、"))；请写完整名称或加学段=、年级="))
                return nil
            }
        }
        if failed { return nil }
        return FigureReference(source: inner, position: position, target: target, parameters: parameters, modifiers: modifiers,
                               decimals: decimals, moneyUnit: moneyUnit, trendYears: trendYears)
    }
}

extension String {
    func trimmingTrailingBlanks() -> String {
        var s = Substring(self)
        while let c = s.last, c == " " || c == "\t" || c == "\u{3000}" { s = s.dropLast() }
        return String(s)
    }
}
