import EduLedgerCore
import EduLedgerIndicators
import EduLedgerStorage
import Foundation
import Hummingbird

/// The statistics routes: the dashboards, the school-year casework and the 控辍保学 ledger, in
/// the browser and under `/api/v1`, all sharing one cached indicator snapshot.
func addStatisticsRoutes(_ router: Router<AppRequestContext>, _ deps: AppDependencies) {
    let service = IndicatorService(deps: deps)
    router.addRoutes(IndicatorsController(deps: deps, service: service).routes)
    router.addRoutes(IndicatorsAPI(deps: deps, service: service).routes, atPath: "/api/v1")
    router.addRoutes(SchoolYearController(deps: deps).routes)
    router.addRoutes(SchoolYearAPI(deps: deps).routes, atPath: "/api/v1")
    router.addRoutes(DropoutController(deps: deps, service: service).routes)
}

/// `/api/v1/indicators…`: the same figures, definitions and drill-downs as the pages, with the
/// same scope (a unit outside the user's place is 404).
struct IndicatorsAPI {
    let deps: AppDependencies
    let service: IndicatorService

    var routes: RouteCollection<AppRequestContext> {
        let r = RouteCollection(context: AppRequestContext.self)
        r.get("indicators", use: definitions)
        r.get("indicators/values", use: values)
        r.get("indicators/drill", use: drill)
        return r
    }

    struct UnitDTO: Codable { var kind: String; var key: String; var name: String; var ref: String }
    struct DefinitionsDTO: Codable { var years: [Int]; var definitions: [IndicatorDefinition] }
    struct ValueDTO: Codable {
        var indicatorID: String; var year: Int; var unit: UnitDTO; var numerator: Double; var denominator: Double?
        var value: Double?; var previous: Double?; var change: Double?; var text: String; var changeText: String
    }
    struct ValuesDTO: Codable { var years: [Int]; var values: [ValueDTO] }
    struct RecordDTO: Codable { var kind: String; var id: Int64; var label: String?; var href: String? }
    struct DrillDTO: Codable {
        var definition: IndicatorDefinition; var unit: UnitDTO; var year: Int; var value: ValueDTO?
        var side: String; var total: Int; var offset: Int; var limit: Int; var numeratorCount: Int; var denominatorCount: Int
        var records: [RecordDTO]
    }

    static func unitDTO(_ u: ReportingUnit) -> UnitDTO {
        UnitDTO(kind: u.kind.rawValue, key: u.key, name: u.name, ref: IndicatorScope.parameter(u))
    }

    static func valueDTO(_ v: IndicatorValue, _ d: IndicatorDefinition) -> ValueDTO {
        ValueDTO(indicatorID: v.indicatorID, year: v.year, unit: unitDTO(v.unit), numerator: v.numerator, denominator: v.denominator,
                 value: v.value, previous: v.previous, change: v.change, text: d.format(v.value), changeText: d.formatChange(v.change))
    }

    static func invalid(_ field: String, _ message: String) -> AppError {
        AppError.badRequest(code: "request.invalid_query", message: "查询参数有误", fields: [FieldError(field: field, message: message)])
    }

    @Sendable func definitions(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.viewSchools)
        let snapshot = try await service.snapshot()
        var defs = snapshot.definitions
        if let c = APIController.strictQuery(request, "category") {
            let known = Set(defs.map(\.category))
            guard known.contains(c) else { throw Self.invalid("category", "可选类别：" + known.sorted().joined(separator: "、")) }
            defs = defs.filter { $0.category == c }
        }
        return JSONResponse.make(DefinitionsDTO(years: snapshot.years, definitions: defs))
    }

    @Sendable func values(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let snapshot = try await service.snapshot()
        let scope = IndicatorScope(user: user, snapshot: snapshot)
        var years = snapshot.years
        if let y = request.query("year") {
            guard let n = Int(y), snapshot.years.contains(n) else { throw Self.invalid("year", "可选年度：\(snapshot.years.map(String.init).joined(separator: "、"))") }
            years = [n]
        }
        let units: [ReportingUnit]
        if let level = request.query("level") {
            guard let kind = UnitKind(rawValue: level) else { throw Self.invalid("level", "应为 district、township、zone、school 或 group") }
            units = scope.units(kind)
        } else {
            units = [try scope.unit(request.query("unit"))]
        }
        var defs = snapshot.definitions
        if let c = APIController.strictQuery(request, "category") {
            let known = Set(defs.map(\.category))
            guard known.contains(c) else { throw Self.invalid("category", "可选类别：" + known.sorted().joined(separator: "、")) }
            defs = defs.filter { $0.category == c }
        }
        if let id = request.query("indicator") {
            defs = defs.filter { $0.id == id }
            if defs.isEmpty { throw AppError.notFound }
        }
        var out: [ValueDTO] = []
        for year in years {
            for d in defs {
                for u in units { if let v = snapshot.value(d.id, u, year) { out.append(Self.valueDTO(v, d)) } }
            }
        }
        return JSONResponse.make(ValuesDTO(years: years, values: out))
    }

    @Sendable func drill(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.require(.viewSchools)
        let snapshot = try await service.snapshot()
        let scope = IndicatorScope(user: user, snapshot: snapshot)
        let unit = try scope.unit(request.query("unit"))
        guard let id = request.query("indicator"), let d = IndicatorEngine.definition(id) else { throw AppError.notFound }
        var year = snapshot.latestYear
        if let y = request.query("year") {
            guard let n = Int(y), snapshot.years.contains(n) else { throw Self.invalid("year", "可选年度：\(snapshot.years.map(String.init).joined(separator: "、"))") }
            year = n
        }
        let (offset, limit) = try APIController.paging(request)
        let drill: DrillDown
        do { drill = try snapshot.engine(for: id).drillDown(indicatorID: id, unit: unit, year: year) } catch is IndicatorError { throw AppError.notFound }
        let side = request.query("side") ?? "numerator"
        guard side == "numerator" || side == "denominator" else { throw Self.invalid("side", "应为 numerator 或 denominator") }
        let refs = side == "numerator" ? drill.numerator : drill.denominator
        let slice = Array(refs.dropFirst(offset).prefix(limit))
        let (views, _) = try await IndicatorsController(deps: deps, service: service).recordViews(slice, user: user, engine: snapshot.engine(for: id))
        let records = zip(slice, views).map { ref, view in
            RecordDTO(kind: ref.kind.rawValue, id: ref.id, label: view.label, href: view.href)
        }
        return JSONResponse.make(DrillDTO(
            definition: d, unit: Self.unitDTO(unit), year: year, value: snapshot.value(id, unit, year).map { Self.valueDTO($0, d) },
            side: side, total: refs.count, offset: offset, limit: limit, numeratorCount: drill.numerator.count,
            denominatorCount: drill.denominator.count, records: records))
    }
}
