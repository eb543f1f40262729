// The playground's entry point: loads the wasm module, reads the shared state
// from the URL, and mounts each panel. A panel that fails shows its error in
// place; the others keep working.
import init, * as kubelogic from '../pkg/kubelogic_wasm.js';
import { createStore, readState } from './state.js';
import { h } from './dom.js';
import * as cluster from './panels/cluster.js';
import * as pod from './panels/pod.js';
import * as scheduling from './panels/scheduling.js';
import * as qos from './panels/qos.js';
import * as eviction from './panels/eviction.js';
import * as quantity from './panels/quantity.js';

const PANELS = [cluster, pod, scheduling, qos, eviction, quantity];

/**
 * The panels' message bus: `publish(type, detail)` remembers the latest
 * value of each type, and `subscribe(type, fn)` calls `fn` with it at once
 * (if any) and on every later publish, so mount order does not matter.
 */
class Bus extends EventTarget {
  latest = new Map();
  publish(type, detail) {
    this.latest.set(type, detail);
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
  subscribe(type, fn) {
    this.addEventListener(type, (e) => fn(e.detail));
    if (this.latest.has(type)) fn(this.latest.get(type));
  }
}

function banner(message, level = 'error') {
  document.getElementById('banners').append(h('p', { class: `banner ${level}`, role: 'alert' }, message));
}

// A bug anywhere must be visible, never a silently dead page.
window.addEventListener('error', (e) => banner(`Unexpected error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) => banner(`Unexpected error: ${e.reason?.message ?? e.reason}`));

async function main() {
  const { state, error } = readState();
  if (error) banner(error, 'warn');
  const store = createStore(state);
  const events = new Bus();

  let wasm = null;
  try {
    await init();
    wasm = kubelogic;
    document.getElementById('version').textContent = `kubelogic ${kubelogic.kubelogicVersion()}`;
  } catch (e) {
    banner(`The kubelogic WebAssembly module did not load (${e.message}). Build it with scripts/build-wasm.sh.`);
  }

  document.getElementById('copy-link').addEventListener('click', async (e) => {
    store.flush();
    try {
      await navigator.clipboard.writeText(location.href);
      e.target.textContent = 'Link copied';
    } catch {
      e.target.textContent = 'Copy the address bar';
    }
    setTimeout(() => { e.target.textContent = 'Copy link to this what-if'; }, 2000);
  });

  await Promise.all(PANELS.map(async (panel) => {
    const section = document.getElementById(`panel-${panel.id}`);
    try {
      if (!wasm && panel.id === 'quantity') throw new Error('needs the WebAssembly module');
      await panel.mount(section, { wasm, store, events });
    } catch (e) {
      console.error(`panel ${panel.id}:`, e);
      section.querySelector('.panel-body').replaceChildren(
        h('p', { class: 'field-error' }, `This panel failed to start: ${e.message}`));
    }
  }));
  document.body.dataset.ready = 'true';
}

main();
