import EduLedgerCore

/// Name material for the demo district. Surname weights follow the order and rough shares of
/// the 2020 census (王 李 张 刘 陈 … together about 70% of the population in the first 100);
/// given names are drawn per generation and gender, so some names recur, as they do in a
/// real school.
enum DemoNames {
    /// Surname and its weight (per 10 000 people, rounded).
    static let surnames = WeightedTable<String>([
        ("王", 710), ("李", 700), ("张", 670), ("刘", 540), ("陈", 460), ("杨", 310), ("黄", 260),
        ("赵", 230), ("吴", 200), ("周", 190), ("徐", 140), ("孙", 140), ("马", 130), ("朱", 130),
        ("胡", 120), ("郭", 120), ("何", 100), ("高", 100), ("林", 98), ("罗", 95), ("郑", 93),
        ("梁", 90), ("谢", 80), ("宋", 70), ("唐", 70), ("许", 60), ("韩", 60), ("冯", 60), ("邓", 60),
        ("曹", 55), ("彭", 55), ("曾", 50), ("肖", 50), ("田", 50), ("董", 50), ("袁", 45), ("潘", 45),
        ("于", 45), ("蒋", 45), ("蔡", 45), ("余", 45), ("杜", 40), ("叶", 40), ("程", 40), ("苏", 38),
        ("魏", 37), ("吕", 36), ("丁", 35), ("任", 34), ("沈", 33), ("姚", 32), ("卢", 31), ("姜", 30),
        ("崔", 30), ("钟", 30), ("谭", 29), ("陆", 28), ("汪", 28), ("范", 27), ("金", 27), ("石", 26),
        ("廖", 26), ("贾", 25), ("夏", 25), ("韦", 25), ("付", 24), ("方", 24), ("白", 23), ("邹", 23),
        ("孟", 22), ("熊", 22), ("秦", 21), ("邱", 21), ("江", 21), ("尹", 20), ("薛", 20), ("闫", 20),
        ("段", 19), ("雷", 19), ("侯", 18), ("龙", 18), ("史", 17), ("陶", 17), ("黎", 17), ("贺", 16),
        ("顾", 16), ("毛", 16), ("郝", 15), ("龚", 15), ("邵", 15), ("万", 14), ("钱", 14), ("严", 14),
        ("覃", 13), ("武", 13), ("戴", 13), ("莫", 12), ("孔", 12), ("向", 12), ("汤", 12), ("欧阳", 6),
        ("司马", 1), ("诸葛", 1),
    ])

    // Characters of given names of children born after 2005.
    static let boyChars: [String] = Array("浩宇轩子俊杰博文明鑫磊涛晨阳睿泽昊然天一辰宏伟强鹏志豪航凯哲翔瑞嘉铭煜奕梓恒毅彬林峰飞旭亮超诚康乐安锦宸逸霖钧皓楷").map(String.init)
    static let girlChars: [String] = Array("欣怡梓涵诗雨子萱思佳琪雅婷悦晴静雪颖嘉可馨妍慧琳瑶晨若一语紫依菲彤蕾露丹梦月玥婉心宁芸璐茜洁蓉欢甜").map(String.init)
    // Characters of given names of adults born before 1985.
    static let manChars: [String] = Array("建国华军强平明伟勇志林斌涛刚海东波文辉春峰成德利新永光良学红").map(String.init)
    static let womanChars: [String] = Array("丽红芳燕霞玲英梅华琴娟萍艳敏静秀桂兰凤莉玉珍晓春艳慧芬").map(String.init)

    /// A full name: surname and a given name of one (about a fifth) or two characters.
    static func person(_ rng: inout DemoRandom, gender: Gender, bornBefore1985: Bool, surname: String? = nil) -> String {
        let family = surname ?? surnames.draw(&rng)
        let pool: [String]
        switch (gender, bornBefore1985) {
        case (.male, false): pool = boyChars
        case (.female, false): pool = girlChars
        case (.male, true): pool = manChars
        case (.female, true): pool = womanChars
        }
        if rng.percent(20) { return family + rng.pick(pool) }
        let first = rng.pick(pool)
        var second = rng.pick(pool)
        if second == first, rng.percent(70) { second = rng.pick(pool) }
        return family + first + second
    }

    /// 民族 with weights per 1 000 (a district in the south-centre: a few 土家族, 苗族, 瑶族 …).
    static let ethnicities = WeightedTable<String>([
        ("汉族", 960), ("土家族", 15), ("苗族", 12), ("瑶族", 6), ("侗族", 3), ("回族", 2), ("壮族", 2),
    ])

    // Place-name syllables: two of them make a plausible town or village name (石门, 白沙, 龙泉 …).
    static let placeFirst: [String] = Array("石白黄龙青桃新高梅永长金马云双茶杨枫清东西南大太平安花柳竹").map(String.init)
    static let placeSecond: [String] = Array("门沙田泉山桥峰溪乐园塘坪湾口洲江河林岭冲铺市坝港渡水湖岗庙坡").map(String.init)
    /// Surnames that give village names (李家村, 王家村 …).
    static let villageSurnames: [String] = Array("王李张刘陈杨黄赵吴周徐孙朱胡郭何罗郑谢唐邓曾彭谭").map(String.init)
    static let roads: [String] = ["人民路", "解放路", "建设路", "中山路", "学府路", "文化路", "新华路", "育才路",
                                  "和平路", "青年路", "滨河路", "迎宾路"]

    /// Every two-syllable place name, in a seeded order (so each seed gives other towns).
    static func shuffledPlaceNames(_ rng: inout DemoRandom) -> [String] {
        var names: [String] = []
        for a in placeFirst {
            for b in placeSecond where a != b { names.append(a + b) }
        }
        for i in stride(from: names.count - 1, to: 0, by: -1) {
            names.swapAt(i, rng.below(i + 1))
        }
        return names
    }
}
