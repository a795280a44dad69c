// Certificates: the TLS facts of this very connection (sslinfo, reference §1.9), and the
// node's own certificates (api/ssl/certs), which Open Distro shows to the admin certificate only.
import * as api from './api.js';
import { chips, h, message, show, table } from './dom.js';

const notReported = () => h('span', { class: 'muted' }, 'not reported by the node');

export async function render(container) {
  const [connection, node] = await Promise.allSettled([api.sslinfo(), api.sslCerts()]);
  const certificateRows = (list) => (list || []).map((certificate) => [
    h('code', {}, certificate.subject_dn), h('code', {}, certificate.issuer_dn), certificate.san || '',
    certificate.not_before, certificate.not_after]);
  show(container,
    h('h3', {}, 'This connection (sslinfo)'),
    connection.status === 'fulfilled'
      ? table('sslinfo', ['Field', 'Value'], [
        ['Principal (your certificate)', connection.value.principal
          ? h('code', {}, connection.value.principal) : h('span', { class: 'muted' }, 'no client certificate')],
        ['Peer certificates', connection.value.peer_certificates],
        ['Your chain', chips(connection.value.peer_certificates_list)],
        ['Node certificate', chips(connection.value.local_certificates_list)],
        ['Protocol', connection.value.ssl_protocol || notReported()],
        ['Cipher', connection.value.ssl_cipher || notReported()],
      ])
      : message('error', connection.reason.message),
    h('h3', {}, 'Node certificates (api/ssl/certs)'),
    node.status === 'fulfilled'
      ? [
        table('HTTP layer', ['Subject', 'Issuer', 'SAN', 'Not before', 'Not after'], certificateRows(node.value.http_certificates_list)),
        table('Transport layer', ['Subject', 'Issuer', 'SAN', 'Not before', 'Not after'], certificateRows(node.value.transport_certificates_list)),
      ]
      : [message('error', node.reason.message),
        h('p', { class: 'muted' }, 'Open Distro answers this endpoint only for the admin certificate (authcz.admin_dn).')]);
}
