// Drawing helpers: colour scales, heatmaps decoded from the server's base64 bytes, the data plane, the loss chart.

export const NEGATIVE = [245, 147, 34];   // orange: below the middle of a unit's range, or a negative weight
export const MIDDLE = [232, 234, 235];
export const POSITIVE = [8, 119, 189];    // blue: above the middle, or a positive weight

/** Base64 text to bytes. */
export function bytes(base64) {
  const text = atob(base64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

export function hexToRgb(hex) {
  return [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
}

/** The diverging scale of unit outputs: byte 0 orange, 128 light grey, 255 blue. */
export function diverging(b) {
  const t = b / 255 * 2 - 1;
  const [end, s] = t < 0 ? [NEGATIVE, -t] : [POSITIVE, t];
  return [0, 1, 2].map(i => Math.round(MIDDLE[i] + (end[i] - MIDDLE[i]) * s));
}

/** A small offscreen canvas holding a cells×cells heatmap, ready to be drawn scaled. */
export class Heatmap {
  constructor(cells) {
    this.canvas = document.createElement('canvas');
    this.canvas.width = this.canvas.height = cells;
    this.context = this.canvas.getContext('2d');
    this.image = this.context.createImageData(cells, cells);
  }

  /** Unit outputs, one byte per cell, through the diverging scale. */
  fillUnit(base64) {
    const cells = bytes(base64), data = this.image.data;
    for (let i = 0; i < cells.length; i++) {
      const [r, g, b] = diverging(cells[i]);
      data[4 * i] = r; data[4 * i + 1] = g; data[4 * i + 2] = b; data[4 * i + 3] = 255;
    }
    this.context.putImageData(this.image, 0, 0);
    return this.canvas;
  }

  /** The decision boundary: per cell a class and a confidence, shaded from white to the class colour. */
  fillBoundary(base64, colors) {
    const cells = bytes(base64), data = this.image.data;
    for (let i = 0; i < cells.length / 2; i++) {
      const rgb = colors[cells[2 * i]] || [128, 128, 128];
      const t = 0.12 + 0.6 * cells[2 * i + 1] / 255;
      for (let c = 0; c < 3; c++) data[4 * i + c] = Math.round(255 + (rgb[c] - 255) * t);
      data[4 * i + 3] = 255;
    }
    this.context.putImageData(this.image, 0, 0);
    return this.canvas;
  }
}

/** Sizes a canvas to its CSS box at the device's pixel ratio and returns a context in CSS pixels. */
export function fit(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return { context, width, height };
}

/** The training (and test) points over the plane, test points ringed in black. */
export function drawPoints(canvas, data, showTest) {
  const { context, width, height } = fit(canvas);
  context.clearRect(0, 0, width, height);
  if (!data) return;
  const [x0, x1, y0, y1] = data.extent;
  const colors = data.colors;
  const sets = [[data.train, false]];
  if (showTest) sets.push([data.test, true]);
  for (const [set, test] of sets) {
    const n = set.labels.length, dense = n > 1500;
    const radius = dense ? 2 : 3;
    for (let i = 0; i < n; i++) {
      const x = (set.points[2 * i] - x0) / (x1 - x0) * width;
      const y = (1 - (set.points[2 * i + 1] - y0) / (y1 - y0)) * height;
      context.beginPath();
      context.arc(x, y, radius, 0, 2 * Math.PI);
      context.fillStyle = colors[set.labels[i] % colors.length];
      context.fill();
      if (test || !dense) {
        context.lineWidth = test ? 1 : 0.8;
        context.strokeStyle = test ? '#000' : '#fff';
        context.stroke();
      }
    }
  }
}

/** Training and test loss against iteration: grey and black lines, as TensorFlow Playground draws them. */
export function drawLossChart(canvas, curve) {
  const { context, width, height } = fit(canvas);
  context.clearRect(0, 0, width, height);
  context.fillStyle = '#fafafa';
  context.fillRect(0, 0, width, height);
  if (curve.length < 2) return;
  const last = curve[curve.length - 1].iteration || 1;
  let top = 0;
  for (const p of curve) top = Math.max(top, p.train ?? 0, p.test ?? 0);
  top = top || 1;
  for (const [key, color] of [['train', '#9a9a9a'], ['test', '#111']]) {
    context.beginPath();
    let started = false;
    for (const p of curve) {
      if (p[key] == null) continue;
      const x = 2 + p.iteration / last * (width - 4);
      const y = height - 2 - p[key] / top * (height - 6);
      if (started) context.lineTo(x, y); else context.moveTo(x, y);
      started = true;
    }
    context.strokeStyle = color;
    context.lineWidth = 1.5;
    context.stroke();
  }
  context.fillStyle = '#777';
  context.font = '10px system-ui, sans-serif';
  context.textAlign = 'right';
  context.fillText(`loss ${top.toPrecision(2)} at most · ${last.toLocaleString('en-US')} iterations`, width - 4, 11);
}

/** A tiny picture of each generated dataset for its button (a few dozen points from a fixed sequence). */
export function drawDatasetIcon(canvas, name) {
  const { context, width, height } = fit(canvas);
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-9)) * Math.cos(2 * Math.PI * random());
  const points = [];
  if (name === 'gaussians')
    for (let i = 0; i < 50; i++) points.push(i < 25 ? [1 + 0.5 * gauss(), 1 + 0.5 * gauss(), 0] : [2 + 0.2 * gauss(), 2 + 0.2 * gauss(), 1]);
  else if (name === 'moons')
    for (let i = 0; i < 50; i++) { const t = Math.PI * (i % 25) / 24; points.push(i < 25 ? [Math.cos(t), Math.sin(t), 0] : [1 - Math.cos(t), 0.5 - Math.sin(t), 1]); }
  else if (name === 'circles')
    for (let i = 0; i < 60; i++) { const t = 2 * Math.PI * i / 30, r = i < 30 ? 1 : 0.45; points.push([r * Math.cos(t), r * Math.sin(t), i < 30 ? 0 : 1]); }
  else if (name === 'spiral')
    for (let k = 0; k < 3; k++) for (let i = 0; i < 20; i++) { const r = i / 19, t = 2 * Math.PI * k / 3 + 4 * r; points.push([r * Math.cos(t), r * Math.sin(t), k]); }
  else if (name === 'xor')
    for (let i = 0; i < 60; i++) { const c = i % 4, a = c >> 1, b = c & 1; points.push([a + 0.15 * gauss(), b + 0.15 * gauss(), a ^ b]); }
  const xs = points.map(p => p[0]), ys = points.map(p => p[1]);
  const [xMin, xMax, yMin, yMax] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const colors = ['#0072B2', '#D55E00', '#009E73'];
  context.clearRect(0, 0, width, height);
  for (const [x, y, k] of points) {
    context.beginPath();
    context.arc(4 + (x - xMin) / (xMax - xMin) * (width - 8), height - 4 - (y - yMin) / (yMax - yMin) * (height - 8), 1.8, 0, 2 * Math.PI);
    context.fillStyle = colors[k];
    context.fill();
  }
}
