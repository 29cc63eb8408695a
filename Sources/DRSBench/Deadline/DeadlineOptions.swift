import Foundation

/// What `drs bench deadline` runs: against which database, how many instances, at what rate, for how
/// long, and whether one instance is killed part-way.
public struct DeadlineOptions: Sendable {
    /// The database as `drs serve --database` takes it (an SQLite file or postgres://…), holding a
    /// synthetic nation made with `drs demo nation --accounts`.
    public var database: String
    /// Instances of `drs serve` this bench starts (ports `port`, `port`+1, …); ignored with `targets`.
    public var instances: Int
    /// Base URLs of instances already running (the bench then neither starts nor kills any).
    public var targets: [String]
    /// Seconds of load before the measured `seconds`, counted in nothing: instances that have just
    /// started read their caches full and compute each aggregate a first time.
    public var warmUp: Double
    public var seconds: Double
    /// Paced requests per second over all connections (draft saves, pages, submissions, queues, returns).
    public var rate: Double
    public var connections: Int
    /// Units whose filers take part (each a draft or returned submission of this year).
    public var filers: Int
    /// Seconds after the start at which the last instance is killed with SIGKILL.
    public var killAfter: Double?
    /// Seconds per window of the report's window lines (`deadline-window`).
    public var window: Double
    /// Whether the national office runs aggregates beside the load (one at a time, all the while).
    public var aggregate: Bool
    /// The statuses the national office aggregates (the API's `status`): `verified`, its default, is
    /// kept by each instance until a change to verified figures is heard; any other list is computed
    /// every time.
    public var aggregateStatuses: String
    public var port: Int
    /// The password of the nation's accounts (admin, review-<区划>), as given to `drs demo nation`.
    public var password: String
    public var catalogRoot: URL
    /// The `drs` executable that serves (this program).
    public var executable: String

    public init(database: String, instances: Int, targets: [String], warmUp: Double = 0, seconds: Double, rate: Double, connections: Int,
                filers: Int, killAfter: Double?, window: Double = 60, aggregate: Bool, aggregateStatuses: String = "verified", port: Int, password: String,
                catalogRoot: URL, executable: String) {
        self.database = database
        self.instances = instances
        self.targets = targets
        self.warmUp = warmUp
        self.seconds = seconds
        self.rate = rate
        self.connections = connections
        self.filers = filers
        self.killAfter = killAfter
        self.window = window
        self.aggregate = aggregate
        self.aggregateStatuses = aggregateStatuses
        self.port = port
        self.password = password
        self.catalogRoot = catalogRoot
        self.executable = executable
    }

    var engine: String { database.hasPrefix("postgres") ? "postgresql" : "sqlite" }
}
