import Foundation
import LabClient
import Testing
@testable import Shipper

@Suite struct ConfigTests {
    let labConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../config/shipper.yml").standardizedFileURL.path

    @Test func labConfigResolvesPathsAgainstItsDirectory() throws {
        let config = try ShipperConfig.load(file: labConfig, environment: [:])
        let root = URL(fileURLWithPath: labConfig).deletingLastPathComponent().deletingLastPathComponent().path
        #expect(config.output.hosts == ["https://127.0.0.1:9200"])
        #expect(config.output.index == "certlab-logs-%{+yyyy.MM.dd}")
        #expect(config.output.bulkMaxSize == 1600)
        let tls = try #require(config.output.tls)
        #expect(tls == ClientTLSOptions(certificateAuthorities: [root + "/certs/root-ca.pem"], certificate: root + "/certs/beats-shipper.pem",
                                        key: root + "/certs/beats-shipper-key.pem", verification: .full, supportedProtocols: ["TLSv1.2", "TLSv1.3"]))
        #expect(config.inputs.count == 1)
        #expect(config.inputs[0].type == .filestream)
        #expect(config.inputs[0].id == "certlab-access-logs")
        #expect(config.inputs[0].paths == [root + "/.lab/logs/*.log"])
        #expect(config.inputs[0].scanFrequency == .seconds(1))
        #expect(config.inputs[0].closeInactive == .seconds(300))
        #expect(config.dataPath == root + "/.lab/data/beats-shipper")
        #expect(config.unknownSettings == [])
    }

    @Test func environmentOverridesHostsAndCertificates() throws {
        let config = try ShipperConfig.load(file: labConfig, environment: ["CERTLAB_NODE_URL": "https://search-node:9200", "CERTLAB_CERTS": "/certs"])
        #expect(config.output.hosts == ["https://search-node:9200"])
        #expect(config.output.tls?.certificate == "/certs/beats-shipper.pem")
    }

    @Test func dottedAndNestedKeysAreTheSameSetting() throws {
        let dotted = try ShipperConfig.parse("""
            filebeat.inputs: [{paths: [a.log]}]
            filebeat.registry.flush: 0s
            output.elasticsearch.hosts: ["node:9201"]
            output.elasticsearch.ssl.verification_mode: certificate
            """, file: "a.yml", baseDirectory: "/etc/shipper")
        let nested = try ShipperConfig.parse("""
            filebeat:
              inputs:
                - paths: [a.log]
              registry: {flush: 0}
            output:
              elasticsearch:
                hosts: ["node:9201"]
                ssl: {verification_mode: certificate}
            """, file: "b.yml", baseDirectory: "/etc/shipper")
        for config in [dotted, nested] {
            #expect(config.output.hosts == ["http://node:9201"])
            #expect(config.output.tls?.verification == .certificate)
            #expect(config.inputs[0].paths == ["/etc/shipper/a.log"])
            #expect(config.registryFlush == .zero)
            #expect(config.unknownSettings == [])
        }
    }

    @Test func unknownKeysAreReportedByFullName() throws {
        let config = try ShipperConfig.parse("""
            filebeat.inputs:
              - type: log
                paths: [/var/log/*.log]
                multiline.pattern: '^\\['
            setup.template.enabled: false
            output.elasticsearch:
              hosts: [localhost]
              compression_level: 1
            """, file: "f.yml", baseDirectory: "/")
        #expect(Set(config.unknownSettings) == ["setup.template.enabled", "output.elasticsearch.compression_level", "filebeat.inputs[0].multiline.pattern"])
    }

    @Test func wrongTypeNamesFileLineAndSetting() {
        #expect(throws: ConfigError(file: "f.yml", line: 4, column: 18, setting: "output.elasticsearch.bulk_max_size",
                                    message: "expected an integer, found \"lots\"")) {
            try ShipperConfig.parse("""
                filebeat.inputs: [{paths: [a.log]}]
                output.elasticsearch:
                  hosts: [localhost]
                  bulk_max_size: lots
                """, file: "f.yml", baseDirectory: "/")
        }
        do {
            _ = try ShipperConfig.parse("filebeat.inputs: [{paths: [a.log]}]\noutput.elasticsearch:\n  hosts: {a: 1}\n", file: "f.yml", baseDirectory: "/")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "f.yml:3:10: output.elasticsearch.hosts: expected a list of strings, found a mapping")
        }
    }

    @Test func unsetVariableWithoutDefaultIsAnError() {
        do {
            _ = try ShipperConfig.parse("output.elasticsearch:\n  hosts: [\"${NODE}\"]\n", file: "f.yml", baseDirectory: "/")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "f.yml:2:11: environment variable NODE is not set and \"${NODE}\" has no default (write ${NODE:default})")
        }
    }

    @Test func environmentExpansionForms() throws {
        let expander = EnvironmentExpander(variables: ["HOST": "n1", "EMPTY": ""])
        #expect(try expander.expand("https://${HOST}:${PORT:9200}") == "https://n1:9200")
        #expect(try expander.expand("${EMPTY:x}") == "")
        #expect(try expander.expand("$${HOST}") == "${HOST}")
        #expect(throws: EnvironmentExpander.Failure.self) { try expander.expand("${HOST") }
    }

    @Test(arguments: [
        ("ssl.certificate: c.pem", "output.elasticsearch.ssl.key: key file not configured (ssl.certificate is set)"),
        ("ssl.key: k.pem", "output.elasticsearch.ssl.certificate: certificate file not configured (ssl.key is set)"),
        ("ssl.verification_mode: partial", "output.elasticsearch.ssl.verification_mode: expected full, strict, certificate or none, found \"partial\""),
        ("ssl.key_passphrase_path: /nonexistent/pass", "output.elasticsearch.ssl.key_passphrase_path: cannot read the passphrase file /nonexistent/pass"),
        ("ssl.ca_trusted_fingerprint: 3b24", "output.elasticsearch.ssl.ca_trusted_fingerprint: expected the hex SHA-256 of a CA certificate (64 hex digits; openssl x509 -fingerprint -sha256 -noout -in ca.crt), found \"3b24\""),
        ("username: elastic", "output.elasticsearch.username: username and password must be set together"),
        ("protocol: ftp", "output.elasticsearch.protocol: expected http or https, found \"ftp\""),
    ])
    func outputSettingErrors(line: String, message: String) {
        do {
            _ = try ShipperConfig.parse("filebeat.inputs: [{paths: [a.log]}]\noutput.elasticsearch:\n  hosts: [localhost]\n  \(line)\n", file: "f.yml", baseDirectory: "/")
            Issue.record("expected an error for \(line)")
        } catch {
            #expect(error.description.hasSuffix(message))
            #expect(error.file == "f.yml" && error.line == 4)
        }
    }

    @Test func hostForms() {
        #expect(HostURL.make("127.0.0.1", defaultScheme: "https", pathPrefix: "/es") == "https://127.0.0.1:9200/es")
        #expect(HostURL.make("http://node:9201/", defaultScheme: "https", pathPrefix: "") == "http://node:9201")
        #expect(HostURL.make("https://node", defaultScheme: "http", pathPrefix: "proxy/") == "https://node:9200/proxy")
        #expect(HostURL.make("ftp://node", defaultScheme: "http", pathPrefix: "") == nil)
    }

    @Test func invalidYAMLAndMissingOutput() {
        do {
            _ = try ShipperConfig.parse("output: [unclosed", file: "f.yml", baseDirectory: "/")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("f.yml: invalid YAML: "))
        }
        #expect(throws: ConfigError(file: "f.yml", setting: "output.elasticsearch",
                                    message: "no output configured; this shipper needs output.elasticsearch with hosts")) {
            try ShipperConfig.parse("filebeat.inputs: []\n", file: "f.yml", baseDirectory: "/")
        }
    }

    @Test func inputOptionsAndDefaults() throws {
        let config = try ShipperConfig.parse("""
            filebeat.inputs:
              - paths: [a.log]
                fields: {env: lab, level: 3}
                fields_under_root: yes
                include_lines: ['^ERR', '^WARN']
                exclude_lines: ['DEBUG']
                ignore_older: 2h
                close_inactive: 1m30s
              - type: filestream
                enabled: false
                paths: [b.log]
            output.elasticsearch.hosts: [localhost]
            name: shipper-1
            tags: [lab]
            """, file: "f.yml", baseDirectory: "/srv")
        let input = config.inputs[0]
        #expect(input.type == .log && input.enabled && input.fieldsUnderRoot)
        #expect(input.fields == ["env": "lab", "level": 3])
        #expect(input.includeLines.map(\.pattern) == ["^ERR", "^WARN"])
        #expect(input.excludeLines[0].matches("a DEBUG line"))
        #expect(input.ignoreOlder == .seconds(7200))
        #expect(input.closeInactive == .seconds(90))
        #expect(input.scanFrequency == .seconds(10))
        #expect(config.inputs[1].enabled == false)
        #expect(config.name == "shipper-1" && config.tags == ["lab"])
        #expect(config.output.tls == nil)
        #expect(config.registryFlush == .seconds(1))
        #expect(config.output.backoffInit == .seconds(1) && config.output.backoffMax == .seconds(60) && config.output.timeout == .seconds(90))
    }

    @Test func durations() {
        #expect(GoDuration.parse("10s") == .seconds(10))
        #expect(GoDuration.parse("1h30m") == .seconds(5400))
        #expect(GoDuration.parse("250ms") == .milliseconds(250))
        #expect(GoDuration.parse("5") == .seconds(5))
        #expect(GoDuration.parse("5 minutes") == nil)
        #expect(GoDuration.parse("") == nil)
    }
}
