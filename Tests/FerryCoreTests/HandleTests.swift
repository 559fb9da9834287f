import FerryCore
import Testing

@Suite struct HandleTests {
    @Test(arguments: ["al", "alice", "a.b_c-d", "user0000001", String(repeating: "x", count: 32)])
    func acceptsTheHandleAlphabet(_ input: String) throws {
        #expect(try Handle(validating: input).rawValue == input)
    }

    @Test func lowercasesSoUniquenessIsCaseInsensitive() throws {
        #expect(try Handle(validating: "Alice.Smith") == Handle(validating: "alice.smith"))
        #expect(try Handle(validating: "ALICE").rawValue == "alice")
    }

    @Test(arguments: [
        ("a", "2 to 32"), ("", "2 to 32"), (String(repeating: "x", count: 33), "2 to 32"),
        ("al ice", "only lowercase"), ("alice!", "only lowercase"), ("élise", "only lowercase"),
        ("al/../ice", "only lowercase"), ("al\u{0}ce", "only lowercase"),
    ])
    func refusesOthersNamingTheField(_ input: String, _ message: String) {
        #expect {
            try Handle(validating: input, field: "who")
        } throws: { error in
            let error = error as? FerryError
            return error?.field == "who" && error?.code == .invalidField && error?.message.contains(message) == true
        }
    }
}

@Suite struct PasswordPolicyTests {
    @Test func needsEightCharacters() throws {
        try PasswordPolicy.validate("12345678")
        #expect(throws: FerryError.self) { try PasswordPolicy.validate("1234567") }
    }

    @Test func refusesWhatBcryptWouldTruncate() throws {
        try PasswordPolicy.validate(String(repeating: "p", count: 72))
        #expect(throws: FerryError.self) { try PasswordPolicy.validate(String(repeating: "p", count: 73)) }
        // 25 three-byte characters are 75 bytes: counted in bytes, not characters.
        #expect(throws: FerryError.self) { try PasswordPolicy.validate(String(repeating: "€", count: 25)) }
    }
}
