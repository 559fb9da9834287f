import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Fetches the photos and videos of an old blog over HTTP(S), carefully: http and https
/// only, a timeout, a size cap, at most a few redirects (each one checked again), only
/// image, video and audio types, and — unless the operator allows it — never a loopback,
/// private or link-local address, so an export cannot make ferry probe its own network.
public final class MediaFetcher: Sendable {
    public struct Limits: Sendable {
        public var maxBytes = 50 << 20
        public var timeout: TimeAmount = .seconds(20)
        public var maxRedirects = 3
        public var allowPrivateAddresses = false

        public init() {}
    }

    /// What a fetch expects to find: a medium, or a page of text (a claim's verification).
    public enum Expected: Sendable {
        case media
        case text

        func accepts(_ type: String) -> Bool {
            switch self {
            case .media: (type.hasPrefix("image/") || type.hasPrefix("video/") || type.hasPrefix("audio/")) && type != "image/svg+xml"
            case .text: type == "text/html" || type == "text/plain" || type == "application/xhtml+xml"
            }
        }

        var maxBytes: Int? {
            switch self {
            case .media: nil
            case .text: 1 << 20
            }
        }

        var description: String {
            switch self {
            case .media: "a photo, video or sound"
            case .text: "a web page or text"
            }
        }
    }

    public let limits: Limits
    private let client: HTTPClient

    public init(limits: Limits = Limits()) {
        self.limits = limits
        client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: limits.timeout, read: limits.timeout))
        )
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// The bytes and content type at `address`, or a reason it could not be fetched. One
    /// deadline (`limits.timeout`) covers the whole fetch, redirects and body included: the
    /// client's own timeout ends at the response head, so a server trickling its body one byte
    /// at a time would otherwise hold the migration as long as it liked.
    public func fetch(_ address: String, expecting expected: Expected = .media) async throws(ImportError) -> (data: Data, contentType: String) {
        let deadline = Duration.nanoseconds(limits.timeout.nanoseconds)
        do {
            return try await withThrowingTaskGroup(of: (data: Data, contentType: String)?.self) { group in
                group.addTask { try await self.fetchWithinDeadline(address, expecting: expected) }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let fetched = first else {
                    throw ImportError("\(address) took longer than \(deadline.components.seconds) s to fetch")
                }
                return fetched
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError("\(address) could not be fetched")
        }
    }

    private func fetchWithinDeadline(_ address: String, expecting expected: Expected) async throws(ImportError) -> (data: Data, contentType: String) {
        let maxBytes = min(limits.maxBytes, expected.maxBytes ?? .max)
        var current = address
        for _ in 0...limits.maxRedirects {
            guard let url = URL(string: current), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = url.host, !host.isEmpty
            else { throw ImportError("\(current) is not an http(s) address") }
            if !limits.allowPrivateAddresses, try Self.resolvesToPrivateAddress(host) {
                throw ImportError("\(host) is a loopback or private address")
            }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(HTTPClientRequest(url: current), timeout: limits.timeout)
            } catch {
                throw ImportError("\(current) could not be fetched (\(error))")
            }
            if (300..<400).contains(Int(response.status.code)), let location = response.headers.first(name: "Location"),
               let next = URL(string: location, relativeTo: url)?.absoluteString {
                current = next
                continue
            }
            guard response.status == .ok else { throw ImportError("\(current) answered \(response.status.code)") }
            let type = (response.headers.first(name: "Content-Type") ?? "").split(separator: ";").first
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            guard expected.accepts(type) else {
                throw ImportError("\(current) is not \(expected.description) (\(type.isEmpty ? "no type" : type))")
            }
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
                throw ImportError("\(current) is larger than \(maxBytes) bytes")
            }
            do {
                let body = try await response.body.collect(upTo: maxBytes)
                return (Data(body.readableBytesView), type)
            } catch {
                throw ImportError("\(current) is larger than \(maxBytes) bytes or broke off")
            }
        }
        throw ImportError("\(address) redirects more than \(limits.maxRedirects) times")
    }

    /// Whether any address `host` resolves to is loopback, private, link-local or unspecified.
    static func resolvesToPrivateAddress(_ host: String) throws(ImportError) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
            throw ImportError("\(host) does not resolve")
        }
        defer { freeaddrinfo(first) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let address = current.pointee.ai_addr, isPrivate(address) { return true }
            entry = current.pointee.ai_next
        }
        return false
    }

    private static func isPrivate(_ address: UnsafeMutablePointer<sockaddr>) -> Bool {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let bytes = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) } }
            switch (bytes[0], bytes[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
            case (172, 16...31), (100, 64...127): return true
            default: return false
            }
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) } }
            if bytes.dropLast().allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
            if bytes[0] & 0xFE == 0xFC { return true }  // fc00::/7
            if bytes[0] == 0xFE, bytes[1] & 0xC0 == 0x80 { return true }  // fe80::/10
            if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {  // IPv4-mapped
                return [0, 10, 127].contains(bytes[12]) || (bytes[12] == 192 && bytes[13] == 168) || (bytes[12] == 169 && bytes[13] == 254)
                    || (bytes[12] == 172 && (16...31).contains(bytes[13]))
            }
            return false
        default:
            return true
        }
    }
}
