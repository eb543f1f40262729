// Unit tests of src/manifest.js under node (the same `yaml` package as the
// page; node resolves it from node_modules, the page through its import map).
//
//   node --test tests/manifest.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ManifestError, convertManifest, detectFormat, parseManifest, parseYaml, rememberSource, toJson, toYaml, withSource,
} from '../src/manifest.js';

const one = (yaml) => parseYaml(yaml)[0];

test('scalars resolve as go-yaml v2 (sigs.k8s.io/yaml) resolves them', () => {
  // YAML 1.1 booleans, every spelling go-yaml v2's resolve table has.
  for (const t of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) assert.equal(one(`v: ${t}`).v, true, t);
  for (const f of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) assert.equal(one(`v: ${f}`).v, false, f);
  for (const n of ['~', 'null', 'Null', 'NULL', '']) assert.equal(one(`v: ${n}`).v, null, n);
  // Numbers stay numbers, quantities with a suffix stay strings.
  assert.deepEqual(one('cpu: 2\nmemory: 1Gi\nhalf: 0.5\ndot: .5\nexp: 1e3\nmilli: 100m\nbig: 1_000'),
    { cpu: 2, memory: '1Gi', half: 0.5, dot: 0.5, exp: 1000, milli: '100m', big: 1000 });
  assert.deepEqual(one('oct: 0755\nhex: 0x1F\nbin: 0b101\neight: 08'), { oct: 493, hex: 31, bin: 5, eight: 8 });
  // Quoted, everything is a string.
  assert.deepEqual(one('a: "on"\nb: "2"\nc: \'yes\''), { a: 'on', b: '2', c: 'yes' });
  // No timestamps (kept as written), no sexagesimal numbers.
  assert.deepEqual(one('t: 2026-11-20T09:12:44Z\nd: 2026-11-20\ns: 1:20'),
    { t: '2026-11-20T09:12:44Z', d: '2026-11-20', s: '1:20' });
  // Keys resolve too (go-yaml v2 turns a `y` key into true; JSON makes it "true").
  assert.deepEqual(one('y: 1\n2: b'), { true: 1, 2: 'b' });
  // Merge keys and aliases.
  assert.deepEqual(one('base: &b {cpu: 1, memory: 1Gi}\nlimits:\n  <<: *b\n  memory: 2Gi'),
    { base: { cpu: 1, memory: '1Gi' }, limits: { cpu: 1, memory: '2Gi' } });
});

test('JSON when the text starts with { or [, YAML otherwise', () => {
  assert.equal(detectFormat('  {"kind": "Pod"}'), 'json');
  assert.equal(detectFormat('[{"kind": "Pod"}]'), 'json');
  assert.equal(detectFormat('kind: Pod'), 'yaml');
  assert.equal(detectFormat('# a comment\n{"kind": "Pod"}'), 'yaml');
  assert.deepEqual(parseManifest('{"kind": "Pod", "metadata": {"labels": {"on": "on"}}}', 'pod'),
    { kind: 'Pod', metadata: { labels: { on: 'on' } } });
});

test('a --- stream is a List; List documents are flattened, empty documents skipped', () => {
  const value = parseManifest('kind: Node\nmetadata: {name: a}\n---\n---\n# nothing\n---\nkind: List\nitems:\n- {kind: Node, metadata: {name: b}}\n- {kind: Pod, metadata: {name: p}}\n', 'cluster');
  assert.equal(value.kind, 'List');
  assert.deepEqual(value.items.map((i) => `${i.kind}/${i.metadata.name}`), ['Node/a', 'Node/b', 'Pod/p']);
  // One document that is a List is returned as it is.
  const list = parseManifest('apiVersion: v1\nkind: List\nitems:\n- {kind: Node, metadata: {name: a}}\n', 'cluster');
  assert.deepEqual(list, { apiVersion: 'v1', kind: 'List', items: [{ kind: 'Node', metadata: { name: 'a' } }] });
  // A stream ending in "..." or with a leading "---".
  assert.equal(parseManifest('---\nkind: Pod\n...\n', 'pod').kind, 'Pod');
});

test('errors carry the line, the column and a caret', () => {
  const err = (text) => {
    try {
      parseManifest(text, 'cluster');
    } catch (e) {
      return e;
    }
    assert.fail(`no error for ${JSON.stringify(text)}`);
  };
  let e = err('kind: List\nitems:\n- kind: Node\n  metadata:\n    name: n1\n   labels: {}\n');
  assert.ok(e instanceof ManifestError);
  assert.match(e.message, /^YAML syntax error: .+ \(line 6, column \d+\)$/);
  assert.equal(e.line, 6);
  assert.equal(e.text, '   labels: {}');
  e = err('a: 1\na: 2\n');
  assert.match(e.message, /^YAML syntax error: Map keys must be unique \(line 2, column 1\)$/);
  e = err('kind: Pod\nx: .nan\n');
  assert.equal(e.message, 'YAML: .nan is not a number JSON can carry (line 2, column 4)');
  assert.equal(e.offset, 3);
  e = err('just words');
  assert.match(e.message, /^Expected a Kubernetes object/);
  e = err('# nothing here\n');
  assert.match(e.message, /holds no cluster/);
  e = err('{\n  "kind": "List",\n  "items": [}\n');
  assert.match(e.message, /^Not valid JSON: /);
  // A non-ASCII line: the caret offset is in UTF-8 bytes, as showFieldError reads it.
  e = err('metadata:\n  name: é\n bad: x\n');
  assert.ok(Number.isInteger(e.offset));
  e = err('k: "é\n');
  assert.ok(e.line >= 1);
});

test('toYaml writes what parseYaml reads back, quoting YAML 1.1 look-alikes', () => {
  const value = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', labels: { a: 'on', b: 'yes', c: '2', d: '0755', e: 'y', f: '', g: 'null', h: '1e3' } },
    spec: { containers: [{ name: 'c', resources: { requests: { cpu: 2, memory: '1Gi' } } }] },
  };
  const yaml = toYaml(value);
  assert.match(yaml, /^apiVersion: v1\nkind: Pod\n/);
  assert.match(yaml, /\n {4}a: "on"\n/);
  assert.match(yaml, /\n {2}containers:\n {2}- name: c\n/, 'sequences as kubectl prints them');
  assert.deepEqual(one(yaml), value);
  assert.deepEqual(JSON.parse(convertManifest(yaml, 'json', 'pod')), value);
  assert.equal(convertManifest(toJson(value), 'yaml', 'pod'), yaml);
});

test('withSource finds the line of a field the core names', () => {
  rememberSource('pod', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    kubernetes.io/os: linux\n    feature: on\n');
  assert.deepEqual(withSource('bad value', 'pod.metadata.labels.feature'), {
    message: 'bad value (at pod.metadata.labels.feature, line 7); YAML 1.1, as kubectl reads it, takes an unquoted on for a boolean: write "on"',
    text: '    feature: on',
    offset: 13,
  });
  assert.equal(withSource('bad', 'pod.metadata.labels.kubernetes.io/os').message, 'bad (at pod.metadata.labels.kubernetes.io/os, line 6)');
  assert.equal(withSource('bad', 'pod.metadata.labels').message, 'bad (at pod.metadata.labels, line 5)');
  // In a stream, items[n] is the n-th object once Lists are flattened.
  rememberSource('cluster', 'kind: Node\nmetadata: {name: a}\n---\nkind: List\nitems:\n- kind: Node\n  status:\n    allocatable:\n      memory: lots\n');
  assert.equal(withSource('bad', 'cluster.items[1].status.allocatable.memory').message,
    'bad (at cluster.items[1].status.allocatable.memory, line 9)');
  // JSON is read the same way.
  rememberSource('cluster', '{"kind": "List", "items": [\n{"kind": "Node", "status": {"allocatable": {"memory": "lots"}}}]}');
  assert.equal(withSource('bad', 'cluster.items[0].status.allocatable.memory').message,
    'bad (at cluster.items[0].status.allocatable.memory, line 2)');
  // Nothing remembered or no path: the plain message.
  assert.equal(withSource('bad', 'flags.eviction-hard'), 'bad (at flags.eviction-hard)');
  assert.equal(withSource('bad', undefined), 'bad');
});
