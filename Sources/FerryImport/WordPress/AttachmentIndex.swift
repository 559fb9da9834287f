/// The media a WordPress export lists as attachments, by their own id and by the post they
/// belong to: what `[gallery]`, `[audio]` and `[video]` name. Only this export's attachments
/// are ever looked up, so a shortcode can never reach another blog's media.
struct AttachmentIndex: Sendable {
    private var addresses: [String: String] = [:]
    private var children: [String: [String]] = [:]

    mutating func add(_ attachment: ExportedAttachment) {
        if let id = attachment.numericID, addresses[id] == nil { addresses[id] = attachment.url }
        if let parent = attachment.parentNumericID, parent != "0" { children[parent, default: []].append(attachment.url) }
    }

    /// The address of the attachment with WordPress id `id`.
    func address(of id: String) -> String? {
        addresses[id]
    }

    /// The addresses of the attachments of post `postID`, in export order.
    func attached(to postID: String?) -> [String] {
        postID.flatMap { children[$0] } ?? []
    }
}
