import Foundation
import Synchronization
import Testing
@testable import Shipper

/// `beats-shipper test output` against the fake node (plain HTTP) and against nothing.
@Suite(.serialized) struct OutputProbeTests {
    @Test func printsEachStepAndTheNodeVersion() async throws {
        let node = FakeNode()
        let directory = try TemporaryDirectory()
        let lines = Mutex<[String]>([])
        let passed = try await node.serve { port in
            let config = try testConfig(port: port, directory: directory)
            return await OutputProbe.run(config.output) { line in lines.withLock { $0.append(line) } }
        }
        #expect(passed)
        let printed = lines.withLock { $0 }
        #expect(printed.count == 10)
        #expect(printed.first?.hasPrefix("elasticsearch: http://127.0.0.1:") == true)
        #expect(Array(printed.dropFirst()) == [
            "  parse url... OK", "  connection...", "    parse host... OK", "    dns lookup... OK", "    addresses: 127.0.0.1",
            "    dial up... OK", "  talk to server... OK", "  version: 7.10.2", "  authentication: unknown (no authinfo endpoint)",
        ])
    }

    @Test func reportsARefusedConnectionAtTheDialStep() async throws {
        let directory = try TemporaryDirectory()
        let lines = Mutex<[String]>([])
        let config = try testConfig(port: 1, directory: directory)
        let passed = await OutputProbe.run(config.output) { line in lines.withLock { $0.append(line) } }
        #expect(!passed)
        #expect(lines.withLock { $0.last } == "    dial up... ERROR dial tcp 127.0.0.1:1: Connection refused")
    }
}
