import Mustache

/// A page model as the templates read it: each value's properties in a table made from one
/// reflection. swift-mustache otherwise reflects a value again for every name it looks up in
/// it, and for every enclosing value a name is not found in, which was most of the cost of
/// rendering a page. Lookups answer as swift-mustache's own do: a nil optional is not there,
/// so the name is looked up further out.
struct TemplateValues: MustacheParent {
    private let properties: [String: Any]

    init(_ model: Any) {
        var properties: [String: Any] = [:]
        for case let (label?, value) in Mirror(reflecting: model).children {
            if let value = Self.unwrapped(value) { properties[label] = Self.readable(value) }
        }
        self.properties = properties
    }

    func child(named name: String) -> Any? { properties[name] }

    /// Values with properties of their own are read through a table too; arrays are read
    /// element by element; text, numbers, flags and the like are read as they are.
    private static func readable(_ value: Any) -> Any {
        if let array = value as? [Any] { return array.map(readable) }
        if value is any CustomStringConvertible || value is any MustacheParent { return value }
        switch Mirror(reflecting: value).displayStyle {
        case .struct, .class: return TemplateValues(value)
        default: return value
        }
    }

    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map { unwrapped($0.value) } ?? nil
    }
}
