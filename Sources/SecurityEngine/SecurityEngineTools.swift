/// Small helpers for the lab's tools (the node's setup, benchmarks, walkthroughs).
public enum SecurityEngineTools {
    /// A new bcrypt hash at cost 12, as the plugin's `hash.sh` and REST API produce (reference §2.5).
    public static func bcryptHash(_ password: String) -> String {
        PasswordVerifier.hash(password)
    }

    /// Verifies a password against a `$2a$`/`$2b$`/`$2y$` hash (uncached).
    public static func bcryptVerify(_ password: String, hash: String) -> Bool {
        PasswordVerifier.bcryptMatches(password, hash: hash)
    }
}
