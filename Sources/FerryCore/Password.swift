/// The rules a new password must meet before it is hashed.
public enum PasswordPolicy {
    public static let minimumCharacters = 8
    /// bcrypt reads only the first 72 bytes; longer passwords would be silently truncated,
    /// so they are refused instead.
    public static let maximumBytes = 72

    public static func validate(_ password: String, field: String = "password") throws(FerryError) {
        guard password.count >= minimumCharacters else {
            throw .invalid(field, "must be at least \(minimumCharacters) characters long")
        }
        guard password.utf8.count <= maximumBytes else {
            throw .invalid(field, "must be at most \(maximumBytes) bytes long in UTF-8")
        }
    }
}
