// Cluster: a `kubectl get nodes,pods -A -o json` List pasted by the user or a
// preset from presets/. Checks the JSON, lists what it holds, and publishes
// it as `cluster` for the scheduling, QoS and eviction panels.
import { debounce, h, showFieldError } from '../dom.js';
import { parseManifest, summarize } from '../manifest.js';

export const id = 'cluster';

export async function mount(section, { store, events }) {
  const saved = store.get(id, { preset: 'kind-one-node' });
  const presets = await fetch('presets/index.json').then((r) => r.json());

  const select = h('select', { id: 'cluster-preset' },
    presets.map((p) => h('option', { value: p.id }, p.title)),
    h('option', { value: '' }, 'Custom: paste below'));
  const about = h('p', { class: 'hint', id: 'cluster-preset-about' });
  const text = h('textarea', {
    id: 'cluster-input', rows: 12, spellcheck: 'false',
    placeholder: 'Paste the output of: kubectl get nodes,pods -A -o json',
    'aria-describedby': 'cluster-input-error',
  });
  const summary = h('p', { class: 'summary', id: 'cluster-summary', 'aria-live': 'polite' });

  section.querySelector('.panel-body').replaceChildren(
    h('div', { class: 'field' }, h('label', { for: select.id }, 'Preset'), select, about),
    h('div', { class: 'field' },
      h('label', { for: text.id }, 'Nodes and pods (JSON)'),
      text,
      h('p', { class: 'field-error', id: 'cluster-input-error', role: 'alert', hidden: true }),
      summary),
  );

  function check() {
    try {
      const list = parseManifest(text.value, 'cluster');
      showFieldError(text, null);
      summary.textContent = summarize(list);
      events.publish('cluster', list);
    } catch (e) {
      showFieldError(text, e.message);
      summary.textContent = '';
      events.publish('cluster', null);
    }
  }

  async function loadPreset(presetId, { chosen = false } = {}) {
    const preset = presets.find((p) => p.id === presetId);
    about.textContent = preset?.description ?? 'Your own cluster: edit the JSON below.';
    if (!preset) return;
    text.value = await fetch(`presets/${preset.file}`).then((r) => r.text());
    // A preset picked by the user brings its pod example along.
    events.publish('preset', { preset, chosen });
    check();
  }

  select.addEventListener('change', async () => {
    store.set(id, { preset: select.value });
    await loadPreset(select.value, { chosen: true });
  });
  text.addEventListener('input', debounce(() => {
    select.value = '';
    about.textContent = 'Your own cluster: edit the JSON below.';
    store.set(id, { preset: '', text: text.value });
    check();
  }, 200));

  if (saved.preset && presets.some((p) => p.id === saved.preset)) {
    select.value = saved.preset;
    await loadPreset(saved.preset);
  } else {
    select.value = '';
    about.textContent = 'Your own cluster: edit the JSON below.';
    text.value = saved.text ?? '';
    check();
  }
}
