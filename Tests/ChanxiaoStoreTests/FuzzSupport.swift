import ChanxiaoFixtures
import Foundation

// Support for the import fuzz suite: a breadcrumb for crashes, shrinking and printable
// reproductions. The seeded generator and the settings (`FuzzRandom`, `FuzzSettings`) are
// ChanxiaoFixtures', shared with the configuration fuzz suite.

/// The case being run, written to a file before it runs: a crash (a trap cannot be caught) then
/// leaves its seed and input behind. Removed when the suite ends normally.
struct FuzzBreadcrumb {
    let url: URL

    init(suite: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("chanxiao-fuzz-\(suite)-current-case.txt")
    }

    func record(_ text: String) {
        try? Data(text.utf8).write(to: url)
    }

    func clear() {
        try? FileManager.default.removeItem(at: url)
    }
}

enum FuzzShrink {
    /// A smaller input that still fails: first whole lines go, then ever smaller runs of bytes,
    /// each step kept while `stillFails` holds. At most `budget` attempts, so a slow property
    /// cannot make a failing run take forever.
    static func bytes(_ input: [UInt8], budget: Int = 400, stillFails: ([UInt8]) async -> Bool) async -> [UInt8] {
        var current = input
        var attempts = 0

        // Lines, last first (trailing rows rarely matter), keeping each line's own terminator.
        var lines = splitLines(current)
        var index = lines.count - 1
        while index >= 0, attempts < budget {
            var candidate = lines
            candidate.remove(at: index)
            attempts += 1
            if await stillFails(candidate.flatMap { $0 }) {
                lines = candidate
            }
            index -= 1
        }
        current = lines.flatMap { $0 }

        // Runs of bytes, halving the run length each round.
        var chunk = max(1, current.count / 2)
        while chunk >= 1, attempts < budget {
            var start = 0
            while start < current.count, attempts < budget {
                var candidate = current
                candidate.removeSubrange(start..<min(start + chunk, current.count))
                attempts += 1
                if await stillFails(candidate) { current = candidate } else { start += chunk }
            }
            if chunk == 1 { break }
            chunk /= 2
        }
        return current
    }

    static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var line: [UInt8] = []
        for byte in bytes {
            line.append(byte)
            if byte == UInt8(ascii: "\n") {
                lines.append(line)
                line = []
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

enum FuzzReproduction {
    /// Swift source for `bytes`: a string literal when they are UTF-8, else a byte array. Long
    /// inputs are cut, saying so.
    static func literal(_ bytes: [UInt8], limit: Int = 4000) -> String {
        let shown = Array(bytes.prefix(limit))
        let cut = bytes.count > limit ? " /* first \(limit) of \(bytes.count) bytes */" : ""
        if let text = String(validating: shown, as: UTF8.self) {
            return "Array(\(text.debugDescription).utf8)" + cut
        }
        return "[" + shown.map { "0x" + String($0, radix: 16, uppercase: true) }.joined(separator: ", ") + "]" + cut
    }
}
