import Foundation

/// What an import did, for its owner: what moved, what stayed behind (by kind) and why.
public struct ImportReport: Sendable, Codable, Equatable {
    public var posts = 0
    public var pages = 0
    public var comments = 0
    /// Items already imported by an earlier run of the same (or an overlapping) export.
    public var alreadyPresent = 0
    /// Media that moved: stored here, each counted once however many posts use it.
    public var photos = 0
    public var videos = 0
    public var sounds = 0
    /// Media that could not move: the posts keep their old addresses. Each is listed in
    /// `mediaFailures` with the reason.
    public var mediaKeptAtOldAddress = 0
    public var mediaFailures: [MediaFailure] = []
    /// Old addresses recorded for the blog: they redirect once their root's claim is verified.
    public var redirects = 0
    /// Old addresses not recorded, because their root is held by another identity or is this site.
    public var redirectsRefused = 0
    /// The old roots the export's addresses lie under, and whether each is the owner's yet.
    public var claims: [ClaimOutcome] = []
    public var leftBehind: [String: Int] = [:]
    public var warnings: [String] = []

    public init() {}

    /// Reports stored before a field existed lack it: it reads as its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func value<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try container.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        posts = try value(.posts, 0)
        pages = try value(.pages, 0)
        comments = try value(.comments, 0)
        alreadyPresent = try value(.alreadyPresent, 0)
        photos = try value(.photos, 0)
        videos = try value(.videos, 0)
        sounds = try value(.sounds, 0)
        mediaKeptAtOldAddress = try value(.mediaKeptAtOldAddress, 0)
        mediaFailures = try value(.mediaFailures, [])
        redirects = try value(.redirects, 0)
        redirectsRefused = try value(.redirectsRefused, 0)
        claims = try value(.claims, [])
        leftBehind = try value(.leftBehind, [:])
        warnings = try value(.warnings, [])
    }

    /// What moved, in words, for the owner's contacts.
    public var movedSummary: String {
        "moved \(posts) posts, \(pages) pages, \(comments) comments, \(photos) photos and \(videos) videos"
    }

    /// Media that moved, of every kind.
    public var mediaMoved: Int { photos + videos + sounds }

    mutating func leave(_ kind: String, _ count: Int = 1) {
        leftBehind[kind, default: 0] += count
    }
}

/// A photo, video or sound that stayed at its old address, and why.
public struct MediaFailure: Sendable, Codable, Equatable {
    public var address: String
    public var reason: String

    public init(address: String, reason: String) {
        self.address = address
        self.reason = reason
    }
}
