import FerryCore
import FerryStore
import FerryTestSupport
import FerryWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import Logging
import NIOCore

/// The repository's `public/` folder, which holds the real templates.
let publicDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("public")

let siteURL = "http://ferry.test"

/// A production configuration pointed at `data`, with a cheap bcrypt cost so the suite stays fast.
func testConfiguration(data: URL) -> FerryConfiguration {
    var configuration = FerryConfiguration()
    configuration.dataDirectory = data
    configuration.database = StoreBackend.webDatabase(for: data)
    configuration.feedsDirectory = data.appendingPathComponent("feeds")
    configuration.baseURL = siteURL
    configuration.publicDirectory = publicDirectory
    configuration.bcryptCost = 4
    // Tests never reach the internet; the media tests serve their own files on loopback.
    configuration.fetchMedia = false
    configuration.port = 0
    return configuration
}

/// Runs `test` against the application `buildApplication` makes, on a real database (a SQLite
/// file in a fresh folder, or in `data` to reopen one; or PostgreSQL, see
/// `StoreBackend.web`).
func withApp(
    data: URL? = nil,
    logs: InMemoryLogHandler = InMemoryLogHandler(),
    configure: (inout FerryConfiguration) -> Void = { _ in },
    _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    func run(_ folder: URL) async throws {
        var configuration = testConfiguration(data: folder)
        configure(&configuration)
        let logger = Logger(label: "ferry.test") { _ in logs }
        let app = try await buildApplication(configuration: configuration, logger: logger)
        try await app.test(.live) { client in try await test(client) }
    }
    if let data {
        try await run(data)
    } else {
        try await withTemporaryDirectory { folder in try await run(folder) }
    }
}

/// Keeps a test's data in SQLite whatever `StoreBackend.web` says: for the few tests that
/// reach into the SQLite file itself.
func onSQLite(_ configuration: inout FerryConfiguration) {
    configuration.database = nil
}

/// Runs `body` with the store of the application whose data folder is `folder`, as another
/// process (a node, the command line) would open it.
func withTestStore<Result: Sendable>(_ folder: URL, _ body: (any Store) async throws -> Result) async throws -> Result {
    try await OpenedStore.with(testConfiguration(data: folder), body)
}

extension TestClientProtocol {
    /// Sends a request with an optional JSON body and bearer token.
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await executeRequest(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    @discardableResult
    func signUp(_ handle: String, displayName: String? = nil, password: String = "correct horse") async throws -> TestResponse {
        try await send(.post, "/api/identities", json: #"{"handle":"\#(handle)","password":"\#(password)","displayName":"\#(displayName ?? handle)"}"#)
    }

    /// Signs in and returns the bearer token.
    func signIn(_ handle: String, password: String = "correct horse") async throws -> String {
        let response = try await send(.post, "/api/sessions", json: #"{"handle":"\#(handle)","password":"\#(password)"}"#)
        guard response.status == .ok, let token = try response.json()["token"] as? String else {
            throw HarnessError(message: "sign-in as \(handle) failed with \(response.status): \(response.text)")
        }
        return token
    }

    /// Creates a blog owned by the token's identity; fails the test unless it is created.
    func createBlog(_ slug: String, token: String, visibility: String = "public", language: String = "en", title: String? = nil) async throws {
        let response = try await send(
            .post, "/api/blogs", token: token, json: #"{"slug":"\#(slug)","title":"\#(title ?? slug)","language":"\#(language)","visibility":"\#(visibility)"}"#
        )
        guard response.status == .created else { throw HarnessError(message: "creating \(slug) failed with \(response.status): \(response.text)") }
    }

    /// Publishes a post and returns its JSON.
    @discardableResult
    func createPost(_ blog: String, token: String, title: String, content: String = "<p>Hello</p>", tags: [String] = []) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: ["title": title, "content": content, "tags": tags])
        let response = try await send(.post, "/api/blogs/\(blog)/posts", token: token, json: String(decoding: body, as: UTF8.self))
        guard response.status == .created else { throw HarnessError(message: "posting to \(blog) failed with \(response.status): \(response.text)") }
        return try response.json()
    }

    /// Makes two identities contacts.
    func connect(_ inviter: String, token inviterToken: String, with invitee: String, token inviteeToken: String) async throws {
        _ = try await send(.post, "/api/me/contacts", token: inviterToken, json: #"{"handle":"\#(invitee)"}"#)
        let accepted = try await send(.post, "/api/me/contacts/\(inviter)/accept", token: inviteeToken)
        guard accepted.status == .ok else { throw HarnessError(message: "accepting failed: \(accepted.text)") }
    }

    /// Links the blog to its owner's identity, with the password the harness signs up with.
    func link(_ blog: String, token: String) async throws {
        let response = try await send(.put, "/api/blogs/\(blog)/messenger-link", token: token, json: #"{"password":"correct horse"}"#)
        guard response.status == .ok else { throw HarnessError(message: "linking \(blog) failed with \(response.status): \(response.text)") }
    }

    /// Every part of the sitemap, as one text: the index, then each part it lists.
    func sitemapText() async throws -> String {
        let index = try await send(.get, "/sitemap.xml").text
        var text = index
        for location in index.components(separatedBy: "<loc>").dropFirst() {
            let url = String(location.prefix { $0 != "<" })
            text += try await send(.get, String(url.dropFirst(siteURL.count))).text
        }
        return text
    }

    /// Signs in through the browser form and returns the `Cookie` header value.
    func signInCookie(_ handle: String) async throws -> String {
        let response = try await postSignInForm("handle=\(handle)&password=correct+horse")
        guard let header = response.headers[.setCookie] else { throw HarnessError(message: "signing in \(handle) set no cookie") }
        return String(header.prefix { $0 != ";" })
    }

    /// Sends the sign-in form as a browser does: fetched first, with its token and cookie.
    func postSignInForm(_ form: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        let page = try await send(.get, "/login")
        guard let cookie = page.headers[.setCookie].map({ String($0.prefix { $0 != ";" }) }),
            let token = page.text.components(separatedBy: #"name="csrf" value=""#).dropFirst().first?.prefix(while: { $0 != "\"" })
        else { throw HarnessError(message: "the sign-in form has no token: \(page.text)") }
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        headers[.cookie] = cookie
        return try await executeRequest(uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: form + "&csrf=\(token)"))
    }

    /// Creates an identity and signs it in.
    func newIdentity(_ handle: String, displayName: String? = nil) async throws -> String {
        try await signUp(handle, displayName: displayName)
        return try await signIn(handle)
    }
}

struct HarnessError: Error {
    var message: String
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var data: Data { Data(body.readableBytesView) }

    func json() throws -> [String: Any] {
        let data = Data(text.utf8)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HarnessError(message: "not a JSON object: \(text)")
        }
        return object
    }

    /// The `field` of a problem+json body, checking that it is one.
    func problemField() throws -> String? {
        guard headers[.contentType] == "application/problem+json" else {
            throw HarnessError(message: "not problem+json: \(headers[.contentType] ?? "none")")
        }
        return try json()["field"] as? String
    }
}

/// Writes posts with their dates straight to the store of the app running on `folder` (the
/// API dates posts now), and answers their ids.
func writePosts(_ posts: [(title: String, date: Date)], in blog: String, by handle: String, data folder: URL) async throws -> [PostID] {
    try await withTestStore(folder) { database in
        guard let owner = try await database.identity(handle: Handle(trusted: handle))?.id else { throw HarnessError(message: "no identity \(handle)") }
        var ids: [PostID] = []
        for (title, date) in posts {
            ids.append(
                try await database.createPost(
                    in: BlogSlug(trusted: blog), by: owner, draft: PostDraft(title: title, content: "<p>\(title)</p>", tags: []), publishedAt: date
                ).id)
        }
        return ids
    }
}
