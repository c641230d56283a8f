import ChanxiaoCore
import Foundation

/// An event as a chat robot reads it: parsed back from the stored payload, because the outbox
/// keeps payloads, not `Event`s, and a digest may merge events written by different runs.
public struct RobotEvent: Sendable {
    public var type: EventType
    public var timestamp: Date
    public var data: [String: JSONValue]

    public init(type: EventType, timestamp: Date, data: [String: JSONValue]) {
        self.type = type
        self.timestamp = timestamp
        self.data = data
    }

    /// Parses `{"type": …, "timestamp": …, "data": {…}}`; nil when it is not one, or its type
    /// is not one this version knows (an older daemon draining a newer outbox skips it).
    public init?(payload: [UInt8]) {
        guard let value = try? JSONValue.parse(Data(payload)), let object = value.objectValue,
              let typeName = object["type"]?.string, let type = EventType(rawValue: typeName),
              let stamp = object["timestamp"]?.string, let timestamp = Timestamp.date(from: stamp)
        else { return nil }
        let data: [String: JSONValue]
        switch object["data"] {
        case .object(let members): data = members
        case nil, .null: data = [:]
        default: return nil
        }
        self.init(type: type, timestamp: timestamp, data: data)
    }
}
