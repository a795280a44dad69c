import Foundation
import Testing
@testable import NodeServer

/// The `/proc` readings behind `_cat/nodes`, on fixed text, and the publish address.
@Suite struct HostResourcesTests {
    @Test func meminfoFieldsAreBytes() {
        let fields = HostResources.meminfo("MemTotal:       24576000 kB\nMemFree:         1000 kB\nMemAvailable:   12288000 kB\nHugePages_Total:       0\n")
        #expect(fields["MemTotal"] == 24_576_000 * 1024)
        #expect(fields["MemAvailable"] == 12_288_000 * 1024)
        #expect(fields["HugePages_Total"] == 0)
        #expect(HostResources.meminfo("VmRSS:\t   48000 kB\n")["VmRSS"] == 48000 * 1024)
        #expect(HostResources.percent(fields["MemTotal"]! - fields["MemAvailable"]!, of: fields["MemTotal"]!) == 50)
    }

    @Test func loadAveragesAreTheFirstThreeFields() {
        #expect(HostResources.loadAverages("0.18 0.33 1.50 2/811 12345\n").map { [$0.0, $0.1, $0.2] } == [0.18, 0.33, 1.5])
        #expect(HostResources.loadAverages("garbage") == nil)
        #expect(HostResources.loadAverages(nil) == nil)
    }

    /// user nice system idle iowait irq softirq steal (guest columns are already in user).
    @Test func cpuTimesCountIdleAndIowaitAsNotBusy() {
        let times = HostResources.cpuTimes("cpu  100 5 50 800 20 3 2 0 7 0\ncpu0 50 2 25 400 10 1 1 0 3 0\n")
        #expect(times?.busy == 160)
        #expect(times?.total == 980)
        #expect(HostResources.cpuTimes("intr 1 2 3\n") == nil)
    }

    @Test func theMachineIsRead() {
        let resources = HostResources.current()
        #expect(resources.ramPercent.map { (0...100).contains($0) } == true)
        #expect(resources.heapPercent.map { (0...100).contains($0) } == true)
        #expect(resources.cpuPercent.map { (0...100).contains($0) } == true)
        #expect(resources.load != nil)
    }

    @Test(arguments: [("127.0.0.1", "127.0.0.1"), ("localhost", "127.0.0.1"), ("_local_", "127.0.0.1"),
                      ("10.1.2.3", "10.1.2.3"), ("search-node.lab", "search-node.lab")])
    func concreteHostsPublishThemselves(host: String, published: String) {
        #expect(PublishAddress.of(networkHost: host) == published)
    }

    /// A wildcard bind publishes an interface address: IPv4, not loopback (or 127.0.0.1 on a
    /// machine that has none).
    @Test func aWildcardBindPublishesAnInterfaceAddress() {
        let published = PublishAddress.of(networkHost: "0.0.0.0")
        let parts = published.split(separator: ".").compactMap { UInt8($0) }
        #expect(parts.count == 4)
        #expect(published == "127.0.0.1" || parts.first != 127)
        #expect(PublishAddress.of(networkHost: "0.0.0.0") == (PublishAddress.firstNonLoopbackIPv4() ?? "127.0.0.1"))
    }
}
