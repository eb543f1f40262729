// Small DOM helpers shared by the panels.

/** `h('div', { class: 'x', onclick }, child, 'text', [nested, [lists]])`: arrays at any depth are flattened. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/**
 * Shows `error` next to a field (or clears it when `error` is null). The
 * message element is `#<field id>-error`, announced to screen readers.
 */
export function showFieldError(field, error) {
  const box = document.getElementById(`${field.id}-error`);
  field.toggleAttribute('aria-invalid', Boolean(error));
  field.classList.toggle('invalid', Boolean(error));
  if (!box) return;
  box.replaceChildren();
  box.hidden = !error;
  if (!error) return;
  if (typeof error === 'string') {
    box.append(error);
    return;
  }
  box.append(error.message);
  // A byte offset from the core: point at the character.
  if (Number.isInteger(error.offset) && typeof error.text === 'string') {
    const bytes = new TextEncoder().encode(error.text);
    const at = new TextDecoder().decode(bytes.slice(0, error.offset)).length;
    box.append(
      h('code', { class: 'caret' },
        error.text.slice(0, at),
        h('mark', {}, error.text.slice(at, at + 1) || ' '),
        error.text.slice(at + 1)),
    );
  }
}

/** Calls `fn` at most once per `ms`, with the latest arguments. */
export function debounce(fn, ms = 120) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
