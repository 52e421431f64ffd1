import Testing
@testable import EduLedgerReports

@Suite("Template language: references, headings, tables, errors at line and column")
struct TemplateParserTests {
    @Test("the issue's example sentence parses into three figures")
    func example() throws {
        let parsed = TemplateParser.parse("全区小学在校学生{在校生数 学段=小学}人，入学率{入学率 学段=小学}，{巩固率 学段=初中 比上年}。")
        #expect(parsed.errors.isEmpty)
        let refs = parsed.template.references
        #expect(refs.map(\.target) == [.indicator("students.primary"), .indicator("enrolment_rate.primary"),
                                       .indicator("retention_rate.junior")])
        #expect(refs[2].modifiers == [.compare])
        #expect(refs[0].position == TemplatePosition(line: 1, column: 10))
    }

    @Test("unknown indicator: error at the name's line and column")
    func unknownIndicator() {
        let parsed = TemplateParser.parse("# 概况\n\n全区共有{在校生数 学段=小学}人，毕业{毕业生人数 学段=小学}人。")
        #expect(parsed.errors.count == 1)
        let e = parsed.errors.first
        #expect(e?.position == TemplatePosition(line: 3, column: 22))
        #expect(e?.message.contains("未知指标“毕业生人数”") == true)
    }

    @Test("bad parameter value and unknown parameter: each at its own column")
    func badParameters() {
        let parsed = TemplateParser.parse("{在校生数 学段=大学}\n　{入学率 学段=小学 口径=新}")
        #expect(parsed.errors.map(\.position) == [TemplatePosition(line: 1, column: 10), TemplatePosition(line: 2, column: 13)])
        #expect(parsed.errors[0].message.contains("学段“大学”不存在"))
        #expect(parsed.errors[1].message.contains("未知参数“口径”"))
    }

    @Test("unclosed brace, stray brace, unknown directive, bad decimals, ambiguous name")
    func otherMistakes() {
        let parsed = TemplateParser.parse("入学率{入学率 学段=小学\n多了}\n@附件 x\n{教学仪器设备值 小数=九}\n{在校生数}")
        #expect(parsed.errors.map(\.position.line) == [1, 2, 3, 4, 5])
        #expect(parsed.errors[0].position.column == 4)
        #expect(parsed.errors[1].position.column == 3)
        #expect(parsed.errors[3].position.column == 13)
        #expect(parsed.errors[4].message.contains("可指多个指标"))
    }

    @Test("headings, typed tables, unit and money tables, directives")
    func structure() throws {
        let text = """
            @标题 {单位}{年度}年工作总结
            @体裁 述职
            @年数 2
            # 主要工作
            ## 普及
            | 学段 | 在校生 |
            | 小学 | {在校生数 学段=小学} |
            @分单位表 学校 {平均班额 学段=小学}
            @金额表 乡镇 教学仪器设备值 单位=万元 小数=4
            // 不印的说明
            @落款 {单位}教育局
            """
        let parsed = TemplateParser.parse(text)
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        let t = parsed.template
        #expect(t.genre == .dutyReport && t.yearsCovered == 2)
        #expect(t.blocks.count == 6)
        guard case .table(let rows) = t.blocks[2] else { Issue.record("no table"); return }
        #expect(rows.count == 2 && rows[1].count == 2)
        guard case .moneyTable(.township, let ref) = t.blocks[4] else { Issue.record("no money table"); return }
        #expect(ref.decimals == 4 && ref.moneyUnit == .wanyuan)
    }

    @Test("the default annual summary parses without an error")
    func defaultTemplate() {
        let parsed = TemplateParser.parse(DefaultTemplates.annualSummary)
        #expect(parsed.errors.isEmpty, "\(parsed.errors)")
        #expect(parsed.template.references.count > 50)
    }
}
