import FerryCore
import FerryTestSupport
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import Testing

@testable import FerryStore
@testable import FerryWeb

/// What ferry wrote itself being wrong is a logged 500, never a quiet "not found".
struct ErrorModelTests {
    @Test func aBrokenInvariantAnswers500AndIsLoggedWithItsReason() async throws {
        try await withTemporaryDirectory { folder in
            try await withApp(data: folder, configure: onSQLite) { client in
                let alice = try await client.newIdentity("alice")
                try await client.createBlog("odd", token: alice)
            }
            do {
                let database = try AppDatabase.open(directory: folder)
                defer { try? database.close() }
                // A value the schema's CHECK refuses: only a damaged file or a bug could hold it.
                try await database.writer.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA ignore_check_constraints = ON; UPDATE blog SET visibility = 'sideways' WHERE slug = 'odd'")
                }
            }
            let logs = InMemoryLogHandler()
            try await withApp(data: folder, logs: logs, configure: onSQLite) { client in
                for path in ["/api/blogs/odd", "/odd"] {
                    let response = try await client.send(.get, path)
                    #expect(response.status == .internalServerError, "\(path)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(!response.text.contains("sideways"), "the reason stays in the log")
                }
            }
            let logged = logs.entries.filter { $0.level == .error && $0.metadata["ferry.error"]?.description.contains("unknown visibility") == true }
            #expect(logged.count == 2)
        }
    }

    @Test func aMigrationTellsItsOwnerWhatTheyCanActOnAndNothingElse() {
        #expect(
            MigrationWorker.reason(FerryError.unreadableExport("the export ends in the middle of an element"))
                == "the export could not be read: the export ends in the middle of an element; nothing was changed")
        #expect(
            MigrationWorker.reason(FerryError(.conflict, "the blog address 'a' is already taken"))
                == "the blog address 'a' is already taken; nothing was changed")
        for unexpected: any Error in [FerryError.brokenInvariant("blog 3 has an unknown visibility"), CancellationError()] {
            #expect(MigrationWorker.reason(unexpected) == "the migration stopped on an internal error; nothing was changed")
        }
    }
}
