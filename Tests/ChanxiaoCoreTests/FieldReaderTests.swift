import ChanxiaoCore
import Testing

/// One raw input for the field "n" and what a reader call must make of it.
struct ReadCase<Value: Sendable & Equatable>: Sendable, CustomTestStringConvertible {
    var raw: FieldReader.Raw?
    var value: Value?
    var error: String?
    var testDescription: String { "\(raw.map { "\($0)" } ?? "absent") → \(value.map { "\($0)" } ?? error ?? "nil")" }

    init(_ raw: FieldReader.Raw?, _ value: Value?, error: String? = nil) {
        self.raw = raw
        self.value = value
        self.error = error
    }

    /// A reader holding only this case's field, under "n". CSV readers report row 7.
    var reader: FieldReader {
        switch raw {
        case .json(let value)?: FieldReader(json: ["n": value])
        case .text(let text)?: FieldReader(text: ["n": text], row: 7)
        case nil: FieldReader(json: [:])
        }
    }

    var row: Int? {
        if case .text? = raw { return 7 }
        return nil
    }

    func check(_ read: (inout FieldReader) -> Value?, field: String = "n", sourceLocation: SourceLocation = #_sourceLocation) {
        var reader = self.reader
        let result = read(&reader)
        #expect(result == value, sourceLocation: sourceLocation)
        let expected = error.map { [FieldError(field: field, message: $0, row: row)] } ?? []
        #expect(reader.errors == expected, sourceLocation: sourceLocation)
        #expect(reader.hasErrors == (error != nil), sourceLocation: sourceLocation)
    }
}

private func json(_ value: JSONValue) -> FieldReader.Raw { .json(value) }
private func text(_ value: String) -> FieldReader.Raw { .text(value) }

@Suite("FieldReader")
struct FieldReaderTests {
    static let intCases: [ReadCase<Int>] = [
        ReadCase(json(.int(12)), 12),
        ReadCase(json(.double(12.0)), 12),
        ReadCase(text("12"), 12),
        ReadCase(text(" 12 "), 12),
        ReadCase(text("+12"), 12),
        ReadCase(json(.int(1)), 1),
        ReadCase(json(.int(100)), 100),
        ReadCase(json(.double(12.5)), nil, error: "must be an integer, not a number"),
        ReadCase(json(.double(1e300)), nil, error: "must be an integer, not a number"),
        ReadCase(json(.string("12")), nil, error: "must be an integer, not a string"),
        ReadCase(json(.bool(true)), nil, error: "must be an integer, not a boolean"),
        ReadCase(json(.array([.int(1)])), nil, error: "must be an integer, not an array"),
        ReadCase(json(.object([:])), nil, error: "must be an integer, not an object"),
        ReadCase(text("12.0"), nil, error: "must be an integer, got '12.0'"),
        ReadCase(text("twelve"), nil, error: "must be an integer, got 'twelve'"),
        ReadCase(text("1,000"), nil, error: "must be an integer, got '1,000'"),
        ReadCase(json(.int(0)), nil, error: "must be from 1 to 100"),
        ReadCase(json(.int(101)), nil, error: "must be from 1 to 100"),
        ReadCase(json(.int(-5)), nil, error: "must be from 1 to 100"),
        ReadCase(text("101"), nil, error: "must be from 1 to 100"),
        ReadCase(nil, nil),
        ReadCase(json(.null), nil),
        ReadCase(text(""), nil),
        ReadCase(text("   "), nil),
    ]

    @Test("int(in: 1...100)", arguments: intCases)
    func int(_ test: ReadCase<Int>) {
        test.check { $0.int("n", in: 1...100) }
    }

    static let requiredIntCases: [ReadCase<Int>] = [
        ReadCase(nil, nil, error: "is required"),
        ReadCase(json(.null), nil, error: "is required"),
        ReadCase(text(""), nil, error: "is required"),
        ReadCase(text(" \t "), nil, error: "is required"),
        ReadCase(json(.int(5)), 5),
    ]

    @Test("int(required: true) reports absence", arguments: requiredIntCases)
    func requiredInt(_ test: ReadCase<Int>) {
        test.check { $0.int("n", required: true, in: 1...100) }
    }

    @Test func openRangeMessage() {
        ReadCase<Int>(json(.int(-1)), nil, error: "must be at least 0").check { $0.int("n", in: 0...Int.max) }
        ReadCase<Int>(json(.int(Int64.max)), Int.max).check { $0.int("n", in: 0...Int.max) }
    }

    static let decimalCases: [ReadCase<Double>] = [
        ReadCase(json(.double(0.3)), 0.3),
        ReadCase(json(.int(1)), 1.0),
        ReadCase(json(.int(0)), 0.0),
        ReadCase(text("0.5"), 0.5),
        ReadCase(text(" .25 "), 0.25),
        ReadCase(text("1"), 1.0),
        ReadCase(json(.string("0.3")), nil, error: "must be a number, not a string"),
        ReadCase(json(.bool(false)), nil, error: "must be a number, not a boolean"),
        ReadCase(text("30%"), nil, error: "must be a number, got '30%'"),
        ReadCase(text("nan"), nil, error: "must be a number, got 'nan'"),
        ReadCase(text("inf"), nil, error: "must be a number, got 'inf'"),
        ReadCase(json(.double(1.5)), nil, error: "must be between 0 and 1"),
        ReadCase(json(.int(-1)), nil, error: "must be between 0 and 1"),
        ReadCase(text("1.01"), nil, error: "must be between 0 and 1"),
        ReadCase(nil, nil),
        ReadCase(text(""), nil),
    ]

    @Test("decimal(in: 0...1)", arguments: decimalCases)
    func decimal(_ test: ReadCase<Double>) {
        test.check { $0.decimal("n", in: 0...1) }
    }

    @Test func decimalRangeMessageKeepsFractions() {
        ReadCase<Double>(json(.int(3)), nil, error: "must be between 0.5 and 2.5").check { $0.decimal("n", in: 0.5...2.5) }
    }

    static let boolCases: [ReadCase<Bool>] = [
        ReadCase(json(.bool(true)), true),
        ReadCase(json(.bool(false)), false),
        ReadCase(text("true"), true),
        ReadCase(text("TRUE"), true),
        ReadCase(text("yes"), true),
        ReadCase(text("Y"), true),
        ReadCase(text("1"), true),
        ReadCase(text("是"), true),
        ReadCase(text(" yes "), true),
        ReadCase(text("false"), false),
        ReadCase(text("No"), false),
        ReadCase(text("n"), false),
        ReadCase(text("0"), false),
        ReadCase(text("否"), false),
        ReadCase(text("maybe"), nil, error: "must be true or false, got 'maybe'"),
        ReadCase(text("2"), nil, error: "must be true or false, got '2'"),
        ReadCase(json(.int(1)), nil, error: "must be true or false, not a number"),
        ReadCase(json(.string("true")), nil, error: "must be true or false, not a string"),
        ReadCase(nil, nil),
        ReadCase(json(.null), nil),
        ReadCase(text(""), nil),
    ]

    @Test("bool", arguments: boolCases)
    func bool(_ test: ReadCase<Bool>) {
        test.check { $0.bool("n") }
    }

    static let stringCases: [ReadCase<String>] = [
        ReadCase(json(.string("rice")), "rice"),
        ReadCase(json(.string("  rice \n")), "rice"),
        ReadCase(text(" rice "), "rice"),
        ReadCase(text("大米"), "大米"),
        ReadCase(text("五常大米米"), "五常大米米"),  // five characters, fifteen bytes
        ReadCase(text("a b c"), "a b c"),
        ReadCase(text("五常大米米米"), nil, error: "must be at most 5 characters"),
        ReadCase(json(.string("abcdef")), nil, error: "must be at most 5 characters"),
        ReadCase(json(.int(5)), nil, error: "must be a string, not a number"),
        ReadCase(json(.bool(true)), nil, error: "must be a string, not a boolean"),
        ReadCase(json(.array([])), nil, error: "must be a string, not an array"),
        ReadCase(text("a\u{7}b"), nil, error: "must not contain control characters"),
        ReadCase(json(.string("a\nb")), nil, error: "must not contain control characters"),
        ReadCase(json(.string("a\u{0}")), nil, error: "must not contain control characters"),
        ReadCase(json(.string("a\u{7F}")), nil, error: "must not contain control characters"),
        ReadCase(json(.string("a\u{85}b")), nil, error: "must not contain control characters"),
        ReadCase(json(.string("")), nil),
        ReadCase(json(.string(" \n\t")), nil),
        ReadCase(text(""), nil),
        ReadCase(nil, nil),
    ]

    @Test("string(maxLength: 5)", arguments: stringCases)
    func string(_ test: ReadCase<String>) {
        test.check { $0.string("n", maxLength: 5) }
    }

    static let requiredStringCases: [ReadCase<String>] = [
        ReadCase(json(.string("")), nil, error: "is required"),
        ReadCase(json(.string("   ")), nil, error: "is required"),
        ReadCase(text("\n"), nil, error: "is required"),
        ReadCase(json(.null), nil, error: "is required"),
        ReadCase(nil, nil, error: "is required"),
    ]

    @Test("string(required: true): empty and blank strings are missing", arguments: requiredStringCases)
    func requiredString(_ test: ReadCase<String>) {
        test.check { $0.string("n", required: true) }
    }

    @Test func defaultMaxLengthIs200() {
        ReadCase<String>(text(String(repeating: "x", count: 200)), String(repeating: "x", count: 200)).check { $0.string("n") }
        ReadCase<String>(text(String(repeating: "x", count: 201)), nil, error: "must be at most 200 characters").check { $0.string("n") }
    }

    static let oneOfCases: [ReadCase<PovertyStatus>] = [
        ReadCase(json(.string("deep")), .deep),
        ReadCase(text(" lifted "), .lifted),
        ReadCase(text("none"), PovertyStatus.none),
        ReadCase(json(.string("Deep")), nil, error: "unknown value 'Deep'; expected one of: national, provincial, deep, lifted, none"),
        ReadCase(text("深度贫困"), nil, error: "unknown value '深度贫困'; expected one of: national, provincial, deep, lifted, none"),
        ReadCase(json(.int(1)), nil, error: "must be a string, not a number"),
        ReadCase(json(.string(String(repeating: "d", count: 65))), nil, error: "must be at most 64 characters"),
        ReadCase(nil, nil),
    ]

    @Test("oneOf lists the allowed values", arguments: oneOfCases)
    func oneOf(_ test: ReadCase<PovertyStatus>) {
        test.check { $0.oneOf("n", PovertyStatus.self) }
    }

    @Test func oneOfUsesRawValues() {
        ReadCase<SupplierKind>(text("family_farm"), .familyFarm).check { $0.oneOf("n", SupplierKind.self) }
        ReadCase<SupplierKind>(text("familyFarm"), nil, error: "unknown value 'familyFarm'; expected one of: enterprise, cooperative, family_farm")
            .check { $0.oneOf("n", SupplierKind.self) }
        ReadCase<BuyerKind>(nil, nil, error: "is required").check { $0.oneOf("n", required: true, BuyerKind.self) }
    }

    static let dateCases: [ReadCase<CalendarDate>] = [
        ReadCase(json(.string("2020-09-01")), day("2020-09-01")),
        ReadCase(text(" 2020-02-29 "), day("2020-02-29")),
        ReadCase(text("2020-9-1"), nil, error: "must be a date written YYYY-MM-DD, got '2020-9-1'"),
        ReadCase(json(.string("2021-02-29")), nil, error: "must be a date written YYYY-MM-DD, got '2021-02-29'"),
        ReadCase(text("2020/09/01"), nil, error: "must be a date written YYYY-MM-DD, got '2020/09/01'"),
        ReadCase(json(.int(20_200_901)), nil, error: "must be a string, not a number"),
        ReadCase(text(String(repeating: "2", count: 33)), nil, error: "must be at most 32 characters"),
        ReadCase(nil, nil),
        ReadCase(text(""), nil),
    ]

    @Test("date", arguments: dateCases)
    func date(_ test: ReadCase<CalendarDate>) {
        test.check { $0.date("n") }
    }

    static let identifierCases: [ReadCase<String>] = [
        ReadCase(json(.string("sup_01")), "sup_01"),
        ReadCase(text(" ACME-2020.v1:rice "), "ACME-2020.v1:rice"),
        ReadCase(json(.string(String(repeating: "a", count: 64))), String(repeating: "a", count: 64)),
        ReadCase(json(.string("_x")), nil, error: "must start with a letter or digit"),
        ReadCase(json(.string("a b")), nil, error: "may contain only letters, digits and _ . : -"),
        ReadCase(json(.string("大米")), nil, error: "must start with a letter or digit"),
        ReadCase(json(.string(String(repeating: "a", count: 65))), nil, error: "must be at most 64 characters"),
        ReadCase(json(.int(7)), nil, error: "must be a string, not a number"),
        ReadCase(nil, nil),
    ]

    @Test("identifier", arguments: identifierCases)
    func identifier(_ test: ReadCase<String>) {
        test.check { $0.identifier("n") }
    }

    static let divisionCodeCases: [ReadCase<String>] = [
        ReadCase(json(.string("341125")), "341125"),
        ReadCase(json(.int(341_125)), "341125"),  // a careless client's number
        ReadCase(text(" 341125 "), "341125"),
        ReadCase(json(.double(341_125)), nil, error: "must be a string of 6 digits, not a number"),
        ReadCase(json(.bool(true)), nil, error: "must be a string of 6 digits, not a boolean"),
        ReadCase(json(.string("340000")), nil, error: "340000 is a province or city code; a county-level code does not end in 00"),
        ReadCase(text("991125"), nil, error: "991125 does not start with a province code (11–82)"),
        ReadCase(text("34112a"), nil, error: "must be a 6-digit administrative division code (GB/T 2260), e.g. 341125"),
        ReadCase(json(.int(34112)), nil, error: "must be a 6-digit administrative division code (GB/T 2260), e.g. 341125"),
        ReadCase(nil, nil),
        ReadCase(text(""), nil),
    ]

    @Test("divisionCode(level: .county)", arguments: divisionCodeCases)
    func divisionCode(_ test: ReadCase<String>) {
        test.check { $0.divisionCode("n", level: .county) }
    }

    @Test func requiredDivisionCode() {
        ReadCase<String>(nil, nil, error: "is required").check { $0.divisionCode("n", required: true, level: .any) }
        ReadCase<String>(text("440000"), "440000").check { $0.divisionCode("n", required: true, level: .any) }
    }

    static let intListCases: [ReadCase<[Int]>] = [
        ReadCase(json(.array([.int(9), .int(10), .int(11)])), [9, 10, 11]),
        ReadCase(json(.array([.double(9), .int(1)])), [9, 1]),
        ReadCase(json(.array([])), []),
        ReadCase(text("9;10,11"), [9, 10, 11]),
        ReadCase(text(" 9 ; 10 ;; 11, "), [9, 10, 11]),
        ReadCase(text("12"), [12]),
        ReadCase(nil, []),
        ReadCase(json(.null), []),
        ReadCase(text(""), []),
        ReadCase(json(.string("9;10")), nil, error: "must be an array, not a string"),
        ReadCase(json(.int(9)), nil, error: "must be an array, not a number"),
        ReadCase(json(.object([:])), nil, error: "must be an array, not an object"),
    ]

    @Test("intList(in: 1...12) from JSON arrays and from CSV text", arguments: intListCases)
    func intList(_ test: ReadCase<[Int]>) {
        test.check { $0.intList("n", in: 1...12) }
    }

    static let intListElementCases: [(ReadCase<[Int]>, String)] = [
        (ReadCase(json(.array([.int(9), .int(13)])), nil, error: "must be from 1 to 12, got 13"), "n[1]"),
        (ReadCase(json(.array([.string("9")])), nil, error: "must be an integer from 1 to 12, not a string"), "n[0]"),
        (ReadCase(json(.array([.int(1), .double(2.5)])), nil, error: "must be an integer from 1 to 12, not a number"), "n[1]"),
        (ReadCase(text("9;x;11"), nil, error: "must be an integer from 1 to 12, got 'x'"), "n[1]"),
        (ReadCase(text("0,1"), nil, error: "must be from 1 to 12, got 0"), "n[0]"),
    ]

    @Test("intList names the bad element", arguments: intListElementCases)
    func intListElementErrors(_ test: ReadCase<[Int]>, field: String) {
        test.check({ $0.intList("n", in: 1...12) }, field: field)
    }

    static let divisionCodeListCases: [ReadCase<[String]>] = [
        ReadCase(json(.array([.string("440300"), .string("440304")])), ["440300", "440304"]),
        ReadCase(json(.array([.int(440_300)])), ["440300"]),
        ReadCase(text("440300;440304,440000"), ["440300", "440304", "440000"]),
        ReadCase(nil, []),
        ReadCase(text("   "), []),
        ReadCase(json(.string("440300")), nil, error: "must be an array, not a string"),
    ]

    @Test("divisionCodeList(level: .any)", arguments: divisionCodeListCases)
    func divisionCodeList(_ test: ReadCase<[String]>) {
        test.check { $0.divisionCodeList("n", level: .any) }
    }

    @Test func divisionCodeListReportsEveryBadElement() {
        var reader = FieldReader(json: ["n": .array([.string("440300"), .string("99"), .bool(true), .string("990000")])])
        #expect(reader.divisionCodeList("n", level: .any) == nil)
        #expect(
            reader.errors == [
                FieldError(field: "n[1]", message: "must be a 6-digit administrative division code (GB/T 2260), e.g. 341125"),
                FieldError(field: "n[2]", message: "must be a string of 6 digits, not a boolean"),
                FieldError(field: "n[3]", message: "990000 does not start with a province code (11–82)"),
            ]
        )
        var csv = FieldReader(text: ["n": "341125;341100"], row: 3)
        #expect(csv.divisionCodeList("n", level: .county) == nil)
        #expect(
            csv.errors == [FieldError(field: "n[1]", message: "341100 is a province or city code; a county-level code does not end in 00", row: 3)]
        )
    }

    @Test("rejectUnknownFields reports fields never read, in name order")
    func unknownFields() {
        var reader = FieldReader(json: [
            "name": .string("x"), "zeta": .int(1), "created_at": .string("2020"), "alpha": .null,
            "updated_at": .null,
        ])
        _ = reader.string("name")
        _ = reader.string("never_sent")  // reading an absent field is fine
        reader.rejectUnknownFields(readOnly: ["created_at", "updated_at"])
        #expect(
            reader.errors == [
                FieldError(field: "alpha", message: "unknown field"),
                FieldError(field: "created_at", message: "is read-only"),
                FieldError(field: "updated_at", message: "is read-only"),
                FieldError(field: "zeta", message: "unknown field"),
            ]
        )
    }

    @Test("CSV readers report the row on every error")
    func csvRow() {
        var reader = FieldReader(text: ["a": "x", "b": "maybe", "c": "2020-02-30", "extra": "1"], row: 42)
        #expect(reader.row == 42)
        #expect(reader.int("a", in: 0...9) == nil)
        #expect(reader.bool("b") == nil)
        #expect(reader.date("c") == nil)
        #expect(reader.string("d", required: true) == nil)
        reader.rejectUnknownFields()
        #expect(reader.errors.map(\.field) == ["a", "b", "c", "d", "extra"])
        #expect(reader.errors.allSatisfy { $0.row == 42 })
        #expect(reader.errors.last?.description == "row 42: extra: unknown field")
    }

    @Test func jsonReadersHaveNoRow() {
        var reader = FieldReader(json: ["a": .string("x")])
        #expect(reader.row == nil)
        reader.fail("a", "custom")
        #expect(reader.errors == [FieldError(field: "a", message: "custom")])
        #expect(reader.errors[0].description == "a: custom")
    }

    @Test func containsSeesNulls() {
        let reader = FieldReader(json: ["a": .null, "b": .int(1)])
        #expect(reader.contains("a"))
        #expect(reader.contains("b"))
        #expect(!reader.contains("c"))
        let csv = FieldReader(text: ["a": ""], row: 2)
        #expect(csv.contains("a"))
    }

    @Test func rawTreatsNullAndBlankCellsAsAbsent() {
        var reader = FieldReader(json: ["a": .null, "b": .string(""), "c": .int(3)])
        #expect(reader.raw("a") == nil)
        #expect(reader.raw("b") == .json(.string("")))  // an empty JSON string is a value (a string reader calls it missing)
        #expect(reader.raw("c") == .json(.int(3)))
        #expect(reader.raw("d") == nil)
        var csv = FieldReader(text: ["a": "  ", "b": " x "], row: 2)
        #expect(csv.raw("a") == nil)
        #expect(csv.raw("b") == .text(" x "))
    }
}
