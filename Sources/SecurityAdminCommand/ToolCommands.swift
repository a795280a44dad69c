import ArgumentParser
import Foundation
import SecurityAdmin

/// `hash`: the plugin's `hash.sh -p PASSWORD` (bcrypt, cost 12, reference §8).
struct Hash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print a bcrypt hash (cost 12) for internal_users.yml.")
    @Option(name: [.short, .long], help: "The password; read from standard input when omitted.")
    var password: String?

    func run() async throws {
        guard let text = password ?? readLine(strippingNewline: true), !text.isEmpty else {
            Console.line("ERR: no password given (use -p PASSWORD or pipe it on standard input)")
            throw ExitCode(1)
        }
        Console.line(SecurityAdminTool.hash(text))
    }
}

/// `map-role ROLE --user U --backend-role R --host H`: one REST API call.
struct MapRole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "map-role", abstract: "Replace the mapping of a security role (REST API rolesmapping).")
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Security role name.") var role: String
    @Option(help: "User name (repeatable).") var user: [String] = []
    @Option(name: .customLong("backend-role"), help: "Backend role (repeatable).") var backendRole: [String] = []
    @Option(help: "Host pattern (repeatable).") var host: [String] = []

    func run() async throws {
        do throws(AdminError) {
            Console.line(try await SecurityAdminTool(output: Console.line).mapRole(role, users: user, backendRoles: backendRole, hosts: host, target: connection.target))
        } catch {
            throw error.exit()
        }
    }
}

/// `whoami`: the node's authinfo for a certificate (which DN the node saw, which roles).
struct WhoAmI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show how the node sees a certificate (authinfo).")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        do throws(AdminError) {
            Console.line(try await SecurityAdminTool(output: Console.line).whoami(target: connection.target).prettySerialized())
        } catch {
            throw error.exit()
        }
    }
}
