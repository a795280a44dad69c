import Foundation
import Testing
@testable import SecurityDashboard

/// The page's files as compiled into the binary: complete, byte-identical to the sources, typed,
/// small, and free of anything the Content-Security-Policy forbids.
struct DashboardAssetTests {
    static let assetsFolder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/SecurityDashboard/Assets")

    func source(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.assetsFolder.appendingPathComponent(name)))
    }

    @Test func everyFileOfTheAssetsFolderIsServedVerbatim() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.assetsFolder.path).filter { $0 != "README.md" }.sorted()
        #expect(SecurityDashboard.assetNames.sorted() == files)
        for asset in DashboardAssets.all {
            #expect(asset.bytes == (try source(asset.name)), "\(asset.name)")
        }
    }

    @Test func contentTypesAreTheOnesBrowsersRequireForModules() {
        #expect(DashboardAssets.byName["index.html"]?.contentType == "text/html; charset=utf-8")
        #expect(DashboardAssets.byName["dashboard.css"]?.contentType == "text/css; charset=utf-8")
        #expect(DashboardAssets.all.filter { $0.name.hasSuffix(".js") }.allSatisfy { $0.contentType == "text/javascript; charset=utf-8" })
    }

    @Test func etagIsTheFNV1aOfTheBytes() {
        // FNV-1a 64 test vectors: "" and "a".
        #expect(DashboardAsset.fnv1a64([]) == "cbf29ce484222325")
        #expect(DashboardAsset.fnv1a64(Array("a".utf8)) == "af63dc4c8601ec8c")
        let index = DashboardAssets.byName["index.html"]!
        #expect(index.etag == "\"\(DashboardAsset.fnv1a64(index.bytes))\"")
    }

    @Test func wholePageStaysUnderTheFirstLoadBudget() {
        let total = DashboardAssets.all.reduce(0) { $0 + $1.bytes.count }
        #expect(total < 100_000, "the page's files total \(total) bytes; the first load budget is 200 KB including headers")
    }

    /// The modules `import`ed statically by `app.js` and its dependencies are exactly the ones
    /// index.html preloads (fetched in parallel for the login form); every other module is a
    /// view that app.js lists and imports when it is first opened, plus what those import.
    @Test func firstLoadModulesArePreloadedAndViewsAreListed() throws {
        let index = String(decoding: try source("index.html"), as: UTF8.self)
        let app = String(decoding: try source("app.js"), as: UTF8.self)
        let imports = try NSRegularExpression(pattern: #"from '\./([a-z-]+\.js)'"#)
        func staticImports(_ name: String) -> Set<String> {
            let text = String(decoding: DashboardAssets.byName[name]!.bytes, as: UTF8.self)
            return Set(imports.matches(in: text, range: NSRange(text.startIndex..., in: text))
                .map { String(text[Range($0.range(at: 1), in: text)!]) })
        }
        func closure(_ roots: Set<String>) -> Set<String> {
            var seen = roots, pending = Array(roots)
            while let next = pending.popLast() {
                for module in staticImports(next) where !seen.contains(module) {
                    #expect(DashboardAssets.byName[module] != nil, "\(next) imports \(module), which is not served")
                    seen.insert(module)
                    pending.append(module)
                }
            }
            return seen
        }
        let firstLoad = closure(["app.js"]).subtracting(["app.js"])
        #expect(firstLoad == ["api.js", "session.js", "dom.js"])
        let preloads = index.components(separatedBy: "<link rel=\"modulepreload\" href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(Set(preloads) == firstLoad)
        #expect(index.contains("<script type=\"module\" src=\"app.js\"></script>"))

        let views = SecurityDashboard.assetNames.filter { $0.hasPrefix("view-") }
        for view in views {
            let id = view.dropFirst("view-".count).dropLast(".js".count)
            #expect(app.contains("{ id: '\(id)', title: '"), "app.js does not list \(view)")
        }
        let everything = closure(Set(views)).union(closure(["app.js"]))
        #expect(everything == Set(SecurityDashboard.assetNames.filter { $0.hasSuffix(".js") }))
    }

    /// The policy allows no inline script or style, so none may exist.
    @Test func noInlineScriptOrStyle() throws {
        let index = String(decoding: try source("index.html"), as: UTF8.self)
        #expect(!index.contains("<script>") && !index.contains("<style") && !index.contains(" style=") && !index.contains(" onclick="))
        #expect(index.components(separatedBy: "<script").count == 2)
    }
}
