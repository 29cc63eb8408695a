/// One province's tile in the tile-grid map of China.
public struct ProvinceTile: Sendable, Equatable {
    /// GB/T 2260 code, six digits ("110000").
    public let code: String
    /// The one-character short name printed on the tile (京).
    public let shortName: String
    /// The full name (北京市), for descriptions.
    public let name: String
    /// Grid column, 0 = west.
    public let column: Int
    /// Grid row, 0 = north.
    public let row: Int
}

/// The tile-grid layout of the 31 mainland provinces (data, not logic).
///
/// 8 columns × 8 rows, one tile each, arranged as on the map: 黑 at the top right, 新 and 藏 to the
/// west, the coast down the east side, 琼 at the bottom. Neighbours on the map are neighbours here
/// where the grid allows.
public enum ProvinceTiles {
    public static let columns = 8
    public static let rows = 8

    public static let all: [ProvinceTile] = [
        ProvinceTile(code: "230000", shortName: "黑", name: "黑龙江省", column: 7, row: 0),

        ProvinceTile(code: "150000", shortName: "蒙", name: "内蒙古自治区", column: 4, row: 1),
        ProvinceTile(code: "110000", shortName: "京", name: "北京市", column: 5, row: 1),
        ProvinceTile(code: "210000", shortName: "辽", name: "辽宁省", column: 6, row: 1),
        ProvinceTile(code: "220000", shortName: "吉", name: "吉林省", column: 7, row: 1),

        ProvinceTile(code: "650000", shortName: "新", name: "新疆维吾尔自治区", column: 0, row: 2),
        ProvinceTile(code: "640000", shortName: "宁", name: "宁夏回族自治区", column: 3, row: 2),
        ProvinceTile(code: "140000", shortName: "晋", name: "山西省", column: 4, row: 2),
        ProvinceTile(code: "130000", shortName: "冀", name: "河北省", column: 5, row: 2),
        ProvinceTile(code: "120000", shortName: "津", name: "天津市", column: 6, row: 2),

        ProvinceTile(code: "630000", shortName: "青", name: "青海省", column: 1, row: 3),
        ProvinceTile(code: "620000", shortName: "甘", name: "甘肃省", column: 2, row: 3),
        ProvinceTile(code: "610000", shortName: "陕", name: "陕西省", column: 3, row: 3),
        ProvinceTile(code: "410000", shortName: "豫", name: "河南省", column: 4, row: 3),
        ProvinceTile(code: "370000", shortName: "鲁", name: "山东省", column: 5, row: 3),

        ProvinceTile(code: "540000", shortName: "藏", name: "西藏自治区", column: 0, row: 4),
        ProvinceTile(code: "510000", shortName: "川", name: "四川省", column: 2, row: 4),
        ProvinceTile(code: "500000", shortName: "渝", name: "重庆市", column: 3, row: 4),
        ProvinceTile(code: "420000", shortName: "鄂", name: "湖北省", column: 4, row: 4),
        ProvinceTile(code: "340000", shortName: "皖", name: "安徽省", column: 5, row: 4),
        ProvinceTile(code: "320000", shortName: "苏", name: "江苏省", column: 6, row: 4),
        ProvinceTile(code: "310000", shortName: "沪", name: "上海市", column: 7, row: 4),

        ProvinceTile(code: "530000", shortName: "云", name: "云南省", column: 2, row: 5),
        ProvinceTile(code: "520000", shortName: "贵", name: "贵州省", column: 3, row: 5),
        ProvinceTile(code: "430000", shortName: "湘", name: "湖南省", column: 4, row: 5),
        ProvinceTile(code: "360000", shortName: "赣", name: "江西省", column: 5, row: 5),
        ProvinceTile(code: "330000", shortName: "浙", name: "浙江省", column: 6, row: 5),

        ProvinceTile(code: "450000", shortName: "桂", name: "广西壮族自治区", column: 3, row: 6),
        ProvinceTile(code: "440000", shortName: "粤", name: "广东省", column: 4, row: 6),
        ProvinceTile(code: "350000", shortName: "闽", name: "福建省", column: 5, row: 6),

        ProvinceTile(code: "460000", shortName: "琼", name: "海南省", column: 4, row: 7),
    ]
}
