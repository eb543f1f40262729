// QoS class and OOM score adjustment per container, with the reason. Wired to
// the QoS bindings in phase 2; phase 1 shows the layout.
import { comingSoon, h } from '../dom.js';

export const id = 'qos';

export function mount(section) {
  const head = ['Container', 'QoS class', 'oom_score_adj', 'Why'];
  section.querySelector('.panel-body').replaceChildren(
    comingSoon('with the QoS bindings: the pod’s QoS class (Guaranteed, Burstable, BestEffort) and each container’s oom_score_adj, with the rule that decided it.'),
    h('table', { class: 'grid placeholder', id: 'qos-table' },
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, h('tr', {}, head.map(() => h('td', {}, '·'))))),
  );
}
