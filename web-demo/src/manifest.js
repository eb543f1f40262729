// Reading pasted Kubernetes objects, as JSON or YAML, the way kubectl does.
//
// Text that starts with `{` or `[` is JSON; anything else is YAML, read with
// the `yaml` package (eemeli/yaml, served from node_modules through the import
// map in index.html). kubectl reads YAML with sigs.k8s.io/yaml, which is
// go-yaml v2 underneath: YAML 1.1 scalars, then a conversion to JSON. The
// schema below follows go-yaml v2's resolver (sigs.k8s.io/yaml
// goyaml.v2/resolve.go) as far as it matters for Kubernetes objects:
//
// - `yes`/`no`/`on`/`off`/`y`/`n` (any of their case forms) are booleans, so
//   a label value `on` fails in the core as it fails in the API server
//   ("cannot unmarshal bool into ... of type string"): quote it;
// - numbers stay numbers and everything else stays a string as written:
//   `cpu: 2` is the number 2, `memory: 1Gi` the string "1Gi" (the core reads
//   quantities from both, as resource.Quantity does); `0755` is octal,
//   `0x1F` hex, `1_000` is 1000;
// - timestamps stay strings (go-yaml v2 keeps them strings when decoding
//   into interface{}): `creationTimestamp: 2024-05-01T10:00:00Z` is kept as
//   written, not turned into a date;
// - no sexagesimal numbers (`1:20` is a string; go-yaml v2 dropped them),
//   and no `!!binary`, `!!set`, `!!omap` or `!!pairs` types;
// - merge keys (`<<: *defaults`) work, anchors and aliases too;
// - `.nan`/`.inf` are refused, as JSON cannot carry them (sigs.k8s.io/yaml
//   fails there too);
// - duplicate keys are an error (the YAML spec forbids them; go-yaml v2 in
//   its non-strict mode would silently keep one, the API server's strict
//   field validation, kubectl's default, rejects them).
//
// A `---` stream of several documents is a list of objects, as
// `kubectl apply -f` reads it (k8s.io/cli-runtime's StreamVisitor decodes
// each document into a RawExtension, so no string coercion, and skips empty
// and `null` ones); a document that is itself a `kind: List` is flattened
// into it.
import { isMap, isScalar, isSeq, parseAllDocuments, stringify } from 'yaml';

/** The YAML 1.1 tags go-yaml v2 has (see the notes above). */
const DROPPED = new Set([
  'tag:yaml.org,2002:timestamp',
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
]);
const YAML_OPTIONS = {
  schema: 'yaml-1.1',
  customTags: (tags) => tags.filter((t) => !DROPPED.has(t.tag) && t.format !== 'TIME'),
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
  // YAML 1.1 also for `stringify`: strings like "on" or "0755" get quoted.
  version: '1.1',
};

/**
 * An input error with where it is: `line` and `col` (1-based), and for the
 * caret next to the field, `text` (that line) and `offset` (a UTF-8 byte
 * offset in it), as `showFieldError` in dom.js draws them.
 */
export class ManifestError extends Error {
  constructor(message, where = null) {
    super(where ? `${message} (line ${where.line}, column ${where.col})` : message);
    this.name = 'ManifestError';
    if (where) {
      this.line = where.line;
      this.col = where.col;
      this.text = where.lineText;
      this.offset = caretOffset(where);
    }
  }
}

/** `'json'` when the text starts with `{` or `[`, else `'yaml'`. */
export function detectFormat(text) {
  return /^\s*[[{]/.test(text) ? 'json' : 'yaml';
}

/** Line, column (1-based, in characters) and the text of that line for a character offset. */
function whereIs(source, pos) {
  const at = Math.max(0, Math.min(pos, source.length));
  const start = source.lastIndexOf('\n', at - 1) + 1;
  const end = source.indexOf('\n', at);
  const line = source.slice(0, start).split('\n').length;
  const col = at - start + 1;
  const lineText = source.slice(start, end < 0 ? undefined : end).replace(/\r$/, '');
  if (lineText.length <= 160) return { line, col, lineText };
  // A long line (minified JSON): the part around the column, for the caret.
  const from = Math.max(0, col - 1 - 60);
  const cut = `${from ? '…' : ''}${lineText.slice(from, from + 120)}${from + 120 < lineText.length ? '…' : ''}`;
  return { line, col, lineText: cut, caretCol: col - from + (from ? 1 : 0) };
}

/** The UTF-8 byte offset of the caret in `where.lineText`. */
function caretOffset(where) {
  return new TextEncoder().encode(where.lineText.slice(0, (where.caretCol ?? where.col) - 1)).length;
}

/** The first number in the documents that JSON cannot carry, with its position. */
function nonFinite(docs) {
  const seen = new Set();
  const walk = (node) => {
    if (!node || typeof node !== 'object' || seen.has(node)) return null;
    seen.add(node);
    if (typeof node.value === 'number' && !Number.isFinite(node.value) && node.range) return node;
    for (const child of node.items ?? []) {
      const hit = walk(child.key) ?? walk(child.value) ?? (child.range ? walk(child) : null);
      if (hit) return hit;
    }
    return null;
  };
  for (const doc of docs) {
    const hit = walk(doc.contents);
    if (hit) return hit;
  }
  return null;
}

/**
 * Parses YAML text into the documents' objects (empty documents skipped).
 * Throws a ManifestError with line and column on a syntax error.
 */
export function parseYaml(text) {
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  // A stream that is not YAML at all comes back as one error, not a list.
  const all = Array.isArray(docs) ? docs : [docs];
  for (const doc of all) {
    const [error] = doc.errors;
    if (error) {
      const reason = error.message.replace(/ at line \d+, column \d+[\s\S]*$/, '');
      throw new ManifestError(`YAML syntax error: ${reason}`, whereIs(text, error.pos[0]));
    }
  }
  const bad = nonFinite(all);
  if (bad) {
    throw new ManifestError(`YAML: ${bad.source ?? bad.value} is not a number JSON can carry`,
      whereIs(text, bad.range[0]));
  }
  return all
    .map((doc) => doc.toJS({ maxAliasCount: 100 }))
    .filter((value) => value !== null && value !== undefined);
}

/** The objects of a parsed document list: `kind: List` documents flattened. */
function flatten(values) {
  return values.flatMap((v) => (v && typeof v === 'object' && !Array.isArray(v) && v.kind === 'List' && Array.isArray(v.items)
    ? v.items
    : [v]));
}

/**
 * Parses pasted text as JSON (when it starts with `{` or `[`) or YAML;
 * throws an Error with a readable message (a ManifestError with line and
 * column for YAML). A YAML stream of several documents becomes a `List`.
 */
export function parseManifest(text, what) {
  const trimmed = text.trim();
  if (!trimmed) throw new ManifestError(`Paste the ${what} as JSON or YAML, or pick a preset.`);
  let value;
  if (detectFormat(trimmed) === 'json') {
    try {
      value = JSON.parse(trimmed);
    } catch (e) {
      // V8 says "at position N"; give the line and column too.
      const pos = Number(/at position (\d+)/.exec(e.message)?.[1]);
      const reason = e.message.replace(/ at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
      if (!Number.isInteger(pos)) throw new ManifestError(`Not valid JSON: ${reason}`);
      const offset = text.length - text.trimStart().length;
      throw new ManifestError(`Not valid JSON: ${reason}`, whereIs(text, pos + offset));
    }
    if (value === null || typeof value !== 'object') throw new ManifestError('Expected a JSON object.');
    return value;
  }
  const docs = parseYaml(text);
  if (docs.length === 0) throw new ManifestError(`The YAML holds no ${what}: paste some objects, or pick a preset.`);
  for (const [i, doc] of docs.entries()) {
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      const at = docs.length > 1 ? ` (document ${i + 1})` : '';
      throw new ManifestError(`Expected a Kubernetes object (a YAML mapping with kind: ...), got ${Array.isArray(doc) ? 'a list' : `the ${typeof doc} ${JSON.stringify(doc)}`}${at}.`);
    }
  }
  if (docs.length === 1) return docs[0];
  return { apiVersion: 'v1', kind: 'List', items: flatten(docs) };
}

// Where a field named by the core sits in the text the user wrote. The
// cluster and pod panels remember their latest text by the root of the
// core's paths (`cluster`, `pod`); an error's path such as
// `cluster.items[3].status.allocatable.memory` or
// `pod.metadata.labels.kubernetes.io/os` is looked up in it (JSON is YAML,
// so one reader serves both), only when there is an error to show.
const sources = new Map();

/** Remembers the text the objects under `root` (`'cluster'`, `'pod'`) came from. */
export function rememberSource(root, text) {
  sources.set(root, text);
}

/** `items[3].metadata.labels.a.b/c` → ['items', 3, 'metadata', 'labels', 'a', 'b/c']. */
function segments(path) {
  const out = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return null;
    if (m[1]) out.push(m[1]);
    for (const [, n] of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(n));
  }
  return out;
}

/** The deepest node on `segs` under `node`: a map key may hold dots, so the longest key that matches wins. */
function descend(node, segs) {
  let at = node;
  let i = 0;
  while (i < segs.length) {
    if (isSeq(at) && typeof segs[i] === 'number' && at.items[segs[i]]) {
      at = at.items[segs[i]];
      i += 1;
    } else if (isMap(at)) {
      let found = null;
      for (let j = segs.length; j > i && !found; j -= 1) {
        const key = segs.slice(i, j).join('.');
        const pair = at.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === key);
        if (pair) found = { pair, next: j };
      }
      if (!found) break;
      // A scalar value is the place; for a collection, its key's line.
      if (!found.pair.value || isMap(found.pair.value) || isSeq(found.pair.value)) {
        if (found.next === segs.length) return found.pair.key;
      }
      at = found.pair.value;
      i = found.next;
    } else {
      break;
    }
  }
  return at;
}

/** The objects' nodes in the order parseManifest gives them (a stream flattened). */
function objectNodes(docs) {
  const nodes = [];
  for (const doc of docs) {
    const c = doc.contents;
    if (!c || (isScalar(c) && c.value === null)) continue;
    const kind = isMap(c) ? c.get('kind') : undefined;
    const items = isMap(c) ? c.get('items', true) : undefined;
    nodes.push(...(kind === 'List' && isSeq(items) ? items.items : [c]));
  }
  return nodes;
}

/**
 * `message (at path, line N)` with a caret on that line when the field at
 * `path` is found in the remembered text, else `message (at path)`; for
 * `showFieldError`.
 */
export function withSource(message, path) {
  if (!path) return message;
  const plain = `${message} (at ${path})`;
  try {
    const root = /^[^.[]+/.exec(path)?.[0];
    const text = sources.get(root);
    const segs = segments(path.slice(root.length).replace(/^\./, ''));
    if (!text || !segs) return plain;
    const docs = parseAllDocuments(text, YAML_OPTIONS);
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.some((d) => d.errors.length)) return plain;
    const nonEmpty = list.filter((d) => d.contents && !(isScalar(d.contents) && d.contents.value === null));
    let node;
    if (nonEmpty.length === 1) {
      node = descend(nonEmpty[0].contents, segs);
    } else {
      // A stream is one List: items[n] is the n-th object.
      if (segs[0] !== 'items' || typeof segs[1] !== 'number') return plain;
      const item = objectNodes(nonEmpty)[segs[1]];
      if (!item) return plain;
      node = descend(item, segs.slice(2));
    }
    if (!node?.range) return plain;
    const where = whereIs(text, node.range[0]);
    // The classic YAML 1.1 trap: say why a label `on` is a boolean.
    const word = isScalar(node) && typeof node.value === 'boolean' && node.type === 'PLAIN' ? node.source : null;
    const why = word && !/^(true|false)$/i.test(word)
      ? `; YAML 1.1, as kubectl reads it, takes an unquoted ${word} for a boolean: write "${word}"`
      : '';
    return {
      message: `${message} (at ${path}, line ${where.line})${why}`,
      text: where.lineText,
      offset: caretOffset(where),
    };
  } catch {
    return plain;
  }
}

/** Pretty JSON, as `kubectl get -o json` prints it. */
export function toJson(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * YAML close to `kubectl get -o yaml`: block style, sequences not indented
 * under their key, strings quoted where YAML 1.1 would read them as
 * something else (`"on"`, `"0755"`, `"2"`).
 */
export function toYaml(value) {
  return stringify(value, { ...YAML_OPTIONS, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/** Re-writes `text` in `format` ('json' or 'yaml'); throws as parseManifest does. */
export function convertManifest(text, format, what) {
  const value = parseManifest(text, what);
  return format === 'yaml' ? toYaml(value) : toJson(value);
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
