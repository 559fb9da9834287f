import FerryCore
import FerryPostgres
import Testing

@Suite struct PostgresAddressTests {
    @Test func aFullAddressIsReadWhole() throws {
        let address = try PostgresAddress("postgres://ferry:s%40cret@db.example:6543/blogs?sslmode=require&schema=node_a")
        #expect(address.host == "db.example")
        #expect(address.port == 6543)
        #expect(address.user == "ferry")
        #expect(address.password == "s@cret")
        #expect(address.database == "blogs")
        #expect(address.tls == .require)
        #expect(address.schema == "node_a")
    }

    @Test func theDefaultsArePort5432AndPreferredTLS() throws {
        let address = try PostgresAddress("postgresql://ferry@127.0.0.1/ferry")
        #expect(address.port == 5432)
        #expect(address.password == nil)
        #expect(address.tls == .prefer)
        #expect(address.schema == nil)
    }

    @Test(arguments: [
        ("mysql://ferry@host/db", "not a postgres:// URL"),
        ("postgres://host/db", "no user"),
        ("postgres://ferry@/db", "no host"),
        ("postgres://ferry@host", "no database"),
        ("postgres://ferry@host/a/b", "no database"),
        ("postgres://ferry@host/db?sslmode=maybe", "sslmode"),
        ("postgres://ferry@host/db?schema=Robert%27);DROP", "schema must be"),
        ("postgres://ferry@host/db?pool=9", "'pool' is not a parameter"),
    ])
    func aBadAddressIsRefusedWithItsReason(text: String, reason: String) {
        #expect {
            try PostgresAddress(text)
        } throws: { error in
            guard let error = error as? FerryError else { return false }
            return error.field == "database" && error.message.contains(reason) && !error.message.contains("cret")
        }
    }
}
