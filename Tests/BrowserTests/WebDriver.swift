import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A W3C WebDriver client (https://www.w3.org/TR/webdriver2/), just what the browser suite
/// uses, talking to Debian's `chromedriver`, which drives a headless Chromium.
struct WebDriver: Sendable {
    let endpoint: String
    let session: String

    /// The element reference's key in WebDriver's JSON.
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    /// Opens a headless Chromium at `width` × `height`.
    static func open(_ endpoint: String, width: Int, height: Int) async throws -> WebDriver {
        let arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)"]
        var options: [String: Any] = ["args": arguments]
        if FileManager.default.fileExists(atPath: "/usr/bin/chromium") { options["binary"] = "/usr/bin/chromium" }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": options]]]
        let value = try await command(endpoint + "/session", .POST, capabilities)
        guard let session = (value as? [String: Any])?["sessionId"] as? String else { throw WebDriverError("no session in \(String(describing: value))") }
        return WebDriver(endpoint: endpoint, session: session)
    }

    func close() async {
        _ = try? await Self.command("\(endpoint)/session/\(session)", .DELETE, nil)
    }

    func go(_ url: String) async throws {
        _ = try await send("/url", .POST, ["url": url])
    }

    func currentURL() async throws -> String {
        try await send("/url", .GET, nil) as? String ?? ""
    }

    func resize(width: Int, height: Int) async throws {
        _ = try await send("/window/rect", .POST, ["width": width, "height": height])
    }

    /// The first element `selector` (CSS) finds, or nil.
    func element(_ selector: String) async throws -> Element? {
        do {
            let value = try await send("/element", .POST, ["using": "css selector", "value": selector])
            return ((value as? [String: Any])?[Self.elementKey] as? String).map { Element(driver: self, id: $0) }
        } catch let error as WebDriverError where error.code == "no such element" {
            return nil
        }
    }

    func require(_ selector: String) async throws -> Element {
        guard let element = try await element(selector) else { throw WebDriverError("no element matches \(selector) on \(try await currentURL())") }
        return element
    }

    func count(_ selector: String) async throws -> Int {
        (try await send("/elements", .POST, ["using": "css selector", "value": selector]) as? [Any])?.count ?? 0
    }

    /// Runs `script` in the page (a function body; `arguments[0]`… are `arguments`).
    func run(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await send("/execute/sync", .POST, ["script": script, "args": arguments])
    }

    /// The PNG of the window as it is now.
    func screenshot() async throws -> Data {
        guard let text = try await send("/screenshot", .GET, nil) as? String, let data = Data(base64Encoded: text) else {
            throw WebDriverError("no screenshot")
        }
        return data
    }

    /// Waits until `condition` holds, checking every 100 ms for at most `seconds`. A page that
    /// changes under the check (an element found, then gone with a reload) is checked again.
    func wait(_ seconds: Double, for what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            do {
                if try await condition() { return }
            } catch let error as WebDriverError where error.isStaleElement {
                // The page was replaced between finding and reading: check the new one.
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriverError("waited \(seconds) s for \(what) on \(try await currentURL())")
    }

    struct Element: Sendable {
        let driver: WebDriver
        let id: String

        func click() async throws {
            _ = try await driver.send("/element/\(id)/click", .POST, [:])
        }

        /// Types `text`; into a file field, the path of the file to choose.
        func type(_ text: String) async throws {
            _ = try await driver.send("/element/\(id)/value", .POST, ["text": text])
        }

        func clear() async throws {
            _ = try await driver.send("/element/\(id)/clear", .POST, [:])
        }

        func text() async throws -> String {
            try await driver.send("/element/\(id)/text", .GET, nil) as? String ?? ""
        }

        func attribute(_ name: String) async throws -> String? {
            try await driver.send("/element/\(id)/attribute/\(name)", .GET, nil) as? String
        }
    }

    fileprivate func send(_ path: String, _ method: HTTPMethod, _ body: [String: Any]?) async throws -> Any? {
        try await Self.command("\(endpoint)/session/\(session)\(path)", method, body)
    }

    private static func command(_ url: String, _ method: HTTPMethod, _ body: [String: Any]?) async throws -> Any? {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        if let body { request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: bytes), options: [.fragmentsAllowed]) as? [String: Any]
        let value = json?["value"]
        if response.status.code >= 400 {
            let detail = value as? [String: Any]
            throw WebDriverError(detail?["message"] as? String ?? "HTTP \(response.status.code)", code: detail?["error"] as? String)
        }
        return value is NSNull ? nil : value
    }
}

struct WebDriverError: Error, CustomStringConvertible {
    var description: String
    var code: String?

    init(_ description: String, code: String? = nil) {
        self.description = description
        self.code = code
    }

    /// An element found on a page that has since been replaced. Chromium says so in two ways:
    /// the standard error, or (when the page is torn down mid-command) an inspector error.
    var isStaleElement: Bool {
        code == "stale element reference" || description.contains("does not belong to the document")
    }
}
