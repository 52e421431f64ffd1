import EduLedgerCore
import EduLedgerIndicators
import EduLedgerStorage
import Foundation
import Hummingbird
import OfficeFormats

/// The statistics dashboards: the user's place at a glance, tables of townships and schools
/// (sortable, exportable), the records behind each figure, trends and comparisons as SVG
/// charts, and the 均衡 table. Every figure is shown with its definition.
struct IndicatorsController {
    let deps: AppDependencies
    let service: IndicatorService

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("/indicators", use: overview)
        r.get("/indicators/table", use: table)
        r.get("/indicators/drill", use: drill)
        r.get("/indicators/chart.svg", use: chart)
        r.get("/indicators/balance", use: balance)
        return r
    }

    static let categories = ["规模", "班额", "普及", "流动", "师资", "均衡"]
    /// The figures of the district at a glance, in the order the annual reports quote them.
    static let headline = [
        "students.total", "students.primary", "students.junior", "enrolment_rate.primary", "enrolment_rate.junior",
        "retention_rate.junior", "dropout_rate.primary", "dropout_rate.junior", "preschool_rate.three_year",
        "disabled_enrolment_rate", "large_classes_share.compulsory", "pupil_teacher_ratio", "balance.primary.schools_passing",
        "balance.junior.schools_passing",
    ]

    // MARK: View models

    struct Link: Sendable { var href: String; var label: String; var active: Bool }
    struct DefinitionView: Sendable {
        var id: String; var nameZH: String; var nameEN: String; var numerator: String; var denominator: String?
        var reference: String; var records: String; var standard: String?
        init(_ d: IndicatorDefinition) {
            id = d.id; nameZH = d.nameZH; nameEN = d.nameEN; numerator = d.numerator; denominator = d.denominator
            reference = d.reference.rawValue; records = d.records; standard = d.standard
        }
    }
    struct FigureView: Sendable {
        var name: String
        var value: String
        var change: String
        var numerator: String
        var denominator: String?
        var undefined: Bool
        var drillHref: String
        var trendHref: String
        var tableHref: String?
        var definition: DefinitionView
    }
    struct ChartView: Sendable { var title: String; var src: String; var download: String }
    struct OverviewPage: Sendable {
        var placeName: String
        var levelName: String
        var yearName: String
        var years: [Link]
        var categories: [Link]
        var category: String
        var headline: [FigureView]
        var hasHeadline: Bool
        var rows: [FigureView]
        var charts: [ChartView]
        var tables: [Link]
        var balanceHref: String
    }

    // MARK: Helpers

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(format: "%.2f", v)
    }

    func href(_ path: String, _ items: [(String, String?)]) -> String { urlWithQuery(path, items) }

    func year(_ request: Request, _ snapshot: IndicatorSnapshot) throws -> Int {
        guard let text = request.query("year") else { return snapshot.latestYear }
        guard let y = Int(text), snapshot.years.contains(y) else {
            throw AppError.badRequest(code: "request.invalid_query", message: "没有该年度的统计数据",
                                      fields: [FieldError(field: "year", message: "可选年度：\(snapshot.years.map(String.init).joined(separator: "、"))")])
        }
        return y
    }

    func figure(_ d: IndicatorDefinition, unit: ReportingUnit, year: Int, snapshot: IndicatorSnapshot, scope: IndicatorScope) -> FigureView? {
        guard let v = snapshot.value(d.id, unit, year) else { return nil }
        let u = IndicatorScope.parameter(unit)
        let tableLevel = scope.tableLevels.first { d.levels.contains($0) && $0 != unit.kind }
        return FigureView(
            name: d.nameZH, value: d.format(v.value), change: d.formatChange(v.change), numerator: Self.number(v.numerator),
            denominator: v.denominator.map(Self.number), undefined: v.value == nil,
            drillHref: href("/indicators/drill", [("indicator", d.id), ("unit", u), ("year", String(year))]),
            trendHref: href("/indicators/chart.svg", [("indicator", d.id), ("unit", u)]),
            tableHref: tableLevel.map { href("/indicators/table", [("category", d.category), ("level", $0.rawValue), ("year", String(year)), ("sort", d.id)]) },
            definition: DefinitionView(d))
    }

    // MARK: Overview

    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let snapshot = try await service.snapshot()
        let scope = IndicatorScope(user: user, snapshot: snapshot)
        let unit = try scope.unit(request.query("unit"))
        let year = try self.year(request, snapshot)
        let category = request.query("category").flatMap { Self.categories.contains($0) ? $0 : nil } ?? "规模"
        let u = IndicatorScope.parameter(unit)
        let defs = snapshot.definitions
        let headline = Self.headline.compactMap { id in defs.first { $0.id == id } }
            .compactMap { figure($0, unit: unit, year: year, snapshot: snapshot, scope: scope) }
        let rows = defs.filter { $0.category == category }
            .compactMap { figure($0, unit: unit, year: year, snapshot: snapshot, scope: scope) }
        var charts: [ChartView] = []
        let trendIDs = ["students.total", "enrolment_rate.primary", "dropout_rate.junior", "retention_rate.junior"]
        for id in trendIDs where snapshot.value(id, unit, year) != nil {
            let name = defs.first { $0.id == id }?.nameZH ?? id
            let src = href("/indicators/chart.svg", [("indicator", id), ("unit", u)])
            charts.append(ChartView(title: "\(name)（近\(snapshot.years.count)年）", src: src,
                                    download: href("/indicators/chart.svg", [("indicator", id), ("unit", u), ("download", "1")])))
        }
        if let compare = scope.tableLevels.first(where: { $0 == .school || $0 == .township }) {
            let id = "students.total"
            charts.append(ChartView(title: "各\(compare.chinese)在校生数对比（\(year)年）",
                                    src: href("/indicators/chart.svg", [("indicator", id), ("level", compare.rawValue), ("year", String(year))]),
                                    download: href("/indicators/chart.svg", [("indicator", id), ("level", compare.rawValue), ("year", String(year)), ("download", "1")])))
        }
        let page = OverviewPage(
            placeName: unit.name, levelName: unit.kind.chinese, yearName: "\(year)年（\(SchoolYear(year).name)，基准日\(SchoolYear(year).referenceDate.chinese)）",
            years: snapshot.years.map { Link(href: href("/indicators", [("unit", u), ("year", String($0)), ("category", category)]), label: "\($0)年", active: $0 == year) },
            categories: Self.categories.map { Link(href: href("/indicators", [("unit", u), ("year", String(year)), ("category", $0)]), label: $0, active: $0 == category) },
            category: category, headline: headline, hasHeadline: !headline.isEmpty, rows: rows, charts: charts,
            tables: scope.tableLevels.map { Link(href: href("/indicators/table", [("level", $0.rawValue), ("year", String(year)), ("category", category)]), label: "各\($0.chinese)\(category)指标表", active: false) },
            balanceHref: href("/indicators/balance", [("year", String(year))]))
        return deps.views.render("indicators", ViewContext(chrome: Chrome(title: "统计指标", user: user, active: "indicators"), page: page))
    }

    // MARK: Tables

    struct Cell: Sendable { var text: String; var href: String; var flagged: Bool }
    struct TableRow: Sendable { var name: String; var href: String; var cells: [Cell] }
    struct Column: Sendable { var name: String; var sortHref: String; var sorted: String; var definition: DefinitionView }
    struct TablePage: Sendable {
        var title: String
        var yearName: String
        var levels: [Link]
        var categories: [Link]
        var years: [Link]
        var columns: [Column]
        var rows: [TableRow]
        var nameSortHref: String
        var csvHref: String
        var xlsxHref: String
        var chart: ChartView?
    }

    struct TableData {
        var definitions: [IndicatorDefinition]
        var units: [ReportingUnit]
        var values: [[IndicatorValue?]]
    }

    func tableData(_ snapshot: IndicatorSnapshot, scope: IndicatorScope, level: UnitKind, category: String, year: Int,
                   sort: String?, descending: Bool) -> TableData {
        let defs = snapshot.definitions.filter { $0.category == category && $0.levels.contains(level) }
        var units = scope.units(level)
        var values = units.map { u in defs.map { snapshot.value($0.id, u, year) } }
        if let sort, let column = defs.firstIndex(where: { $0.id == sort }) {
            let order = units.indices.sorted { a, b in
                let x = values[a][column]?.value, y = values[b][column]?.value
                switch (x, y) {
                case let (x?, y?): return x == y ? a < b : (descending ? x > y : x < y)
                case (nil, nil): return a < b
                case (nil, _): return false
                case (_, nil): return true
                }
            }
            units = order.map { units[$0] }
            values = order.map { values[$0] }
        } else if sort == "name" {
            let order = units.indices.sorted { descending ? units[$0].name > units[$1].name : units[$0].name < units[$1].name }
            units = order.map { units[$0] }
            values = order.map { values[$0] }
        }
        // Units with no figure at all in the year (a school not yet open) are left out.
        let keep = values.indices.filter { values[$0].contains { $0 != nil } }
        return TableData(definitions: defs, units: keep.map { units[$0] }, values: keep.map { values[$0] })
    }

    @Sendable func table(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let snapshot = try await service.snapshot()
        let scope = IndicatorScope(user: user, snapshot: snapshot)
        let year = try self.year(request, snapshot)
        guard let level = request.query("level").flatMap(UnitKind.init(rawValue:)) ?? scope.tableLevels.first,
              scope.tableLevels.contains(level) else { throw AppError.notFound }
        let category = request.query("category").flatMap { Self.categories.contains($0) ? $0 : nil } ?? "规模"
        let sort = request.query("sort")
        let descending = request.query("dir") != "asc"
        let data = tableData(snapshot, scope: scope, level: level, category: category, year: year, sort: sort, descending: descending)
        let title = "各\(level.chinese)\(category)指标（\(year)年）"
        if let format = request.query("format") {
            let rows = Self.exportRows(data)
            // In the workbook the figures are numbers, so Excel can sum and chart them.
            let cells = zip(data.units, data.values).map { unit, values in
                [XLSXCell.text(unit.name)] + values.map { v in v?.value.map { XLSXCell.number($0) } ?? .empty }
            }
            return try TableDownload.response(format: format, fileTitle: title, sheet: "指标", header: rows[0], rows: Array(rows.dropFirst()),
                                              cells: cells, columnWidths: [24] + data.definitions.map { _ in 16 })
        }
        func link(_ items: [(String, String?)]) -> String {
            var base: [(String, String?)] = [("level", level.rawValue), ("category", category), ("year", String(year))]
            for (k, v) in items { base.removeAll { $0.0 == k }; base.append((k, v)) }
            return href("/indicators/table", base)
        }
        let columns = data.definitions.map { d in
            let active = sort == d.id
            return Column(name: d.nameZH, sortHref: link([("sort", d.id), ("dir", active && descending ? "asc" : "desc")]),
                          sorted: active ? (descending ? "↓" : "↑") : "", definition: DefinitionView(d))
        }
        let rows = zip(data.units, data.values).map { unit, values in
            TableRow(name: unit.name, href: href("/indicators", [("unit", IndicatorScope.parameter(unit)), ("year", String(year)), ("category", category)]),
                     cells: zip(data.definitions, values).map { d, v in
                         Cell(text: v.map { d.format($0.value) } ?? "—",
                              href: href("/indicators/drill", [("indicator", d.id), ("unit", IndicatorScope.parameter(unit)), ("year", String(year))]),
                              flagged: v.map { Self.belowStandard(d, $0) } ?? false)
                     })
        }
        let chartID = sort.flatMap { s in data.definitions.first { $0.id == s } }?.id ?? data.definitions.first?.id
        let chart = chartID.map { id in
            ChartView(title: "\(data.definitions.first { $0.id == id }?.nameZH ?? id)：各\(level.chinese)对比",
                      src: href("/indicators/chart.svg", [("indicator", id), ("level", level.rawValue), ("year", String(year))]),
                      download: href("/indicators/chart.svg", [("indicator", id), ("level", level.rawValue), ("year", String(year)), ("download", "1")]))
        }
        let page = TablePage(
            title: title, yearName: SchoolYear(year).name,
            levels: scope.tableLevels.map { Link(href: link([("level", $0.rawValue)]), label: $0.chinese, active: $0 == level) },
            categories: Self.categories.map { Link(href: link([("category", $0), ("sort", nil)]), label: $0, active: $0 == category) },
            years: snapshot.years.map { Link(href: link([("year", String($0))]), label: "\($0)年", active: $0 == year) },
            columns: columns, rows: rows, nameSortHref: link([("sort", "name"), ("dir", sort == "name" && !descending ? "desc" : "asc")]),
            csvHref: link([("format", "csv"), ("sort", sort), ("dir", descending ? "desc" : "asc")]),
            xlsxHref: link([("format", "xlsx"), ("sort", sort), ("dir", descending ? "desc" : "asc")]), chart: chart)
        return deps.views.render("indicator_table", ViewContext(chrome: Chrome(title: title, user: user, active: "indicators"), page: page))
    }

    /// A figure judged against a per-school standard or a limit: the 均衡 resource items below
    /// their standard, a 差异系数 above its limit.
    static func belowStandard(_ d: IndicatorDefinition, _ v: IndicatorValue) -> Bool {
        guard let value = v.value else { return false }
        for stage in BalanceStage.allCases {
            for item in BalanceItem.allCases {
                if d.id == item.id(stage), v.unit.kind == .school, let s = item.standard(stage) { return value < s - 1e-9 }
                if d.id == item.cvID(stage), item.isStandard { return value > stage.limit + 1e-9 }
            }
        }
        return false
    }

    static func exportRows(_ data: TableData) -> [[String]] {
        var rows = [["单位"] + data.definitions.map { "\($0.nameZH)（\($0.id)）" }]
        for (unit, values) in zip(data.units, data.values) {
            rows.append([unit.name] + zip(data.definitions, values).map { d, v in
                guard let v else { return "" }
                guard let value = v.value else { return "无定义" }
                return IndicatorDefinitionText.plain(d, value)
            })
        }
        return rows
    }

    // MARK: Drill-down

    struct RecordView: Sendable { var kind: String; var label: String; var href: String? }
    struct DrillPage: Sendable {
        var title: String
        var unitName: String
        var yearName: String
        var value: String
        var change: String
        var numerator: String
        var denominator: String?
        var definition: DefinitionView
        var sides: [Link]
        var sideName: String
        var records: [RecordView]
        var pager: Pager
        var hidden: Bool
        var trendHref: String
        var csvHref: String
        var xlsxHref: String
        var backHref: String
    }

    static let drillPageSize = 50

    @Sendable func drill(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let snapshot = try await service.snapshot()
        let scope = IndicatorScope(user: user, snapshot: snapshot)
        let unit = try scope.unit(request.query("unit"))
        let year = try self.year(request, snapshot)
        guard let id = request.query("indicator"), let d = IndicatorEngine.definition(id) else { throw AppError.notFound }
        let drill: DrillDown
        do { drill = try snapshot.engine(for: id).drillDown(indicatorID: id, unit: unit, year: year) } catch is IndicatorError { throw AppError.notFound }
        let side = request.query("side") == "denominator" ? "denominator" : "numerator"
        let refs = side == "denominator" ? drill.denominator : drill.numerator
        if let format = request.query("format") {
            let title = "\(unit.name)\(d.nameZH)\(year)年\(side == "numerator" ? "分子" : "分母")记录"
            return try await drillExport(format: format, refs: refs, user: user, engine: snapshot.engine(for: id), title: title)
        }
        let pageNumber = request.queryInt("page", default: 1, range: 1...1_000_000)
        let limit = Self.drillPageSize
        let offset = min((pageNumber - 1) * limit, max(0, refs.count - 1) / limit * limit)
        let slice = Array(refs.dropFirst(offset).prefix(limit))
        let (records, hidden) = try await recordViews(slice, user: user, engine: snapshot.engine(for: id))
        let value = snapshot.value(id, unit, year)
        let u = IndicatorScope.parameter(unit)
        let base: [(String, String?)] = [("indicator", id), ("unit", u), ("year", String(year))]
        let page = DrillPage(
            title: d.nameZH, unitName: unit.name, yearName: "\(year)年", value: d.format(value?.value),
            change: d.formatChange(value?.change), numerator: value.map { Self.number($0.numerator) } ?? "—",
            denominator: value?.denominator.map(Self.number), definition: DefinitionView(d),
            sides: [Link(href: href("/indicators/drill", base + [("side", "numerator")]), label: "分子记录（\(drill.numerator.count)条）", active: side == "numerator"),
                    Link(href: href("/indicators/drill", base + [("side", "denominator")]), label: "分母记录（\(drill.denominator.count)条）", active: side == "denominator")],
            sideName: side == "numerator" ? "分子" : "分母", records: records,
            pager: Pager(total: refs.count, offset: offset, limit: limit) { p in href("/indicators/drill", base + [("side", side), ("page", String(p))]) },
            hidden: hidden, trendHref: href("/indicators/chart.svg", [("indicator", id), ("unit", u)]),
            csvHref: href("/indicators/drill", base + [("side", side), ("format", "csv")]),
            xlsxHref: href("/indicators/drill", base + [("side", side), ("format", "xlsx")]),
            backHref: href("/indicators", [("unit", u), ("year", String(year)), ("category", d.category)]))
        return deps.views.render("indicator_drill", ViewContext(chrome: Chrome(title: d.nameZH, user: user, active: "indicators"), page: page))
    }

    /// Names of the records, where the user may read personal data of that kind; otherwise
    /// only the kind and number of each record (`hidden`).
    func recordViews(_ refs: [RecordRef], user: CurrentUser, engine: IndicatorEngine) async throws -> ([RecordView], Bool) {
        let keys = refs.compactMap { ref -> StatisticsRecordKey? in
            switch ref.kind {
            case .student where user.may(.viewStudents): return StatisticsRecordKey(kind: "student", id: ref.id)
            case .staff where user.may(.viewStaff): return StatisticsRecordKey(kind: "staff", id: ref.id)
            case .school, .resources: return StatisticsRecordKey(kind: "school", id: ref.id)
            default: return nil
            }
        }
        let labels = try await service.loader.labels(for: keys)
        var hidden = false
        let views = refs.map { ref -> RecordView in
            switch ref.kind {
            case .student:
                guard let label = labels[StatisticsRecordKey(kind: "student", id: ref.id)] else { hidden = true; return RecordView(kind: "学生", label: "学生 #\(ref.id)", href: nil) }
                return RecordView(kind: "学生", label: label, href: "/students/\(ref.id)")
            case .staff:
                guard let label = labels[StatisticsRecordKey(kind: "staff", id: ref.id)] else { hidden = true; return RecordView(kind: "教职工", label: "教职工 #\(ref.id)", href: nil) }
                return RecordView(kind: "教职工", label: label, href: "/staff/\(ref.id)")
            case .school, .resources:
                let label = labels[StatisticsRecordKey(kind: "school", id: ref.id)] ?? engine.describe(ref)
                return RecordView(kind: ref.kind == .school ? "学校" : "办学条件", label: label, href: "/schools/\(ref.id)")
            case .schoolClass:
                return RecordView(kind: "班级", label: engine.describe(ref), href: "/classes/\(ref.id)")
            case .population:
                return RecordView(kind: "适龄人口", label: engine.describe(ref), href: nil)
            case .casework:
                return RecordView(kind: "案件", label: engine.describe(ref), href: "/cases/\(ref.id)")
            case .classDraw:
                return RecordView(kind: "编班", label: engine.describe(ref), href: "/draws/\(ref.id)")
            }
        }
        return (views, hidden)
    }

    // MARK: Charts

    @Sendable func chart(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let snapshot = try await service.snapshot()
        let scope = IndicatorScope(user: user, snapshot: snapshot)
        guard let id = request.query("indicator"), let d = snapshot.definitions.first(where: { $0.id == id }) else { throw AppError.notFound }
        let unitText = d.factor == .percent ? "%" : d.factor == .permille ? "‰" : d.unitLabel
        var chart = SVGChart(title: d.nameZH, unit: unitText, precision: min(d.precision, 2))
        let svg: String
        let name: String
        if let levelText = request.query("level") {
            guard let level = UnitKind(rawValue: levelText), scope.tableLevels.contains(level), d.levels.contains(level) else { throw AppError.notFound }
            let year = try self.year(request, snapshot)
            let units = scope.units(level).filter { snapshot.value(id, $0, year) != nil }
            let values = units.map { snapshot.value(id, $0, year)?.value }
            let flagged = Set(units.indices.filter { i in snapshot.value(id, units[i], year).map { Self.belowStandard(d, $0) } ?? false })
            chart.title = "\(d.nameZH)：各\(level.chinese)（\(year)年）"
            var limit: Double?
            var limitLabel = ""
            for stage in BalanceStage.allCases {
                for item in BalanceItem.allCases where item.id(stage) == id { limit = item.standard(stage); limitLabel = "标准 " }
            }
            svg = chart.bars(labels: units.map(\.name), values: values, highlight: flagged, limit: limit, limitLabel: limitLabel)
            name = "\(d.nameZH)-各\(level.chinese)-\(year).svg"
        } else {
            let unit = try scope.unit(request.query("unit"))
            chart.title = "\(unit.name) \(d.nameZH)"
            svg = chart.lines(xLabels: snapshot.years.map { "\($0)年" },
                              series: [SVGChart.Series(name: unit.name, values: snapshot.years.map { snapshot.value(id, unit, $0)?.value })])
            name = "\(unit.name)-\(d.nameZH).svg"
        }
        var response = Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store"],
                                body: .init(byteBuffer: ByteBuffer(string: svg)))
        if request.query("download") != nil {
            let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "chart.svg"
            response.headers[.contentDisposition] = "attachment; filename=\"chart.svg\"; filename*=UTF-8''\(encoded)"
        }
        return response
    }

    // MARK: 均衡

    struct BalanceCell: Sendable { var text: String; var failed: Bool; var href: String }
    struct BalanceRow: Sendable { var name: String; var cells: [BalanceCell]; var reached: Int; var passes: Bool }
    struct BalanceColumn: Sendable { var name: String; var standard: String; var cv: String; var cvFailed: Bool; var cvHref: String }
    struct BalancePage: Sendable {
        var title: String
        var unitName: String
        var stages: [Link]
        var years: [Link]
        var columns: [BalanceColumn]
        var rows: [BalanceRow]
        var passing: Int
        var failing: Int
        var limit: String
        var chart: ChartView?
        var csvHref: String
        var xlsxHref: String
    }

    @Sendable func balance(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let snapshot = try await service.snapshot()
        let scope = IndicatorScope(user: user, snapshot: snapshot)
        let year = try self.year(request, snapshot)
        let stage = request.query("stage").flatMap(BalanceStage.init(rawValue:)) ?? .primary
        guard let home = scope.home else { throw AppError.notFound }
        let items = BalanceItem.allCases.filter(\.isStandard)
        let defs = items.map { item in snapshot.definitions.first { $0.id == item.id(stage) } }
        let columns = zip(items, defs).map { item, d -> BalanceColumn in
            let cv = home.kind == .school ? nil : snapshot.value(item.cvID(stage), home, year)
            return BalanceColumn(
                name: d?.nameZH ?? item.rawValue, standard: item.standard(stage).map { "≥" + SVGChart(title: "", unit: "").format($0) } ?? "",
                cv: cv.map { $0.value.map { IndicatorDefinitionText.plain(nil, $0, places: 3) } ?? "无定义" } ?? "—",
                cvFailed: cv?.value.map { $0 > stage.limit + 1e-9 } ?? false,
                cvHref: href("/indicators/drill", [("indicator", item.cvID(stage)), ("unit", IndicatorScope.parameter(home)), ("year", String(year))]))
        }
        var rows: [BalanceRow] = []
        for unit in scope.units(.school) {
            var values: [BalanceItem: Double] = [:]
            var complete = true
            for item in items {
                if let v = snapshot.value(item.id(stage), unit, year)?.value { values[item] = v } else { complete = false }
            }
            guard complete else { continue }
            let check = Balance.judge(stage: stage, values: values)
            rows.append(BalanceRow(
                name: unit.name,
                cells: zip(items, defs).map { item, d in
                    let v = values[item] ?? 0
                    return BalanceCell(text: d.map { IndicatorDefinitionText.plain($0, v) } ?? String(v),
                                       failed: v < (item.standard(stage) ?? 0) - 1e-9,
                                       href: href("/indicators/drill", [("indicator", item.id(stage)), ("unit", IndicatorScope.parameter(unit)), ("year", String(year))]))
                },
                reached: check.reachedCount, passes: check.passes))
        }
        rows.sort { ($0.passes ? 1 : 0, $0.reached) < ($1.passes ? 1 : 0, $1.reached) }
        let title = "\(stage == .primary ? "小学" : "初中")优质均衡办学条件（\(year)年）"
        if let format = request.query("format") {
            // The table as shown, failures marked in words (a file has no red), the 差异系数 as the last row.
            let header = ["学校"] + columns.map { $0.standard.isEmpty ? $0.name : "\($0.name)（\($0.standard)）" } + ["达标项", "结论"]
            var lines = rows.map { r in
                [r.name] + r.cells.map { $0.failed ? "\($0.text)（未达标）" : $0.text } + ["\(r.reached)/7", r.passes ? "达标" : "未达标"]
            }
            lines.append(["差异系数（限值\(stage == .primary ? "0.50" : "0.45")）"] + columns.map { $0.cvFailed ? "\($0.cv)（超限）" : $0.cv } + ["", ""])
            return try TableDownload.response(format: format, fileTitle: "\(home.name)\(title)", sheet: "优质均衡", header: header,
                                              rows: lines, columnWidths: [28] + columns.map { _ in 16 } + [8, 8])
        }
        let chart = scope.tableLevels.contains(.school) ? ChartView(
            title: "各校\(defs.first??.nameZH ?? "")",
            src: href("/indicators/chart.svg", [("indicator", items[0].id(stage)), ("level", "school"), ("year", String(year))]),
            download: href("/indicators/chart.svg", [("indicator", items[0].id(stage)), ("level", "school"), ("year", String(year)), ("download", "1")])) : nil
        let page = BalancePage(
            title: title, unitName: home.name,
            stages: BalanceStage.allCases.map { Link(href: href("/indicators/balance", [("stage", $0.rawValue), ("year", String(year))]), label: $0 == .primary ? "小学" : "初中", active: $0 == stage) },
            years: snapshot.years.map { Link(href: href("/indicators/balance", [("stage", stage.rawValue), ("year", String($0))]), label: "\($0)年", active: $0 == year) },
            columns: columns, rows: rows, passing: rows.filter(\.passes).count, failing: rows.filter { !$0.passes }.count,
            limit: stage == .primary ? "0.50" : "0.45", chart: chart,
            csvHref: href("/indicators/balance", [("stage", stage.rawValue), ("year", String(year)), ("format", "csv")]),
            xlsxHref: href("/indicators/balance", [("stage", stage.rawValue), ("year", String(year)), ("format", "xlsx")]))
        return deps.views.render("indicator_balance", ViewContext(chrome: Chrome(title: title, user: user, active: "indicators"), page: page))
    }
}

/// Plain numbers for exports and table cells (no unit suffix), with the definition's decimals.
enum IndicatorDefinitionText {
    static func plain(_ d: IndicatorDefinition?, _ v: Double, places: Int? = nil) -> String {
        let p = places ?? d?.precision ?? 2
        return String(format: "%.\(p)f", v)
    }
}
