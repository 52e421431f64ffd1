import Foundation
import Testing
@testable import EduLedgerCore

@Suite("居民身份证号 ResidentID")
struct ResidentIDTests {
    private func date(_ iso: String) throws -> CivilDate { try #require(CivilDate(iso: iso)) }

    /// The worked example printed in GB 11643-1999 itself.
    @Test func standardExampleCheckCharacterIsX() throws {
        let id = try #require(ResidentID.make(regionCode: "110105", birthDate: try date("1949-12-31"), sequence: 2))
        #expect(id.value == "11010519491231002X")
        #expect(id.regionCode == "110105")
        #expect(id.provinceCode == "11")
        #expect(id.birthDate == (try date("1949-12-31")))
        #expect(id.sequence == "002")
        #expect(id.checkCharacter == "X")
        #expect(id.gender == .female)
        #expect(id.description == "11010519491231002X")
        #expect(id.masked == "110105********002X")
    }

    @Test func realShapeNumbersRoundTrip() throws {
        let cases: [(String, String, Int, Gender)] = [
            ("320106", "2012-09-01", 135, .male),     // 南京鼓楼
            ("510104", "2016-02-29", 244, .female),   // 成都锦江, leap day
            ("650102", "1978-06-30", 1, .male),       // 乌鲁木齐
            ("810000", "2010-01-01", 998, .female),   // 香港: "0000" beyond the province is allowed
            ("830000", "2001-11-11", 17, .male),      // 台湾居民居住证
        ]
        for (region, birth, sequence, gender) in cases {
            let made = try #require(ResidentID.make(regionCode: region, birthDate: try date(birth), sequence: sequence))
            #expect(ResidentID.validate(made.value) == nil)
            let parsed = try ResidentID(made.value)
            #expect(parsed == made)
            #expect(parsed.regionCode == region)
            #expect(parsed.birthDate == (try date(birth)))
            #expect(Int(parsed.sequence) == sequence)
            #expect(parsed.gender == gender)
            try parsed.check(gender: gender)
        }
    }

    /// Every remainder 0…10 occurs, so every check character is exercised, including X.
    @Test func makeCoversAllCheckCharacters() throws {
        var seen = Set<Character>()
        for sequence in 0..<200 {
            let id = try #require(ResidentID.make(regionCode: "420102", birthDate: try date("2005-03-17"), sequence: sequence))
            seen.insert(id.checkCharacter)
            // Independent recomputation of ISO 7064 MOD 11-2: Σ aᵢ·2^(18−i) + check ≡ 1 (mod 11).
            var sum = 0
            for (i, ch) in id.value.enumerated() {
                let v = ch == "X" ? 10 : Int(String(ch)) ?? -100
                var w = 1
                for _ in 0..<(17 - i) { w = w * 2 % 11 }
                sum += v * w
            }
            #expect(sum % 11 == 1, "\(id.value)")
        }
        #expect(seen.count == 11)
    }

    @Test func lowercaseXAndWhitespaceAreNormalised() throws {
        let id = try ResidentID("  11010519491231002x\u{3000}\n")
        #expect(id.value == "11010519491231002X")
        #expect(ResidentID.validate("\u{00A0}11010519491231002x ") == nil)
    }

    @Test func empty() {
        #expect(ResidentID.validate("") == .empty)
        #expect(ResidentID.validate(" \t\u{3000}") == .empty)
        #expect(throws: ResidentIDError.empty) { try ResidentID("") }
        #expect(ResidentIDError.empty.code == "resident_id.empty")
    }

    @Test func legacyFifteenDigitNumberIsRejectedByLength() {
        let error = ResidentID.validate("110105491231002")
        #expect(error == .wrongLength(found: 15))
        #expect(error?.code == "resident_id.length")
        #expect(error?.message.contains("实际为15位") == true)
        #expect(error?.message.contains("18位") == true)
        #expect(ResidentID.validate("11010519491231002X1") == .wrongLength(found: 19))
    }

    @Test func lengthCountsCharactersNotBytes() {
        // 17 digits and a full-width X: 18 characters, but the last is not allowed.
        #expect(ResidentID.validate("11010519491231002Ｘ") == .invalidCharacter(position: 18, found: "Ｘ"))
        #expect(ResidentID.validate("110105一九四九1231002X") == .invalidCharacter(position: 7, found: "一"))
        #expect(ResidentID.validate("身份证") == .wrongLength(found: 3))
    }

    @Test func invalidCharacterNamesThePosition() {
        let error = ResidentID.validate("1101051949X231002X")
        #expect(error == .invalidCharacter(position: 11, found: "X"))
        #expect(error?.code == "resident_id.character")
        #expect(error?.message == "居民身份证号第11位“X”无效：前17位只能是数字，只有第18位可以是X")
        #expect(ResidentID.validate("11010519491231002Y") == .invalidCharacter(position: 18, found: "Y"))
        #expect(ResidentID.validate("110105 19491231002") == .invalidCharacter(position: 7, found: " "))
        #expect(ResidentID.validate("110105１9491231002X") == .invalidCharacter(position: 7, found: "１"))
    }

    @Test func unknownProvince() throws {
        for prefix in ["00", "10", "16", "20", "24", "38", "47", "55", "60", "66", "72", "80", "84", "99"] {
            let text = prefix + "010519491231002X"
            #expect(ResidentID.validate(text) == .unknownProvince(code: prefix), "\(prefix)")
        }
        for prefix in ["11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82", "83"] {
            #expect(ResidentID.make(regionCode: prefix + "0101", birthDate: try date("2000-01-01"), sequence: 1) != nil, "\(prefix)")
        }
        #expect(ResidentIDError.unknownProvince(code: "99").code == "resident_id.region")
        #expect(ResidentID.make(regionCode: "990101", birthDate: try date("2000-01-01"), sequence: 1) == nil)
    }

    @Test func nonexistentBirthDate() {
        let error = ResidentID.validate("110105202302300013")
        #expect(error == .nonexistentBirthDate("20230230"))
        #expect(error?.code == "resident_id.birth_date")
        #expect(error?.message.contains("20230230") == true)
        #expect(ResidentID.validate("110105202313010013") == .nonexistentBirthDate("20231301"))
        #expect(ResidentID.validate("110105202300010013") == .nonexistentBirthDate("20230001"))
        #expect(ResidentID.validate("110105190002290013") == .nonexistentBirthDate("19000229"))  // 1900 is no leap year
    }

    @Test func birthDateBefore1900() throws {
        // The second worked example of GB 11643-1999 (born 1880): its check character is right,
        // but nobody born before 1900 is still a student or staff member.
        let error = ResidentID.validate("440524188001010014")
        #expect(error == .birthDateBefore1900(try date("1880-01-01")))
        #expect(error?.code == "resident_id.birth_date_before_1900")
        #expect(ResidentID.make(regionCode: "440524", birthDate: try date("1899-12-31"), sequence: 1) == nil)
        #expect(ResidentID.make(regionCode: "440524", birthDate: try date("1900-01-01"), sequence: 1) != nil)
    }

    @Test func checkCharacterMismatchSaysExpectedAndFound() {
        let error = ResidentID.validate("110105194912310021")
        #expect(error == .checkCharacterMismatch(expected: "X", found: "1"))
        #expect(error?.code == "resident_id.check_character")
        #expect(error?.message.contains("应为“X”") == true)
        #expect(error?.message.contains("实际为“1”") == true)
        // A sequence digit mistyped: weight 4 at position 16 moves the remainder from 2 to 6.
        #expect(ResidentID.validate("11010519491231012X") == .checkCharacterMismatch(expected: "6", found: "X"))
        // Every single mistyped digit is caught (MOD 11-2 detects all single substitutions).
        let valid = Array("11010519491231002X")
        for position in 0..<17 {
            for digit in "0123456789" where digit != valid[position] {
                var typo = valid
                typo[position] = digit
                #expect(ResidentID.validate(String(typo)) != nil, "\(String(typo))")
            }
        }
        #expect(throws: ResidentIDError.checkCharacterMismatch(expected: "X", found: "1")) {
            try ResidentID("110105194912310021")
        }
    }

    @Test func genderCheck() throws {
        let female = try ResidentID("11010519491231002X")
        try female.check(gender: .female)
        #expect(throws: ResidentIDError.genderMismatch(declared: .male, encoded: .female)) {
            try female.check(gender: .male)
        }
        let error = ResidentIDError.genderMismatch(declared: .male, encoded: .female)
        #expect(error.code == "resident_id.gender_mismatch")
        #expect(error.message == "居民身份证号第17位表示性别为“女”，与填写的性别“男”不一致")
    }

    @Test func bornAfterReferenceDate() throws {
        let id = try #require(ResidentID.make(regionCode: "320106", birthDate: try date("2025-09-02"), sequence: 11))
        try id.check(bornOnOrBefore: try date("2025-09-02"))
        #expect(throws: ResidentIDError.bornAfter(birthDate: try date("2025-09-02"), reference: try date("2025-09-01"))) {
            try id.check(bornOnOrBefore: try date("2025-09-01"))
        }
        let error = ResidentIDError.bornAfter(birthDate: try date("2025-09-02"), reference: try date("2025-09-01"))
        #expect(error.code == "resident_id.born_after_reference")
        #expect(error.message.contains("2025年9月2日"))
    }

    @Test func everyErrorHasItsOwnCode() throws {
        let errors: [ResidentIDError] = [
            .empty, .wrongLength(found: 15), .invalidCharacter(position: 1, found: "a"), .unknownProvince(code: "99"),
            .nonexistentBirthDate("20230230"), .birthDateBefore1900(try date("1880-01-01")),
            .checkCharacterMismatch(expected: "1", found: "2"), .genderMismatch(declared: .male, encoded: .female),
            .bornAfter(birthDate: try date("2025-01-02"), reference: try date("2025-01-01")),
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
        for error in errors {
            #expect(error.message.hasPrefix("居民身份证号"))
            #expect(error.description == error.message)
        }
    }

    @Test func validateAgreesWithInit() throws {
        let samples = [
            "11010519491231002X", "11010519491231002x", "110105194912310021", "440524188001010014",
            "110105202302300013", "", "  ", "12345", "99010519491231002X", "11010519491231002X\u{3000}",
        ]
        for text in samples {
            let viaValidate = ResidentID.validate(text)
            do {
                _ = try ResidentID(text)
                #expect(viaValidate == nil, "\(text)")
            } catch {
                #expect(viaValidate == error, "\(text)")
            }
        }
    }

    @Test func codableAsStringAndValidatedOnDecode() throws {
        let id = try ResidentID("11010519491231002X")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["11010519491231002X"]"#)
        #expect(try JSONDecoder().decode([ResidentID].self, from: data) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ResidentID].self, from: Data(#"["110105194912310021"]"#.utf8))
        }
    }
}
