import ChanxiaoCore
import Foundation

extension ChanxiaoConfig {
    /// Every configuration key, read in one place. The loader records each key it is asked
    /// for, so unknown keys in a file are refused and `allKeys` lists the whole schema.
    static func read(_ r: inout ConfigReader) -> ChanxiaoConfig {
        var c = ChanxiaoConfig()
        c.server.host = r.string("server.host", default: c.server.host)
        c.server.port = r.int("server.port", default: c.server.port, in: 0...65535)
        c.server.maxBodyBytes = r.int("server.max_body_bytes", default: c.server.maxBodyBytes, in: 1024...(64 << 20))
        c.server.maxImportBytes = r.int("server.max_import_bytes", default: c.server.maxImportBytes, in: 1024...(1 << 30))

        c.database.path = r.optionalString("database.path")
        c.database.busyTimeoutMilliseconds = r.int("database.busy_timeout_ms", default: c.database.busyTimeoutMilliseconds, in: 0...600_000)

        c.auth.tokenCacheSeconds = r.int("auth.token_cache_seconds", default: c.auth.tokenCacheSeconds, in: 0...3600)
        c.auth.defaultTokenTTLDays = r.int("auth.default_token_ttl_days", default: c.auth.defaultTokenTTLDays, in: 0...3650)

        c.api.defaultPageSize = r.int("api.default_page_size", default: c.api.defaultPageSize, in: 1...10_000)
        c.api.maxPageSize = r.int("api.max_page_size", default: c.api.maxPageSize, in: 1...10_000)
        if c.api.defaultPageSize > c.api.maxPageSize {
            r.fail("api.default_page_size", "must not exceed api.max_page_size (\(c.api.maxPageSize))")
        }

        c.importing.maxReportedErrors = r.int("import.max_reported_errors", default: c.importing.maxReportedErrors, in: 1...1_000_000)

        c.buyers.defaultMaxSuppliersPerCategory = r.int(
            "buyers.default_max_suppliers_per_category", default: c.buyers.defaultMaxSuppliersPerCategory, in: Buyer.maxSuppliersRange)
        for kind in BuyerKind.allCases {
            c.buyers.shareTargets[kind] = r.decimal("buyers.share_targets.\(kind.rawValue)", default: c.buyers.shareTargets[kind] ?? 0, in: 0...1)
        }

        c.logging.level = r.oneOf("logging.level", default: c.logging.level,
                                  ["trace", "debug", "info", "notice", "warning", "error", "critical"])

        c.timeZone = r.string("time_zone", default: c.timeZone)
        if TimeZone(identifier: c.timeZone) == nil {
            r.fail("time_zone", "unknown time zone '\(c.timeZone)'; use an IANA name such as Asia/Shanghai")
        }
        return c
    }

    /// Every key of the schema, in the order they are read.
    public static var allKeys: [String] {
        var reader = ConfigReader(values: [:])
        _ = read(&reader)
        return reader.requestedKeys
    }

    /// The environment variable that overrides `key`: `server.port` → `CHANXIAO_SERVER_PORT`.
    public static func environmentName(for key: String) -> String {
        "CHANXIAO_" + key.uppercased().replacingOccurrences(of: ".", with: "_")
    }
}
