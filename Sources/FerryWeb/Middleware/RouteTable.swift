import HTTPTypes
import Hummingbird
import Synchronization

/// Which methods each path answers, for a request that names a known path with a method it
/// does not answer: `405 Method Not Allowed` with `Allow` (RFC 9110 §15.5.6) instead of 404.
/// Hummingbird keeps its own table private, so this one is read from the router's routes once
/// they are all added, and matched as the router matches: the most specific pattern wins.
final class RouteTable: Sendable {
    private struct Route {
        var components: [RouterPath.Element]
        var methods: Set<HTTPRequest.Method>
    }

    private let routes = Mutex<[Route]>([])

    /// Reads every route of `router`; a route that answers GET answers HEAD too.
    func fill(from router: Router<some RequestContext>) {
        var byPath: [String: Route] = [:]
        for route in router.routes {
            byPath[route.path.description, default: Route(components: route.path.components, methods: [])].methods.insert(route.method)
        }
        let table = byPath.values.map { route in
            var route = route
            if route.methods.contains(.get) { route.methods.insert(.head) }
            return route
        }
        routes.withLock { $0 = table }
    }

    /// The methods the path answers, in a stable order; empty when no route has the path.
    func allowedMethods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var best: (rank: [Int], methods: Set<HTTPRequest.Method>)?
        for route in routes.withLock({ $0 }) {
            guard let rank = Self.rank(route.components, segments) else { continue }
            if let current = best, !current.rank.lexicographicallyPrecedes(rank) {
                if current.rank == rank { best?.methods.formUnion(route.methods) }
                continue
            }
            best = (rank, route.methods)
        }
        return (best?.methods ?? []).sorted { $0.rawValue < $1.rawValue }
    }

    /// How specifically `components` match `segments`, element by element; nil when they do
    /// not match.
    private static func rank(_ components: [RouterPath.Element], _ segments: [Substring]) -> [Int]? {
        var rank: [Int] = []
        for (index, component) in components.enumerated() {
            if component.description == "**" { return rank + [1] }
            guard index < segments.count, component ~= segments[index] else { return nil }
            rank.append(specificity(component, segments[index]))
        }
        return components.count == segments.count ? rank : nil
    }

    /// A literal beats a partial capture (`{month}.atom`), which beats a whole one (`{slug}`, `*`).
    private static func specificity(_ component: RouterPath.Element, _ segment: Substring) -> Int {
        if component == segment { return 4 }
        let text = component.description
        let whole = text == "*" || (text.hasPrefix("{") && text.hasSuffix("}"))
        return whole ? 2 : 3
    }
}
