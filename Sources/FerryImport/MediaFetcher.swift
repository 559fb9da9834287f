import AsyncHTTPClient
import FerryCore
import Foundation
import NIOCore
import NIOHTTP1

/// Fetches the photos and videos of an old blog over HTTP(S), carefully: http and https
/// only, a timeout, a size cap, at most a few redirects (each one checked again), only
/// image, video and audio types, and — unless the operator allows it — never an address of
/// IANA's special-purpose ranges (loopback, private, link-local, documentation…), so an
/// export cannot make ferry probe its own network. Each host is resolved once, and the address
/// checked is the address connected to.
public final class MediaFetcher: Sendable {
    public struct Limits: Sendable {
        public var maxBytes = 50 << 20
        public var timeout: TimeAmount = .seconds(20)
        public var maxRedirects = 3
        public var allowPrivateAddresses = false
        public var resolver = HostResolver()

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

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The bytes and content type at `address`, or a reason it could not be fetched. One
    /// deadline (`limits.timeout`) covers the whole fetch, redirects and body included: the
    /// client's own timeout ends at the response head, so a server trickling its body one byte
    /// at a time would otherwise hold the migration as long as it liked.
    public func fetch(_ address: String, expecting expected: Expected = .media) async throws(FerryError) -> (data: Data, contentType: String) {
        let deadline = Duration.nanoseconds(limits.timeout.nanoseconds)
        let fetched: (data: Data, contentType: String)?
        do {
            fetched = try await withinDeadline(deadline) { try await self.fetchWithinDeadline(address, expecting: expected) }
        } catch let error as FerryError {
            throw error
        } catch {
            throw FerryError.unfetchable("\(address) could not be fetched", cause: error)
        }
        guard let fetched else { throw FerryError.unfetchable("\(address) took longer than \(deadline.components.seconds) s to fetch") }
        return fetched
    }

    private func fetchWithinDeadline(_ address: String, expecting expected: Expected) async throws(FerryError) -> (data: Data, contentType: String) {
        var current = address
        for _ in 0...limits.maxRedirects {
            guard let url = URL(string: current), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = url.host, !host.isEmpty
            else { throw FerryError.unfetchable("\(current) is not an http(s) address") }
            let client = HTTPClient.pinned(
                host, to: try limits.resolver.address(of: host, allowingPrivate: limits.allowPrivateAddresses), timeout: limits.timeout)
            let hop: Result<Hop, FerryError>
            do {
                hop = .success(try await self.hop(current, url: url, expecting: expected, with: client))
            } catch {
                hop = .failure(error)
            }
            try? await client.shutdown()
            switch hop {
            case .success(.redirect(let next)): current = next
            case .success(.fetched(let data, let type)): return (data, type)
            case .failure(let error): throw error
            }
        }
        throw FerryError.unfetchable("\(address) redirects more than \(limits.maxRedirects) times")
    }

    private enum Hop {
        case redirect(String)
        case fetched(Data, String)
    }

    /// One request: where it redirects to, or what it fetched.
    private func hop(_ current: String, url: URL, expecting expected: Expected, with client: HTTPClient) async throws(FerryError) -> Hop {
        let maxBytes = min(limits.maxBytes, expected.maxBytes ?? .max)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(HTTPClientRequest(url: current), timeout: limits.timeout)
        } catch {
            throw FerryError.unfetchable("\(current) could not be fetched", cause: error)
        }
        if (300..<400).contains(Int(response.status.code)), let location = response.headers.first(name: "Location"),
            let next = URL(string: location, relativeTo: url)?.absoluteString
        {
            return .redirect(next)
        }
        guard response.status == .ok else { throw FerryError.unfetchable("\(current) answered \(response.status.code)") }
        let type =
            (response.headers.first(name: "Content-Type") ?? "").split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard expected.accepts(type) else {
            throw FerryError.unfetchable("\(current) is not \(expected.description) (\(type.isEmpty ? "no type" : type))")
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
            throw FerryError.unfetchable("\(current) is larger than \(maxBytes) bytes")
        }
        do {
            let body = try await response.body.collect(upTo: maxBytes)
            return .fetched(Data(body.readableBytesView), type)
        } catch {
            throw FerryError.unfetchable("\(current) is larger than \(maxBytes) bytes or broke off", cause: error)
        }
    }
}

extension HTTPClient {
    /// A client that connects to `address` whenever a URL names `host` (TLS still checks the
    /// certificate against `host`): one per hop, since the address is that hop's.
    static func pinned(_ host: String, to address: IPAddress, timeout: TimeAmount) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: timeout, read: timeout)
        )
        configuration.dnsOverride = [host: address.description]
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

/// What `work` answers if it ends within `deadline`; nil if the deadline came first (the work
/// is then cancelled).
func withinDeadline<Result: Sendable>(_ deadline: Duration, _ work: @escaping @Sendable () async throws -> Result) async throws -> Result? {
    try await withThrowingTaskGroup(of: Result?.self) { group in
        group.addTask { try await work() }
        group.addTask {
            try await Task.sleep(for: deadline)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { return nil }
        return first
    }
}
