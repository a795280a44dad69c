// Who am I: authinfo (reference §6.4) — the user the node authenticated, its backend roles,
// the security roles the role mappings gave it, and the client certificate's principal DN.
import * as api from './api.js';
import { chips, h, message, show, table } from './dom.js';

export async function render(container) {
  let info;
  try {
    info = await api.authinfo();
  } catch (error) {
    show(container, message('error', error.message));
    return;
  }
  const certificate = info.principal
    ? h('code', {}, info.principal)
    : h('span', { class: 'muted' }, 'none — this connection presented no client certificate');
  show(container,
    table('authinfo', ['Field', 'Value'], [
      ['User', h('code', {}, info.user_name)],
      ['Backend roles', chips(info.backend_roles)],
      ['Mapped security roles', chips(info.roles)],
      ['Certificate principal (DN)', certificate],
      ['Peer certificates', info.peer_certificates],
      ['Remote address', info.remote_address],
      ['Tenants', chips(Object.keys(info.tenants || {}))],
      ['User (as the plugin prints it)', h('code', {}, info.user)],
    ]),
    h('p', { class: 'muted' },
      'Mapped roles come from role mappings: map the user name, a backend role or a host to a role under ',
      h('a', { href: '#rolesmapping' }, 'Role mappings'), '.'));
}
