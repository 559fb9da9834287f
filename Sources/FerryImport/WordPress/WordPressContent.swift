import FerryCore
import FerryRender
import Foundation

/// A WordPress post's text as WordPress shows it: shortcodes rendered as plain HTML, a link
/// alone on a line made a link, and paragraphs added. The result is HTML still to be
/// sanitized: every value taken from a shortcode is escaped here, and the sanitizer sees all
/// of it afterwards.
struct WordPressContent {
    let attachments: AttachmentIndex
    /// The WordPress id of the post, whose attachments a bare `[gallery]` shows.
    let postID: String?
    /// Shortcodes left as text, by name.
    private(set) var unknown: [String: Int] = [:]
    /// Galleries that named no photo of this export: they show nothing.
    private(set) var emptyGalleries = 0

    init(attachments: AttachmentIndex, postID: String?) {
        self.attachments = attachments
        self.postID = postID
    }

    /// Shortcodes whose content runs to a closing tag.
    private static let enclosing: Set<String> = ["caption", "wp_caption", "embed", "audio", "video"]
    private static let depthLimit = 2
    /// Brackets read as possible shortcodes in one text; the rest of a text with more stays as
    /// it is. With `Shortcode.closingWindow` this bounds the work hostile text can cause.
    private static let attemptsPerText = 1_000
    private var attemptsLeft = attemptsPerText

    /// Whether `text` holds a `[gallery]`, which may name attachments listed after its post.
    static func hasGallery(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "[")) && text.contains("[gallery")
    }

    /// The HTML `post` is shown with, before sanitizing, and the rendering that made it (nil
    /// when the post's text is shown as it is), which tells what it left as text.
    static func html(of post: ExportedPost, attachments: AttachmentIndex) -> (html: String, rendering: WordPressContent?) {
        guard post.format == .wordpress, mayChange(post.content) else { return (post.content, nil) }
        var rendering = WordPressContent(attachments: attachments, postID: post.numericID)
        return (rendering.render(post.content), rendering)
    }

    /// Whether rendering could change `text`: only a shortcode, a line break or an address
    /// alone can. Most imported posts are one line of HTML and are passed over at once.
    private static func mayChange(_ text: String) -> Bool {
        text.utf8.contains { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "\n") } || text.drop(while: \.isWhitespace).hasPrefix("http")
    }

    /// `text` rendered; without `[` or a line break it is returned as is.
    mutating func render(_ text: String) -> String {
        attemptsLeft = Self.attemptsPerText
        let expanded = text.utf8.contains(UInt8(ascii: "[")) ? expand(text, depth: 0) : text
        return WordPressParagraphs.apply(Self.linkingBareAddresses(expanded))
    }

    private mutating func expand(_ text: String, depth: Int) -> String {
        var output = ""
        let source = Substring(text)
        var index = source.startIndex
        while attemptsLeft > 0, let open = source[index...].firstIndex(of: "[") {
            attemptsLeft -= 1
            output += source[index..<open]
            // `[[name]]` is how WordPress writes a shortcode as text.
            let next = source.index(after: open)
            if next < source.endIndex, source[next] == "[", let (_, end) = Shortcode.read(in: source, at: next, closing: { _ in false }),
                end < source.endIndex, source[end] == "]"
            {
                output += source[next..<end]
                index = source.index(after: end)
                continue
            }
            guard let (shortcode, end) = Shortcode.read(in: source, at: open, closing: Self.enclosing.contains) else {
                output += "["
                index = next
                continue
            }
            if let html = render(shortcode, depth: depth) {
                output += html
                index = end
            } else {
                if Self.looksLikeShortcode(shortcode, closed: Shortcode.closingTag(of: shortcode.name, in: source[end...]) != nil) {
                    unknown[shortcode.name, default: 0] += 1
                }
                // Left as text: only its opening tag is passed over, what follows is read on.
                let tagEnd = source[open...].firstIndex(of: "]") ?? end
                output += source[open...tagEnd]
                index = source.index(after: tagEnd)
            }
        }
        output += source[index...]
        return output
    }

    /// Shortcodes of WordPress and its common plugins that ferry leaves as text.
    private static let knownElsewhere: Set<String> = [
        "playlist", "videopress", "wpvideo", "youtube", "vimeo", "dailymotion", "soundcloud", "spotify", "slideshow", "googlemaps",
        "contact-form", "contact-field", "archives", "sitemap", "tweet", "twitter-timeline", "instagram", "polldaddy", "crowdsignal",
        "gist", "recipe", "latex", "flickr", "ted", "scribd", "issuu", "audio", "video", "gallery", "caption", "embed",
    ]

    /// Whether unrendered bracketed text was meant as a shortcode (and so is worth a warning),
    /// rather than prose such as "[sic]" or "[simple boat]".
    private static func looksLikeShortcode(_ shortcode: Shortcode, closed: Bool) -> Bool {
        knownElsewhere.contains(shortcode.name) || !shortcode.attributes.isEmpty || closed
    }

    /// The HTML of a shortcode ferry knows, or nil to leave it as text.
    private mutating func render(_ shortcode: Shortcode, depth: Int) -> String? {
        switch shortcode.name {
        case "caption", "wp_caption":
            guard let content = shortcode.content else { return nil }
            let inner = depth < Self.depthLimit ? expand(content, depth: depth + 1) : content
            return Self.figure(inner, caption: shortcode.attributes["caption"])
        case "gallery":
            return gallery(shortcode)
        case "audio":
            return player("audio", shortcode, sourceAttributes: ["src", "mp3", "m4a", "ogg", "oga", "wav"], kind: .sound)
        case "video":
            return player("video", shortcode, sourceAttributes: ["src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"], kind: .video)
        case "embed":
            let address = (shortcode.content ?? shortcode.attributes["src"] ?? shortcode.positional.first ?? "").trimmingWhiteSpace()
            guard Self.isWebAddress(address) else { return nil }
            return Self.linkOrPlayer(address)
        default:
            return nil
        }
    }

    /// `[caption]`: the photo (with its link) in a figure, the caption under it.
    private static func figure(_ content: String, caption attribute: String?) -> String {
        var media = content.trimmingWhiteSpace()
        var caption = attribute ?? ""
        if attribute == nil {
            let end: String.Index? =
                if media.lowercased().hasPrefix("<a") {
                    media.range(of: "</a>", options: .caseInsensitive)?.upperBound
                } else if media.lowercased().hasPrefix("<img") {
                    media.firstIndex(of: ">").map { media.index(after: $0) }
                } else {
                    nil
                }
            if let end {
                caption = String(media[end...])
                media = String(media[..<end])
            } else {
                caption = media
                media = ""
            }
        }
        caption = caption.trimmingWhiteSpace()
        guard !media.isEmpty || !caption.isEmpty else { return "" }
        return "<figure>\(media)" + (caption.isEmpty ? "" : "<figcaption>\(caption)</figcaption>") + "</figure>"
    }

    /// `[gallery]`: the photos it names (`ids`/`include`, else those attached to the post,
    /// less `exclude`) as a grid of `columns` (1–9, WordPress's default 3).
    private mutating func gallery(_ shortcode: Shortcode) -> String {
        func ids(_ name: String) -> [String] {
            (shortcode.attributes[name] ?? "").split(separator: ",").map { String($0).trimmingWhiteSpace() }.filter { !$0.isEmpty }
        }
        let named = ids("ids") + ids("include")
        let excluded = Set(ids("exclude").compactMap(attachments.address(of:)))
        var photos = named.isEmpty ? attachments.attached(to: postID) : named.compactMap(attachments.address(of:))
        photos = photos.filter { !excluded.contains($0) && MediaKind.of(address: $0) != .video && MediaKind.of(address: $0) != .sound }
        guard !photos.isEmpty else {
            emptyGalleries += 1
            return ""
        }
        let columns = min(9, max(1, Int(shortcode.attributes["columns"] ?? "") ?? 3))
        let linked = shortcode.attributes["link"] != "none"
        var html = "<figure class=\"gallery gallery-columns-\(columns)\">"
        for photo in photos {
            let address = MarkupEscaping.attribute(photo)
            let image = "<img src=\"\(address)\" alt=\"\">"
            html += linked ? "<a href=\"\(address)\">\(image)</a>" : image
        }
        return html + "</figure>"
    }

    /// `[audio]`/`[video]`: a player for the sources named, or when it names none, for the
    /// first such medium attached to the post.
    private func player(_ element: String, _ shortcode: Shortcode, sourceAttributes: [String], kind: MediaKind) -> String? {
        var sources = sourceAttributes.compactMap { shortcode.attributes[$0] }.filter(Self.isWebAddress)
        sources += shortcode.positional.filter(Self.isWebAddress)
        if let content = shortcode.content?.trimmingWhiteSpace(), Self.isWebAddress(content) { sources.append(content) }
        let namesSources =
            sourceAttributes.contains { shortcode.attributes[$0] != nil } || !shortcode.positional.isEmpty
            || shortcode.content?.trimmingWhiteSpace().isEmpty == false
        if sources.isEmpty, !namesSources, let attached = attachments.attached(to: postID).first(where: { MediaKind.of(address: $0) == kind }) {
            sources = [attached]
        }
        guard !sources.isEmpty else { return nil }
        var attributes = ""
        if element == "video" {
            if let poster = shortcode.attributes["poster"], Self.isWebAddress(poster) { attributes += " poster=\"\(MarkupEscaping.attribute(poster))\"" }
            for name in ["width", "height"] {
                if let value = shortcode.attributes[name], !value.isEmpty, value.count <= 6, value.allSatisfy(\.isASCIIDigit) {
                    attributes += " \(name)=\"\(value)\""
                }
            }
        }
        var seen: Set<String> = []
        let distinct = sources.filter { seen.insert($0).inserted }
        if distinct.count == 1 {
            return "<\(element) controls src=\"\(MarkupEscaping.attribute(distinct[0]))\"\(attributes)></\(element)>"
        }
        return "<\(element) controls\(attributes)>" + distinct.map { "<source src=\"\(MarkupEscaping.attribute($0))\">" }.joined() + "</\(element)>"
    }

    /// A link to `address`, or a player when it names a sound or a video.
    private static func linkOrPlayer(_ address: String) -> String {
        let escaped = MarkupEscaping.attribute(address)
        switch MediaKind.of(address: address) {
        case .sound: return "<audio controls src=\"\(escaped)\"></audio>"
        case .video: return "<video controls src=\"\(escaped)\"></video>"
        case .photo, nil: return "<p><a href=\"\(escaped)\">\(MarkupEscaping.text(address))</a></p>"
        }
    }

    /// WordPress embeds what a line holding only an address points at; ferry links to it (or
    /// plays it, for a sound or a video), since embedding would run another site's code.
    private static func linkingBareAddresses(_ text: String) -> String {
        // Most posts are one line of HTML: only one that starts with an address can be one.
        guard text.utf8.contains(UInt8(ascii: "\n")) || text.drop(while: \.isWhitespace).hasPrefix("http") else { return text }
        var changed = false
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            let trimmed = String(line).trimmingWhiteSpace()
            guard trimmed.hasPrefix("http"), isWebAddress(trimmed), !trimmed.contains(where: { $0.isWhitespace || $0 == "<" || $0 == "\"" }) else {
                return line
            }
            changed = true
            return Substring(linkOrPlayer(trimmed))
        }
        return changed ? lines.joined(separator: "\n") : text
    }

    private static func isWebAddress(_ text: String) -> Bool {
        let lowered = text.prefix(8).lowercased()
        return (lowered.hasPrefix("http://") || lowered.hasPrefix("https://")) && text.count > 8
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
