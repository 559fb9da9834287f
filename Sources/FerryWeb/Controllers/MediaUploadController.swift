import Crypto
import FerryCore
import FerryStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// `POST /api/blogs/{slug}/media`: a photo or video for a post of the owner's blog, sent as
/// the raw body with its `Content-Type`, or as the file of a `multipart/form-data` body (a
/// form's `file` field). Stored by hash like imported media (the same file
/// is kept once), into the blog's library, so whoever may read the blog may fetch it; size,
/// type (declared and actual bytes) and the owner's quota are checked first.
struct MediaUploadController {
    let uploader: MediaUploader

    func addRoutes(readers: RouterGroup<AppRequestContext>) {
        readers.post(RouterPath(SitePath.API.uploadsPattern), use: upload)
    }

    struct UploadResponse: ResponseEncodable {
        var url: String
        var contentType: String
        var size: Int
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<UploadResponse> {
        let session = try context.requireSession()
        let blog = try await uploader.database.ownedBlog(try RouteParameters.slug(context), by: session.identityID)
        let media = try await store(request, by: session.identityID, into: blog)
        return EditedResponse(
            status: .created, headers: [.location: media.path],
            response: UploadResponse(url: media.path, contentType: media.contentType, size: media.size)
        )
    }

    /// Stores the upload, raw or the file of a form, streamed to disk on its way.
    private func store(_ request: Request, by owner: IdentityID, into blog: Blog) async throws -> StoredMedia {
        let contentType = request.headers[.contentType] ?? ""
        guard let boundary = MultipartForm.boundary(of: contentType) else {
            return try await uploader.store(request, by: owner, into: blog, field: "body")
        }
        return try await uploader.withSpoolFile { spooled in
            let sink = try FileSink(file: spooled, limit: uploader.limits.maxBytes, tooLarge: uploader.tooLarge)
            let form = try await MultipartForm.read(request.body, boundary: boundary, fieldBytes: 16 * 1_024) { field, _ in
                field == "file" ? sink : nil
            }
            guard let file = form.files["file"] else {
                throw FerryError.invalid("file", "the form holds no file: send the photo or video in its `file` field")
            }
            return try await uploader.store(file: spooled, size: sink.written, declaredType: file.contentType, by: owner, into: blog, field: "body")
        }
    }
}

/// Stores a photo or video an owner sends for a post, for the API and the editor alike: its
/// type (declared and actual bytes) and the owner's quota are checked first; it is stored by
/// hash like imported media (the same file is kept once), into the blog's library.
struct MediaUploader {
    let database: any Store
    let library: MediaLibrary
    let limits: UploadLimits
    /// Where uploads are written as they arrive, before they are checked and stored.
    let spool: URL

    var tooLarge: FerryError { FerryError(.tooLarge, "a photo or video may have at most \(limits.maxBytes) bytes") }

    /// Runs `body` with a new file name in the spool; the file is gone afterwards (moved into
    /// the library, or removed).
    func withSpoolFile<T>(_ body: (URL) async throws -> T) async throws -> T {
        let file = spool.appendingPathComponent(SymmetricKey(size: .bits128).withUnsafeBytes { $0.hexadecimal })
        defer { try? FileManager.default.removeItem(at: file) }
        return try await body(file)
    }

    /// Stores the raw body of `request`, declared by its `Content-Type`, written to the spool
    /// as it arrives: refused past the size limit (from `Content-Length` before anything is
    /// read, when it says), never held in memory. Errors about the bytes name `field`.
    func store(_ request: Request, by owner: IdentityID, into blog: Blog, field: String) async throws -> StoredMedia {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limits.maxBytes { throw tooLarge }
        return try await withSpoolFile { spooled in
            let sink = try FileSink(file: spooled, limit: limits.maxBytes, tooLarge: tooLarge)
            for try await chunk in request.body { try sink.write(ArraySlice(chunk.readableBytesView)) }
            return try await store(
                file: spooled, size: sink.written, declaredType: request.headers[.contentType] ?? "", by: owner, into: blog, field: field)
        }
    }

    /// Stores the file at `url` (moved into the library, never read whole into memory), declared
    /// as `declaredType`; whatever is refused leaves the file where it is, for its owner to remove.
    func store(file url: URL, size: Int, declaredType: String, by owner: IdentityID, into blog: Blog, field: String) async throws -> StoredMedia {
        let handle = try FileHandle(forReadingFrom: url)
        let head = try handle.read(upToCount: UploadType.headLength) ?? Data()
        try handle.close()
        let type = try checkedType(declaredType, head: head, size: size, field: field)
        let hash = try await NIOThreadPool.singleton.runIfActive { try MediaLibrary.hash(file: url) }
        try await database.checkUploadRoom(for: hash, bytes: size, by: owner, quota: limits.quotaBytes)
        let media = try await library.store(file: url, size: size, contentType: type.rawValue, hash: hash)
        try await database.recordUpload(media, by: owner, into: blog.id, quota: limits.quotaBytes)
        return media
    }

    /// The upload's type, if it is declared as a photo or video, its first bytes are one, and
    /// it is no larger than the limit.
    private func checkedType(_ declaredType: String, head: Data, size: Int, field: String) throws -> UploadType {
        let name = declaredType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard let type = UploadType(rawValue: name) else {
            throw FerryError(
                .unsupportedType, "send a photo or video with its Content-Type, one of \(UploadType.names); this is '\(name)'", field: field)
        }
        guard type.matches(head) else {
            throw FerryError.invalid(field, "the bytes are not a \(type.description), whatever the Content-Type says")
        }
        guard size <= limits.maxBytes else { throw tooLarge }
        return type
    }
}

/// How large one upload may be, and how many bytes of uploads one identity may keep.
public struct UploadLimits: Sendable {
    public var maxBytes = 50 << 20
    public var quotaBytes = 1 << 30

    public init() {}
}

/// The photo and video types an upload may have, each known by its first bytes.
enum UploadType: String, CaseIterable, CustomStringConvertible {
    case jpeg = "image/jpeg"
    case png = "image/png"
    case gif = "image/gif"
    case webp = "image/webp"
    case mp4 = "video/mp4"
    case webm = "video/webm"

    static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

    var description: String {
        switch self {
        case .jpeg: "JPEG photo"
        case .png: "PNG image"
        case .gif: "GIF image"
        case .webp: "WebP image"
        case .mp4: "MP4 video"
        case .webm: "WebM video"
        }
    }

    /// How many first bytes `matches` reads.
    static let headLength = 12

    /// Whether `data` starts the way a file of this type does.
    func matches(_ data: Data) -> Bool {
        let bytes = [UInt8](data.prefix(Self.headLength))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        switch self {
        case .jpeg: return starts([0xFF, 0xD8, 0xFF])
        case .png: return starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case .gif: return starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8))
        case .webp: return starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8)
        case .mp4: return starts(Array("ftyp".utf8), at: 4)
        case .webm: return starts([0x1A, 0x45, 0xDF, 0xA3])
        }
    }
}
