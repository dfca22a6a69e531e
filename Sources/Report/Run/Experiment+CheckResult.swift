extension Experiment {
    /// The result of check `name` for a measured `value`, judged against the spec's limit, or
    /// nil when the spec turned the check off (or it does not apply).
    func checkResult(_ name: CheckName, value: Double, summary: String) -> CheckResult? {
        let setting = check(name)
        guard setting.enabled else { return nil }
        return CheckResult(name: name.rawValue, value: value, limit: setting.limit,
                           passed: name.passes(value: value, limit: setting.limit), summary: summary)
    }
}
