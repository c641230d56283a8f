import ChanxiaoCore
import ChanxiaoFixtures
import ChanxiaoStore
import Foundation

/// One generated import: a kind, a mode, the file, and what the generator knows about it.
struct ImportCase: Sendable {
    var seed: UInt64
    var kind: CatalogKind
    var mode: ImportMode
    var bytes: [UInt8]
    /// What was done to the file, for the failure report.
    var steps: [String]
    /// Built valid and changed only in ways that keep it valid: it must import.
    var mustImport: Bool
    /// Problems the file is known to have (spreadsheet row, field); the refusal must name each.
    /// A field `f` also matches the list element errors `f[i]`.
    var expectedErrors: [ExpectedError]

    struct ExpectedError: Sendable, Hashable, CustomStringConvertible {
        var row: Int
        var field: String
        var description: String { "row \(row) \(field)" }

        func matches(_ error: FieldError) -> Bool {
            error.row == row && (error.field == field || error.field.hasPrefix(field + "["))
        }
    }
}

/// The catalog of `Fixtures.databaseWithReports()`: what a generated row may name.
enum FuzzCatalog {
    static let counties = ["451026", "341125"]
    static let suppliers = ["sup-coop", "sup-farm"]
    /// Each product with its category, unit and price: a sale naming it must agree, at a plausible amount.
    static let products: [(id: String, category: String, unit: String, priceFen: Int)] = [
        ("prd-rice", "grain_oil", "kg", 800), ("prd-shrimp", "aquatic", "kg", 6800),
    ]
    static let buyers = ["buy-canteen", "buy-union"]
    static let venues = ["ven-center"]

    /// The ids (county codes) each kind already holds.
    static func existingIDs(_ kind: CatalogKind) -> [String] {
        switch kind {
        case .county: counties
        case .supplier: suppliers
        case .product: products.map(\.id)
        case .buyer: buyers
        case .demand: ["dem-rice"]
        case .venue: venues
        case .host: ["hst-a"]
        case .fair: ["fair-harvest"]
        case .sale: ["sal-rice", "sal-market"]
        case .outlet: ["out-counter"]
        case .event: ["evt-signing"]
        }
    }
}

/// What a column holds, to pick values that are certainly wrong for it.
enum FuzzColumnType {
    case id
    case reference(CatalogKind)
    case text(maxLength: Int)
    case enumeration
    case integer(ClosedRange<Int>)
    case decimal
    case boolean
    case date
    case code(countyLevel: Bool)
    case codeList(countyLevel: Bool)
    case months
    case weeklyWindows
    case datedWindows
    case platforms
}

/// A CSV file as a table, before it is written out.
struct CSVModel {
    var header: [String]
    var rows: [[String]]

    func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}

/// How a table is written: all of these keep the file's meaning (line ends, BOM, quoting, blank
/// lines, spaces around cells) except where noted.
struct CSVStyle {
    enum LineEnd { case lf, crlf, mixed }
    var lineEnd: LineEnd = .lf
    var bom = false
    var trailingNewline = true
    var quoteAll = false
    var quoteSome = false
    /// Blank lines before each record (spreadsheet rows count them).
    var blankLinesBefore: [Int] = []
    var padUnquoted = false
}

struct RenderedCSV {
    var bytes: [UInt8]
    /// The spreadsheet row number of the header and of each data row.
    var headerRow: Int
    var rowNumbers: [Int]
}

enum CSVRenderer {
    static func render(_ model: CSVModel, style: CSVStyle, random: inout FuzzRandom) -> RenderedCSV {
        var out: [UInt8] = style.bom ? [0xEF, 0xBB, 0xBF] : []
        var record = 1
        var numbers: [Int] = []
        var headerRow = 1
        let records = [model.header] + model.rows
        for (index, cells) in records.enumerated() {
            let blanks = index < style.blankLinesBefore.count ? style.blankLinesBefore[index] : 0
            for _ in 0..<blanks {
                out += lineEnd(style, &random)
                record += 1
            }
            if index == 0 { headerRow = record } else { numbers.append(record) }
            let line = cells.map { cell -> String in
                let needs = CSVWriter.escape(cell) != cell
                if style.quoteAll || needs || (style.quoteSome && random.chance(0.3)) {
                    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }
                return style.padUnquoted && random.chance(0.3) ? "  " + cell + " " : cell
            }.joined(separator: ",")
            out += Array(line.utf8)
            if index < records.count - 1 || style.trailingNewline { out += lineEnd(style, &random) }
            record += 1
        }
        return RenderedCSV(bytes: out, headerRow: headerRow, rowNumbers: numbers)
    }

    private static func lineEnd(_ style: CSVStyle, _ random: inout FuzzRandom) -> [UInt8] {
        switch style.lineEnd {
        case .lf: [0x0A]
        case .crlf: [0x0D, 0x0A]
        case .mixed: random.chance(0.5) ? [0x0A] : [0x0D, 0x0A]
        }
    }
}

/// Builds import cases: a valid file of one kind from its real columns, then perhaps changes
/// that keep it valid, changes with known errors, or blind damage to its bytes.
struct ImportCaseGenerator {
    var random: FuzzRandom
    let kind: CatalogKind
    let mode: ImportMode
    /// A per-case id stem, so that ids differ between cases without colliding inside one.
    let stem: String

    static let allColumns: [CatalogKind: [String]] = Dictionary(
        uniqueKeysWithValues: CatalogKind.allCases.map {
            ($0, $0.storedType.writableFields)
        }
    )

    /// Columns a file of the kind must have for its rows to be valid.
    static func required(_ kind: CatalogKind) -> [String] {
        switch kind {
        case .county: ["code", "name", "poverty_status"]
        case .supplier: ["name", "county_code", "kind"]
        case .product: ["supplier_id", "name", "category", "unit", "unit_price_fen", "weekly_capacity"]
        case .buyer: ["name", "kind", "region_code"]
        case .demand: ["buyer_id", "category", "unit", "weekly_volume", "max_unit_price_fen", "starts_on"]
        case .venue: ["name", "kind", "region_code"]
        case .host: ["name", "platforms", "availability"]
        case .fair: ["name", "venue_id", "starts_on", "ends_on", "booth_count"]
        case .sale: ["buyer_id", "volume", "amount_fen", "sold_on", "channel"]
        case .outlet: ["name", "kind", "county_code", "opened_on"]
        case .event: ["name", "kind", "held_on", "county_codes"]
        }
    }

    static func columnType(_ kind: CatalogKind, _ column: String) -> FuzzColumnType {
        switch (kind, column) {
        case (.county, "code"): .code(countyLevel: true)
        case (_, "id"): .id
        case (_, "name") where kind == .county: .text(maxLength: 64)
        case (_, "name"): .text(maxLength: 128)
        case (_, "province"), (_, "city"), (_, "network"), (_, "certificate_no"): .text(maxLength: 64)
        case (_, "operator"): .text(maxLength: 128)
        case (_, "blacklist_reason"), (_, "note"): .text(maxLength: 500)
        case (_, "poverty_status"), (_, "kind"), (_, "category"), (_, "unit"), (_, "channel"): .enumeration
        case (_, "poor_population"): .integer(0...100_000_000)
        case (_, "paired_region_codes"): .codeList(countyLevel: false)
        case (_, "county_codes"): .codeList(countyLevel: true)
        case (_, "county_code"): .code(countyLevel: true)
        case (_, "region_code"): .code(countyLevel: false)
        case (_, "supplier_id"): .reference(.supplier)
        case (_, "buyer_id"): .reference(.buyer)
        case (_, "product_id"): .reference(.product)
        case (_, "venue_id"): .reference(.venue)
        case (_, "blacklisted"), (_, "cold_chain"): .boolean
        case (_, "blacklisted_on"), (_, "certified_until"), (_, "starts_on"), (_, "ends_on"), (_, "sold_on"), (_, "opened_on"),
            (_, "closed_on"), (_, "held_on"):
            .date
        case (_, "unit_price_fen"), (_, "max_unit_price_fen"): .integer(Quantity.unitPriceFen)
        case (_, "weekly_capacity"), (_, "min_order"), (_, "weekly_volume"), (_, "volume"): .integer(Quantity.volume)
        case (_, "featured_weekly_volume"): .integer(0...Quantity.volume.upperBound)
        case (_, "amount_fen"): .integer(Quantity.valueFen)
        case (_, "max_suppliers_per_category"): .integer(Buyer.maxSuppliersRange)
        case (_, "max_sessions_per_day"): .integer(1...24)
        case (_, "booth_count"), (_, "max_booths_per_applicant"): .integer(1...10_000)
        case (_, "poverty_share_target"), (_, "min_poverty_share"): .decimal
        case (_, "season_months"): .months
        case (_, "availability"): .weeklyWindows
        case (_, "unavailable"), (_, "extra_availability"): .datedWindows
        case (_, "platforms"): .platforms
        default: .text(maxLength: 64)
        }
    }

    static func make(seed: UInt64) -> ImportCase {
        var random = FuzzRandom(seed: seed)
        let kind = random.pick(CatalogKind.allCases)
        let mode: ImportMode = random.chance(0.25) ? .upsert : .insert
        let stem = String(random.next() % 46656, radix: 36)
        var generator = ImportCaseGenerator(random: random.split(), kind: kind, mode: mode, stem: stem)
        return generator.build(seed: seed)
    }

    // MARK: The case

    mutating func build(seed: UInt64) -> ImportCase {
        var model = validModel()
        var steps = ["\(model.rows.count) valid rows, columns \(model.header.joined(separator: ","))"]
        var style = randomStyle(rows: model.rows.count)
        var pending: [(row: Int, field: String)] = []  // data-row index, field
        var mustImport = true

        switch random.weighted([35, 30, 12, 23]) {
        case 0:
            break  // valid, written in some harmless style
        case 1:
            // One problem per row: a second one in the same row could hide the first (an
            // unreadable starts_on leaves nothing for ends_on to be compared with).
            var rows: Set<Int> = []
            for _ in 0..<(1 + random.below(3)) where rows.count < model.rows.count {
                if let (row, field, step) = invalidateCell(&model, avoiding: &rows) {
                    pending.append((row, field))
                    steps.append(step)
                }
            }
            mustImport = pending.isEmpty
        case 2:
            if let (row, field, step) = stage2Problem(&model) {
                pending.append((row, field))
                steps.append(step)
                mustImport = false
            }
        default:
            mustImport = false
            for _ in 0..<(1 + random.below(3)) { steps.append(damageModel(&model, style: &style)) }
        }
        if mustImport, pending.isEmpty, model.rows.count > 0, random.chance(0.05) {
            // A deliberately repeated row: the repeat's id is reported.
            let row = random.below(model.rows.count)
            if let idColumn = model.column(kind.idField), !model.rows[row][idColumn].isEmpty {
                model.rows.append(model.rows[row])
                pending.append((model.rows.count - 1, kind.idField))
                steps.append("repeat row \(row + 2) at the end")
                mustImport = false
            }
        }

        var rendered = CSVRenderer.render(model, style: style, random: &random)
        steps.append("written \(describe(style))")
        var expected = pending.map { ImportCase.ExpectedError(row: rendered.rowNumbers[$0.row], field: $0.field) }

        if random.chance(mustImport ? 0.1 : 0.2) {
            for _ in 0..<(1 + random.below(3)) { steps.append(damageBytes(&rendered.bytes)) }
            mustImport = false
            expected = []
        }
        return ImportCase(
            seed: seed,
            kind: kind,
            mode: mode,
            bytes: rendered.bytes,
            steps: steps,
            mustImport: mustImport,
            expectedErrors: expected
        )
    }

    // MARK: Valid files

    mutating func validModel() -> CSVModel {
        let all = Self.allColumns[kind]!
        let required = Set(Self.required(kind))
        var header = all.filter { required.contains($0) || random.chance(0.6) }
        if kind == .sale, !header.contains("product_id"), !header.contains("category") { header.append("category") }
        if kind == .supplier, header.contains("blacklisted") != header.contains("blacklist_reason"), random.chance(0.5) {
            header.removeAll { $0 == "blacklisted" || $0 == "blacklist_reason" || $0 == "blacklisted_on" }
        }
        random.shuffle(&header)
        let count: Int =
            switch random.weighted([4, 70, 20, 5, 1]) {
            case 0: 0
            case 1: 1 + random.below(6)
            case 2: 7 + random.below(30)
            case 3: 40 + random.below(160)
            default: 500 + random.below(1500)
            }
        var used: Set<String> = []
        var rows: [[String]] = []
        for index in 0..<count {
            let cells = validRow(index: index, header: Set(header), used: &used)
            rows.append(header.map { cells[$0] ?? "" })
        }
        return CSVModel(header: header, rows: rows)
    }

    /// One valid row (cells for every column the header has; others are ignored).
    mutating func validRow(index: Int, header: Set<String>, used: inout Set<String>) -> [String: String] {
        var c: [String: String] = [:]
        if kind == .county {
            c["code"] = uniqueCountyCode(used: &used)
        } else if header.contains("id") {
            c["id"] = uniqueID(index: index, used: &used)
        }
        switch kind {
        case .county:
            c["name"] = text(maxLength: 64)
            c["province"] = random.chance(0.5) ? text(maxLength: 64) : ""
            c["city"] = random.chance(0.5) ? text(maxLength: 64) : ""
            c["poverty_status"] = random.pick(PovertyStatus.allCases.map(\.rawValue))
            c["poor_population"] = optional(integer(0...100_000_000))
            let own = c["code"]!
            c["paired_region_codes"] = list((0..<random.below(4)).map { _ in regionCode() }.filter { $0 != own })
        case .supplier:
            c["name"] = text(maxLength: 128)
            c["county_code"] = random.pick(FuzzCatalog.counties)
            c["kind"] = random.pick(SupplierKind.allCases.map(\.rawValue))
            let canBlacklist = header.contains("blacklisted") && header.contains("blacklist_reason")
            if canBlacklist, random.chance(0.3) {
                c["blacklisted"] = random.pick(["true", "yes", "y", "1", "是", "TRUE", "Yes"])
                c["blacklist_reason"] = text(maxLength: 500)
                c["blacklisted_on"] = random.chance(0.5) ? date(from: 1, to: 9999) : ""
            } else {
                c["blacklisted"] = random.chance(0.5) ? random.pick(["false", "no", "n", "0", "否", "False"]) : ""
            }
        case .product:
            c["supplier_id"] = random.pick(FuzzCatalog.suppliers)
            c["name"] = text(maxLength: 128)
            c["category"] = random.pick(ProductCategory.allCases.map(\.rawValue))
            c["unit"] = random.pick(MeasureUnit.allCases.map(\.rawValue))
            // A week's value (price × capacity) stays within Quantity.valueFen.
            let price = Int(integer(Quantity.unitPriceFen).trimmingCharacters(in: ["+"]))!
            c["unit_price_fen"] = String(price)
            let capacity = Int(integer(1...min(Quantity.volume.upperBound, Quantity.valueFen.upperBound / price)).trimmingCharacters(in: ["+"]))!
            c["weekly_capacity"] = String(capacity)
            c["min_order"] = optional(integer(1...capacity))
            c["season_months"] = list((0..<random.below(5)).map { _ in String(1 + random.below(12)) })
            c["certificate_no"] = random.chance(0.5) ? text(maxLength: 64) : ""
            c["certified_until"] = random.chance(0.5) ? date(from: 1, to: 9999) : ""
            c["cold_chain"] = optional(boolean())
        case .buyer:
            c["name"] = text(maxLength: 128)
            c["kind"] = random.pick(BuyerKind.allCases.map(\.rawValue))
            c["region_code"] = regionCode()
            c["network"] = random.chance(0.5) ? text(maxLength: 64) : ""
            c["poverty_share_target"] = optional(decimal())
            c["max_suppliers_per_category"] = optional(integer(Buyer.maxSuppliersRange))
        case .demand:
            c["buyer_id"] = random.pick(FuzzCatalog.buyers)
            c["category"] = random.pick(ProductCategory.allCases.map(\.rawValue))
            c["unit"] = random.pick(MeasureUnit.allCases.map(\.rawValue))
            let ceiling = Int(integer(Quantity.unitPriceFen).trimmingCharacters(in: ["+"]))!
            c["weekly_volume"] = integer(1...min(Quantity.volume.upperBound, Quantity.valueFen.upperBound / ceiling))
            c["max_unit_price_fen"] = String(ceiling)
            let start = date(from: 1, to: 9999)
            c["starts_on"] = start
            c["ends_on"] = random.chance(0.5) ? date(onOrAfter: start) : ""
            c["cold_chain"] = optional(boolean())
        case .venue:
            c["name"] = text(maxLength: 128)
            c["kind"] = random.pick(VenueKind.allCases.map(\.rawValue))
            c["region_code"] = regionCode()
            c["network"] = random.chance(0.5) ? text(maxLength: 64) : ""
            c["featured_weekly_volume"] = optional(integer(0...Quantity.volume.upperBound))
        case .host:
            c["name"] = text(maxLength: 128)
            c["platforms"] = list((0..<(1 + random.below(4))).map { _ in random.pick(LivestreamPlatform.allCases.map(\.rawValue)) })
            let extra = (0..<random.below(3)).map { _ in datedWindow(wholeDayAllowed: true) }
            c["extra_availability"] = list(extra)
            let weeklyCount = header.contains("extra_availability") && !extra.isEmpty ? random.below(4) : 1 + random.below(4)
            c["availability"] = list((0..<weeklyCount).map { _ in weeklyWindow() })
            c["unavailable"] = list((0..<random.below(3)).map { _ in datedWindow(wholeDayAllowed: true) })
            c["max_sessions_per_day"] = optional(integer(1...24))
        case .fair:
            c["name"] = text(maxLength: 128)
            c["venue_id"] = random.pick(FuzzCatalog.venues)
            let start = date(from: 1, to: 9998)
            c["starts_on"] = start
            c["ends_on"] = date(onOrAfter: start, withinDays: 366)
            c["booth_count"] = integer(1...10_000)
            c["min_poverty_share"] = optional(decimal())
            c["max_booths_per_applicant"] = optional(integer(1...10_000))
        case .sale:
            c["buyer_id"] = random.pick(FuzzCatalog.buyers)
            // Without a product the category is required, so a file without that column names one.
            if header.contains("product_id"), random.chance(0.6) || !header.contains("category") {
                let product = random.pick(FuzzCatalog.products)
                c["product_id"] = product.id
                c["category"] = random.chance(0.5) ? product.category : ""
                c["unit"] = random.chance(0.5) ? product.unit : ""
                // An amount plausible at the product's price (within Fixtures' sales.price_factor of 3).
                let volume = Int(integer(1...(Quantity.valueFen.upperBound / (3 * product.priceFen))).trimmingCharacters(in: ["+"]))!
                c["volume"] = String(volume)
                let factor = random.pick([1.0, 0.34, 0.5, 2.0, 2.99])
                c["amount_fen"] = String(max(1, Int((Double(volume * product.priceFen) * factor).rounded())))
            } else {
                c["product_id"] = ""
                c["category"] = random.pick(ProductCategory.allCases.map(\.rawValue))
                c["unit"] = random.chance(0.5) ? random.pick(MeasureUnit.allCases.map(\.rawValue)) : ""
                c["volume"] = integer(Quantity.volume)
                c["amount_fen"] = integer(Quantity.valueFen)
            }
            c["sold_on"] = random.chance(0.2) ? random.pick(["2020-09-01", "2020-09-02"]) : date(from: 1, to: 2019)
            c["channel"] = random.pick(SalesChannel.allCases.map(\.rawValue))
            c["note"] = random.chance(0.5) ? text(maxLength: 500) : ""
        case .outlet:
            c["name"] = text(maxLength: 128)
            c["kind"] = random.pick(OutletKind.allCases.map(\.rawValue))
            c["county_code"] = random.pick(FuzzCatalog.counties)
            c["region_code"] = random.chance(0.5) ? regionCode() : ""
            c["buyer_id"] = random.chance(0.5) ? random.pick(FuzzCatalog.buyers) : ""
            c["operator"] = random.chance(0.5) ? text(maxLength: 128) : ""
            let opened = date(from: 1, to: 9999)
            c["opened_on"] = opened
            c["closed_on"] = random.chance(0.4) ? date(onOrAfter: opened) : ""
        case .event:
            c["name"] = text(maxLength: 128)
            c["kind"] = random.pick(SalesEventKind.allCases.map(\.rawValue))
            c["held_on"] = date(from: 1, to: 9999)
            c["county_codes"] = list((0..<(1 + random.below(3))).map { _ in random.pick(FuzzCatalog.counties) })
            c["region_code"] = random.chance(0.5) ? regionCode() : ""
            c["note"] = random.chance(0.5) ? text(maxLength: 500) : ""
        }
        return c
    }

    // MARK: Values

    mutating func uniqueID(index: Int, used: inout Set<String>) -> String {
        if mode == .upsert, random.chance(0.3) {
            let existing = random.pick(FuzzCatalog.existingIDs(kind))
            if used.insert(existing).inserted { return existing }
        }
        if random.chance(0.15) { return "" }  // the importer makes one
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        let inner = Array("abcdefghijklmnopqrstuvwxyz0123456789_.:-")
        var id = String(random.pick(alphabet)) + stem
        for _ in 0..<random.below(8) { id.append(random.pick(inner)) }
        id += "-\(index)"
        if random.chance(0.05) { id += String(repeating: "x", count: max(0, Identifier.maxLength - id.utf8.count)) }
        used.insert(id)
        return id
    }

    mutating func uniqueCountyCode(used: inout Set<String>) -> String {
        if mode == .upsert, random.chance(0.3) {
            let existing = random.pick(FuzzCatalog.counties)
            if used.insert(existing).inserted { return existing }
        }
        while true {
            let code = random.pick(Array(DivisionCode.provinces.keys).sorted()) + twoDigits(in: 0...99) + twoDigits(in: 1...99)
            if !FuzzCatalog.counties.contains(code), used.insert(code).inserted { return code }
        }
    }

    mutating func twoDigits(in range: ClosedRange<Int>) -> String {
        let value = random.int(in: range)
        return value < 10 ? "0\(value)" : "\(value)"
    }

    /// A division code of any level.
    mutating func regionCode() -> String {
        let province = random.pick(Array(DivisionCode.provinces.keys).sorted())
        switch random.below(3) {
        case 0: return province + "0000"
        case 1: return province + twoDigits(in: 1...99) + "00"
        default: return province + twoDigits(in: 0...99) + twoDigits(in: 1...99)
        }
    }

    static let names = [
        "那坡大米", "定远青虾, 新货", "say \"hi\"", "Café", "cafe\u{301}", "🍚 rice", "a;b;c", "  padded  ", "'quoted'",
        "#hash", "=SUM(A1)", "NULL", "null", "-", "0", "五常\"稻花香\",大米", "x,y", "Ⅷ", "ｆｕｌｌ",
    ]

    /// Text of at most `maxLength` code points (what the length limits count), often awkward for CSV.
    mutating func text(maxLength: Int) -> String {
        switch random.below(10) {
        case 0: return String(repeating: "长", count: maxLength)
        case 1: return String(repeating: "e\u{301}", count: maxLength / 2)  // lengths count code points, two each here
        case 2, 3: return random.pick(Self.names)
        default:
            let alphabet = Array("abcxyz ABC 012 定远那坡县大米,;:'\"-_.")
            var text = ""
            for _ in 0..<(1 + random.below(min(maxLength, 24))) { text.append(random.pick(alphabet)) }
            return text.trimmingCharacters(in: .whitespaces).isEmpty ? "t" : text
        }
    }

    /// An integer in `range`, often at an edge.
    mutating func integer(_ range: ClosedRange<Int>) -> String {
        switch random.below(5) {
        case 0: String(range.lowerBound)
        case 1: String(range.upperBound)
        case 2: random.pick(["+", ""]) + String(random.int(in: range))  // a plus sign is allowed
        default: String(random.int(in: range))
        }
    }

    /// A number from 0 to 1 in the forms a spreadsheet writes.
    mutating func decimal() -> String {
        random.pick([
            "0", "1", "0.5", "0.30", ".25", "1.0", "1e-1", "2.5E-1", "0.333333333333", "-0", "1E0",
            String(Double(random.below(1_000_001)) / 1_000_000),
        ])
    }

    mutating func boolean() -> String {
        random.pick(["true", "false", "yes", "no", "y", "n", "1", "0", "是", "否", "TRUE", " false "])
    }

    mutating func optional(_ value: String) -> String {
        random.chance(0.7) ? value : ""
    }

    mutating func date(from first: Int, to last: Int) -> String {
        if random.chance(0.1) { return random.pick(["0001-01-01", "9999-12-31", "2020-02-29", "2000-02-29", "1970-01-01"]).clamped(first, last) }
        let year = random.int(in: first...last)
        let month = 1 + random.below(12)
        let day = 1 + random.below(CalendarDate.daysIn(month: month, year: year))
        return CalendarDate(year: year, month: month, day: day)!.description
    }

    mutating func date(onOrAfter start: String, withinDays limit: Int = 3000) -> String {
        let first = CalendarDate(start)!
        let last = min(CalendarDate(year: 9999, month: 12, day: 31)!.daysSinceEpoch, first.daysSinceEpoch + limit)
        return CalendarDate(daysSinceEpoch: random.int(in: first.daysSinceEpoch...last)).description
    }

    func clock(_ minutes: Int) -> String {
        ClockTime.text(minutes)
    }

    mutating func weeklyWindow() -> String {
        let start = random.below(1440)
        let end = random.int(in: (start + 1)...1440)
        return "\(random.pick(WeeklyWindow.dayNames + ["MON", "Sat"])) \(clock(start))-\(clock(end))"
    }

    mutating func datedWindow(wholeDayAllowed: Bool) -> String {
        let day = date(from: 2000, to: 2030)
        if wholeDayAllowed, random.chance(0.4) { return day }
        let start = random.below(1440)
        return "\(day) \(clock(start))-\(clock(random.int(in: (start + 1)...1440)))"
    }

    /// A list cell: `;` between items, sometimes `,` or spaces.
    mutating func list(_ items: [String]) -> String {
        items.joined(separator: random.pick([";", ";", ",", "; "]))
    }

    // MARK: Changes with known errors

    /// Makes one cell certainly wrong; returns the data row, the field the error must name, and a note.
    mutating func invalidateCell(_ model: inout CSVModel, avoiding rows: inout Set<Int>) -> (Int, String, String)? {
        var row = random.below(model.rows.count)
        while rows.contains(row) { row = (row + 1) % model.rows.count }
        rows.insert(row)
        let candidates = model.header.filter { $0 != "id" || kind == .county || random.chance(0.5) }
        guard !candidates.isEmpty else { return nil }
        let column = random.pick(candidates)
        let index = model.column(column)!
        let required = Set(Self.required(kind))
        var field = column
        let value: String
        if required.contains(column), column != "availability", random.chance(0.15) {
            value = ""  // a required cell left empty
        } else if let crossField = crossFieldProblem(model, row: row, column: column) {
            (value, field) = crossField
        } else {
            value = invalidValue(for: Self.columnType(kind, column))
        }
        if column == "availability", value.isEmpty { return nil }
        model.rows[row][index] = value
        return (
            row, field, "row \(row + 2): \(column) = \(value.prefix(60).debugDescription)\(value.count > 60 ? "… (\(value.count) characters)" : "")"
        )
    }

    /// A value that breaks a rule between fields, when the row allows one; the field the error names.
    mutating func crossFieldProblem(_ model: CSVModel, row: Int, column: String) -> (String, String)? {
        guard random.chance(0.3) else { return nil }
        func cell(_ name: String) -> String? { model.column(name).map { model.rows[row][$0] } }
        switch (kind, column) {
        case (.product, "min_order"):
            guard let capacity = cell("weekly_capacity").flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }),
                (1..<Quantity.volume.upperBound).contains(capacity)
            else { return nil }
            return (String(capacity + 1), "min_order")
        case (.demand, "ends_on"), (.fair, "ends_on"):
            guard let start = cell("starts_on").flatMap({ CalendarDate($0.trimmingCharacters(in: .whitespaces)) }) else { return nil }
            if kind == .fair, random.chance(0.5), start.year < 9998 { return (start.adding(days: 367).description, "ends_on") }
            guard start.daysSinceEpoch > CalendarDate(year: 1, month: 1, day: 1)!.daysSinceEpoch else { return nil }
            return (start.adding(days: -1).description, "ends_on")
        case (.outlet, "closed_on"):
            guard let opened = cell("opened_on").flatMap({ CalendarDate($0.trimmingCharacters(in: .whitespaces)) }),
                opened.year > 1
            else { return nil }
            return (opened.adding(days: -1 - random.below(30)).description, "closed_on")
        case (.sale, "sold_on"):
            return (random.pick(["2020-09-03", "2030-01-01", "9999-12-31"]), "sold_on")
        case (.county, "paired_region_codes"):
            guard let code = cell("code"), !code.isEmpty else { return nil }
            return (code, "paired_region_codes")
        case (.supplier, "blacklist_reason"):
            guard let flag = cell("blacklisted"), ["false", "no", "n", "0", "否", "False", ""].contains(flag) else { return nil }
            return ("以次充好", "blacklist_reason")
        default:
            return nil
        }
    }

    mutating func invalidValue(for type: FuzzColumnType) -> String {
        switch type {
        case .id, .reference:
            return random.pick(["-x", "x y", "ü", "a/b", String(repeating: "a", count: 65), "a\u{0}b", "_lead", "\"", "名"])
        case .text(let maxLength):
            switch random.below(6) {
            case 0: return String(repeating: "长", count: maxLength + 1)
            case 1 where random.chance(0.1): return String(repeating: "x", count: 50_000 + random.below(200_000))  // a huge field
            case 2: return "a\u{1}b"
            case 3: return "x\u{0}y"
            case 4: return "line\nbreak"
            default: return "tab\u{7F}del"
            }
        case .enumeration:
            return random.pick(["bogus", "TEA", "Canteen", "grain oil", "国家级", "kg.", "0"])
        case .integer(let range):
            var values = ["abc", "1.5", "1e3", "9223372036854775808", "-9223372036854775809", "NaN", "0x10", "١٢", "1_000", "5 5", "∞"]
            values.append(String(range.upperBound + 1))
            values.append(range.lowerBound == Int.min ? "-99999999999999999999" : String(range.lowerBound - 1))
            if range.upperBound < Int.max { values.append(String(Int.max)) }
            if range.lowerBound > Int.min { values.append(String(Int.min)) }
            return random.pick(values)
        case .decimal:
            return random.pick(["NaN", "nan", "inf", "-inf", "1.0000001", "-0.1", "abc", "1e309", "2", "50%", "0,5", "--1"])
        case .boolean:
            return random.pick(["maybe", "2", "tru", "oui", "-1", "t", "真"])
        case .date:
            return random.pick([
                "2020-02-30", "2021-02-29", "2020-13-01", "10000-01-01", "0000-01-01", "2020-1-1", "20200101",
                "2020-09-01T00:00:00Z", "2020/09/01", "-001-01-01", "2020-00-10", "２０２０-01-01",
            ])
        case .code(let countyLevel):
            return random.pick(["999999", "12345", "4510260", "45102a", "001026", "910000"] + (countyLevel ? ["450100", "450000"] : []))
        case .codeList(let countyLevel):
            return random.pick(["999999", "45102", "abc", "4510260"] + (countyLevel ? ["450100"] : []))
        case .months:
            return random.pick(["13", "0", "a", "1.5", "-1", "12.0"])
        case .weeklyWindows:
            return random.pick(["mon 25:00-26:00", "monday 19:00-22:00", "mon 22:00-19:00", "2020-09-14", "xx", "mon 19:00", "mon 9:00-10:00"])
        case .datedWindows:
            return random.pick(["mon 19:00-22:00", "2020-02-30 10:00-11:00", "2020-09-14 11:00-10:00", "2020-09-14 24:01-24:30", "tomorrow"])
        case .platforms:
            return random.pick(["tiktok", "DOUYIN", "wechat"])
        }
    }

    /// A problem found only against the database: a missing reference, an existing id on
    /// insert, an id twice, or a sale that contradicts its product.
    mutating func stage2Problem(_ model: inout CSVModel) -> (Int, String, String)? {
        guard !model.rows.isEmpty else { return nil }
        let row = random.below(model.rows.count)
        var choices: [Int] = [0]
        if mode == .insert { choices.append(1) }
        if model.rows.count > 1 { choices.append(2) }
        if kind == .sale, model.column("product_id") != nil, model.column("category") != nil { choices.append(3) }
        switch random.pick(choices) {
        case 0:
            let references: [(String, String)] =
                switch kind {
                case .supplier: [("county_code", "county_code")]
                case .product: [("supplier_id", "supplier_id")]
                case .demand: [("buyer_id", "buyer_id")]
                case .fair: [("venue_id", "venue_id")]
                case .sale: [("buyer_id", "buyer_id"), ("product_id", "product_id")]
                case .outlet: [("county_code", "county_code"), ("buyer_id", "buyer_id")]
                case .event: [("county_codes", "county_codes[0]")]
                default: []
                }
            let present = references.filter { model.column($0.0) != nil }
            guard !present.isEmpty else { return nil }
            let (column, field) = random.pick(present)
            let ghost = column.hasPrefix("county") ? random.pick(["110101", "820199", "659001"]) : "ghost-\(random.below(1000))"
            model.rows[row][model.column(column)!] = ghost
            return (row, field, "row \(row + 2): \(column) = \(ghost), which does not exist")
        case 1:
            guard let index = model.column(kind.idField) else { return nil }
            let existing = random.pick(FuzzCatalog.existingIDs(kind))
            guard !model.rows.contains(where: { $0[index] == existing }) else { return nil }
            model.rows[row][index] = existing
            return (row, kind.idField, "row \(row + 2): \(kind.idField) = \(existing), which exists (insert mode)")
        case 2:
            guard let index = model.column(kind.idField) else { return nil }
            let first = random.below(model.rows.count - 1)
            let second = first + 1 + random.below(model.rows.count - first - 1)
            guard !model.rows[first][index].isEmpty else { return nil }
            model.rows[second][index] = model.rows[first][index]
            return (second, kind.idField, "row \(second + 2): the id of row \(first + 2) again")
        default:
            let product = random.pick(FuzzCatalog.products)
            let wrong = ProductCategory.allCases.map(\.rawValue).first { $0 != product.category }!
            model.rows[row][model.column("product_id")!] = product.id
            model.rows[row][model.column("category")!] = wrong
            return (row, "category", "row \(row + 2): product \(product.id) with category \(wrong)")
        }
    }

    // MARK: Blind damage

    /// Changes the table in a way whose outcome is not predicted: only the general properties apply.
    mutating func damageModel(_ model: inout CSVModel, style: inout CSVStyle) -> String {
        switch random.below(14) {
        case 0:
            guard !model.header.isEmpty else { return "nothing" }
            let index = random.below(model.header.count)
            let name = model.header.remove(at: index)
            for row in model.rows.indices where index < model.rows[row].count { model.rows[row].remove(at: index) }
            return "drop column \(name)"
        case 1:
            guard !model.header.isEmpty else { return "nothing" }
            let index = random.below(model.header.count)
            let name = model.header.remove(at: index)
            return "drop \(name) from the header only"
        case 2:
            guard !model.header.isEmpty else { return "nothing" }
            let index = random.below(model.header.count)
            model.header.append(model.header[index])
            for row in model.rows.indices { model.rows[row].append(index < model.rows[row].count ? model.rows[row][index] : "") }
            return "column \(model.header[index]) twice"
        case 3:
            guard model.header.count > 1 else { return "nothing" }
            let a = random.below(model.header.count)
            let b = random.below(model.header.count)
            model.header.swapAt(a, b)
            return "swap header names \(model.header[b]) and \(model.header[a]) (not the cells)"
        case 4:
            let name = random.pick(["created_at", "updated_at", "colour", "county_code", "ID", " ", "", "name ", "\u{FEFF}id"])
            model.header.append(name)
            for row in model.rows.indices { model.rows[row].append(random.chance(0.5) ? "" : "x") }
            return "extra column \(name.debugDescription)"
        case 5:
            model.rows.removeAll()
            return "header only"
        case 6:
            model.header.removeAll()
            model.rows.removeAll()
            style.bom = random.chance(0.5)
            return "empty file"
        case 7:
            guard !model.rows.isEmpty else { return "nothing" }
            let row = random.below(model.rows.count)
            if random.chance(0.5) { model.rows[row].removeLast(min(1, model.rows[row].count)) } else { model.rows[row].append("extra") }
            return "row \(row + 2) with a wrong number of cells"
        case 8:
            guard !model.rows.isEmpty, !model.header.isEmpty else { return "nothing" }
            let row = random.below(model.rows.count)
            let column = random.below(model.header.count)
            guard column < model.rows[row].count else { return "nothing" }  // a row already cut short
            let value = random.pick([
                "9223372036854775807", "-9223372036854775808", "NaN", "-inf", "1e308", "-0", "0.0", "1E2", "+0",
                "00000000000000000000001", "0x7fffffffffffffff", "2020-02-30", "9999-12-31", "0001-01-01",
            ])
            model.rows[row][column] = value
            return "row \(row + 2) \(model.header[column]) = \(value)"
        case 9:
            guard !model.rows.isEmpty, !model.header.isEmpty else { return "nothing" }
            let row = random.below(model.rows.count)
            let column = random.below(model.header.count)
            guard column < model.rows[row].count else { return "nothing" }  // a row already cut short
            let size = random.chance(0.9) ? 1000 + random.below(100_000) : 1_000_000 + random.below(1_000_000)
            model.rows[row][column] = String(repeating: random.pick(["x", "长", ",", "\"", "\n", " "]), count: size)
            return "row \(row + 2) \(model.header[column]) holds \(size) characters"
        case 10:
            guard !model.rows.isEmpty, !model.header.isEmpty else { return "nothing" }
            let row = random.below(model.rows.count)
            let column = random.below(model.header.count)
            guard column < model.rows[row].count else { return "nothing" }  // a row already cut short
            let value = random.pick(["bogus", "", " ", "\t", "\"", "ghost", "451026", "sup-coop", "prd-rice", "buy-canteen", "ven-center", "是"])
            model.rows[row][column] = value
            return "row \(row + 2) \(model.header[column]) = \(value.debugDescription)"
        case 11:
            guard !model.rows.isEmpty else { return "nothing" }
            let row = random.below(model.rows.count)
            model.rows.insert(model.rows[row], at: random.below(model.rows.count + 1))
            return "row \(row + 2) repeated"
        case 12:
            style.lineEnd = .mixed
            style.blankLinesBefore = (0...model.rows.count).map { _ in random.chance(0.2) ? 1 + random.below(2) : 0 }
            return "blank lines"
        default:
            let name = random.pick(Self.allColumns[kind]!)
            if !model.header.contains(name) {
                model.header.append(name)
                for row in model.rows.indices { model.rows[row].append(random.chance(0.5) ? "" : "1") }
                return "add column \(name)"
            }
            return "nothing"
        }
    }

    /// Damages the written bytes.
    mutating func damageBytes(_ bytes: inout [UInt8]) -> String {
        let position = bytes.isEmpty ? 0 : random.below(bytes.count + 1)
        switch random.below(13) {
        case 0:
            bytes.removeSubrange(position...)
            return "truncated at byte \(position)"
        case 1:
            bytes.insert(UInt8(ascii: "\""), at: position)
            return "a quote at byte \(position)"
        case 2:
            bytes = bytes.flatMap { $0 == 0x0A && random.chance(0.5) ? [0x0D, 0x0A] : [$0] }
            return "some LF made CRLF"
        case 3:
            bytes = bytes.compactMap { $0 == 0x0A ? 0x0D : $0 }
            return "CR line ends only"
        case 4:
            bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: random.chance(0.5) ? 0 : position)
            return "a byte-order mark at \(position)"
        case 5:
            bytes.insert(0x00, at: position)
            return "NUL at byte \(position)"
        case 6:
            let sequences: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0x80], [0xE5, 0xAE], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFE, 0xFF]]
            let sequence = random.pick(sequences)
            bytes.insert(contentsOf: sequence, at: position)
            return "invalid UTF-8 \(sequence) at byte \(position)"
        case 7:
            guard !bytes.isEmpty else { return "nothing" }
            let index = random.below(bytes.count)
            bytes[index] ^= UInt8(truncatingIfNeeded: 1 << random.below(8))
            return "a bit flipped at byte \(index)"
        case 8:
            guard !bytes.isEmpty else { return "nothing" }
            let end = min(bytes.count, position + 1 + random.below(64))
            bytes.removeSubrange(min(position, bytes.count - 1)..<end)
            return "bytes \(position)..<\(end) deleted"
        case 9:
            let noiseBytes: [UInt8] = [0x22, 0x2C, 0x0A, 0x0D, 0x20, 0x3B, 0x00, 0x7F]
            var noise: [UInt8] = []
            for _ in 0..<(1 + random.below(16)) {
                noise.append(random.chance(0.3) ? UInt8(truncatingIfNeeded: random.below(256)) : random.pick(noiseBytes))
            }
            bytes.insert(contentsOf: noise, at: position)
            return "\(noise.count) noise bytes at \(position)"
        case 10:
            guard !bytes.isEmpty else { return "nothing" }
            let start = random.below(bytes.count)
            let slice = bytes[start..<min(bytes.count, start + 1 + random.below(200))]
            bytes.insert(contentsOf: slice, at: position)
            return "bytes \(start)..<\(start + slice.count) copied to \(position)"
        case 11:
            bytes = []
            return "no bytes at all"
        default:
            bytes.insert(contentsOf: Array(repeating: UInt8(ascii: "\n"), count: 1 + random.below(3)), at: position)
            return "line breaks at \(position)"
        }
    }

    // MARK: Styles

    mutating func randomStyle(rows: Int) -> CSVStyle {
        var style = CSVStyle()
        style.lineEnd = random.pick([.lf, .lf, .crlf, .mixed])
        style.bom = random.chance(0.2)
        style.trailingNewline = random.chance(0.8)
        style.quoteAll = random.chance(0.1)
        style.quoteSome = !style.quoteAll && random.chance(0.2)
        style.padUnquoted = random.chance(0.15)
        if random.chance(0.15) {
            style.blankLinesBefore = (0...rows).map { _ in random.chance(0.2) ? 1 + random.below(2) : 0 }
        }
        return style
    }

    func describe(_ style: CSVStyle) -> String {
        var parts = ["\(style.lineEnd)".uppercased()]
        if style.bom { parts.append("BOM") }
        if !style.trailingNewline { parts.append("no final line break") }
        if style.quoteAll { parts.append("every cell quoted") }
        if style.quoteSome { parts.append("some cells quoted") }
        if style.padUnquoted { parts.append("spaces around cells") }
        if style.blankLinesBefore.contains(where: { $0 > 0 }) { parts.append("blank lines") }
        return parts.joined(separator: ", ")
    }
}

extension String {
    /// `self` when it is a date within the years `first`...`last`, else the first day of `first`.
    func clamped(_ first: Int, _ last: Int) -> String {
        guard let date = CalendarDate(self), (first...last).contains(date.year) else {
            return CalendarDate(year: first, month: 1, day: 1)!.description
        }
        return self
    }
}
