// bench-security: authorization-decision latency with a 50-role configuration full of wildcard
// patterns (issue 4 target: p50 ≤ 5 µs), plus `hash <password>` to print a cost-12 bcrypt hash
// as the plugin's hash.sh does (reference §2.5, §8).
//
//   swift run -c release bench-security            # benchmark
//   swift run -c release bench-security hash PW    # bcrypt hash for internal_users.yml
import Foundation
import SecurityEngine

let arguments = CommandLine.arguments
if arguments.count == 3, arguments[1] == "hash" {
    print(SecurityEngineTools.bcryptHash(arguments[2]))
    exit(0)
}

/// 50 roles: each has cluster permissions with action groups and globs, and three index
/// permissions with glob, regex and placeholder patterns; mappings by backend role.
func benchmarkConfiguration() throws -> SecurityConfiguration {
    var roles = "_meta: {type: roles, config_version: 2}\n"
    var mappings = "_meta: {type: rolesmapping, config_version: 2}\n"
    for index in 0..<50 {
        roles += """
        role_\(index):
          cluster_permissions: ["cluster_monitor", "cluster_composite_ops_ro", "cluster:admin/app\(index)/*"]
          index_permissions:
            - index_patterns: ["logs-\(index)-*", "metrics-\(index)-????.??"]
              allowed_actions: ["read", "indices:admin/mappings/get"]
            - index_patterns: ["/team\(index)-(dev|prod)-[0-9]+/"]
              allowed_actions: ["crud", "create_index"]
            - index_patterns: ["${user.name}-\(index)-*"]
              allowed_actions: ["indices_all"]

        """
        mappings += "role_\(index):\n  backend_roles: [\"team\(index)\", \"group\(index % 7)\"]\n"
    }
    func document(_ yaml: String, _ file: String) throws -> SourceDocument { try SourceDocument(yaml: yaml, file: file) }
    return try SecurityConfiguration(documents: [
        .config: try document("_meta: {type: config, config_version: 2}\nconfig: {dynamic: {}}\n", "config.yml"),
        .internalusers: try document("_meta: {type: internalusers, config_version: 2}\n", "internal_users.yml"),
        .actiongroups: try document("_meta: {type: actiongroups, config_version: 2}\n", "action_groups.yml"),
        .tenants: try document("_meta: {type: tenants, config_version: 2}\n", "tenants.yml"),
        .roles: try document(roles, "roles.yml"),
        .rolesmapping: try document(mappings, "roles_mapping.yml"),
    ], flavor: .openDistro)
}

let service = SecurityService(settings: NodeSettings(flavor: .openDistro), configuration: try benchmarkConfiguration())
let users = (0..<20).map { number in
    User(name: "user\(number)", backendRoles: ["team\(number)", "team\(number + 20)", "group\(number % 7)"])
}
let cases: [(String, [String])] = [
    ("indices:data/read/search", ["logs-3-2026.11.29"]),
    ("indices:data/write/index", ["team5-prod-42"]),
    ("indices:data/read/get", ["metrics-12-2026.11"]),
    ("cluster:monitor/health", []),
    ("indices:admin/delete", ["logs-3-2026.11.29"]),
    ("indices:data/read/search", ["user7-7-private"]),
    ("cluster:admin/app9/run", []),
    ("indices:data/read/search", ["unrelated-index"]),
]

// Warm-up: fills the per-user cache, as a running node would after the first request per user.
var allowedCount = 0
for user in users { for (action, indices) in cases where service.authorize(user, action: action, indices: indices).isAllowed { allowedCount += 1 } }

let iterations = 200_000
var samples = [UInt64](repeating: 0, count: iterations)
for iteration in 0..<iterations {
    let user = users[iteration % users.count]
    let (action, indices) = cases[iteration % cases.count]
    let start = DispatchTime.now().uptimeNanoseconds
    let decision = service.authorize(user, action: action, indices: indices)
    samples[iteration] = DispatchTime.now().uptimeNanoseconds - start
    if decision.isAllowed { allowedCount &+= 1 }
}
samples.sort()
let sorted = samples
func percentile(_ p: Double) -> Double { Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000 }
let target = 5.0
print("| benchmark | decisions | p50 µs | p90 µs | p99 µs | target |")
print("|---|---|---|---|---|---|")
print(String(format: "| security: authorization decision, 50 roles with wildcard/regex/placeholder patterns, %d users (%d allowed) | %d | %.2f | %.2f | %.2f | p50 ≤ %.1f µs |",
             users.count, allowedCount, iterations, percentile(0.5), percentile(0.9), percentile(0.99), target))
print("")
print(percentile(0.5) <= target ? "PASS: p50 ≤ \(target) µs" : "FAIL: p50 > \(target) µs")
