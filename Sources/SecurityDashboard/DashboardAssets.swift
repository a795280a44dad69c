/// The page's files. Each is listed as an `embedInCode` resource in Package.swift as well; a file
/// added there but not here is never served, and `DashboardAssetTests` checks both lists agree
/// with the Assets folder.
enum DashboardAssets {
    static let all: [DashboardAsset] = [
        DashboardAsset("index.html", PackageResources.index_html),
        DashboardAsset("dashboard.css", PackageResources.dashboard_css),
        DashboardAsset("app.js", PackageResources.app_js),
        DashboardAsset("api.js", PackageResources.api_js),
        DashboardAsset("session.js", PackageResources.session_js),
        DashboardAsset("dom.js", PackageResources.dom_js),
        DashboardAsset("entries.js", PackageResources.entries_js),
        DashboardAsset("permissions.js", PackageResources.permissions_js),
        DashboardAsset("view-whoami.js", PackageResources.view_whoami_js),
        DashboardAsset("view-roles.js", PackageResources.view_roles_js),
        DashboardAsset("view-rolesmapping.js", PackageResources.view_rolesmapping_js),
        DashboardAsset("view-internalusers.js", PackageResources.view_internalusers_js),
        DashboardAsset("view-actiongroups.js", PackageResources.view_actiongroups_js),
        DashboardAsset("view-audit.js", PackageResources.view_audit_js),
        DashboardAsset("view-certificates.js", PackageResources.view_certificates_js),
    ]

    static let byName: [String: DashboardAsset] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
