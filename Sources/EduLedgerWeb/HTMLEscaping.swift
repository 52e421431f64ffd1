import Mustache
import OfficeFormats

/// The content type every template is parsed with (see `Views.load`).
struct FastHTMLContentType: MustacheContentType {
    static let name = "EDULEDGER_HTML"
    func escapeText(_ text: String) -> String { HTMLText.escape(text) }
}
