/// An error a clerk, registrar or parent will read.
///
/// Every domain error carries a stable machine `code` (for the API, scripts and tests) and a
/// `message` in Simplified Chinese that names the record and field at fault and says why,
/// so nobody has to guess what to correct.
public protocol UserFacingError: Error, Sendable, CustomStringConvertible {
    /// Stable, English, dot-separated code, e.g. `resident_id.check_character`.
    var code: String { get }
    /// The explanation in Simplified Chinese.
    var message: String { get }
}

extension UserFacingError {
    public var description: String { message }
}
