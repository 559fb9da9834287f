import AsyncHTTPClient
import FerryCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one request to an address a stranger supplied (a WebSub subscriber's callback), as
/// carefully as media are fetched: http and https only, never an address of IANA's
/// special-purpose ranges unless the operator allows them, the address checked is the address
/// connected to, no redirects, one deadline for the whole exchange, and at most
/// `maxResponseBytes` of the answer read. Its errors name the host only: a callback's query
/// may hold the subscriber's own secrets, and verifications carry the challenge.
public struct CallbackClient: Sendable {
    public var timeout: Duration = .seconds(10)
    public var maxResponseBytes = 64 * 1024
    public var allowPrivateAddresses = false
    public var resolver = HostResolver()

    public init() {}

    /// What the callback answered: its status and the start of its body.
    public struct Answer: Sendable {
        public var status: Int
        public var body: String
    }

    /// `method` to `address` with `headers` and `body`; a reason if no answer came.
    public func send(_ method: HTTPMethod, to address: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) async throws(FerryError) -> Answer {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { throw FerryError.unfetchable("the callback is not an http(s) address") }
        let connectTo = try resolver.address(of: host, allowingPrivate: allowPrivateAddresses)
        let timeout = timeout
        let maxResponseBytes = maxResponseBytes
        let answer: Answer?
        do {
            answer = try await withinDeadline(timeout) {
                let client = HTTPClient.pinned(host, to: connectTo, timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000))
                do {
                    var request = HTTPClientRequest(url: address)
                    request.method = method
                    request.headers = headers
                    if let body { request.body = .bytes(body) }
                    let response = try await client.execute(request, timeout: .seconds(timeout.components.seconds))
                    var collected = ByteBuffer()
                    for try await var part in response.body {
                        let room = maxResponseBytes - collected.readableBytes
                        guard room > 0 else { break }
                        if let slice = part.readSlice(length: min(room, part.readableBytes)) { collected.writeImmutableBuffer(slice) }
                    }
                    try? await client.shutdown()
                    return Answer(status: Int(response.status.code), body: String(buffer: collected))
                } catch {
                    try? await client.shutdown()
                    throw error
                }
            }
        } catch {
            throw FerryError.unfetchable("\(host) did not answer", cause: error)
        }
        guard let answer else { throw FerryError.unfetchable("\(host) took longer than \(timeout.components.seconds) s to answer") }
        return answer
    }
}
