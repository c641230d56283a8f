/// How an endpoint wants events: Standard Webhooks JSON, or a chat robot's markdown message.
public enum WebhookFormat: String, Sendable, CaseIterable, Codable {
    /// The event payload as is, signed by the Standard Webhooks specification.
    case standard
    /// 企业微信 (WeCom) group robot: markdown; the key in the URL is the credential.
    case wecom
    /// 钉钉 (DingTalk) custom robot: markdown, signed with `timestamp` and `sign` in the query.
    case dingtalk
    /// 飞书 (Feishu) custom bot: a card with markdown, signed with `timestamp` and `sign` in the body.
    case feishu

    /// Robots get short Chinese summaries; several pending events merge into one digest.
    public var isRobot: Bool { self != .standard }
}
