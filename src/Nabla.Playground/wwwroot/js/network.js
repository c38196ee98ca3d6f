// The network as TensorFlow Playground draws it: inputs on the left, each hidden unit as a small heatmap of
// its own output over the plane, class outputs on the right, and every weight as a curve whose colour is
// its sign (blue positive, orange negative) and whose width and opacity grow with its size.

import { fit, Heatmap, NEGATIVE, POSITIVE } from './draw.js';

export class NetworkView {
  constructor(canvas, controls, handlers) {
    this.canvas = canvas;
    this.controls = controls;
    this.handlers = handlers;
    this.data = null;
    this.nodes = [];
    this.focus = null;
    this.maps = new Map();
  }

  /** A new run: its shape (inputs, hidden sizes, classes) and the input features' heatmaps. */
  setData(data) {
    this.data = data;
    this.maps.clear();
    this.layout();
    this.buildControls();
  }

  layout() {
    const data = this.data;
    if (!data) return;
    const { width, height } = fit(this.canvas);
    const hidden = data.units.slice(0, -1);
    const counts = [data.features.length, ...hidden, data.units[data.units.length - 1]];
    const context = this.canvas.getContext('2d');
    context.font = '11px system-ui, sans-serif';
    const widest = Math.max(...data.classes.map(c => context.measureText(className(c)).width));
    const left = 78, right = Math.max(60, widest + 34), top = 40, bottom = 12;
    const step = counts.length > 1 ? (width - left - right) / (counts.length - 1) : 0;
    this.nodes = counts.map((n, c) => {
      const pitch = Math.min(52, (height - top - bottom) / n);
      const size = Math.max(3, Math.min(36, pitch * 0.78));
      const y0 = top + (height - top - bottom - pitch * n) / 2 + (pitch - size) / 2;
      const x = left + c * step - size / 2;
      return Array.from({ length: n }, (_, i) => ({ x, y: y0 + i * pitch, size }));
    });
  }

  buildControls() {
    const hidden = this.data.units.slice(0, -1);
    this.controls.replaceChildren();
    hidden.forEach((units, l) => {
      const column = this.nodes[l + 1];
      const group = document.createElement('div');
      group.className = 'layer-control';
      group.style.left = `${column[0].x + column[0].size / 2}px`;
      const add = button('+', `Add a unit to hidden layer ${l + 1}`, () => this.handlers.units(l, +1));
      const remove = button('−', `Remove a unit from hidden layer ${l + 1}`, () => this.handlers.units(l, -1));
      const label = document.createElement('span');
      label.textContent = `${units} ${units === 1 ? 'unit' : 'units'}`;
      group.append(add, remove, label);
      this.controls.append(group);
      // Each unit is a transparent button over its heatmap: clicked (or chosen from the keyboard) it is enlarged.
      column.forEach((n, u) => {
        const unit = document.createElement('button');
        unit.type = 'button';
        unit.className = 'unit';
        unit.dataset.unit = `${l},${u}`;
        unit.title = `Unit ${u + 1} of hidden layer ${l + 1}: click to enlarge`;
        Object.assign(unit.style, { left: `${n.x}px`, top: `${n.y}px`, width: `${n.size}px`, height: `${n.size}px` });
        unit.addEventListener('click', () => {
          const same = this.focus && this.focus.layer === l && this.focus.unit === u;
          this.handlers.focus(same ? null : { layer: l, unit: u });
        });
        this.controls.append(unit);
      });
    });
  }

  draw(frame) {
    const data = this.data;
    if (!data) return;
    const { context, width, height } = fit(this.canvas);
    if (this.nodes.length === 0 || Math.abs(this.width - width) > 1 || Math.abs(this.height - height) > 1) {
      [this.width, this.height] = [width, height];
      this.layout();
      this.buildControls();
    }
    context.clearRect(0, 0, width, height);
    this.focus = frame && frame.focus ? { layer: frame.focus.layer, unit: frame.focus.unit } : null;
    if (frame && frame.weights) this.drawWeights(context, frame.weights);
    this.drawInputs(context);
    if (frame && frame.neurons) this.drawHidden(context, frame.neurons, frame.weights);
    this.drawOutputs(context, frame && frame.weights);
  }

  drawWeights(context, weights) {
    weights.forEach((layer, l) => {
      const from = this.nodes[l], to = this.nodes[l + 1];
      if (!from || !to) return;
      const inputs = from.length;
      for (let o = 0; o < to.length; o++)
        for (let i = 0; i < inputs; i++) {
          const w = layer.w[o * inputs + i];
          if (w == null) continue;
          const a = from[i], b = to[o];
          const x1 = a.x + a.size, y1 = a.y + a.size / 2, x2 = b.x, y2 = b.y + b.size / 2, mid = (x1 + x2) / 2;
          const strength = Math.min(Math.abs(w), 4);
          const [r, g, bl] = w > 0 ? POSITIVE : NEGATIVE;
          context.strokeStyle = `rgba(${r},${g},${bl},${(0.25 + 0.7 * strength / 4).toFixed(3)})`;
          context.lineWidth = 0.5 + strength * 1.1;
          context.beginPath();
          context.moveTo(x1, y1);
          context.bezierCurveTo(mid, y1, mid, y2, x2, y2);
          context.stroke();
        }
    });
  }

  drawInputs(context) {
    const column = this.nodes[0];
    context.font = '11px system-ui, sans-serif';
    context.textAlign = 'right';
    context.textBaseline = 'middle';
    column.forEach((n, j) => {
      const map = this.data.inputs[j];
      if (map && n.size >= 10) {
        const heat = this.heatmap(`in${j}`, this.data.neuronCells);
        context.imageSmoothingEnabled = true;
        context.drawImage(heat.fillUnit(map.cells), n.x, n.y, n.size, n.size);
      } else {
        context.fillStyle = '#c9ced3';
        context.fillRect(n.x, n.y, n.size, n.size);
      }
      context.strokeStyle = '#9aa3ab';
      context.lineWidth = 1;
      context.strokeRect(n.x + 0.5, n.y + 0.5, n.size - 1, n.size - 1);
      if (n.size >= 8 || j % Math.ceil(8 / n.size) === 0) {
        context.fillStyle = '#333';
        context.fillText(truncate(this.data.features[j], 11), n.x - 5, n.y + n.size / 2);
      }
    });
  }

  drawHidden(context, neurons, weights) {
    neurons.forEach((layer, l) => {
      const column = this.nodes[l + 1];
      if (!column) return;
      layer.forEach((unit, u) => {
        const n = column[u];
        if (!n) return;
        const heat = this.heatmap(`h${l}.${u}`, this.data.neuronCells);
        context.imageSmoothingEnabled = true;
        context.drawImage(heat.fillUnit(unit.cells), n.x, n.y, n.size, n.size);
        const focused = this.focus && this.focus.layer === l && this.focus.unit === u;
        context.strokeStyle = focused ? '#111' : '#9aa3ab';
        context.lineWidth = focused ? 2.5 : 1;
        context.strokeRect(n.x + 0.5, n.y + 0.5, n.size - 1, n.size - 1);
        if (weights && weights[l]) drawBias(context, n, weights[l].b[u]);
      });
    });
  }

  drawOutputs(context, weights) {
    const column = this.nodes[this.nodes.length - 1];
    const last = weights && weights[weights.length - 1];
    context.font = '11px system-ui, sans-serif';
    context.textAlign = 'left';
    context.textBaseline = 'middle';
    column.forEach((n, k) => {
      const r = Math.min(n.size / 2, 10);
      context.beginPath();
      context.arc(n.x + n.size / 2, n.y + n.size / 2, r, 0, 2 * Math.PI);
      context.fillStyle = this.data.colors[k % this.data.colors.length];
      context.fill();
      if (last) drawBias(context, { x: n.x + n.size / 2 - r, y: n.y + n.size / 2 - r, size: 2 * r }, last.b[k]);
      context.fillStyle = '#333';
      context.fillText(className(this.data.classes[k]), n.x + n.size / 2 + r + 6, n.y + n.size / 2);
    });
  }

  heatmap(key, cells) {
    if (!this.maps.has(key)) this.maps.set(key, new Heatmap(cells));
    return this.maps.get(key);
  }
}

/** A small square at the node's lower left: the bias, coloured by sign, stronger when larger. */
function drawBias(context, n, b) {
  if (b == null || n.size < 10) return;
  const [r, g, bl] = b > 0 ? POSITIVE : NEGATIVE;
  const alpha = 0.3 + 0.7 * Math.min(Math.abs(b), 2) / 2;
  context.fillStyle = `rgba(${r},${g},${bl},${alpha.toFixed(3)})`;
  context.fillRect(n.x - 3, n.y + n.size - 4, 6, 6);
  context.strokeStyle = '#fff';
  context.lineWidth = 1;
  context.strokeRect(n.x - 3, n.y + n.size - 4, 6, 6);
}

function button(text, title, action) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'mini';
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', action);
  return b;
}

/** "class 0" for numbered classes; a named class by its (shortened) name. */
export function className(name) {
  return /^\d+$/.test(name) ? `class ${name}` : truncate(name, 14);
}

function truncate(text, n) {
  const s = String(text);
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
