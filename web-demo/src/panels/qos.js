// QoS class and OOM score adjustment per container, with the reason: the
// class from `explainQos` (ComputePodQOS) and each container's oom_score_adj
// (GetContainerOOMScoreAdjust) on a node of the given memory capacity.
import { debounce, h, showFieldError } from '../dom.js';
import { withSource } from '../manifest.js';

export const id = 'qos';

function oomWhy(ex, c, capacity) {
  if (c.kind === 'ephemeralContainer') return 'ephemeral containers get the pod’s class rule';
  if (ex.nodeCritical) return 'node-critical pod (static, mirror or system-node-critical): -997, like Guaranteed';
  if (ex.qosClass === 'Guaranteed') return 'Guaranteed pod: -997, killed last';
  if (ex.qosClass === 'BestEffort') return 'BestEffort pod: 1000, killed first';
  const req = c.memoryRequest ?? '0';
  return `Burstable: 1000 − 1000 × request ${req} / capacity ${capacity}, kept within 3…999 (more request → less likely to be killed)`;
}

export function mount(section, { wasm, store, events }) {
  const saved = store.get(id, { capacity: '' });
  const capacity = h('input', {
    id: 'qos-capacity', type: 'text', value: saved.capacity, spellcheck: 'false',
    placeholder: 'from the cluster’s first node', 'aria-describedby': 'qos-capacity-error',
  });
  const out = h('div', { id: 'qos-output', 'aria-live': 'polite' });
  section.querySelector('.panel-body').replaceChildren(
    h('div', { class: 'field inline' },
      h('label', { for: capacity.id }, 'Node memory capacity'), capacity,
      h('span', { class: 'hint', id: 'qos-capacity-source' })),
    h('p', { class: 'field-error', id: 'qos-capacity-error', role: 'alert', hidden: true }),
    out);

  let pod = null;
  let nodeMemory = null;

  function render() {
    const given = capacity.value.trim();
    const cap = given || nodeMemory || '8Gi';
    document.getElementById('qos-capacity-source').textContent = given ? '' : `using ${cap}${nodeMemory ? ' (first node’s capacity)' : ''}`;
    if (!pod) {
      out.replaceChildren(h('p', { class: 'hint' }, 'Fix the pod above to see its QoS class.'));
      return;
    }
    let ex;
    try {
      ex = wasm.explainQos(pod.pod, { memoryCapacity: cap });
      showFieldError(capacity, null);
    } catch (e) {
      if (e.path?.startsWith('options.memoryCapacity') || e.path === 'memoryCapacity') {
        showFieldError(capacity, { message: e.message, offset: e.offset, text: cap });
      } else {
        showFieldError(document.getElementById('pod-input'), withSource(e.message, e.path));
      }
      out.replaceChildren(h('p', { class: 'field-error' }, `Cannot compute: ${e.message}`));
      return;
    }
    out.replaceChildren(
      h('p', { class: 'qos-class' }, 'QoS class: ',
        h('strong', { class: `qos ${ex.qosClass}`, id: 'qos-class' }, ex.qosClass),
        ex.critical ? h('span', { class: 'tag' }, 'critical: never evicted by the kubelet') : null),
      h('ul', { class: 'reasons', id: 'qos-reasons' }, ex.reasons.map((r) => h('li', {}, r))),
      h('table', { class: 'grid', id: 'qos-table' },
        h('thead', {}, h('tr', {}, ['Container', 'Memory request / limit', 'oom_score_adj', 'Why'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ex.containers.map((c) => h('tr', {},
          h('th', { scope: 'row' }, c.name, c.kind !== 'container' ? h('span', { class: 'tag' }, c.kind) : null),
          h('td', {}, h('code', {}, `${c.memoryRequest ?? '—'} / ${c.memoryLimit ?? '—'}`)),
          h('td', { class: 'num oom' }, c.oomScoreAdj ?? '—'),
          h('td', { class: 'reasons' }, oomWhy(ex, c, cap)))))));
  }

  capacity.addEventListener('input', debounce(() => {
    store.set(id, capacity.value.trim() ? { capacity: capacity.value.trim() } : null);
    render();
  }, 150));
  events.subscribe('pod', (detail) => { pod = detail; render(); });
  events.subscribe('cluster', (list) => {
    const node = (list?.items ?? (Array.isArray(list) ? list : [])).find((o) => o?.kind === 'Node');
    nodeMemory = node?.status?.capacity?.memory ?? null;
    render();
  });
  render();
}
