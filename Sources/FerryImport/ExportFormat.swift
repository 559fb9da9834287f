import FerryCore
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
    public static func detect(path: String) throws(FerryError) -> ExportFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FerryError.unreadableExport("the export could not be opened") }
        let head = (try? handle.read(upToCount: 4)) ?? nil
        try? handle.close()
        guard let head, !head.isEmpty else { throw FerryError.unreadableExport("the export is empty") }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }
        let xml = try XMLStreamReader(path: path)
        while try Self.readingStart(xml) {
            guard xml.nodeType == .element else { continue }
            switch (xml.localName, xml.namespace) {
            case ("rss", ""): return .rss
            case ("feed", BloggerExportReader.atom): return .bloggerAtom
            default:
                throw FerryError.unreadableExport(
                    "ferry reads WordPress (WXR), RSS 2.0 and Blogger Atom exports; this file's root element is <\(xml.localName)>")
            }
        }
        throw FerryError.unreadableExport("the export holds no XML element")
    }

    private static func readingStart(_ xml: XMLStreamReader) throws(FerryError) -> Bool {
        do {
            return try xml.read()
        } catch {
            throw FerryError.unreadableExport("this is not an export ferry reads (WordPress WXR, RSS 2.0 or Blogger Atom): \(error.message)", cause: error)
        }
    }

    /// A reader for the XML export at `path`.
    public static func reader(path: String) throws(FerryError) -> any ExportReader {
        switch try detect(path: path) {
        case .rss: try RSSExportReader(path: path)
        case .bloggerAtom: try BloggerExportReader(path: path)
        case .zip: throw FerryError.unreadableExport("a zip export must be unpacked before it is read")
        }
    }
}
