import PostgresNIO

extension PostgresStore {
    /// Runs `body` in one transaction on one pooled connection: committed when it returns,
    /// rolled back when it throws, and what it threw is what the caller sees (postgres-nio
    /// wraps it; a `FerryError` must reach the web layer as itself).
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.commitError ?? error.beginError ?? error
        }
    }
}
