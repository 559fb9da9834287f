import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashing, off the cooperative thread pool: one hash takes tens to hundreds of
/// milliseconds of CPU, which would otherwise stall every other request on that thread.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    /// A hash of a random password at the same cost: checking a password against it when a
    /// handle does not exist makes "no such handle" take as long as "wrong password".
    private let decoyHash: String

    public init(cost: UInt8) {
        self.cost = cost
        decoyHash = Bcrypt.hash(DecoyPassword.password, cost: cost)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with no hash, spends the same time and answers false.
    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil
    }
}

private enum DecoyPassword {
    static let password = (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 36) }.joined()
}
