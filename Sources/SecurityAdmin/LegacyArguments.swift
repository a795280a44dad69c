/// securityadmin's single-dash command line (reference §8), parsed as people type it:
/// `-cd DIR`, `-f FILE -t TYPE`, `-cacert`, `-cert`, `-key`, `-keypass`, `-h`, `-p`, `-cn`,
/// `-nhnv`, `-icl`, `-r`, `-backup DIR`, `-vc [6|7]`, `-dg`, `-rl`, `-w`, and their long forms.
/// ArgumentParser cannot express single-dash long names, hence this small parser.
public struct LegacyArguments: Sendable, Equatable {
    public var configDirectory: String?
    public var file: String?
    public var type: String?
    public var host = "localhost"
    public var port = 9200
    public var clusterName: String?
    public var ignoreClusterName = false
    public var cacert: String?
    public var cert: String?
    public var key: String?
    public var keyPassword: String?
    public var noHostnameVerification = false
    public var retrieve = false
    public var backup: String?
    /// `-vc` given; the value is the config version (7 unless `-vc 6`).
    public var validateVersion: Int?
    public var diagnose = false
    public var reload = false
    public var whoami = false

    private enum Flag: CaseIterable {
        case configDirectory, file, type, host, port, clusterName, ignoreClusterName, cacert, cert, key, keyPassword
        case noHostnameVerification, retrieve, backup, validate, diagnose, reload, whoami

        var names: [String] {
            switch self {
            case .configDirectory: return ["-cd", "--configdir"]
            case .file: return ["-f", "--file"]
            case .type: return ["-t", "--type"]
            case .host: return ["-h", "--hostname"]
            case .port: return ["-p", "--port"]
            case .clusterName: return ["-cn", "--clustername"]
            case .ignoreClusterName: return ["-icl", "--ignore-clustername"]
            case .cacert: return ["-cacert"]
            case .cert: return ["-cert"]
            case .key: return ["-key"]
            case .keyPassword: return ["-keypass"]
            case .noHostnameVerification: return ["-nhnv", "--disable-host-name-verification"]
            case .retrieve: return ["-r", "--retrieve"]
            case .backup: return ["-backup"]
            case .validate: return ["-vc", "--validate-configs"]
            case .diagnose: return ["-dg", "--diagnose"]
            case .reload: return ["-rl", "--reload"]
            case .whoami: return ["-w", "--whoami"]
            }
        }

        var takesValue: Bool {
            switch self {
            case .configDirectory, .file, .type, .host, .port, .clusterName, .cacert, .cert, .key, .keyPassword, .backup: return true
            default: return false
            }
        }
    }

    /// The accepted flags, for the error about an unknown one.
    public static var supportedFlags: String {
        Flag.allCases.map { flag in
            flag.names.joined(separator: "/") + (flag == .validate ? " [6|7]" : flag.takesValue ? " <value>" : "")
        }.joined(separator: ", ")
    }

    public init() {}

    /// Parses `arguments` (without the program name).
    public init(parsing arguments: [String]) throws(AdminError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard let flag = Flag.allCases.first(where: { $0.names.contains(argument) }) else {
                throw .usage("Unrecognized option: \(argument)\nSupported options: \(LegacyArguments.supportedFlags)")
            }
            if flag == .validate {
                validateVersion = 7
                if index < arguments.count, let version = Int(arguments[index]) {
                    validateVersion = version
                    index += 1
                }
                continue
            }
            var value = ""
            if flag.takesValue {
                guard index < arguments.count else { throw .usage("Missing argument for option: \(argument)") }
                value = arguments[index]
                index += 1
            }
            switch flag {
            case .configDirectory: configDirectory = value
            case .file: file = value
            case .type: type = value
            case .host: host = value
            case .port:
                guard let number = Int(value), (0...65_535).contains(number) else { throw .usage("-p expects a port number, found '\(value)'") }
                port = number
            case .clusterName: clusterName = value
            case .ignoreClusterName: ignoreClusterName = true
            case .cacert: cacert = value
            case .cert: cert = value
            case .key: key = value
            case .keyPassword: keyPassword = value
            case .noHostnameVerification: noHostnameVerification = true
            case .retrieve: retrieve = true
            case .backup: backup = value
            case .validate: break
            case .diagnose: diagnose = true
            case .reload: reload = true
            case .whoami: whoami = true
            }
        }
        if file != nil, type == nil { throw .usage("-f requires -t <type> (config, roles, rolesmapping, internalusers, actiongroups, tenants, nodesdn, whitelist, allowlist, audit)") }
        if type != nil, file == nil { throw .usage("-t requires -f <file>") }
        if file != nil, configDirectory != nil, !retrieve { throw .usage("use either -cd or -f/-t, not both") }
        let actions = [configDirectory != nil || file != nil, retrieve, backup != nil, reload, whoami, diagnose]
        if !actions.contains(true) {
            throw .usage("nothing to do: give -cd DIR, -f FILE -t TYPE, -r, -backup DIR, -rl, -w or -dg\nSupported options: \(LegacyArguments.supportedFlags)")
        }
    }
}
