import ArgumentParser
import EduLedgerCore
import Foundation

extension SchoolsCommand {
    /// `eduledger schools merge CODE --into CODE --date D [--dry-run] [--json]`
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "学校撤并：当天在读学生以原年级转入接收学校，本校记为停办（先用 --dry-run 预览）")
        @Argument(help: "被撤并学校的学校标识码") var code: String
        @Option(help: "接收学校的学校标识码") var into: String
        @Option(help: "撤并日期 YYYY-MM-DD（学生在接收学校的第一天）") var date: String
        @Flag(help: "只预览，不写入") var dryRun = false
        @Flag(help: "以 JSON 输出") var json = false
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                let day = try parseDate(date, field: "撤并日期")
                try await db.withStore { store in
                    let service = RegistryService(store: store)
                    let plan = dryRun
                        ? try await service.previewMerger(schoolCode: code, intoCode: into, on: day)
                        : try await service.confirmMerger(schoolCode: code, intoCode: into, on: day, by: .commandLine)
                    if json { return try printJSON(plan) }
                    let grades = plan.byGrade.map { "\($0.grade.name)\($0.count)人" }.joined(separator: "，")
                    print("\(dryRun ? "预览" : "已撤并")：\(plan.school.name)于\(plan.date.chinese)并入\(plan.into.name)，转入学生\(plan.lines.count)人" +
                          (grades.isEmpty ? "" : "（\(grades)）"))
                    if !dryRun, let r = try await service.reconcileMerger(schoolID: plan.school.id) {
                        print("对账：离校\(r.left)人，转入\(r.arrived)人，\(r.reconciles ? "一致" : "不一致")")
                    }
                }
            }
        }
    }

    /// `eduledger schools close CODE --date D`
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "学校停办（当天须已无在读学生）")
        @Argument(help: "学校标识码") var code: String
        @Option(help: "停办日期 YYYY-MM-DD（停止办学的次日）") var date: String
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reportingErrors {
                let day = try parseDate(date, field: "停办日期")
                try await db.withStore { store in
                    let closed = try await RegistryService(store: store).closeSchool(schoolCode: code, on: day, by: .commandLine)
                    print("已停办：\(closed.name)，最后办学日\(closed.closed?.chinese ?? "")")
                }
            }
        }
    }
}
