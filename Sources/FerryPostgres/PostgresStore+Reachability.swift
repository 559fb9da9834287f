import FerryCore
import PostgresNIO

extension FerryError.Code {
    /// The PostgreSQL server named by `--database` cannot be reached, or refuses the connection.
    public static let databaseUnreachable = FerryError.Code(rawValue: "database-unreachable")
}

extension PostgresStore {
    /// Connects once, outside the pool, and says why that failed: the pool itself retries a
    /// server that does not answer for ever, and whoever started ferry would wait on nothing.
    func checkReachable() async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw FerryError(
                .databaseUnreachable, "cannot use the PostgreSQL database at \(address.host):\(address.port): \(Self.reason(error))", cause: error)
        }
        try await connection.close()
    }

    /// The server's own message, or what stopped the connection; postgres-nio's description of
    /// its errors is deliberately generic.
    private static func reason(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}
