import FerryCore
import FerryImport
import Testing

/// Every range of IANA's IPv4 and IPv6 special-purpose registries is refused, IPv4 carried in
/// IPv6 is judged as the IPv4 address it carries, and the open internet stays open.
@Suite struct PublicAddressTests {
    @Test(arguments: [
        "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.255", "127.0.0.1", "169.254.169.254", "172.16.0.1", "172.31.255.255",
        "192.0.0.8", "192.0.2.1", "192.31.196.1", "192.52.193.1", "192.88.99.1", "192.168.1.1", "192.175.48.1", "198.18.0.1",
        "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "::ffff:127.0.0.1", "::ffff:100.64.0.1", "::ffff:0:10.0.0.1", "::10.0.0.1", "64:ff9b::8.8.8.8",
        "64:ff9b:1::1", "100::1", "100:0:0:1::1", "2001::1", "2001:2::1", "2001:db8::1", "2002:c000:204::1",
        "2620:4f:8000::1", "3fff::1", "5f00::1", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1",
    ])
    func specialPurposeAddressesAreRefused(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isPublic)
    }

    @Test(arguments: [
        "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.32.0.1", "192.0.1.1", "198.17.255.255", "198.20.0.1",
        "223.255.255.255", "::ffff:8.8.8.8", "2606:4700:4700::1111", "2001:4860:4860::8888", "2001:200::1",
    ])
    func theOpenInternetIsFetched(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isPublic)
        #expect(IPAddress(address.description) == address)
    }

    @Test func aNameIsResolvedOnceAndEveryAnswerMustBePublic() throws {
        let resolver = HostResolver(["public.test": "93.184.216.34", "inside.test": "10.0.0.7"])
        #expect(try resolver.address(of: "public.test", allowingPrivate: false).description == "93.184.216.34")
        #expect(throws: FerryError.unfetchable("inside.test is not a public web address")) { try resolver.address(of: "inside.test", allowingPrivate: false) }
        #expect(try resolver.address(of: "inside.test", allowingPrivate: true).description == "10.0.0.7")
        #expect(try resolver.address(of: "::1", allowingPrivate: true).description == "::1", "literals need no lookup")
    }
}
