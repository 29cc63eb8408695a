import Testing
@testable import DRSCharts

@Suite struct ScaleAndTextTests {
    @Test(arguments: [
        (41.06, 10.0, 5, 0), (48.3, 10.0, 5, 0), (1.0, 0.2, 5, 1), (0.0, 0.2, 5, 1), (7.0, 2.0, 4, 0),
        (0.033, 0.01, 4, 2), (123_456.0, 50_000.0, 3, 0), (100.0, 20.0, 5, 0), (-4.0, 0.2, 5, 1),
    ])
    func niceScale(maximum: Double, step: Double, steps: Int, decimals: Int) {
        let scale = NiceScale(maximum: maximum)
        #expect(scale.step == step)
        #expect(scale.steps == steps)
        #expect(scale.decimals == decimals)
        #expect(scale.top >= max(maximum, 0))
    }

    @Test func tickLabels() {
        #expect(NiceScale(maximum: 1).tickLabels == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(NiceScale(maximum: 41.06).tickLabels == ["0", "10", "20", "30", "40", "50"])
    }

    @Test func fixedPoint() {
        #expect(NumberText.coordinate(12) == "12")
        #expect(NumberText.coordinate(12.46) == "12.5")
        #expect(NumberText.coordinate(-0.04) == "0")
        #expect(NumberText.coordinate(-3.25) == "-3.3" || NumberText.coordinate(-3.25) == "-3.2")
        #expect(NumberText.coordinate(.nan) == "0")
        #expect(NumberText.coordinate(.infinity) == "0")
        #expect(NumberText.coordinate(1e300) == "1000000000000")
        #expect(NumberText.fixed(0.05, decimals: 2) == "0.05")
        #expect(NumberText.fixed(3, decimals: 2) == "3.00")
    }

    @Test func escaping() {
        #expect(SVGWriter.escape("a&b<c>\"d\"'e'") == "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;")
        #expect(SVGWriter.escape("数据\u{1}") == "数据 ")
    }
}
