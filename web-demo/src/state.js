// Page state in the URL, so a what-if can be shared by copying the address.
//
// The whole state is one small JSON object, keyed by panel id, stored as
// base64url in the hash: `#s=eyJxdWFudGl0eSI6eyJhIjoiMS41R2kifX0`. Panels
// read their slice once at start (`get`) and write it on every edit (`set`);
// the address is replaced, not pushed, so editing does not flood history.

const KEY = 's';

function encode(obj) {
  const bytes = new TextEncoder().encode(JSON.stringify(obj));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function decode(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const obj = JSON.parse(new TextDecoder().decode(bytes));
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new Error('the shared state is not an object');
  }
  return obj;
}

/** Reads the state from `location.hash`; `{ state, error }`, never throws. */
export function readState(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const raw = params.get(KEY);
  if (!raw) return { state: {}, error: null };
  try {
    return { state: decode(raw), error: null };
  } catch (e) {
    return { state: {}, error: `The link's saved state could not be read (${e.message}); starting fresh.` };
  }
}

/** The state store handed to panels. */
export function createStore(initial) {
  const state = { ...initial };
  let timer = null;
  const flush = () => {
    timer = null;
    const hash = Object.keys(state).length ? `#${KEY}=${encode(state)}` : '';
    history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  };
  return {
    /** This panel's saved slice, or `fallback`. */
    get(panel, fallback = {}) {
      return { ...fallback, ...(state[panel] ?? {}) };
    },
    /** Replaces this panel's slice (`null` removes it) and updates the URL soon. */
    set(panel, slice) {
      if (slice === null) delete state[panel];
      else state[panel] = slice;
      clearTimeout(timer);
      timer = setTimeout(flush, 150);
    },
    /** Writes the URL now (tests and "copy link" use it). */
    flush() {
      clearTimeout(timer);
      flush();
    },
  };
}
