import Foundation

/// Reads the members of a stored `data` object, or of an object nested in it, as typed values.
/// Each read throws at once, naming the member by its path: a payload that does not read is
/// shown by what its type alone tells, so collecting every problem would gain nothing.
struct PayloadReader {
    private let members: [String: JSONValue]
    /// Where these members sit in `data`: "" at the top, "slots[2]." inside a list.
    private let path: String

    init(_ members: [String: JSONValue], path: String = "") {
        self.members = members
        self.path = path
    }

    func failure(_ member: String, _ problem: String) -> PayloadError {
        PayloadError(member: path + member, problem: problem)
    }

    // MARK: Scalars

    func string(_ member: String) throws(PayloadError) -> String { try read(member, as: "a string", \.string) }
    func string(orNull member: String) throws(PayloadError) -> String? { try read(orNull: member, as: "a string", \.string) }

    func int(_ member: String) throws(PayloadError) -> Int { try read(member, as: "an integer", Self.integer) }
    func int(orNull member: String) throws(PayloadError) -> Int? { try read(orNull: member, as: "an integer", Self.integer) }

    func double(_ member: String) throws(PayloadError) -> Double { try read(member, as: "a number", Self.number) }
    func double(orNull member: String) throws(PayloadError) -> Double? { try read(orNull: member, as: "a number", Self.number) }

    func bool(_ member: String) throws(PayloadError) -> Bool {
        try read(member, as: "a boolean") { if case .bool(let flag) = $0 { flag } else { nil } }
    }

    /// An instant written by `Timestamp`.
    func date(_ member: String) throws(PayloadError) -> Date { try read(member, as: "an RFC 3339 time", Self.instant) }
    func date(orNull member: String) throws(PayloadError) -> Date? { try read(orNull: member, as: "an RFC 3339 time", Self.instant) }

    func week(_ member: String) throws(PayloadError) -> IsoWeek {
        try read(member, as: "an ISO week (YYYY-Www)") { $0.string.flatMap { IsoWeek($0) } }
    }
    func week(orNull member: String) throws(PayloadError) -> IsoWeek? {
        try read(orNull: member, as: "an ISO week (YYYY-Www)") { $0.string.flatMap { IsoWeek($0) } }
    }

    func day(_ member: String) throws(PayloadError) -> CalendarDate {
        try read(member, as: "a date (YYYY-MM-DD)") { $0.string.flatMap { CalendarDate($0) } }
    }
    func day(orNull member: String) throws(PayloadError) -> CalendarDate? {
        try read(orNull: member, as: "a date (YYYY-MM-DD)") { $0.string.flatMap { CalendarDate($0) } }
    }

    /// One of the values of `Code` (a status, a kind, a unit).
    func code<Code: RawRepresentable<String>>(_ member: String, as _: Code.Type = Code.self) throws(PayloadError) -> Code {
        try read(member, as: "one of its known values") { $0.string.flatMap(Code.init(rawValue:)) }
    }

    /// A string that `parse` makes into a value (an owner, …); `expected` says what it must be.
    func parsed<Value>(orNull member: String, as expected: String, _ parse: (String) -> Value?) throws(PayloadError) -> Value? {
        try read(orNull: member, as: expected) { $0.string.flatMap(parse) }
    }

    // MARK: Lists and objects

    func object(_ member: String) throws(PayloadError) -> PayloadReader {
        let members = try read(member, as: "an object", \.objectValue)
        return PayloadReader(members, path: path + member + ".")
    }

    /// An object that may be null: nil when null or absent.
    func object(orNull member: String) throws(PayloadError) -> PayloadReader? {
        guard let members = try read(orNull: member, as: "an object", \.objectValue) else { return nil }
        return PayloadReader(members, path: path + member + ".")
    }

    /// A nested object that may be null, read by its own type: nil when null or absent.
    func nested<Item: NestedPayload>(orNull member: String, as _: Item.Type = Item.self) throws(PayloadError) -> Item? {
        guard let object = try object(orNull: member) else { return nil }
        return try Item(reading: object)
    }

    /// Each element of the list read by `item`, which gets the element's own value and path.
    func list<Item>(_ member: String, as expected: String, _ item: (JSONValue) -> Item?) throws(PayloadError) -> [Item] {
        let values = try read(member, as: "an array", \.array)
        var items: [Item] = []
        items.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            guard let read = item(value) else { throw failure("\(member)[\(index)]", Self.problem(expected, value)) }
            items.append(read)
        }
        return items
    }

    func strings(_ member: String) throws(PayloadError) -> [String] { try list(member, as: "a string", \.string) }
    func ints(_ member: String) throws(PayloadError) -> [Int] { try list(member, as: "an integer", Self.integer) }

    /// A list of nested objects, each read by its own type.
    func objects<Item: NestedPayload>(_ member: String, as _: Item.Type = Item.self) throws(PayloadError) -> [Item] {
        let values = try read(member, as: "an array", \.array)
        var items: [Item] = []
        items.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            let element = "\(member)[\(index)]"
            guard let members = value.objectValue else { throw failure(element, Self.problem("an object", value)) }
            items.append(try Item(reading: PayloadReader(members, path: path + element + ".")))
        }
        return items
    }

    /// An object of integers keyed by the values of `Key` (`{"box": 90, "kg": 12000}`).
    func counts<Key: RawRepresentable<String> & Hashable>(_ member: String, by _: Key.Type) throws(PayloadError) -> [Key: Int] {
        let object = try read(member, as: "an object", \.objectValue)
        var counts: [Key: Int] = [:]
        for (name, value) in object {
            guard let key = Key(rawValue: name) else { throw failure(member + "." + name, "is not one of its known keys") }
            guard let count = Self.integer(value) else { throw failure(member + "." + name, Self.problem("an integer", value)) }
            counts[key] = count
        }
        return counts
    }

    // MARK: Reading one member

    private func read<Value>(_ member: String, as expected: String, _ convert: (JSONValue) -> Value?) throws(PayloadError) -> Value {
        guard let value = members[member] else { throw failure(member, "is missing") }
        guard let converted = convert(value) else { throw failure(member, Self.problem(expected, value)) }
        return converted
    }

    /// Nil when the member is null, or absent (a payload written before it existed).
    private func read<Value>(orNull member: String, as expected: String, _ convert: (JSONValue) -> Value?) throws(PayloadError) -> Value? {
        guard let value = members[member], value != .null else { return nil }
        guard let converted = convert(value) else { throw failure(member, Self.problem(expected, value)) }
        return converted
    }

    private static func problem(_ expected: String, _ value: JSONValue) -> String {
        if let text = value.string {
            return "must be \(expected), not \"\(text.count > 40 ? String(text.prefix(39)) + "…" : text)\""
        }
        return "must be \(expected), not \(value.typeName)"
    }

    // MARK: Conversions

    /// Whole numbers, also when written with a fraction of zero.
    static func integer(_ value: JSONValue) -> Int? {
        switch value {
        case .int(let number): Int(exactly: number)
        case .double(let number) where number.isFinite && number == number.rounded() && abs(number) < 1e15: Int(number)
        default: nil
        }
    }

    /// JSON writes a whole double without its fraction (0.0 as 0), so an integer reads as one too.
    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number) where number.isFinite: number
        default: nil
        }
    }

    static func instant(_ value: JSONValue) -> Date? {
        value.string.flatMap(Timestamp.date(from:))
    }
}
