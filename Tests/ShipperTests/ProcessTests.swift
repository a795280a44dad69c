import Foundation
import Testing
@testable import Shipper

/// The `beats-shipper` executable as a subprocess (how the end-to-end, kill -9 and benchmark
/// runs drive it): ships, then on SIGTERM finishes, writes the registry and exits 0. Enabled
/// when the executable was built next to the test bundle (`swift build` before `swift test`).
@Suite(.serialized) struct ProcessTests {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("beats-shipper").path

    static func launch(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = errors
        try process.run()
        return (process, errors)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable), "beats-shipper not built next to the tests"))
    func shipsThenExitsZeroOnSIGTERMWithTheRegistryWritten() async throws {
        let node = FakeNode()
        let directory = try TemporaryDirectory()
        try directory.append((1 ... 500).map { "process line \($0)\n" }.joined(), to: "app.log")
        try await node.serve { port in
            let file = directory.path + "/shipper.yml"
            try """
                filebeat.inputs: [{type: filestream, id: t, paths: ["logs/*.log"], prospector.scanner.check_interval: 100ms}]
                output.elasticsearch: {hosts: ["http://127.0.0.1:${TEST_PORT}"], backoff.init: 50ms}
                """.write(toFile: file, atomically: true, encoding: .utf8)
            setenv("TEST_PORT", String(port), 1)
            let (process, output) = try Self.launch(["-c", file, "--path.data", directory.data, "-e"])
            try await eventually { node.documents.count == 500 }
            try directory.append("late line\n", to: "app.log")
            try await eventually { node.documents.count == 501 }
            process.terminate()  // SIGTERM
            process.waitUntilExit()
            let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(log)")
            #expect(log.contains("Attempting to connect to Elasticsearch version 7.10.2"))
            #expect(log.contains("Shipper stopped; registry written"))
        }
        let registry = try Registry(dataPath: directory.data)
        #expect(registry.states.values.first?.offset == UInt64((1 ... 500).reduce(10) { $0 + "process line \($1)\n".utf8.count }))
        #expect(node.documents.count == 501)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable), "beats-shipper not built next to the tests"))
    func badConfigurationExitsOneWithTheReason() throws {
        let directory = try TemporaryDirectory()
        let file = directory.path + "/bad.yml"
        try "filebeat.inputs: [{paths: [a.log]}]\noutput.elasticsearch:\n  hosts: [localhost]\n  timeout: soon\n".write(toFile: file, atomically: true, encoding: .utf8)
        let (process, output) = try Self.launch(["test", "config", "-c", file])
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(text == "Exiting: error loading config file: \(file):4:12: output.elasticsearch.timeout: expected a duration such as 10s, 5m or 1h30m, found \"soon\"\n")
    }

    /// A small rehearsal of issue 7's crash test: kill -9 at random moments while lines are
    /// being written and shipped; after a final run every line is in the node exactly once.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: executable), "beats-shipper not built next to the tests"))
    func killNineRepeatedlyLosesAndDuplicatesNothing() async throws {
        let node = FakeNode()
        let directory = try TemporaryDirectory()
        let total = 20_000
        try await node.serve { port in
            let file = directory.path + "/shipper.yml"
            try """
                filebeat.inputs: [{type: log, paths: ["logs/*.log"], scan_frequency: 100ms}]
                output.elasticsearch: {hosts: ["http://127.0.0.1:\(port)"], bulk_max_size: 300, backoff.init: 50ms}
                """.write(toFile: file, atomically: true, encoding: .utf8)
            var written = 0
            for round in 0 ..< 6 {
                let (process, _) = try Self.launch(["-c", file, "--path.data", directory.data])
                let chunk = round == 5 ? total - written : total / 6
                try directory.append((written ..< written + chunk).map { "crash test line \($0)\n" }.joined(), to: "app.log")
                written += chunk
                if round == 5 {
                    try await eventually(timeout: .seconds(60)) { node.documents.count == total }
                    process.terminate()
                } else {
                    try await Task.sleep(for: .milliseconds(Int64.random(in: 150 ... 600)))
                    kill(process.processIdentifier, SIGKILL)
                }
                process.waitUntilExit()
            }
        }
        let messages = node.messages
        let sent = node.bulkRequests.reduce(0) { $0 + $1.body.split(separator: "\n").count / 2 }
        print("kill -9 rehearsal: \(sent) items sent for \(total) lines (\(sent - total) replays answered 409)")
        #expect(messages.count == total)
        #expect(Set(messages).count == total)
        #expect(Set(messages) == Set((0 ..< total).map { "crash test line \($0)" }))
    }
}
