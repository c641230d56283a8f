import ChanxiaoCore
import Testing

@Suite("DivisionCode")
struct DivisionCodeTests {
    enum Outcome: Sendable {
        case ok
        case malformed
        case badProvince
        case notCounty
    }

    @Test(
        "problem(with:level:)",
        arguments: [
            ("341125", DivisionCode.Level.county, Outcome.ok),  // 定远县
            ("341125", .any, .ok),
            ("450126", .county, .ok),  // 宾阳县, 广西
            ("110101", .county, .ok),  // 东城区, 北京
            ("820001", .county, .ok),
            ("340000", .county, .notCounty),  // 安徽省
            ("340000", .any, .ok),
            ("341100", .county, .notCounty),  // 滁州市
            ("341100", .any, .ok),
            ("440300", .any, .ok),
            ("991125", .county, .badProvince),
            ("991125", .any, .badProvince),
            ("001125", .any, .badProvince),
            ("101125", .any, .badProvince),
            ("891125", .any, .badProvince),
            ("34112", .county, .malformed),
            ("34112", .any, .malformed),
            ("3411250", .any, .malformed),
            ("34112a", .county, .malformed),
            ("34112a", .any, .malformed),
            ("341 25", .any, .malformed),
            (" 341125", .any, .malformed),
            ("３４１１２５", .any, .malformed),  // full-width digits
            ("-34112", .any, .malformed),
            ("", .any, .malformed),
        ]
    )
    func problem(code: String, level: DivisionCode.Level, outcome: Outcome) {
        let problem = DivisionCode.problem(with: code, level: level)
        switch outcome {
        case .ok:
            #expect(problem == nil)
        case .malformed:
            #expect(problem == "must be a 6-digit administrative division code (GB/T 2260), e.g. 341125")
        case .badProvince:
            #expect(problem == "\(code) does not start with a province code (11–82)")
        case .notCounty:
            #expect(problem == "\(code) is a province or city code; a county-level code does not end in 00")
        }
    }

    @Test(
        "province(of:)",
        arguments: [
            ("341125", "安徽省"), ("340000", "安徽省"), ("450126", "广西壮族自治区"), ("440304", "广东省"), ("430100", "湖南省"),
            ("410881", "河南省"), ("110101", "北京市"), ("650100", "新疆维吾尔自治区"), ("820001", "澳门特别行政区"),
        ]
    )
    func province(code: String, name: String) {
        #expect(DivisionCode.province(of: code) == name)
    }

    @Test func unknownProvince() {
        #expect(DivisionCode.province(of: "991125") == nil)
        #expect(DivisionCode.province(of: "") == nil)
        #expect(DivisionCode.provinces.count == 34)
    }

    @Test(
        "region(_:contains:)",
        arguments: [
            ("440000", "440304", true),  // province contains district
            ("440000", "440300", true),  // province contains city
            ("440000", "440000", true),
            ("440300", "440304", true),  // city contains district
            ("440300", "440300", true),
            ("440304", "440304", true),
            ("440304", "440300", false),  // a district does not contain its city
            ("440300", "440000", false),  // a city does not contain its province
            ("440300", "440404", false),
            ("440000", "450126", false),
            ("440304", "440305", false),
            ("430100", "430102", true),  // 长沙市 contains 芙蓉区
            ("430100", "431102", false),
        ]
    )
    func region(region: String, code: String, contains: Bool) {
        #expect(DivisionCode.region(region, contains: code) == contains)
    }
}
