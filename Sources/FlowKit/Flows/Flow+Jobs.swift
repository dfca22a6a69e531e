extension Flow {
    /// The same flow with every ``ContinuousFlowMap`` of its chain solving on at most `jobs`
    /// threads (``ContinuousFlowMap/solving(jobs:)``); every value is unchanged. Other maps
    /// run on the calling thread anyway.
    public func solving(jobs: Int) -> Flow {
        guard chain.maps.contains(where: { $0 is ContinuousFlowMap }) else { return self }
        let maps: [any Bijection] = chain.maps.map { map in (map as? ContinuousFlowMap)?.solving(jobs: jobs) ?? map }
        guard let capped = try? TransformChain(maps: maps, dimension: chain.pointDimension),
              let flow = try? Flow(base: base, chain: capped) else { return self }
        return flow
    }
}
