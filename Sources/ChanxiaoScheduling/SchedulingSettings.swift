import ChanxiaoCore

/// What shapes schedules: the weights of the soft preferences and the switches of the hard
/// rules that the seeds leave to each jurisdiction. Read from the `scheduling` config section.
public struct SchedulingSettings: Sendable, Equatable {
    public struct Rotation: Sendable, Equatable {
        /// Counties that may be featured when a request names none.
        public var eligibleStatuses: Set<PovertyStatus> = [.national, .provincial, .deep]
        /// Reward, per slot, for a deep-poverty county; scaled by how early its week is.
        public var deepPovertyWeight = 3.0
        /// Reward, per slot, for a county paired with the venue's region; scaled by how early.
        public var pairedWeight = 2.0
        /// Penalty for each two consecutive weeks featuring the same category.
        public var categoryRepeatWeight = 5.0
        /// Reward for featuring a slow-moving product.
        public var slowMovingWeight = 1.0
        /// Reward for keeping a published week's county where it is when re-planning.
        public var keepPublishedWeight = 4.0
        /// Improvement passes of the local search for the sequence terms.
        public var searchPasses = 50

        public init() {}
    }

    public struct Livestreams: Sendable, Equatable {
        /// Paid livestreaming is forbidden (不搞有偿直播带货, seed 001 §七(五)); a jurisdiction
        /// without that rule may allow fees.
        public var allowPaid = false
        /// Evening prime time, in local minutes.
        public var primeTime: [Range<Int>] = [(19 * 60)..<(22 * 60)]
        /// Reward for a session inside prime time (in proportion to the part inside).
        public var primeTimeWeight = 2.0
        /// Penalty for each two sessions of one featured week on the same day.
        public var sameDayWeight = 3.0
        /// Penalty for uneven load: per session, times the host's sessions before it in the plan.
        public var hostLoadWeight = 1.0
        /// Planned sessions start on this grid of minutes after midnight.
        public var startStepMinutes = 30
        /// Longest session accepted.
        public var maxDurationMinutes = 360

        public init() {}
    }

    public struct Fairs: Sendable, Equatable {
        /// Priority points of a deep-poverty applicant.
        public var deepPovertyPriority = 2
        /// Priority points of an applicant paired with the fair venue's region.
        public var pairedPriority = 1
        /// For fairs created without `min_poverty_share` (seed 001 §四(七): 不少于30%).
        public var defaultMinPovertyShare = 0.3
        /// For fairs created without `max_booths_per_applicant` (seed 004 §三(七): 每镇2个标准展位).
        public var defaultMaxBoothsPerApplicant = 2

        public init() {}
    }

    public var rotation = Rotation()
    public var livestreams = Livestreams()
    public var fairs = Fairs()

    public init() {}
}

/// Soft-constraint points are kept as integers in thousandths, so that plans compare exactly.
enum Points {
    static func of(_ weight: Double) -> Int64 { Int64((weight * 1000).rounded()) }
    static func value(_ points: Int64) -> Double { Double(points) / 1000 }
}
