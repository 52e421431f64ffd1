import ArgumentParser
import ClassAssignment
import EduLedgerWeb
import Foundation

/// `eduledger classes assign|roster-hash` and `eduledger verify-draw`: the public class draw
/// (电脑随机编班) from the command line, so scripts and auditors can run and check it.
struct ClassesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classes", abstract: "电脑随机编班：公布名单摘要、均衡编班", subcommands: [Assign.self, RosterHash.self])

    /// How the roster's columns are read; stored in the published draw file so a verifier reads
    /// the roster exactly as the draw did.
    struct ColumnOptions: ParsableArguments {
        @Option(help: "名单文件（.csv 或 .xlsx，首行为表头）") var roster: String
        @Option(help: "成绩列，逗号分隔（默认 score/成绩/总分）") var scores: String?
        @Option(help: "需要均衡的标记列（1/0/是/否），逗号分隔") var balance: String?
        @Option(help: "同班列：该列取值相同的学生分在同一班（双胞胎等）") var together: String?
        @Option(help: "分开列：该列取值相同的学生分在不同班（同名等），可重复") var apart: [String] = []
        @Option(help: "指定班级列（班号 1..K）") var pin: String?

        var columns: DrawColumns {
            DrawColumns(scores: Self.list(scores), flags: Self.list(balance), together: together, apart: apart, pin: pin)
        }
        static func list(_ text: String?) -> [String] {
            (text ?? "").split(whereSeparator: { $0 == "," || $0 == "，" }).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "按成绩、性别与各标记均衡编班，结果可由任何人复算验证")
        @OptionGroup var input: ColumnOptions
        @Option(help: "班级数 K") var classes: Int?
        @Option(help: "各班人数（教室大小不同时），逗号分隔，如 50,50,48") var sizes: String?
        @Option(help: "公开的随机种子（如现场家长代表输入的数字，或公布的公开值）") var seed: String?
        @Option(help: "现场产生种子的各部分（可重复，按输入顺序组合）") var seedPart: [String] = []
        @Option(help: "输出：每名学生的班号（CSV：id,class）") var out: String
        @Option(help: "均衡报告（JSON）") var report: String?
        @Option(help: "公开的编班记录（JSON），供 verify-draw 复算") var record: String?
        @Option(help: "操作人（写入编班记录）") var drawnBy: String = "命令行"

        func run() async throws {
            try await reportingErrors {
                let roster = try ClassDraw.readRoster(input.roster, columns: input.columns, classCount: classes)
                let seedText: String
                if !seedPart.isEmpty {
                    do { seedText = try DrawSeed.compose(parts: seedPart) } catch { throw ValidationError(String(describing: error)) }
                } else if let seed, !seed.isEmpty {
                    seedText = seed
                } else {
                    throw ValidationError("须用 --seed 或 --seed-part 给出公开的随机种子")
                }
                let settings: AssignmentSettings
                if let sizes {
                    let list = ColumnOptions.list(sizes).compactMap(Int.init)
                    guard !list.isEmpty else { throw ValidationError("--sizes 应为逗号分隔的人数，如 50,50,48") }
                    settings = AssignmentSettings(classSizes: list, balancedFlags: input.columns.flags.isEmpty ? nil : input.columns.flags,
                                                  seed: seedText)
                } else {
                    guard let classes else { throw ValidationError("须用 --classes 给出班级数，或用 --sizes 给出各班人数") }
                    guard classes >= 1, classes <= roster.students.count else {
                        throw ValidationError("班级数 \(classes) 无效：名单共 \(roster.students.count) 人，班级数应在 1 到 \(roster.students.count) 之间")
                    }
                    settings = AssignmentSettings(classCount: classes,
                                                  balancedFlags: input.columns.flags.isEmpty ? nil : input.columns.flags,
                                                  seed: seedText)
                }
                let assignment: Assignment
                do { assignment = try ClassAssigner.assign(roster: roster, settings: settings) } catch {
                    throw ValidationError(String(describing: error))
                }
                // Everything is computed before anything is written.
                var csv = "id,class\n"
                for p in assignment.placements { csv += "\(ClassDraw.csvField(p.id)),\(p.classNumber)\n" }
                var outputs: [(String, Data)] = [(out, Data(csv.utf8))]
                if let report { outputs.append((report, try ClassDraw.json(assignment.report))) }
                if let record {
                    let file = PublishedDraw(columns: input.columns, record: DrawRecord(
                        roster: roster, assignment: assignment, seedParts: seedPart, softwareVersion: EduLedgerVersion.current,
                        drawnAt: Date().ISO8601Format(), drawnBy: drawnBy))
                    outputs.append((record, try ClassDraw.json(file)))
                }
                for (path, data) in outputs {
                    try data.write(to: URL(fileURLWithPath: path), options: .atomic)
                }
                let r = assignment.report
                print("名单摘要（SHA-256）：\(roster.rosterHash)")
                print("种子：\(seedText)")
                print("已分为\(assignment.classSizes.count)个班（\(assignment.classSizes.map(String.init).joined(separator: "/"))人）："
                      + "均分极差 \(String(format: "%.3f", r.meanRange))，标准差极差 \(String(format: "%.4f", r.sdRange))，性别最大差 \(r.genderMaxDiff)，违反约束 \(r.constraintsViolated) 处")
            }
        }
    }

    struct RosterHash: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "roster-hash", abstract: "编班前先公布名单：输出名单的 SHA-256 摘要")
        @OptionGroup var input: ColumnOptions

        func run() async throws {
            try await reportingErrors {
                let roster = try ClassDraw.readRoster(input.roster, columns: input.columns, classCount: nil)
                print(roster.rosterHash)
            }
        }
    }
}

/// `eduledger verify-draw`: recomputes a published draw from its record and the roster.
struct VerifyDrawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-draw", abstract: "复算公开的编班记录：一致（match）或不一致（mismatch）")
    @Option(help: "编班记录 JSON（classes assign --record 输出）") var record: String
    @Option(help: "公布的名单文件（.csv 或 .xlsx）") var roster: String

    func run() async throws {
        try await reportingErrors {
            let data = try Data(contentsOf: URL(fileURLWithPath: record))
            let file: PublishedDraw
            do { file = try JSONDecoder().decode(PublishedDraw.self, from: data) } catch {
                throw ValidationError("编班记录“\(record)”不是有效的记录文件：\(error)")
            }
            let parsed = try ClassDraw.readRoster(roster, columns: file.columns, classCount: file.record.settings.classCount)
            let result = DrawVerifier.verify(record: file.record, roster: parsed)
            if result.isMatch {
                print("match：复算结果与公开记录一致（\(file.record.studentCount)人，种子“\(file.record.settings.seed)”）")
            } else {
                print("mismatch：\(result.message)")
                throw ExitCode.failure
            }
        }
    }
}

enum ClassDraw {
    /// Reads the roster through the shared reader of the web draw, so the CLI and the browser
    /// read a file identically.
    static func readRoster(_ path: String, columns: DrawColumns, classCount: Int?) throws -> Roster {
        do { return try RosterFile.read(path: path, columns: columns, classCount: classCount) } catch {
            throw ValidationError(error.description)
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
