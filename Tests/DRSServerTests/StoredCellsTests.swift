import DRSStorage
import Testing

/// The report's partial read of stored cells gives exactly the full parse restricted to the keys.
@Suite struct StoredCellsTests {
    static let keys: Set<String> = ["01:cur", "06:cum", "01:cur@A", "键:cur"]

    @Test(arguments: [
        #"{"01:cum":"1","01:cur":"12.5","06:cum":"7","99:cur":"3"}"#,
        #"{ "01:cur" : "0" , "01:cur@A":"4" }"#,
        #"{}"#,
        #"{"键:cur":"5","01:cur":"2"}"#,
        #"{"01:cur":"a\"b","06:cum":"1"}"#,          // an escape: the full parser decides
        #"{"01:cur":1}"#,                            // not a string: empty, as the full parser says
        #"{"01:cur":"1""#,                           // truncated
        #"[1,2]"#, "", #"{"01:cur":"1"} x"#,
    ])
    func partialReadEqualsFullReadRestricted(_ json: String) {
        let full = SubmissionStore.decode(json).filter { Self.keys.contains($0.key) }
        #expect(SubmissionStore.decode(json, keeping: Self.keys) == full)
    }

    @Test func storedMapsRoundTrip() {
        let map = ["01:cur": "12.5", "06:cum": "7", "99:cur": "3", "01:cur@A": "4"]
        let stored = SubmissionStore.encode(map)
        #expect(SubmissionStore.decode(stored, keeping: Self.keys) == map.filter { Self.keys.contains($0.key) })
    }
}
