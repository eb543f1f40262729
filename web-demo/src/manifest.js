// Reading pasted Kubernetes objects. JSON only for now: YAML needs a parser
// the page does not ship yet, so YAML input gets a clear message instead.

/** Parses pasted text as JSON; throws an Error with a readable message. */
export function parseManifest(text, what) {
  const trimmed = text.trim();
  if (!trimmed) throw new Error(`Paste the ${what} as JSON, or pick a preset.`);
  if (!/^[[{]/.test(trimmed)) {
    throw new Error(`This looks like YAML or plain text; the playground reads JSON for now (kubectl ... -o json).`);
  }
  let value;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    throw new Error(`Not valid JSON: ${e.message}`);
  }
  if (value === null || typeof value !== 'object') throw new Error(`Expected a JSON object.`);
  return value;
}

/** The objects of a `List` (or the single object), by kind. */
export function itemsByKind(value) {
  const items = Array.isArray(value) ? value : value.kind === 'List' || Array.isArray(value.items) ? value.items ?? [] : [value];
  const byKind = new Map();
  for (const item of items) {
    const kind = item?.kind ?? 'unknown';
    if (!byKind.has(kind)) byKind.set(kind, []);
    byKind.get(kind).push(item);
  }
  return byKind;
}

/** "1 node, 12 pods (10 Running, 2 Pending)". */
export function summarize(value) {
  const byKind = itemsByKind(value);
  const nodes = byKind.get('Node') ?? [];
  const pods = byKind.get('Pod') ?? [];
  const phases = new Map();
  for (const p of pods) {
    const phase = p?.status?.phase ?? 'no phase';
    phases.set(phase, (phases.get(phase) ?? 0) + 1);
  }
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const phaseText = [...phases].map(([k, n]) => `${n} ${k}`).join(', ');
  const others = [...byKind].filter(([k]) => k !== 'Node' && k !== 'Pod')
    .map(([k, list]) => `${list.length} ${k}`).join(', ');
  return `${plural(nodes.length, 'node')}, ${plural(pods.length, 'pod')}${phaseText ? ` (${phaseText})` : ''}` +
    (others ? `; also ${others} (ignored)` : '');
}
