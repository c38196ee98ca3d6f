// The inputs: they show the state (syncControls) and turn edits into new settings (bindControls). Every
// training setting goes through the server, which checks it; the page's own keys (speed) stay here.

import { parseHash, switchDataset } from './state.js';

const $ = id => document.getElementById(id);

export const number = v => (v == null ? '–' : v.toFixed(3));
export const percent = v => (v == null ? '–' : `${(100 * v).toFixed(1)}%`);

/** The hidden layer sizes of <state>. */
export function layerSizes(state) {
  const text = state.get('layers') ?? '8,8';
  return text ? text.split(',').map(Number) : [];
}

export function listItem(text, kind) {
  const li = document.createElement('li');
  li.className = kind;
  li.textContent = text;
  return li;
}

/** Shows <state> in the inputs: values, which inputs apply, the layer count. */
export function syncControls(state) {
  for (const select of document.querySelectorAll('select[data-setting]')) {
    const value = state.get(select.dataset.setting);
    if (value === undefined) continue;
    if (![...select.options].some(o => o.value === value)) select.add(new Option(value, value));
    select.value = value;
  }
  $('speed').value = state.get('speed') || 'max';
  const dataset = state.get('dataset'), upload = dataset === 'upload';
  for (const button of document.querySelectorAll('#datasets button')) button.classList.toggle('selected', button.dataset.dataset === dataset);
  document.querySelector('#datasets .upload').classList.toggle('selected', upload);
  $('samples-field').hidden = upload;
  $('noise-field').hidden = upload || dataset === 'gaussians';
  $('testFraction-field').hidden = !upload;
  $('momentum-field').hidden = state.get('optimizer') === 'adam';
  for (const key of ['samples', 'noise', 'testFraction']) {
    if (!state.has(key)) continue;
    $(key).value = state.get(key);
    $(`${key}-value`).textContent = state.get(key);
  }
  const full = state.get('batchSize') === 'full';
  $('full-batch').checked = full;
  $('batchSize').disabled = full;
  if (!full) $('batchSize').value = state.get('batchSize');
  $('batchSize-value').textContent = state.get('batchSize');
  $('seed').value = state.get('seed');
  const layers = layerSizes(state);
  $('layer-count').textContent = `${layers.length} hidden ${layers.length === 1 ? 'layer' : 'layers'}`;
  $('dropout').title = Number(state.get('dropout')) > 0 ? 'The command needs nabla train --dropout (issue 14), not in the CLI yet.' : '';
  $('dropout').classList.toggle('flag', Number(state.get('dropout')) > 0);
}

/** Connects every input to <app>: its state, settings, controls, messages and the session's API. */
export function bindControls(app) {
  for (const select of document.querySelectorAll('select[data-setting]'))
    select.addEventListener('change', () => {
      const next = new Map(app.state);
      next.set(select.dataset.setting, select.value);
      if (select.dataset.setting === 'optimizer' && select.value === 'adam') next.delete('momentum');
      app.applySettings(next);
    });
  for (const key of ['samples', 'noise', 'testFraction']) {
    $(key).addEventListener('input', () => { $(`${key}-value`).textContent = $(key).value; });
    $(key).addEventListener('change', () => app.change(key, $(key).value));
  }
  $('batchSize').addEventListener('input', () => { $('batchSize-value').textContent = $('batchSize').value; });
  $('batchSize').addEventListener('change', () => app.change('batchSize', $('batchSize').value));
  $('full-batch').addEventListener('change', () => app.change('batchSize', $('full-batch').checked ? 'full' : $('batchSize').value));
  $('seed').addEventListener('change', () => app.change('seed', $('seed').value));
  $('new-seed').addEventListener('click', () => app.change('seed', String(BigInt(app.state.get('seed') || '0') + 1n)));
  $('speed').addEventListener('change', () => {
    app.setPageKey('speed', $('speed').value);
    app.control(`speed=${$('speed').value}`);
  });
  for (const button of document.querySelectorAll('#datasets button'))
    button.addEventListener('click', () => app.applySettings(switchDataset(app.state, button.dataset.dataset)));
  $('add-layer').addEventListener('click', () => {
    const layers = layerSizes(app.state);
    if (layers.length < 6) app.change('layers', [...layers, 4].join(','));
  });
  $('remove-layer').addEventListener('click', () => app.change('layers', layerSizes(app.state).slice(0, -1).join(',')));
  $('play').addEventListener('click', () => app.control(app.playing() ? 'pause' : 'play'));
  $('step').addEventListener('click', () => app.control('step'));
  $('reset').addEventListener('click', () => app.control('reset'));
  $('show-test').addEventListener('change', app.redrawPoints);
  addEventListener('resize', app.redrawPoints);
  addEventListener('hashchange', () => {
    if (location.hash.slice(1) !== app.writtenHash()) app.applySettings(parseHash(location.hash));
  });

  $('upload').addEventListener('change', async () => {
    const file = $('upload').files[0];
    if (!file) return;
    if (file.size > 10 * 1024 * 1024) {
      app.showMessage(`${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the playground takes CSV files of at most 10 MB.`);
      return;
    }
    try {
      const answer = await app.api('POST', `upload?name=${encodeURIComponent(file.name)}`, file);
      $('upload-name').textContent = answer.name;
      await app.applySettings(switchDataset(app.state, 'upload'));
    } catch (e) {
      app.showMessage(e.message);
    }
    $('upload').value = '';
  });

  $('export').addEventListener('click', async () => {
    try {
      const answer = await app.api('GET', 'export');
      $('export-result').hidden = false;
      $('export-epoch').textContent = answer.epoch
        ? `At the end of epoch ${answer.epoch.toLocaleString('en-US')}: training loss ${number(answer.train.loss)}, accuracy ${percent(answer.train.accuracy)}; test loss ${number(answer.test.loss)}, accuracy ${percent(answer.test.accuracy)}.`
        : '';
      $('command').textContent = answer.command || '';
      $('yaml').textContent = answer.yaml || '';
      $('command').hidden = $('yaml').hidden = !answer.command;
      $('export-notes').replaceChildren(...answer.notes.map(n => listItem(n, 'note')));
      $('download-model').href = app.sessionPath('model.safetensors');
      $('download-report').href = app.sessionPath('report.html');
      document.querySelector('.downloads').hidden = !answer.command;
    } catch (e) {
      app.showMessage(e.message);
    }
  });
}
