import DRSCore
import DRSWorkflow
import Testing

/// The access table on its own: the seed's organisation, one case at a time.
@Suite("Access policy")
struct AccessPolicyTests {
    // A small organisation: two provinces, a group with a subsidiary elsewhere, the public-security unit.
    let bjUnit = Target(unitID: "bj", region: "110000")
    let shUnit = Target(unitID: "sh", region: "310000")
    let groupHead = Target(unitID: "hq", region: "110105", headsGroup: true)
    let subsidiary = Target(unitID: "sub", region: "440000", groupID: "hq")
    let police = Target(unitID: "mps", region: "110000", channel: .publicSecurity)
    let association = Target(unitID: "assoc", region: "110000", channel: .industryAssociation)

    let beijingReviewer = Subject(role: .provincialReviewer, region: "110000")
    let headquarters = Subject(role: .headquartersReviewer, unitID: "hq")
    let admin = Subject(role: .admin)

    @Test func aProvinceReviewsItsOwnRegionOnly() {
        for action in [AccessAction.viewForm, .viewReview, .approve, .returnForm] {
            #expect(AccessPolicy.decide(beijingReviewer, action, bjUnit) == .allow)
            #expect(AccessPolicy.decide(beijingReviewer, action, association) == .allow)
            #expect(AccessPolicy.decide(beijingReviewer, action, shUnit) == .deny(.outOfScope))
        }
        #expect(AccessPolicy.decide(beijingReviewer, .editForm, bjUnit) == .deny(.outOfScope))
        #expect(AccessPolicy.decide(beijingReviewer, .verify, bjUnit) == .deny(.forbidden("只有国家数据局可以核定")))
    }

    /// What a list may narrow to in the database: a province's reviewer to that province; the
    /// national office, a filer and a headquarters to nothing so simple.
    @Test func aReviewersListsAreConfinedToTheProvince() {
        #expect(AccessPolicy.province(confining: beijingReviewer, .viewReview) == "11")
        #expect(AccessPolicy.province(confining: Subject(role: .provincialReviewer, region: "440300"), .viewReview) == "44")
        #expect(AccessPolicy.province(confining: Subject(role: .provincialReviewer), .viewReview) == nil)
        #expect(AccessPolicy.province(confining: admin, .viewReview) == nil)
        #expect(AccessPolicy.province(confining: headquarters, .viewReview) == nil)
        #expect(AccessPolicy.province(confining: Subject(role: .respondent, unitID: "bj"), .viewReview) == nil)
        // Whatever the confinement admits, the decision per unit agrees with: no unit outside it is reviewable.
        for target in [bjUnit, shUnit, groupHead, subsidiary, police, association] where AccessPolicy.decide(beijingReviewer, .viewReview, target).isAllowed {
            #expect(target.region.hasPrefix("11"))
        }
    }

    /// What a list may do in the database: only where the table allows every row may it count and page
    /// there; a narrower reach holds every row the table allows.
    @Test func aListsReachAgreesWithTheDecisionPerRow() {
        let targets = [bjUnit, shUnit, groupHead, subsidiary, police, association]
        #expect(AccessPolicy.listReach(admin, .viewReview) == .everything)
        #expect(AccessPolicy.listReach(beijingReviewer, .viewReview) == .province("11"))
        #expect(AccessPolicy.listReach(headquarters, .viewReview) == .subsidiaries(of: "hq"))
        #expect(AccessPolicy.listReach(Subject(role: .respondent, unitID: "bj"), .viewReview) == .nothing)
        #expect(AccessPolicy.listReach(Subject(role: .provincialReviewer), .viewReview) == .decidedPerRow)
        for role in Subject.Role.allCases {
            let subject = Subject(role: role, unitID: "hq", region: "110000")
            for target in targets {
                let allowed = AccessPolicy.decide(subject, .viewReview, target).isAllowed
                switch AccessPolicy.listReach(subject, .viewReview) {
                case .everything: #expect(allowed, "\(role) \(target.unitID)")
                case .province(let code): #expect(!allowed || target.region.hasPrefix(code), "\(role) \(target.unitID)")
                case .subsidiaries(let head): #expect(!allowed || target.groupID == head, "\(role) \(target.unitID)")
                case .nothing: #expect(!allowed, "\(role) \(target.unitID)")
                case .decidedPerRow: break
                }
            }
        }
    }

    @Test func publicSecurityGoesToTheNationalOfficeOnly() {
        for action in AccessAction.allCases where action.isUnitAction {
            #expect(AccessPolicy.decide(beijingReviewer, action, police) == .deny(.outOfScope), "\(action)")
        }
        #expect(AccessPolicy.decide(admin, .approve, police) == .allow)
        #expect(AccessPolicy.decide(admin, .verify, police) == .allow)
        let filer = Subject(role: .publicSecurity, unitID: "mps")
        #expect(AccessPolicy.decide(filer, .editForm, police) == .allow)
        // The public-security account fills only its channel's forms, even of its own unit.
        var otherForm = police
        otherForm.channel = .regular
        #expect(AccessPolicy.decide(filer, .viewForm, otherForm) == .deny(.outOfScope))
    }

    @Test func aGroupIsReviewedByItsHeadquartersNotByAProvince() {
        for target in [groupHead, subsidiary] {
            for action in AccessAction.allCases where action.isUnitAction {
                #expect(AccessPolicy.decide(beijingReviewer, action, target) == .deny(.outOfScope), "\(action) \(target.unitID)")
                #expect(AccessPolicy.decide(Subject(role: .provincialReviewer, region: "440000"), action, target) == .deny(.outOfScope))
            }
        }
        #expect(AccessPolicy.decide(headquarters, .approve, subsidiary) == .allow)
        #expect(AccessPolicy.decide(headquarters, .editForm, subsidiary) == .deny(.outOfScope))
        #expect(AccessPolicy.decide(headquarters, .reopen, subsidiary) == .deny(.forbidden("只有国家数据局可以重新打开")))
        #expect(AccessPolicy.decide(headquarters, .viewConsolidation, groupHead) == .allow)
        #expect(AccessPolicy.decide(headquarters, .consolidate, groupHead) == .allow)
        #expect(AccessPolicy.decide(headquarters, .approve, groupHead) == .deny(.outOfScope), "no review of its own forms")
        #expect(AccessPolicy.decide(admin, .viewConsolidation, groupHead) == .allow)
        #expect(AccessPolicy.decide(admin, .viewConsolidation, bjUnit) == .deny(.outOfScope), "only a group head has a consolidation")
        let otherGroup = Subject(role: .headquartersReviewer, unitID: "other")
        #expect(AccessPolicy.decide(otherGroup, .viewForm, subsidiary) == .deny(.outOfScope))
    }

    @Test func filersActOnTheirOwnUnitOnly() {
        let filer = Subject(role: .respondent, unitID: "bj")
        #expect(AccessPolicy.decide(filer, .editForm, bjUnit) == .allow)
        #expect(AccessPolicy.decide(filer, .submitForm, bjUnit) == .allow)
        #expect(AccessPolicy.decide(filer, .viewForm, shUnit) == .deny(.outOfScope))
        #expect(AccessPolicy.decide(filer, .approve, bjUnit) == .deny(.outOfScope), "nobody reviews their own form")
        #expect(AccessPolicy.decide(filer, .oversee, nil) == .deny(.outOfScope))
        #expect(AccessPolicy.decide(Subject(role: .respondent), .viewForm, bjUnit) == .deny(.outOfScope), "an account without a unit")
    }

    @Test func theStatusDecidesTheStep() {
        let filer = Subject(role: .respondent, unitID: "bj")
        #expect(AccessPolicy.decide(filer, .editForm, bjUnit.with(status: .draft)) == .allow)
        #expect(AccessPolicy.decide(filer, .editForm, bjUnit.with(status: .submitted)) == .deny(.status(.submitted)))
        #expect(AccessPolicy.decide(filer, .editForm, bjUnit.with(status: .verified)) == .deny(.status(.verified)))
        #expect(AccessPolicy.decide(beijingReviewer, .approve, bjUnit.with(status: .submitted)) == .allow)
        #expect(AccessPolicy.decide(beijingReviewer, .approve, bjUnit.with(status: .approved)) == .deny(.status(.approved)))
        #expect(AccessPolicy.decide(beijingReviewer, .returnForm, bjUnit.with(status: .approved)) == .allow)
        #expect(AccessPolicy.decide(admin, .reopen, bjUnit.with(status: .verified)) == .allow)
        #expect(AccessPolicy.decide(admin, .reopen, bjUnit.with(status: .approved)) == .deny(.status(.approved)))
        // Scope comes first: out of scope stays out of scope whatever the status.
        #expect(AccessPolicy.decide(beijingReviewer, .approve, shUnit.with(status: .approved)) == .deny(.outOfScope))
    }

    @Test func platformActions() {
        #expect(AccessPolicy.decide(admin, .administer, nil) == .allow)
        #expect(AccessPolicy.decide(headquarters, .importData, nil) == .allow)
        #expect(AccessPolicy.decide(headquarters, .administer, nil) == .deny(.outOfScope))
        #expect(AccessPolicy.decide(beijingReviewer, .oversee, nil) == .allow)
        #expect(AccessPolicy.decide(beijingReviewer, .importData, nil) == .deny(.outOfScope))
        #expect(AccessPolicy.decide(admin, .viewForm, nil) == .deny(.outOfScope), "a unit action needs a unit")
        // Bulk import, per file: the national office anywhere, a headquarters its group only.
        #expect(AccessPolicy.decide(admin, .importForm, police) == .allow)
        #expect(AccessPolicy.decide(headquarters, .importForm, subsidiary) == .allow)
        #expect(AccessPolicy.decide(headquarters, .importForm, groupHead) == .allow)
        #expect(AccessPolicy.decide(headquarters, .importForm, bjUnit) == .deny(.outOfScope))
        #expect(AccessPolicy.decide(beijingReviewer, .importForm, bjUnit) == .deny(.outOfScope))
    }

    @Test func theTableIsPrintable() {
        let table = AccessPolicy.markdown
        #expect(table.contains("| 省级审核员 |"))
        #expect(table.split(separator: "\n").count == AccessPolicy.rules.count + 2)
    }
}
