import Foundation

/// What every certlab fuzz target shares: how an input arrives and how a broken invariant is
/// reported. libFuzzer treats a trap as a crash and saves the input, so a violated property
/// (not only a memory error or a Swift runtime trap) becomes a reproducible artifact.

/// The input bytes libFuzzer hands to `LLVMFuzzerTestOneInput`.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the process with `message` when a property of the parser does not hold.
public func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                      file: StaticString = #fileID, line: UInt = #line) {
    if !condition() {
        FileHandle.standardError.write(Data("fuzz property violated: \(message())\n".utf8))
        fatalError("fuzz property violated", file: file, line: line)
    }
}

/// The repository root (for fixtures such as config/security), from `CERTLAB_ROOT` or the
/// location of this source file (Tests/Fuzz/Targets/FuzzSupport/).
public let repositoryRoot: URL = {
    if let root = ProcessInfo.processInfo.environment["CERTLAB_ROOT"] { return URL(fileURLWithPath: root) }
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<5 { url.deleteLastPathComponent() }
    return url
}()
