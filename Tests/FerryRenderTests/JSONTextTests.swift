import FerryRender
import Foundation
import Testing

/// Hand-written JSON is read back by a real JSON parser exactly as it was meant.
struct JSONTextTests {
    static let awkward = [
        "", "plain", #"say "hi""#, #"back\slash"#, "tab\there", "line\nbreak\r\n", "bell\u{7}nul\u{0}esc\u{1B}", "\u{1F}",
        "naïve 日本 🚢", "</script>", "\u{2028}\u{2029}",
    ]

    @Test(arguments: awkward)
    func aStringReadsBackAsItself(_ value: String) throws {
        let json = JSONText.string(value)
        #expect(try JSONDecoder().decode(String.self, from: Data(json.utf8)) == value)
        var appended = "["
        JSONText.append(value, to: &appended)
        #expect(appended == "[" + json, "appending writes what string() writes")
    }

    @Test func aStringWithNothingToEscapeIsCopiedWhole() {
        #expect(JSONText.string("naïve 日本") == "\"naïve 日本\"")
        #expect(JSONText.string("a\u{1}b") == #""a\u0001b""#)
    }

    @Test func anArrayReadsBackInOrder() throws {
        #expect(try JSONDecoder().decode([String].self, from: Data(JSONText.array(Self.awkward).utf8)) == Self.awkward)
        #expect(JSONText.array([]) == "[]")
    }

    @Test func anObjectKeepsItsOrderAndLeavesNilOut() throws {
        var object = JSONObject()
        object.add("type", "Note")
        object.add("summary", nil)
        object.addJSON("to", #"["a","b"]"#)
        object.addJSON("cc", nil)
        object.add("quote\"d", "x")
        #expect(object.json == #"{"type":"Note","to":["a","b"],"quote\"d":"x"}"#)
        #expect(JSONObject().json == "{}")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(object.json.utf8)) as? [String: Any])
        #expect(decoded["to"] as? [String] == ["a", "b"])
    }
}
