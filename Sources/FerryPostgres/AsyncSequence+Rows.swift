extension AsyncSequence {
    /// Every element, in order (a query's decoded rows).
    func all() async throws -> [Element] {
        var elements: [Element] = []
        for try await element in self { elements.append(element) }
        return elements
    }

    /// The first element, if any (a query that returns at most one row).
    func firstElement() async throws -> Element? {
        for try await element in self { return element }
        return nil
    }
}
