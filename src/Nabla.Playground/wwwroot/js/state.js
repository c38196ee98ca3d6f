// The page's state lives in the URL hash, as in TensorFlow Playground:
// #dataset=spiral&layers=8,8&activation=tanh&learningRate=0.03&play=1
// Training settings go to the server, which checks them and answers with the full canonical text;
// `play` and `speed` belong to the page.

export const PAGE_KEYS = ['play', 'speed'];

/** Parses hash text into an ordered map of key to value. */
export function parseHash(text) {
  const state = new Map();
  for (const part of text.replace(/^#/, '').split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const key = decodeURIComponent(i < 0 ? part : part.slice(0, i));
    state.set(key, i < 0 ? '' : decodeURIComponent(part.slice(i + 1)));
  }
  return state;
}

/** Writes a map back as hash text (values escaped, commas kept readable). */
export function formatHash(state) {
  return [...state].map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%2C/g, ',')}`).join('&');
}

/** The training settings only: what the server is sent. */
export function trainingText(state) {
  return formatHash(new Map([...state].filter(([k]) => !PAGE_KEYS.includes(k))));
}

/** Merges the server's canonical settings with the page's own keys, in that order. */
export function withCanonical(state, canonical) {
  const merged = parseHash(canonical);
  for (const key of PAGE_KEYS) if (state.has(key)) merged.set(key, state.get(key));
  return merged;
}

/** Switching dataset resets what belongs to the old one (its sample count and noise). */
export function switchDataset(state, dataset) {
  const next = new Map(state);
  next.set('dataset', dataset);
  next.delete('samples');
  next.delete('noise');
  if (dataset === 'upload') {
    if (state.get('dataset') !== 'upload') next.set('scale', 'standard');
  } else if (state.get('dataset') === 'upload') {
    next.set('scale', 'none');
    next.delete('testFraction');
  }
  return next;
}
