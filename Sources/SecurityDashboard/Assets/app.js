// Start-up and navigation. Credentials kept from earlier in this tab sign in again; else, when
// this connection carries a client certificate (connection.json), authinfo with it is the
// sign-in; otherwise the login form collects basic credentials for the internal users backend.
import * as api from './api.js';
import { h, message, show } from './dom.js';
import { forget, mode, remember, useBasic } from './session.js';

/**
 * The views, in navigation order. Each lives in view-<id>.js and is imported when first opened,
 * so the first load (the login form) fetches only this module, api.js, session.js and dom.js.
 */
const VIEWS = [
  { id: 'whoami', title: 'Who am I' },
  { id: 'rolesmapping', title: 'Role mappings' },
  { id: 'roles', title: 'Roles' },
  { id: 'internalusers', title: 'Internal users' },
  { id: 'actiongroups', title: 'Action groups' },
  { id: 'audit', title: 'Audit events' },
  { id: 'certificates', title: 'Certificates' },
];
const $ = (id) => document.getElementById(id);
let signedInAs = null;

async function start() {
  $('login-form').addEventListener('submit', signIn);
  window.addEventListener('hashchange', route);
  show($('nav-list'), VIEWS.map((view) => h('li', {}, h('a', { href: `#${view.id}`, id: `nav-${view.id}` }, view.title))));
  const stored = mode() === 'basic';
  try {
    if (!stored && (await api.connection()).principal === null) {
      showLogin('This connection carries no client certificate: sign in with an internal user.');
      return;
    }
    enter(await api.authinfo());
  } catch (error) {
    if (stored) forget();
    showLogin(error.status === 401 && stored ? 'The stored credentials were refused; sign in again.' : error.message);
  }
}

function showLogin(reason) {
  signedInAs = null;
  $('loading').hidden = true;
  $('nav').hidden = true;
  $('view').hidden = true;
  $('login').hidden = false;
  show($('identity'));
  $('login-reason').textContent = reason;
  $('login-user').focus();
  markInteractive();
}

async function signIn(event) {
  event.preventDefault();
  const button = event.submitter || $('login-form').querySelector('button');
  button.disabled = true;
  const user = $('login-user').value;
  useBasic(user, $('login-password').value);
  try {
    const info = await api.authinfo();
    // A browser that sends its certificate anyway is authenticated by the clientcert domain
    // first; say so rather than show the certificate's user as if the password had worked.
    if (info.user_name !== user) {
      throw new Error(`The node authenticated this browser as ${info.user_name} (${info.principal || 'another authentication domain'}), `
        + `not as ${user}: its client certificate comes first. Use a browser profile without the certificate.`);
    }
    remember();
    $('login-password').value = '';
    show($('login-message'));
    enter(info);
  } catch (error) {
    forget();
    show($('login-message'), message('error', error.message));
  } finally {
    button.disabled = false;
  }
}

function enter(info) {
  signedInAs = info;
  const basic = mode() === 'basic';
  $('loading').hidden = true;
  $('login').hidden = true;
  $('nav').hidden = false;
  $('view').hidden = false;
  show($('identity'),
    h('span', {}, 'Signed in as ', h('strong', { id: 'identity-user' }, info.user_name),
      basic ? ' (basic credentials)' : ' (client certificate)'),
    h('button', { type: 'button', class: 'link', onclick: signOut }, basic ? 'Sign out' : 'Use an internal user instead'));
  route();
}

/** Basic: forgets the credentials. Certificate: the browser keeps presenting it, but basic
 * sign-in sends requests without it (credentials: 'omit'), so another user can be used. */
function signOut() {
  const basic = mode() === 'basic';
  forget();
  history.replaceState(null, '', location.pathname);
  showLogin(basic ? 'Signed out.' : 'Sign in with an internal user; requests will be sent without the certificate.');
}

async function route() {
  if (!signedInAs) return;
  const view = VIEWS.find((candidate) => `#${candidate.id}` === location.hash) || VIEWS[0];
  for (const candidate of VIEWS) {
    const link = $(`nav-${candidate.id}`);
    if (candidate === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const container = $('view');
  const heading = h('h2', { tabindex: '-1', id: 'view-title' }, view.title);
  const body = h('div', { class: 'view-body' }, h('p', { class: 'muted' }, 'Loading…'));
  show(container, heading, body);
  container.dataset.view = view.id;
  container.dataset.ready = 'false';
  if (document.activeElement && document.activeElement.closest('nav')) heading.focus();
  try {
    const { render } = await import(`./view-${view.id}.js`);
    await render(body);
  } catch (error) {
    show(body, message('error', `This view could not be loaded: ${error.message}`));
  }
  if (container.dataset.view === view.id) container.dataset.ready = 'true';
  markInteractive();
}

/** The first moment the user can act (form or view shown): the test reads this mark. */
function markInteractive() {
  if (performance.getEntriesByName('dashboard-interactive').length === 0) performance.mark('dashboard-interactive');
}

start();
