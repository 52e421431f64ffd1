import ArgumentParser
import EduLedgerCore
import EduLedgerIndicators
import EduLedgerStorage
import Foundation

/// The level argument: one of the reporting levels, or `all`.
enum IndicatorLevelArgument: String, ExpressibleByArgument, CaseIterable {
    case district, township, zone, school, group, all

    var kinds: Set<UnitKind> {
        switch self {
        case .district: return [.district]
        case .township: return [.township]
        case .zone: return [.zone]
        case .school: return [.school]
        case .group: return [.group]
        case .all: return Set(UnitKind.allCases)
        }
    }
}

/// `eduledger indicators`: every figure with its definition, at any level, and the records
/// behind one figure (`--drill`).
struct IndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "教育统计指标：按定义从学籍、教职工、人口和办学条件记录计算，可钻取到每条记录",
        discussion: """
            例：eduledger indicators --year 2025 --level district
                eduledger indicators --year 2025 --level township --unit 431102001 --category 普及
                eduledger indicators --year 2025 --drill dropout_rate.junior
                eduledger indicators --year 2026 --from 2022 --level all --json
            """)

    @Option(help: "统计年度：该年9月1日为基准日（时期数为其前一学年）") var year: Int
    @Option(help: "起始年度（与 --year 一起计算多个年度）") var from: Int?
    @Option(help: "层级：district、township、zone、school、group（公办/民办、城区/镇区/乡村）或 all")
    var level: IndicatorLevelArgument = .district
    @Option(help: "统计单位：乡镇代码、学区编号或名称、学校标识码或名称、分组名") var unit: String?
    @Option(help: "只看一个分类：规模、班额、普及、流动、师资、均衡") var category: String?
    @Option(name: .customLong("indicator"), help: "只看这些指标（可重复）") var indicators: [String] = []
    @Option(help: "列出该指标分子、分母包含的记录") var drill: String?
    @Option(help: "钻取时最多列出的记录数（JSON 输出不限）") var limit: Int = 200
    @Flag(help: "以 JSON 输出") var json = false
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        if let from, from > year { throw ValidationError("起始年度 \(from) 不能晚于统计年度 \(year)") }
        if drill != nil, level == .all { throw ValidationError("钻取须指定一个层级（--level）") }
    }

    func run() async throws {
        try await reportingErrors {
            try await db.withStore { store in
                // EDULEDGER_TIMING=1 prints the time of each step on stderr (for the benchmarks).
                var steps = StepTimer(enabled: ProcessInfo.processInfo.environment["EDULEDGER_TIMING"] == "1")
                let loader = IndicatorFactsLoader(database: store.database)
                let first = from ?? year
                let facts = try await loader.load(years: (first - 1)...year)
                steps.done("读取记录（\(facts.students.count)名学生，\(facts.enrolments.count)条学籍）")
                let engine = IndicatorEngine(facts: facts)
                steps.done("建立索引")
                if let drill {
                    try await printDrill(drill, engine: engine, loader: loader)
                } else {
                    try printFigures(engine: engine, years: first...year, steps: &steps)
                }
            }
        }
    }

    private func selectedUnit(_ engine: IndicatorEngine, kind: UnitKind) throws -> ReportingUnit? {
        if kind == .district { return try engine.unit(kind: .district, key: nil) }
        return try unit.map { try engine.unit(kind: kind, key: $0) }
    }

    private func printFigures(engine: IndicatorEngine, years: ClosedRange<Int>, steps: inout StepTimer) throws {
        var ids: [String]? = indicators.isEmpty ? nil : indicators
        if let category {
            let inCategory = IndicatorEngine.definitions.filter { $0.category == category }.map(\.id)
            guard !inCategory.isEmpty else { throw ValidationError("没有分类“\(category)”；分类有：规模、班额、普及、流动、师资、均衡") }
            ids = (ids ?? inCategory).filter { inCategory.contains($0) }
        }
        var report = try engine.compute(years: years, indicators: ids, levels: level.kinds)
        steps.done("计算\(report.values.count)个数值")
        defer { steps.done("输出") }
        if level != .all, level != .district, let key = unit {
            let u = try engine.unit(kind: UnitKind(rawValue: level.rawValue) ?? .district, key: key)
            report.values = report.values.filter { $0.unit == u }
            report.units = [u]
        }
        if json {
            // The report's own writer: the bytes `printJSON` would print, streamed in chunks.
            let out = FileHandle.standardOutput
            report.writeJSON { out.write(Data($0)) }
            out.write(Data("\n".utf8))
            return
        }
        let districtName = engine.units.first?.name ?? ""
        for y in years {
            print("\(districtName)　\(y)年教育统计指标（基准日\(SchoolYear(y).referenceDate.chinese)；时期数为\(SchoolYear(y - 1).name)）")
            var lastCategory = ""
            for d in report.definitions {
                let values = report.values.filter { $0.indicatorID == d.id && $0.year == y }
                guard !values.isEmpty else { continue }
                if d.category != lastCategory { print("\n【\(d.category)】"); lastCategory = d.category }
                if values.count == 1, let v = values.first {
                    print("\(d.nameZH)：\(d.format(v.value))　较上年\(d.formatChange(v.change))　[\(d.id)]")
                } else {
                    print("\(d.nameZH)　[\(d.id)]")
                    var table = TextTable(header: ["单位", "数值", "较上年", "分子", "分母"])
                    for v in values {
                        table.rows.append([v.unit.name, d.format(v.value), d.formatChange(v.change),
                                           Self.number(v.numerator), v.denominator.map(Self.number) ?? "—"])
                    }
                    print(table.render().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
                }
                print(Self.definitionLines(d))
            }
            print("")
        }
    }

    static func definitionLines(_ d: IndicatorDefinition) -> String {
        var lines = ["    分子：\(d.numerator)"]
        if let den = d.denominator { lines.append("    分母：\(den)") }
        lines.append("    基准：\(d.reference.rawValue)；口径：\(d.records)")
        if let s = d.standard { lines.append("    标准：\(s)") }
        return lines.joined(separator: "\n")
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.2f", v)
    }

    private func printDrill(_ id: String, engine: IndicatorEngine, loader: IndicatorFactsLoader) async throws {
        guard let definition = IndicatorEngine.definition(id) else {
            throw ValidationError("没有编号为“\(id)”的指标")
        }
        let kind = UnitKind(rawValue: level.rawValue) ?? .district
        guard let target = try selectedUnit(engine, kind: kind) else {
            throw ValidationError("钻取\(kind.chinese)一级的指标须用 --unit 指定单位")
        }
        let drill = try engine.drillDown(indicatorID: id, unit: target, year: year)
        let report = try engine.compute(years: year...year, indicators: [id], levels: [kind])
        let value = report.values.first { $0.unit == target }
        let keys = (drill.numerator + drill.denominator).compactMap { ref -> StatisticsRecordKey? in
            switch ref.kind {
            case .student: return StatisticsRecordKey(kind: "student", id: ref.id)
            case .staff: return StatisticsRecordKey(kind: "staff", id: ref.id)
            case .school, .resources: return StatisticsRecordKey(kind: "school", id: ref.id)
            case .schoolClass, .population, .casework, .classDraw: return nil
            }
        }
        let labels = try await loader.labels(for: Array(Set(keys)).sorted { ($0.kind, $0.id) < ($1.kind, $1.id) })
        func label(_ ref: RecordRef) -> String {
            let kind: String
            switch ref.kind {
            case .student: kind = "student"
            case .staff: kind = "staff"
            case .school, .resources: kind = "school"
            case .schoolClass, .population, .casework, .classDraw: return engine.describe(ref)
            }
            let name = labels[StatisticsRecordKey(kind: kind, id: ref.id)]
            return name.map { "\(engine.describe(ref))　\($0)" } ?? engine.describe(ref)
        }
        if json {
            struct Line: Encodable { let kind: String; let id: Int64; let label: String }
            struct Output: Encodable {
                let definition: IndicatorDefinition
                let value: IndicatorValue?
                let numerator: [Line]
                let denominator: [Line]
            }
            try printJSON(Output(definition: definition, value: value,
                                 numerator: drill.numerator.map { Line(kind: $0.kind.rawValue, id: $0.id, label: label($0)) },
                                 denominator: drill.denominator.map { Line(kind: $0.kind.rawValue, id: $0.id, label: label($0)) }))
            return
        }
        print("\(definition.nameZH)　\(target.name)　\(year)年：\(definition.format(value?.value))　[\(id)]")
        print(Self.definitionLines(definition))
        for (title, refs) in [("分子", drill.numerator), ("分母", drill.denominator)] where title == "分子" || definition.denominator != nil {
            print("\n\(title)记录（\(refs.count)条）：")
            for ref in refs.prefix(max(0, limit)) { print("  " + label(ref)) }
            if refs.count > limit { print("  ……另有\(refs.count - limit)条（用 --limit 或 --json 查看全部）") }
        }
    }
}

/// Wall time of the steps of a command, printed on stderr when enabled.
struct StepTimer {
    let enabled: Bool
    private var last = ContinuousClock.now

    init(enabled: Bool) { self.enabled = enabled }

    mutating func done(_ step: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let d = (now - last).components
        printError(step + "：" + String(format: "%.3f", Double(d.seconds) + Double(d.attoseconds) / 1e18) + " 秒")
        last = now
    }
}
