import ChanxiaoCore
import Foundation
import Testing

@Suite("County")
struct CountyTests {
    static let good = #"""
        {"code": "341125", "name": "定远县", "province": "安徽省", "city": "滁州市", "poverty_status": "national",
         "poor_population": 12000, "paired_region_codes": ["440300", "440304", "440300"]}
        """#

    @Test func goodInput() throws {
        let county = try parse(County.self, json: Self.good).get()
        #expect(
            county
                == County(
                    code: "341125",
                    name: "定远县",
                    province: "安徽省",
                    city: "滁州市",
                    povertyStatus: .national,
                    poorPopulation: 12000,
                    pairedRegionCodes: ["440300", "440304"],  // duplicates dropped
                    createdAt: testNow,
                    updatedAt: testNow
                )
        )
        #expect(county.id == "341125")
        #expect(county.owner == .none)
        #expect(county.references.isEmpty)
        #expect(
            county.fields.map(\.value) == [
                .string("341125"), .string("定远县"), .string("安徽省"), .string("滁州市"), .string("national"), .int(12000),
                .array([.string("440300"), .string("440304")]), .string(testNowText), .string(testNowText),
            ]
        )
        #expect(county.csvRow == ["341125", "定远县", "安徽省", "滁州市", "national", "12000", "440300;440304"])
        checkRepresentations(county)
    }

    @Test func minimalInputTakesDefaults() throws {
        let county = try parse(County.self, json: #"{"code": "450126", "name": "宾阳县", "poverty_status": "lifted"}"#).get()
        #expect(county.province == "广西壮族自治区")  // from the code
        #expect(county.city == nil)
        #expect(county.poorPopulation == 0)
        #expect(county.pairedRegionCodes == [])
        #expect(county.writableJSON["city"] == .null)
        #expect(county.csvRow == ["450126", "宾阳县", "广西壮族自治区", "", "lifted", "0", ""])
        checkRepresentations(county)
    }

    @Test func csvInput() throws {
        let cells = [
            "code": "341125", "name": " 定远县 ", "province": "", "city": "", "poverty_status": "deep",
            "poor_population": "300", "paired_region_codes": "440300, 440304;440000",
        ]
        let county = try parse(County.self, csv: cells).get()
        #expect(county.name == "定远县")
        #expect(county.province == "安徽省")
        #expect(county.povertyStatus == .deep)
        #expect(county.poorPopulation == 300)
        #expect(county.pairedRegionCodes == ["440300", "440304", "440000"])
    }

    @Test(
        "bad inputs",
        arguments: [
            BadInput(#"{"code": null}"#, "code", "is required"),
            BadInput(#"{"code": "341100"}"#, "code", "is a province or city code"),
            BadInput(#"{"code": "340000"}"#, "code", "is a province or city code"),
            BadInput(#"{"code": "991125"}"#, "code", "does not start with a province code"),
            BadInput(#"{"code": "34112"}"#, "code", "must be a 6-digit administrative division code"),
            BadInput(#"{"code": 341125.5}"#, "code", "must be a string of 6 digits, not a number"),
            BadInput(#"{"name": ""}"#, "name", "is required"),
            BadInput(#"{"name": "\#(String(repeating: "县", count: 65))"}"#, "name", "must be at most 64 characters"),
            BadInput(#"{"name": "定远\u0007县"}"#, "name", "must not contain control characters"),
            BadInput(#"{"province": 34}"#, "province", "must be a string, not a number"),
            BadInput(
                #"{"poverty_status": "poor"}"#,
                "poverty_status",
                "unknown value 'poor'; expected one of: national, provincial, deep, lifted, none"
            ),
            BadInput(#"{"poverty_status": null}"#, "poverty_status", "is required"),
            BadInput(#"{"poor_population": -1}"#, "poor_population", "must be from 0 to 100000000"),
            BadInput(#"{"poor_population": 100000001}"#, "poor_population", "must be from 0 to 100000000"),
            BadInput(#"{"poor_population": "12000"}"#, "poor_population", "must be an integer, not a string"),
            BadInput(#"{"poor_population": 1.5}"#, "poor_population", "must be an integer, not a number"),
            BadInput(#"{"paired_region_codes": ["341125"]}"#, "paired_region_codes", "a county cannot be paired with itself"),
            BadInput(#"{"paired_region_codes": ["440300", "341125", "341125"]}"#, "paired_region_codes", "cannot be paired with itself"),
            BadInput(#"{"paired_region_codes": ["440300", "99"]}"#, "paired_region_codes[1]", "must be a 6-digit"),
            BadInput(#"{"paired_region_codes": "440300"}"#, "paired_region_codes", "must be an array, not a string"),
            BadInput(#"{"population": 3}"#, "population", "unknown field"),
            BadInput(#"{"id": "341125"}"#, "id", "unknown field"),
            BadInput(#"{"created_at": "2020-01-01T00:00:00Z"}"#, "created_at", "is read-only"),
            BadInput(#"{"updated_at": null}"#, "updated_at", "is read-only"),
        ]
    )
    func badInput(_ bad: BadInput) {
        checkBadInput(County.self, good: Self.good, bad)
    }

    @Test("every problem is reported at once")
    func everyProblem() {
        let result = parse(County.self, json: #"{"code": "34", "poverty_status": "x", "poor_population": -3, "extra": 1}"#)
        #expect(result.failure?.errors.map(\.field) == ["code", "name", "poverty_status", "poor_population", "extra"])
    }

    @Test("CSV errors carry the row")
    func csvRow() {
        let result = parse(County.self, csv: ["code": "341100", "name": "x", "poverty_status": "deep"], row: 17)
        #expect(
            result.failure?.errors == [
                FieldError(field: "code", message: "341100 is a province or city code; a county-level code does not end in 00", row: 17)
            ]
        )
    }

    @Test(
        "isPaired(withBuyerRegion:): either region contains the other",
        arguments: [
            (["440300"], "440304", true),  // paired with 深圳市; buyer in 福田区
            (["440300"], "440300", true),
            (["440300"], "440000", true),  // buyer anywhere in 广东省 … contains the paired city
            (["440304"], "440300", true),  // paired district; buyer registered at city level
            (["440304"], "440305", false),  // another district of the same city
            (["440300"], "440404", false),
            (["440300"], "450000", false),
            (["430102", "440300"], "440306", true),
            ([], "440300", false),
        ]
    )
    func isPaired(paired: [String], region: String, expected: Bool) {
        let county = County(code: "450126", name: "宾阳县", povertyStatus: .national, pairedRegionCodes: paired)
        #expect(county.isPaired(withBuyerRegion: region) == expected)
    }

    @Test func initDerivesProvince() {
        #expect(County(code: "430524", name: "隆回县", povertyStatus: .national).province == "湖南省")
        #expect(County(code: "990000", name: "?", povertyStatus: .none).province == "")
        #expect(County(code: "430524", name: "隆回县", province: "湖南", povertyStatus: .national).province == "湖南")
    }
}
