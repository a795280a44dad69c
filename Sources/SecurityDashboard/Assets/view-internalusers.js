// Internal users (reference §3.1, §6.1): the users of the basic/internal backend. The API
// never returns password hashes (they come back as ""), and a new user needs a password,
// which the node hashes with bcrypt before storing it.
import * as api from './api.js';
import { chips, field, h, lines, listField, message, show, table } from './dom.js';
import { actionsCell, nameCell, sortedEntries } from './entries.js';

export async function render(container) {
  const status = h('div', { id: 'user-status' });
  const list = h('div', { id: 'user-list' });

  const reload = async () => {
    try {
      const users = await api.list('internalusers');
      show(list, table('Internal users', ['User', 'Backend roles', 'Attributes', 'Description', 'Actions'],
        sortedEntries(users).map(([name, entry]) => [
          nameCell(name, entry), chips(entry.backend_roles),
          chips(Object.entries(entry.attributes || {}).map(([key, value]) => `${key}=${value}`)),
          entry.description || '',
          actionsCell(entry, [h('button', { type: 'button', class: 'danger', 'aria-label': `Delete user ${name}`, onclick: () => removeUser(name) }, 'Delete')]),
        ])));
    } catch (error) {
      show(list, message('error', error.message));
    }
  };

  const removeUser = async (name) => {
    if (!window.confirm(`Delete the internal user ${name}?`)) return;
    try {
      show(status, message('ok', (await api.remove('internalusers', name)).message));
      await reload();
    } catch (error) {
      show(status, message('error', error.message));
    }
  };

  const form = h('form', { class: 'form', id: 'user-form' },
    field('user-name', 'User name', { required: true }),
    field('user-password', 'Password', { type: 'password', required: true, autocomplete: 'new-password' }),
    listField('user-backend-roles', 'Backend roles'),
    h('button', { type: 'submit' }, 'Create user'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = form.querySelector('#user-name').value.trim();
    const body = {
      password: form.querySelector('#user-password').value,
      backend_roles: lines(form.querySelector('#user-backend-roles').value),
    };
    try {
      show(status, message('ok', (await api.put('internalusers', name, body)).message));
      form.reset();
      await reload();
    } catch (error) {
      show(status, message('error', error.message));
    }
  });

  show(container, h('h3', {}, 'Create an internal user'), form, status, list);
  await reload();
}
