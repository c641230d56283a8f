/// One thing wrong with one field of an input, as reported in problem+json `errors`.
public struct FieldError: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field name as the client spelled it (snake_case), or a query parameter name.
    public var field: String
    public var message: String
    /// The row of a CSV file, counted as a spreadsheet does (the header is row 1, the first
    /// data row is row 2), when the input was a file.
    public var row: Int?

    public init(field: String, message: String, row: Int? = nil) {
        self.field = field
        self.message = message
        self.row = row
    }

    public var description: String {
        if let row { return "row \(row): \(field): \(message)" }
        return "\(field): \(message)"
    }
}

/// An input that failed validation, with every problem found (not only the first).
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var errors: [FieldError]
    /// Total number of errors; larger than `errors.count` when the list was capped.
    public var totalCount: Int

    public init(_ errors: [FieldError], totalCount: Int? = nil) {
        self.errors = errors
        self.totalCount = totalCount ?? errors.count
    }

    public init(field: String, message: String) {
        self.init([FieldError(field: field, message: message)])
    }

    public var description: String {
        errors.map(\.description).joined(separator: "; ")
    }
}
