import ArgumentParser
import EduLedgerCore
import Foundation

/// `eduledger summary`: the district at a glance on a reference date.
struct SummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "summary", abstract: "区县概况：学校、班级、在校生、教职工")

    @Option(help: "统计日期 YYYY-MM-DD（默认本学年9月1日）") var date: String?
    @Flag(help: "以 JSON 输出") var json = false
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingErrors {
            let on = try date.map { try parseDate($0, field: "统计日期") } ?? currentReferenceDate()
            try await db.withStore { store in
                let counts = try await store.counts(on: on)
                let district = try await store.district()
                if json { try printJSON(counts); return }
                print("\(district?.name ?? "（未命名区县）")　统计日期：\(on.chinese)")
                print("乡镇（街道）\(counts.townships)个；在办学校\(counts.schoolsOpen)所（历年登记\(counts.schoolsEver)所）；本学年班级\(counts.classes)个")
                let stages = Stage.allCases.compactMap { s in counts.studentsByStage[s.rawValue].map { "\(s.rawValue)\($0)人" } }
                print("在校学生\(counts.studentsEnrolled)人：" + stages.joined(separator: "，"))
                print("在职教职工\(counts.staffEmployed)人，其中专任教师\(counts.fullTimeTeachers)人")
            }
        }
    }
}
