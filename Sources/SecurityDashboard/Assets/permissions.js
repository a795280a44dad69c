// Permissions as the privilege evaluator sees them (reference §4.2): a name in a role's
// permission list is either an action (pattern) or an action group, and groups may contain
// further groups. The roles and action-group views show each list expanded to the actions it grants.
import { chips, h } from './dom.js';

/**
 * Expands names through `groups` (the GET actiongroups answer) to a sorted list of action
 * patterns. Cycles are cut, as the plugin does, and unknown names are kept as written: a
 * pattern like `indices:data/read/*` is not a group.
 */
export function expand(names, groups) {
  const actions = new Set();
  const visiting = new Set();
  const visit = (name) => {
    const group = groups[name];
    if (!group) { actions.add(name); return; }
    if (visiting.has(name)) return;
    visiting.add(name);
    for (const member of group.allowed_actions || []) visit(member);
  };
  for (const name of names || []) visit(name);
  return [...actions].sort();
}

/** Whether any name in the list is an action group (so an expansion shows something new). */
function mentionsGroups(names, groups) {
  return (names || []).some((name) => Object.prototype.hasOwnProperty.call(groups, name));
}

/** The names as written, plus a collapsible expansion when a group is among them. */
export function permissionList(names, groups) {
  if (!mentionsGroups(names, groups)) return chips(names);
  const actions = expand(names, groups);
  return h('div', {}, chips(names),
    h('details', {}, h('summary', {}, `expanded: ${actions.length} action${actions.length === 1 ? '' : 's'}`), chips(actions)));
}
