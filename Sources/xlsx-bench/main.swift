// xlsx-bench: streams a unit-level export (6 text columns, then figures as exact decimal text, like
// `SubmissionExport`) through XLSXStreamWriter to a file and prints rows/s, bytes and peak RSS.
// Usage: xlsx-bench [rows = 1000000] [figure columns = 150] [output = /tmp/xlsx-bench.xlsx] [stored]
// Release build: swift build -c release --product xlsx-bench
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XLSXWriter

struct WriteFailed: Error {}

#if os(Linux)
let RUSAGE_SELF_WHO = __rusage_who_t(RUSAGE_SELF.rawValue)
#else
let RUSAGE_SELF_WHO = RUSAGE_SELF
#endif

func seconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Deterministic figures: same rows in every run.
struct Figures {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}

enum Sample {
    static let provinces = ["北京市", "上海市", "广东省", "浙江省", "四川省", "湖北省"]
    static let types = ["企业", "事业单位", "政府部门", "社会组织"]
}

/// Row `r`: six text columns, then `figures` cells (an eighth empty, a quarter integers, the rest decimals).
func fill(_ row: inout [Cell], _ r: Int, figures: Int, from source: inout Figures) {
    row.removeAll(keepingCapacity: true)
    row.append(.text("91110000\(String(100_000_000 + r))X"))
    row.append(.text("数据资源测试单位\(r)有限公司"))
    row.append(.text(Sample.provinces[r % Sample.provinces.count]))
    row.append(.text(Sample.types[r % Sample.types.count]))
    row.append(.text("张三"))
    row.append(.text("010-\(String(60_000_000 + r % 10_000_000))"))
    for _ in 0..<figures {
        let v = source.next()
        switch v % 8 {
        case 0: row.append(.empty)
        case 1, 2: row.append(.integer(Int(v % 100_000)))
        default: row.append(.number("\(v % 1_000_000).\(String(100 + v % 100).dropFirst())"))
        }
    }
}

func run() throws {
    let arguments = CommandLine.arguments
    let rows = arguments.count > 1 ? Int(arguments[1]) ?? 1_000_000 : 1_000_000
    let figures = arguments.count > 2 ? Int(arguments[2]) ?? 150 : 150
    let path = arguments.count > 3 ? arguments[3] : "/tmp/xlsx-bench.xlsx"
    let compression: ZipCompression = arguments.count > 4 && arguments[4] == "stored" ? .stored : .deflate

    guard let file = fopen(path, "wb") else {
        print("cannot open \(path)")
        exit(1)
    }
    var source = Figures()
    let start = seconds()
    let writer = try XLSXStreamWriter(sink: ClosureSink { bytes in
        if fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count { throw WriteFailed() }
    }, properties: DocumentProperties(title: "xlsx-bench", created: "2026-03-31T08:00:00Z"), options: WriterOptions(compression: compression))

    var sheet = 0
    func begin() throws {
        sheet += 1
        _ = try writer.beginSheet(sheet == 1 ? "数据" : "数据（续\(sheet - 1)）", setup: SheetSetup(frozen: FrozenPanes(rows: 2, columns: 2)))
        let names = ["统一社会信用代码", "单位名称", "省份", "单位类型", "填报人", "联系电话"] + (0..<figures).map { "指标\($0 + 1)" }
        try writer.appendRow(names.map { .text($0, style: .header) })
        try writer.appendRow(names.indices.map { .text("C\($0)", style: .textCentered) })
    }
    try begin()
    var row: [Cell] = []
    row.reserveCapacity(6 + figures)
    for r in 0..<rows {
        if (writer.nextRow ?? 0) > 1_048_576 { try begin() }
        fill(&row, r, figures: figures, from: &source)
        try writer.appendRow(row)
    }
    try writer.finish()
    fclose(file)
    report(rows: rows, columns: 6 + figures, compression: compression, elapsed: seconds() - start, bytes: writer.bytesWritten)
}

/// Prints the speed, the file size and the peak memory.
func report(rows: Int, columns: Int, compression: ZipCompression, elapsed: Double, bytes: UInt64) {
    var usage = rusage()
    getrusage(RUSAGE_SELF_WHO, &usage)
    #if os(Linux)
    let peak = Int(usage.ru_maxrss) * 1024
    #else
    let peak = Int(usage.ru_maxrss)
    #endif
    let rate = Int(Double(rows) / elapsed)
    print("rows \(rows) × \(columns) columns, \(compression == .stored ? "stored" : "deflate")")
    print("time \(String(Int(elapsed * 10) / 10)).\(Int(elapsed * 10) % 10) s, \(rate) rows/s")
    print("file \(bytes) bytes (\(bytes >> 20) MB)")
    print("peak RSS \(peak >> 20) MB")
    // CPU time of this process: steadier than wall time on a shared machine.
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    print("cpu \(String(Int(cpu * 10) / 10)).\(Int(cpu * 10) % 10) s, \(Int(Double(rows) / cpu)) rows per CPU second")
}

try run()
