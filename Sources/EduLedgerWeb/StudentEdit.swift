import EduLedgerCore
import Foundation

/// The fields of a student a user may correct on the web and through the API, validated
/// field by field with Chinese messages. Identity fields (学籍号, 身份证号, birth date, gender)
/// are not editable here: they change only through the registry's own procedures.
struct StudentEdit: Sendable, Equatable {
    var name: String?
    var ethnicity: String?
    var hukouType: String?
    var leftBehind: Bool?
    var migrantWorkerChild: Bool?
    var boarding: Bool?
    var inclusiveClass: Bool?
    /// "" clears it.
    var disability: String?
    /// "" clears it.
    var poverty: String?

    static let fieldNames: Set<String> = ["name", "ethnicity", "hukouType", "leftBehind", "migrantWorkerChild", "boarding",
                                          "inclusiveClass", "disability", "poverty"]

    /// 56 民族 of the national standard (GB 3304), in its order.
    static let ethnicities = [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族",
        "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族",
        "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
        "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
        "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
    ]

    /// Applies the edit to `student`, or returns every field error found.
    func apply(to student: Student) -> Result<Student, FieldErrors> {
        var s = student
        var errors: [FieldError] = []
        if let name {
            let t = name.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty {
                errors.append(FieldError(field: "name", message: "姓名为必填项"))
            } else if t.count > 30 {
                errors.append(FieldError(field: "name", message: "姓名不能超过30个字"))
            } else if t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || "<>\"&;".unicodeScalars.contains($0) }) {
                errors.append(FieldError(field: "name", message: "姓名含有不允许的字符（如 < > \" & ; 或控制字符）"))
            } else if t.unicodeScalars.contains(where: { ("0"..."9").contains($0) || ("０"..."９").contains($0) }) {
                errors.append(FieldError(field: "name", message: "姓名不能包含数字"))
            } else {
                s.name = t
            }
        }
        if let ethnicity {
            if Self.ethnicities.contains(ethnicity) || ethnicity == student.ethnicity {
                s.ethnicity = ethnicity
            } else {
                errors.append(FieldError(field: "ethnicity", message: "民族“\(ethnicity.prefix(20))”不在国家标准的56个民族中"))
            }
        }
        if let hukouType {
            if let h = HukouType(rawValue: hukouType) { s.hukouType = h } else {
                errors.append(FieldError(field: "hukouType", message: "户口性质只能是" + HukouType.allCases.map(\.rawValue).joined(separator: "、")))
            }
        }
        if let leftBehind { s.flags.leftBehind = leftBehind }
        if let migrantWorkerChild { s.flags.migrantWorkerChild = migrantWorkerChild }
        if let boarding { s.flags.boarding = boarding }
        if let inclusiveClass { s.flags.inclusiveClass = inclusiveClass }
        if let disability {
            if disability.isEmpty { s.flags.disability = nil } else if let d = DisabilityType(rawValue: disability) {
                s.flags.disability = d
            } else {
                errors.append(FieldError(field: "disability", message: "残疾类别只能是" + DisabilityType.allCases.map(\.rawValue).joined(separator: "、") + "或留空"))
            }
        }
        if let poverty {
            if poverty.isEmpty { s.flags.poverty = nil } else if let p = PovertyStatus(rawValue: poverty) {
                s.flags.poverty = p
            } else {
                errors.append(FieldError(field: "poverty", message: "困难类别只能是" + PovertyStatus.allCases.map(\.rawValue).joined(separator: "、") + "或留空"))
            }
        }
        if s.flags.inclusiveClass && s.flags.disability == nil && errors.allSatisfy({ $0.field != "disability" }) {
            errors.append(FieldError(field: "inclusiveClass", message: "随班就读的学生须填写残疾类别"))
        }
        return errors.isEmpty ? .success(s) : .failure(FieldErrors(items: errors))
    }

    /// From the edit form: every field is present; an unchecked checkbox is absent and means "no".
    static func fromForm(_ form: FormData) -> Result<StudentEdit, FieldErrors> {
        let allowed = fieldNames.union(["_csrf"])
        let unknown = form.names.subtracting(allowed).sorted()
        if !unknown.isEmpty {
            return .failure(FieldErrors(items: unknown.map { FieldError(field: String($0.prefix(40)), message: "未知字段") }))
        }
        func flag(_ n: String) -> Bool { form[n] == "1" || form[n] == "on" }
        return .success(StudentEdit(
            name: form["name"] ?? "", ethnicity: form["ethnicity"] ?? "", hukouType: form["hukouType"] ?? "",
            leftBehind: flag("leftBehind"), migrantWorkerChild: flag("migrantWorkerChild"), boarding: flag("boarding"),
            inclusiveClass: flag("inclusiveClass"), disability: form["disability"] ?? "", poverty: form["poverty"] ?? ""))
    }

    /// From a JSON PATCH body: only the fields present change; unknown fields and wrong types
    /// are refused with one error per field.
    static func fromJSON(_ data: Data) -> Result<StudentEdit, FieldErrors> {
        guard case .object(let dict)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            return .failure(FieldErrors(items: [FieldError(field: "", message: "请求体不是有效的 JSON 对象")]))
        }
        // The document asks for at least one field (minProperties 1): an empty PATCH is a
        // client mistake, not a no-op to be answered with 200.
        if dict.isEmpty { return .failure(FieldErrors(items: [FieldError(field: "", message: "请求体至少须包含一个要修改的字段")])) }
        var edit = StudentEdit()
        var errors: [FieldError] = []
        for key in dict.keys.sorted() {
            let value = dict[key] ?? .null
            func string() -> String? {
                if case .string(let s) = value { return s }
                errors.append(FieldError(field: key, message: "应为字符串"))
                return nil
            }
            func optionalString() -> String? {
                if case .null = value { return "" }
                return string()
            }
            func bool() -> Bool? {
                if case .bool(let b) = value { return b }
                errors.append(FieldError(field: key, message: "应为 true 或 false"))
                return nil
            }
            switch key {
            case "name": edit.name = string()
            case "ethnicity": edit.ethnicity = string()
            case "hukouType": edit.hukouType = string()
            case "leftBehind": edit.leftBehind = bool()
            case "migrantWorkerChild": edit.migrantWorkerChild = bool()
            case "boarding": edit.boarding = bool()
            case "inclusiveClass": edit.inclusiveClass = bool()
            case "disability": edit.disability = optionalString()
            case "poverty": edit.poverty = optionalString()
            default: errors.append(FieldError(field: String(key.prefix(40)), message: "未知字段"))
            }
        }
        return errors.isEmpty ? .success(edit) : .failure(FieldErrors(items: errors))
    }
}

/// Field errors as one `Error`, for `Result`.
struct FieldErrors: Error, Sendable {
    var items: [FieldError]
}

/// Any JSON value, decoded without coercion: `true` is never a number, `1` never a boolean.
enum JSONValue: Decodable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }
}
