import ChanxiaoCore
import Testing

@Suite struct HexTests {
    static let cases: [([UInt8], String)] = [
        ([UInt8](), ""),
        ([0x00], "00"),
        ([0x0f, 0xf0], "0ff0"),
        ([0xde, 0xad, 0xbe, 0xef, 0x01], "deadbeef01"),
        ((0...255).map(UInt8.init), (0...255).map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined()),
    ]

    @Test("lowercase hex, two digits a byte", arguments: cases)
    func lowercaseHex(_ bytes: [UInt8], _ text: String) {
        #expect(bytes.lowercaseHex == text)
    }
}
