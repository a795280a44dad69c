// Recent audit events (reference §9): a search of the audit index `security-auditlog-*` with
// the user's own read rights — who cannot read that index sees the node's 403 here.
import * as api from './api.js';
import { chips, h, message, show, table } from './dom.js';

/** The REST categories (reference §9); AUTHENTICATED and GRANTED_PRIVILEGES are off by default. */
const CATEGORIES = ['FAILED_LOGIN', 'MISSING_PRIVILEGES', 'GRANTED_PRIVILEGES', 'AUTHENTICATED', 'BAD_HEADERS',
  'SSL_EXCEPTION', 'OPENDISTRO_SECURITY_INDEX_ATTEMPT', 'COMPLIANCE_INTERNAL_CONFIG_WRITE', 'COMPLIANCE_DOC_WRITE'];

export async function render(container) {
  const results = h('div', { id: 'audit-results' });
  const form = h('form', { class: 'form inline', id: 'audit-form' },
    h('div', { class: 'field' },
      h('label', { for: 'audit-category' }, 'Category'),
      h('select', { id: 'audit-category', name: 'category' },
        h('option', { value: '' }, 'any'), CATEGORIES.map((category) => h('option', { value: category }, category)))),
    h('div', { class: 'field' },
      h('label', { for: 'audit-user' }, 'Effective user'),
      h('input', { id: 'audit-user', name: 'user', autocomplete: 'off', placeholder: 'any' })),
    h('button', { type: 'submit' }, 'Search'));

  const search = async () => {
    const category = form.querySelector('#audit-category').value;
    const user = form.querySelector('#audit-user').value.trim();
    show(results, h('p', { class: 'muted' }, 'Searching…'));
    try {
      const answer = await api.auditEvents({ category, user });
      const hits = answer.hits.hits.map((hit) => hit._source);
      const total = typeof answer.hits.total === 'object' ? answer.hits.total.value : answer.hits.total;
      show(results, table(`The ${hits.length} newest of ${total} events`,
        ['Time', 'Category', 'User', 'Request', 'Privilege / indices', 'From'],
        hits.map((event) => [
          event['@timestamp'], event.audit_category, event.audit_request_effective_user || '',
          h('code', {}, `${event.audit_rest_request_method || ''} ${event.audit_rest_request_path || event.audit_transport_action || ''}`),
          h('div', {}, event.audit_request_privilege || '', chips(event.audit_trace_indices)),
          event.audit_request_remote_address || '',
        ])));
    } catch (error) {
      show(results, message('error', error.message));
    }
  };
  form.addEventListener('submit', (event) => { event.preventDefault(); search(); });
  show(container, form, results);
  await search();
}
