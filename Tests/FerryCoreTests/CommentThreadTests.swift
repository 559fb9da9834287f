import FerryCore
import Foundation
import Testing

@Suite struct CommentThreadTests {
    func comment(_ id: Int64, parent: Int64? = nil, minute: Int) -> FerryCore.Comment {
        FerryCore.Comment(
            id: CommentID(id), postID: PostID(1), author: .anonymous(name: "n\(id)"), content: "c\(id)",
            createdAt: Date(timeIntervalSince1970: Double(minute * 60)), parentID: parent.map(CommentID.init)
        )
    }

    @Test func threadsReadOldestFirstWithRepliesUnderTheirParents() {
        // Stored newest first, as a Blogger export lists them.
        let stored = [
            comment(6, parent: 5, minute: 60), comment(5, parent: 1, minute: 50), comment(4, minute: 40),
            comment(3, parent: 1, minute: 30), comment(2, minute: 20), comment(1, minute: 10),
        ]
        let threaded = FerryCore.Comment.threaded(stored)
        #expect(threaded.map(\.comment.id.rawValue) == [1, 3, 5, 6, 2, 4])
        #expect(threaded.map(\.depth) == [0, 1, 1, 2, 0, 0])
    }

    @Test func missingParentsAndCyclesReadAsCommentsOnThePost() {
        let stored = [comment(1, parent: 99, minute: 1), comment(2, parent: 3, minute: 2), comment(3, parent: 2, minute: 3), comment(4, parent: 4, minute: 4)]
        let threaded = FerryCore.Comment.threaded(stored)
        #expect(Set(threaded.map(\.comment.id.rawValue)) == [1, 2, 3, 4])
        #expect(threaded.count == 4)
        #expect(threaded.first?.comment.id.rawValue == 1 && threaded.first?.depth == 0)
    }

    @Test func deepThreadsNeedNoRecursion() {
        let stored = (1...20_000).map { comment(Int64($0), parent: $0 > 1 ? Int64($0 - 1) : nil, minute: $0) }
        let threaded = FerryCore.Comment.threaded(stored.reversed())
        #expect(threaded.map(\.depth) == Array(0..<20_000))
    }
}
