import FerryRender

/// Finds every photo, video and sound an export's posts use, the way the import will look
/// them up: embedded in the HTML, linked to (a photo's "click to enlarge" link), named by a
/// WordPress shortcode, listed as an enclosure or as an attachment. The media fetch and the
/// preview's count both read an export through it, so they agree for every format.
struct MediaCollector {
    let plan: MediaPlan
    /// Distinct addresses, keyed as `MediaPlan.key`, in first-seen order.
    private(set) var addresses: [String] = []
    private var seen: Set<String> = []
    private var root: String?
    private var attachments = AttachmentIndex()
    private let sanitizer = HTMLSanitizer.Session()

    init(plan: MediaPlan) {
        self.plan = plan
    }

    mutating func add(_ item: ExportItem) {
        switch item {
        case .channel(let channel):
            root = channel.link
        case .post(let post):
            let base = post.link ?? root
            var found: [String] = []
            _ = sanitizer.sanitize(WordPressContent.html(of: post, attachments: attachments).html) { address, reference in
                if MediaKind.isMedium(address, reference) { found.append(address) }
                return nil
            }
            for address in found + post.enclosures { add(address, base: base) }
        case .attachment(let attachment):
            attachments.add(attachment)
            add(attachment.url, base: root)
        case .comment, .leftBehind:
            return
        }
    }

    private mutating func add(_ address: String, base: String?) {
        let key = plan.key(address, base: base)
        if seen.insert(key).inserted { addresses.append(key) }
    }
}

extension MediaKind {
    /// Whether an address found in HTML names a medium: anything embedded does; a link does
    /// when it points at a photo, video or sound file, or at a blog host's photo store, whose
    /// addresses often have no extension (Blogger's `…/AVvXsE…=s1600`).
    static func isMedium(_ address: String, _ reference: MediaReference) -> Bool {
        reference == .embedded || of(address: address) != nil || isOnPhotoHost(address)
    }

    /// Hosts that serve nothing but the photos of blogs: Blogger's, in every era.
    private static let photoHosts = ["bp.blogspot.com", "blogger.googleusercontent.com", "ggpht.com"]

    /// Read on the address's bytes: every link of every imported post is asked about.
    private static func isOnPhotoHost(_ address: String) -> Bool {
        let bytes = address.utf8
        guard let separator = bytes.firstRange(of: "://".utf8) else { return false }
        let hostBytes = bytes[separator.upperBound...].prefix { ![UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: ":")].contains($0) }
        let host = String(decoding: hostBytes, as: UTF8.self).lowercased()
        return photoHosts.contains { host == $0 || host.hasSuffix("." + $0) }
    }
}
