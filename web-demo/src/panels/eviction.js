// Eviction what-if: kubelet eviction flags and a timeline of memory.available
// → per step the node conditions, taints, the ranked pods and the victim with
// the kubelet's message (an EvictionSimulator stepped over the pods running on
// the cluster's first node), and an inline SVG plot of the signal against the thresholds.
import { debounce, h, showFieldError } from '../dom.js';

export const id = 'eviction';

const FLAGS = [
  ['eviction-hard', 'memory.available<500Mi'],
  ['eviction-soft', 'memory.available<1.5Gi'],
  ['eviction-soft-grace-period', 'memory.available=1m'],
  ['eviction-pressure-transition-period', '5m0s'],
];

const TIMELINE = [['0s', '3Gi'], ['30s', '1Gi'], ['60s', '1Gi'], ['90s', '1Gi'], ['120s', '400Mi'], ['150s', '2Gi']];

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** Go duration text → seconds, for the plot's x axis (h, m, s, ms). */
function seconds(text) {
  let total = 0;
  const re = /([0-9.]+)(h|ms|m|s)/g;
  let m;
  while ((m = re.exec(text))) total += Number(m[1]) * { h: 3600, m: 60, s: 1, ms: 0.001 }[m[2]];
  return total;
}

function gib(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)}Gi`;
  return `${Math.round(bytes / 1024 ** 2)}Mi`;
}

function plot(points, thresholds) {
  const W = 760; const H = 230; const L = 64; const R = 150; const T = 14; const B = 34;
  const xs = points.map((p) => p.t);
  const xmax = Math.max(1, ...xs) * 1.05;
  const ymax = Math.max(...points.map((p) => p.available), ...thresholds.map((t) => t.bytes)) * 1.2 || 1;
  const x = (t) => L + (t / xmax) * (W - L - R);
  const y = (v) => T + (1 - v / ymax) * (H - T - B);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'plot', id: 'eviction-plot', role: 'img', 'aria-label': 'memory.available over time against the eviction thresholds' });
  // Axes and grid.
  for (let i = 0; i <= 4; i += 1) {
    const v = (ymax / 4) * i;
    svg.append(s('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid' }),
      s('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'axis' }, gib(v)));
  }
  for (const p of points) svg.append(s('text', { x: x(p.t), y: H - B + 16, 'text-anchor': 'middle', class: 'axis' }, p.at));
  svg.append(s('text', { x: L, y: H - 4, class: 'axis' }, 'time since start →'));
  // Thresholds.
  for (const t of thresholds) {
    svg.append(s('line', { x1: L, x2: W - R, y1: y(t.bytes), y2: y(t.bytes), class: `threshold ${t.hard ? 'hard' : 'soft'}` }),
      s('text', { x: W - R + 6, y: y(t.bytes) + 4, class: `label ${t.hard ? 'hard' : 'soft'}` }, `${t.hard ? 'hard' : 'soft'} < ${gib(t.bytes)}`));
  }
  // The signal, as the kubelet samples it: a step line.
  let d = '';
  points.forEach((p, i) => {
    d += i === 0 ? `M${x(p.t)},${y(p.available)}` : `H${x(p.t)}V${y(p.available)}`;
  });
  if (points.length) d += `H${W - R}`;
  svg.append(s('path', { d, class: 'signal' }));
  for (const p of points) {
    svg.append(s('circle', { cx: x(p.t), cy: y(p.available), r: p.victim ? 6 : 3.5, class: p.victim ? 'victim' : 'sample' },
      s('title', {}, `${p.at}: memory.available ${gib(p.available)}${p.victim ? ` — evicted ${p.victim}` : ''}`)));
  }
  svg.append(s('text', { x: W - R + 6, y: y(points.at(-1)?.available ?? 0) + 4, class: 'label signal-label' }, 'memory.available'));
  return svg;
}

export function mount(section, { wasm, store, events }) {
  const saved = store.get(id, {});
  const flags = Object.fromEntries(FLAGS.map(([name, value]) => [name, saved.flags?.[name] ?? value]));
  let steps = (saved.steps ?? TIMELINE).map(([at, available]) => ({ at, available }));
  const usage = { ...(saved.usage ?? {}) };
  let selected = null;

  const flagInputs = FLAGS.map(([name]) => {
    const input = h('input', {
      id: `eviction-${name}`, type: 'text', value: flags[name], spellcheck: 'false', 'aria-describedby': `eviction-${name}-error`,
    });
    return h('div', { class: 'field flag' },
      h('label', { for: input.id }, `--${name}`), input,
      h('p', { class: 'field-error', id: `eviction-${name}-error`, role: 'alert', hidden: true }));
  });
  const capacityInput = h('input', { id: 'eviction-capacity', type: 'text', value: saved.capacity ?? '', placeholder: 'from the node', 'aria-describedby': 'eviction-capacity-error' });
  const timeline = h('tbody', { id: 'eviction-steps' });
  const podsBody = h('tbody', { id: 'eviction-pods' });
  const plotBox = h('div', { class: 'plot-box' });
  const ranking = h('div', { id: 'eviction-ranking' });
  const nodeLine = h('p', { class: 'hint', id: 'eviction-node' });
  const error = h('p', { class: 'field-error', id: 'eviction-error', role: 'alert', hidden: true });

  section.querySelector('.panel-body').replaceChildren(
    h('p', { class: 'hint' },
      'The kubelet’s eviction manager, one synchronize pass per row: edit the flags, the timeline of memory.available, or the pods’ usage, and watch MemoryPressure, the node taint, the ranking of pods and each eviction with the kubelet’s message. An evicted pod is gone from the next row on.'),
    h('div', { class: 'flags' }, flagInputs),
    h('div', { class: 'field inline' },
      h('label', { for: capacityInput.id }, 'Node memory capacity'), capacityInput,
      h('p', { class: 'field-error', id: 'eviction-capacity-error', role: 'alert', hidden: true })),
    nodeLine,
    error,
    h('h3', {}, 'Timeline: one kubelet synchronize pass per row (click a row for its ranking)'),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid steps' },
      h('thead', {}, h('tr', {}, ['At', 'memory.available', 'Thresholds met', 'Node conditions', 'Taints', 'Victim and kubelet message', ''].map((c) => h('th', { scope: 'col' }, c)))),
      timeline)),
    h('p', {}, h('button', { type: 'button', class: 'chip', id: 'eviction-add-step', onclick: () => {
      const last = steps.at(-1) ?? { at: '0s', available: '1Gi' };
      steps.push({ at: `${seconds(last.at) + 30}s`, available: last.available });
      save(); run();
    } }, '+ add a step')),
    plotBox,
    h('div', { class: 'eviction-grid' },
      h('div', {},
        h('h3', {}, 'Pods on the node (working set is editable)'),
        h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, ['Pod', 'Priority', 'Memory request', 'Working set'].map((c) => h('th', { scope: 'col' }, c)))),
          podsBody)),
      ranking),
  );

  let pods = [];
  let nodeCapacity = null;

  function save() {
    store.set(id, {
      flags,
      steps: steps.map((st) => [st.at, st.available]),
      ...(Object.keys(usage).length ? { usage } : {}),
      ...(capacityInput.value.trim() ? { capacity: capacityInput.value.trim() } : {}),
    });
  }

  const key = (p) => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
  const memRequest = (p) => {
    const reqs = (p.spec?.containers ?? []).map((c) => c.resources?.requests?.memory).filter(Boolean);
    if (!reqs.length) return null;
    try {
      return reqs.reduce((a, b) => wasm.addQuantities(a, b).canonical);
    } catch {
      return null;
    }
  };

  function renderPods() {
    podsBody.replaceChildren(...pods.map((p) => {
      const k = key(p);
      const request = memRequest(p);
      const input = h('input', { type: 'text', class: 'usage', value: usage[k] ?? request ?? '100Mi', 'aria-label': `working set of ${k}`, dataset: { pod: k } });
      input.addEventListener('input', debounce(() => { usage[k] = input.value.trim(); save(); run(); }, 200));
      return h('tr', {},
        h('td', {}, h('code', {}, k)),
        h('td', { class: 'num' }, p.spec?.priority ?? 0),
        h('td', {}, request ?? h('span', { class: 'muted' }, 'none')),
        h('td', {}, input));
    }));
  }

  function bytes(text, field) {
    try {
      const q = wasm.parseQuantity(text);
      return Number(q.value);
    } catch (e) {
      e.field = field;
      throw e;
    }
  }

  function renderSteps(results) {
    timeline.replaceChildren(...steps.map((st, i) => {
      const r = results?.[i];
      const at = h('input', { type: 'text', class: 'at', value: st.at, 'aria-label': `time of step ${i + 1}`, id: `eviction-step-${i}-at` });
      const available = h('input', { type: 'text', class: 'available', value: st.available, 'aria-label': `memory.available at step ${i + 1}`, id: `eviction-step-${i}-available` });
      at.addEventListener('change', () => { st.at = at.value.trim(); save(); run(); });
      available.addEventListener('input', debounce(() => { st.available = available.value.trim(); save(); run(); }, 200));
      const victim = r?.evictions?.at(-1);
      const conditions = r?.conditions.filter((c) => c.status === 'True').map((c) => c.type) ?? [];
      const met = r?.thresholds.map((t) => `${t.signal}${t.hard ? '' : ' (soft)'}${t.pastGracePeriod ? '' : ` — grace until ${t.eligibleAt}`}`) ?? [];
      return h('tr', {
        class: [victim ? 'evicted' : '', selected === i ? 'selected' : ''].join(' ').trim() || null,
        dataset: { step: i },
        onclick: (e) => { if (e.target.tagName !== 'INPUT' && e.target.tagName !== 'BUTTON') { selected = i; run(); } },
      },
      h('td', {}, at),
      h('td', {}, available),
      h('td', { class: 'small' }, met.length ? met.join(', ') : h('span', { class: 'muted' }, 'none')),
      h('td', { class: 'small conditions' }, conditions.length ? conditions.map((c) => h('span', { class: 'tag bad' }, c)) : h('span', { class: 'muted' }, 'no pressure')),
      h('td', { class: 'small taints' }, r?.taints.length ? r.taints.map((t) => h('code', {}, `${t.key}:${t.effect}`)) : h('span', { class: 'muted' }, '—')),
      h('td', { class: 'small victim' }, victim
        ? [h('strong', {}, victim.pod), h('span', { class: 'message' }, victim.message)]
        : h('span', { class: 'muted' }, r ? outcomeText(r.outcome) : '')),
      h('td', {}, h('button', { type: 'button', class: 'link-button danger', title: 'remove this step', onclick: () => { steps.splice(i, 1); save(); run(); } }, '×')));
    }));
  }

  function outcomeText(outcome) {
    return {
      noThresholdPastGracePeriod: 'no eviction', nothingConfigured: 'no thresholds', noActivePods: 'no pods',
      softEvictionInProgress: 'soft eviction in progress', noEvictablePod: 'only critical pods left', reclaimedNodeLevel: 'reclaimed by GC',
    }[outcome] ?? outcome;
  }

  function renderRanking(results) {
    const i = selected ?? results.findIndex((r) => r.evictions.length) ?? -1;
    const r = results[i];
    if (!r?.ranking) {
      ranking.replaceChildren(h('p', { class: 'hint' }, 'Pods are ranked when a threshold is past its grace period; click a step to see its ranking.'));
      return;
    }
    const victim = r.evictions.at(-1)?.pod;
    ranking.replaceChildren(
      h('h3', {}, `Ranked for eviction at ${r.at} (${r.ranking.resource})`),
      h('p', { class: 'hint' }, 'Order: usage above request first, then lower priority, then usage above request (largest first).'),
      h('ol', { class: 'ranking', id: 'eviction-ranked' }, r.ranking.pods.map((p) => h('li', { class: p.pod === victim ? 'victim' : null },
        h('code', {}, p.pod),
        ` — ${p.keys.exceedsRequests ? 'above' : 'within'} request, priority ${p.keys.priority}, uses ${gib(p.keys.usageMilli / 1000)}`,
        p.pod === victim ? h('span', { class: 'tag bad' }, 'evicted') : null,
        r.skippedCritical.includes(p.pod) ? h('span', { class: 'tag' }, 'critical: skipped') : null))));
  }

  function run() {
    for (const [name] of FLAGS) showFieldError(document.getElementById(`eviction-${name}`), null);
    showFieldError(capacityInput, null);
    error.hidden = true;
    const capText = capacityInput.value.trim() || nodeCapacity || '8Gi';
    let results;
    let config;
    const flagArgs = FLAGS.map(([name]) => [name, flags[name].trim()]).filter(([, v]) => v).map(([n, v]) => `--${n}=${v}`);
    try {
      const capacity = bytes(capText, capacityInput);
      const stats = {};
      for (const p of pods) {
        const k = key(p);
        const text = usage[k] ?? memRequest(p) ?? '100Mi';
        try {
          stats[k] = { memoryWorkingSet: bytes(text) };
        } catch (e) {
          e.message = `working set of ${k}: ${e.message}`;
          throw e;
        }
      }
      config = wasm.parseEvictionConfig({ flags: flagArgs });
      // One kubelet synchronize pass per row; an evicted pod has terminated
      // by the next pass, so it leaves the node's pod list.
      const sim = new wasm.EvictionSimulator({ flags: flagArgs });
      const gone = new Set();
      results = [];
      try {
        steps.forEach((st, i) => {
          let available;
          try {
            available = bytes(st.available);
          } catch (e) {
            e.message = `step ${i + 1}, memory.available: ${e.message}`;
            throw e;
          }
          let r;
          try {
            r = sim.step({
              at: st.at,
              observations: { 'memory.available': { available, capacity } },
              pods: pods.filter((p) => !gone.has(key(p))),
              podStats: stats,
            });
          } catch (e) {
            if (e.path !== undefined) e.path = `steps[${i}].${e.path}`.replace(/\.$/, '');
            throw e;
          }
          for (const ev of r.evictions) gone.add(ev.pod);
          results.push(r);
        });
      } finally {
        sim.free();
      }
      nodeLine.textContent = `${pods.length} pod${pods.length === 1 ? '' : 's'} on the node, memory capacity ${capText}. ` +
        `Thresholds in effect: ${config.thresholds.map((t) => `${t.signal}<${t.value.quantity ?? `${(t.value.percentage * 100).toFixed(0)}%`}${t.gracePeriod === '0s' ? '' : ` for ${t.gracePeriod}`}`).join(', ')}.`;
      renderSteps(results);
      renderRanking(results);
      const thresholds = config.thresholds.filter((t) => t.signal === 'memory.available').map((t) => ({
        hard: t.gracePeriod === '0s',
        bytes: t.value.quantity ? bytes(t.value.quantity) : t.value.percentage * capacity,
      }));
      const points = steps.map((st, i) => ({ at: st.at, t: seconds(st.at), available: bytes(st.available), victim: results[i].evictions.at(-1)?.pod }));
      plotBox.replaceChildren(plot(points, thresholds));
    } catch (e) {
      const path = e.path ?? '';
      const flag = path.startsWith('flags.') ? document.getElementById(`eviction-${path.slice(6)}`) : null;
      const stepAt = /^steps\[(\d+)\]\.at/.exec(path);
      if (flag) showFieldError(flag, e.message);
      else if (e.field) showFieldError(e.field, { message: e.message, offset: e.offset, text: capText });
      else if (stepAt) showFieldError(document.getElementById(`eviction-step-${stepAt[1]}-at`) ?? capacityInput, e.message);
      error.hidden = false;
      error.textContent = `Cannot run the eviction manager: ${e.message}${path ? ` (at ${path})` : ''}`;
      if (!results) renderSteps(null);
    }
  }

  for (const [name] of FLAGS) {
    const input = document.getElementById(`eviction-${name}`);
    input.addEventListener('input', debounce(() => { flags[name] = input.value; save(); run(); }, 250));
  }
  capacityInput.addEventListener('input', debounce(() => { save(); run(); }, 250));

  events.subscribe('cluster', (list) => {
    const items = list?.items ?? (Array.isArray(list) ? list : []);
    const node = items.find((o) => o?.kind === 'Node');
    nodeCapacity = node?.status?.capacity?.memory ?? null;
    const name = node?.metadata?.name;
    pods = items.filter((o) => o?.kind === 'Pod' && o.spec?.nodeName === name && !['Succeeded', 'Failed'].includes(o.status?.phase));
    capacityInput.placeholder = nodeCapacity ? `${nodeCapacity} (node ${name})` : '8Gi';
    renderPods();
    run();
  });
  renderSteps(null);
  run();
}
