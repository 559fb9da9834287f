import Foundation

/// The kinds of export ferry reads, told apart by their content, never their file name.
public enum ExportFormat: String, Sendable, Equatable {
    /// WordPress eXtended RSS, or plain RSS 2.0.
    case rss
    /// Blogger's Atom export, classic or 2018.
    case bloggerAtom = "blogger-atom"
    /// A zip archive holding one of the others and its media.
    case zip

    /// Looks at the first bytes (zip signature) or the root element of `path`.
    public static func detect(path: String) throws(ImportError) -> ExportFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ImportError("the export could not be opened") }
        let head = (try? handle.read(upToCount: 4)) ?? nil
        try? handle.close()
        guard let head, !head.isEmpty else { throw ImportError("the export is empty") }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }
        let xml = try XMLStreamReader(path: path)
        while try Self.readingStart(xml) {
            guard xml.nodeType == .element else { continue }
            switch (xml.localName, xml.namespace) {
            case ("rss", ""): return .rss
            case ("feed", BloggerExportReader.atom): return .bloggerAtom
            default:
                throw ImportError("ferry reads WordPress (WXR), RSS 2.0 and Blogger Atom exports; this file's root element is <\(xml.localName)>")
            }
        }
        throw ImportError("the export holds no XML element")
    }

    private static func readingStart(_ xml: XMLStreamReader) throws(ImportError) -> Bool {
        do {
            return try xml.read()
        } catch {
            throw ImportError("this is not an export ferry reads (WordPress WXR, RSS 2.0 or Blogger Atom): \(error.message)")
        }
    }

    /// A reader for the XML export at `path`.
    public static func reader(path: String) throws(ImportError) -> any ExportReader {
        switch try detect(path: path) {
        case .rss: try RSSExportReader(path: path)
        case .bloggerAtom: try BloggerExportReader(path: path)
        case .zip: throw ImportError("a zip export must be unpacked before it is read")
        }
    }
}
