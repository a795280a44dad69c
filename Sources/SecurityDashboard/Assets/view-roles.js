// Roles (reference §3.2, §4): what each security role allows, with every permission list also
// shown expanded through the action groups, i.e. as the privilege evaluator matches it.
import * as api from './api.js';
import { chips, h, message, show, table } from './dom.js';
import { nameCell, notesCell, sortedEntries } from './entries.js';
import { permissionList } from './permissions.js';

export async function render(container) {
  const [roles, groups] = await Promise.allSettled([api.list('roles'), api.list('actiongroups')]);
  if (roles.status === 'rejected') {
    show(container, message('error', roles.reason.message));
    return;
  }
  const known = groups.status === 'fulfilled' ? groups.value : {};
  const permissions = (names) => permissionList(names, known);
  const indexPermissions = (list) => (list || []).length === 0 ? h('span', { class: 'muted' }, 'none')
    : h('ul', { class: 'plain' }, list.map((entry) => h('li', {},
      h('strong', {}, (entry.index_patterns || []).join(', ')),
      permissions(entry.allowed_actions),
      entry.dls ? h('div', {}, 'DLS: ', h('code', {}, entry.dls)) : null,
      (entry.fls || []).length ? h('div', {}, 'FLS: ', entry.fls.join(', ')) : null,
      (entry.masked_fields || []).length ? h('div', {}, 'masked: ', entry.masked_fields.join(', ')) : null)));
  const tenantPermissions = (list) => chips((list || []).map((entry) =>
    `${(entry.tenant_patterns || []).join(', ')}: ${(entry.allowed_actions || []).join(', ')}`));

  show(container,
    groups.status === 'rejected'
      ? message('error', `Action groups could not be read, so permissions are shown unexpanded: ${groups.reason.message}`)
      : null,
    table('Roles', ['Role', 'Cluster permissions', 'Index permissions', 'Tenant permissions', 'Notes'],
      sortedEntries(roles.value).map(([name, role]) => [
        nameCell(name, role), permissions(role.cluster_permissions), indexPermissions(role.index_permissions),
        tenantPermissions(role.tenant_permissions), notesCell(role),
      ])));
}
