import ChanxiaoStore

/// Records finished attempts with group commit. Every attempt must be written before its
/// delivery is planned again (that is what survives `kill -9`), and each write transaction
/// costs a WAL commit whatever it holds; so while one write is under way, the attempts that
/// finish meanwhile wait and go together in the next one. With one send in flight this is a
/// write per attempt, as before; with many, the commits no longer bound the delivery rate.
///
/// No task of its own: the first caller leads a write, and hands the lead to the next
/// waiting caller when it is done, so the recorder needs no lifecycle.
actor AttemptRecorder {
    private let database: AppDatabase
    private var waiting: [(batch: AttemptBatch, turn: CheckedContinuation<Turn, Never>)] = []
    private var writing = false

    private enum Turn {
        case recorded(Result<String?, any Error>)
        case lead
    }

    init(database: AppDatabase) {
        self.database = database
    }

    /// Records one send's attempts; returns the reason its endpoint was disabled, if it was.
    func record(_ batch: AttemptBatch) async -> Result<String?, any Error> {
        if writing {
            let turn = await withCheckedContinuation { waiting.append((batch, $0)) }
            if case .recorded(let result) = turn { return result }
        }
        writing = true
        let group = waiting
        waiting = []
        let results: [Result<String?, any Error>]
        do {
            results = try await database.recordAttempts([batch] + group.map(\.batch))
        } catch {
            results = Array(repeating: .failure(error), count: group.count + 1)
        }
        for (waiter, result) in zip(group, results.dropFirst()) {
            waiter.turn.resume(returning: .recorded(result))
        }
        if waiting.isEmpty {
            writing = false
        } else {
            waiting.removeFirst().turn.resume(returning: .lead)
        }
        return results[0]
    }
}
