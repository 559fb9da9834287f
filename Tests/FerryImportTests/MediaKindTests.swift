import FerryRender
import Testing

@testable import FerryImport

/// Which addresses name a photo, video or sound: links count only when they point at one.
@Suite struct MediaKindTests {
    @Test(arguments: [
        ("https://old.example/wp-content/a.JPG", true), ("https://old.example/a.jpg?w=604", true), ("https://old.example/talk.mp3#t=1", true),
        ("https://old.example/clip.webm", true), ("https://old.example/2010/05/post.html", false), ("https://example.org/123", false),
        ("https://old.example/a.jpg.d/page", false), ("https://old.example/", false), ("mailto:a@old.example", false),
        ("https://blogger.googleusercontent.com/img/a/AVvXsEh=s1600", true), ("http://1.bp.blogspot.com/-x/s1600/IMG", true),
        ("https://lh3.ggpht.com/photo", true), ("https://notblogspot.com/x", false), ("https://bp.blogspot.com.evil.example/x", false),
    ])
    func linksNameMediaByExtensionOrPhotoHost(_ address: String, _ isMedium: Bool) {
        #expect(MediaKind.isMedium(address, .link) == isMedium)
        #expect(MediaKind.isMedium(address, .embedded))
    }
}
