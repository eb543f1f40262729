// Scheduling view: one row per node with the filter verdict, the failing
// plugin and its reasons, per-plugin scores (raw → normalized × weight) and
// the total; the chosen node and ties highlighted; the exact FailedScheduling
// event; DefaultPreemption's victims; and, with replicas > 1, where each
// replica of a Deployment lands (placeAll).
import { h, showFieldError } from '../dom.js';
import { withSource } from '../manifest.js';

export const id = 'scheduling';

const VERDICT = {
  Success: ['fits', 'ok'],
  Unschedulable: ['Unschedulable', 'bad'],
  UnschedulableAndUnresolvable: ['Unschedulable (unresolvable)', 'bad'],
  Error: ['Error', 'bad'],
};

/** The field at fault for an error from the bindings. */
function fieldFor(error) {
  const path = error?.path ?? '';
  if (path.startsWith('cluster')) return 'cluster-input';
  if (path.startsWith('pod')) return 'pod-input';
  return null;
}

function eventLine(result) {
  if (result.message) {
    return h('pre', { class: 'event warning', id: 'scheduling-event' },
      h('span', { class: 'event-type' }, 'Warning  FailedScheduling'), '  default-scheduler  ', result.message);
  }
  if (result.selected) {
    return h('pre', { class: 'event normal', id: 'scheduling-event' },
      h('span', { class: 'event-type' }, 'Normal  Scheduled'),
      `  default-scheduler  Successfully assigned ${result.pod} to ${result.selected}`);
  }
  const why = result.error ? result.error.message ?? result.error.type : 'no decision';
  return h('pre', { class: 'event warning', id: 'scheduling-event' }, `The cycle stopped: ${why}`);
}

function scoreCell(s) {
  return h('td', { class: 'num score', title: `${s.plugin}: Score ${s.raw}, normalized ${s.normalized}, weight ${s.weight}` },
    h('span', { class: 'weighted' }, s.weighted),
    h('span', { class: 'detail' }, `${s.raw} → ${s.normalized} × ${s.weight}`));
}

function nodesTable(result) {
  const plugins = [];
  for (const n of result.nodes) {
    for (const s of n.scores ?? []) if (!plugins.includes(s.plugin)) plugins.push(s.plugin);
  }
  const tied = new Set(result.tied);
  const head = h('tr', {},
    h('th', { scope: 'col' }, 'Node'),
    h('th', { scope: 'col' }, 'Verdict'),
    h('th', { scope: 'col' }, 'Failing plugin: reasons'),
    plugins.map((p) => h('th', { scope: 'col', class: 'num', title: 'weighted score (raw → normalized × weight)' }, p)),
    h('th', { scope: 'col', class: 'num' }, 'Total'));
  const rows = result.nodes.map((n) => {
    const status = n.status;
    const [label, tone] = status ? VERDICT[status.code] ?? [status.code, 'bad'] : ['not evaluated', 'muted'];
    const chosen = n.name === result.selected;
    const byPlugin = new Map((n.scores ?? []).map((s) => [s.plugin, s]));
    return h('tr', {
      class: [chosen ? 'chosen' : '', tied.has(n.name) && !chosen ? 'tied' : ''].join(' ').trim() || null,
      dataset: { node: n.name },
    },
    h('th', { scope: 'row' }, n.name,
      chosen ? h('span', { class: 'tag chosen' }, 'chosen') : null,
      tied.has(n.name) && !chosen ? h('span', { class: 'tag tied' }, 'tied') : null),
    h('td', { class: `verdict ${tone}` }, label),
    h('td', { class: 'reasons' },
      status && status.code !== 'Success'
        ? [h('code', {}, status.plugin ?? '—'), ': ', (status.reasons ?? []).join('; ') || '(no reason)']
        : ''),
    plugins.map((p) => (byPlugin.has(p) ? scoreCell(byPlugin.get(p)) : h('td', { class: 'num muted' }, '—'))),
    h('td', { class: 'num total' }, n.total ?? '—'));
  });
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'grid nodes', id: 'scheduling-table' }, h('thead', {}, head), h('tbody', {}, rows)));
}

function preemption(result) {
  const p = result.preemption;
  if (!p) return null;
  const items = [];
  if (!p.eligible) {
    items.push(h('li', {}, 'The pod may not preempt others (preemptionPolicy: Never, or a lower-priority victim is already terminating on its nominated node).'));
  } else if (p.nominatedNode) {
    items.push(h('li', {}, 'Nominated node: ', h('strong', {}, p.nominatedNode)));
    items.push(h('li', {}, 'Victims (evicted so the pod fits): ',
      p.victims.length ? p.victims.map((v, i) => [i ? ', ' : '', h('code', {}, v)]) : 'none'));
  } else {
    items.push(h('li', {}, 'No node where evicting lower-priority pods would make room.'));
  }
  if (p.candidates.length > 0) {
    items.push(h('li', {}, 'Candidates: ', p.candidates.map((c, i) => [i ? '; ' : '',
      h('code', {}, c.node), ` (${c.victims.length} victim${c.victims.length === 1 ? '' : 's'}, ${c.numPDBViolations} PDB violation${c.numPDBViolations === 1 ? '' : 's'})`])));
  }
  if (p.status?.reasons?.length) items.push(h('li', { class: 'muted' }, `PostFilter: ${p.status.reasons.join('; ')}`));
  return h('div', { class: 'preemption', id: 'scheduling-preemption' },
    h('h3', {}, 'Preemption (DefaultPreemption)'), h('ul', {}, items));
}

function placements(list) {
  const placed = list.filter((p) => p.node).length;
  const byNode = new Map();
  for (const p of list) if (p.node) byNode.set(p.node, (byNode.get(p.node) ?? 0) + 1);
  return h('div', { class: 'placements', id: 'scheduling-placements' },
    h('h3', {}, `Replicas: ${placed} of ${list.length} placed`),
    h('p', { class: 'hint' }, 'Each replica is scheduled, then bound, before the next (placeAll): ',
      [...byNode].map(([n, c], i) => [i ? ', ' : '', h('code', {}, n), ` × ${c}`])),
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, ['Pod', 'Node', 'Score', 'Feasible', 'Tied', 'Why not'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, list.map((p) => h('tr', { class: p.node ? null : 'pending' },
        h('td', {}, h('code', {}, p.pod)),
        h('td', {}, p.node ?? h('span', { class: 'bad' }, 'Pending')),
        h('td', { class: 'num' }, p.score ?? '—'),
        h('td', { class: 'num' }, p.feasible),
        h('td', { class: 'num' }, p.tied),
        h('td', { class: 'reasons' }, p.message ?? p.error ?? ''))))));
}

/** Node rows rendered at most; larger clusters show the first ones. */
const MAX_ROWS = 500;

/**
 * What the view needs from a ScheduleOutcome (the result handle, read lazily):
 * every row for clusters up to MAX_ROWS nodes, else the first MAX_ROWS rows
 * plus the chosen node's, so a 5,000-node cluster does not convert 5,000
 * rows. Frees the handle.
 */
function decision(outcome) {
  try {
    const nodeCount = outcome.nodeCount;
    const nodes = outcome.rows(0, MAX_ROWS);
    const selected = outcome.selected;
    if (selected && nodeCount > MAX_ROWS && !nodes.some((n) => n.name === selected)) nodes.push(outcome.node(selected));
    // Many ties (a uniform cluster): tag the shown rows with the chosen total.
    const chosenTotal = nodes.find((n) => n.name === selected)?.total;
    const tied = outcome.tiedCount <= MAX_ROWS
      ? outcome.tied
      : nodes.filter((n) => n.total !== undefined && n.total === chosenTotal).map((n) => n.name);
    return {
      pod: outcome.pod,
      selected,
      message: outcome.message,
      error: outcome.error,
      preemption: outcome.preemption,
      tied,
      skippedFilterPlugins: outcome.skippedFilterPlugins,
      skippedScorePlugins: outcome.skippedScorePlugins,
      nodes,
      nodeCount,
      feasibleCount: outcome.feasibleCount,
    };
  } finally {
    outcome.free();
  }
}

export function mount(section, { wasm, events }) {
  const body = section.querySelector('.panel-body');
  const out = h('div', { id: 'scheduling-output', 'aria-live': 'polite' });
  body.replaceChildren(
    h('p', { class: 'hint' },
      'The default kube-scheduler profile (v1.35) runs on the cluster and pod above: PreFilter, Filter, then Score on the nodes that fit. ',
      'Scores read as weighted (raw → normalized × weight). Ties go to the first node listed (kube-scheduler picks one of them at random).'),
    out);

  let cluster = null;
  let clusterError = null;
  let pod = null;

  function showError(e) {
    const field = fieldFor(e);
    const where = e.path ? ` (at ${e.path})` : '';
    // The line of the pasted JSON or YAML the path points at, when found.
    if (field) showFieldError(document.getElementById(field), withSource(e.message, e.path));
    out.replaceChildren(h('p', { class: 'field-error', id: 'scheduling-error', role: 'alert' },
      `Cannot schedule: ${e.message}${where}`));
  }

  function render() {
    if (clusterError) return showError(clusterError);
    if (!cluster || !pod) {
      out.replaceChildren(h('p', { class: 'hint' }, 'Fix the cluster and pod above to see the scheduling decision.'));
      return;
    }
    let result;
    let placed = null;
    try {
      result = decision(cluster.scheduleOutcome(pod.pod));
      if (pod.replicas > 1) placed = cluster.placeAll({ pod: pod.pod, replicas: pod.replicas });
    } catch (e) {
      return showError(e);
    }
    const summary = cluster.summary();
    const { feasibleCount, nodeCount } = result;
    out.replaceChildren(...[
      eventLine(result),
      h('p', { class: 'hint', id: 'scheduling-summary' },
        `${feasibleCount} of ${nodeCount} node${nodeCount === 1 ? '' : 's'} fit; `,
        `${summary.pods} pod${summary.pods === 1 ? '' : 's'} already running`,
        summary.ignoredPods.length ? ` (${summary.ignoredPods.length} not on a node: pending or finished)` : '',
        result.skippedFilterPlugins.length ? `; Filter skipped: ${result.skippedFilterPlugins.join(', ')}` : '',
        result.skippedScorePlugins.length ? `; Score skipped: ${result.skippedScorePlugins.join(', ')}` : '',
        feasibleCount === 1 ? '; a single feasible node is chosen without scoring' : ''),
      result.nodes.length < nodeCount
        ? h('p', { class: 'hint', id: 'scheduling-rows' },
          `Showing the first ${MAX_ROWS} of ${nodeCount} nodes`,
          result.selected && !result.nodes.slice(0, MAX_ROWS).some((n) => n.name === result.selected)
            ? ', and the chosen node last' : '',
          '.')
        : null,
      nodesTable(result),
      preemption(result),
      placed ? placements(placed) : null].filter(Boolean));
  }

  let clusterList = null;
  let kubernetesVersion;
  function readCluster() {
    cluster?.free();
    cluster = null;
    clusterError = null;
    if (clusterList) {
      try {
        cluster = new wasm.Cluster(clusterList, undefined, kubernetesVersion);
      } catch (e) {
        clusterError = e;
      }
    }
    render();
  }
  events.subscribe('cluster', (list) => {
    clusterList = list;
    readCluster();
  });
  events.subscribe('kubernetesVersion', (v) => {
    kubernetesVersion = v;
    if (clusterList) readCluster();
  });
  events.subscribe('pod', (detail) => {
    pod = detail;
    render();
  });
  render();
}
