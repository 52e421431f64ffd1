import ClassAssignment
import Foundation

/// The class-draw steps the web pages run, on top of the engine: reading an upload, composing
/// the seed, making the record, rebuilding a stored draw and placing late enrolees. Kept apart
/// from the controller (which also sees EduLedgerCore's `Student`/`Gender`) so the names stay clear.
enum DrawWorkflow {
    /// One problem of an uploaded roster, as a row of the error table.
    struct UploadProblem: Sendable, Hashable {
        var row: String
        var column: String
        var value: String
        var message: String
    }

    /// Reads an uploaded roster; every problem as a table row when it cannot be read.
    static func readUpload(data: Data, fileName: String, columns: DrawColumns, classCount: Int) -> Result<Roster, UploadFailure> {
        do {
            return .success(try RosterFile.read(data: data, fileName: fileName, columns: columns, classCount: classCount))
        } catch {
            switch error {
            case .problems(let e):
                return .failure(UploadFailure(problems: e.problems.map {
                    UploadProblem(row: $0.row.map(String.init) ?? "—", column: $0.column, value: $0.value, message: $0.description)
                }))
            case .unreadable(let m):
                return .failure(UploadFailure(problems: [UploadProblem(row: "—", column: "—", value: "", message: m)]))
            case .noHeader:
                return .failure(UploadFailure(problems: [UploadProblem(row: "1", column: "—", value: "", message: error.description)]))
            }
        }
    }

    struct UploadFailure: Error, Sendable { var problems: [UploadProblem] }

    static func settings(columns: DrawColumns, classCount: Int, seed: String) -> AssignmentSettings {
        AssignmentSettings(classCount: classCount, balancedFlags: columns.flags.isEmpty ? nil : columns.flags, seed: seed)
    }

    /// Runs the draw and makes the published record file (the format `verify-draw` reads).
    static func run(roster: Roster, columns: DrawColumns, classCount: Int, seedParts: [String], drawnBy: String,
                    drawnAt: String) throws -> PublishedDraw {
        let seed = try DrawSeed.compose(parts: seedParts)
        guard classCount >= 1, classCount <= roster.students.count else {
            throw DrawRunError(message: "班级数 \(classCount) 无效：名单共 \(roster.students.count) 人")
        }
        let assignment: Assignment
        do { assignment = try ClassAssigner.assign(roster: roster, settings: settings(columns: columns, classCount: classCount, seed: seed)) }
        catch { throw DrawRunError(message: error.description) }
        return PublishedDraw(columns: columns, record: DrawRecord(
            roster: roster, assignment: assignment, seedParts: seedParts, softwareVersion: EduLedgerVersion.current,
            drawnAt: drawnAt, drawnBy: drawnBy))
    }

    struct DrawRunError: Error, Sendable, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// A late enrolee as stored with the reasoned change, enough to replay the placement.
    struct LateEntry: Codable, Sendable, Hashable {
        var id: String
        var name: String
        var gender: String
        var scores: [String]
        var flags: [Bool]
        var classNumber: Int
        var engineReason: String

        func student() -> Student? {
            guard let g = Gender(parsing: gender) else { return nil }
            var parsed: [Score] = []
            for s in scores {
                guard let v = Score(parsing: s) else { return nil }
                parsed.append(v)
            }
            return Student(id: id, name: name, gender: g, scores: parsed, flags: flags)
        }
    }

    /// A stored draw rebuilt: the published roster, the recorded assignment, then every late
    /// placement replayed in order (each must land where it was recorded).
    struct Rebuilt: Sendable {
        var roster: Roster
        var assignment: Assignment
        var published: PublishedDraw
        var late: [LateEntry]
    }

    static func rebuild(rosterFile: Data, fileName: String, recordJSON: String, lateJSON: [String]) throws -> Rebuilt {
        let published = try JSONDecoder().decode(PublishedDraw.self, from: Data(recordJSON.utf8))
        let record = published.record
        var roster: Roster
        do {
            roster = try RosterFile.read(data: rosterFile, fileName: fileName, columns: published.columns,
                                         classCount: record.settings.classCount)
        } catch { throw DrawRunError(message: error.description) }
        // Recomputing is how the page knows the stored record still matches the published
        // roster and seed (the same check as `verify-draw`), and it gives the engine's Assignment.
        let check = DrawVerifier.verify(record: record, roster: roster)
        guard check.isMatch else { throw DrawRunError(message: "存储的编班记录与名单不符：" + check.message) }
        var assignment: Assignment
        do { assignment = try ClassAssigner.assign(roster: roster, settings: record.settings) }
        catch { throw DrawRunError(message: error.description) }
        var late: [LateEntry] = []
        for text in lateJSON {
            let entry = try JSONDecoder().decode(LateEntry.self, from: Data(text.utf8))
            guard let student = entry.student() else { throw DrawRunError(message: "插班记录“\(entry.id)”无法读取") }
            let placed = try ClassAssigner.placeLate(student: student, into: roster, assignment: assignment, seed: record.settings.seed)
            roster = placed.roster
            assignment = placed.assignment
            late.append(entry)
        }
        return Rebuilt(roster: roster, assignment: assignment, published: published, late: late)
    }
}
