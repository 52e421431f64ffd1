import Foundation
import Testing
@testable import ReportChecker

/// Excerpts copied from the seed reports (short, as literals) and small constructed sentences.
enum Excerpts {
    /// Seed 001, paragraph 6: enrolment by stage.
    static let enrolment = "1、“普九”成果进一步巩固。202_年下期，全区小学在校学生24341人，初中在校学生12458人。小学正常儿童入学率100%，巩固率为100%,残疾儿童入学率100%，小学升初中的比率为100%，扫盲率为100%，初中在校生的年辍学率仅为0.04%。"
    /// Seed 001, paragraph 36: fee exemption rows (money parts add to 1226.9123 under 1226.9125).
    static let feeRows = "全年共免除39299人的学杂费计1226.9125万元(其中城市小学11244人，计314.832万元;农村小学14313人，计357.825万元;城市初中7251人，计302.729万元;农村初中6491人，计251.5263万元)，为农村贫困家庭中小学生提供寄宿生生活补助费54万元;为农村和城市低保户义务教育阶段学生免费提供教科书费302万元。"
    /// Seed 001: consistent lists.
    static let consistent = [
        "两个学校建设经费全部保障到位。全年共投入资金115万元(其中杉山中学65万元，二小50万元)。",
        "二是圆满完成了区人大代表建议和政协委员提案办理工作。 202_年，我局共办理人大代表建议和政协委员提案26件，其中区人大代表建议7件，区政协娄星提案19件。",
        "据统计，我区确定的6所中小学共接受符合“三证”要求的农民工子女有749人，其中小学645人，中学104人，可免除借读费39.072万元，切实解决进城农民工子女就学问题。",
        "2、高中教育成绩显著。202_年，全区高中在校学生9069人，初中升入高中阶段学生比率为96%。全区本科上线人数 905人，上线率为27.09%，比XX年年提高4个百分点。全区600分以上考生37人，600分以上上线率为1.1%。",
        "慰问困难教职工176人，资助金额94800元。组织发动全区教育系统共为汶川大地震捐款138万多元。",
        // Seed 002, 第8篇: shares of a total stated in an earlier sentence (139 ÷ 347 = 40.06%).
        "秋季赴外招聘成果丰硕,共招聘应届毕业生347名,全面优化青年教师队伍构成。其中,985高校139人,占比40.06%,部属师范院校137人,占比39.48%,世界前100高校共24人,占比6.92%。研究生253人,占比72.91%。",
        // Seed 002, 第13篇: eight kinds of school adding to 21.
        "教育系统目前有中小学、幼儿园、成人中专等学校共21所,二级单位7个,其中,省级示范高中1所,一般高中1所,职高1所,初级中学3所,九年一贯制学校3所,小学8所,幼儿园3所,成人中专1所。",
        "今年共查处违规办班辅导的9人，对这9人在全区通报批评，并对违规收取的3.308万元全部及时清退到了学生。",
    ]
}

struct ArithmeticRuleTests {
    @Test func feeRowsDoNotAddUpAndExceedEnrolment() throws {
        let findings = ReportChecker.check(paragraphs: [Excerpts.enrolment, Excerpts.feeRows])
        let sum = try #require(findings.first { $0.kind == .sumMismatch })
        #expect(sum.line == 2)
        #expect(sum.severity == .error)
        #expect(sum.computation == "314.832万元 + 357.825万元 + 302.729万元 + 251.5263万元 = 1226.9123万元")
        #expect(sum.expected == "1226.9123万元")
        #expect(sum.found == "1226.9125万元")
        // The pupil counts of the same rows add up exactly (39299): no finding on them.
        #expect(findings.filter { $0.kind == .sumMismatch }.count == 1)
        let exceeding = findings.filter { $0.kind == .exceedsTotal }
        #expect(exceeding.map(\.computation) == [
            "11244 + 14313 = 25557 > 24341（第1行小学在校学生）",
            "7251 + 6491 = 13742 > 12458（第1行初中在校学生）",
        ])
        #expect(exceeding.allSatisfy { $0.severity == .error && $0.line == 2 })
        #expect(findings.count == 3)
    }

    @Test(arguments: Excerpts.consistent)
    func consistentSeedSentencesGiveNoFinding(_ text: String) {
        #expect(ReportChecker.check(paragraphs: [text]).isEmpty)
    }

    @Test func aPartLargerThanItsTotal() throws {
        let f = try #require(ReportChecker.check(text: "全区共有专任教师500人，其中女教师620人，男教师180人。").first { $0.kind == .exceedsTotal })
        #expect(f.computation == "620人 > 500人")
    }

    @Test func partsBeforeATotal() throws {
        let f = try #require(ReportChecker.check(text: "全区有小学30所、初中10所、高中1所，共计42所。").first)
        #expect(f.kind == .sumMismatch)
        #expect(f.computation == "30所 + 10所 + 1所 = 41所")
        #expect(ReportChecker.check(text: "全区有小学30所、初中10所、高中2所，共计42所。").isEmpty)
    }

    @Test func incompleteListIsNotAnError() {
        // 300 + 100 is well short of 500: other categories exist; no finding.
        #expect(ReportChecker.check(text: "全区共有教师500人，其中高级教师300人，中级教师100人。").isEmpty)
    }

    @Test func classAverage() throws {
        let f = try #require(ReportChecker.check(text: "该镇3所学校共有学生2218人，57个班，平均班额47人。").first)
        #expect(f.kind == .averageMismatch)
        #expect(f.computation == "2218 ÷ 57 = 38.9")
        #expect(f.found == "47人")
        #expect(f.severity == .error)
        #expect(ReportChecker.check(text: "该镇3所学校共有学生2218人，57个班，平均班额39人。").isEmpty)
        #expect(ReportChecker.check(text: "该镇3所学校共有学生2218人，57个班，平均班额不超过45人。").isEmpty)
    }

    @Test func perHeadAmount() throws {
        let f = try #require(ReportChecker.check(text: "全年资助贫困学生200人，发放资助金100万元，人均6000元。").first)
        #expect(f.kind == .averageMismatch)
        #expect(f.computation == "100万元 ÷ 200人 = 5000.00元")
        #expect(ReportChecker.check(text: "全年资助贫困学生200人，发放资助金100万元，人均5000元。").isEmpty)
    }

    @Test func percentageOfATotal() throws {
        let f = try #require(ReportChecker.check(text: "全区共有专任教师500人，其中本科以上学历450人，占85%。").first)
        #expect(f.kind == .percentageMismatch)
        #expect(f.computation == "450 ÷ 500 × 100% = 90.0%")
        #expect(ReportChecker.check(text: "全区共有专任教师500人，其中本科以上学历450人，占90%。").isEmpty)
        // 1/3 printed as 33.3% is within rounding.
        #expect(ReportChecker.check(text: "全区共有学校30所，其中农村学校10所，占33.3%。").isEmpty)
    }

    @Test func sharesOfAnEarlierTotal() throws {
        let f = try #require(ReportChecker.check(text: "共招聘应届毕业生347名,队伍构成进一步优化。其中,985高校139人,占比41.06%。").first)
        #expect(f.kind == .percentageMismatch && f.severity == .doubtful)
        #expect(f.computation == "139 ÷ 347 × 100% = 40.058%")
        let wrongSchools = try #require(ReportChecker.check(text: "全区共有学校21所,二级单位7个,其中,高中2所,初中3所,小学8所,幼儿园3所,成人中专1所,共计18所。").first)
        #expect(wrongSchools.kind == .sumMismatch)
    }

    @Test func directionAgainstNumbers() throws {
        let f = try #require(ReportChecker.check(text: "全区小学巩固率从85%提高到83%。").first)
        #expect(f.kind == .directionContradiction)
        #expect(f.computation == "83% < 85%")
        #expect(ReportChecker.check(text: "全区小学巩固率从85%提高到88%，提高了3个百分点。").isEmpty)
        // 85% and 88% may stand for 84.5%–88.4%: "4个百分点" is within rounding, "5个百分点" is not.
        #expect(ReportChecker.check(text: "全区小学巩固率从85%提高到88%，提高了4个百分点。").isEmpty)
        let change = try #require(ReportChecker.check(text: "全区小学巩固率从85%提高到88%，提高了5个百分点。").first)
        #expect(change.kind == .changeMismatch)
        #expect(change.computation == "88 − 85 = 3.0")
        let growth = try #require(ReportChecker.check(text: "在校学生从1000人增加到1200人，增长25%。").first)
        #expect(growth.kind == .changeMismatch)
        #expect(growth.expected == "20.0%")
    }

    @Test func yearByYearClaims() throws {
        let f = try #require(ReportChecker.check(text: "全区学前三年入园率2021年85%，2022年88%，2023年86%，逐年提升。").first)
        #expect(f.kind == .directionContradiction)
        #expect(f.computation == "2023年86% < 2022年88%")
        // 88% then 87%: both may be 87.5%, so no contradiction can be proven.
        #expect(ReportChecker.check(text: "全区学前三年入园率2021年85%，2022年88%，2023年87%，逐年提升。").isEmpty)
        #expect(ReportChecker.check(text: "全区学前三年入园率2021年85%，2022年88%，2023年90%，逐年提升。").isEmpty)
    }
}
