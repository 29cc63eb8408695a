import DRSCore
import Testing

/// The aggregation's fast reader of stored figures must give exactly what the general way gives
/// (JSON map, then `values(fromStored:)`), and give up (nil) rather than differ.
@Suite struct StoredCellsReaderTests {
    let form: CompiledForm

    init() throws {
        form = try #require(try TinyCatalog.catalog().forms["T1"])
    }

    /// The general way, as storage reads a stored map: a non-string member empties the whole map.
    func general(_ json: String, keep: Set<String>? = nil) -> (CellValues, Bool) {
        var map: [String: String] = [:]
        if let members = (try? JSONValue.parse(json))?.objectMembers {
            for (key, value) in members {
                guard let text = value.stringValue else { map = [:]; break }
                map[key] = text
            }
        }
        if let keep { map = map.filter { keep.contains($0.key) } }
        var clean = true
        let values = form.values(fromStored: map) { _ in clean = false }
        return (values, clean)
    }

    @Test func storedTextIsReadExactlyAsTheGeneralWay() throws {
        let json = #"{"01:cum":"130538.694","01:cur":"-0.5","02:cum":"007","04:cur":"999999999999999.999999","05:cur":"12.5"}"#
        let fast = try #require(StoredCellsReader(form: form).values(json))
        #expect(fast == general(json).0)
        let slot = try #require(form.layout.slot(code: "04", column: "cur", member: nil))
        #expect(fast[slot]?.description == "999999999999999.999999")
        #expect(StoredCellsReader(form: form).values("{}") == CellValues(count: form.layout.count))
    }

    @Test func anythingButThePlainStoredShapeIsLeftToTheGeneralWay() {
        let reader = StoredCellsReader(form: form)
        for json in [#"{"01:cur":"1e3"}"#, #"{"01:cur":"+1"}"#, #"{"01:cur":"1,000"}"#, #"{"01:cur":" 1"}"#,
                     #"{"01:cur":"１"}"#, #"{"01:cur":""}"#, #"{"01:cur":"1."}"#, #"{"01:cur":".5"}"#,
                     #"{"01:cur":"0.1234567"}"#, #"{"01:cur":"1000000000000000"}"#, #"{"01:cur":"abc"}"#,
                     #"{"99:cur":"1"}"#, #"{"01:cur":"1","01:cur":"2"}"#, #"{"01:c\u0075r":"1"}"#,
                     #"{"01:cur":1}"#, #"{ "01:cur":"1"}"#, #"{"01:cur":"1"} "#, #"{"01:cur":"1",}"#, "", "[]", "{"] {
            #expect(reader.values(json) == nil, "\(json)")
        }
    }

    /// Texts the reader leaves alone, and some it reads, with a set of kept cells: its answer, when it
    /// gives one, is the general way's restricted to the kept cells.
    @Test(arguments: [
        #"{"01:cum":"1","01:cur":"12.5","02:cum":"7","99:cur":"3"}"#,
        #"{ "01:cur" : "0" , "04:cur":"4" }"#,
        #"{}"#,
        #"{"键:cur":"5","01:cur":"2"}"#,
        #"{"01:cur":"a\"b","02:cum":"1"}"#,
        #"{"01:cur":1}"#,
        #"{"01:cur":"1""#,
        #"[1,2]"#, "", #"{"01:cur":"1"} x"#,
    ])
    func keptCellsAgreeWithTheGeneralWayRestricted(_ json: String) {
        let keep: Set = ["01:cur", "02:cum", "04:cur"]
        if let fast = StoredCellsReader(form: form, keep: keep).values(json) {
            #expect(fast == general(json, keep: keep).0, "\(json)")
        }
    }

    /// A map as storage writes it (keys in order, string values) is always read by the fast way.
    @Test func storedMapsAreReadTheFastWay() throws {
        let map = ["01:cur": "12.5", "02:cum": "7", "04:cur": "3", "05:cur": "40.25"]
        let stored = JSONValue.object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }).serialized()
        let keep: Set = ["01:cur", "04:cur"]
        #expect(try #require(StoredCellsReader(form: form).values(stored)) == general(stored).0)
        #expect(try #require(StoredCellsReader(form: form, keep: keep).values(stored)) == general(stored, keep: keep).0)
    }

    @Test func keptCellsOnlyAreRead() throws {
        let keep: Set = ["01:cur"]
        let json = #"{"01:cum":"5","01:cur":"7","02:cur":"x"}"#
        let fast = try #require(StoredCellsReader(form: form, keep: keep).values(json))
        #expect(fast == general(json, keep: keep).0)
        #expect(fast.filledCount == 1)
    }

    /// Random texts near the stored shape: whenever the reader answers, it agrees with the general way
    /// and the general way found nothing to report; it answers for every plainly stored map.
    @Test func randomTextsAgreeWithTheGeneralWay() {
        var random = SampleSubmissions.Generator(seed: 20261204)
        let keys = form.layout.cells.map(\.key.description) + ["99:cur", "01:zzz"]
        let numbers = ["0", "-0", "007", "1.5", "1.50", "-12.000001", "999999999999999", "999999999999999.999999",
                       "1000000000000000", "0.0000001", "1e2", "+3", "1,234", " 4", "5 ", "", "x", "1.", ".5", "--1", "0x10"]
        var answered = 0
        for _ in 0..<5_000 {
            var members: [String] = []
            var plain = true
            var used = Set<String>()
            for _ in 0..<random.int(in: 0...8) {
                let key = keys[random.int(in: 0...(keys.count - 1))]
                let number = numbers[random.int(in: 0...(numbers.count - 1))]
                members.append("\"\(key)\":\"\(number)\"")
                plain = plain && !used.contains(key) && !key.hasPrefix("99") && !key.hasSuffix("zzz") && number.allSatisfy { "-0123456789.".contains($0) }
                    && !["1000000000000000", "0.0000001", "1.", ".5", "--1", ""].contains(number)
                used.insert(key)
            }
            let json = "{" + members.joined(separator: ",") + "}"
            let (expected, clean) = general(json)
            if let fast = StoredCellsReader(form: form).values(json) {
                #expect(fast == expected, "\(json)")
                #expect(clean, "\(json)")
                answered += 1
            } else {
                #expect(!plain, "a plainly stored map was not read: \(json)")
            }
        }
        #expect(answered > 500)
    }
}
