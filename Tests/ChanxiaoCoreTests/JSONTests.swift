import ChanxiaoCore
import Foundation
import Testing

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test(
        "string escaping",
        arguments: [
            ("plain", #""plain""#),
            ("", #""""#),
            ("say \"hi\"", #""say \"hi\"""#),
            ("back\\slash", #""back\\slash""#),
            ("a\nb\rc\td", #""a\nb\rc\td""#),
            ("\u{0}\u{1}\u{8}\u{C}\u{1F}", #""\u0000\u0001\u0008\u000c\u001f""#),
            ("\u{7F}", "\"\u{7F}\""),  // DEL needs no escape
            ("定远县 大米", "\"定远县 大米\""),  // non-ASCII kept as UTF-8
            ("🍚", "\"🍚\""),
            ("</script>", #""</script>""#),
            ("\u{2028}", "\"\u{2028}\""),
        ]
    )
    func escaping(value: String, json: String) throws {
        let bytes = JSONWriter.encode(.string(value))
        #expect(text(bytes) == json)
        #expect(try JSONDecoder().decode(String.self, from: Data(bytes)) == value)
    }

    @Test(
        "numbers, booleans and null",
        arguments: [
            (JSONValue.int(0), "0"),
            (.int(-42), "-42"),
            (.int(Int64.max), "9223372036854775807"),
            (.int(Int64.min), "-9223372036854775808"),
            (.double(2.0), "2"),  // integral doubles are written as integers
            (.double(-3.0), "-3"),
            (.double(0.3), "0.3"),
            (.double(-2.5), "-2.5"),
            (.double(1e20), "1e+20"),
            (.double(1.5e-7), "1.5e-07"),
            (.double(.nan), "null"),
            (.double(.infinity), "null"),
            (.double(-.infinity), "null"),
            (.bool(true), "true"),
            (.bool(false), "false"),
            (.null, "null"),
            (.array([]), "[]"),
            (.object([:]), "{}"),
            (.array([.int(1), .string("a"), .null, .array([.bool(true)])]), #"[1,"a",null,[true]]"#),
        ]
    )
    func scalars(value: JSONValue, json: String) {
        #expect(text(JSONWriter.encode(value)) == json)
    }

    @Test("nested objects are written with sorted keys")
    func sortedKeys() {
        let value = JSONValue.object([
            "zeta": .int(1), "alpha": .object(["b": .int(2), "a": .array([.object(["y": .null, "x": .bool(false)])])]),
            "Beta": .string("B"), "mid": .double(0.5),
        ])
        #expect(text(JSONWriter.encode(value)) == #"{"Beta":"B","alpha":{"a":[{"x":false,"y":null}],"b":2},"mid":0.5,"zeta":1}"#)
    }

    @Test("top-level fields keep the order given")
    func fieldOrder() {
        let bytes = JSONWriter.encode([(name: "id", value: .string("x")), (name: "b", value: .int(1)), (name: "a", value: .null)])
        #expect(text(bytes) == #"{"id":"x","b":1,"a":null}"#)
        #expect(text(JSONWriter.encode([])) == "{}")
    }

    @Test("building documents piece by piece")
    func writerPieces() {
        var writer = JSONWriter()
        writer.raw("{\"items\":")
        writer.array([1, 2, 3]) { writer, number in writer.value(.int(Int64(number))) }
        writer.raw(",\"next\":")
        writer.string("a\"b")
        writer.raw("}")
        #expect(text(writer.bytes) == #"{"items":[1,2,3],"next":"a\"b"}"#)
        var empty = JSONWriter(capacity: 0)
        empty.array([Int]()) { _, _ in }
        #expect(text(empty.bytes) == "[]")
    }

    static let documents: [JSONValue] = [
        .object([
            "name": .string("五常\"稻花香\"\\大米\n\t\u{1}"),
            "price": .int(650),
            "share": .double(0.3),
            "tiny": .double(-1.25e-9),
            "ok": .bool(true),
            "none": .null,
            "months": .array([.int(9), .int(10)]),
            "nested": .object(["deep": .object(["er": .array([.string("🍚"), .double(12.75)])])]),
            "": .string("empty key"),
            "键": .string("值"),
        ]),
        .array([.object([:]), .array([]), .string("")]),
        .string("just a string"),
        .int(-7),
        .null,
    ]

    @Test("output parses back with JSONDecoder into the same value", arguments: documents)
    func roundTrip(value: JSONValue) throws {
        let bytes = JSONWriter.encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value)
        #expect(try JSONValue.parse(Data(bytes)) == value)
    }

    @Test("entity fields serialise in canonical order and parse back")
    func entityFields() throws {
        let county = County(
            code: "341125",
            name: "定远县",
            city: "滁州市",
            povertyStatus: .national,
            pairedRegionCodes: ["440300"],
            createdAt: testNow,
            updatedAt: testNow
        )
        let bytes = JSONWriter.encode(county.fields)
        #expect(
            text(bytes)
                == #"{"code":"341125","name":"定远县","province":"安徽省","city":"滁州市","poverty_status":"national","poor_population":0,"paired_region_codes":["440300"],"created_at":"2020-09-13T12:26:40.000Z","updated_at":"2020-09-13T12:26:40.000Z"}"#
        )
        let object = try JSONValue.parseObject(Data(bytes))
        #expect(object == Dictionary(uniqueKeysWithValues: county.fields.map { ($0.name, $0.value) }))
    }
}

@Suite("JSONValue")
struct JSONValueTests {
    @Test(
        "parse decodes every JSON type",
        arguments: [
            ("null", JSONValue.null),
            ("true", .bool(true)),
            ("12", .int(12)),
            ("-12", .int(-12)),
            ("0.5", .double(0.5)),
            (#""s""#, .string("s")),
            (#""\u5b9a""#, .string("定")),
            ("[1, \"a\"]", .array([.int(1), .string("a")])),
            (#"{"a": {"b": [null]}}"#, .object(["a": .object(["b": .array([.null])])])),
            (" \n {} \n ", .object([:])),
        ] as [(String, JSONValue?)]
    )
    func parse(json: String, expected: JSONValue?) {
        let result = Result { () throws(BodyError) -> JSONValue in try JSONValue.parse(Data(json.utf8)) }
        if let expected {
            #expect(result.success == expected)
        } else {
            #expect(result.failure != nil)
        }
    }

    @Test(
        "parse refuses an empty body and text that is not JSON",
        arguments: [
            ("", "the request body is empty; send a JSON object"),
            ("{", "the request body is not valid JSON"),
            ("{\"a\": }", "the request body is not valid JSON"),
            ("not json", "the request body is not valid JSON"),
            ("{'a': 1}", "the request body is not valid JSON"),
            ("[1, 2", "the request body is not valid JSON"),
            ("{} {}", "the request body is not valid JSON"),
        ]
    )
    func parseErrors(body: String, message: String) {
        do {
            let value = try JSONValue.parse(Data(body.utf8))
            Issue.record("parsed \(body.debugDescription) as \(value)")
        } catch {
            #expect(error.description.hasPrefix(message), "\(error.description)")
            if body.isEmpty { #expect(error.description == message) }
        }
    }

    @Test(
        "parseObject wants an object",
        arguments: [
            ("[1, 2]", "the request body must be a JSON object, not an array"),
            ("\"text\"", "the request body must be a JSON object, not a string"),
            ("42", "the request body must be a JSON object, not a number"),
            ("4.5", "the request body must be a JSON object, not a number"),
            ("true", "the request body must be a JSON object, not a boolean"),
            ("null", "the request body must be a JSON object, not null"),
            ("", "the request body is empty; send a JSON object"),
        ]
    )
    func parseObjectErrors(body: String, message: String) {
        #expect(throws: BodyError(message)) { try JSONValue.parseObject(Data(body.utf8)) }
    }

    @Test func parseObject() throws {
        #expect(try JSONValue.parseObject(Data(#"{"id": "x", "n": 1}"#.utf8)) == ["id": .string("x"), "n": .int(1)])
        #expect(try JSONValue.parseObject(Data("{}".utf8)) == [:])
    }

    @Test(
        "typeName",
        arguments: [
            (JSONValue.null, "null"), (.bool(true), "a boolean"), (.int(1), "a number"), (.double(1.5), "a number"),
            (.string(""), "a string"), (.array([]), "an array"), (.object([:]), "an object"),
        ]
    )
    func typeName(value: JSONValue, name: String) {
        #expect(value.typeName == name)
    }

    @Test(
        "csvText is how FieldReader reads cells back",
        arguments: [
            (JSONValue.null, ""), (.bool(true), "true"), (.bool(false), "false"), (.int(-5), "-5"), (.double(2.0), "2"),
            (.double(0.25), "0.25"), (.string("定远"), "定远"), (.array([.int(9), .int(10), .int(11)]), "9;10;11"),
            (.array([.string("440300"), .string("440304")]), "440300;440304"), (.array([]), ""), (.object(["a": .int(1)]), ""),
        ]
    )
    func csvText(value: JSONValue, text: String) {
        #expect(value.csvText == text)
    }

    @Test func optionalInitialisers() {
        #expect(JSONValue(String?.none) == .null)
        #expect(JSONValue(String?.some("x")) == .string("x"))
        #expect(JSONValue(Int?.none) == .null)
        #expect(JSONValue(Int?.some(3)) == .int(3))
        #expect(JSONValue(CalendarDate?.none) == .null)
        #expect(JSONValue(Optional(day("2020-09-01"))) == .string("2020-09-01"))
        #expect(JSONValue(Double?.none) == .null)
        #expect(JSONValue(Double?.some(0.5)) == .double(0.5))
    }

    @Test func objectValue() {
        #expect(JSONValue.object(["a": .null]).objectValue == ["a": .null])
        #expect(JSONValue.array([]).objectValue == nil)
    }

    @Test func errorDescriptions() {
        let failure = ValidationFailure([FieldError(field: "a", message: "x", row: 3), FieldError(field: "b", message: "y")], totalCount: 10)
        #expect(failure.description == "row 3: a: x; b: y")
        #expect(failure.totalCount == 10)
        #expect(ValidationFailure(field: "a", message: "x").totalCount == 1)
        #expect(BodyError("nope").description == "nope")
    }

    @Test func version() {
        #expect(ChanxiaoVersion.current.split(separator: ".").count == 3)
    }
}
