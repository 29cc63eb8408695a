import Metrics
import Foundation
import Prometheus

/// The server's metrics, served at `/metrics` in Prometheus's text format (docs/operator-guide.md,
/// "Monitoring"). One registry per process, bootstrapped once: swift-metrics has one global backend.
///
/// - `http_requests_total`, `http_request_errors_total`, `http_request_duration_seconds{method,path,status}`:
///   reported by Vapor for every request, by route pattern (never the raw path, so the series are bounded).
/// - `drs_saves_total{form,outcome}`: draft saves — `saved`, `conflict` (a stale version) or `refused`.
/// - `drs_workflow_steps_total{step,outcome}`: submit, approve, return, verify, reopen.
/// - Read when scraped (`MonitoringController`): `drs_submissions{year,status}`, `drs_import_*`,
///   `drs_reminder_run*`, `drs_database_*`, `process_resident_memory_bytes`. These go into a registry
///   of that scrape's own, emitted after the process's: two scrapes at once (two monitoring
///   servers; the tests' several applications in one process) each show what they read, never a
///   value the other set meanwhile.
enum ServerMetrics {
    static let registry = PrometheusCollectorRegistry()

    /// Installs the registry as swift-metrics' backend; later calls do nothing.
    static let bootstrapped: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Request timings from 1 ms: a draft save takes a few.
        factory.defaultDurationHistogramBuckets = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
                                                   .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                                                   .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(10)]
        MetricsSystem.bootstrap(factory)
    }()

    enum Outcome: String {
        case saved, done, conflict, refused
    }

    static func save(form: String, _ outcome: Outcome) {
        registry.makeCounter(descriptor: Series.saves.descriptor, labels: [("form", form), ("outcome", outcome.rawValue)]).increment()
    }

    static func step(_ step: String, _ outcome: Outcome) {
        registry.makeCounter(descriptor: Series.workflowSteps.descriptor, labels: [("step", step), ("outcome", outcome.rawValue)]).increment()
    }

    static func importedFile(_ outcome: String) {
        registry.makeCounter(descriptor: Series.importedFiles.descriptor, labels: [("outcome", outcome)]).increment()
    }

    static func reminded(_ channel: String) {
        registry.makeCounter(descriptor: Series.reminders.descriptor, labels: [("channel", channel)]).increment()
    }

    /// Sets a gauge: one read at scrape time (`into` that scrape's registry), or the process's state.
    static func gauge(_ series: Series, _ labels: [(String, String)], _ value: Double, into target: PrometheusCollectorRegistry = registry) {
        target.makeGauge(descriptor: series.descriptor, labels: labels).set(value)
    }

    static func gauge(_ series: Series, _ value: Double, into target: PrometheusCollectorRegistry = registry) {
        gauge(series, [], value, into: target)
    }

    /// The process's resident memory, from `/proc/self/statm` (Linux); nil elsewhere.
    static func residentMemoryBytes() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return nil }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE)))
    }
}
