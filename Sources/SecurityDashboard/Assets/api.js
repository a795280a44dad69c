// The only module that talks to the node. Every call is a documented endpoint of the security
// REST API (reference §6) or the audit index search, made as the signed-in user: the page has
// no access of its own.
import { requestInit } from './session.js';

const SECURITY = '/_opendistro/_security';

/** A failed call, carrying the text the API gave as the reason. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Calls the node as the signed-in user (see session.js for certificate versus basic); resolves
 * to the parsed JSON body (or text) of a 2xx answer and rejects with an ApiError whose message
 * is the API's own wording otherwise.
 */
export async function request(method, path, body) {
  const init = { method, ...requestInit() };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    throw new ApiError(0, `The node did not answer (${error.message}).`);
  }
  const text = await response.text();
  let data = text;
  try { data = text ? JSON.parse(text) : null; } catch { /* plain-text answers, e.g. 401 "Unauthorized" */ }
  if (!response.ok) throw new ApiError(response.status, describeError(response, data));
  return data;
}

/**
 * The API's reason, as it states it: `message` of the REST API bodies (§6.3), the validation
 * `reason` with its key lists, `error.reason` of a security_exception (§7), or a plain text.
 */
export function describeError(response, data) {
  const prefix = `${response.status} ${response.statusText}`.trim();
  if (data && typeof data === 'object') {
    if (typeof data.message === 'string') return `${prefix}: ${data.message}`;
    if (typeof data.reason === 'string') {
      const details = Object.entries(data)
        .filter(([key]) => key !== 'status' && key !== 'reason')
        .map(([key, value]) => `${key}: ${value && value.keys !== undefined ? value.keys : JSON.stringify(value)}`);
      return [`${prefix}: ${data.reason}`, ...details].join('; ');
    }
    if (data.error && typeof data.error === 'object' && data.error.reason) return `${prefix}: ${data.error.reason}`;
    if (typeof data.error === 'string') return `${prefix}: ${data.error}`;
    if (Object.keys(data).length === 0) return `${prefix} (the node sent an empty JSON body)`;
    return `${prefix}: ${JSON.stringify(data)}`;
  }
  return data ? `${prefix}: ${data}` : prefix;
}

/**
 * Whether this connection carries a client certificate (`{"principal": DN or null}`), answered
 * by the dashboard route itself: asking authinfo without one would make the browser prompt.
 */
export async function connection() {
  const response = await fetch('connection.json', { credentials: 'same-origin' });
  if (!response.ok) throw new ApiError(response.status, describeError(response, await response.text()));
  return response.json();
}

export const authinfo = () => request('GET', `${SECURITY}/authinfo`);
export const sslinfo = () => request('GET', `${SECURITY}/sslinfo?show_dn=true`);
export const sslCerts = () => request('GET', `${SECURITY}/api/ssl/certs`);

/** GET/PUT/DELETE on one of the security API's configuration types (§6.1). */
export const list = (type) => request('GET', `${SECURITY}/api/${type}/`);
export const put = (type, name, body) => request('PUT', `${SECURITY}/api/${type}/${encodeURIComponent(name)}`, body);
export const remove = (type, name) => request('DELETE', `${SECURITY}/api/${type}/${encodeURIComponent(name)}`);

/**
 * The newest audit events (reference §9), optionally of one category and/or effective user.
 * The audit index gets dynamic mappings (text plus a `.keyword` sub-field), so exact filters
 * go to the keyword fields: a term on the analysed text would look for "failed_login".
 */
export function auditEvents({ category, user, size = 50 }) {
  const filter = [];
  if (category) filter.push({ term: { 'audit_category.keyword': category } });
  if (user) filter.push({ term: { 'audit_request_effective_user.keyword': user } });
  return request('POST', '/security-auditlog-*/_search', {
    size,
    sort: [{ '@timestamp': { order: 'desc' } }],
    query: filter.length ? { bool: { filter } } : { match_all: {} },
  });
}
