import ClassAssignment
import EduLedgerCore
import EduLedgerImport
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import OfficeFormats
import Testing

@Suite("适龄人口、办学条件与编班名单导入")
struct StatisticsImportTests {
    static let populationHeader = ["学年", "乡镇", "年龄", "性别", "人数", "其中残疾儿童"]
    static let resourceHeader = ["学年", "学校标识码", "学校名称", "教学及辅助用房面积", "体育运动场馆面积", "教学仪器设备值", "图书", "网络多媒体教室"]

    @Test("population round-trip: imported figures are what the indicators load; re-import replaces", arguments: TestBackend.available)
    func population(backend: TestBackend) async throws {
        try await withDistrict(backend) { store, _, scratch in
            let rows = [["2025", "东城街道", "6", "男", "120", "1"], ["2025-2026", "431102101", "6岁", "女", "80", ""],
                        ["2025学年", "东城街道", "7", "2", "95", "0"]]
            let file = try scratch.xlsx("pop.xlsx", sheet: "适龄人口信息", header: Self.populationHeader, rows: rows)
            let report = try await Importer(store: store).run(.population, file: file)
            #expect(report.problems.isEmpty, "\(report.problems.map(\.text))")
            #expect(report.committed && report.inserted == 3)
            let facts = try await IndicatorFactsLoader(database: store.database).load(years: 2025...2025)
            let townships = try await store.townships()
            let dongcheng = try #require(townships.first { $0.name == "东城街道" })
            let boys6 = facts.population.first { $0.townshipID == dongcheng.id && $0.age == 6 && $0.gender == .male }
            #expect(boys6?.count == 120 && boys6?.disabledCount == 1)
            #expect(facts.population.map(\.count).sorted() == [80, 95, 120])
            let audit = try await store.auditEntries(entity: "import", actor: nil, offset: 0, limit: 10)
            #expect(audit.total == 1)

            let corrected = try scratch.csv("pop2.csv", header: Self.populationHeader, rows: [["2025", "东城街道", "6", "男", "125", "1"]])
            let again = try await Importer(store: store).run(.population, file: corrected)
            #expect(again.committed)
            let after = try await IndicatorFactsLoader(database: store.database).load(years: 2025...2025)
            #expect(after.population.map(\.count).sorted() == [80, 95, 125])
        }
    }

    @Test("population: every bad cell reported, duplicates reject both rows, nothing written")
    func populationProblems() async throws {
        try await withDistrict { store, _, scratch in
            let rows = [["2025", "东城街道", "6", "男", "120", "130"], ["2025", "火星乡", "6", "男", "1", ""],
                        ["二〇二五", "东城街道", "30", "男", "-3", ""], ["2025", "王家镇", "8", "女", "10", ""],
                        ["2025", "王家镇", "8", "女", "11", ""]]
            let file = try scratch.csv("bad.csv", header: Self.populationHeader, rows: rows)
            let report = try await Importer(store: store).run(.population, file: file)
            #expect(!report.committed && report.rejectedRows == 5)
            let codes = Set(report.problems.map(\.code))
            #expect(codes.isSuperset(of: ["import.disabled_over_count", "import.township", "import.school_year", "import.age",
                                          "import.number", "import.duplicate_in_file"]))
            let facts = try await IndicatorFactsLoader(database: store.database).load(years: 2025...2025)
            #expect(facts.population.isEmpty)
        }
    }

    @Test("resources round-trip, money in 元 or 万元; a school account imports its own school only", arguments: TestBackend.available)
    func resources(backend: TestBackend) async throws {
        try await withDistrict(backend) { store, district, scratch in
            let rows = [["2025", "2143110201", "东城第一小学", "5200.5", "8000", "1250000.50", "32000", "24"],
                        ["2025", "2143110202", "", "7000", "12,000", "314.832万元", "50000", "30"]]
            let file = try scratch.csv("res.csv", header: Self.resourceHeader, rows: rows)
            let scoped = try await Importer(store: store).run(.resources, file: file, options: ImportOptions(mode: .allOrNothing,
                                                                                                            schoolCode: "2143110201"))
            #expect(!scoped.committed && scoped.problems.map(\.code) == ["import.other_school"])
            let report = try await Importer(store: store).run(.resources, file: file)
            #expect(report.problems.isEmpty, "\(report.problems.map(\.text))")
            #expect(report.inserted == 2)
            let facts = try await IndicatorFactsLoader(database: store.database).load(years: 2025...2025)
            let primary = try #require(facts.resources.first { $0.schoolID == district.primary.id })
            #expect(primary.teachingArea == 5200.5 && primary.equipmentValue == Money(fen: 125_000_050) && primary.books == 32000)
            let junior = try #require(facts.resources.first { $0.schoolID == district.junior.id })
            #expect(junior.equipmentValue == Money(fen: 314_832_000) && junior.sportsArea == 12000 && junior.multimediaClassrooms == 30)
        }
    }

    @Test("templates of the new kinds pass their own import as a dry run")
    func templates() async throws {
        try await withDistrict { store, _, scratch in
            for kind in [ImportKind.population, .resources] {
                let url = scratch.url("\(kind.rawValue).xlsx")
                try ImportTemplate.write(kind, to: url)
                let report = try await Importer(store: store).run(kind, file: url, options: ImportOptions(dryRun: true))
                #expect(report.problems.isEmpty && report.rowsRead == 0 && report.skippedExampleRows == [2], "\(kind)")
            }
        }
    }

    @Test("header check and column mapping")
    func mapping() async throws {
        try await withDistrict { store, _, scratch in
            let header = ["School year", "乡镇", "年龄", "性别", "Kids"]
            let file = try scratch.csv("m.csv", header: header, rows: [["2025", "东城街道", "6", "男", "10"]])
            let check = try Importer.checkHeader(.population, file: file)
            #expect(check.needsMapping(.population))
            #expect(check.missingRequired == ["count"] && check.unrecognised == ["Kids"])
            var options = ImportOptions()
            options.columnMapping = ["count": "Kids"]
            #expect(!(try Importer.checkHeader(.population, file: file, options: options)).needsMapping(.population))
            let report = try await Importer(store: store).run(.population, file: file, options: options)
            #expect(report.committed && report.inserted == 1)
            options.columnMapping = ["count": "Nope"]
            #expect(throws: ImportError.self) { try Importer.checkHeader(.population, file: file, options: options) }
        }
    }

    @Test("class-draw roster: a valid sheet becomes the roster; problems keep the sheet's row numbers")
    func roster() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let good = try scratch.xlsx("roster.xlsx", sheet: "名单", header: ["学籍号", "姓名", "性别", "成绩"],
                                    rows: [["S1", "甲", "男", "90"], ["S2", "乙", "女", "87.5"], ["S3", "丙", "女", "70"]])
        let result = try RosterImport.read(file: good)
        let roster = try #require(result.roster)
        #expect(roster.students.map(\.id) == ["S1", "S2", "S3"] && result.problems.isEmpty)
        #expect(roster.students[1].gender == .female)

        let bad = try scratch.csv("bad.csv", header: ["学籍号", "姓名", "性别", "成绩"],
                                  rows: [["S1", "甲", "男", "90"], ["S1", "乙", "X", "abc"], ["", "丙", "女", "70"]])
        let failed = try RosterImport.read(file: bad)
        #expect(failed.roster == nil)
        #expect(failed.problems.map(\.row) == [3, 3, 3, 4])
        #expect(Set(failed.problems.map(\.code)) == ["import.duplicate_in_file", "import.gender", "roster.score", "import.required"])
        #expect(failed.problems.first { $0.code == "import.gender" }?.column == "C")
    }
}
