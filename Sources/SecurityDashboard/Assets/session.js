// Who is signed in, and so how each request must be sent.
//
// Certificate: the browser proves the identity on the TLS connection, so requests go with
// `credentials: 'same-origin'` (which is what lets the browser present its certificate) and the
// page holds nothing. Basic: the credentials live in memory and in sessionStorage (gone when the
// tab closes) and go in the Authorization header of requests made with `credentials: 'omit'`.
// Omitting credentials is what stops a wrong password's 401 challenge from opening the browser's
// own password dialog (Fetch standard: only requests that include credentials prompt).
const KEY = 'certlab.dashboard.authorization';

let authorization = sessionStorage.getItem(KEY);

/** 'basic' when credentials are set (or stored from earlier in this tab), else 'certificate'. */
export function mode() {
  return authorization ? 'basic' : 'certificate';
}

/** The fetch options every API call starts from. */
export function requestInit() {
  return authorization
    ? { credentials: 'omit', headers: { Authorization: authorization } }
    : { credentials: 'same-origin', headers: {} };
}

/** Uses these basic credentials for the next calls (kept only once `remember` is called). */
export function useBasic(user, password) {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  authorization = `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** Keeps the credentials for reloads of this tab after they were accepted. */
export function remember() {
  if (authorization) sessionStorage.setItem(KEY, authorization);
}

export function forget() {
  authorization = null;
  sessionStorage.removeItem(KEY);
}
