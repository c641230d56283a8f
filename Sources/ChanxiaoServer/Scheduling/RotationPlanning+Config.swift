import ChanxiaoConfig
import ChanxiaoStore

extension RotationPlanning {
    /// The rotation settings in force, with matching's slow-moving rule.
    public init(config: ChanxiaoConfig) {
        self.init(settings: config.scheduling.rotation, slowMoving: config.matching.slowMoving.rule)
    }
}
