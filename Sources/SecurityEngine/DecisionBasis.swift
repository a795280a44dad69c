extension SecurityService {
    /// The installed configuration, as an identity that memos of whole answers can be kept
    /// under (the node's `RepeatedAnswer`): two equal values mean the same installed
    /// configuration object, so every authentication, authorization and audit decision made
    /// for the same request and connection comes out the same.
    ///
    /// Holds the configuration (not its address), so a later configuration can never be taken
    /// for a freed one that happened to sit at the same address.
    public struct DecisionBasis: Equatable, Sendable {
        fileprivate let state: State

        public static func == (lhs: DecisionBasis, rhs: DecisionBasis) -> Bool {
            lhs.state === rhs.state
        }
    }

    /// nil before initialisation. What a basis does not cover are `auth_failure_listeners`
    /// blocks, which start and end with time and with other clients' failures, with no change
    /// to the configuration: ask ``isBlocked(_:)`` before reusing a decision.
    public var decisionBasis: DecisionBasis? {
        currentState().map(DecisionBasis.init)
    }
}
