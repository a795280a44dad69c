import Foundation
import PKI

// Issues the lab's default plan (CA + node + admin + 3 clients, EC P-256) in memory N times and
// prints one markdown table row with the median. Target: under 1 s (issue 2, performance).
// Usage: swift build -c release --product bench-pki && .build/release/bench-pki [N]

let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20 : 20
let clients = ["admin", "CLIENT1", "beats-shipper"]

func issueDefaultPlan() throws {
    let root = try CertificateAuthority.root(subject: try DistinguishedName(parsing: "CN=certlab root CA,OU=lab,O=certlab"))
    _ = try root.issue(CertificateRequest(
        subject: try DistinguishedName(parsing: "CN=search-node,OU=node,O=certlab"), profile: .node,
        dnsNames: ["search-node", "localhost"], ipAddresses: ["127.0.0.1"], registeredID: "1.2.3.4.5.5"))
    for name in clients {
        _ = try root.issue(CertificateRequest(
            subject: try DistinguishedName(parsing: "CN=\(name),OU=lab,O=certlab"), profile: name == "admin" ? .admin : .client))
    }
    _ = try CertificateRevocationList(authority: root, entries: [], number: 1)
}

var samples: [Double] = []
for _ in 0..<iterations {
    let start = DispatchTime.now().uptimeNanoseconds
    try issueDefaultPlan()
    samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
}
samples.sort()
let median = samples.count % 2 == 1 ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
print("| benchmark | iterations | median ms | min ms | max ms | target |")
print("|---|---|---|---|---|---|")
print(String(format: "| pki: default plan (CA + node + 3 clients + CRL, EC P-256) | %d | %.2f | %.2f | %.2f | < 1000 ms |",
             iterations, median, samples.first!, samples.last!))
