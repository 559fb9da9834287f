/// Comments as a page shows them: each thread oldest first, every reply after the comment it
/// answers and before the next comment at its parent's level, whatever order they were stored
/// in (Blogger exports list the newest first).
public struct ThreadedComment: Sendable, Equatable {
    public var comment: Comment
    /// 0 for a comment on the post, 1 for a reply to it, and so on.
    public var depth: Int
}

extension Comment {
    /// `comments` in reading order. A reply whose parent is not among them reads as a comment
    /// on the post; a cycle (only broken data makes one) is broken the same way.
    public static func threaded(_ comments: [Comment]) -> [ThreadedComment] {
        let ids = Set(comments.map(\.id))
        var replies: [CommentID: [Comment]] = [:]
        var roots: [Comment] = []
        for comment in comments {
            if let parent = comment.parentID, parent != comment.id, ids.contains(parent) {
                replies[parent, default: []].append(comment)
            } else {
                roots.append(comment)
            }
        }
        let byAge: (Comment, Comment) -> Bool = { ($0.createdAt, $0.id.rawValue) < ($1.createdAt, $1.id.rawValue) }
        var ordered: [ThreadedComment] = []
        ordered.reserveCapacity(comments.count)
        var visited: Set<CommentID> = []
        // Depth first without recursion: replies nest as deep as the export says.
        var stack: [(Comment, Int)] = roots.sorted(by: byAge).reversed().map { ($0, 0) }
        while let (comment, depth) = stack.popLast() {
            guard visited.insert(comment.id).inserted else { continue }
            ordered.append(ThreadedComment(comment: comment, depth: depth))
            for reply in (replies[comment.id] ?? []).sorted(by: byAge).reversed() { stack.append((reply, depth + 1)) }
        }
        // Comments only reachable through a cycle are shown as comments on the post.
        for comment in comments.sorted(by: byAge) where !visited.contains(comment.id) {
            visited.insert(comment.id)
            ordered.append(ThreadedComment(comment: comment, depth: 0))
        }
        return ordered
    }
}
