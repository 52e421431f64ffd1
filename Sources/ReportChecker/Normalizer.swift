/// Maps a report's characters one-for-one onto the forms the rules look for, so that character
/// offsets in the normalised text are offsets in the original. Full-width digits and signs become
/// ASCII, and the Traditional characters that the rules' keywords and units use become Simplified
/// (學→学, 萬→万, 總→总, 計→计, 個→个, 點→点, 數→数, 級→级 …). Characters outside the table pass
/// through unchanged, which is enough: rules compare keywords, and a Traditional report is
/// compared with itself.
enum Normalizer {
    static func normalize(_ c: Character) -> Character {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return c }
        let v = scalar.value
        if v >= 0xFF10 && v <= 0xFF19, let s = Unicode.Scalar(v - 0xFF10 + 0x30) { return Character(s) }
        switch c {
        case "％", "﹪": return "%"
        case "．": return "."
        case "（": return "("
        case "）": return ")"
        case "：": return ":"
        case "；": return ";"
        case "\u{3000}", "\u{00A0}", "\t": return " "
        case "―", "－", "—", "–", "～", "~": return "-"
        default: break
        }
        if v >= 0x3400, let mapped = traditional[c] { return mapped }
        return c
    }

    static func normalize(_ chars: [Character]) -> [Character] { chars.map(normalize) }

    /// Traditional → Simplified for the characters the rules need (units, keywords, stages,
    /// direction words, connectives). Built from one string of pairs so it stays readable.
    static let traditional: [Character: Character] = {
        let pairs = "學学萬万億亿總总計计個个點点數数級级區区縣县鄉乡鎮镇與与從从長长額额為为將将劃划預预確确爭争達达減减間间畝亩發发師师職职幹干員员課课園园訓训補补費费資资貧贫兒儿書书業业經经設设備备體体務务義义養养險险轉转難难開开關关規规條条項项頁页圖图館馆檢检處处維维穩稳協协調调們们這这時时進进優优質质錄录選选審审較较據据統统測测評评價价標标準准專专實实際际現现狀状況况報报導导領领執执貫贯徹彻觀观讓让並并產产參参歲岁齡龄輟辍鞏巩層层順顺顯显廣广東东畢毕隨随機机編编類类別别雙双兩两佔占餘余約约幾几擬拟畫画連连續续擴扩縮缩輪轮單单雜杂貼贴內内於于後后裡里裏里節节屆届臺台張张門门場场戶户隊队組组織织會会議议記记讀读請请認认證证試试題题問问頭头動动聽听舉举辦办對对應应該该當当遠远邊边過过還还號号賬账帳账稅税勞劳績绩傳传網网線线絕绝紀纪結结給给綜综緊紧創创勵励勢势華华圍围國国壓压夠够獎奖寫写屬属帶带幫帮廠厂廢废徑径復复態态戰战擔担擇择斷断極极構构樓楼樣样權权歡欢歷历殘残氣气沒没滿满漢汉無无營营獨独環环異异療疗監监盡尽礎础禮礼種种稱称窮穷範范築筑簡简糧粮納纳細细終终絡络綠绿繼继罰罚習习聯联脫脱興兴舊旧藝艺衛卫裝装製制複复見见視视親亲覺觉訂订許许話话語语說说談谈論论講讲識识護护變变貢贡責责財财賽赛購购趨趋軍军輔辅輕轻農农運运醫医錢钱閱阅離离電电風风飲饮驗验黨党齊齐龍龙億亿昇升陞升増增扣扣俱俱倆俩僅仅優优勻匀匯汇歸归溫温潤润澤泽濟济瀏浏攜携敘叙敗败縱纵績绩績绩鋪铺錯错鍵键隻只雖虽雲云靈灵響响頒颁頓顿頗颇頸颈顧顾飛飞飯饭館馆騰腾驚惊髮发鬥斗魯鲁鳳凤鳥鸟麥麦黃黄齒齿們们仟仟佈布係系倉仓僱雇儘尽優优兌兑週周學学"
        var table: [Character: Character] = [:]
        let chars = Array(pairs)
        var i = 0
        while i + 1 < chars.count {
            if chars[i] != chars[i + 1] { table[chars[i]] = chars[i + 1] }
            i += 2
        }
        return table
    }()
}

/// Character classes the scanners need.
enum CharClass {
    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
    static func isLatinLetter(_ c: Character) -> Bool { c.isASCII && c.isLetter }
    static func isCJK(_ c: Character) -> Bool {
        guard let s = c.unicodeScalars.first else { return false }
        let v = s.value
        return (v >= 0x4E00 && v <= 0x9FFF) || (v >= 0x3400 && v <= 0x4DBF) || v == 0x3007
    }
    /// Ends a sentence (the unit a finding quotes).
    static let sentenceEnd: Set<Character> = ["。", "！", "？", "!", "?"]
    /// Ends a clause inside a sentence.
    static let clauseEnd: Set<Character> = ["。", "！", "？", "!", "?", "，", ",", ";", "；"]
    /// Stops the words collected before or after a figure.
    static func isWordBreak(_ c: Character) -> Bool {
        if isCJK(c) { return false }
        return true
    }
    static let chineseDigits: [Character: Int] = [
        "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    static let chineseUnits: [Character: Int] = ["十": 10, "百": 100, "千": 1000]
    static func isChineseNumeral(_ c: Character) -> Bool {
        chineseDigits[c] != nil || chineseUnits[c] != nil || c == "万"
    }

    /// Value of a Chinese numeral such as 三, 十二, 二十三, 一百零五, 两千 (up to 9999); nil if malformed.
    static func chineseValue(_ chars: ArraySlice<Character>) -> Int? {
        guard !chars.isEmpty, chars.count <= 8 else { return nil }
        var total = 0
        var current = -1
        for c in chars {
            if let d = chineseDigits[c] {
                if current >= 0 && d != 0 { return nil }  // "三四" is not a number
                current = d
            } else if let u = chineseUnits[c] {
                let digit = current < 0 ? (u == 10 ? 1 : -1) : current
                guard digit >= 0 else { return nil }
                total += digit * u
                current = -1
            } else {
                return nil
            }
        }
        if current > 0 { total += current }
        return total
    }
}
