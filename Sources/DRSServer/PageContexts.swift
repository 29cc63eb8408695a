import DRSCore
import DRSStorage
import Foundation

/// What the Leaf pages receive: everything computed here, so templates only loop and print.
struct Layout: Encodable {
    var title: String
    var csrf: String
    var user: UserView?
}

struct UserView: Encodable {
    var username: String
    var displayName: String
    var roleName: String
    var isAdmin: Bool
    var isReviewer: Bool
    var isHeadquarters: Bool
}

struct LoginPage: Encodable {
    var layout: Layout
    var error: String?
    var username: String
}

struct PasswordPage: Encodable {
    var layout: Layout
    var forced: Bool
    var error: String?
}

struct HomePage: Encodable {
    var layout: Layout
    var unitName: String?
    var creditCode: String?
    var year: Int
    var deadline: String
    var daysLeft: Int
    var overdue: Bool
    var forms: [FormLink]
    var isAdmin: Bool
    var isReviewer: Bool
    /// Reminders (催报) to the unit not yet acknowledged.
    var reminders: [ReminderNoticeView] = []

    struct FormLink: Encodable {
        var form: String
        var tableNumber: String
        var title: String
        var status: String
        var statusName: String
        var url: String
        var printURL: String
        var historyURL: String
        var returnReason: String?
        /// A headquarters' form consolidated from its subsidiaries: the consolidation page.
        var consolidationURL: String?
    }
}

/// The page of one form, laid out like the official table.
struct FormPage: Encodable {
    var layout: Layout
    var unitID: String
    var unitName: String
    var creditCode: String
    var year: Int
    var form: FormHead
    var status: String
    var statusName: String
    var editable: Bool
    var version: Int
    var returnReason: String?
    var deadline: String
    var daysLeft: Int
    /// `/api/v1/units/<unit>/submissions/<year>/<form>`: GET, PUT (save), POST …/check, POST …/submit.
    var apiURL: String
    var printURL: String
    var historyURL: String
    var homeURL: String
    var carriedOver: Bool
    /// Stored cells this catalog cannot show ("存储的数据中有本版目录未定义的单元格：…"), one line per source.
    var storedCellNotes: [String]
    /// For indicator forms: the column heads and the rows by section.
    var columns: [ColumnHead]
    var sections: [Section]
    /// For grid forms: one table per year column (本年实际, 上年同期).
    var grids: [Grid]
    /// The form page's sections or grids written as markup (`FormSheetMarkup`; `sections` and `grids`
    /// are then empty); the print page has the structures instead.
    var sheetMarkup: String
    /// For basic-information forms.
    var items: [ItemView]
    var isIndicators: Bool
    var isGrid: Bool
    var isBasic: Bool
    var explanations: [Explanation]

    struct FormHead: Encodable {
        var id: String
        var tableNumber: String
        var title: String
        var issuedBy: String
        var approvedBy: String
        var approvalNumber: String
        var validUntil: String
        var notes: [String]
    }

    struct ColumnHead: Encodable { var id: String; var name: String; var number: Int }

    struct Section: Encodable {
        var title: String
        var rows: [Row]
    }

    struct Row: Encodable {
        var code: String
        var name: String
        var unit: String
        var isSubItem: Bool
        var definition: String
        /// 〔仅运营商企业填写〕 etc., or empty.
        var note: String
        /// False when the row does not apply to this unit (shown greyed, not fillable).
        var applies: Bool
        /// Why the row is skipped (skip logic from the catalog), shown next to its name; empty when asked.
        var skipReason: String
        var cells: [CellView]
        /// Rows broken down by province (31省销售量): a sub-table of members.
        var members: [MemberRow]
        var hasMembers: Bool
    }

    struct CellView: Encodable {
        /// `01:cum` — the key the script sends back; empty when the column is closed (——).
        var key: String
        var open: Bool
        var value: String
        /// Last year's 本年实际 for this row, shown as a hint in the 上年同期 column.
        var lastYear: String
        /// The accessible name: row, code and column (「数据生产总量（01）截至本年」).
        var label: String
        /// The column's name, shown above the input in the stacked (phone) layout.
        var columnName: String = ""
        /// A required cell (blank is not zero): `aria-required` and a marker.
        var required: Bool = false
    }

    struct MemberRow: Encodable {
        var name: String
        var cells: [CellView]
    }

    struct Grid: Encodable {
        var column: String
        var columnName: String
        var heads: [String]
        var rows: [GridRow]
    }

    struct GridRow: Encodable {
        var name: String
        var isTotal: Bool
        var cells: [CellView]
    }

    struct ItemView: Encodable {
        var code: String
        var name: String
        var type: String
        var typeName: String
        var required: Bool
        var officeFilled: Bool
        var definition: String
        /// `109` or `105.regionCode`: the answer key the script sends back.
        var key: String
        var value: String
        var isChoice: Bool
        var isMultiple: Bool
        var isNumber: Bool
        var isText: Bool
        var options: [OptionView]
        var fields: [ItemView]
        var hasFields: Bool
        var unit: String
        /// Skip logic: asked only when the answer of `conditionItem` (an answer key) is `conditionEquals`.
        var conditionItem: String = ""
        var conditionEquals: String = ""
        /// The note shown while the condition is not met.
        var skipReason: String = ""
    }

    struct OptionView: Encodable {
        var code: String
        var label: String
        var checked: Bool
        var withText: Bool
        var text: String
    }

    struct Explanation: Encodable { var code: String; var name: String; var text: String }
}

struct UnitsPage: Encodable {
    var layout: Layout
    /// One page of the registry (`UnitPages.listed`).
    var units: [UnitRow]
    /// How many units the search leaves, the page's number and its neighbours' links (empty: none).
    var total: Int
    var page: Int
    var previous: String?
    var next: String?
    /// The search as asked: part of a name or the start of a credit code, and a province.
    var query: String
    var province: String
    var searching: Bool
    var message: String?
    var error: String?
    var respondentTypes: [Choice]
    var provinces: [Choice]

    struct UnitRow: Encodable {
        var id: String
        var creditCode: String
        var name: String
        var regionCode: String
        var types: String
        var flags: String
    }

    struct Choice: Encodable { var id: String; var name: String }
}

struct ErrorPage: Encodable {
    var status: String
    var message: String
}
