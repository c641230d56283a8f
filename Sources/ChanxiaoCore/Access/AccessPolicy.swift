/// What a request wants to do to a kind of resource.
public enum Operation: String, Sendable, CaseIterable {
    case read, create, update, delete
}

/// The things access is decided on: the catalog kinds and the non-catalog endpoints.
public enum Resource: Sendable, Hashable {
    case catalog(CatalogKind)
    /// The category taxonomy and other reference lists.
    case reference
    /// CSV bulk import (write) and export (read).
    case bulk(CatalogKind)
    case audit
    /// Match runs: starting one (create) and reading them.
    case matchRun
    /// Matches (proposals): reading them, and accepting or declining one (update).
    case match
    /// County rotations (一县一品一周): planning one (create), publishing and editing (update).
    case rotation
    /// Livestream sessions and livestream plans.
    case livestream
    /// Applications for fair booths; suppliers apply for themselves.
    case fairApplication
    /// Fair booths: reading the allocation, allocating and releasing (update).
    case booth
    /// The published iCalendar feeds of venues and hosts.
    case calendar
    /// Webhook endpoints: buyers and suppliers keep their own, staff keep every one.
    case webhookEndpoint
    /// The webhook outbox: messages, their deliveries and attempts; resending one (update).
    case webhookMessage
    /// Reports: weekly and county reports, slow-moving products, and a buyer's share against
    /// its target (buyers read their own share).
    case report
    /// Certifications of poverty products: applying (create; suppliers for their own
    /// products), reading them, and the reviewers' acts and official-list imports (update).
    case certification
    /// Objections to a certification on notice: anyone with a token lodges one (create);
    /// reviewers resolve them (update).
    case certificationObjection
    /// Complaints about a product or a supplier (投诉举报): anyone with a token but a calendar
    /// one files (create) and reads; which ones it reads the store decides (`ComplaintScope`:
    /// staff all, reviewers their regions', everyone else its own). Admins and reviewers act
    /// on them (update).
    case complaint
    /// Demand in aggregate (volume per category, unit, province and week, without who wants
    /// it): what suppliers plan capacity with.
    case demandSummary
    /// The daemon itself: its configuration in force, reloads and metrics. Admins only.
    case daemon
}

/// The outcome of an access decision.
public enum Access: Sendable, Equatable {
    /// Every resource of the kind.
    case all
    /// Only resources owned by this owner: others read as 404 (no existence leak) and are
    /// refused with 403 on write.
    case owned(Owner)
    case denied
}

/// Who may do what. One table, so that a route without a rule cannot exist and the rules can
/// be read in one place (docs/api.md repeats them).
public enum AccessPolicy {
    public static func access(_ principal: Principal, _ operation: Operation, _ resource: Resource) -> Access {
        switch principal.role {
        case .calendar:
            return resource == .calendar && operation == .read ? .all : .denied
        case .admin:
            return .all
        case .reviewer:
            switch resource {
            // Reviewers decide on applications; they apply for nothing.
            case .certification: return operation == .read || operation == .update ? .all : .denied
            case .certificationObjection: return .all
            // Reviewers triage complaints within their regions (the store checks them) and may file one.
            case .complaint: return operation == .delete ? .denied : .all
            case .reference, .catalog(.county), .catalog(.supplier), .catalog(.product): return operation == .read ? .all : .denied
            case .catalog, .bulk, .audit, .matchRun, .match, .rotation, .livestream, .fairApplication, .booth, .calendar, .webhookEndpoint,
                .webhookMessage, .report, .demandSummary, .daemon:
                return .denied
            }
        case .organizer:
            switch resource {
            // Organizers read certifications and may object to one on notice; they do not certify.
            case .certification: return operation == .read ? .all : .denied
            case .certificationObjection: return operation == .create ? .all : .denied
            // Organizers file complaints and read their own (the store scopes the reading).
            case .complaint: return operation == .read || operation == .create ? .all : .denied
            // Organizers plan: they keep the venues, hosts and fairs they plan with.
            case .catalog(.venue), .catalog(.host), .catalog(.fair), .bulk(.venue), .bulk(.host), .bulk(.fair),
                .rotation, .livestream, .fairApplication, .booth, .webhookEndpoint, .webhookMessage:
                return .all
            // Organizers file the reports, so they record what they count.
            case .catalog(.sale), .catalog(.outlet), .catalog(.event), .bulk(.sale), .bulk(.outlet), .bulk(.event), .report:
                return .all
            case .catalog, .reference, .bulk, .match, .calendar, .demandSummary: return operation == .read ? .all : .denied
            case .matchRun: return operation == .read || operation == .create ? .all : .denied
            case .audit, .daemon: return .denied
            }
        case .buyer:
            guard let owner = principal.ownership else { return .denied }
            switch resource {
            case .reference, .catalog(.county), .catalog(.venue), .catalog(.fair), .catalog(.event), .rotation, .livestream, .booth,
                .calendar:
                return operation == .read ? .all : .denied
            case .catalog(.buyer), .catalog(.outlet): return operation == .read ? .owned(owner) : .denied
            // A buyer records its own purchases (one, or a CSV file posted to /v1/sales) and reads its share.
            case .catalog(.demand), .catalog(.sale): return .owned(owner)
            case .report: return operation == .read ? .owned(owner) : .denied
            case .match: return operation == .read || operation == .update ? .owned(owner) : .denied
            case .webhookEndpoint: return .owned(owner)
            case .webhookMessage: return operation == .read || operation == .update ? .owned(owner) : .denied
            // A buyer checks a label on the public notice, and may object to one.
            case .certificationObjection: return operation == .create ? .all : .denied
            // A buyer files complaints and reads those it filed (the store scopes the reading).
            case .complaint: return operation == .read || operation == .create ? .all : .denied
            case .catalog(.supplier), .catalog(.product), .catalog(.host), .bulk, .audit, .matchRun, .fairApplication, .certification,
                .demandSummary, .daemon:
                return .denied
            }
        case .supplier:
            guard let owner = principal.ownership else { return .denied }
            switch resource {
            case .reference, .catalog(.county), .catalog(.venue), .catalog(.fair), .catalog(.event), .rotation, .livestream, .booth,
                .calendar:
                return operation == .read ? .all : .denied
            // Demand in aggregate, to plan capacity with; never who wants it.
            case .demandSummary: return operation == .read ? .all : .denied
            case .catalog(.supplier): return operation == .read ? .owned(owner) : .denied
            case .catalog(.product): return .owned(owner)
            case .match: return operation == .read ? .owned(owner) : .denied
            // A supplier applies for fair booths for itself and sees its own applications.
            case .fairApplication: return operation == .read || operation == .create ? .owned(owner) : .denied
            case .webhookEndpoint: return .owned(owner)
            case .webhookMessage: return operation == .read || operation == .update ? .owned(owner) : .denied
            // A supplier applies for its own products and follows its applications.
            case .certification: return operation == .read || operation == .create ? .owned(owner) : .denied
            case .certificationObjection: return operation == .create ? .all : .denied
            // A supplier files complaints and reads those it filed, never those about itself.
            case .complaint: return operation == .read || operation == .create ? .all : .denied
            case .catalog(.buyer), .catalog(.demand), .catalog(.host), .catalog(.sale), .catalog(.outlet), .bulk, .audit, .matchRun, .report,
                .daemon:
                return .denied
            }
        }
    }
}
