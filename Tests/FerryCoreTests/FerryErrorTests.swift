import FerryCore
import Testing

struct FerryErrorTests {
    private struct DiskFull: Error {}

    @Test func theCauseIsKeptWholeAndOnlyTheLogSeesIt() throws {
        let error = FerryError.unreadableExport("the zip cannot be read", cause: DiskFull())
        #expect(error.cause is DiskFull)
        #expect(error.message == "the zip cannot be read", "the message the owner reads names no internals")
        #expect(error.description.contains("DiskFull"), "the log line does")
    }

    @Test func errorsAreEqualWhenTheyTellTheCallerTheSame() {
        #expect(FerryError.unfetchable("x answered 404", cause: DiskFull()) == FerryError.unfetchable("x answered 404"))
        #expect(FerryError.unfetchable("x answered 404") != FerryError.unreadableExport("x answered 404"))
        #expect(FerryError.invalid("title", "is empty") != FerryError.invalid("slug", "is empty"))
    }

    @Test func codesGrowWithoutTouchingTheOnesThere() {
        let custom = FerryError.Code(rawValue: "quota-exceeded")
        #expect(custom != .tooMany)
        #expect(FerryError(custom, "over quota").code.rawValue == "quota-exceeded")
    }
}
