import ChanxiaoRuntime
import Foundation
import Logging
import Synchronization
import Testing

@Suite struct StructuredLogHandlerTests {
    static let time = Date(timeIntervalSince1970: 1_600_000_000.25)

    @Test("logfmt: one line, values quoted only when needed, metadata sorted")
    func logfmt() {
        let line = StructuredLogHandler.line(
            time: Self.time,
            level: .notice,
            label: "chanxiao",
            message: "configuration reloaded",
            metadata: ["trigger": "SIGHUP", "applied": "", "why": "a \"b\"\nc"],
            format: .logfmt
        )
        #expect(
            line
                == #"time=2020-09-13T12:26:40.250Z level=notice logger=chanxiao msg="configuration reloaded" applied="" trigger=SIGHUP why="a \"b\"\nc""#
        )
        #expect(!line.contains("\n"))
    }

    @Test("json: one object per line, every value a string")
    func json() throws {
        let line = StructuredLogHandler.line(
            time: Self.time,
            level: .error,
            label: "chanxiao",
            message: "línea\t1",
            metadata: ["key": "matching.scorers.price.weight", "count": .stringConvertible(3)],
            format: .json
        )
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(
            object == [
                "time": "2020-09-13T12:26:40.250Z", "level": "error", "logger": "chanxiao", "msg": "línea\t1",
                "key": "matching.scorers.price.weight", "count": "3",
            ]
        )
    }

    @Test("the level and format follow the shared settings at once")
    func liveSettings() {
        let lines = Mutex<[String]>([])
        let settings = LogSettings(level: .info, format: .logfmt)
        let logger = Logger(label: "test") { label in
            StructuredLogHandler(label: label, settings: settings) { line in lines.withLock { $0.append(line) } }
        }
        logger.debug("hidden")
        logger.info("shown", metadata: ["request_id": "req_1"])
        settings.update(level: .debug, format: .json)
        logger.debug("now shown")
        let written = lines.withLock { $0 }
        #expect(written.count == 2)
        #expect(written[0].contains("msg=shown request_id=req_1"))
        #expect(written[0].hasSuffix("\n"))
        #expect(written[1].hasPrefix("{") && written[1].contains(#""msg":"now shown""#))
    }
}
