import Foundation
import Testing
@testable import ReportChecker

struct StructureRuleTests {
    @Test func numberingGapFromSeed001() throws {
        // Seed 001 (五): items 1、…5、 then 7、.
        let text = """
        (五)以和谐发展为目标，各项工作全面进步
        1、圆满完成了上级交办的几项重要工作
        一是组织召开了全区教育强区工作大会。
        二是圆满完成了区人大代表建议和政协委员提案办理工作。
        2、办公室工作进一步加强。
        3、体卫艺工作取得佳绩。
        4、工会工作开创新局面。
        5、老龄、关工工作有声有色。
        7、建整扶贫工作进一步加强。
        8、校园绿化、勤工俭学有新的举措。
        """
        let findings = ReportChecker.check(text: text)
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.kind == .numberingGap && f.line == 9 && f.expected == "6、" && f.found == "7、")
    }

    @Test func inlineListsAndResets() throws {
        let ok = "一、总体情况\n(一)学前教育\n一是扩大资源。二是提高质量。\n(二)义务教育\n一是均衡发展。二是控辍保学。三是减轻负担。\n二、存在问题"
        #expect(ReportChecker.check(text: ok).isEmpty)
        let gap = try #require(ReportChecker.check(text: "一是扩大资源。二是提高质量。四是加强队伍。").first)
        #expect(gap.kind == .numberingGap && gap.found == "四是")
        let repeatFinding = try #require(ReportChecker.check(text: "（一）学前教育\n（二）义务教育\n（二）高中教育").first)
        #expect(repeatFinding.message.contains("重复"))
    }

    @Test func sameThingCountedTwice() throws {
        // Seed 000: two different 2010 figures for 本科上线.
        let text = "二是高中教育成绩显著。2010年，全区高考本科上线人数905人，上线率为27.09%。颜学之等4人被北大、清华录取。2010年全区本科上线1769人，上线率为45.79%。"
        let f = try #require(ReportChecker.check(text: text).first)
        #expect(f.kind == .inconsistentCount && f.severity == .doubtful)
        #expect(f.expected == "905人" && f.found == "1769人")
        // Different years are different things.
        #expect(ReportChecker.check(text: "2009年全区本科上线人数905人。2010年全区本科上线人数1769人。").isEmpty)
        // 新增 changes what is counted.
        #expect(ReportChecker.check(text: "全区现有幼儿学位22000个。今年新增幼儿学位7500个。").isEmpty)
    }

    @Test func yearAfterTheReport() throws {
        let text = "某区教育局2023年工作总结\n2024年共引进高层次人才38人。\n2024年将新建学校3所。\n力争到2025年实现优质均衡。\n我区3所学校被命名为2021-2024年度体育传统项目学校。"
        let findings = ReportChecker.check(text: text)
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.kind == .impossibleYear && f.line == 2 && f.found == "2024年" && f.expected == "不晚于2023年")
        // Signed in January 2024: 2024 is possible.
        let signed = "某区教育局2023年工作总结\n2024年1月召开总结大会。\n某区教育局\n2024年1月15日"
        #expect(ReportChecker.check(text: signed).isEmpty)
        // The year can be given.
        #expect(ReportChecker.check(text: "2024年共引进人才38人。", options: CheckOptions(reportYear: 2023)).count == 1)
    }

    @Test func traditionalChineseGetsTheSameChecks() throws {
        let text = "全年共免除39299人的學雜費計1226.9125萬元(其中城市小學11244人，計314.832萬元;農村小學14313人，計357.825萬元;城市初中7251人，計302.729萬元;農村初中6491人，計251.5263萬元)。"
        let f = try #require(ReportChecker.check(text: text).first { $0.kind == .sumMismatch })
        #expect(f.computation == "314.832万元 + 357.825万元 + 302.729万元 + 251.5263万元 = 1226.9123万元")
        let avg = try #require(ReportChecker.check(text: "該鎮3所學校共有學生2218人，57個班，平均班額47人。").first)
        #expect(avg.kind == .averageMismatch && avg.computation == "2218 ÷ 57 = 38.9")
        let full = try #require(ReportChecker.check(text: "全区小学巩固率从８５％提高到８３％。").first)
        #expect(full.kind == .directionContradiction)
    }

    @Test func traditionalTableIsAligned() {
        // A shifted pair would map a Simplified character onward; no value may also be a key.
        let table = Normalizer.traditional
        #expect(table["學"] == "学" && table["萬"] == "万" && table["個"] == "个" && table["點"] == "点" && table["數"] == "数" && table["級"] == "级")
        #expect(table.values.allSatisfy { table[$0] == nil })
    }
}

struct RecordRuleTests {
    struct FixedLookup: IndicatorLookup {
        let values: [String: Decimal]
        func value(forIndicatorNamed name: String, year: Int, level: String) -> Decimal? {
            values["\(name)|\(year)|\(level)"]
        }
    }

    @Test func figuresNamingIndicatorsAreComparedWithRecords() throws {
        let lookup = FixedLookup(values: ["在校生数|2023|小学": 24300, "在校生数|2023|初中": 12458, "辍学率|2023|初中": Decimal(string: "0.04") ?? 0])
        let options = CheckOptions(recordYear: 2023, lookup: lookup)
        let findings = ReportChecker.check(paragraphs: [Excerpts.enrolment], options: options)
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.kind == .recordMismatch && f.expected == "24300人" && f.found == "24341人")
        // Without a lookup nothing is compared.
        #expect(ReportChecker.check(paragraphs: [Excerpts.enrolment]).isEmpty)
    }
}

struct FigureExtractionTests {
    @Test func figuresWithUnitsAndContext() throws {
        let figs = ReportChecker.figures(paragraphs: ["两年总计投入近4000万元，生师比为1:6.3，2023年新建三所学校，处理信件20余件，转移3.308万元，占地80亩，辍学率1.5‰，99999999999999999999999人。"])
        let money = try #require(figs.first { $0.kind == .money })
        #expect(money.value == 4000 && money.unit == "万元" && money.baseValue == 40_000_000 && money.isApproximate)
        #expect(money.entity == "两年总计投入")
        let ratio = try #require(figs.first { $0.kind == .ratio })
        #expect(ratio.value == 1 && ratio.ratioSecond == Decimal(string: "6.3"))
        #expect(figs.contains { $0.kind == .year && $0.value == 2023 })
        let schools = try #require(figs.first { $0.text == "三所" })
        #expect(schools.value == 3 && schools.kind == .count && schools.following.hasPrefix("学校"))
        #expect(figs.contains { $0.text == "20余件" && $0.isApproximate })
        let exact = try #require(figs.first { $0.text == "3.308万元" })
        #expect(exact.baseValue == 33080 && exact.resolution == 10 && !exact.isApproximate)
        #expect(figs.contains { $0.kind == .area && $0.unit == "亩" && $0.value == 80 })
        #expect(figs.contains { $0.kind == .rate && $0.unit == "‰" && $0.baseValue == Decimal(string: "0.15") })
        #expect(!figs.contains { $0.text.hasPrefix("9999") })
        #expect(figs.allSatisfy { $0.line == 1 })
    }

    @Test func datesOrdinalsAndPlaceholdersAreNotFigures() {
        let figs = ReportChecker.figures(paragraphs: ["3月5日召开第3届大会，20XX年和202_年的11月9-10日，发布时间:2024-03-02。"])
        #expect(figs.isEmpty)
    }

    @Test func jsonUsesTheAgreedKeys() throws {
        let f = try #require(ReportChecker.check(text: "该镇3所学校共有学生2218人，57个班，平均班额47人。").first)
        let data = try JSONEncoder().encode(f)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["line", "quote", "kind", "expected", "found", "severity", "computation", "message"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["kind"] as? String == "average_mismatch")
        #expect(object["severity"] as? String == "错误")
        #expect(try JSONDecoder().decode(Finding.self, from: data) == f)
    }
}

struct RobustnessTests {
    /// Deterministic pseudo-random generator (SplitMix64), so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = ["0", "1", "9", ".", ",", "%", "％", "‰", "万元", "亿元", "元", "人", "名", "所", "个班", "班", "其中", "共", "合计",
                         "平均", "班额", "人均", "占", "从", "提高到", "下降", "逐年提升", "个百分点", "年", "2023年", "2099年", "一、", "（二）",
                         "3、", "(4)", "一是", "三是", "小学在校学生", "初中", "多", "余", "近", "约", "：", ":", "1:6.3", "(", ")", "（", "）",
                         "。", "，", "；", "\n", "\r\n", "\n\n", " ", "學", "萬", "總計", "個", "點", "數", "第3篇", "99999999999999999999999",
                         "0.0000000001", "00000", "-", "—", "~", "年度", "月", "日", "十二", "两", "二十三所", "零", "〇", "\u{0}", "🙂", "e\u{301}"]

    @Test func neverCrashesOnPseudoRandomText() {
        var rng = SplitMix(state: 20_240_302)
        var total = 0
        for _ in 0..<1500 {
            let count = Int.random(in: 0...80, using: &rng)
            var text = ""
            for _ in 0..<count { text += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &rng)] }
            let lines = ReportChecker.lines(of: text)
            let findings = ReportChecker.check(text: text, options: CheckOptions(reportYear: 2023))
            #expect(findings.allSatisfy { $0.line >= 1 && $0.line <= lines.count })
            total += findings.count
        }
        // Also the degenerate inputs.
        #expect(ReportChecker.check(text: "").isEmpty)
        #expect(ReportChecker.check(paragraphs: []).isEmpty)
        #expect(ReportChecker.check(paragraphs: ["", "", ""]).isEmpty)
        #expect(total >= 0)
    }
}
