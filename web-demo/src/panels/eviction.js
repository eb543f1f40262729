// Eviction what-if: kubelet eviction flags and a timeline of observed signals
// → node conditions, taints, the ranked pods and the victim of each step,
// with a plot of the signal against the thresholds. Wired to the eviction
// bindings in phase 2; phase 1 shows the layout.
import { comingSoon, h } from '../dom.js';

export const id = 'eviction';

export function mount(section) {
  const flag = (name, value) => h('div', { class: 'field flag' },
    h('label', { for: `eviction-${name}` }, `--${name}`),
    h('input', { id: `eviction-${name}`, type: 'text', value, disabled: true }));
  const head = ['Step', 'memory.available', 'Conditions', 'Taints', 'Victim', 'Message'];
  section.querySelector('.panel-body').replaceChildren(
    comingSoon('with the eviction bindings: move memory.available below a threshold and watch MemoryPressure, the node taint, the ranking of pods and the kubelet’s eviction message.'),
    h('div', { class: 'flags' },
      flag('eviction-hard', 'memory.available<100Mi,nodefs.available<10%'),
      flag('eviction-soft', ''),
      flag('eviction-soft-grace-period', ''),
      flag('eviction-pressure-transition-period', '5m0s')),
    h('table', { class: 'grid placeholder', id: 'eviction-table' },
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, h('tr', {}, head.map(() => h('td', {}, '·'))))),
  );
}
