import GRDB

extension AppDatabase {
    /// The installation's value of `name`: the one recorded first, or `initial`, recorded now
    /// when there is none yet. It never changes afterwards.
    public func fixedSetting(_ name: String, initial: String) async throws -> String {
        try await writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO site_setting (name, value) VALUES (?, ?)", arguments: [name, initial])
            return try String.fetchOne(db, sql: "SELECT value FROM site_setting WHERE name = ?", arguments: [name]) ?? initial
        }
    }
}
