import Foundation
import Testing
@testable import DRSCharts

/// With DRS_CHART_SAMPLES=<folder> set, writes one SVG of each kind there for a human to look at.
@Suite struct SampleOutputTests {
    @Test func writeSamples() throws {
        guard let folder = ProcessInfo.processInfo.environment["DRS_CHART_SAMPLES"] else { return }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, chart) in SampleCharts.all {
            try SVGChart.render(chart).write(toFile: folder + "/" + name + ".svg", atomically: true, encoding: .utf8)
        }
        let provinces = ProvinceTiles.all.map(\.name)
        let horizontal = BarChart(title: "各省数据资源存储量", unit: "PB", categories: provinces,
                                  series: [ChartSeries(name: "存储量", values: provinces.indices.map { ChartValue(Double(($0 * 53) % 97), label: "\(($0 * 53) % 97).0") })])
        try SVGChart.render(.bar(horizontal)).write(toFile: folder + "/bar-horizontal.svg", atomically: true, encoding: .utf8)
        try SVGChart.render(.bar(BarChart(title: "空图", unit: "", categories: [], series: []))).write(toFile: folder + "/empty.svg", atomically: true, encoding: .utf8)
    }
}
