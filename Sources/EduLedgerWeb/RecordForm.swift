import EduLedgerCore
import Foundation

/// One field of an edit form as the shared `record_edit` template draws it: label, value, the
/// control, and the inline error in Chinese. The school, class, staff and account forms are
/// all lists of these, so they look and behave alike (and errors appear beside the field).
struct FormField: Sendable {
    var name: String
    var label: String
    var value: String = ""
    var hint: String?
    var error: String?
    var options: [Option] = []
    var checked: Bool = false
    var required: Bool = false
    var maxLength: Int = 100
    // One flag per control kind, because mustache has no comparison.
    var isText = false
    var isSelect = false
    var isCheckbox = false
    var isDate = false
    var isPassword = false

    static func text(_ name: String, _ label: String, _ value: String, required: Bool = false, maxLength: Int = 100,
                     hint: String? = nil) -> FormField {
        FormField(name: name, label: label, value: value, hint: hint, required: required, maxLength: maxLength, isText: true)
    }

    static func date(_ name: String, _ label: String, _ value: CivilDate?, hint: String? = nil) -> FormField {
        FormField(name: name, label: label, value: value?.description ?? "", hint: hint, maxLength: 10, isDate: true)
    }

    static func password(_ name: String, _ label: String, hint: String? = nil) -> FormField {
        FormField(name: name, label: label, hint: hint, required: true, maxLength: 128, isPassword: true)
    }

    static func select(_ name: String, _ label: String, _ options: [Option], hint: String? = nil) -> FormField {
        FormField(name: name, label: label, value: options.first(where: \.selected)?.value ?? "", hint: hint, options: options,
                  isSelect: true)
    }

    /// A select over an enumeration's raw values, with `selected` chosen.
    static func choice<E: RawRepresentable & CaseIterable>(_ name: String, _ label: String, _ selected: E?,
                                                           allowEmpty: String? = nil) -> FormField where E.RawValue == String {
        var options = E.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == selected?.rawValue) }
        if let allowEmpty { options.insert(Option(value: "", label: allowEmpty, selected: selected == nil), at: 0) }
        return select(name, label, options)
    }

    static func checkbox(_ name: String, _ label: String, _ checked: Bool) -> FormField {
        FormField(name: name, label: label, value: "1", checked: checked, isCheckbox: true)
    }
}

/// A whole edit form page.
struct RecordFormPage: Sendable {
    struct Crumb: Sendable { var href: String; var label: String }
    var crumbs: [Crumb]
    var heading: String
    var note: String?
    var action: String
    var cancelHref: String
    var submitLabel: String = "保存"
    var fields: [FormField]
    var formError: String?
    var hasErrors: Bool = false

    /// Puts each error beside its field; errors about fields the form does not show (an
    /// unknown field, a rule spanning several fields) go to the banner at the top.
    mutating func attach(_ errors: [FieldError], formError: String? = nil) {
        var general = [formError].compactMap { $0 }
        for e in errors {
            if let i = fields.firstIndex(where: { $0.name == e.field }) {
                fields[i].error = fields[i].error.map { $0 + "；" + e.message } ?? e.message
            } else {
                general.append(e.field.isEmpty ? e.message : "\(e.field)：\(e.message)")
            }
        }
        self.formError = general.isEmpty ? nil : general.joined(separator: "；")
        hasErrors = !errors.isEmpty || formError != nil
    }
}

/// Reads a submitted form strictly: unknown fields are errors (a form never sends them), text
/// is trimmed and length-checked, enumerations must be one of their values, dates must exist.
/// Every problem is collected, so the user sees all of them at once.
struct FormReader {
    let form: FormData
    private(set) var errors: [FieldError] = []

    init(_ form: FormData, allowed: Set<String>) {
        self.form = form
        for name in form.names.subtracting(allowed.union(["_csrf"])).sorted() {
            errors.append(FieldError(field: String(name.prefix(40)), message: "未知字段"))
        }
    }

    mutating func fail(_ field: String, _ message: String) { errors.append(FieldError(field: field, message: message)) }

    /// Trimmed text; refuses control characters and markup characters, which no name or
    /// address needs and which are the first step of an injection.
    mutating func text(_ name: String, label: String, required: Bool, maxLength: Int) -> String {
        let t = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty {
            if required { fail(name, "\(label)为必填项") }
            return ""
        }
        if t.count > maxLength { fail(name, "\(label)不能超过\(maxLength)个字"); return String(t.prefix(maxLength)) }
        if t.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || "<>\"&;".unicodeScalars.contains($0) }) {
            fail(name, "\(label)含有不允许的字符（如 < > \" & ; 或控制字符）")
        }
        return t
    }

    mutating func choice<E: RawRepresentable & CaseIterable>(_ name: String, label: String, _ type: E.Type) -> E? where E.RawValue == String {
        let raw = form[name] ?? ""
        if let v = E(rawValue: raw) { return v }
        fail(name, "\(label)只能是" + E.allCases.map(\.rawValue).joined(separator: "、"))
        return nil
    }

    mutating func optionalDate(_ name: String, label: String) -> CivilDate? {
        let raw = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
        if raw.isEmpty { return nil }
        guard let d = CivilDate(iso: raw) else {
            fail(name, "\(label)“\(raw.prefix(20))”不是有效日期（格式：2025-09-01）")
            return nil
        }
        return d
    }

    func flag(_ name: String) -> Bool { form[name] == "1" || form[name] == "on" }

    /// An id chosen from a select; "" is none.
    mutating func optionalID(_ name: String, label: String) -> Int64? {
        let raw = form[name] ?? ""
        if raw.isEmpty { return nil }
        guard let id = Int64(raw), id > 0 else { fail(name, "\(label)的选择无效"); return nil }
        return id
    }
}
