/// The version of chanxiao, printed by `chanxiao --version` and the server banner.
public enum ChanxiaoVersion {
    public static let current = "0.1.0"
}
