import Testing
@testable import ClassAssignment

@Suite("Reading a roster sheet")
struct RosterParseTests {
    let header = ["学籍号", "姓名", "性别", "成绩", "留守", "住校", "双胞胎", "同名", "指定班"]
    let options = RosterColumns(
        flagColumns: ["留守", "住校"], togetherColumn: "双胞胎", apartColumns: ["同名"], pinColumn: "指定班", classCount: 4)

    @Test func chineseHeadersAndValues() throws {
        let rows = [
            ["G001", "王一", "男", "87.5", "是", "0", "T1", "", ""],
            ["G002", "王二", "女", "90", "否", "1", "T1", "", "2"],
            ["", "", "", "", "", "", "", "", ""],
            ["G003", "李明", "F", " 101 ", "Y", "", "", "李明", ""],
        ]
        let r = try Roster.parse(header: header, rows: rows, source: "七年级.csv", options: options)
        #expect(r.students.count == 3)
        #expect(r.scoreColumns == ["成绩"])
        #expect(r.flagColumns == ["留守", "住校"])
        #expect(r.students[0].scores == [Score(hundredths: 8750)])
        #expect(r.students[0].flags == [true, false])
        #expect(r.students[1].gender == .female)
        #expect(r.students[1].pinnedClass == 2)
        #expect(r.students[0].togetherKey == "T1")
        #expect(r.students[2].apartKeys == ["李明"])
        #expect(r.students[2].sourceRow == 5)
    }

    @Test func englishHeadersAndSeveralScoreColumns() throws {
        let r = try Roster.parse(
            header: ["ID", "Name", "Gender", "chinese", "math"],
            rows: [["1", "A", "M", "80", "70.25"], ["2", "B", "f", "81", "69"]], source: "in.csv",
            options: RosterColumns(scoreColumns: ["chinese", "math"]))
        #expect(r.scoreColumns == ["chinese", "math"])
        #expect(r.students[0].scores == [Score(hundredths: 8000), Score(hundredths: 7025)])
    }

    @Test func everyProblemIsReportedWithRowAndColumn() {
        let rows = [
            ["G001", "王一", "男", "87.5", "是", "0", "", "", ""],
            ["G001", "王二", "X", "八十", "可能", "0", "", "", "9"],
            ["G003", "李明", "女", "88.125", "1", "", "", "", "二"],
        ]
        do {
            _ = try Roster.parse(header: header, rows: rows, source: "七年级.csv", options: options)
            Issue.record("should have thrown")
        } catch {
            let texts = error.problems.map(\.description)
            #expect(texts == [
                "七年级.csv 第 3 行，列“学籍号”：学籍号“G001”重复（第 2 行已出现）",
                "七年级.csv 第 3 行，列“性别”：性别“X”无法识别（应为 男/女 或 M/F）",
                "七年级.csv 第 3 行，列“成绩”：成绩“八十”不是有效数字（应为不小于 0、最多两位小数的数）",
                "七年级.csv 第 3 行，列“留守”：标记“可能”无法识别（应为 1/0、是/否、Y/N 或留空）",
                "七年级.csv 第 3 行，列“指定班”：指定班号“9”超出范围 1–4",
                "七年级.csv 第 4 行，列“成绩”：成绩“88.125”不是有效数字（应为不小于 0、最多两位小数的数）",
                "七年级.csv 第 4 行，列“指定班”：指定班号“二”不是正整数",
            ])
            #expect(error.problems[0].row == 3)
            #expect(error.problems[0].column == "学籍号")
            #expect(error.problems[0].value == "G001")
        }
    }

    @Test func missingColumnsAreNamed() {
        do {
            _ = try Roster.parse(header: ["姓名", "成绩"], rows: [["a", "1"]], source: "x.xlsx", options: RosterColumns(flagColumns: ["残疾"]))
            Issue.record("should have thrown")
        } catch {
            #expect(error.problems.map(\.kind) == [.missingColumn, .missingColumn, .missingColumn])
            #expect(error.problems.map(\.column) == ["学籍号(id)", "性别(gender)", "残疾"])
            #expect(error.problems[0].description == "x.xlsx：缺少列“学籍号(id)”")
        }
    }

    @Test func scoreTextIsExact() {
        #expect(Score(parsing: "87.5")?.hundredths == 8750)
        #expect(Score(parsing: "0.05")?.hundredths == 5)
        #expect(Score(parsing: "-1") == nil)
        #expect(Score(parsing: "1e2") == nil)
        #expect(Score(parsing: ".") == nil)
        #expect(Score(hundredths: 8750).description == "87.5")
        #expect(Score(hundredths: 8705).description == "87.05")
        #expect(Score(hundredths: 9000).description == "90")
    }
}
