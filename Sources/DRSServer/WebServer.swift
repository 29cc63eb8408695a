import DRSDemo
import DRSDisclosure
import DRSStorage
import Foundation
import Vapor

/// `drs serve`: the one command that links the web server.
public enum WebServer {
    /// Runs the web platform until interrupted.
    public static func serve(hostname: String, port: Int, storage: StorageLocation, catalogRoot: URL, year: Int?, demo: Bool,
                             secureCookies: Bool = false, hsts: Bool = false, trustedProxies: [String] = [],
                             safetyRules: SafetyRules = .standard, metricsToken: String? = nil, jsonLogs: Bool = false,
                             importLease: TimeInterval = ServerOptions.defaultJobLease, followUpInlineLimit: Duration = .seconds(1)) async throws {
        var env = Environment(name: "production", arguments: ["drs"])
        if jsonLogs {
            let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level) }
        } else {
            try LoggingSystem.bootstrap(from: &env)
        }
        let app = try await Application.make(env)
        app.http.server.configuration.hostname = hostname
        app.http.server.configuration.port = port
        do {
            var options = ServerOptions(storage: storage, catalogRoot: catalogRoot, surveyYear: year, demo: demo)
            options.secureCookies = secureCookies
            options.hsts = hsts
            options.trustedProxies = trustedProxies
            options.safetyRules = safetyRules
            options.metricsToken = metricsToken
            options.importLease = importLease
            options.followUpInlineLimit = followUpInlineLimit
            options.recheckInBackground = true
            try await configure(app, options)
            print("数据资源调查平台已启动：http://\(hostname):\(port)/  （数据库：\(storage)）")
            if demo { print(DemoData.banner) }
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }


    /// Bcrypt at the server's cost, for the commands that set passwords (`drs users`): the `drs`
    /// executable hands it to them, so that they need not link Vapor themselves.
    public static func hashPassword(_ password: String) throws -> String {
        try Bcrypt.hash(password)
    }
}
