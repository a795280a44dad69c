// Element building without a framework: h('tag', {attributes}, ...children).

/** Creates an element; `on*` attributes become listeners, `false`/null attributes are left out. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'text') element.textContent = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** A table with a header row; `rows` are arrays of cells (strings or nodes). */
export function table(caption, headings, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, headings.map((heading) => h('th', { scope: 'col' }, heading)))),
      h('tbody', {}, rows.length
        ? rows.map((row) => h('tr', {}, row.map((cell, index) => (index === 0 ? h('th', { scope: 'row' }, cell) : h('td', {}, cell)))))
        : h('tr', {}, h('td', { colspan: headings.length, class: 'empty' }, 'none')))));
}

/** A message box announced to screen readers; kind is 'error' or 'ok'. */
export function message(kind, text) {
  return h('p', { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Replaces the content of `container` with the nodes given. */
export function show(container, ...nodes) {
  container.replaceChildren();
  append(container, nodes);
}

/** A list of short values (permissions, users) as chips; `none` when empty. */
export function chips(values) {
  if (!values || values.length === 0) return h('span', { class: 'muted' }, 'none');
  return h('ul', { class: 'chips' }, values.map((value) => h('li', {}, value)));
}

/** A labelled text input; the id ties label and field together for keyboard and screen readers. */
export function field(id, label, attributes = {}) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('input', { id, name: id, type: 'text', autocomplete: 'off', ...attributes }));
}

/**
 * A labelled list input, one entry per line: user names may be DNs full of commas and spaces
 * (`CN=admin,OU=lab,O=certlab`), so the line is the only safe separator.
 */
export function listField(id, label, values = []) {
  return h('div', { class: 'field' },
    h('label', { for: id }, label, h('span', { class: 'hint' }, ' (one per line)')),
    h('textarea', { id, name: id, rows: 2, autocomplete: 'off', spellcheck: 'false', text: values.join('\n') }));
}

/** The entries of a list input, trimmed, without empty lines. */
export function lines(text) {
  return text.split('\n').map((item) => item.trim()).filter(Boolean);
}
