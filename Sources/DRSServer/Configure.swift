import DRSCatalog
import DRSCore
import DRSDemo
import DRSDisclosure
import DRSOffice
import DRSStorage
import Fluent
import Foundation
import Leaf
import LeafKit
import SQLKit
import Vapor

/// How to start the platform.
public struct ServerOptions: Sendable {
    public var storage: StorageLocation
    public var catalogRoot: URL
    public var surveyYear: Int?
    public var demo: Bool
    public var today: (@Sendable () -> Date)?
    /// Bcrypt cost; lower only in tests.
    public var passwordCost: Int
    /// Served over HTTPS (a TLS-terminating proxy in front): cookies are marked Secure.
    public var secureCookies = false
    /// Send Strict-Transport-Security (only when served over HTTPS; implies Secure cookies).
    public var hsts = false
    /// Proxies (IP addresses) whose X-Forwarded-For is believed; from anyone else it is ignored.
    public var trustedProxies: [String] = []
    /// A session ends after this long without a request, and this long after login.
    public var sessionIdleTimeout: TimeInterval = 3600
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// Password checks run on their own threads; a login that would wait longer than `passwordMaxWait`
    /// seconds for one (or past `passwordQueueLimit` admitted at once) is refused at once (429).
    public var passwordThreads = max(1, System.coreCount / 2)
    public var passwordQueueLimit = 256
    public var passwordMaxWait: TimeInterval = 2
    /// The safety rules of `protect=1` (统计法第二十八条); the server's, never a request's.
    public var safetyRules: SafetyRules = .standard
    /// How long an import job or a 催报 run stays with a worker that stopped renewing its lease (JobWorker).
    public var importLease: TimeInterval = ServerOptions.defaultJobLease
    /// A live worker renews every third of it (`LeaseHeartbeat`), so it need not outlast a long step:
    /// it is how long a killed instance's job waits before another instance takes it up.
    public static let defaultJobLease: TimeInterval = 20
    /// Keep stored check results current in the background (`CheckRefresher`); `drs serve` does,
    /// the tests check its rounds directly.
    public var recheckInBackground = false
    /// 核查清单 whose last computation took less than this are computed again before a page shows a
    /// change; longer ones are shown as stored, marked, while computed in the background (`FollowUpKeeper`).
    public var followUpInlineLimit: Duration = .seconds(1)
    /// The bearer token `/metrics` asks for; without one it answers only direct local requests.
    public var metricsToken: String?
    /// The wall clock of sessions and login throttling (tests move it).
    public var clock: (@Sendable () -> Date)?

    public init(storage: StorageLocation, catalogRoot: URL, surveyYear: Int? = nil, demo: Bool = false,
                today: (@Sendable () -> Date)? = nil, passwordCost: Int = 12) {
        self.storage = storage
        self.catalogRoot = catalogRoot
        self.surveyYear = surveyYear
        self.demo = demo
        self.today = today
        self.passwordCost = passwordCost
    }
}

/// Configures an application: catalog, database and migrations, sessions in the database, pages,
/// security middleware and every route.
public func configure(_ app: Application, _ options: ServerOptions) async throws {
    let catalog = try CompiledCatalog(try CatalogLoader.load(root: options.catalogRoot, year: options.surveyYear))
    let today = options.today ?? { Date() }
    let year = options.surveyYear ?? Platform.currentSurveyYear(catalog.catalog.survey, today: today())
    app.storage[ReadCacheKey.self] = ReadCache()
    _ = ServerMetrics.bootstrapped
    // Aggregates, releases and follow-up lists share the machine with filers' requests from now on.
    Offload.leaveRoomForRequests()
    app.storage[MonitoringSettingsKey.self] = MonitoringSettings(token: options.metricsToken,
                                                                 connectionsPerEventLoop: options.storage.connectionsPerEventLoop)
    app.catalogRoot = options.catalogRoot
    app.platform = Platform(catalog: catalog, surveyYear: year, gate: options.storage.isSQLite ? WriteGate() : nil, today: today,
                            safetyRules: options.safetyRules, checkEngine: CheckStamp.engine(catalogRoot: options.catalogRoot),
                            followUpInlineLimit: options.followUpInlineLimit)
    app.passwords.use(.bcrypt(cost: options.passwordCost))
    try await openDatabase(app, options)
    configureSessionsAndLogins(app, options)
    let resources = Bundle.module.bundleURL.resolvingSymlinksInPath().appendingPathComponent("Resources")
    configurePages(app, resources: resources)
    installMiddleware(app, options, resources: resources)
    try registerRoutes(app, resources: resources)
    try OfficeTools.register(app, storage: options.storage)
    // Bulk imports are worked by every instance from the database (ImportWorker); started once the
    // demo data (below) is in.
    let lease = options.importLease
    let importer = JobWorker(kind: "import") { app, name in await ImportWorker(lease: lease, name: name).work(app) }
    app.storage[ImportWorkerKey.self] = importer
    app.lifecycle.use(importer)
    // 催报 runs likewise (ReminderRunner), under the same lease.
    let reminders = JobWorker(kind: "reminders") { app, name in await ReminderRunner(lease: lease, name: name).work(app) }
    app.storage[ReminderWorkerKey.self] = reminders
    app.lifecycle.use(reminders)
    if options.recheckInBackground { app.lifecycle.use(CheckRefresher()) }
    app.lifecycle.use(FollowUpLifecycle(warmUp: options.recheckInBackground))
    app.lifecycle.use(CheckOutboxFlusher())
    app.lifecycle.use(TallyCompaction())
    if options.demo {
        let platform = app.platform, password = app.password
        try await DemoData.seed(on: app.db, catalog: platform.catalog, surveyYear: platform.surveyYear, store: platform.store(app.db)) {
            try await password.async.hash($0)
        }
    }
}

/// Registers the database, migrates it, and on SQLite sets WAL and opens the single writer.
private func openDatabase(_ app: Application, _ options: ServerOptions) async throws {
    try options.storage.register(in: app.databases)
    app.migrations.add(Schema.migrations)
    try await app.autoMigrate()
    if options.storage.isSQLite {
        // WAL: one writer, readers alongside it. The other settings are per connection: one per event loop.
        for loop in app.eventLoopGroup.makeIterator() {
            guard let sql = app.databases.database(logger: app.logger, on: loop) as? any SQLDatabase else { continue }
            try await SQLiteConnectionSettings.apply(on: sql)
        }
    }
    if case .sqliteFile(let path) = options.storage {
        let lock = try SingleServerLock(databasePath: path)
        let writer = try SQLiteWriter(path: path)
        app.platform.writer = writer
        await app.platform.gate?.holding(writer)
        app.lifecycle.use(WriterShutdown(writer: writer, lock: lock))
    }
}

/// Sessions in the database (kept in memory too: on SQLite always, on PostgreSQL while the change feed
/// listens), their cookie, and the login guards.
private func configureSessionsAndLogins(_ app: Application, _ options: ServerOptions) {
    // One server per SQLite database: it sees every session change, so it may keep them in memory.
    // With PostgreSQL, sessions are kept only while the change feed announces every change to them.
    let sessionCache = SessionCache(alwaysHearing: options.storage.isSQLite)
    if case .postgres(let url) = options.storage {
        app.lifecycle.use(ChangeListening(feed: ChangeFeed(url: url), sessions: sessionCache))
    }
    let clock = options.clock ?? { Date() }
    let sessionPolicy = SessionPolicy(idle: options.sessionIdleTimeout, lifetime: options.sessionLifetime)
    let gate = app.platform.gate
    app.sessions.use { _ in DatabaseSessions(gate: gate, cache: sessionCache, policy: sessionPolicy, now: clock) }
    app.sessions.configuration.cookieName = SessionSettings.cookieName
    let secureCookies = options.secureCookies || options.hsts
    // Max-Age only: Vapor re-sends the cookie on every response, and formatting an `Expires` date
    // builds a new ICU date formatter each time (measured: 15% of a draft save's CPU).
    app.sessions.configuration.cookieFactory = { id in
        HTTPCookies.Value(string: id.string, maxAge: Int(sessionPolicy.lifetime), path: "/", isSecure: secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
    // Logins: bcrypt on its own pool, throttled per account and address (in memory on SQLite, the
    // only server; in the database on PostgreSQL, shared by every server); forwarded addresses
    // only from trusted proxies.
    let throttleStore: any ThrottleStore = options.storage.isSQLite ? MemoryThrottleStore() : SQLThrottleStore(db: { [weak app] in app?.db })
    app.storage[LoginSecurityKey.self] = LoginSecurity(
        hashing: PasswordHashing(threads: options.passwordThreads, queueLimit: options.passwordQueueLimit,
                                 maxWait: options.passwordMaxWait, cost: options.passwordCost),
        throttle: LoginThrottle(store: throttleStore, now: clock),
        sessions: SessionRevocation(gate: gate, cache: sessionCache, policy: sessionPolicy, now: clock),
        secureCookies: secureCookies)
    app.lifecycle.use(LoginSecurityShutdown())
    app.storage[TrustedProxiesKey.self] = TrustedProxies(options.trustedProxies)
}

/// Leaf, sandboxed to the bundle's views.
private func configurePages(_ app: Application, resources: URL) {
    let views = resources.appendingPathComponent("Views").path + "/"
    app.leaf.configuration.rootDirectory = views
    // Sandboxed to the views folder; not `.toVisibleFiles`, since a built bundle may sit under `.build/`.
    app.leaf.sources = .singleSource(NIOLeafFiles(fileio: app.fileio, limits: [.toSandbox, .requireExtensions],
                                                  sandboxDirectory: views, viewDirectory: views))
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.views.use(.leaf)
}

/// The middleware, outermost first, and the body limits every request meets.
///
/// Each is a `Middleware` answering on the event loop, never an `AsyncMiddleware`: Vapor runs every
/// `AsyncMiddleware` as a task of its own and waits for the next one's future inside it, so a chain
/// of nine made nine tasks and some twenty hand-offs between the event loop and the task pool per
/// request, before the route's own task. Only what must wait (a form's body for its CSRF token, an
/// account or session not kept, an error page) starts a task.
private func installMiddleware(_ app: Application, _ options: ServerOptions, resources: URL) {
    app.routes.defaultMaxBodySize = "1mb"
    _ = GlobalContentDecoders.installed
    app.middleware = Middlewares()
    app.middleware.use(MemoryReleaseMiddleware())   // outermost: after the response is made
    app.middleware.use(ServerTimingMiddleware())   // the time covers everything below
    app.middleware.use(SecurityHeadersMiddleware(hsts: options.hsts))   // error pages get the headers too
    app.middleware.use(ErrorResponder())
    app.middleware.use(MultipartGuardMiddleware())   // before anything reads a body
    app.middleware.use(StaticFiles(files: FileMiddleware(publicDirectory: resources.appendingPathComponent("Public").path + "/")))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(CurrentUserMiddleware())
    app.middleware.use(CSRFMiddleware())
}

/// Every route, each with its access rule (`secure`).
private func registerRoutes(_ app: Application, resources: URL) throws {
    try AuthController().register(app)
    try SubmissionController().register(app)
    try UnitController().register(app)
    try PageController().register(app)
    try UnitPages().register(app)
    try ReviewController().register(app)
    try ReviewPages().register(app)
    try ConsolidationController().register(app)
    try ProgressController().register(app)
    try AggregateController().register(app)
    try FollowUpController().register(app)
    try ExportController().register(app)
    try SDMXController().register(app)
    try TemplateController().register(app)
    try ImportController().register(app)
    try ReportController().register(app)
    app.routes.secure(.GET, "api", "v1", "openapi.json", access: .open) { req async throws -> Response in
        let url = resources.appendingPathComponent("openapi.json")
        let response = Response(status: .ok, body: .init(data: try Data(contentsOf: url)))
        response.headers.contentType = .json
        return response
    }
    try MonitoringController().register(app)
    // Multipart only where files are taken; everywhere it is decoded, its part headers are checked first.
    try MultipartGuardMiddleware.accept([(.POST, "/api/v1/import/jobs")], in: app)
}

/// Vapor's content decoders are global to the process. Both of ours are installed together, once:
/// installed by each `configure`, two applications set up at once (the tests) could each read the
/// table, change their entry and write it back, one undoing the other, which left multipart bodies
/// without their header check.
enum GlobalContentDecoders {
    static let installed: Void = {
        // Every JSON body is read strictly first: no repeated keys, no leading zeros (StrictJSON.swift).
        ContentConfiguration.global.use(decoder: StrictJSONDecoder(), for: .json)
        // Multipart only where files are taken; everywhere it is decoded, its part headers are checked first.
        ContentConfiguration.global.use(decoder: CheckedFormDataDecoder(), for: .formData)
    }()
}

/// Serves `/css/…` and `/js/…` from the bundle; every other request skips the file system. A request
/// that matched a route is never a file (and its URI need not be parsed again to tell).
struct StaticFiles: Middleware {
    let files: FileMiddleware

    func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.route == nil else { return next.respond(to: request) }
        let path = request.url.path
        guard path.hasPrefix("/css/") || path.hasPrefix("/js/") else { return next.respond(to: request) }
        return files.respond(to: request, chainingTo: next)
    }
}

/// Closes the SQLite writer when the application stops, and lets another server have the file.
struct WriterShutdown: LifecycleHandler {
    let writer: SQLiteWriter
    let lock: SingleServerLock
    func shutdown(_ application: Application) {
        writer.close()
        lock.release()
    }
}

extension Application {
    /// The data year on the filers' pages (for tools that drive a configured platform, such as the benchmark).
    public var surveyYear: Int { platform.surveyYear }
}
