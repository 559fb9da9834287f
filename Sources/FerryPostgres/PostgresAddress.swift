import FerryCore
import Foundation

/// Where a PostgreSQL database is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, as
/// `--database` and `FERRY_DATABASE_URL` give it (`postgresql://` too). Two query parameters
/// are understood: `sslmode` (`disable`, `prefer`, the default, or `require`) and `schema`, a
/// schema of its own for this installation inside a shared database (created if missing).
public struct PostgresAddress: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        case disable, prefer, require
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var schema: String?

    /// Whether `text` names a PostgreSQL database at all (as opposed to a SQLite folder).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws(FerryError) {
        guard Self.isPostgres(text), let url = URLComponents(string: text) else {
            throw Self.invalid("it is not a postgres:// URL")
        }
        guard let host = url.host, !host.isEmpty else { throw Self.invalid("it names no host") }
        guard let user = url.user, !user.isEmpty else { throw Self.invalid("it names no user") }
        let database = String(url.path.dropFirst())
        guard !database.isEmpty, !database.contains("/") else { throw Self.invalid("it names no database (…/DATABASE)") }
        self.host = host
        self.port = url.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = url.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
        self.tls = .prefer
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw Self.invalid("sslmode must be disable, prefer or require")
                }
                tls = mode
            case "schema":
                guard let schema = item.value, Self.isPlainName(schema) else {
                    throw Self.invalid("schema must be 1–63 of a–z, 0–9 and _, starting with a letter")
                }
                self.schema = schema
            default:
                throw Self.invalid("'\(item.name)' is not a parameter ferry knows (sslmode, schema)")
            }
        }
    }

    /// A name that needs no quoting in SQL.
    static func isPlainName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.unicodeScalars.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func invalid(_ reason: String) -> FerryError {
        .invalid("database", "the database address is not usable: \(reason)")
    }
}
