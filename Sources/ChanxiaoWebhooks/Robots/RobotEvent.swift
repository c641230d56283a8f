import ChanxiaoCore
import Foundation

/// An event as a chat robot reads it: parsed back from the stored payload, because the outbox
/// keeps payloads, not `Event`s, and a digest may merge events written by different runs.
public struct RobotEvent: Sendable, Equatable {
    public let type: EventType
    public let timestamp: Date
    /// The typed data, or why the stored `data` does not read as this version's shape of `type`
    /// (a payload written by another version): the robot then says only what the type tells.
    public let data: Result<EventData, PayloadError>

    /// Parses `{"type": …, "timestamp": …, "data": {…}}`; nil when it is not one, or its type
    /// is not one this version knows (an older daemon draining a newer outbox skips it). Data
    /// that does not read as its type still makes an event, so that a digest keeps its place.
    public init?(payload: [UInt8]) {
        guard let value = try? JSONValue.parse(Data(payload)), let object = value.objectValue,
            let typeName = object["type"]?.string, let type = EventType(rawValue: typeName),
            let stamp = object["timestamp"]?.string, let timestamp = Timestamp.date(from: stamp)
        else { return nil }
        let members: [String: JSONValue]
        switch object["data"] {
        case .object(let read): members = read
        case nil, .null: members = [:]
        default: return nil
        }
        self.type = type
        self.timestamp = timestamp
        data = Result { () throws(PayloadError) in try EventData(type: type, data: members) }
    }
}
