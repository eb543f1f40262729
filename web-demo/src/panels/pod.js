// Pod editor: the pod to schedule (JSON), with examples, and a replica count
// for Deployment-style placement (`place_all`). Phase 1 checks the JSON; the
// scheduling and QoS panels will read it through the bindings.
import { debounce, h, showFieldError } from '../dom.js';
import { parseManifest } from '../manifest.js';

export const id = 'pod';

const pod = (name, resources, extra = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    containers: [{ name, image: 'blux2/hello-server:1.6', ...(resources ? { resources } : {}) }],
    ...extra,
  },
});

export const EXAMPLES = {
  'hello-5gi': {
    title: 'hello-server replica requesting 5Gi (Guaranteed)',
    pod: pod('hello-server', { requests: { cpu: '10m', memory: '5Gi' }, limits: { cpu: '10m', memory: '5Gi' } }),
  },
  'hello-64mi': {
    title: 'the same replica requesting 64Mi',
    pod: pod('hello-server', { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '10m', memory: '64Mi' } }),
  },
  burstable: {
    title: 'Burstable: requests below limits',
    pod: pod('web', { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } }),
  },
  'best-effort': {
    title: 'BestEffort: no requests or limits',
    pod: pod('batch', null),
  },
};

export function mount(section, { store, events }) {
  const saved = store.get(id, { example: 'hello-5gi', replicas: 1 });
  const select = h('select', { id: 'pod-example' },
    Object.entries(EXAMPLES).map(([k, ex]) => h('option', { value: k }, ex.title)),
    h('option', { value: '' }, 'Custom: edit below'));
  const text = h('textarea', { id: 'pod-input', rows: 12, spellcheck: 'false', 'aria-describedby': 'pod-input-error' });
  const replicas = h('input', { id: 'pod-replicas', type: 'number', min: 1, max: 10000, value: saved.replicas });

  section.querySelector('.panel-body').replaceChildren(
    h('div', { class: 'field' }, h('label', { for: select.id }, 'Example'), select),
    h('div', { class: 'field' },
      h('label', { for: text.id }, 'Pod (JSON)'),
      text,
      h('p', { class: 'field-error', id: 'pod-input-error', role: 'alert', hidden: true })),
    h('div', { class: 'field inline' },
      h('label', { for: replicas.id }, 'Replicas'),
      replicas,
      h('span', { class: 'hint' }, 'Deployment-style: place this many copies, one after another.')),
  );

  const save = () => store.set(id, {
    example: select.value,
    replicas: Number(replicas.value) || 1,
    ...(select.value ? {} : { text: text.value }),
  });

  function check() {
    try {
      const value = parseManifest(text.value, 'pod');
      if (value.kind !== undefined && value.kind !== 'Pod') throw new Error(`Expected kind Pod, got ${value.kind}.`);
      showFieldError(text, null);
      events.dispatchEvent(new CustomEvent('pod', { detail: { pod: value, replicas: Number(replicas.value) || 1 } }));
    } catch (e) {
      showFieldError(text, e.message);
    }
  }

  function loadExample(key) {
    if (!EXAMPLES[key]) return;
    text.value = JSON.stringify(EXAMPLES[key].pod, null, 2);
    check();
  }

  select.addEventListener('change', () => { loadExample(select.value); save(); });
  text.addEventListener('input', debounce(() => { select.value = ''; save(); check(); }, 200));
  replicas.addEventListener('input', () => { save(); check(); });

  if (saved.example && EXAMPLES[saved.example]) {
    select.value = saved.example;
    loadExample(saved.example);
  } else {
    select.value = '';
    text.value = saved.text ?? '';
    check();
  }
}
