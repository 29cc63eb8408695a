@testable import DRSCharts

/// Charts used across the tests, with long Chinese names, gaps and several series.
enum SampleCharts {
    static func v(_ magnitude: Double, _ label: String) -> ChartValue { ChartValue(magnitude, label: label) }

    static let bar = BarChart(
        title: "各行业数据资源存储量",
        unit: "EB",
        categories: ["信息传输、软件和信息技术服务业", "金融业", "制造业", "科学研究和技术服务业", "批发和零售业", "公共管理、社会保障和社会组织"],
        series: [
            ChartSeries(name: "2024年", values: [v(41.06, "41.06"), v(12.5, "12.50"), v(9.8, "9.80"), .suppressed(), v(3.2, "3.20"), v(7.75, "7.75")]),
            ChartSeries(name: "2025年", values: [v(48.3, "48.30"), v(14.1, "14.10"), v(11.02, "11.02"), v(5.5, "5.50"), nil]),
        ],
        horizontal: false
    )

    static let line = LineChart(
        title: "各地区数据生产量",
        unit: "EB",
        categories: ["2020年", "2021年", "2022年", "2023年", "2024年"],
        series: [
            ChartSeries(name: "东部地区", values: [v(20.1, "20.10"), v(24.3, "24.30"), .suppressed(), v(30.2, "30.20"), v(35.8, "35.80")]),
            ChartSeries(name: "中部地区", values: [v(10.2, "10.20"), v(12, "12.00"), v(14.5, "14.50"), v(16.1, "16.10"), v(19.9, "19.90")]),
            ChartSeries(name: "西部地区", values: [nil, v(6.1, "6.10"), v(7, "7.00"), v(9.8, "9.80"), v(12.4, "12.40")]),
            ChartSeries(name: "东北地区", values: [v(2.1, "2.10"), v(2.5, "2.50"), v(3, "3.00")]),
        ]
    )

    static let stacked = StackedShareChart(
        title: "数据存储结构",
        categories: ["东部地区", "中部地区", "西部地区", "东北地区"],
        parts: [
            ChartSeries(name: "结构化数据", values: [v(42.5, "42.5"), v(38.1, "38.1"), v(30.0, "30.0"), v(2.1, "2.1")]),
            ChartSeries(name: "半结构化数据", values: [v(30.2, "30.2"), v(31.4, "31.4"), .suppressed(), v(1.4, "1.4")]),
            ChartSeries(name: "非结构化数据", values: [v(27.3, "27.3"), v(30.5, "30.5"), v(45.5, "45.5"), v(96.5, "96.5")]),
        ]
    )

    /// All 31 provinces with skewed values; 藏 withheld, 青 missing.
    static let tileMap: TileMap = {
        var values: [String: ChartValue] = [:]
        for (position, province) in ProvinceTiles.all.enumerated() {
            let magnitude = Double((position * 37) % 100) + Double(position) * 0.25
            values[province.code] = ChartValue(magnitude, label: NumberText.fixed(magnitude, decimals: 2))
        }
        values["540000"] = .suppressed()
        values["630000"] = nil
        return TileMap(title: "各省数据资源存储量", unit: "PB", values: values)
    }()

    static let all: [(String, Chart)] = [
        ("bar", .bar(bar)),
        ("line", .line(line)),
        ("stacked", .stackedShare(stacked)),
        ("tilemap", .tileMap(tileMap)),
    ]
}
