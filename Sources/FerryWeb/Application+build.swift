import FerryCore
import FerryImport
import FerryRender
import FerryStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the whole web application: database, routes, middleware. `ferry serve`, the
/// benchmarks and the tests all call this one function.
///
/// - Parameter onServerRunning: called with the bound port once the server accepts
///   connections (useful with port 0).
public func buildApplication(
    configuration: FerryConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let opened = try await OpenedStore.open(configuration)
    let database = opened.store
    let idAuthority = try await SiteAddress.idAuthority(configuration, database: database)
    let site = SiteAddress(configuration, idAuthority: idAuthority)
    let publisher = FeedPublisher(
        database: database, feed: BlogFeed(site: site, externalHub: configuration.webSub.externalHub), directory: configuration.feedsDirectory,
        logger: logger)
    try await publisher.removeFilesOfPrivateFeeds()
    let hub = WebSubHub(database: database, publisher: publisher, settings: configuration.webSub, client: configuration.callbackClient, logger: logger)
    let pages = PageCache(database: database, byteBudget: configuration.pageCacheBytes)
    database.changes.listen { [weak pages, weak publisher, weak hub] blog in
        await pages?.blogChanged(blog)
        let rendered = await publisher?.refresh(blog)
        await hub?.topicChanged(blog, rendered: rendered)
    }
    database.changes.listenToProfiles { [weak pages] identity in pages?.profileChanged(identity) }
    let library = MediaLibrary(database: database, directory: configuration.mediaDirectory)
    let fetcher = MediaFetcher(limits: configuration.mediaLimits)
    let worker = MigrationWorker(
        database: database, directory: configuration.dataDirectory.appendingPathComponent("migrations"),
        flow: configuration.importFlow(database: database, fetcher: fetcher, ownHosts: site.ownHosts),
        maxUnpackedBytes: configuration.maxImportBytes * 4,
        policy: MigrationWorker.Policy(
            sideBySide: configuration.migrationsSideBySide, maxAttempts: configuration.migrationAttempts,
            uploadLifetime: configuration.uploadLifetime, lease: configuration.migrationLease
        ),
        logger: logger
    )
    let router = try await buildRouter(
        configuration: configuration, database: database, site: site, publisher: publisher, worker: worker, library: library,
        verifier: ClaimVerifier(fetcher: fetcher), hub: hub, pages: pages
    )
    return Application(
        responder: KeptPageResponder(cache: pages, site: site, router: router.buildResponder()),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "ferry"
        ),
        services: [
            StoreCloser(store: opened), worker,
            ChangeFollower(store: database, interval: configuration.changeFollowInterval, logger: logger),
            WebSubDeliverer(hub: hub),
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            site.bound(configuration, port: port)
            await onServerRunning(port)
        },
        logger: logger
    )
}

func buildRouter(
    configuration: FerryConfiguration, database: any Store, site: SiteAddress, publisher: FeedPublisher, worker: MigrationWorker,
    library: MediaLibrary, verifier: ClaimVerifier, hub: WebSubHub, pages: PageCache
) async throws -> Router<AppRequestContext> {
    let hasher = PasswordHasher(cost: configuration.bcryptCost)
    let authenticator = Authenticator(
        database: database, hasher: hasher, sessionLifetime: configuration.sessionLifetime,
        throttle: SignInThrottle(policy: configuration.signInThrottle, shared: database),
        clientThrottle: SignInThrottle(policy: configuration.clientSignInThrottle, subject: "address", shared: database)
    )
    let limits = RequestLimits(jsonBodyBytes: configuration.maxJSONBodyBytes, htmlBytes: configuration.maxPostHTMLBytes)
    let renderer = try await PageRenderer(templatesDirectory: configuration.publicDirectory.appendingPathComponent("templates"))
    let authentication = BearerAuthentication(database: database)
    let sanitizer = HTMLSanitizer()

    // Every route that answers GET answers HEAD (RFC 9110 §9.3.2): the same status and
    // headers, `Content-Length` included, and no body.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: RequestLogMiddleware())
    let routes = RouteTable()
    router.add(middleware: ProblemMiddleware(renderer: renderer, routes: routes))
    router.add(middleware: RedirectMiddleware(database: database, site: site, authenticator: authenticator))
    // Feeds, the pages readers see and the sitemap are the hottest routes: registered before
    // the static-file middleware, which only ever serves paths under /static, so they skip it.
    FeedController(database: database, publisher: publisher, authenticator: authenticator)
        .addRoutes(to: router)
    PageController(database: database, renderer: renderer, authenticator: authenticator, window: configuration.migrationWindow, cache: pages)
        .addRoutes(to: router)
    SiteController(site: site, sitemaps: SitemapPublisher(database: database, site: site, pages: pages))
        .addRoutes(to: router)
    router.add(
        middleware: FileMiddleware(
            configuration.publicDirectory.appendingPathComponent("static").path,
            urlBasePath: SitePath.staticAssets,
            searchForIndexHtml: false
        ))

    router.get(RouterPath(SitePath.healthCheck)) { _, _ in HTTPResponse.Status.ok }

    // Each group adds its middleware to its own routes only; paths come whole from SitePath.
    let anyone = router.group()
    let signedIn = router.group().add(middleware: authentication)
    var optionalAuthentication = authentication
    optionalAuthentication.required = false
    let readers = router.group().add(middleware: optionalAuthentication)
    IdentityController(database: database, hasher: hasher, limits: limits, window: configuration.migrationWindow)
        .addRoutes(anyone: anyone, signedIn: signedIn)
    SessionController(authenticator: authenticator, limits: limits)
        .addRoutes(anyone: anyone, signedIn: signedIn)
    ContactController(database: database, limits: limits)
        .addRoutes(signedIn: signedIn)
    BlogController(database: database, limits: limits)
        .addRoutes(readers: readers, signedIn: signedIn)
    WebSubController(hub: hub)
        .addRoutes(to: router, readers: readers)
    MessengerLinkController(database: database, authenticator: authenticator, limits: limits)
        .addRoutes(readers: readers)
    StreamController(
        database: database, authenticator: authenticator, limits: limits, cursors: try await database.streamCursors(), site: site,
        renderer: renderer
    )
    .addRoutes(to: router, signedIn: signedIn)
    PostController(database: database, limits: limits, sanitizer: sanitizer)
        .addRoutes(readers: readers)
    CommentController(database: database, limits: limits, sanitizer: sanitizer)
        .addRoutes(readers: readers)
    let export = ExportController(database: database, site: site)
    export.addRoutes(readers: readers)
    let uploader = MediaUploader(
        database: database, library: library, limits: configuration.mediaUploads, spool: configuration.dataDirectory.appendingPathComponent("uploads"))
    MediaUploadController(uploader: uploader)
        .addRoutes(readers: readers)
    let intake = MigrationIntake(
        database: database, worker: worker, maxExportBytes: configuration.maxImportBytes, pending: configuration.pendingUploads,
        window: configuration.migrationWindow
    )
    MigrationController(intake: intake)
        .addRoutes(signedIn: signedIn)
    ClaimController(database: database, verifier: verifier, authenticator: authenticator)
        .addRoutes(to: router, signedIn: signedIn)

    // The owner's own pages: the session cookie, or off to sign in and back.
    let browsers = router.group().add(middleware: CookieSession(authenticator: authenticator))
    let accountPages = AccountPages(database: database, renderer: renderer)
    MoveController(intake: intake, authenticator: authenticator, pages: accountPages)
        .addRoutes(anyone: anyone, browsers: browsers)
    DashboardController(database: database, authenticator: authenticator, pages: accountPages)
        .addRoutes(browsers: browsers, export: export)
    PostEditorController(database: database, uploader: uploader, limits: limits, sanitizer: sanitizer, pages: accountPages)
        .addRoutes(browsers: browsers)
    ContactsController(database: database, pages: accountPages)
        .addRoutes(browsers: browsers)
    DesktopEditorHelp(database: database, authenticator: authenticator, renderer: renderer, site: site)
        .addRoutes(anyone: anyone)
    SignInController(authenticator: authenticator, renderer: renderer, site: site)
        .addRoutes(to: router)
    SignUpController(database: database, authenticator: authenticator, hasher: hasher, renderer: renderer, site: site)
        .addRoutes(to: router)
    WebFingerController(database: database, site: site)
        .addRoutes(to: router)
    MediaController(library: library, authenticator: authenticator)
        .addRoutes(to: router)
    EditorDiscoveryController(database: database, authenticator: authenticator, site: site)
        .addRoutes(to: router)
    let editorAPI = BlogEditorAPI(
        database: database, authenticator: authenticator, uploader: uploader, limits: limits, sanitizer: sanitizer, site: site)
    XMLRPCController(api: editorAPI, directory: configuration.dataDirectory.appendingPathComponent("xmlrpc"))
        .addRoutes(to: router)
    AtomPubController(api: editorAPI, directory: configuration.dataDirectory.appendingPathComponent("atompub"))
        .addRoutes(to: router)
    routes.fill(from: router)
    return router
}
