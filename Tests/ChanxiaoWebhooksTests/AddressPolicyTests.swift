import ChanxiaoWebhooks
import Testing

@Suite("AddressPolicy")
struct AddressPolicyTests {
    /// nil: may be connected to; else the range the refusal must name.
    static let verdicts: [(host: String, blockedBy: String?)] = [
        // "This network"; 0.0.0.0 reaches the local host on Linux.
        ("0.0.0.0", "0.0.0.0/8"), ("0", "0.0.0.0/8"), ("0.1.2.3", "0.0.0.0/8"),
        // Private.
        ("10.0.0.1", "10.0.0.0/8"), ("10.255.255.255", "10.0.0.0/8"),
        ("9.255.255.255", nil), ("11.0.0.0", nil),
        ("172.16.0.1", "172.16.0.0/12"), ("172.31.255.255", "172.16.0.0/12"),
        ("172.15.255.255", nil), ("172.32.0.0", nil),
        ("192.168.1.1", "192.168.0.0/16"), ("192.169.0.1", nil),
        // Carrier-grade NAT.
        ("100.64.0.1", "100.64.0.0/10"), ("100.127.255.255", "100.64.0.0/10"),
        ("100.63.255.255", nil), ("100.128.0.0", nil),
        // Loopback.
        ("127.0.0.1", "127.0.0.0/8"), ("127.255.255.254", "127.0.0.0/8"),
        // Link-local, and the cloud metadata service inside it.
        ("169.254.1.1", "169.254.0.0/16"), ("169.254.169.254", "169.254.169.254/32"),
        // IETF protocol assignments, documentation, benchmarking.
        ("192.0.0.8", "192.0.0.0/24"), ("192.0.1.1", nil),
        ("192.0.2.1", "192.0.2.0/24"), ("198.51.100.7", "198.51.100.0/24"), ("203.0.113.9", "203.0.113.0/24"),
        ("198.18.0.1", "198.18.0.0/15"), ("198.19.255.255", "198.18.0.0/15"),
        ("198.17.255.255", nil), ("198.20.0.1", nil),
        // Multicast, reserved, broadcast.
        ("224.0.0.1", "224.0.0.0/4"), ("239.255.255.250", "224.0.0.0/4"),
        ("240.0.0.1", "240.0.0.0/4"), ("255.255.255.254", "240.0.0.0/4"),
        ("255.255.255.255", "255.255.255.255/32"),
        // Disguised IPv4, as inet_aton and browsers read it.
        ("2130706433", "127.0.0.0/8"), ("0x7f000001", "127.0.0.0/8"), ("0X7F000001", "127.0.0.0/8"),
        ("0177.0.0.1", "127.0.0.0/8"), ("017700000001", "127.0.0.0/8"), ("127.1", "127.0.0.0/8"),
        ("127.0.1", "127.0.0.0/8"), ("0x7f.1", "127.0.0.0/8"), ("0x7f.0.0.1", "127.0.0.0/8"),
        ("127.0.0.1.", "127.0.0.0/8"), ("%31%32%37.0.0.1", "127.0.0.0/8"), ("１２７。０。０。１", "127.0.0.0/8"),
        ("0xa9.0xfe.0xa9.0xfe", "169.254.169.254/32"), ("2852039166", "169.254.169.254/32"),
        ("0300.0250.1.1", "192.168.0.0/16"), ("0x", "0.0.0.0/8"), ("10.1", "10.0.0.0/8"),
        ("0177.0x0.1", "127.0.0.0/8"), ("127.000.000.001", "127.0.0.0/8"), ("0x00007f.0.0.1", "127.0.0.0/8"),
        // Public IPv4.
        ("8.8.8.8", nil), ("1.1.1.1", nil), ("93.184.216.34", nil), ("134744072", nil), ("0x08080808", nil),
        // IPv6 unspecified and loopback.
        ("[::]", "::/128"), ("::", "::/128"), ("[::1]", "::1/128"), ("[0:0:0:0:0:0:0:1]", "::1/128"),
        // IPv4-mapped, judged by the IPv4 address.
        ("[::ffff:127.0.0.1]", "127.0.0.0/8"), ("::ffff:7f00:1", "127.0.0.0/8"), ("[::FFFF:7F00:1]", "127.0.0.0/8"),
        ("[::ffff:10.0.0.1]", "10.0.0.0/8"), ("[::ffff:169.254.169.254]", "169.254.169.254/32"),
        ("[0:0:0:0:0:ffff:c0a8:0101]", "192.168.0.0/16"), ("[::ffff:8.8.8.8]", nil),
        // IPv4-compatible (deprecated), judged the same way.
        ("[::127.0.0.1]", "127.0.0.0/8"), ("[::a00:1]", "10.0.0.0/8"), ("[::8.8.8.8]", nil),
        // NAT64: the well-known prefix by its IPv4, the local-use prefix outright.
        ("[64:ff9b::127.0.0.1]", "127.0.0.0/8"), ("[64:ff9b::a9fe:a9fe]", "169.254.169.254/32"),
        ("[64:ff9b::808:808]", nil), ("[64:ff9b:1::1]", "64:ff9b:1::/48"), ("[64:ff9b:1:ffff::8.8.8.8]", "64:ff9b:1::/48"),
        // 6to4: the IPv4 address sits in bytes 2 to 5.
        ("[2002:7f00:1::]", "127.0.0.0/8"), ("[2002:c0a8:101::1]", "192.168.0.0/16"), ("[2002:808:808::1]", nil),
        ("[2002:a9fe:a9fe::]", "169.254.169.254/32"),
        // Unique local (and AWS's metadata address in it), link-local, site-local, multicast.
        ("[fc00::1]", "fc00::/7"), ("[fd12:3456::1]", "fc00::/7"), ("[fd00:ec2::254]", "fd00:ec2::254/128"),
        ("[fe80::1]", "fe80::/10"), ("[FE80::1]", "fe80::/10"), ("[febf::1]", "fe80::/10"),
        ("[fe80::1%25eth0]", "fe80::/10"), ("fe80::1%eth0", "fe80::/10"),
        ("[fec0::1]", "fec0::/10"), ("[feff::1]", "fec0::/10"),
        ("[ff02::1]", "ff00::/8"), ("[ff05::1:3]", "ff00::/8"),
        // Documentation, discard-only, IETF protocol assignments (Teredo among them).
        ("[2001:db8::1]", "2001:db8::/32"), ("[2001:db8:ffff::1]", "2001:db8::/32"),
        ("[3fff::1]", "3fff::/20"), ("[3fff:fff::1]", "3fff::/20"), ("[3fff:1000::1]", nil),
        ("[100::1]", "100::/64"), ("[100::ffff:ffff:ffff:ffff]", "100::/64"),
        ("[2001::1]", "2001::/23"), ("[2001:0:4136:e378::1]", "2001::/23"), ("[2001:1ff::1]", "2001::/23"),
        ("[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "2001::/23"),  // Teredo, its client 192.0.2.45 obfuscated
        ("[2001:200::1]", nil),
        // Outside global unicast: unallocated, SIIT (::ffff:0:0:0/96), and 100:0:0:1:: past the discard /64.
        ("[1::1]", "2000::/3"), ("[4000::1]", "2000::/3"), ("[::ffff:0:7f00:1]", "2000::/3"), ("[100:0:0:1::1]", "2000::/3"),
        // Public IPv6.
        ("[2606:4700:4700::1111]", nil), ("2606:4700:4700::1111", nil), ("[2001:4860:4860::8888]", nil),
    ]

    @Test("blocks every non-public range, in every disguise", arguments: verdicts)
    func verdict(host: String, blockedBy range: String?) throws {
        let policy = try AddressPolicy(allowlist: [])
        let refusal = policy.refusal(forHost: host)
        if let range {
            let reason = try #require(refusal, "\(host) should be refused")
            #expect(reason.hasSuffix("(\(range))"), "\(reason)")
        } else {
            #expect(refusal == nil)
        }
    }

    @Test(
        "reasons name the address and the range",
        arguments: [
            ("127.0.0.1", "127.0.0.1 is a loopback address (127.0.0.0/8)"),
            ("0x7f000001", "127.0.0.1 is a loopback address (127.0.0.0/8)"),
            ("169.254.169.254", "169.254.169.254 is the cloud metadata address (169.254.169.254/32)"),
            (
                "[::ffff:127.0.0.1]",
                "::ffff:127.0.0.1 is an IPv4-mapped address (::ffff:0.0.0.0/96) of 127.0.0.1, which is a loopback address (127.0.0.0/8)"
            ),
            ("[2002:a00:1::]", "2002:a00:1:: is a 6to4 address (2002::/16) of 10.0.0.1, which is a private address (10.0.0.0/8)"),
            ("[fe80::1%25eth0]", "fe80::1 is a link-local address (fe80::/10)"),
            ("localhost", "localhost names loopback: 127.0.0.1 is a loopback address (127.0.0.0/8)"),
            ("LocalHost.", "localhost names loopback: 127.0.0.1 is a loopback address (127.0.0.0/8)"),
            ("admin.localhost", "admin.localhost names loopback: 127.0.0.1 is a loopback address (127.0.0.0/8)"),
        ]
    )
    func reason(host: String, expected: String) throws {
        #expect(try AddressPolicy(allowlist: []).refusal(forHost: host) == expected)
    }

    @Test(
        "hostnames are left to be judged after DNS resolution",
        arguments: [
            "example.com", "1.2.3.4.example", "0x.example", "localhost.example", "notlocalhost", "127.0.0.1.nip.io", "metadata.google.internal",
        ]
    )
    func hostname(host: String) throws {
        #expect(IPAddress.parseHost(host) == nil)
        #expect(try AddressPolicy(allowlist: []).refusal(forHost: host) == nil)
    }

    // MARK: Allowlist

    /// (allowlist, host, allowed?)
    static let allowlisted: [([String], String, Bool)] = [
        (["127.0.0.1"], "127.0.0.1", true),
        (["127.0.0.1", "::1"], "localhost", true),
        (["127.0.0.1"], "localhost", false),
        (["::1"], "localhost", false),
        (["127.0.0.1"], "127.0.0.2", false),
        (["127.0.0.1"], "2130706433", true),
        (["127.0.0.1"], "[::ffff:127.0.0.1]", true),
        (["127.0.0.1"], "[::1]", false),
        (["10.0.0.0/8"], "10.1.2.3", true),
        (["10.0.0.0/8"], "10.255.255.255", true),
        (["10.0.0.0/8"], "172.16.0.1", false),
        (["10.0.0.0/8"], "[::ffff:10.9.9.9]", true),
        (["10.0.0.0/8"], "[2002:a00:1::]", true),
        (["10.0.0.0/8"], "[64:ff9b::a00:1]", true),
        (["::1"], "[::1]", true),
        (["::1"], "127.0.0.1", false),
        (["[::1]"], "[::1]", true),
        (["fd00::/8"], "[fd12::1]", true),
        (["fd00::/8"], "[fc00::1]", false),
        (["::ffff:192.168.0.0/112"], "192.168.5.5", true),
        (["::ffff:192.168.0.0/112"], "192.169.0.1", true),  // public anyway
        (["::ffff:192.168.0.0/112"], "172.16.0.1", false),
        (["0.0.0.0/0"], "127.0.0.1", true),
        (["0.0.0.0/0"], "[::1]", false),
        (["192.168.1.0/24", "fe80::/10"], "[fe80::2]", true),
        (["192.168.1.0/24", "fe80::/10"], "192.168.1.77", true),
        (["192.168.1.0/24", "fe80::/10"], "192.168.2.1", false),
    ]

    @Test("allowlisted addresses may be connected to, even inside blocked ranges", arguments: allowlisted)
    func allowlist(entries: [String], host: String, allowed: Bool) throws {
        let policy = try AddressPolicy(allowlist: entries)
        #expect((policy.refusal(forHost: host) == nil) == allowed)
    }

    @Test(
        "invalid allowlist entries are rejected by name",
        arguments: [
            "localhost", "", "10.0.0.0/33", "::/129", "10.0.0.1/8", "fd00::1/8", "10.0.0.0/", "10.0.0.0/+8",
            "10.0.0.0/8/8", "10.0.0.0/-1", "256.0.0.0", "1.2.3.4.5", "[::1", "*",
        ]
    )
    func invalidEntry(entry: String) {
        do {
            _ = try AddressPolicy(allowlist: ["127.0.0.1", entry])
            Issue.record("\"\(entry)\" was accepted")
        } catch let error as AddressPolicy.InvalidEntry {
            #expect(error.entry == entry)
            #expect(error.description.contains("\"\(entry)\""))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    // MARK: Parsing and formatting

    @Test(
        "literal hosts parse to their canonical form",
        arguments: [
            ("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f000001", "127.0.0.1"),
            ("0177.0.0.1", "127.0.0.1"), ("017700000001", "127.0.0.1"), ("127.1", "127.0.0.1"), ("127.0.1", "127.0.0.1"),
            ("0x7f.0.0.1", "127.0.0.1"), ("127.0.0.1.", "127.0.0.1"), ("1.2.3", "1.2.0.3"), ("1.16777215", "1.255.255.255"),
            ("0", "0.0.0.0"), ("0x", "0.0.0.0"), ("00", "0.0.0.0"), ("4294967295", "255.255.255.255"),
            ("[::1]", "::1"), ("::1", "::1"), ("[::]", "::"), ("[::ffff:127.0.0.1]", "::ffff:127.0.0.1"),
            ("::ffff:7f00:1", "::ffff:127.0.0.1"), ("[fe80::1%25eth0]", "fe80::1"), ("fe80::1%eth0", "fe80::1"),
            ("[2001:DB8:0:0:1:0:0:1]", "2001:db8::1:0:0:1"), ("[2001:db8:0:0:0:0:2:1]", "2001:db8::2:1"),
            ("[2001:db8:0:1:1:1:1:1]", "2001:db8:0:1:1:1:1:1"), ("[1:0:0:2:0:0:0:3]", "1:0:0:2::3"),
            ("[1:2:3:4:5:6:7::]", "1:2:3:4:5:6:7:0"), ("[2001:0db8::0001]", "2001:db8::1"),
            ("[64:ff9b::192.0.2.33]", "64:ff9b::c000:221"), ("[1::]", "1::"), ("[::2:3:4:5:6:7:8]", "0:2:3:4:5:6:7:8"),
        ]
    )
    func canonical(host: String, expected: String) throws {
        let address = try #require(IPAddress.parseHost(host))
        #expect(address.description == expected)
    }

    @Test(
        "malformed literals are not addresses",
        arguments: [
            "", "1.2.3.4.5", "256.0.0.1", "1.256.0.1", "4294967296", "08.0.0.1", "0x1g", "1..2", ".1.2.3", "0x100000000",
            "[]", "[127.0.0.1]", "[::1", "::1::2", "1:2:3:4:5:6:7:8:9", "[12345::]", "[::ffff:256.0.0.1]",
            "[::ffff:1.2.3]", "[1:2:3:4:5:6:7:8::]", "[:1]", "[1:]", "[1:::2]", "[::g]", "[1:2:3:4:5:6:7:1.2.3.4]",
        ]
    )
    func malformed(host: String) {
        #expect(IPAddress.parseHost(host) == nil)
    }

    @Test func v6InitializerChecksLength() {
        #expect(IPAddress(v6: [UInt8](repeating: 0, count: 15)) == nil)
        #expect(IPAddress(v6: [UInt8](repeating: 0, count: 16)) == .v6([UInt8](repeating: 0, count: 16)))
    }

    @Test func malformedV6IsRefused() throws {
        #expect(try AddressPolicy(allowlist: []).refusal(for: .v6([1, 2, 3])) != nil)
    }
}
