import ChanxiaoCore
import GRDB

/// A lifecycle's status whose steps are kept in a table of their own.
protocol StepStatus: RawRepresentable<String>, Sendable, Equatable {
    /// The history table and the column naming the record the step belongs to.
    static var stepTable: String { get }
    static var stepOwnerColumn: String { get }
}

extension CertificationStatus: StepStatus {
    static let stepTable = "certification_step"
    static let stepOwnerColumn = "certification_id"
}

extension ComplaintStatus: StepStatus {
    static let stepTable = "complaint_step"
    static let stepOwnerColumn = "complaint_id"
}

extension HistoryStep {
    init(row: Row) throws {
        self.init(
            at: try ColumnValue.timestamp(row, "at"),
            action: row["action"],
            from: try (row["from_status"] as String?).map { text in
                guard let status = Status(rawValue: text) else { throw ColumnValue.corrupt("from_status", text) }
                return status
            },
            to: try ColumnValue.enumeration(row, "to_status"),
            actor: row["actor"],
            note: row["note"]
        )
    }
}

extension AppDatabase {
    /// Records a step of the history of record `id`, by the writer, now.
    static func recordStep<Status: StepStatus>(
        _ db: Database,
        _ id: String,
        action: String,
        from: Status?,
        to: Status,
        note: String?,
        context: WriteContext
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO \(Status.stepTable) (\(Status.stepOwnerColumn), at, action, from_status, to_status, actor, note)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [id, Timestamp.string(from: context.now), action, from?.rawValue, to.rawValue, context.actor, note]
        )
    }
}
