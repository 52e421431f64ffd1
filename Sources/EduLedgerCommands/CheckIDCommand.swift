import ArgumentParser
import EduLedgerCore

/// `eduledger check-id ID`: exit 0 with the parsed fields, or exit 1 with the reason.
struct CheckIDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-id", abstract: "校验居民身份证号：位数、地区码、出生日期、性别位与校验码")

    @Argument(help: "18位居民身份证号") var id: String
    @Flag(help: "以 JSON 输出") var json = false

    struct Result: Encodable {
        var valid: Bool
        var id: String
        var regionCode: String?
        var birthDate: String?
        var gender: String?
        var errorCode: String?
        var error: String?
    }

    func run() async throws {
        let parsed: ResidentID
        do {
            parsed = try ResidentID(id)
        } catch {
            if json {
                try printJSON(Result(valid: false, id: id, errorCode: error.code, error: error.message))
            } else {
                printError("无效：\(error.message)")
            }
            throw ExitCode.failure
        }
        if json {
            try printJSON(Result(valid: true, id: parsed.value, regionCode: parsed.regionCode,
                                 birthDate: parsed.birthDate.description, gender: parsed.gender.rawValue))
        } else {
            print("有效：\(parsed.value)")
            print("地区码：\(parsed.regionCode)")
            print("出生日期：\(parsed.birthDate.description)")
            print("性别：\(parsed.gender.rawValue)")
        }
    }
}
