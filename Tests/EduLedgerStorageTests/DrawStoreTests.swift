import EduLedgerCore
import EduLedgerStorage
import EduLedgerTestSupport
import Foundation
import Testing

/// The stored class draw: its steps only in order, each with its audit line in the same
/// transaction, and no change to a locked draw without a reason — on both databases.
@Suite("Class draw store")
struct DrawStoreTests {
    static let clerk = ActingUser(login: "registrar-x", displayName: "学籍管理员")

    static func auditLines(_ store: SQLRegistryStore) async throws -> [AuditEntry] {
        try await store.auditEntries(entity: "class_draw", actor: nil, offset: 0, limit: 500).items
    }

    @Test("steps in order, each audited; refusals leave no trace; lock needs reasons", arguments: TestBackend.available)
    func lifecycle(_ backend: TestBackend) async throws {
        try await TestDatabases.withStore(backend) { store in
            let d = try await SmallDistrict.make(in: store)
            let draws = SQLDrawStore(database: store.database)
            let draft = try await draws.create(schoolID: d.primary.id, year: SmallDistrict.year, grade: .p1, classCount: 2,
                                               columnsJSON: "{}", by: Self.clerk)
            #expect(draft.state == .draft)
            #expect(try await Self.auditLines(store).count == 1)

            // Publishing without a roster, seeding before publishing: refused, nothing written.
            await #expect(throws: ClassDrawError.self) { try await draws.publish(draft.id, by: Self.clerk) }
            await #expect(throws: ClassDrawError.self) {
                try await draws.addSeedPart(draft.id, value: "12", enteredBy: "家长甲", capacity: "家长代表", by: Self.clerk)
            }
            #expect(try await Self.auditLines(store).count == 1)
            #expect(try await draws.seedParts(drawID: draft.id).isEmpty)

            let file = Data("学籍号,姓名,性别,成绩\n1,甲,男,90\n2,乙,女,80\n".utf8)
            _ = try await draws.setRoster(draft.id, fileName: "a.csv", file: file, hash: "h1", studentCount: 2, columnsJSON: "{}",
                                          classCount: 2, by: Self.clerk)
            let published = try await draws.publish(draft.id, by: Self.clerk)
            #expect(published.state == .published)
            #expect(published.publishedBy == Self.clerk.login)
            // The roster is fixed once published.
            await #expect(throws: ClassDrawError.self) {
                try await draws.setRoster(draft.id, fileName: "b.csv", file: file, hash: "h2", studentCount: 2, columnsJSON: "{}",
                                          classCount: 2, by: Self.clerk)
            }
            let stored = try #require(try await draws.draw(id: draft.id))
            #expect(stored.rosterHash == "h1")
            #expect(stored.rosterFile == file)

            _ = try await draws.addSeedPart(draft.id, value: "12", enteredBy: "家长甲", capacity: "家长代表", by: Self.clerk)
            _ = try await draws.addSeedPart(draft.id, value: "34", enteredBy: "监督员乙", capacity: "监督员", by: Self.clerk)
            #expect(try await draws.seedParts(drawID: draft.id).map(\.value) == ["12", "34"])
            _ = try await draws.fixSeed(draft.id, seed: "12 + 34", by: Self.clerk)
            _ = try await draws.assign(draft.id, recordJSON: "{\"x\":1}", by: Self.clerk)
            // Locking is the last step; afterwards the record cannot be replaced, and a change needs a reason.
            let locked = try await draws.lock(draft.id, by: Self.clerk)
            #expect(locked.state == .locked)
            await #expect(throws: ClassDrawError.self) { try await draws.assign(draft.id, recordJSON: "{}", by: Self.clerk) }
            do {
                _ = try await draws.recordChange(draft.id, kind: "late", reason: "  ", detailJSON: "{}", by: Self.clerk)
                Issue.record("a change without a reason was accepted")
            } catch let e as ClassDrawError {
                #expect(e.code == "draw.reason_required")
            }
            #expect(try await draws.changes(drawID: draft.id).isEmpty)
            _ = try await draws.recordChange(draft.id, kind: "late", reason: "转入", detailJSON: "{}", by: Self.clerk)
            #expect(try await draws.changes(drawID: draft.id).map(\.reason) == ["转入"])
            // create, roster, publish, 2 seed parts, seed, assign, lock, change = 9 lines.
            let lines = try await Self.auditLines(store)
            #expect(lines.count == 9)
            #expect(lines.allSatisfy { $0.actor == Self.clerk.login && $0.entityID == String(draft.id) })
            #expect(try await draws.draws(schoolIDs: [d.primary.id]).map(\.id) == [draft.id])
            #expect(try await draws.draws(schoolIDs: []).isEmpty)
        }
    }
}
