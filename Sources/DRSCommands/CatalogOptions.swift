import ArgumentParser
import DRSCatalog
import DRSCore
import Foundation

/// `--catalog DIR` and `--year`: which catalog edition a command works with.
public struct CatalogOptions: ParsableArguments {
    public init() {}

    @Option(name: .long, help: "目录所在文件夹（含 <版本>/survey.json）；默认依次查找 $DRS_CATALOG、./catalog 与程序旁的 catalog。")
    public var catalog: String?

    @Option(name: .long, help: "调查年份（数据所属年度），用于选择适用的制度版本；默认最新版本。")
    var year: Int?

    func load() throws -> Catalog {
        guard let root = CatalogLoader.locateRoot(explicit: catalog) else {
            throw ValidationError("找不到调查目录。请用 --catalog 指定目录文件夹，或设置环境变量 DRS_CATALOG。")
        }
        return try CatalogLoader.load(root: root, year: year)
    }

    func compiled() throws -> CompiledCatalog {
        try CompiledCatalog(load())
    }
}

/// Writes to standard error.
public func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
