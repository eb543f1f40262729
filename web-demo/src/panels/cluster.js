// Cluster: a `kubectl get nodes,pods -A -o json` (or `-o yaml`) List, or a
// YAML stream of objects, pasted by the user, or a preset from presets/.
// Checks the text, lists what it holds, and publishes it as `cluster` for
// the scheduling, QoS and eviction panels.
import { debounce, h, showFieldError } from '../dom.js';
import { convertManifest, detectFormat, parseManifest, rememberSource, summarize, toYaml } from '../manifest.js';

export const id = 'cluster';

const CUSTOM = 'Your own cluster: paste or edit JSON or YAML below (kubectl get nodes,pods -A -o json, or -o yaml).';

export async function mount(section, { store, events }) {
  const saved = store.get(id, { preset: 'kind-one-node' });
  const presets = await fetch('presets/index.json').then((r) => r.json());

  const select = h('select', { id: 'cluster-preset' },
    presets.map((p) => h('option', { value: p.id }, p.title)),
    h('option', { value: '' }, 'Custom: paste below'));
  const about = h('p', { class: 'hint', id: 'cluster-preset-about' });
  const format = h('select', { id: 'cluster-format', title: 'Show the cluster as JSON or YAML (either is read)' },
    h('option', { value: 'json' }, 'JSON'),
    h('option', { value: 'yaml' }, 'YAML'));
  format.value = saved.format === 'yaml' ? 'yaml' : 'json';
  const text = h('textarea', {
    id: 'cluster-input', rows: 12, spellcheck: 'false',
    placeholder: 'Paste the output of: kubectl get nodes,pods -A -o json (or -o yaml, or YAML documents separated by ---)',
    'aria-describedby': 'cluster-input-error',
  });
  const summary = h('p', { class: 'summary', id: 'cluster-summary', 'aria-live': 'polite' });
  // The release whose default feature gates, rules and message texts apply.
  const VERSIONS = ['v1.35', 'v1.34', 'v1.33', 'v1.32', 'v1.31', 'v1.30', 'v1.29', 'v1.28'];
  const version = h('select', { id: 'cluster-version', title: 'Kubernetes version: its default feature gates, rules and messages' },
    VERSIONS.map((v, i) => h('option', { value: v }, i === 0 ? `${v} (current)` : v)));
  version.value = VERSIONS.includes(saved.version) ? saved.version : VERSIONS[0];

  section.querySelector('.panel-body').replaceChildren(
    h('div', { class: 'field' }, h('label', { for: select.id }, 'Preset'), select, about),
    h('div', { class: 'field' }, h('label', { for: version.id }, 'Kubernetes version'), version),
    h('div', { class: 'field' },
      h('div', { class: 'label-row' },
        h('label', { for: text.id }, 'Nodes and pods (JSON or YAML)'),
        h('label', { for: format.id, class: 'format' }, 'as ', format)),
      text,
      h('p', { class: 'field-error', id: 'cluster-input-error', role: 'alert', hidden: true }),
      summary),
  );

  function check() {
    try {
      const list = parseManifest(text.value, 'cluster');
      rememberSource('cluster', text.value);
      showFieldError(text, null);
      summary.textContent = summarize(list);
      events.publish('cluster', list);
    } catch (e) {
      showFieldError(text, e);
      summary.textContent = '';
      events.publish('cluster', null);
    }
  }

  async function loadPreset(presetId, { chosen = false } = {}) {
    const preset = presets.find((p) => p.id === presetId);
    about.textContent = preset?.description ?? CUSTOM;
    if (!preset) return;
    const json = await fetch(`presets/${preset.file}`).then((r) => r.text());
    text.value = format.value === 'yaml' ? toYaml(JSON.parse(json)) : json;
    // A preset picked by the user brings its pod example along.
    events.publish('preset', { preset, chosen });
    check();
  }

  const save = () => store.set(id, {
    preset: select.value,
    ...(version.value !== VERSIONS[0] ? { version: version.value } : {}),
    ...(format.value === 'yaml' ? { format: 'yaml' } : {}),
    ...(select.value ? {} : { text: text.value }),
  });

  events.publish('kubernetesVersion', version.value);
  version.addEventListener('change', () => {
    save();
    events.publish('kubernetesVersion', version.value);
  });

  select.addEventListener('change', async () => {
    save();
    await loadPreset(select.value, { chosen: true });
  });
  text.addEventListener('input', debounce(() => {
    select.value = '';
    about.textContent = CUSTOM;
    // The format follows what is pasted; switching it converts the text.
    if (text.value.trim()) format.value = detectFormat(text.value);
    save();
    check();
  }, 200));
  format.addEventListener('change', async () => {
    if (select.value) {
      await loadPreset(select.value);
    } else if (text.value.trim()) {
      try {
        text.value = convertManifest(text.value, format.value, 'cluster');
      } catch {
        // Unreadable text stays as it is, with its error shown.
        format.value = detectFormat(text.value);
      }
      check();
    }
    save();
  });

  if (saved.preset && presets.some((p) => p.id === saved.preset)) {
    select.value = saved.preset;
    await loadPreset(saved.preset);
  } else {
    select.value = '';
    about.textContent = CUSTOM;
    text.value = saved.text ?? '';
    if (text.value.trim()) format.value = detectFormat(text.value);
    check();
  }
}
