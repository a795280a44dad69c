// Action groups (reference §3.4, §4.1): named sets of actions and other groups that roles use
// in their permission lists; the static ones come with the plugin.
import * as api from './api.js';
import { message, show, table } from './dom.js';
import { nameCell, notesCell, sortedEntries } from './entries.js';
import { permissionList } from './permissions.js';

export async function render(container) {
  let groups;
  try {
    groups = await api.list('actiongroups');
  } catch (error) {
    show(container, message('error', error.message));
    return;
  }
  show(container, table('Action groups', ['Group', 'Type', 'Allowed actions', 'Notes'],
    sortedEntries(groups).map(([name, group]) => [
      nameCell(name, group), group.type || '', permissionList(group.allowed_actions, groups), notesCell(group),
    ])));
}
