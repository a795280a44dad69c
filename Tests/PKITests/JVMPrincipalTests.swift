import Foundation
import PKI
import Testing

/// Cross-check against a real JVM when one is installed: the plugin's `DefaultPrincipalExtractor`
/// steps (reference §1.6) run by `java` on the same certificates must print exactly our principal.
struct JVMPrincipalTests {
    static let java = ["/usr/bin/java", "/usr/local/bin/java"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// X500Principal.toString() → LdapName → reversed RDNs → Rdn.toString() joined by ",".
    static let extractor = """
        import java.io.FileInputStream;
        import java.security.cert.CertificateFactory;
        import java.security.cert.X509Certificate;
        import java.util.*;
        import javax.naming.ldap.*;
        public class Principal {
            public static void main(String[] args) throws Exception {
                CertificateFactory factory = CertificateFactory.getInstance("X.509");
                for (String path : args) {
                    X509Certificate cert = (X509Certificate) factory.generateCertificate(new FileInputStream(path));
                    List<Rdn> rdns = new ArrayList<>(new LdapName(cert.getSubjectX500Principal().toString()).getRdns());
                    Collections.reverse(rdns);
                    StringJoiner joined = new StringJoiner(",");
                    for (Rdn rdn : rdns) joined.add(rdn.toString());
                    System.out.println(joined);
                }
            }
        }
        """

    /// JDK quirks beyond the openssl comparison: blanks at the ends, a value wrapped in quotes,
    /// double inner blanks, and the keywords of the less common name attributes.
    static let quirkSubjects = [
        "/CN= lead and trail ", #"/CN="quoted""#, "/CN=two  spaces", "/GN=Jim/SN=Kirk/initials=JTK/CN=g",
        "/dnQualifier=q1/generationQualifier=III/CN=d",
    ]

    @Test(.enabled(if: java != nil, "skipped: no java executable to cross-check the principal with"))
    func principalEqualsTheJVMRendering() throws {
        try withTemporaryDirectory { (directory: URL) throws in
            let subjects = PrincipalRenderingTests.cases.map { ($0.subj, $0.multiValued) } + Self.quirkSubjects.map { ($0, false) }
            let files = try subjects.map { try OpenSSL.selfSigned(subject: $0.0, multiValued: $0.1, in: directory) }
            let source = directory.appendingPathComponent("Principal.java")
            try Self.extractor.write(to: source, atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.java))
            process.arguments = [source.path] + files.map(\.path)
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let jvm = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
            let ours = try files.map { try #require(try PEMFile.readCertificates(at: $0.path).first).principal }
            #expect(jvm == ours)
            #expect(Array(ours.suffix(5)) == [
                #"CN=\ lead and trail"#, "CN=quoted", "CN=two  spaces", "CN=g,INITIALS=JTK,SURNAME=Kirk,GIVENNAME=Jim", "CN=d,GENERATION=III,DNQ=q1",
            ])
        }
    }
}
