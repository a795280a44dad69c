// Reserved, static and hidden entries (reference §3, §6.3): the REST API refuses to change them
// for anyone but the admin certificate (static: for anyone), so the page shows them without
// edit controls and says why, instead of offering buttons that can only earn a 403.
import { h } from './dom.js';

const REASONS = {
  static: 'static: built into the security plugin, nobody can change it',
  reserved: 'reserved: only the admin certificate (authcz.admin_dn) may change it',
  hidden: 'hidden: shown only to the admin certificate, kept as it is',
};

/** The reason an entry is read-only, or null when the page may offer edits. */
export function readOnlyReason(entry) {
  for (const flag of ['static', 'reserved', 'hidden']) {
    if (entry && entry[flag] === true) return REASONS[flag];
  }
  return null;
}

/** The entry's name cell: the name, then a badge per set flag. */
export function nameCell(name, entry) {
  return [h('span', { class: 'name' }, name),
    ['static', 'reserved', 'hidden'].filter((flag) => entry[flag] === true)
      .map((flag) => h('span', { class: `badge ${flag}`, title: REASONS[flag] }, flag))];
}

/** The actions cell: the given buttons for writable entries, the reason for read-only ones. */
export function actionsCell(entry, buttons) {
  const reason = readOnlyReason(entry);
  return reason ? h('span', { class: 'readonly' }, `read-only — ${reason}`) : h('span', { class: 'actions' }, buttons);
}

/** The description, and for read-only entries the reason (views without edit controls). */
export function notesCell(entry) {
  const reason = readOnlyReason(entry);
  return h('span', {}, entry.description || '', reason ? h('span', { class: 'readonly' }, `read-only — ${reason}`) : null);
}

/** The entries of a GET answer (an object keyed by name), sorted by name. */
export function sortedEntries(body) {
  return Object.entries(body || {}).sort(([a], [b]) => a.localeCompare(b));
}
