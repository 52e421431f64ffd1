import EduLedgerCore

/// FNV-1a (64 bit) over the fields of every emitted record, in emission order. It works on
/// integers and UTF-8 bytes only, so the same records give the same digest on every machine.
struct DemoDigest {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    private mutating func byte(_ b: UInt8) {
        value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3
    }
    /// An integer counts as one 8-byte word (FNV-1a applied per word, not per byte).
    mutating func add(_ v: Int64) {
        value = (value ^ UInt64(bitPattern: v)) &* 0x0000_0100_0000_01B3
    }
    mutating func add(_ v: Int) { add(Int64(v)) }
    mutating func add(_ b: Bool) { byte(b ? 1 : 0) }
    mutating func add(_ s: String) {
        var text = s
        text.withUTF8 { bytes in
            for b in bytes { byte(b) }
        }
        byte(0xFF)
    }
    mutating func add(_ d: CivilDate?) { add(d.map { $0.dayNumber } ?? Int.min) }
    mutating func add<E>(_ id: EntityID<E>?) { add(id?.rawValue ?? -1) }

    mutating func add(_ batch: RegistryBatch) {
        for d in batch.districts { add(d.id); add(d.code); add(d.name) }
        for t in batch.townships { add(t.id); add(t.code); add(t.name); add(t.kind.rawValue) }
        for z in batch.zones { add(z.id); add(z.name) }
        for s in batch.schools {
            add(s.id); add(s.code); add(s.name); add(s.type.rawValue); add(s.ownership.rawValue)
            add(s.urbanRural.rawValue); add(s.townshipID); add(s.zoneID); add(s.centralSchoolID); add(s.address)
            add(s.opened); add(s.closed); add(s.mergedIntoID); add(s.campuses.joined(separator: "、"))
        }
        for c in batch.classes {
            add(c.id); add(c.schoolID); add(c.schoolYear.startYear); add(c.grade.rawValue); add(c.number)
            add(c.headTeacherID)
        }
        for s in batch.students {
            add(s.id); add(s.studentNumber); add(s.name); add(s.gender.rawValue); add(s.birthDate)
            add(s.residentID?.value ?? ""); add(s.ethnicity); add(s.hukouType.rawValue); add(s.hukouTownshipID)
            let f = s.flags
            add(f.leftBehind); add(f.migrantWorkerChild); add(f.disability?.rawValue ?? ""); add(f.inclusiveClass)
            add(f.poverty?.rawValue ?? ""); add(f.boarding)
        }
        for e in batch.enrolments {
            add(e.id); add(e.studentID); add(e.schoolID); add(e.grade.rawValue); add(e.classID); add(e.from)
            add(e.until); add(e.entry.rawValue); add(e.exit?.rawValue ?? "")
        }
        for m in batch.staff {
            add(m.id); add(m.staffNumber); add(m.name); add(m.gender.rawValue); add(m.birthDate)
            add(m.residentID?.value ?? ""); add(m.schoolID); add(m.post.rawValue); add(m.established)
            add(m.qualification.rawValue); add(m.title.rawValue); add(m.subjects.joined(separator: "、"))
            add(m.certificate?.level.rawValue ?? ""); add(m.certificate?.number ?? ""); add(m.backbone)
            add(m.hired); add(m.left)
        }
    }

    var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
