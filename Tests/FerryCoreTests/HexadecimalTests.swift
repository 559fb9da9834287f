import FerryCore
import Testing

@Suite struct HexadecimalTests {
    @Test func bytesAreTwoLowercaseDigitsEach() {
        #expect([UInt8]().hexadecimal == "")
        #expect([0x00, 0x0F, 0xA0, 0xFF].hexadecimal == "000fa0ff")
        #expect((0...255).map(UInt8.init).hexadecimal.count == 512)
    }
}
