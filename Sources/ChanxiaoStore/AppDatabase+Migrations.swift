import GRDB

extension AppDatabase {
    /// Migrations are registered once and never edited after they land; changes come as new
    /// migrations appended at the end.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-22 catalog, tokens, audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE county (
                        code TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        province TEXT NOT NULL,
                        city TEXT,
                        poverty_status TEXT NOT NULL,
                        poor_population INTEGER NOT NULL DEFAULT 0 CHECK (poor_population >= 0),
                        paired_region_codes TEXT NOT NULL DEFAULT '[]',
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    ) WITHOUT ROWID;

                    CREATE TABLE supplier (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        county_code TEXT NOT NULL REFERENCES county(code) ON DELETE RESTRICT,
                        kind TEXT NOT NULL,
                        blacklisted INTEGER NOT NULL DEFAULT 0,
                        blacklist_reason TEXT,
                        blacklisted_on TEXT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        CHECK (blacklisted = 0 OR blacklist_reason IS NOT NULL)
                    );
                    CREATE INDEX supplier_county ON supplier(county_code);

                    CREATE TABLE product (
                        id TEXT PRIMARY KEY NOT NULL,
                        supplier_id TEXT NOT NULL REFERENCES supplier(id) ON DELETE RESTRICT,
                        county_code TEXT NOT NULL REFERENCES county(code) ON DELETE RESTRICT,
                        name TEXT NOT NULL,
                        category TEXT NOT NULL,
                        unit TEXT NOT NULL,
                        unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen > 0),
                        weekly_capacity INTEGER NOT NULL CHECK (weekly_capacity > 0),
                        min_order INTEGER NOT NULL CHECK (min_order > 0),
                        season_months TEXT NOT NULL DEFAULT '[]',
                        certificate_no TEXT,
                        certified_until TEXT,
                        cold_chain INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX product_supplier ON product(supplier_id);
                    CREATE INDEX product_county ON product(county_code);
                    CREATE INDEX product_category_unit ON product(category, unit);

                    CREATE TABLE buyer (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        region_code TEXT NOT NULL,
                        network TEXT,
                        poverty_share_target REAL CHECK (poverty_share_target BETWEEN 0 AND 1),
                        max_suppliers_per_category INTEGER NOT NULL CHECK (max_suppliers_per_category > 0),
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX buyer_network ON buyer(network);
                    CREATE INDEX buyer_region ON buyer(region_code);

                    CREATE TABLE demand (
                        id TEXT PRIMARY KEY NOT NULL,
                        buyer_id TEXT NOT NULL REFERENCES buyer(id) ON DELETE RESTRICT,
                        category TEXT NOT NULL,
                        unit TEXT NOT NULL,
                        weekly_volume INTEGER NOT NULL CHECK (weekly_volume > 0),
                        max_unit_price_fen INTEGER NOT NULL CHECK (max_unit_price_fen > 0),
                        starts_on TEXT NOT NULL,
                        ends_on TEXT CHECK (ends_on IS NULL OR ends_on >= starts_on),
                        cold_chain INTEGER NOT NULL DEFAULT 0,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX demand_buyer ON demand(buyer_id);
                    CREATE INDEX demand_category_unit ON demand(category, unit);

                    CREATE TABLE api_token (
                        id TEXT PRIMARY KEY NOT NULL,
                        secret_sha256 TEXT NOT NULL UNIQUE,
                        role TEXT NOT NULL,
                        buyer_id TEXT,
                        supplier_id TEXT,
                        label TEXT,
                        created_at TEXT NOT NULL,
                        expires_at TEXT,
                        revoked_at TEXT
                    );

                    CREATE TABLE audit_log (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        role TEXT NOT NULL,
                        action TEXT NOT NULL,
                        resource_kind TEXT,
                        resource_id TEXT,
                        detail TEXT
                    );
                    CREATE INDEX audit_log_resource ON audit_log(resource_kind, resource_id);

                    CREATE TABLE metadata (
                        key TEXT PRIMARY KEY NOT NULL,
                        value TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("2026-11-23 matching") { db in
            try db.execute(
                sql: """
                    CREATE TABLE match_run (
                        id TEXT PRIMARY KEY NOT NULL,
                        week TEXT NOT NULL,
                        trigger TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        config_hash TEXT NOT NULL,
                        started_at TEXT NOT NULL,
                        duration_ms INTEGER NOT NULL,
                        proposals INTEGER NOT NULL,
                        stats TEXT NOT NULL,
                        unmet TEXT NOT NULL
                    );
                    CREATE INDEX match_run_by_week ON match_run(week, trigger);

                    CREATE TABLE match (
                        id TEXT PRIMARY KEY NOT NULL,
                        run_id TEXT NOT NULL REFERENCES match_run(id) ON DELETE RESTRICT,
                        week TEXT NOT NULL,
                        demand_id TEXT NOT NULL REFERENCES demand(id) ON DELETE RESTRICT,
                        buyer_id TEXT NOT NULL,
                        product_id TEXT NOT NULL REFERENCES product(id) ON DELETE RESTRICT,
                        supplier_id TEXT NOT NULL,
                        county_code TEXT NOT NULL,
                        volume INTEGER NOT NULL CHECK (volume > 0),
                        unit_price_fen INTEGER NOT NULL,
                        unit_cost INTEGER NOT NULL,
                        cost_breakdown TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'expired', 'superseded')),
                        proposed_at TEXT NOT NULL,
                        expires_at TEXT NOT NULL,
                        decided_at TEXT,
                        decided_by TEXT
                    );
                    CREATE INDEX match_by_week_status ON match(week, status);
                    CREATE INDEX match_by_run ON match(run_id);
                    CREATE INDEX match_by_demand ON match(demand_id, week);
                    CREATE INDEX match_by_product ON match(product_id, week);
                    CREATE INDEX match_by_buyer ON match(buyer_id, week);
                    CREATE INDEX match_by_supplier ON match(supplier_id, week);
                    """
            )
        }
        migrator.registerMigration("2026-11-24 scheduling") { db in
            try db.execute(
                sql: """
                    CREATE TABLE venue (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        region_code TEXT NOT NULL,
                        network TEXT,
                        featured_weekly_volume INTEGER NOT NULL DEFAULT 0 CHECK (featured_weekly_volume >= 0),
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );

                    CREATE TABLE host (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        platforms TEXT NOT NULL,
                        availability TEXT NOT NULL,
                        unavailable TEXT NOT NULL DEFAULT '[]',
                        extra_availability TEXT NOT NULL DEFAULT '[]',
                        max_sessions_per_day INTEGER NOT NULL CHECK (max_sessions_per_day > 0),
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );

                    CREATE TABLE fair (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        venue_id TEXT NOT NULL REFERENCES venue(id) ON DELETE RESTRICT,
                        starts_on TEXT NOT NULL,
                        ends_on TEXT NOT NULL CHECK (ends_on >= starts_on),
                        booth_count INTEGER NOT NULL CHECK (booth_count > 0),
                        min_poverty_share REAL NOT NULL CHECK (min_poverty_share BETWEEN 0 AND 1),
                        max_booths_per_applicant INTEGER NOT NULL CHECK (max_booths_per_applicant > 0),
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX fair_venue ON fair(venue_id);

                    CREATE TABLE rotation (
                        id TEXT PRIMARY KEY NOT NULL,
                        venue_id TEXT NOT NULL REFERENCES venue(id) ON DELETE RESTRICT,
                        from_week TEXT NOT NULL,
                        weeks INTEGER NOT NULL CHECK (weeks > 0),
                        status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
                        cycle_length INTEGER NOT NULL,
                        blackout_weeks TEXT NOT NULL,
                        unplaced TEXT NOT NULL,
                        score TEXT NOT NULL,
                        total REAL NOT NULL,
                        bound REAL NOT NULL,
                        request TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        published_at TEXT
                    );
                    CREATE INDEX rotation_venue ON rotation(venue_id, status);

                    CREATE TABLE rotation_slot (
                        rotation_id TEXT NOT NULL REFERENCES rotation(id) ON DELETE CASCADE,
                        week TEXT NOT NULL,
                        county_code TEXT NOT NULL REFERENCES county(code) ON DELETE RESTRICT,
                        product_id TEXT NOT NULL REFERENCES product(id) ON DELETE RESTRICT,
                        pinned INTEGER NOT NULL,
                        reasons TEXT NOT NULL,
                        points TEXT NOT NULL,
                        sequence INTEGER NOT NULL DEFAULT 0,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (rotation_id, week)
                    ) WITHOUT ROWID;
                    CREATE INDEX rotation_slot_product ON rotation_slot(product_id);
                    CREATE INDEX rotation_slot_county ON rotation_slot(county_code);

                    CREATE TABLE rotation_change (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        rotation_id TEXT NOT NULL REFERENCES rotation(id) ON DELETE CASCADE,
                        at TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        detail TEXT NOT NULL
                    );
                    CREATE INDEX rotation_change_rotation ON rotation_change(rotation_id);

                    CREATE TABLE livestream_plan (
                        id TEXT PRIMARY KEY NOT NULL,
                        rotation_id TEXT NOT NULL REFERENCES rotation(id) ON DELETE RESTRICT,
                        sessions_per_slot INTEGER NOT NULL,
                        duration_minutes INTEGER NOT NULL,
                        score TEXT NOT NULL,
                        total REAL NOT NULL,
                        bound REAL NOT NULL,
                        created_at TEXT NOT NULL,
                        created_by TEXT NOT NULL
                    );

                    CREATE TABLE livestream (
                        id TEXT PRIMARY KEY NOT NULL,
                        host_id TEXT NOT NULL REFERENCES host(id) ON DELETE RESTRICT,
                        platform TEXT NOT NULL,
                        starts_at TEXT NOT NULL,
                        ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
                        fee_fen INTEGER NOT NULL CHECK (fee_fen >= 0),
                        title TEXT,
                        rotation_id TEXT REFERENCES rotation(id) ON DELETE RESTRICT,
                        week TEXT,
                        plan_id TEXT REFERENCES livestream_plan(id) ON DELETE RESTRICT,
                        status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
                        sequence INTEGER NOT NULL DEFAULT 0,
                        reasons TEXT NOT NULL DEFAULT '[]',
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX livestream_host_time ON livestream(host_id, starts_at);
                    CREATE INDEX livestream_rotation ON livestream(rotation_id);

                    CREATE TABLE livestream_product (
                        livestream_id TEXT NOT NULL REFERENCES livestream(id) ON DELETE CASCADE,
                        product_id TEXT NOT NULL REFERENCES product(id) ON DELETE RESTRICT,
                        position INTEGER NOT NULL,
                        PRIMARY KEY (livestream_id, product_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX livestream_product_product ON livestream_product(product_id);

                    CREATE TABLE fair_application (
                        id TEXT PRIMARY KEY NOT NULL,
                        fair_id TEXT NOT NULL REFERENCES fair(id) ON DELETE RESTRICT,
                        applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('county', 'supplier')),
                        county_code TEXT NOT NULL REFERENCES county(code) ON DELETE RESTRICT,
                        supplier_id TEXT REFERENCES supplier(id) ON DELETE RESTRICT,
                        booths_requested INTEGER NOT NULL CHECK (booths_requested > 0),
                        status TEXT NOT NULL,
                        note TEXT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX fair_application_fair ON fair_application(fair_id);

                    CREATE TABLE fair_application_product (
                        application_id TEXT NOT NULL REFERENCES fair_application(id) ON DELETE CASCADE,
                        product_id TEXT NOT NULL REFERENCES product(id) ON DELETE RESTRICT,
                        position INTEGER NOT NULL,
                        PRIMARY KEY (application_id, product_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX fair_application_product_product ON fair_application_product(product_id);

                    CREATE TABLE booth (
                        fair_id TEXT NOT NULL REFERENCES fair(id) ON DELETE RESTRICT,
                        number INTEGER NOT NULL CHECK (number > 0),
                        application_id TEXT NOT NULL REFERENCES fair_application(id) ON DELETE RESTRICT,
                        assigned_at TEXT NOT NULL,
                        PRIMARY KEY (fair_id, number)
                    ) WITHOUT ROWID;
                    CREATE INDEX booth_application ON booth(application_id);
                    """
            )
        }
        migrator.registerMigration("2026-11-25 webhooks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE webhook_endpoint (
                        id TEXT PRIMARY KEY NOT NULL,
                        url TEXT NOT NULL,
                        format TEXT NOT NULL CHECK (format IN ('standard', 'wecom', 'dingtalk', 'feishu')),
                        event_types TEXT NOT NULL,
                        description TEXT NOT NULL DEFAULT '',
                        owner TEXT,
                        enabled INTEGER NOT NULL DEFAULT 1,
                        disabled_reason TEXT,
                        disabled_at TEXT,
                        failing_since TEXT,
                        rate_limit_per_minute INTEGER CHECK (rate_limit_per_minute IS NULL OR rate_limit_per_minute > 0),
                        created_by TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX webhook_endpoint_owner ON webhook_endpoint(owner);

                    -- The current secret has no expiry; a rotated-out one signs beside it until expires_at.
                    CREATE TABLE webhook_secret (
                        endpoint_id TEXT NOT NULL REFERENCES webhook_endpoint(id) ON DELETE CASCADE,
                        secret TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        expires_at TEXT,
                        PRIMARY KEY (endpoint_id, secret)
                    ) WITHOUT ROWID;

                    CREATE TABLE webhook_message (
                        id TEXT PRIMARY KEY NOT NULL,
                        type TEXT NOT NULL,
                        created_at TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        concerns TEXT NOT NULL DEFAULT '[]'
                    );
                    CREATE INDEX webhook_message_time ON webhook_message(created_at);
                    CREATE INDEX webhook_message_type_time ON webhook_message(type, created_at);

                    CREATE TABLE webhook_delivery (
                        message_id TEXT NOT NULL REFERENCES webhook_message(id) ON DELETE CASCADE,
                        endpoint_id TEXT NOT NULL REFERENCES webhook_endpoint(id) ON DELETE CASCADE,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
                        -- What asked for the next attempt: the schedule, a resend or a recovery.
                        trigger TEXT NOT NULL DEFAULT 'scheduled' CHECK (trigger IN ('scheduled', 'resend', 'recover')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at TEXT,
                        last_attempt_at TEXT,
                        last_error TEXT,
                        delivered_at TEXT,
                        created_at TEXT NOT NULL,
                        PRIMARY KEY (message_id, endpoint_id),
                        CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL)
                    ) WITHOUT ROWID;
                    CREATE INDEX webhook_delivery_due ON webhook_delivery(endpoint_id, next_attempt_at) WHERE status = 'pending';
                    CREATE INDEX webhook_delivery_by_endpoint ON webhook_delivery(endpoint_id, status, last_attempt_at);

                    CREATE TABLE webhook_attempt (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        message_id TEXT NOT NULL,
                        endpoint_id TEXT NOT NULL,
                        attempted_at TEXT NOT NULL,
                        trigger TEXT NOT NULL CHECK (trigger IN ('scheduled', 'resend', 'recover')),
                        response_status INTEGER,
                        latency_ms INTEGER NOT NULL,
                        error TEXT,
                        response_body TEXT,
                        FOREIGN KEY (message_id, endpoint_id) REFERENCES webhook_delivery(message_id, endpoint_id) ON DELETE CASCADE
                    );
                    CREATE INDEX webhook_attempt_delivery ON webhook_attempt(message_id, endpoint_id, id);

                    -- One row per livestream and lead time, so a reminder goes out once.
                    CREATE TABLE webhook_reminder (
                        livestream_id TEXT NOT NULL REFERENCES livestream(id) ON DELETE CASCADE,
                        lead_minutes INTEGER NOT NULL,
                        sent_at TEXT NOT NULL,
                        PRIMARY KEY (livestream_id, lead_minutes)
                    ) WITHOUT ROWID;
                    CREATE INDEX livestream_starts ON livestream(starts_at);
                    """
            )
        }
        migrator.registerMigration("2026-11-26 reports") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sale (
                        id TEXT PRIMARY KEY NOT NULL,
                        buyer_id TEXT NOT NULL REFERENCES buyer(id) ON DELETE RESTRICT,
                        product_id TEXT REFERENCES product(id) ON DELETE RESTRICT,
                        category TEXT NOT NULL,
                        unit TEXT,
                        volume INTEGER NOT NULL CHECK (volume >= 0),
                        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
                        sold_on TEXT NOT NULL,
                        channel TEXT NOT NULL,
                        note TEXT,
                        -- Decided by the store from the product on sold_on, never by the client.
                        county_code TEXT,
                        poverty_product INTEGER NOT NULL DEFAULT 0,
                        match_id TEXT UNIQUE REFERENCES match(id) ON DELETE RESTRICT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX sale_buyer_day ON sale(buyer_id, sold_on);
                    CREATE INDEX sale_day ON sale(sold_on);
                    CREATE INDEX sale_product_day ON sale(product_id, sold_on);
                    CREATE INDEX sale_county_day ON sale(county_code, sold_on);

                    CREATE TABLE outlet (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        county_code TEXT NOT NULL REFERENCES county(code) ON DELETE RESTRICT,
                        region_code TEXT,
                        buyer_id TEXT REFERENCES buyer(id) ON DELETE RESTRICT,
                        operator TEXT,
                        opened_on TEXT NOT NULL,
                        closed_on TEXT CHECK (closed_on IS NULL OR closed_on >= opened_on),
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX outlet_county ON outlet(county_code);
                    CREATE INDEX outlet_buyer ON outlet(buyer_id);

                    CREATE TABLE sales_event (
                        id TEXT PRIMARY KEY NOT NULL,
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        held_on TEXT NOT NULL,
                        county_codes TEXT NOT NULL,
                        region_code TEXT,
                        note TEXT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    );
                    CREATE INDEX sales_event_day ON sales_event(held_on);

                    -- Products flagged slow-moving (滞销) by the weekly check; a row is removed when
                    -- the product sells again, so a new episode is announced again.
                    CREATE TABLE slow_moving_flag (
                        product_id TEXT PRIMARY KEY NOT NULL REFERENCES product(id) ON DELETE CASCADE,
                        since_week TEXT NOT NULL,
                        checked_week TEXT NOT NULL,
                        taken_volume INTEGER NOT NULL,
                        threshold_volume INTEGER NOT NULL,
                        observed_weeks INTEGER NOT NULL,
                        flagged_at TEXT NOT NULL
                    ) WITHOUT ROWID;

                    -- One row per week the weekly job finished: it runs once per week, also across restarts.
                    CREATE TABLE report_run (
                        week TEXT PRIMARY KEY NOT NULL,
                        finished_at TEXT NOT NULL,
                        sales_recorded INTEGER NOT NULL,
                        buyers_at_risk INTEGER NOT NULL,
                        slow_moving INTEGER NOT NULL,
                        trigger TEXT NOT NULL
                    ) WITHOUT ROWID;
                    """
            )
        }
        migrator.registerMigration("2026-11-27 operations") { db in
            // The request (or job) that wrote the message: sent as X-Request-Id, shown by the API.
            try db.execute(sql: "ALTER TABLE webhook_message ADD COLUMN request_id TEXT")
        }
        migrator.registerMigration("2026-11-28 delivery generation") { db in
            // Bumped by every resend and recovery: an attempt that was in flight meanwhile is
            // recorded, but may not overwrite the delivery's new schedule.
            try db.execute(sql: "ALTER TABLE webhook_delivery ADD COLUMN generation INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("2026-12-07 hardening") { db in
            // Who recorded each sale (a token id, cli:<user>, or the scheduler): sales feed the
            // share figures, so the figure's sources are named. Earlier sales keep NULL.
            try db.execute(sql: "ALTER TABLE sale ADD COLUMN created_by TEXT")
        }
        migrator.registerMigration("2026-12-08 certification") { db in
            try db.execute(
                sql: """
                    CREATE TABLE certification (
                        id TEXT PRIMARY KEY NOT NULL,
                        product_id TEXT NOT NULL REFERENCES product(id),
                        supplier_id TEXT NOT NULL,
                        county_code TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('applied', 'reviewing', 'notice', 'listed', 'rejected', 'revoked')),
                        production_base TEXT NOT NULL,
                        linked_households INTEGER NOT NULL CHECK (linked_households >= 0),
                        food_safety_docs TEXT NOT NULL,
                        certificate_no TEXT,
                        authority_code TEXT,
                        authority_name TEXT,
                        level TEXT CHECK (level IN ('county', 'city', 'province', 'national')),
                        valid_from TEXT,
                        valid_until TEXT,
                        notice_starts_on TEXT,
                        notice_ends_on TEXT,
                        listed_on TEXT,
                        ended_on TEXT,
                        reason TEXT,
                        origin TEXT NOT NULL CHECK (origin IN ('application', 'official_list', 'migrated', 'seeded')),
                        -- The days it counts (Certification.span), for the SQL that asks "certified on D".
                        counts_from TEXT,
                        counts_through TEXT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        CHECK (status NOT IN ('notice', 'listed', 'revoked') OR (certificate_no IS NOT NULL AND valid_until IS NOT NULL))
                    );
                    CREATE INDEX certification_by_product ON certification(product_id, counts_through);
                    CREATE INDEX certification_by_status ON certification(status, county_code);
                    CREATE INDEX certification_by_number ON certification(certificate_no);
                    -- One open application per product.
                    CREATE UNIQUE INDEX certification_one_open ON certification(product_id)
                        WHERE status IN ('applied', 'reviewing', 'notice');

                    CREATE TABLE certification_step (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        certification_id TEXT NOT NULL REFERENCES certification(id) ON DELETE CASCADE,
                        at TEXT NOT NULL,
                        action TEXT NOT NULL,
                        from_status TEXT,
                        to_status TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        note TEXT
                    );
                    CREATE INDEX certification_step_by_certification ON certification_step(certification_id, id);

                    CREATE TABLE certification_objection (
                        id TEXT PRIMARY KEY NOT NULL,
                        certification_id TEXT NOT NULL REFERENCES certification(id) ON DELETE CASCADE,
                        reason TEXT NOT NULL,
                        filed_by TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'dismissed')),
                        resolution TEXT,
                        resolved_by TEXT,
                        created_at TEXT NOT NULL,
                        resolved_at TEXT
                    );
                    CREATE INDEX certification_objection_by_certification ON certification_objection(certification_id, status);

                    ALTER TABLE product ADD COLUMN certified_spans TEXT NOT NULL DEFAULT '[]';
                    ALTER TABLE api_token ADD COLUMN regions TEXT NOT NULL DEFAULT '[]';
                    """
            )
            // The certificate fields products carried become listings by a "migrated"
            // authority: they counted until now, and keep counting for the days they covered.
            try migrateProductCertificates(db)
        }
        migrator.registerMigration("2026-12-09 withdrawals, contacts and regions") { db in
            // A match can now be cancelled (its supplier blacklisted, its product's listing
            // revoked) with the reason; SQLite changes a CHECK only by rebuilding the table.
            try db.execute(
                sql: """
                    CREATE TABLE match_new (
                        id TEXT PRIMARY KEY NOT NULL,
                        run_id TEXT NOT NULL REFERENCES match_run(id) ON DELETE RESTRICT,
                        week TEXT NOT NULL,
                        demand_id TEXT NOT NULL REFERENCES demand(id) ON DELETE RESTRICT,
                        buyer_id TEXT NOT NULL,
                        product_id TEXT NOT NULL REFERENCES product(id) ON DELETE RESTRICT,
                        supplier_id TEXT NOT NULL,
                        county_code TEXT NOT NULL,
                        volume INTEGER NOT NULL CHECK (volume > 0),
                        unit_price_fen INTEGER NOT NULL,
                        unit_cost INTEGER NOT NULL,
                        cost_breakdown TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('proposed', 'accepted', 'declined', 'expired', 'superseded', 'cancelled')),
                        proposed_at TEXT NOT NULL,
                        expires_at TEXT NOT NULL,
                        decided_at TEXT,
                        decided_by TEXT,
                        cancel_reason TEXT
                    );
                    INSERT INTO match_new (id, run_id, week, demand_id, buyer_id, product_id, supplier_id, county_code, volume, unit_price_fen,
                                           unit_cost, cost_breakdown, status, proposed_at, expires_at, decided_at, decided_by)
                    SELECT id, run_id, week, demand_id, buyer_id, product_id, supplier_id, county_code, volume, unit_price_fen,
                           unit_cost, cost_breakdown, status, proposed_at, expires_at, decided_at, decided_by FROM match;
                    DROP TABLE match;
                    ALTER TABLE match_new RENAME TO match;
                    CREATE INDEX match_by_week_status ON match(week, status);
                    CREATE INDEX match_by_run ON match(run_id);
                    CREATE INDEX match_by_demand ON match(demand_id, week);
                    CREATE INDEX match_by_product ON match(product_id, week);
                    CREATE INDEX match_by_buyer ON match(buyer_id, week);
                    CREATE INDEX match_by_supplier ON match(supplier_id, week);

                    ALTER TABLE rotation_slot ADD COLUMN withdrawn_reason TEXT;
                    ALTER TABLE livestream ADD COLUMN cancel_reason TEXT;

                    ALTER TABLE supplier ADD COLUMN contact_person TEXT;
                    ALTER TABLE supplier ADD COLUMN contact_phone TEXT;
                    ALTER TABLE supplier ADD COLUMN address TEXT;

                    ALTER TABLE webhook_endpoint ADD COLUMN region TEXT;
                    """
            )
        }
        migrator.registerMigration("2026-12-10 complaints") { db in
            // The subject is a product or a supplier, so it has no foreign key: a complaint stays
            // as history when its subject is deleted. Its supplier and county are copies made
            // at filing, which scope who reads and acts on it.
            try db.execute(
                sql: """
                    CREATE TABLE complaint (
                        id TEXT PRIMARY KEY NOT NULL,
                        subject_kind TEXT NOT NULL CHECK (subject_kind IN ('product', 'supplier')),
                        subject_id TEXT NOT NULL,
                        supplier_id TEXT NOT NULL,
                        county_code TEXT NOT NULL,
                        category TEXT NOT NULL
                            CHECK (category IN ('fake_certificate', 'quality', 'price', 'paid_livestream', 'short_weight', 'other')),
                        description TEXT NOT NULL,
                        evidence TEXT,
                        status TEXT NOT NULL CHECK (status IN ('open', 'investigating', 'upheld', 'dismissed')),
                        filed_by TEXT NOT NULL,
                        resolution TEXT,
                        remedy TEXT CHECK (remedy IN ('none', 'revoke_certification', 'blacklist_supplier')),
                        revoked_certification_ids TEXT NOT NULL DEFAULT '[]',
                        resolved_by TEXT,
                        resolved_at TEXT,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        -- A decided complaint has its resolution; only an upheld one has a remedy.
                        CHECK ((status IN ('upheld', 'dismissed')) = (resolution IS NOT NULL AND resolved_at IS NOT NULL)),
                        CHECK ((status = 'upheld') = (remedy IS NOT NULL))
                    );
                    CREATE INDEX complaint_by_filer ON complaint(filed_by, id);
                    CREATE INDEX complaint_by_county ON complaint(county_code, id);
                    CREATE INDEX complaint_by_subject ON complaint(subject_kind, subject_id);
                    CREATE INDEX complaint_by_status ON complaint(status, id);

                    CREATE TABLE complaint_step (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        complaint_id TEXT NOT NULL REFERENCES complaint(id) ON DELETE CASCADE,
                        at TEXT NOT NULL,
                        action TEXT NOT NULL,
                        from_status TEXT CHECK (from_status IN ('open', 'investigating', 'upheld', 'dismissed')),
                        to_status TEXT NOT NULL CHECK (to_status IN ('open', 'investigating', 'upheld', 'dismissed')),
                        actor TEXT NOT NULL,
                        note TEXT
                    );
                    CREATE INDEX complaint_step_by_complaint ON complaint_step(complaint_id, id);
                    """
            )
        }
        return migrator
    }

    /// Applies pending migrations; refuses a database migrated by a newer chanxiao.
    static func migrate(_ writer: any DatabaseWriter) throws {
        let migrator = Self.migrator
        let unknown = try writer.read { db in
            try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
        }
        if !unknown.isEmpty { throw StoreError.newerSchema(unknown.sorted()) }
        try migrator.migrate(writer)
    }

    /// Migration identifiers, each with whether it is applied.
    public func migrationStatus() throws -> [(identifier: String, applied: Bool)] {
        let migrator = Self.migrator
        let applied = try reader.read { db in try migrator.appliedIdentifiers(db) }
        return migrator.migrations.map { ($0, applied.contains($0)) }
    }
}
