import Foundation
import Testing

@Suite struct MatchCommandTests {
    /// A small catalog through the CLI: two rice products, a canteen's demand.
    static func prepare(_ cli: CLIRunner) throws {
        try cli.write("counties.csv", "code,name,poverty_status,paired_region_codes\n451026,那坡县,deep,440300\n341125,定远县,provincial,\n")
        try cli.write("suppliers.csv", "id,name,county_code,kind\nsup-napo,那坡合作社,451026,cooperative\nsup-dy,定远农场,341125,family_farm\n")
        try cli.write(
            "products.csv",
            """
            id,supplier_id,name,category,unit,unit_price_fen,weekly_capacity
            prd-napo,sup-napo,那坡大米,grain_oil,kg,860,200
            prd-dy,sup-dy,定远大米,grain_oil,kg,800,200

            """
        )
        try cli.write("buyers.csv", "id,name,kind,region_code\nbuy-canteen,福田区机关食堂,canteen,440304\n")
        try cli.write(
            "demands.csv",
            "id,buyer_id,category,unit,weekly_volume,max_unit_price_fen,starts_on\ndem-rice,buy-canteen,grain_oil,kg,300,1000,2020-09-01\n"
        )
        for kind in ["counties", "suppliers", "products", "buyers", "demands"] {
            let result = try cli.run("import", kind, "\(kind).csv", "--database", "db.sqlite")
            #expect(result.status == 0, "\(kind): \(result.stderr)")
        }
        // Certified by the counties' official lists, since 2020.
        try cli.write(
            "list.csv",
            """
            product_id,certificate_no,authority_code,authority_name,level,valid_from,valid_until
            prd-napo,FP1,451026,那坡县扶贫产品认定工作组,county,2020-01-01,2030-12-31
            prd-dy,FP2,341125,定远县扶贫产品认定工作组,county,2020-01-01,2030-12-31

            """
        )
        let listed = try cli.run("certifications", "import", "list.csv", "--database", "db.sqlite")
        #expect(listed.status == 0, "certifications: \(listed.stderr)")
        #expect(listed.stdout.contains("imported 2 rows from list.csv: 2 listed, 0 renewed, 0 unchanged"))
    }

    @Test func aRunIsReportedAndStored() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try Self.prepare(cli)
        let run = try cli.run("match", "--week", "2020-W38", "--database", "db.sqlite")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("run run_"))
        #expect(run.stdout.contains("demands:   1 with 300 units to match (0 already accepted)"))
        #expect(run.stdout.contains("matched:   300 units (100.0%) in 2 proposals"))

        // A dry run as JSON lists the proposals without storing them.
        let dry = try cli.run("match", "--week", "2020-W38", "--dry-run", "--json", "--database", "db.sqlite")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
        let matches = try #require(object["matches"] as? [[String: Any]])
        #expect(Set(matches.compactMap { $0["product_id"] as? String }) == ["prd-napo", "prd-dy"])
        #expect(matches.allSatisfy { ($0["status"] as? String) == "proposed" })
    }

    @Test func theExportedInstanceIsDIMACS() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        try Self.prepare(cli)
        let run = try cli.run("match", "--week", "2020-W38", "--dry-run", "--export-dimacs", "run.dimacs", "--database", "db.sqlite")
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOfFile: cli.path("run.dimacs"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first?.hasPrefix("c chanxiao") == true)
        let problem = try #require(lines.first { $0.hasPrefix("p min ") })
        let counts = problem.split(separator: " ").dropFirst(2).compactMap { Int($0) }
        #expect(lines.filter { $0.hasPrefix("a ") }.count == counts[1])
        #expect(lines.filter { $0.hasPrefix("n ") }.map { Int($0.split(separator: " ")[2])! }.reduce(0, +) == 0)
    }

    @Test func aBadWeekIsRefused() throws {
        let cli = try CLIRunner()
        defer { cli.cleanUp() }
        let result = try cli.run("match", "--week", "W38", "--database", "db.sqlite")
        #expect(result.status == 64)
        #expect(result.stderr.contains("--week: expected an ISO week such as 2020-W38, got 'W38'"))
    }
}
