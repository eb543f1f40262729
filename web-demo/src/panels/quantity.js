// Quantity calculator: canonical form, format, value and milli value of two
// quantities, their sum, difference and comparison, all computed by the
// kubelogic core through the wasm bindings (parseQuantity, addQuantities,
// subQuantities, compareQuantities).
import { debounce, h, showFieldError } from '../dom.js';

export const id = 'quantity';

const DEFAULTS = { a: '1.5Gi', b: '512Mi' };

const EXAMPLES = ['1.5Gi', '100m', '0.1', '1e3', '5Gi', '8029368Ki', '1K'];

/** A thrown KubelogicError (or anything else) as `{ message, offset, text }`. */
function describe(error, text) {
  return {
    message: error?.message ?? String(error),
    offset: Number.isInteger(error?.offset) ? error.offset : undefined,
    text,
  };
}

function infoRows(prefix) {
  const row = (label, key, hint) =>
    h('tr', {},
      h('th', { scope: 'row', title: hint }, label),
      h('td', {}, h('output', { id: `${prefix}-${key}` }, '')));
  return h('table', { class: 'kv', id: `${prefix}-info` },
    row('canonical', 'canonical', 'How Kubernetes prints it (Quantity.String())'),
    row('format', 'format', 'DecimalSI (k, M, G), BinarySI (Ki, Mi, Gi) or DecimalExponent (e3)'),
    row('value', 'value', 'Value(): rounded away from zero to an integer'),
    row('milli value', 'milliValue', 'MilliValue(): value × 1000, rounded away from zero'));
}

export function mount(section, { wasm, store }) {
  const saved = store.get(id, DEFAULTS);
  const field = (name, label) => {
    const input = h('input', {
      id: `quantity-${name}`, type: 'text', value: saved[name], spellcheck: 'false',
      autocomplete: 'off', 'aria-describedby': `quantity-${name}-error`,
    });
    return {
      input,
      el: h('div', { class: 'field' },
        h('label', { for: input.id }, label),
        input,
        h('p', { class: 'field-error', id: `quantity-${name}-error`, role: 'alert', hidden: true }),
        infoRows(`quantity-${name}`)),
    };
  };
  const a = field('a', 'Quantity A');
  const b = field('b', 'Quantity B');
  const out = (key) => h('output', { id: `quantity-${key}` });
  const results = h('table', { class: 'kv results' },
    h('tr', {}, h('th', { scope: 'row' }, 'A + B'), h('td', {}, out('sum'))),
    h('tr', {}, h('th', { scope: 'row' }, 'A − B'), h('td', {}, out('difference'))),
    h('tr', {}, h('th', { scope: 'row' }, 'A vs B'), h('td', {}, out('compare'))));
  const examples = h('p', { class: 'examples' }, 'Try: ',
    EXAMPLES.map((ex) => h('button', {
      type: 'button', class: 'chip',
      onclick: () => { a.input.value = ex; update(); },
    }, ex)));

  section.querySelector('.panel-body').replaceChildren(
    h('div', { class: 'pair' }, a.el, b.el),
    examples,
    h('h3', {}, 'Arithmetic'),
    results,
  );

  const set = (key, text) => { document.getElementById(`quantity-${key}`).value = text; };

  function show(prefix, field) {
    const text = field.input.value;
    try {
      const q = wasm.parseQuantity(text);
      showFieldError(field.input, null);
      set(`${prefix}-canonical`, q.canonical);
      set(`${prefix}-format`, q.format);
      set(`${prefix}-value`, q.value ?? 'does not fit in an int64');
      set(`${prefix}-milliValue`, q.milliValue ?? 'does not fit in an int64');
      return true;
    } catch (e) {
      showFieldError(field.input, describe(e, text));
      for (const k of ['canonical', 'format', 'value', 'milliValue']) set(`${prefix}-${k}`, '—');
      return false;
    }
  }

  function update({ save = true } = {}) {
    if (save) store.set(id, { a: a.input.value, b: b.input.value });
    const okA = show('a', a);
    const okB = show('b', b);
    if (!(okA && okB)) {
      for (const k of ['sum', 'difference', 'compare']) set(k, 'fix the input above');
      return;
    }
    const arith = (fn) => {
      try {
        return fn(a.input.value, b.input.value).canonical;
      } catch (e) {
        return `error: ${e.message}`;
      }
    };
    set('sum', arith(wasm.addQuantities));
    set('difference', arith(wasm.subQuantities));
    const cmp = wasm.compareQuantities(a.input.value, b.input.value);
    set('compare', cmp < 0 ? 'A < B' : cmp > 0 ? 'A > B' : 'A = B');
  }

  const later = debounce(update, 60);
  a.input.addEventListener('input', later);
  b.input.addEventListener('input', later);
  update({ save: false });
}
