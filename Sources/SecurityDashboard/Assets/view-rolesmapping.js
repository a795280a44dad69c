// Role mappings (reference §3.3, §6.1): who gets which security role. The seed's "map CLIENT1
// to readall" is: Role mappings → Edit on readall (or type the role) → add CLIENT1 → Save.
import * as api from './api.js';
import { chips, h, lines, listField, message, show, table } from './dom.js';
import { actionsCell, nameCell, sortedEntries } from './entries.js';

export async function render(container) {
  const status = h('div', { id: 'mapping-status' });
  const list = h('div', { id: 'mapping-list' });
  const [mappings, roles] = await Promise.allSettled([api.list('rolesmapping'), api.list('roles')]);
  let current = mappings.status === 'fulfilled' ? mappings.value : {};
  const roleNames = roles.status === 'fulfilled' ? Object.keys(roles.value).sort() : [];

  const form = h('form', { class: 'form', id: 'mapping-form' },
    h('div', { class: 'field' },
      h('label', { for: 'mapping-role' }, 'Role'),
      h('input', { id: 'mapping-role', name: 'role', list: 'mapping-roles', required: true, autocomplete: 'off' }),
      h('datalist', { id: 'mapping-roles' }, roleNames.map((name) => h('option', { value: name })))),
    listField('mapping-users', 'Users'),
    listField('mapping-backend-roles', 'Backend roles'),
    listField('mapping-hosts', 'Hosts'),
    h('button', { type: 'submit' }, 'Save mapping'));
  const input = (id) => form.querySelector(`#${id}`);

  const fill = (name) => {
    const entry = current[name] || {};
    input('mapping-role').value = name;
    input('mapping-users').value = (entry.users || []).join('\n');
    input('mapping-backend-roles').value = (entry.backend_roles || []).join('\n');
    input('mapping-hosts').value = (entry.hosts || []).join('\n');
  };
  input('mapping-role').addEventListener('change', (event) => {
    if (current[event.target.value]) fill(event.target.value);
  });

  const reload = async () => {
    try {
      current = await api.list('rolesmapping');
      renderList();
    } catch (error) {
      show(list, message('error', error.message));
    }
  };
  const renderList = () => show(list, table('Role mappings', ['Role', 'Users', 'Backend roles', 'Hosts', 'Description', 'Actions'],
    sortedEntries(current).map(([name, entry]) => [
      nameCell(name, entry), chips(entry.users), chips(entry.backend_roles), chips(entry.hosts), entry.description || '',
      actionsCell(entry, [
        h('button', { type: 'button', 'aria-label': `Edit mapping ${name}`, onclick: () => { fill(name); input('mapping-users').focus(); } }, 'Edit'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete mapping ${name}`, onclick: () => removeMapping(name) }, 'Delete'),
      ]),
    ])));

  const removeMapping = async (name) => {
    if (!window.confirm(`Delete the role mapping of ${name}?`)) return;
    try {
      const answer = await api.remove('rolesmapping', name);
      show(status, message('ok', answer.message));
      await reload();
    } catch (error) {
      show(status, message('error', error.message));
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = input('mapping-role').value.trim();
    // PUT replaces the entry: keep the fields this form does not edit.
    const { description, and_backend_roles: andBackendRoles } = current[name] || {};
    const body = {
      users: lines(input('mapping-users').value),
      backend_roles: lines(input('mapping-backend-roles').value),
      hosts: lines(input('mapping-hosts').value),
    };
    if (andBackendRoles && andBackendRoles.length) body.and_backend_roles = andBackendRoles;
    if (description) body.description = description;
    try {
      const answer = await api.put('rolesmapping', name, body);
      show(status, message('ok', answer.message));
      await reload();
    } catch (error) {
      show(status, message('error', error.message));
    }
  });

  show(container,
    h('h3', {}, 'Map users, backend roles or hosts to a role'),
    form, status,
    mappings.status === 'fulfilled' ? null : message('error', mappings.reason.message),
    list);
  if (mappings.status === 'fulfilled') renderList();
}
