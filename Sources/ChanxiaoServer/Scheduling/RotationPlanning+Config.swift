import ChanxiaoConfig
import ChanxiaoStore

extension RotationPlanning {
    /// The rotation settings in force, with matching's slow-moving rule.
    public init(config: ChanxiaoConfig) {
        let slow = config.matching.slowMoving
        self.init(settings: config.scheduling.rotation, recentWeeks: slow.weeks) { product, volume, weeks in
            slow.isSlowMoving(weeklyCapacity: product.weeklyCapacity, recentVolume: volume, observedWeeks: weeks)
        }
    }
}
