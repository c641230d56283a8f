/// Administrative division codes (GB/T 2260): six digits, province-city-county, e.g.
/// 341125 定远县 in 341100 滁州市 in 340000 安徽省.
public enum DivisionCode {
    /// Province-level prefixes and names.
    public static let provinces: [String: String] = [
        "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
        "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
        "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
        "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
        "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
        "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
        "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
    ]

    public enum Level: Sendable {
        /// A county-level division (县, 县级市, 区): the last two digits are not 00.
        case county
        /// Any level: province (xx0000), city (xxxx00) or county.
        case any
    }

    /// Why `code` is not a valid code of `level`, or nil when it is.
    public static func problem(with code: String, level: Level) -> String? {
        guard code.utf8.count == 6, code.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return "must be a 6-digit administrative division code (GB/T 2260), e.g. 341125"
        }
        guard provinces[String(code.prefix(2))] != nil else {
            return "\(code) does not start with a province code (11–82)"
        }
        if level == .county, code.hasSuffix("00") {
            return "\(code) is a province or city code; a county-level code does not end in 00"
        }
        return nil
    }

    /// The province name for a valid code.
    public static func province(of code: String) -> String? {
        provinces[String(code.prefix(2))]
    }

    /// Whether a jurisdiction of `regions` covers `code`; no regions at all cover every county
    /// (a national reviewer, every unbound token).
    public static func regions(_ regions: [String], cover code: String) -> Bool {
        regions.isEmpty || regions.contains { region($0, contains: code) }
    }

    /// True when `region` is `code` itself or one of the divisions that contain it
    /// (440000 contains 440300 which contains 440304).
    public static func region(_ region: String, contains code: String) -> Bool {
        if region == code { return true }
        if region.hasSuffix("0000") { return code.hasPrefix(region.prefix(2)) }
        if region.hasSuffix("00") { return code.hasPrefix(region.prefix(4)) }
        return false
    }
}
