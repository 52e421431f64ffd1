import Foundation
import Testing
@testable import EduLedgerWeb

/// Every path and method the OpenAPI document describes answers the other methods with 405:
/// the table behind the `Allow` header must know each documented path.
@Suite("API: 405 table covers the OpenAPI document")
struct APIMethodsTests {
    @Test func everyDocumentedPathHasItsMethods() throws {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        #expect(paths.count > 20)
        for (path, operations) in paths.sorted(by: { $0.key < $1.key }) where path.hasPrefix("/") {
            let concrete = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "7", options: .regularExpression)
            let documented = Set(operations.keys.map { $0.uppercased() }.filter { ["GET", "POST", "PATCH", "PUT", "DELETE"].contains($0) })
            let allowed = APIController.allowedMethods(path: concrete).map(Set.init)
            #expect(allowed?.isSuperset(of: documented) == true, "\(path): documented \(documented.sorted()), 405 table \(allowed.map { $0.sorted() } ?? [])")
        }
    }
}
