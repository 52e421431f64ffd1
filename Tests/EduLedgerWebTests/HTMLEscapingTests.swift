import OfficeFormats
import Testing
@testable import EduLedgerWeb

@Suite("HTML escaping of template values")
struct HTMLEscapingTests {
    @Test func replacesTheFiveCharactersTheTemplateLibraryReplaces() {
        #expect(HTMLText.escape(#"<a href="x">O'Neil & 张三</a>"#)
            == "&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; 张三&lt;/a&gt;")
    }

    @Test func leavesPlainTextAndCombiningCharactersAsTheyAre() {
        for text in ["", "清河区第一实验小学五年级", "2026-09-01", "e\u{301}<", "👩‍🏫&"] {
            let escaped = HTMLText.escape(text)
            #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("\""))
            #expect(escaped.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&amp;", with: "&") == text)
        }
    }

    @Test func theNavigationBarEscapesItsLabelsAndMarksTheActiveLink() {
        let html = Chrome.navHTML([.init(href: "/a?x=1&y=2", label: "<学生>", active: true), .init(href: "/b", label: "学校", active: false)])
        #expect(html == #"<a href="/a?x=1&amp;y=2" class="active" aria-current="page">&lt;学生&gt;</a><a href="/b">学校</a>"#)
    }
}
