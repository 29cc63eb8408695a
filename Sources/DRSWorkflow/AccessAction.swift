/// Everything a route lets an account do, named by what it does rather than by its URL. Unit actions
/// name a unit (and a form); platform actions name none.
public enum AccessAction: String, Sendable, CaseIterable {
    // Unit actions.
    /// The unit's list of forms (`GET /api/v1/units/:unit/forms/:year`).
    case viewUnit
    /// A form: figures, checks, history, print, template (`GET …/submissions/:year/:form`, pages).
    case viewForm
    /// Save figures, check them, upload a workbook (`PUT …`, `POST …/upload`).
    case editForm
    /// 提交 (`POST …/submit`).
    case submitForm
    /// The reviewer's view of a form (`GET …/review`, `/review/units/…`).
    case viewReview
    /// 审核通过.
    case approve
    /// 退回.
    case returnForm
    /// 核定 (locks).
    case verify
    /// 重新打开 a verified form.
    case reopen
    /// Write a unit's form from a bulk-import file (`POST /api/v1/import/jobs`, per file).
    case importForm
    /// A group's consolidation: subsidiaries, their statuses, lineage (`GET …/consolidation…`).
    case viewConsolidation
    /// 总部本部 figures and recomputing the group's report (`PUT …/own`, `POST …/consolidation…`).
    case consolidate

    // Platform actions.
    /// Review queue, progress, SDMX structure: any reviewer (the lists are filtered per unit).
    case oversee
    /// Bulk import (the national office; a headquarters for its group).
    case importData
    /// Registry, audit trail, aggregates, unit-level export, follow-up lists.
    case administer
    /// 《全国数据资源调查报告》: the editions of a year, the draft (marked 草稿, never stored), the stored files.
    case viewReportDraft
    /// 抄送国家统计局: freeze the report of a year as a candidate edition.
    case sendReportToNBS
    /// 发布 the waiting candidate edition.
    case publishReport
    /// 修订: a new candidate edition with a notice of what changed and why.
    case reviseReport

    public var isUnitAction: Bool {
        switch self {
        case .oversee, .importData, .administer, .viewReportDraft, .sendReportToNBS, .publishReport, .reviseReport: false
        default: true
        }
    }
}
