// Scheduling view: one row per node with the filter verdict, the failing
// plugin and its reasons, per-plugin scores and the total; the chosen node,
// the FailedScheduling message and preemption victims. Wired to the scheduler
// bindings in phase 2; phase 1 shows the layout.
import { comingSoon, h } from '../dom.js';

export const id = 'scheduling';

export function mount(section) {
  const head = ['Node', 'Verdict', 'Failing plugin and reasons', 'Scores (raw → normalized × weight)', 'Total'];
  section.querySelector('.panel-body').replaceChildren(
    comingSoon('with the scheduler bindings: each node’s filter verdict and scores for the pod above, the chosen node, and the exact FailedScheduling event when nothing fits.'),
    h('pre', { class: 'event placeholder', id: 'scheduling-event' },
      'Warning  FailedScheduling  default-scheduler  0/N nodes are available: …'),
    h('table', { class: 'grid placeholder', id: 'scheduling-table' },
      h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, h('tr', {}, head.map(() => h('td', {}, '·'))))),
  );
}
