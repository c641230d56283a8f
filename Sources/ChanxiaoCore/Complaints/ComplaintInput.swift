import Foundation

/// A complaint as its complainant files it. The id is always generated (`cmp_…`): complaints
/// are not imported, and a chosen id would tell the filer whether someone else's exists.
public struct ComplaintFiling: Sendable, Equatable {
    public var subjectKind: ComplaintSubjectKind
    public var subjectID: String
    public var category: ComplaintCategory
    public var description: String
    public var evidence: String?

    public init(subjectKind: ComplaintSubjectKind, subjectID: String, category: ComplaintCategory, description: String, evidence: String? = nil) {
        self.subjectKind = subjectKind
        self.subjectID = subjectID
        self.category = category
        self.description = description
        self.evidence = evidence
    }

    public static func parse(_ r: inout FieldReader) -> ComplaintFiling? {
        let kind = r.oneOf("subject_kind", required: true, ComplaintSubjectKind.self)
        let subject = r.identifier("subject_id", required: true)
        let category = r.oneOf("category", required: true, ComplaintCategory.self)
        let description = r.string("description", required: true, maxLength: 2000)
        let evidence = r.string("evidence", maxLength: 1000)
        r.rejectUnknownFields()
        guard let kind, let subject, let category, let description, !r.hasErrors else { return nil }
        return ComplaintFiling(subjectKind: kind, subjectID: subject, category: category, description: description, evidence: evidence)
    }
}

/// What an act on a complaint carries: a note when it is taken up, a resolution when it is
/// decided, and the remedy of an upheld one.
public struct ComplaintDecision: Sendable, Equatable {
    public var note: String?
    public var resolution: String?
    public var remedy: ComplaintRemedy?

    public init(note: String? = nil, resolution: String? = nil, remedy: ComplaintRemedy? = nil) {
        self.note = note
        self.resolution = resolution
        self.remedy = remedy
    }

    /// The members `action` takes: investigate an optional `note`; dismiss a `resolution`;
    /// uphold a `resolution` and an `action` (the remedy).
    public static func parse(_ r: inout FieldReader, action: ComplaintAction) -> ComplaintDecision? {
        var decision = ComplaintDecision()
        switch action {
        case .investigate:
            decision.note = r.string("note", maxLength: 1000)
        case .dismiss:
            decision.resolution = r.string("resolution", required: true, maxLength: 1000)
        case .uphold:
            decision.resolution = r.string("resolution", required: true, maxLength: 1000)
            decision.remedy = r.oneOf("action", required: true, ComplaintRemedy.self)
        }
        r.rejectUnknownFields()
        return r.hasErrors ? nil : decision
    }
}
