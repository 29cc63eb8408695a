import Testing
@testable import DRSCharts

@Suite struct TileMapTests {
    @Test func layoutHasThirtyOneDistinctTiles() {
        let tiles = ProvinceTiles.all
        #expect(tiles.count == 31)
        #expect(Set(tiles.map(\.code)).count == 31)
        #expect(Set(tiles.map { "\($0.column),\($0.row)" }).count == 31)
        #expect(tiles.allSatisfy { (0..<ProvinceTiles.columns).contains($0.column) && (0..<ProvinceTiles.rows).contains($0.row) })
        let expected = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新"
        #expect(Set(tiles.map(\.shortName)) == Set(expected.map(String.init)))
        let codes = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
                     "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]
        #expect(Set(tiles.map(\.code)) == Set(codes.map { $0 + "0000" }))
    }

    @Test func layoutLooksLikeChina() throws {
        func tile(_ name: String) throws -> ProvinceTile { try #require(ProvinceTiles.all.first { $0.shortName == name }) }
        let heilongjiang = try tile("黑"), hainan = try tile("琼"), xinjiang = try tile("新"), tibet = try tile("藏")
        #expect(heilongjiang.row == 0 && heilongjiang.column == ProvinceTiles.columns - 1)
        #expect(hainan.row == ProvinceTiles.rows - 1)
        #expect(xinjiang.column == 0 && tibet.column == 0)
    }

    @Test func rendersThirtyOneTilesWithNamesAndLegend() throws {
        let document = try XMLCheck.parse(SVGChart.render(.tileMap(SampleCharts.tileMap)))
        let names = Set(ProvinceTiles.all.map(\.shortName))
        // 藏 is withheld: its name has a white halo copy underneath.
        #expect(Set(document.texts.filter { names.contains($0) }) == names)
        #expect(document.texts.filter { names.contains($0) }.count == 32)
        #expect(document.texts.contains("x"))
        #expect(document.texts.contains("—"))
        #expect(document.texts.contains("不予公布"))
        #expect(document.texts.contains("无数据"))
        #expect(document.texts.filter { $0.contains("–") }.count == 5)
    }

    @Test func twoDigitCodesAreAccepted() throws {
        let map = TileMap(title: "t", unit: "", values: ["44": ChartValue(9, label: "9.00")])
        let document = try XMLCheck.parse(SVGChart.render(.tileMap(map)))
        #expect(document.texts.contains("9.00"))
    }

    @Test func classes() {
        let quantile = TileClasses(values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], classes: 5, method: .quantile)
        #expect(quantile.upperBounds == [2, 4, 6, 8, 10])
        #expect(quantile.legend.map(\.label) == ["1.0–2.0", "2.0–4.0", "4.0–6.0", "6.0–8.0", "8.0–10.0"])
        #expect(quantile.shade(of: 1).colour != quantile.shade(of: 10).colour)
        #expect(quantile.shade(of: 10).dark && !quantile.shade(of: 1).dark)
        let repeated = TileClasses(values: [3, 3, 3], classes: 5, method: .quantile)
        #expect(repeated.upperBounds == [3])
        let nice = TileClasses(values: [0, 12, 47], classes: 5, method: .niceIntervals)
        #expect(nice.upperBounds == [10, 20, 30, 40, 50])
        #expect(nice.legend.first?.label == "0–10")
    }
}
