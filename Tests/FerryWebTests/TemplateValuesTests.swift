import Mustache
import Testing

@testable import FerryWeb

/// Page models are read by the templates through `TemplateValues`: every lookup must answer as
/// swift-mustache's own reflection does, or pages would change.
@Suite struct TemplateValuesTests {
    private struct Link {
        var title: String
        var url: String?
    }
    private struct Owner { var name: String }
    private struct Model {
        var title: String
        var url: String?
        var count: Int
        var isOpen: Bool
        var owner: Owner?
        var links: [Link]
        var tags: [String]
        var missing: Owner?
    }

    private static let template = """
        {{title}}|{{count}}|{{#isOpen}}open{{/isOpen}}|{{owner.name}}|{{#owner}}by {{name}}{{/owner}}|\
        {{#links}}[{{title}} {{url}}]{{/links}}|{{#tags}}<{{.}}>{{/tags}}|{{^empty(tags)}}tagged{{/empty(tags)}}|\
        {{^missing}}none{{/missing}}|{{missing.name}}
        """

    @Test func aModelRendersAsSwiftMustacheReadsItByReflection() throws {
        let template = try MustacheTemplate(string: Self.template)
        let model = Model(
            title: "A <b>", url: "/up", count: 3, isOpen: true, owner: Owner(name: "Ann"),
            links: [Link(title: "one", url: "/1"), Link(title: "two", url: nil)], tags: ["x", "y"], missing: nil)
        let expected = "A &lt;b&gt;|3|open|Ann|by Ann|[one /1][two /up]|<x><y>|tagged|none|"
        #expect(template.render(model) == expected, "swift-mustache itself")
        #expect(template.render(TemplateValues(model)) == expected)
    }
}
