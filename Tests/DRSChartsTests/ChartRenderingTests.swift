import Testing
@testable import DRSCharts

/// Every label a chart must print: categories, series or part names, value and gap labels.
private func expectedTexts(_ chart: Chart) -> [String] {
    func seriesTexts(_ categories: [String], _ series: [ChartSeries]) -> [String] {
        categories + series.flatMap { item in categories.indices.map { item.value(at: $0).label } }
    }
    switch chart {
    case .bar(let bars): return seriesTexts(bars.categories, bars.series) + bars.series.map(\.name) + [bars.title, "单位：" + bars.unit]
    case .line(let lines): return seriesTexts(lines.categories, lines.series) + lines.series.map(\.name) + [lines.title]
    case .stackedShare(let shares): return seriesTexts(shares.categories, shares.parts) + shares.parts.map(\.name) + [shares.title]
    case .tileMap(let map):
        return ProvinceTiles.all.map(\.shortName) + ProvinceTiles.all.map { TileMapRenderer.lookup(map.values, code: $0.code)?.label ?? "—" } + [map.title]
    }
}

@Suite struct ChartRenderingTests {
    @Test(arguments: SampleCharts.all.map(\.0))
    func rendersWellFormedSVGWithEveryLabel(kind: String) throws {
        let chart = try #require(SampleCharts.all.first { $0.0 == kind }?.1)
        let svg = SVGChart.render(chart)
        let document = try XMLCheck.parse(svg)
        let root = try #require(document.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["viewBox"]?.hasPrefix("0 0 640 ") == true)
        #expect(root.attributes["font-family"]?.hasPrefix("\"Noto Sans CJK SC\"") == true)
        #expect(document.elements(named: "title").count == 1)
        #expect(document.elements(named: "desc").count == 1)
        #expect(document.elements(named: "pattern").count == 6)
        for text in expectedTexts(chart) {
            #expect(document.texts.contains(text), "missing text \(text) in \(kind)")
        }
        #expect(document.texts.contains("x"), "suppressed label in \(kind)")
    }

    @Test(arguments: SampleCharts.all.map(\.0))
    func isDeterministicAndFinite(kind: String) throws {
        let chart = try #require(SampleCharts.all.first { $0.0 == kind }?.1)
        let first = SVGChart.render(chart)
        #expect(first == SVGChart.render(chart))
        #expect(!first.lowercased().contains("nan"))
        #expect(!first.lowercased().contains("inf"))
        try expectOneDecimalCoordinates(first)
    }

    @Test func descriptionNamesTheLargestValue() throws {
        let document = try XMLCheck.parse(SVGChart.render(.bar(SampleCharts.bar)))
        let description = try #require(document.texts.dropFirst().first)
        #expect(description.contains("信息传输、软件和信息技术服务业"))
        #expect(description.contains("48.30EB"))
    }

    @Test func differentChartsGetDifferentIds() {
        let bar = SVGChart.render(.bar(SampleCharts.bar))
        let line = SVGChart.render(.line(SampleCharts.line))
        #expect(SVGChart.derivedPrefix(.bar(SampleCharts.bar)) != SVGChart.derivedPrefix(.line(SampleCharts.line)))
        #expect(bar.contains("id=\"\(SVGChart.derivedPrefix(.bar(SampleCharts.bar)))-fill0\""))
        #expect(line.contains("id=\"\(SVGChart.derivedPrefix(.line(SampleCharts.line)))-title\""))
        #expect(SVGChart.render(.line(SampleCharts.line), idPrefix: "fig 3<").contains("id=\"fig3-title\""))
    }

    @Test func escapesText() throws {
        let title = "A<B & \"C\" > 'D'"
        let chart = BarChart(title: title, unit: "亿元", categories: ["<甲>", "乙&丙"],
                             series: [ChartSeries(name: "s", values: [ChartValue(1, label: "1<2"), ChartValue(2, label: "\"2\"")])])
        let svg = SVGChart.render(.bar(chart))
        #expect(!svg.contains("A<B"))
        let document = try XMLCheck.parse(svg)
        #expect(document.texts.contains(title))
        for text in ["<甲>", "乙&丙", "1<2", "\"2\""] { #expect(document.texts.contains(text)) }
    }

    @Test(arguments: [
        Chart.bar(BarChart(title: "空", unit: "", categories: [], series: [])),
        .bar(BarChart(title: "空", unit: "", categories: ["甲", "乙"], series: [ChartSeries(name: "s", values: [nil, .suppressed()])])),
        .line(LineChart(title: "空", unit: "", categories: ["2024年"], series: [ChartSeries(name: "s", values: [])])),
        .line(LineChart(title: "空", unit: "", categories: [], series: [ChartSeries(name: "s", values: [ChartValue(1, label: "1")])])),
        .stackedShare(StackedShareChart(title: "空", categories: ["甲"], parts: [])),
        .stackedShare(StackedShareChart(title: "空", categories: ["甲"], parts: [ChartSeries(name: "p", values: [.suppressed()])])),
        .tileMap(TileMap(title: "空", unit: "", values: [:])),
        .tileMap(TileMap(title: "空", unit: "", values: ["110000": .suppressed()])),
    ])
    func emptyInputSaysNoPublishableData(chart: Chart) throws {
        let svg = SVGChart.render(chart)
        let document = try XMLCheck.parse(svg)
        #expect(document.texts.contains("无可公布数据"))
        #expect(document.elements(named: "title").count == 1)
    }

    @Test func oddNumbersNeverLeak() throws {
        let series = ChartSeries(name: "s", values: [
            ChartValue(0, label: "0"), ChartValue(-5, label: "-5"), ChartValue(.nan, label: "?"),
            ChartValue(.infinity, label: "∞"), ChartValue(1e300, label: "huge"),
        ])
        let categories = ["甲", "乙", "丙", "丁", "戊"]
        let zeros = ChartSeries(name: "z", values: categories.map { _ in ChartValue(0, label: "0") })
        let charts: [Chart] = [
            .bar(BarChart(title: "t", unit: "u", categories: categories, series: [series])),
            .bar(BarChart(title: "t", unit: "u", categories: categories, series: [zeros], horizontal: true)),
            .line(LineChart(title: "t", unit: "u", categories: categories, series: [zeros, series])),
            .stackedShare(StackedShareChart(title: "t", categories: categories, parts: [series, zeros])),
            .tileMap(TileMap(title: "t", unit: "u", values: ["11": ChartValue(0, label: "0"), "12": ChartValue(.nan, label: "?")], classes: 0)),
            .tileMap(TileMap(title: "t", unit: "u", values: ["11": ChartValue(0, label: "0")], classes: 99, classification: .niceIntervals)),
        ]
        for chart in charts {
            let svg = SVGChart.render(chart, width: -3, height: Int.max)
            _ = try XMLCheck.parse(svg)
            #expect(!svg.lowercased().contains("nan"))
            #expect(!svg.lowercased().contains("inf"))
            try expectOneDecimalCoordinates(svg)
        }
    }

    @Test func seriesLongerOrShorterThanCategories() throws {
        let chart = BarChart(title: "t", unit: "u", categories: ["甲", "乙", "丙"], series: [
            ChartSeries(name: "short", values: [ChartValue(1, label: "1")]),
            ChartSeries(name: "long", values: [ChartValue(1, label: "1"), ChartValue(2, label: "2"), ChartValue(3, label: "3"), ChartValue(4, label: "extra")]),
        ])
        let document = try XMLCheck.parse(SVGChart.render(.bar(chart)))
        #expect(document.texts.filter { $0 == "—" }.count == 2)
        #expect(!document.texts.contains("extra"))
    }

    @Test func manyCategoriesTurnHorizontalAndLongNamesRotate() throws {
        let names = (1...20).map { "第\($0)个很长的行业类别名称" }
        let values = names.indices.map { ChartValue(Double($0), label: "\($0)") }
        let many = BarChart(title: "t", unit: "u", categories: names, series: [ChartSeries(name: "s", values: values)])
        let svg = SVGChart.render(.bar(many))
        let document = try XMLCheck.parse(svg)
        let categoryTexts = document.elements(named: "text").filter { $0.attributes["font-size"] == "11" }
        #expect(categoryTexts.count == 20)
        #expect(categoryTexts.allSatisfy { $0.attributes["text-anchor"] == "end" && $0.attributes["transform"] == nil })
        // Rows of at least 18 px: the canvas grew past the requested 360.
        let height = Double(document.elements.first?.attributes["height"] ?? "") ?? 0
        #expect(height >= 20 * 18)

        let few = BarChart(title: "t", unit: "u", categories: Array(names.prefix(8)), series: [ChartSeries(name: "s", values: values)])
        let rotated = try XMLCheck.parse(SVGChart.render(.bar(few))).elements(named: "text").filter { $0.attributes["font-size"] == "11" }
        #expect(rotated.count == 8)
        #expect(rotated.allSatisfy { $0.attributes["transform"]?.hasPrefix("rotate(-45") == true })
    }

    @Test func linesDifferByDashAndMarker() throws {
        let document = try XMLCheck.parse(SVGChart.render(.line(SampleCharts.line)))
        let dashes = Set(document.elements(named: "path").compactMap { $0.attributes["fill"] == "none" ? ($0.attributes["stroke-dasharray"] ?? "solid") : nil })
        #expect(dashes.count == 4)
        #expect(!document.elements(named: "circle").isEmpty)
    }
}

/// Numbers in attributes carry at most one decimal.
func expectOneDecimalCoordinates(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let document = try XMLCheck.parse(svg)
    for element in document.elements {
        for (name, value) in element.attributes where name != "font-family" {
            var digitsAfterPoint: Int?
            for character in value {
                if character == "." { digitsAfterPoint = 0 } else if character.isNumber, let count = digitsAfterPoint {
                    digitsAfterPoint = count + 1
                    #expect(count + 1 <= 1, "\(name)=\"\(value)\"", sourceLocation: sourceLocation)
                } else { digitsAfterPoint = nil }
            }
        }
    }
}
