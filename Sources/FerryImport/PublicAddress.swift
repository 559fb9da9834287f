import FerryCore
import Foundation

/// An IP address as its bytes (4 for IPv4, 16 for IPv6), and whether the open internet may be
/// fetched from it: none of the ranges in IANA's IPv4 and IPv6 Special-Purpose Address
/// Registries (RFC 6890 and its updates) nor multicast, and IPv4 addresses carried inside IPv6
/// (mapped, compatible, translated) judged as the IPv4 address they carry.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(_ text: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        if bytes.count == 4 {
            var v4 = in_addr()
            withUnsafeMutableBytes(of: &v4) { $0.copyBytes(from: bytes) }
            inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count))
        } else {
            var v6 = in6_addr()
            withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
            inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether ferry may fetch from this address when private addresses are not allowed.
    public var isPublic: Bool {
        if bytes.count == 4 { return !Self.specialIPv4.contains { $0.contains(bytes) } }
        if let carried = carriedIPv4 { return IPAddress(bytes: carried).isPublic }
        return !Self.specialIPv6.contains { $0.contains(bytes) }
    }

    /// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
    /// (`::a.b.c.d`) or IPv4-translated (`::ffff:0:a.b.c.d`) IPv6 address.
    private var carriedIPv4: [UInt8]? {
        let head = bytes[0..<8]
        guard head.allSatisfy({ $0 == 0 }) else { return nil }
        switch (bytes[8], bytes[9], bytes[10], bytes[11]) {
        case (0, 0, 0xFF, 0xFF), (0xFF, 0xFF, 0, 0), (0, 0, 0, 0): return Array(bytes[12..<16])
        default: return nil
        }
    }

    /// A range written `address/length`.
    struct Range: Sendable {
        let prefix: [UInt8]
        let length: Int

        init(_ text: String) {
            let parts = text.split(separator: "/")
            prefix = IPAddress(String(parts[0]))?.bytes ?? []
            length = Int(parts[1]) ?? 0
        }

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == prefix.count else { return false }
            var left = length
            for (a, b) in zip(address, prefix) where left > 0 {
                let mask: UInt8 = left >= 8 ? 0xFF : ~(0xFF >> UInt8(left))
                if a & mask != b & mask { return false }
                left -= 8
            }
            return true
        }
    }

    /// IANA IPv4 Special-Purpose Address Registry, every entry, and multicast.
    static let specialIPv4 = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24",
        "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
    ].map(Range.init)

    /// IANA IPv6 Special-Purpose Address Registry, every entry, the deprecated site-local
    /// range, and multicast. (IPv4 carried in IPv6 is judged by `carriedIPv4`.)
    static let specialIPv6 = [
        "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "100:0:0:1::/64", "2001::/23", "2001:db8::/32",
        "2002::/16", "2620:4f:8000::/48", "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
    ].map(Range.init)
}

/// Resolves a host name once, for both the check and the connection: an address checked and
/// then looked up again could be another one by then (DNS rebinding).
public struct HostResolver: Sendable {
    let resolve: @Sendable (String) -> [IPAddress]

    /// The system's resolver.
    public init() {
        resolve = Self.systemAddresses
    }

    /// A fixed answer, for tests: names it does not know do not resolve.
    public init(_ answers: [String: String]) {
        resolve = { host in answers[host].flatMap(IPAddress.init).map { [$0] } ?? [] }
    }

    /// The address to connect to for `host`: the first it resolves to, if every one of them
    /// is public (or `allowingPrivate`); the reason otherwise, in words that say nothing of
    /// the network behind.
    public func address(of host: String, allowingPrivate: Bool) throws(FerryError) -> IPAddress {
        let addresses = IPAddress(host).map { [$0] } ?? resolve(host)
        guard let first = addresses.first, allowingPrivate || addresses.allSatisfy(\.isPublic) else {
            throw FerryError.unfetchable("\(host) is not a public web address")
        }
        return first
    }

    private static func systemAddresses(_ host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry, let address = current.pointee.ai_addr {
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                addresses.append(
                    address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { IPAddress(bytes: withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) }) })
            case AF_INET6:
                addresses.append(
                    address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { IPAddress(bytes: withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) }) })
            default:
                break
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
