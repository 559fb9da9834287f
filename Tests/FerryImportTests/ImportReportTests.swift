import FerryImport
import Foundation
import Testing

@Suite struct ImportReportTests {
    /// A report stored by an earlier version lacks the fields added since: it still reads, so
    /// an owner's past migrations keep their reports.
    @Test func reportsStoredBeforeNewFieldsStillRead() throws {
        let stored =
            #"{"posts":3,"pages":1,"comments":7,"alreadyPresent":0,"photos":2,"videos":1,"mediaKeptAtOldAddress":1,"redirects":9,"leftBehind":{"draft":1},"warnings":["kept the old address of http://old.example/a.jpg: 404"]}"#
        let report = try JSONDecoder().decode(ImportReport.self, from: Data(stored.utf8))
        #expect(report.posts == 3 && report.photos == 2 && report.mediaKeptAtOldAddress == 1 && report.leftBehind == ["draft": 1])
        #expect(report.sounds == 0 && report.mediaFailures.isEmpty)
        var full = report
        full.sounds = 4
        full.mediaFailures = [MediaFailure(address: "http://old.example/b.mp3", reason: "answered 404")]
        #expect(try JSONDecoder().decode(ImportReport.self, from: JSONEncoder().encode(full)) == full)
    }
}
