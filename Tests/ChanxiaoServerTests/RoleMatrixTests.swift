import ChanxiaoCore
import ChanxiaoServer
import HTTPTypes
import Testing

/// Every route × every caller → the expected status, from one table. A route registered without
/// a row here fails `everyRouteHasARow`, so no route can escape the matrix.
@Suite struct RoleMatrixTests {
    struct Row: Sendable {
        var uri: String
        var json: String? = nil
        var csv: String? = nil
        /// Statuses for none, admin, organizer, buyerA, buyerB, supplierA, supplierB; the calendar
        /// token's follows from the route (`calendarStatus`).
        var statuses: [Int]
        /// The reviewer's (of 450000), where the route is about certifications or complaints; elsewhere it
        /// follows from the route (`reviewerStatus`).
        var reviewer: Int? = nil
    }

    static let roles = Caller.allCases

    static let open = [200, 200, 200, 200, 200, 200, 200]
    static let anyToken = [401, 200, 200, 200, 200, 200, 200]
    static func adminOnly(_ status: Int) -> [Int] { [401, status, 403, 403, 403, 403, 403] }
    /// Admins and organizers: organizers plan, so they keep venues, hosts and fairs and make schedules.
    static func planners(_ status: Int) -> [Int] { [401, status, status, 403, 403, 403, 403] }

    static let table: [String: Row] = [
        "GET /healthz": Row(uri: "/healthz", statuses: open),
        "GET /readyz": Row(uri: "/readyz", statuses: open),
        "GET /v1/categories": Row(uri: "/v1/categories", statuses: anyToken),
        "GET /v1/units": Row(uri: "/v1/units", statuses: anyToken),
        "GET /v1/me": Row(uri: "/v1/me", statuses: anyToken),
        "GET /v1/audit": Row(uri: "/v1/audit", statuses: adminOnly(200)),
        "GET /v1/admin/config": Row(uri: "/v1/admin/config", statuses: adminOnly(200)),
        "POST /v1/admin/reload": Row(uri: "/v1/admin/reload", statuses: adminOnly(200)),
        "GET /metrics": Row(uri: "/metrics", statuses: adminOnly(200)),

        "POST /v1/counties": Row(uri: "/v1/counties", json: #"{"code":"450124","name":"马山县","poverty_status":"national"}"#, statuses: adminOnly(201)),
        "GET /v1/counties": Row(uri: "/v1/counties", statuses: anyToken),
        "GET /v1/counties/{code}": Row(uri: "/v1/counties/451026", statuses: anyToken),
        "PATCH /v1/counties/{code}": Row(uri: "/v1/counties/451026", json: #"{"poor_population":12000}"#, statuses: adminOnly(200)),
        "DELETE /v1/counties/{code}": Row(uri: "/v1/counties/450123", statuses: adminOnly(204)),

        "POST /v1/suppliers": Row(
            uri: "/v1/suppliers",
            json: #"{"name":"新合作社","county_code":"451026","kind":"cooperative"}"#,
            statuses: adminOnly(201)
        ),
        "GET /v1/suppliers": Row(uri: "/v1/suppliers", statuses: [401, 200, 200, 403, 403, 200, 200]),
        "GET /v1/suppliers/{id}": Row(uri: "/v1/suppliers/sup-a", statuses: [401, 200, 200, 403, 403, 200, 404]),
        "PATCH /v1/suppliers/{id}": Row(uri: "/v1/suppliers/sup-a", json: #"{"name":"那坡助农合作社"}"#, statuses: adminOnly(200)),
        "DELETE /v1/suppliers/{id}": Row(uri: "/v1/suppliers/sup-empty", statuses: adminOnly(204)),

        "POST /v1/products": Row(
            uri: "/v1/products",
            json: #"{"supplier_id":"sup-a","name":"那坡八角","category":"condiments","unit":"bottle","unit_price_fen":1800,"weekly_capacity":300}"#,
            statuses: [401, 201, 403, 403, 403, 201, 403]
        ),
        "GET /v1/products": Row(uri: "/v1/products", statuses: [401, 200, 200, 403, 403, 200, 200]),
        "GET /v1/products/{id}": Row(uri: "/v1/products/prd-a", statuses: [401, 200, 200, 403, 403, 200, 404]),
        "PATCH /v1/products/{id}": Row(uri: "/v1/products/prd-a", json: #"{"unit_price_fen":820}"#, statuses: [401, 200, 403, 403, 403, 200, 403]),
        // prd-a has a match (the seeded run) and cannot be deleted; prd-b has none.
        "DELETE /v1/products/{id}": Row(uri: "/v1/products/prd-b", statuses: [401, 204, 403, 403, 403, 403, 204]),

        "POST /v1/buyers": Row(uri: "/v1/buyers", json: #"{"name":"南山区消费扶贫中心","kind":"center","region_code":"440305"}"#, statuses: adminOnly(201)),
        "GET /v1/buyers": Row(uri: "/v1/buyers", statuses: [401, 200, 200, 200, 200, 403, 403]),
        "GET /v1/buyers/{id}": Row(uri: "/v1/buyers/buy-a", statuses: [401, 200, 200, 200, 404, 403, 403]),
        "PATCH /v1/buyers/{id}": Row(uri: "/v1/buyers/buy-a", json: #"{"max_suppliers_per_category":1}"#, statuses: adminOnly(200)),
        "DELETE /v1/buyers/{id}": Row(uri: "/v1/buyers/buy-empty", statuses: adminOnly(204)),

        "POST /v1/demands": Row(
            uri: "/v1/demands",
            json: #"{"buyer_id":"buy-a","category":"fruit","unit":"kg","weekly_volume":100,"max_unit_price_fen":1500,"starts_on":"2020-09-07"}"#,
            statuses: [401, 201, 403, 201, 403, 403, 403]
        ),
        "GET /v1/demands": Row(uri: "/v1/demands", statuses: [401, 200, 200, 200, 200, 403, 403]),
        "GET /v1/demands/{id}": Row(uri: "/v1/demands/dem-a", statuses: [401, 200, 200, 200, 404, 403, 403]),
        "PATCH /v1/demands/{id}": Row(uri: "/v1/demands/dem-a", json: #"{"weekly_volume":350}"#, statuses: [401, 200, 403, 200, 403, 403, 403]),
        "DELETE /v1/demands/{id}": Row(uri: "/v1/demands/dem-b", statuses: [401, 204, 403, 403, 204, 403, 403]),

        "POST /v1/import/counties": Row(uri: "/v1/import/counties", csv: "code,name,poverty_status\n450124,马山县,national\n", statuses: adminOnly(200)),
        "POST /v1/import/suppliers": Row(
            uri: "/v1/import/suppliers",
            csv: "name,county_code,kind\n新社,451026,cooperative\n",
            statuses: adminOnly(200)
        ),
        "POST /v1/import/products": Row(
            uri: "/v1/import/products",
            csv: "supplier_id,name,category,unit,unit_price_fen,weekly_capacity\nsup-a,茶,tea,box,100,10\n",
            statuses: adminOnly(200)
        ),
        "POST /v1/import/buyers": Row(uri: "/v1/import/buyers", csv: "name,kind,region_code\n食堂,canteen,440305\n", statuses: adminOnly(200)),
        "POST /v1/import/demands": Row(
            uri: "/v1/import/demands",
            csv: "buyer_id,category,unit,weekly_volume,max_unit_price_fen,starts_on\nbuy-a,tea,box,5,20000,2020-09-01\n",
            statuses: adminOnly(200)
        ),
        "GET /v1/export/counties": Row(uri: "/v1/export/counties", statuses: [401, 200, 200, 403, 403, 403, 403]),
        "GET /v1/export/suppliers": Row(uri: "/v1/export/suppliers", statuses: [401, 200, 200, 403, 403, 403, 403]),
        "GET /v1/export/products": Row(uri: "/v1/export/products", statuses: [401, 200, 200, 403, 403, 403, 403]),
        "GET /v1/export/buyers": Row(uri: "/v1/export/buyers", statuses: [401, 200, 200, 403, 403, 403, 403]),
        "GET /v1/export/demands": Row(uri: "/v1/export/demands", statuses: [401, 200, 200, 403, 403, 403, 403]),

        "POST /v1/match-runs": Row(uri: "/v1/match-runs", json: #"{"week":"2020-W36"}"#, statuses: [401, 201, 201, 403, 403, 403, 403]),
        "GET /v1/match-runs": Row(uri: "/v1/match-runs", statuses: [401, 200, 200, 403, 403, 403, 403]),
        "GET /v1/match-runs/{id}": Row(uri: "/v1/match-runs/{run}", statuses: [401, 200, 200, 403, 403, 403, 403]),
        "GET /v1/matches": Row(uri: "/v1/matches", statuses: [401, 200, 200, 200, 200, 200, 200]),
        "GET /v1/matches/{id}": Row(uri: "/v1/matches/{match}", statuses: [401, 200, 200, 200, 404, 200, 404]),
        "GET /v1/matches.csv": Row(uri: "/v1/matches.csv", statuses: [401, 200, 200, 200, 200, 200, 200]),
        // A buyer reads what it could be offered and what went unmet, its own only.
        "GET /v1/buyers/{id}/offerable-products": Row(
            uri: "/v1/buyers/buy-a/offerable-products?week=2020-W36",
            statuses: [401, 200, 200, 200, 404, 403, 403]
        ),
        "GET /v1/buyers/{id}/unmet": Row(uri: "/v1/buyers/buy-a/unmet?week=2020-W36", statuses: [401, 200, 200, 200, 404, 403, 403]),
        // Suppliers plan capacity with demand in aggregate; buyers do not read one another's.
        "GET /v1/demand-summary": Row(uri: "/v1/demand-summary?week=2020-W36", statuses: [401, 200, 200, 403, 403, 200, 200]),
        "POST /v1/matches/{id}/accept": Row(uri: "/v1/matches/{match}/accept", statuses: [401, 200, 403, 200, 403, 403, 403]),
        "POST /v1/matches/{id}/decline": Row(uri: "/v1/matches/{match}/decline", statuses: [401, 200, 403, 200, 403, 403, 403]),

        // Scheduling (TestApp's ScheduleFixture.planned). Buyers and suppliers read venues, fairs,
        // rotations, livestreams, booths and calendars; hosts and the other writes are the planners'.
        "POST /v1/venues": Row(uri: "/v1/venues", json: #"{"name":"罗湖消费扶贫专柜","kind":"center","region_code":"440303"}"#, statuses: planners(201)),
        "GET /v1/venues": Row(uri: "/v1/venues", statuses: anyToken),
        "GET /v1/venues/{id}": Row(uri: "/v1/venues/ven-center", statuses: anyToken),
        "PATCH /v1/venues/{id}": Row(uri: "/v1/venues/ven-center", json: #"{"featured_weekly_volume":200}"#, statuses: planners(200)),
        "DELETE /v1/venues/{id}": Row(uri: "/v1/venues/ven-idle", statuses: planners(204)),

        "POST /v1/hosts": Row(
            uri: "/v1/hosts",
            json: #"{"name":"新主播","platforms":["douyin"],"availability":["fri 19:00-21:00"]}"#,
            statuses: planners(201)
        ),
        "GET /v1/hosts": Row(uri: "/v1/hosts", statuses: planners(200)),
        "GET /v1/hosts/{id}": Row(uri: "/v1/hosts/hst-a", statuses: planners(200)),
        "PATCH /v1/hosts/{id}": Row(uri: "/v1/hosts/hst-a", json: #"{"max_sessions_per_day":2}"#, statuses: planners(200)),
        "DELETE /v1/hosts/{id}": Row(uri: "/v1/hosts/hst-idle", statuses: planners(204)),

        "POST /v1/fairs": Row(
            uri: "/v1/fairs",
            json: #"{"name":"冬季展销会","venue_id":"ven-fairground","starts_on":"2020-12-12","ends_on":"2020-12-13","booth_count":10}"#,
            statuses: planners(201)
        ),
        "GET /v1/fairs": Row(uri: "/v1/fairs", statuses: anyToken),
        "GET /v1/fairs/{id}": Row(uri: "/v1/fairs/fair-a", statuses: anyToken),
        "PATCH /v1/fairs/{id}": Row(uri: "/v1/fairs/fair-a", json: #"{"name":"深圳秋季展销会"}"#, statuses: planners(200)),
        "DELETE /v1/fairs/{id}": Row(uri: "/v1/fairs/fair-idle", statuses: planners(204)),

        "POST /v1/import/venues": Row(uri: "/v1/import/venues", csv: "name,kind,region_code\n罗湖专柜,center,440303\n", statuses: planners(200)),
        "POST /v1/import/hosts": Row(
            uri: "/v1/import/hosts",
            csv: "name,platforms,availability\n主播丙,douyin;kuaishou,fri 19:00-21:00\n",
            statuses: planners(200)
        ),
        "POST /v1/import/fairs": Row(
            uri: "/v1/import/fairs",
            csv: "name,venue_id,starts_on,ends_on,booth_count\n年货节,ven-fairground,2021-01-23,2021-01-24,8\n",
            statuses: planners(200)
        ),
        "GET /v1/export/venues": Row(uri: "/v1/export/venues", statuses: planners(200)),
        "GET /v1/export/hosts": Row(uri: "/v1/export/hosts", statuses: planners(200)),
        "GET /v1/export/fairs": Row(uri: "/v1/export/fairs", statuses: planners(200)),

        "POST /v1/rotations": Row(
            uri: "/v1/rotations",
            json: #"{"venue_id":"ven-center","from_week":"2020-W45","weeks":2,"county_codes":["451026","431226"]}"#,
            statuses: planners(201)
        ),
        "GET /v1/rotations": Row(uri: "/v1/rotations", statuses: anyToken),
        "GET /v1/rotations/{id}": Row(uri: "/v1/rotations/rot-pub", statuses: anyToken),
        "POST /v1/rotations/{id}/publish": Row(uri: "/v1/rotations/rot-draft/publish", statuses: planners(200)),
        "POST /v1/rotations/{id}/swap": Row(uri: "/v1/rotations/rot-pub/swap", json: #"{"weeks":["2020-W37","2020-W38"]}"#, statuses: planners(200)),
        "PATCH /v1/rotations/{id}/slots/{week}": Row(
            uri: "/v1/rotations/rot-pub/slots/2020-W38",
            json: #"{"county_code":"522633"}"#,
            statuses: planners(200)
        ),

        "POST /v1/livestreams": Row(
            uri: "/v1/livestreams",
            json:
                #"{"host_id":"hst-b","platform":"wechat_channels","starts_at":"2020-11-07T10:00:00+08:00","ends_at":"2020-11-07T11:00:00+08:00","product_ids":["prd-a"]}"#,
            statuses: planners(201)
        ),
        "GET /v1/livestreams": Row(uri: "/v1/livestreams", statuses: anyToken),
        "GET /v1/livestreams/{id}": Row(uri: "/v1/livestreams/liv-one", statuses: anyToken),
        "POST /v1/livestreams/{id}/cancel": Row(uri: "/v1/livestreams/liv-one/cancel", statuses: planners(200)),
        "POST /v1/livestream-plans": Row(
            uri: "/v1/livestream-plans",
            json: #"{"rotation_id":"rot-pub","sessions_per_slot":1,"duration_minutes":60}"#,
            statuses: planners(201)
        ),

        // A supplier applies for itself only: supplier B asking for supplier A is refused.
        "POST /v1/fairs/{id}/applications": Row(
            uri: "/v1/fairs/fair-a/applications",
            json: #"{"applicant_kind":"supplier","supplier_id":"sup-a","product_ids":["prd-a"],"booths_requested":1}"#,
            statuses: [401, 201, 201, 403, 403, 201, 403]
        ),
        "GET /v1/fairs/{id}/applications": Row(uri: "/v1/fairs/fair-a/applications", statuses: [401, 200, 200, 403, 403, 200, 200]),
        "POST /v1/fairs/{id}/allocate": Row(uri: "/v1/fairs/fair-a/allocate", statuses: planners(200)),
        "GET /v1/fairs/{id}/booths": Row(uri: "/v1/fairs/fair-a/booths", statuses: anyToken),
        "POST /v1/fairs/{id}/booths/{number}/release": Row(uri: "/v1/fairs/fair-a/booths/1/release", statuses: planners(200)),

        "GET /v1/venues/{id}/calendar.ics": Row(uri: "/v1/venues/ven-center/calendar.ics", statuses: anyToken),
        "GET /v1/hosts/{id}/calendar.ics": Row(uri: "/v1/hosts/hst-a/calendar.ics", statuses: anyToken),

        // Webhooks: every token keeps endpoints, buyers and suppliers only their own (others'
        // read as absent); whe-buy-a is buyer A's, the seeded message went to buyer A and supplier A.
        "POST /v1/webhook-endpoints": Row(
            uri: "/v1/webhook-endpoints",
            json: #"{"url":"https://hooks.example.org/new","event_types":["match.*"]}"#,
            statuses: [401, 201, 201, 201, 201, 201, 201]
        ),
        "GET /v1/webhook-endpoints": Row(uri: "/v1/webhook-endpoints", statuses: anyToken),
        "GET /v1/webhook-endpoints/{id}": Row(uri: "/v1/webhook-endpoints/whe-buy-a", statuses: readOwnEndpoint(200)),
        "PATCH /v1/webhook-endpoints/{id}": Row(
            uri: "/v1/webhook-endpoints/whe-buy-a",
            json: #"{"description":"ERP"}"#,
            statuses: changeOwnEndpoint(200)
        ),
        "DELETE /v1/webhook-endpoints/{id}": Row(uri: "/v1/webhook-endpoints/whe-buy-a", statuses: changeOwnEndpoint(204)),
        "POST /v1/webhook-endpoints/{id}/enable": Row(uri: "/v1/webhook-endpoints/whe-buy-a/enable", statuses: changeOwnEndpoint(200)),
        "POST /v1/webhook-endpoints/{id}/disable": Row(uri: "/v1/webhook-endpoints/whe-buy-a/disable", statuses: changeOwnEndpoint(200)),
        "POST /v1/webhook-endpoints/{id}/rotate-secret": Row(uri: "/v1/webhook-endpoints/whe-buy-a/rotate-secret", statuses: changeOwnEndpoint(200)),
        "POST /v1/webhook-endpoints/{id}/recover": Row(
            uri: "/v1/webhook-endpoints/whe-buy-a/recover",
            json: #"{"since":"2020-09-01T00:00:00+08:00"}"#,
            statuses: changeOwnEndpoint(202)
        ),
        "GET /v1/webhook-messages": Row(uri: "/v1/webhook-messages", statuses: anyToken),
        "GET /v1/webhook-messages/{id}": Row(uri: "/v1/webhook-messages/{message}", statuses: [401, 200, 200, 200, 404, 200, 404]),
        "GET /v1/webhook-messages/{id}/attempts": Row(uri: "/v1/webhook-messages/{message}/attempts", statuses: [401, 200, 200, 200, 404, 200, 404]),
        "POST /v1/webhook-messages/{id}/resend": Row(
            uri: "/v1/webhook-messages/{message}/resend",
            // Organizers resend only to endpoints they registered; the message went to none of theirs.
            statuses: [401, 202, 403, 202, 404, 202, 404]
        ),

        // Sales: buyers record their own; organizers keep sales, outlets and events for the reports.
        "POST /v1/sales": Row(
            uri: "/v1/sales",
            json: #"{"buyer_id":"buy-a","product_id":"prd-a","volume":10,"amount_fen":8000,"sold_on":"2020-09-01","channel":"canteen"}"#,
            statuses: [401, 201, 201, 201, 403, 403, 403]
        ),
        "GET /v1/sales": Row(uri: "/v1/sales", statuses: [401, 200, 200, 200, 200, 403, 403]),
        "GET /v1/sales/{id}": Row(uri: "/v1/sales/sal-a", statuses: [401, 200, 200, 200, 404, 403, 403]),
        "PATCH /v1/sales/{id}": Row(uri: "/v1/sales/sal-a", json: #"{"note":"发票已开"}"#, statuses: [401, 200, 200, 200, 403, 403, 403]),
        "DELETE /v1/sales/{id}": Row(uri: "/v1/sales/sal-a", statuses: [401, 204, 204, 204, 403, 403, 403]),
        "POST /v1/outlets": Row(
            uri: "/v1/outlets",
            json: #"{"name":"那坡县线上专区","kind":"zone_online","county_code":"451026","opened_on":"2020-09-01"}"#,
            statuses: planners(201)
        ),
        "GET /v1/outlets": Row(uri: "/v1/outlets", statuses: [401, 200, 200, 200, 200, 403, 403]),
        "GET /v1/outlets/{id}": Row(uri: "/v1/outlets/out-a", statuses: [401, 200, 200, 200, 404, 403, 403]),
        "PATCH /v1/outlets/{id}": Row(uri: "/v1/outlets/out-a", json: #"{"operator":"福田区扶贫办"}"#, statuses: planners(200)),
        "DELETE /v1/outlets/{id}": Row(uri: "/v1/outlets/out-a", statuses: planners(204)),
        "POST /v1/events": Row(
            uri: "/v1/events",
            json: #"{"name":"消费扶贫推介会","kind":"promotion","held_on":"2020-09-10","county_codes":["451026"]}"#,
            statuses: planners(201)
        ),
        "GET /v1/events": Row(uri: "/v1/events", statuses: anyToken),
        "GET /v1/events/{id}": Row(uri: "/v1/events/evt-a", statuses: anyToken),
        "PATCH /v1/events/{id}": Row(uri: "/v1/events/evt-a", json: #"{"note":"现场签约"}"#, statuses: planners(200)),
        "DELETE /v1/events/{id}": Row(uri: "/v1/events/evt-a", statuses: planners(204)),
        "POST /v1/import/sales": Row(
            uri: "/v1/import/sales",
            csv: "buyer_id,category,volume,amount_fen,sold_on,channel\nbuy-a,fruit,5,500,2020-09-01,other\n",
            statuses: planners(200)
        ),
        "POST /v1/import/outlets": Row(
            uri: "/v1/import/outlets",
            csv: "name,kind,county_code,opened_on\n专柜,counter,451026,2020-09-01\n",
            statuses: planners(200)
        ),
        "POST /v1/import/events": Row(
            uri: "/v1/import/events",
            csv: "name,kind,held_on,county_codes\n节会,festival,2020-09-01,451026\n",
            statuses: planners(200)
        ),
        "GET /v1/export/sales": Row(uri: "/v1/export/sales", statuses: planners(200)),
        "GET /v1/export/outlets": Row(uri: "/v1/export/outlets", statuses: planners(200)),
        "GET /v1/export/events": Row(uri: "/v1/export/events", statuses: planners(200)),

        // Reports: a buyer reads its own share only; the reports across buyers are for staff.
        "GET /v1/buyers/{id}/share": Row(uri: "/v1/buyers/buy-a/share?from=2020-08-01&to=2020-08-31", statuses: [401, 200, 200, 200, 404, 403, 403]),
        "GET /v1/reports/weekly": Row(uri: "/v1/reports/weekly?week=2020-W36", statuses: planners(200)),
        "POST /v1/reports/weekly/run": Row(uri: "/v1/reports/weekly/run?week=2020-W36", statuses: planners(201)),
        "GET /v1/reports/counties": Row(uri: "/v1/reports/counties?from=2020-08-01&to=2020-08-31", statuses: planners(200)),
        "GET /v1/reports/counties.csv": Row(uri: "/v1/reports/counties.csv?from=2020-08-01&to=2020-08-31", statuses: planners(200)),
        "GET /v1/reports/slow-moving": Row(uri: "/v1/reports/slow-moving", statuses: planners(200)),

        // Certification (TestApp's certifications: cert-b of prd-b in 341125 on notice with an
        // open objection; cert-seed-prd-a listed in 451026). Suppliers apply for their own
        // products; reviewers and admins decide (the reviewer of 450000 does not see 341125);
        // organizers read; anyone with a token objects. A 409 shows access was granted: the
        // state did not allow the act.
        "POST /v1/certifications": Row(
            uri: "/v1/certifications",
            json: #"{"product_id":"prd-a","production_base":"那坡县城厢镇","linked_households":86,"food_safety_docs":["SC45"]}"#,
            statuses: [401, 201, 403, 403, 403, 201, 422],
            reviewer: 403
        ),
        "GET /v1/certifications": Row(uri: "/v1/certifications", statuses: [401, 200, 200, 403, 403, 200, 200], reviewer: 200),
        "GET /v1/certifications/{id}": Row(uri: "/v1/certifications/cert-b", statuses: [401, 200, 200, 403, 403, 404, 200], reviewer: 404),
        "POST /v1/certifications/{id}/review": Row(uri: "/v1/certifications/cert-b/review", json: "{}", statuses: adminOnly(409), reviewer: 404),
        "POST /v1/certifications/{id}/approve": Row(
            uri: "/v1/certifications/cert-b/approve",
            json: #"{"certificate_no":"FP-X","level":"county","authority_code":"341125","authority_name":"定远县","valid_until":"2023-09-01"}"#,
            statuses: adminOnly(409),
            reviewer: 404
        ),
        "POST /v1/certifications/{id}/reject": Row(
            uri: "/v1/certifications/cert-b/reject",
            json: #"{"reason":"材料不实"}"#,
            statuses: adminOnly(200),
            reviewer: 404
        ),
        "POST /v1/certifications/{id}/list": Row(uri: "/v1/certifications/cert-b/list", json: "{}", statuses: adminOnly(409), reviewer: 404),
        "POST /v1/certifications/{id}/revoke": Row(
            uri: "/v1/certifications/cert-seed-prd-a/revoke",
            json: #"{"reason":"以次充好"}"#,
            statuses: adminOnly(200),
            reviewer: 200
        ),
        "POST /v1/certifications/{id}/objections": Row(
            uri: "/v1/certifications/cert-b/objections",
            json: #"{"reason":"非本县产品"}"#,
            statuses: [401, 201, 201, 201, 201, 201, 201],
            reviewer: 201
        ),
        "POST /v1/certifications/{id}/objections/{objection_id}/resolve": Row(
            uri: "/v1/certifications/cert-b/objections/{objection}/resolve",
            json: #"{"outcome":"dismissed","note":"经核实产地属实"}"#,
            statuses: adminOnly(200),
            reviewer: 404
        ),
        "POST /v1/certifications/import": Row(
            uri: "/v1/certifications/import?dry_run=true",
            csv: "product_id,certificate_no,level,authority_code,authority_name,valid_until\nprd-a,FP1,county,451026,那坡县,2030-12-31\n",
            statuses: adminOnly(200),
            reviewer: 200
        ),
        "GET /v1/public/certifications": Row(uri: "/v1/public/certifications", statuses: open),

        // Complaints (TestApp's complaints: buyer A's about prd-a in 451026 and about prd-b in
        // 341125). Every token but calendar files and reads; each reads what it filed, the
        // reviewer of 450000 those of its regions, admins all; admins and reviewers decide.
        "POST /v1/complaints": Row(
            uri: "/v1/complaints",
            json: #"{"subject_kind":"product","subject_id":"prd-a","category":"quality","description":"大米有霉变"}"#,
            statuses: [401, 201, 201, 201, 201, 201, 201],
            reviewer: 201
        ),
        "GET /v1/complaints": Row(uri: "/v1/complaints", statuses: [401, 200, 200, 200, 200, 200, 200], reviewer: 200),
        "GET /v1/complaints/{id}": Row(uri: "/v1/complaints/{complaint}", statuses: [401, 200, 404, 200, 404, 404, 404], reviewer: 200),
        "POST /v1/complaints/{id}/investigate": Row(
            uri: "/v1/complaints/{outside-complaint}/investigate",
            json: #"{"note":"已转定远县核查"}"#,
            statuses: adminOnly(200),
            reviewer: 404
        ),
        "POST /v1/complaints/{id}/dismiss": Row(
            uri: "/v1/complaints/{complaint}/dismiss",
            json: #"{"resolution":"抽检重量合格"}"#,
            statuses: adminOnly(200),
            reviewer: 200
        ),
        "POST /v1/complaints/{id}/uphold": Row(
            uri: "/v1/complaints/{complaint}/uphold",
            json: #"{"resolution":"证书系借用他县","action":"revoke_certification"}"#,
            statuses: adminOnly(200),
            reviewer: 200
        ),
    ]

    /// A reviewer reads the reference lists, who it is, and the counties, suppliers and
    /// products it reviews; open routes need no token; everything else is refused.
    static func reviewerStatus(_ route: String, _ row: Row) -> Int {
        if let status = row.reviewer { return status }
        if row.statuses[0] == 200 { return 200 }
        let readable = ["GET /v1/categories", "GET /v1/units", "GET /v1/me", "GET /v1/counties", "GET /v1/suppliers", "GET /v1/products"]
        if readable.contains(where: { route == $0 || route.hasPrefix($0 + "/") }) { return 200 }
        return 403
    }

    /// Buyer A's endpoint: admins and buyer A may; organizers read it (its URL cut to the origin)
    /// but change only endpoints they registered; the others find nothing.
    static func readOwnEndpoint(_ status: Int) -> [Int] { [401, status, status, status, 404, 404, 404] }
    static func changeOwnEndpoint(_ status: Int) -> [Int] { [401, status, 403, status, 404, 404, 404] }

    /// A calendar token reads the calendar feeds (and who it is) and nothing else; open routes
    /// need no token at all.
    static func calendarStatus(_ route: String, _ row: Row) -> Int {
        if row.statuses[0] == 200 { return 200 }
        if route.hasSuffix("/calendar.ics") || route == "GET /v1/me" { return 200 }
        return 403
    }

    @Test func everyRouteHasARowAndEveryRowARoute() async throws {
        let app = try await TestApp()
        let registered = Set(app.endpoints.map { "\($0.method.rawValue) \($0.path)" })
        #expect(registered.subtracting(Self.table.keys).sorted() == [], "routes without a row in the role matrix")
        #expect(Set(Self.table.keys).subtracting(registered).sorted() == [], "rows without a route")
    }

    static let cases: [(route: String, caller: Caller)] = table.keys.sorted().flatMap { route in roles.map { (route, $0) } }

    @Test(arguments: cases.indices)
    func status(_ index: Int) async throws {
        let (route, caller) = Self.cases[index]
        let row = Self.table[route]!
        let method = HTTPRequest.Method(String(route.split(separator: " ")[0]))!
        let expected =
            switch caller {
            case .calendar: Self.calendarStatus(route, row)
            case .reviewer: Self.reviewerStatus(route, row)
            default: row.statuses[Self.roles.firstIndex(of: caller)!]
            }
        // Reads change nothing, so every GET shares one app; any other method gets its own, with
        // the certification fixture only where the route is about certifications (it costs writes).
        let app =
            method == .get
            ? try await sharedReadApp.app()
            : try await TestApp(
                schedules: .planned,
                certifications: route.contains("/certifications"),
                complaints: route.contains("/complaints")
            )
        let uri = row.uri.replacingOccurrences(of: "{run}", with: app.runID).replacingOccurrences(of: "{match}", with: app.matchID)
            .replacingOccurrences(of: "{message}", with: app.messageID).replacingOccurrences(of: "{objection}", with: app.objectionID ?? "")
            .replacingOccurrences(of: "{complaint}", with: app.complaintID ?? "")
            .replacingOccurrences(of: "{outside-complaint}", with: app.outsideComplaintID ?? "")
        let response = try await app.send(
            method,
            uri,
            as: caller,
            json: row.json,
            body: row.csv,
            contentType: row.csv == nil ? nil : "text/csv"
        )
        #expect(Int(response.status.code) == expected, "\(route) as \(caller): \(response.text)")
        if response.status.code >= 400 {
            #expect(response.isProblem, "\(route) as \(caller) should answer problem+json")
        }
    }
}

/// The one app the GET cases of the role matrix share. Its authentication backoff is off: the
/// anonymous caller's 401s from every read route would otherwise add up to 429s.
private let sharedReadApp = SharedReadApp()

private actor SharedReadApp {
    /// Made by the first case that asks; the cases that ask meanwhile wait for the same one.
    private var making: Task<TestApp, any Error>?

    func app() async throws -> TestApp {
        let making =
            self.making ?? Task { try await TestApp(schedules: .planned, certifications: true, complaints: true) { $0.auth.failureLimit = 0 } }
        self.making = making
        return try await making.value
    }
}
