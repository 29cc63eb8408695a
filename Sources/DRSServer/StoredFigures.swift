import DRSCore
import DRSStorage
import Vapor

/// Stored cells a request could not read under this catalog: which figures (`source`, e.g.
/// "本表数据") and the cells. Figures kept under an older catalog, or written by an import, may hold
/// cells this version does not define; they are reported, never dropped without a word.
struct StoredCellNote: Sendable, Equatable {
    var source: String
    var cells: UnknownCells

    /// For a page: "本表数据：存储的数据中有本版目录未定义的单元格：…".
    var text: String { "\(source)：\(cells.storedNote)" }
}

struct StoredCellNotesKey: StorageKey { typealias Value = [StoredCellNote] }

extension Request {
    /// The figures of stored cells (`cells` as the store keeps them) under `form`. Cells the form
    /// cannot read are logged as a warning and noted on the request (`storedCellNotes`), where the
    /// page or response that shows these figures finds them.
    func storedValues(_ form: CompiledForm, _ cells: String, of source: @autoclosure () -> String) -> CellValues {
        form.values(fromStored: SubmissionStore.decodeCells(cells)) { unknown in
            let note = StoredCellNote(source: source(), cells: unknown)
            logger.warning("表\(form.form.id)：\(note.text)")
            storage[StoredCellNotesKey.self] = (storage[StoredCellNotesKey.self] ?? []) + [note]
        }
    }

    /// What `storedValues` could not read in this request, in the order met.
    var storedCellNotes: [StoredCellNote] { storage[StoredCellNotesKey.self] ?? [] }
}
