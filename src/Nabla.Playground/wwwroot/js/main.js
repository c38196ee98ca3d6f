// The playground page: one session per tab on the server, which trains and streams frames (server-sent
// events); this page only draws, on requestAnimationFrame, so it stays responsive however fast training goes.

import { parseHash, formatHash, trainingText, withCanonical } from './state.js';
import { syncControls, bindControls, layerSizes, listItem, number, percent } from './controls.js';
import { Heatmap, hexToRgb, drawPoints, drawLossChart, drawDatasetIcon, fit } from './draw.js';
import { NetworkView, className } from './network.js';

const $ = id => document.getElementById(id);
const MAX_CURVE = 1200;

let state = parseHash(location.hash);
let writtenHash = null;
let session = null;
let data = null, frame = null, dirty = false, pointsDirty = false;
let curve = [];
let boundaryMap = null, focusMap = null;

const network = new NetworkView($('network-canvas'), $('layer-controls'), {
  focus: unit => control(unit ? `focus=${unit.layer},${unit.unit}` : 'focus=none'),
  units: (layer, delta) => {
    const layers = layerSizes(state);
    layers[layer] = Math.min(32, Math.max(1, layers[layer] + delta));
    change('layers', layers.join(','));
  },
});

// ---- talking to the server ------------------------------------------------------------------

async function request(method, path, body) {
  const response = await fetch(path, { method, body, headers: body instanceof Blob ? {} : { 'Content-Type': 'text/plain' } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
    throw new Error(problem.error);
  }
  return response.status === 204 ? null : response.json();
}

const api = (method, path, body) => request(method, `/api/sessions/${session}/${path}`, body);

async function control(action) {
  try {
    await api('POST', 'control', action);
  } catch (e) {
    showMessage(e.message);
  }
}

async function applySettings(next) {
  try {
    const answer = await api('POST', 'settings', trainingText(next));
    state = withCanonical(next, answer.settings);
    state.delete('play');
    showMessage(null);
  } catch (e) {
    showMessage(e.message);
  }
  writeHash();
  syncControls(state);
}

function change(key, value) {
  const next = new Map(state);
  next.set(key, String(value));
  applySettings(next);
}

async function start() {
  for (const button of document.querySelectorAll('#datasets button')) drawDatasetIcon(button.querySelector('canvas'), button.dataset.dataset);
  try {
    session = (await request('POST', '/api/sessions')).id;
  } catch (e) {
    showMessage(e.message);
    $('status').textContent = 'no session';
    return;
  }
  addEventListener('pagehide', () => navigator.sendBeacon(`/api/sessions/${session}/close`));
  const events = new EventSource(`/api/sessions/${session}/events`);
  events.addEventListener('data', event => onData(JSON.parse(event.data)));
  events.addEventListener('frame', event => onFrame(JSON.parse(event.data)));
  events.addEventListener('error', () => {
    if (events.readyState === EventSource.CLOSED) showMessage('Lost the connection to the playground server; reload the page.');
  });
  const play = state.get('play') === '1';
  await applySettings(state);
  await control(`speed=${state.get('speed') || 'max'}`);
  if (play) await control('play');
  requestAnimationFrame(animate);
}

// ---- what the server sends --------------------------------------------------------------------

function onData(next) {
  data = next;
  data.rgb = data.colors.map(hexToRgb);
  curve = [];
  frame = null;
  boundaryMap = new Heatmap(data.boundaryCells);
  focusMap = new Heatmap(data.boundaryCells);
  network.setData(data);
  $('x-label').textContent = data.xLabel;
  $('y-label').textContent = data.yLabel;
  $('x-min').textContent = data.extent[0].toPrecision(2);
  $('x-max').textContent = data.extent[1].toPrecision(2);
  $('data-note').textContent = `${data.name}: ${data.trainCount.toLocaleString('en-US')} training and ${data.testCount.toLocaleString('en-US')} test samples, ` +
    `${data.features.length} features, ${data.classes.length} classes. ${data.note || ''}`;
  $('legend').replaceChildren(...data.classes.map((name, k) => {
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.style.background = data.colors[k];
    item.append(swatch, className(name));
    return item;
  }));
  $('export-result').hidden = true;
  pointsDirty = dirty = true;
}

function onFrame(next) {
  if (!data || next.run !== data.run) {
    if (next.status === 'error') showMessage(next.message);
    return;
  }
  frame = next;
  const last = curve[curve.length - 1];
  if (!last || frame.iteration > last.iteration || curve.length === 0)
    curve.push({ iteration: frame.iteration, train: frame.trainLoss, test: frame.testLoss });
  if (curve.length > MAX_CURVE) curve = curve.filter((_, i) => i % 2 === 0 || i === curve.length - 1);
  if (frame.message) showMessage(frame.message);
  const playing = frame.status === 'playing';
  if (playing !== (state.get('play') === '1')) {
    if (playing) state.set('play', '1'); else state.delete('play');
    writeHash();
  }
  dirty = true;
}

// ---- drawing, once per animation frame ------------------------------------------------------

let frames = 0, since = performance.now();

function animate(now) {
  frames++;
  if (now - since >= 1000) {
    $('fps').textContent = Math.round(frames * 1000 / (now - since));
    frames = 0;
    since = now;
  }
  if (dirty) {
    dirty = false;
    render();
  }
  requestAnimationFrame(animate);
}

function render() {
  if (pointsDirty) {
    pointsDirty = false;
    drawPoints($('points'), data, $('show-test').checked);
  }
  network.draw(frame);
  if (!frame || frame.boundary === undefined) return;
  $('iteration').textContent = frame.iteration.toLocaleString('en-US');
  $('epoch').textContent = frame.epoch.toLocaleString('en-US');
  $('steps-per-second').textContent = frame.stepsPerSecond.toLocaleString('en-US');
  $('loss-train').textContent = number(frame.trainLoss);
  $('loss-test').textContent = number(frame.testLoss);
  $('accuracy-train').textContent = percent(frame.trainAccuracy);
  $('accuracy-test').textContent = percent(frame.testAccuracy);
  $('status').textContent = frame.status;
  $('play').classList.toggle('playing', frame.status === 'playing');
  const { context, width, height } = fit($('boundary'));
  context.imageSmoothingEnabled = true;
  const image = frame.focus ? focusMap.fillUnit(frame.focus.cells) : boundaryMap.fillBoundary(frame.boundary, data.rgb);
  context.drawImage(image, 0, 0, width, height);
  $('focus-label').textContent = frame.focus
    ? `Showing unit ${frame.focus.unit + 1} of hidden layer ${frame.focus.layer + 1} (orange ${frame.focus.lo.toPrecision(2)}, blue ${frame.focus.hi.toPrecision(2)}); click it again for the decision boundary.`
    : 'The decision boundary: each class\u2019s colour where the network predicts it, deeper where it is surer.';
  drawLossChart($('loss-chart'), curve);
  const health = frame.health.warnings.length
    ? frame.health.warnings.map(w => listItem(w, 'warning'))
    : [listItem(frame.health.checks ? `All ${frame.health.checks} checks in range.` : 'Measured once training starts.', 'ok')];
  $('health').replaceChildren(...health);
}

function showMessage(text) {
  $('message').hidden = !text;
  $('message').textContent = text || '';
}

function writeHash() {
  writtenHash = formatHash(state);
  history.replaceState(null, '', `#${writtenHash}`);
}

bindControls({
  get state() { return state; },
  setPageKey(key, value) { state.set(key, value); writeHash(); },
  writtenHash: () => writtenHash,
  applySettings,
  change,
  control,
  api,
  showMessage,
  sessionPath: file => `/api/sessions/${session}/${file}`,
  playing: () => !!frame && frame.status === 'playing',
  redrawPoints: () => { pointsDirty = dirty = true; },
});
syncControls(state);
start();
