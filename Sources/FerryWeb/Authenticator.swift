import FerryCore
import FerryStore
import Foundation
import Hummingbird

/// Every way a request proves who it is: a password (sign-in, HTTP Basic for feed readers),
/// a bearer token (API clients) or the session cookie (browsers).
struct Authenticator: Sendable {
    let database: any Store
    let hasher: PasswordHasher
    let sessionLifetime: Duration
    let throttle: SignInThrottle
    /// Failed password checks per client address, besides per handle.
    let clientThrottle: SignInThrottle
    let verified: VerifiedCredentials

    init(database: any Store, hasher: PasswordHasher, sessionLifetime: Duration, throttle: SignInThrottle, clientThrottle: SignInThrottle) {
        self.database = database
        self.hasher = hasher
        self.sessionLifetime = sessionLifetime
        self.throttle = throttle
        self.clientThrottle = clientThrottle
        verified = VerifiedCredentials()
    }

    static let cookieName = "ferry_session"
    static let apiChallenge = #"Bearer realm="ferry""#
    static let feedChallenge = #"Basic realm="ferry", charset="UTF-8", Bearer realm="ferry""#

    /// The identity whose handle and password these are. An unknown handle, a malformed one
    /// and a wrong password all take the same bcrypt work and give the same nil; a client
    /// address or a handle with too many failed attempts is refused first (429, see
    /// `SignInThrottle`). With `remembering` (HTTP Basic, sent again with every feed poll), a
    /// pair verified a moment ago is recognised without bcrypt (see `VerifiedCredentials`).
    func identity(handle: String, password: String, client: String, remembering: Bool = false) async throws -> IdentityID? {
        let clientAttempt = try await clientThrottle.begin(client)
        let attempt = try await throttle.begin(handle)
        var stored: Credentials?
        if let handle = try? Handle(validating: handle) {
            stored = try await database.credentials(handle: handle)
        }
        if remembering, let stored, verified.recognises(handle: handle, password: password, as: stored) {
            try await succeeded(attempt, client: clientAttempt)
            return stored.identityID
        }
        guard try await hasher.verify(password, against: stored?.passwordHash), let stored else {
            try await throttle.failed(attempt)
            try await clientThrottle.failed(clientAttempt)
            return nil
        }
        if remembering { verified.remember(handle: handle, password: password, as: stored) }
        try await succeeded(attempt, client: clientAttempt)
        return stored.identityID
    }

    private func succeeded(_ attempt: SignInThrottle.Attempt, client: SignInThrottle.Attempt) async throws {
        try await throttle.succeeded(attempt)
        clientThrottle.answered(client)
    }

    /// A new session token for `identity`.
    func openSession(for identity: IdentityID) async throws -> (token: SessionToken, expiresAt: Date) {
        let token = SessionToken.generate()
        let now = Date()
        let expiresAt = now.addingTimeInterval(TimeInterval(sessionLifetime.components.seconds))
        try await database.openSession(for: identity, token: token, expiresAt: expiresAt, at: now)
        return (token, expiresAt)
    }

    /// The reader a feed request speaks for: HTTP Basic, a bearer token, or the session
    /// cookie; nil when it sends none. Credentials that are sent but wrong are refused.
    func feedReader(_ request: Request, _ context: AppRequestContext) async throws -> IdentityID? {
        if let header = request.headers[.authorization] {
            if let (handle, password) = Self.basicCredentials(header) {
                guard let identity = try await identity(handle: handle, password: password, client: context.clientAddress(request), remembering: true) else {
                    throw FerryError(.unauthenticated, "the handle or the password is wrong")
                }
                return identity
            }
            guard let token = BearerAuthentication.bearerToken(in: request),
                let identity = try await database.identityID(signedInBy: token)
            else {
                throw FerryError(.unauthenticated, "the credentials are not valid; use HTTP Basic with your handle and password, or a bearer token")
            }
            return identity
        }
        return try await cookieReader(request)
    }

    /// Who writes through AtomPub: HTTP Basic or a bearer token, never the session cookie
    /// (a page elsewhere could make a reader's browser send it). No usable credentials — none,
    /// or a scheme ferry cannot check, such as WSSE — is a 401 that asks for Basic.
    func publisher(_ request: Request, _ context: AppRequestContext) async throws -> IdentityID {
        if let header = request.headers[.authorization], let (handle, password) = Self.basicCredentials(header) {
            guard let identity = try await identity(handle: handle, password: password, client: context.clientAddress(request)) else {
                throw FerryError(.unauthenticated, "the handle or the password is wrong")
            }
            return identity
        }
        guard let token = BearerAuthentication.bearerToken(in: request), let identity = try await database.identityID(signedInBy: token) else {
            throw FerryError(.unauthenticated, "sign in with HTTP Basic: your handle and password")
        }
        return identity
    }

    /// The identity the session cookie signs in, or nil (no cookie, or one that expired).
    /// The signed-in identity's password typed again, as a "Connect" dialog asks before a
    /// blog is tied to the messenger identity; rationed like sign-ins. A wrong one is refused on
    /// the `password` field, saying that `unchanged` stays as it was.
    func confirmPassword(_ password: String, of identity: Identity, client: String, unchanged: String) async throws {
        guard try await self.identity(handle: identity.handle.rawValue, password: password, client: client) == identity.id else {
            throw FerryError(.forbidden, "that is not the password of '\(identity.handle)'; \(unchanged)", field: "password")
        }
    }

    func cookieReader(_ request: Request) async throws -> IdentityID? {
        guard let value = request.cookies[Self.cookieName]?.value, !value.isEmpty, value.utf8.count <= 256 else { return nil }
        return try await database.identityID(signedInBy: SessionToken(value: value))
    }

    private static func basicCredentials(_ header: String) -> (String, String)? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic", parts[1].utf8.count <= 1_024,
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: decoded, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
