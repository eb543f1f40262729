// Pod editor: the pod to schedule (JSON or YAML), with examples shown in
// either format, and a replica count for Deployment-style placement
// (`placeAll`). Checks the text and publishes the pod as `pod` for the
// scheduling and QoS panels.
import { debounce, h, showFieldError } from '../dom.js';
import { convertManifest, detectFormat, parseManifest, rememberSource, toJson, toYaml } from '../manifest.js';

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
  'hello-5gi-priority': {
    title: 'the 5Gi replica with a higher priority: preempts the running one',
    pod: {
      ...pod('hello-server', { requests: { cpu: '10m', memory: '5Gi' }, limits: { cpu: '10m', memory: '5Gi' } },
        // What admission writes from a PriorityClass `high-priority` of value 1000000.
        { priorityClassName: 'high-priority', priority: 1000000 }),
    },
  },
  burstable: {
    title: 'Burstable: requests below limits',
    pod: pod('web', { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } }),
  },
  'best-effort': {
    title: 'BestEffort: no requests or limits',
    pod: pod('batch', null),
  },
  'web-spread': {
    title: 'web replica spread across zones (topologySpreadConstraints)',
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-7c9d8-new01', namespace: 'default', labels: { app: 'web', 'pod-template-hash': '7c9d8' } },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '500m', memory: '512Mi' } } }],
        topologySpreadConstraints: [{
          maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['pod-template-hash'],
        }],
      },
    },
  },
  'cache-client': {
    title: 'cache client: never on the same node as app=cache (anti-affinity)',
    pod: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'cache-client', namespace: 'default', labels: { app: 'cache-client' } },
      spec: {
        containers: [{ name: 'client', image: 'busybox:1.36', resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } }],
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{
              labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname',
            }],
          },
        },
      },
    },
  },
};

export function mount(section, { store, events }) {
  const hadState = Object.keys(store.get(id)).length > 0;
  const saved = store.get(id, { example: 'hello-5gi', replicas: 1, format: 'json' });
  const select = h('select', { id: 'pod-example' },
    Object.entries(EXAMPLES).map(([k, ex]) => h('option', { value: k }, ex.title)),
    h('option', { value: '' }, 'Custom: edit below'));
  const format = h('select', { id: 'pod-format', title: 'Show the pod as JSON or YAML (either is read)' },
    h('option', { value: 'json' }, 'JSON'),
    h('option', { value: 'yaml' }, 'YAML'));
  format.value = saved.format === 'yaml' ? 'yaml' : 'json';
  const text = h('textarea', { id: 'pod-input', rows: 12, spellcheck: 'false', 'aria-describedby': 'pod-input-error' });
  const replicas = h('input', { id: 'pod-replicas', type: 'number', min: 1, max: 10000, value: saved.replicas });

  section.querySelector('.panel-body').replaceChildren(
    h('div', { class: 'field' }, h('label', { for: select.id }, 'Example'), select),
    h('div', { class: 'field' },
      h('div', { class: 'label-row' },
        h('label', { for: text.id }, 'Pod (JSON or YAML)'),
        h('label', { for: format.id, class: 'format' }, 'as ', format)),
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
    ...(format.value === 'yaml' ? { format: 'yaml' } : {}),
    ...(select.value ? {} : { text: text.value }),
  });

  function check() {
    try {
      const value = parseManifest(text.value, 'pod');
      if (value.kind === 'List') throw new Error(`Expected one Pod, got a list of ${value.items?.length ?? 0} objects.`);
      if (value.kind !== undefined && value.kind !== 'Pod') throw new Error(`Expected kind Pod, got ${value.kind}.`);
      rememberSource('pod', text.value);
      showFieldError(text, null);
      events.publish('pod', { pod: value, replicas: Number(replicas.value) || 1 });
    } catch (e) {
      showFieldError(text, e);
      events.publish('pod', null);
    }
  }

  function loadExample(key) {
    if (!EXAMPLES[key]) return;
    const example = EXAMPLES[key].pod;
    text.value = format.value === 'yaml' ? toYaml(example) : toJson(example);
    check();
  }

  select.addEventListener('change', () => { loadExample(select.value); save(); });
  text.addEventListener('input', debounce(() => {
    select.value = '';
    // The format follows what is typed; switching it converts the text.
    if (text.value.trim()) format.value = detectFormat(text.value);
    save();
    check();
  }, 200));
  replicas.addEventListener('input', () => { save(); check(); });
  format.addEventListener('change', () => {
    if (select.value) {
      loadExample(select.value);
    } else if (text.value.trim()) {
      try {
        text.value = convertManifest(text.value, format.value, 'pod');
      } catch {
        // Unreadable text stays as it is, with its error shown.
        format.value = detectFormat(text.value);
      }
      check();
    }
    save();
  });

  // Picking a cluster preset loads the pod it is about.
  // On first load a pod saved in the link wins over the preset's.
  events.subscribe('preset', ({ preset, chosen }) => {
    if (!chosen && hadState) return;
    if (!EXAMPLES[preset.example] || select.value === preset.example) return;
    select.value = preset.example;
    loadExample(preset.example);
    if (chosen) save();
  });

  if (saved.example && EXAMPLES[saved.example]) {
    select.value = saved.example;
    loadExample(saved.example);
  } else {
    select.value = '';
    text.value = saved.text ?? '';
    if (text.value.trim()) format.value = detectFormat(text.value);
    check();
  }
}
