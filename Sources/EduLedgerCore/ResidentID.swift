/// 居民身份证号 — the 18-character resident identity number of the PRC (GB 11643-1999).
///
/// Layout: 6-digit region code (行政区划代码), 8-digit birth date (YYYYMMDD), 3-digit sequence
/// (顺序码; its last digit is odd for men, even for women) and a check character computed with
/// ISO 7064 MOD 11-2 over the first 17 digits.
///
/// A value of this type has passed every check that the number alone allows, so code that holds
/// a `ResidentID` never re-validates it. Checks that need other facts (the declared gender, a
/// reference date) are separate methods, because the same number is valid on its own and only
/// wrong *for a record*.
///
/// The 15-digit numbers issued before 1999 are no longer valid identity documents and are
/// rejected with the length error; a clerk must enter the 18-digit number.
public struct ResidentID: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The normalised number: 18 ASCII characters, digits with an upper-case `X` at most in the last place.
    public let value: String
    /// The birth date encoded in characters 7–14.
    public let birthDate: CivilDate

    /// Parses and validates a number as a clerk typed or a spreadsheet holds it.
    ///
    /// Surrounding whitespace (including the full-width space `U+3000` and no-break space that
    /// spreadsheets carry) is removed and a lower-case `x` is accepted as `X`; nothing else is
    /// forgiven.
    public init(_ text: String) throws(ResidentIDError) {
        var start = 0
        if let error = ResidentID.scan(text, start: &start) { throw error }
        var bytes = Array(text.utf8.dropFirst(start).prefix(18))
        if bytes[17] == UInt8(ascii: "x") { bytes[17] = UInt8(ascii: "X") }
        func number(_ range: Range<Int>) -> Int {
            range.reduce(0) { $0 * 10 + Int(bytes[$1] - 48) }
        }
        // `scan` has proved that the date exists and is not before 1900.
        let date = CivilDate(year: number(6..<10), month: number(10..<12), day: number(12..<14))
            ?? CivilDate(dayNumber: 0)
        let value = String(decoding: bytes, as: UTF8.self)
        self.value = value
        self.birthDate = date
    }

    /// Checks a number without building a `ResidentID`: `nil` when it is valid, else the first
    /// failure in the order empty → length → characters → region → birth date → check character.
    ///
    /// Bulk imports call this for every row, so it works on the UTF-8 bytes in place and does not
    /// allocate on the valid path. It accepts exactly what `init(_:)` accepts.
    public static func validate(_ text: String) -> ResidentIDError? {
        var start = 0
        return scan(text, start: &start)
    }

    /// Builds the number for the given parts, computing the check character.
    ///
    /// Returns `nil` when a part cannot appear in a valid number: a region code that is not six
    /// digits of a real province, a birth date before 1900, or a sequence outside 0...999.
    /// The demo district generator uses it to produce realistic numbers.
    public static func make(regionCode: String, birthDate: CivilDate, sequence: Int) -> ResidentID? {
        guard regionCode.utf8.count == 6, regionCode.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              (0...999).contains(sequence), (1900...9999).contains(birthDate.year) else { return nil }
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let body = regionCode + pad(birthDate.year, 4) + pad(birthDate.month, 2) + pad(birthDate.day, 2)
            + pad(sequence, 3)
        var sum = 0
        for (i, b) in body.utf8.enumerated() { sum += Int(b - 48) * weights[i] }
        let check = Character(Unicode.Scalar(checkCharacters[sum % 11]))
        return try? ResidentID(body + String(check))
    }

    // MARK: Parts

    /// 行政区划代码 — the six-digit region code of the issuing county.
    public var regionCode: String { String(value.prefix(6)) }
    /// The two-digit province-level code (11 = 北京 … 65 = 新疆, 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证).
    public var provinceCode: String { String(value.prefix(2)) }
    /// 顺序码 — the three digits after the birth date.
    public var sequence: String { String(value.dropFirst(14).prefix(3)) }
    /// The check character, `0`–`9` or `X`.
    public var checkCharacter: Character { value.last ?? "0" }
    /// The gender encoded by the 17th digit: odd = 男, even = 女.
    public var gender: Gender {
        let digit = value.utf8[value.utf8.index(value.utf8.startIndex, offsetBy: 16)] - 48
        return digit % 2 == 1 ? .male : .female
    }

    /// The number with the birth date and sequence hidden (`110105********123X`), as public
    /// lists (lottery results, disclosures) print it.
    public var masked: String { String(value.prefix(6)) + "********" + String(value.suffix(4)) }

    public var description: String { value }

    // MARK: Checks against a record

    /// Throws `.genderMismatch` when the number's gender digit disagrees with the declared gender.
    public func check(gender declared: Gender) throws(ResidentIDError) {
        if declared != gender { throw .genderMismatch(declared: declared, encoded: gender) }
    }

    /// Throws `.bornAfter` when the encoded birth date is later than `reference` (typically today
    /// or the statistics reference date): such a person cannot exist yet.
    public func check(bornOnOrBefore reference: CivilDate) throws(ResidentIDError) {
        if birthDate > reference { throw .bornAfter(birthDate: birthDate, reference: reference) }
    }

    // MARK: Codable — a JSON string, validated on decoding

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    // MARK: The scanner shared by `init` and `validate`

    /// ISO 7064 MOD 11-2 weights for positions 1…17 (2^(18−i) mod 11).
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check character for each remainder of the weighted sum mod 11.
    static let checkCharacters: [UInt8] = Array("10X98765432".utf8)

    /// Province-level codes of GB/T 2260 plus 71 (台湾), 81 (香港), 82 (澳门) and 83 (the
    /// residence permits of 台湾 residents).
    @inline(__always)
    static func isProvince(_ code: Int) -> Bool {
        switch code {
        case 11...15, 21...23, 31...37, 41...46, 50...54, 61...65, 71, 81, 82, 83: return true
        default: return false
        }
    }

    /// Whitespace removed around a number: ASCII blanks and line breaks, U+00A0 and U+3000.
    static func isTrimmable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x3000: return true
        default: return false
        }
    }

    /// Validates `text`; on success sets `start` to the UTF-8 offset of the first of the 18 bytes.
    static func scan(_ text: String, start: inout Int) -> ResidentIDError? {
        var text = text
        let result = text.withUTF8 { bytes -> (ResidentIDError?, Int)? in
            scanBytes(bytes)
        }
        if let (error, offset) = result {
            start = offset
            return error
        }
        return slowError(text)
    }

    /// The fast path over the bytes. Returns `nil` when the number is not 18 ASCII characters
    /// after trimming, so that `slowError` can describe it in characters rather than bytes.
    @inline(__always)
    static func scanBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> (ResidentIDError?, Int)? {
        var lo = 0
        var hi = bytes.count
        // Trim ASCII blanks, U+00A0 (C2 A0) and U+3000 (E3 80 80) at both ends.
        while lo < hi {
            let b = bytes[lo]
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) { lo += 1 }
            else if b == 0xC2, lo + 1 < hi, bytes[lo + 1] == 0xA0 { lo += 2 }
            else if b == 0xE3, lo + 2 < hi, bytes[lo + 1] == 0x80, bytes[lo + 2] == 0x80 { lo += 3 }
            else { break }
        }
        while hi > lo {
            let b = bytes[hi - 1]
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) { hi -= 1 }
            else if b == 0xA0, hi - 2 >= lo, bytes[hi - 2] == 0xC2 { hi -= 2 }
            else if b == 0x80, hi - 3 >= lo, bytes[hi - 2] == 0x80, bytes[hi - 3] == 0xE3 { hi -= 3 }
            else { break }
        }
        if lo == hi { return (.empty, lo) }
        guard hi - lo == 18 else { return nil }
        let p = UnsafeBufferPointer(rebasing: bytes[lo..<hi])

        var sum = 0
        for i in 0..<17 {
            let d = p[i] &- 48
            guard d <= 9 else {
                if p[i] >= 0x80 { return nil }
                return (.invalidCharacter(position: i + 1, found: Character(Unicode.Scalar(p[i]))), lo)
            }
            sum &+= Int(d) &* weights[i]
        }
        let last = p[17]
        guard (last >= 48 && last <= 57) || last == UInt8(ascii: "X") || last == UInt8(ascii: "x") else {
            if last >= 0x80 { return nil }
            return (.invalidCharacter(position: 18, found: Character(Unicode.Scalar(last))), lo)
        }

        @inline(__always) func digit(_ i: Int) -> Int { Int(p[i] &- 48) }
        let province = digit(0) * 10 + digit(1)
        guard isProvince(province) else {
            return (.unknownProvince(code: String(decoding: UnsafeBufferPointer(rebasing: p[0..<2]), as: UTF8.self)), lo)
        }

        let year = digit(6) * 1000 + digit(7) * 100 + digit(8) * 10 + digit(9)
        let month = digit(10) * 10 + digit(11)
        let day = digit(12) * 10 + digit(13)
        guard year >= 1, month >= 1, month <= 12, day >= 1, day <= CivilDate.daysIn(month: month, year: year) else {
            return (.nonexistentBirthDate(String(decoding: UnsafeBufferPointer(rebasing: p[6..<14]), as: UTF8.self)), lo)
        }
        guard year >= 1900 else {
            return (.birthDateBefore1900(CivilDate(year: year, month: month, day: day) ?? CivilDate(dayNumber: 0)), lo)
        }

        let expected = checkCharacters[sum % 11]
        let found = last == UInt8(ascii: "x") ? UInt8(ascii: "X") : last
        guard expected == found else {
            return (.checkCharacterMismatch(expected: Character(Unicode.Scalar(expected)),
                                            found: Character(Unicode.Scalar(found))), lo)
        }
        return (nil, lo)
    }

    /// Describes a number that is not 18 ASCII characters, counting user-visible characters.
    static func slowError(_ text: String) -> ResidentIDError {
        var chars = Substring(text)
        while let first = chars.first, first.unicodeScalars.allSatisfy(isTrimmable) { chars = chars.dropFirst() }
        while let last = chars.last, last.unicodeScalars.allSatisfy(isTrimmable) { chars = chars.dropLast() }
        if chars.isEmpty { return .empty }
        guard chars.count == 18 else { return .wrongLength(found: chars.count) }
        for (i, ch) in chars.enumerated() {
            let ok = ch.isASCII && (ch.isWholeNumber || (i == 17 && (ch == "X" || ch == "x")))
            if !ok { return .invalidCharacter(position: i + 1, found: ch) }
        }
        // Unreachable: 18 characters that are all ASCII would have taken the fast path.
        return .wrongLength(found: chars.count)
    }
}

/// Why a resident ID number is not acceptable. Each case has a stable `code` and a Chinese
/// `message` that says what was found and what is expected.
public enum ResidentIDError: UserFacingError, Equatable {
    /// Nothing (or only blanks) was entered.
    case empty
    /// Not 18 characters after trimming; `found` counts characters as a person sees them.
    case wrongLength(found: Int)
    /// The character at 1-based `position` is not allowed there (only the 18th may be `X`).
    case invalidCharacter(position: Int, found: Character)
    /// The first two digits are no province-level region code.
    case unknownProvince(code: String)
    /// Characters 7–14 (`yyyyMMdd`) are no real date, e.g. `20230230`.
    case nonexistentBirthDate(String)
    /// The encoded birth date is before 1900.
    case birthDateBefore1900(CivilDate)
    /// The check character does not match the first 17 digits.
    case checkCharacterMismatch(expected: Character, found: Character)
    /// The gender digit disagrees with the gender declared on the record.
    case genderMismatch(declared: Gender, encoded: Gender)
    /// The encoded birth date is after the reference date it was checked against.
    case bornAfter(birthDate: CivilDate, reference: CivilDate)

    public var code: String {
        switch self {
        case .empty: "resident_id.empty"
        case .wrongLength: "resident_id.length"
        case .invalidCharacter: "resident_id.character"
        case .unknownProvince: "resident_id.region"
        case .nonexistentBirthDate: "resident_id.birth_date"
        case .birthDateBefore1900: "resident_id.birth_date_before_1900"
        case .checkCharacterMismatch: "resident_id.check_character"
        case .genderMismatch: "resident_id.gender_mismatch"
        case .bornAfter: "resident_id.born_after_reference"
        }
    }

    public var message: String {
        switch self {
        case .empty:
            return "居民身份证号未填写，请填写18位居民身份证号"
        case .wrongLength(let found):
            let legacy = found == 15 ? "；15位的旧身份证号已停止使用，请填写18位号码" : ""
            return "居民身份证号应为18位，实际为\(found)位\(legacy)"
        case .invalidCharacter(let position, let found):
            let rule = position == 18 ? "第18位只能是数字或X" : "前17位只能是数字，只有第18位可以是X"
            return "居民身份证号第\(position)位“\(found)”无效：\(rule)"
        case .unknownProvince(let code):
            return "居民身份证号前两位“\(code)”不是有效的省级行政区划代码"
        case .nonexistentBirthDate(let text):
            return "居民身份证号第7至14位的出生日期“\(text)”不是真实存在的日期"
        case .birthDateBefore1900(let date):
            return "居民身份证号中的出生日期\(date.chinese)早于1900年，不是有效号码"
        case .checkCharacterMismatch(let expected, let found):
            return "居民身份证号校验位不符：按前17位计算第18位应为“\(expected)”，实际为“\(found)”，请核对号码是否抄错"
        case .genderMismatch(let declared, let encoded):
            return "居民身份证号第17位表示性别为“\(encoded.rawValue)”，与填写的性别“\(declared.rawValue)”不一致"
        case .bornAfter(let birthDate, let reference):
            return "居民身份证号中的出生日期\(birthDate.chinese)晚于\(reference.chinese)，不可能有效"
        }
    }
}
