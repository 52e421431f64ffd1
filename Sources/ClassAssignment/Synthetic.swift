/// Deterministic synthetic intakes shaped like a real grade-7 roster, for tests and benchmarks:
/// scores ~ Normal(75, 12) in half points on 0–150, gender 50/50, flags 留守 15 %, 住校 30 %,
/// 随班就读 2 %, 随迁 10 %, about 1 % of students in twin pairs (together) and 0.5 % in pairs
/// with identical names (apart).
public enum SyntheticRoster {
    public static let flagColumns = ["留守", "住校", "随班就读", "随迁"]
    static let flagPerMille = [150, 300, 20, 100]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let given = Array("子涵欣怡梓轩浩宇雨萱一诺思远嘉怡俊杰佳琪宇航明轩晨曦博文雅婷志强欣然梓涵诗琪宏伟")

    /// Builds `count` students. Random draws, in this order for each student i = 0, 1, …:
    /// 12 × next() for the score, uniform(2) gender, uniform(1000) per flag, surname
    /// uniform(surnames), given-name length uniform(2)+1 and a uniform(given) per character,
    /// uniform(1000) < 10 starts a twin pair with i+1 (when i+1 exists and is free), and
    /// uniform(1000) < 5 marks a same-name pair with student uniform(count).
    public static func make(count: Int, seed: String) -> Roster {
        var random = DrawRandom(seed: seed, purpose: "synthetic")
        var students: [Student] = []
        students.reserveCapacity(count)
        for i in 0..<count {
            // Irwin–Hall: 12 uniform 32-bit values minus 6 has mean 0 and SD 1 (in 2^-32 units).
            var z: Int = 0
            for _ in 0..<12 { z += Int(random.next() >> 32) }
            z -= 6 << 32
            var halfPoints = 150 + ((24 * z + (1 << 31)) >> 32)
            halfPoints = min(300, max(0, halfPoints))
            let gender: Gender = random.uniform(2) == 0 ? .male : .female
            let flags = flagPerMille.map { random.uniform(1000) < $0 }
            var name = String(surnames[random.uniform(surnames.count)])
            for _ in 0...random.uniform(2) { name.append(given[random.uniform(given.count)]) }
            students.append(Student(
                id: "S" + String(repeating: "0", count: max(0, 6 - String(i).count)) + String(i),
                name: name, gender: gender, scores: [Score(halfPoints: halfPoints)], flags: flags))
        }
        for i in 0..<count {
            if random.uniform(1000) < 10, i + 1 < count, students[i].togetherKey == nil, students[i + 1].togetherKey == nil {
                let key = "双胞胎\(i)"
                students[i].togetherKey = key
                students[i + 1].togetherKey = key
                let surname = students[i].name.first.map(String.init) ?? ""
                students[i + 1].name = surname + String(students[i + 1].name.dropFirst())
            }
            if random.uniform(1000) < 5 {
                let j = random.uniform(count)
                if j != i, students[i].apartKeys.isEmpty, students[j].apartKeys.isEmpty,
                   students[i].togetherKey == nil || students[i].togetherKey != students[j].togetherKey {
                    students[j].name = students[i].name
                    students[i].apartKeys = ["同名:\(students[i].name)"]
                    students[j].apartKeys = ["同名:\(students[i].name)"]
                }
            }
        }
        return Roster(source: "synthetic-\(seed)", scoreColumns: ["成绩"], flagColumns: flagColumns, students: students)
    }
}
