import Foundation
import Testing
@testable import ReportChecker

/// Runs the checker over the full seed reports when they sit beside the package (../shared/seeds);
/// CI has them there, a bare clone does not, so the test is skipped otherwise.
struct SeedReportTests {
    static var seedDirectory: URL? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.deletingLastPathComponent().appendingPathComponent("shared/seeds")
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir) && isDir.boolValue ? dir : nil
    }

    static func seed(_ prefix: String) -> String? {
        guard let dir = seedDirectory,
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path),
              let name = names.sorted().first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    @Test(.enabled(if: seedDirectory != nil))
    func fullSeedsPrint() throws {
        for prefix in ["000", "001", "002"] {
            let text = try #require(Self.seed(prefix))
            let findings = ReportChecker.check(text: text)
            print("=== \(prefix): \(findings.count) findings")
            for f in findings {
                print("[\(prefix) L\(f.line) @\(f.offset)] \(f.kind.rawValue) \(f.severity.rawValue) expected=\(f.expected) found=\(f.found) | \(f.computation) | \(f.message) | \(f.quote.prefix(70))")
            }
        }
    }
}
