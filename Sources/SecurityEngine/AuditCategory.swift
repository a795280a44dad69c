/// Audit categories (reference §9, `AuditCategory` of ODFE/OS-2.19).
public enum AuditCategory: String, Sendable, CaseIterable, Hashable {
    case badHeaders = "BAD_HEADERS"
    case failedLogin = "FAILED_LOGIN"
    case missingPrivileges = "MISSING_PRIVILEGES"
    case grantedPrivileges = "GRANTED_PRIVILEGES"
    case securityIndexAttempt = "OPENDISTRO_SECURITY_INDEX_ATTEMPT"
    case sslException = "SSL_EXCEPTION"
    case authenticated = "AUTHENTICATED"
    case indexEvent = "INDEX_EVENT"
    case complianceDocRead = "COMPLIANCE_DOC_READ"
    case complianceDocWrite = "COMPLIANCE_DOC_WRITE"
    case complianceExternalConfig = "COMPLIANCE_EXTERNAL_CONFIG"
    case complianceInternalConfigRead = "COMPLIANCE_INTERNAL_CONFIG_READ"
    case complianceInternalConfigWrite = "COMPLIANCE_INTERNAL_CONFIG_WRITE"
}
