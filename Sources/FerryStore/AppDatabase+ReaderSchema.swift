import GRDB

extension AppDatabase {
    /// Migrations of the pages readers see, rendered once per change (issue 20), after `031`.
    static func registerReaderMigrations(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("032-profile-changes") { db in
            // A profile's change is followed like a blog's: a row with the identity and
            // `blogId` 0 (SQLite cannot drop the column's NOT NULL without rebuilding the table).
            try db.execute(sql: "ALTER TABLE blog_change ADD COLUMN identityId INTEGER")
        }
    }
}
