// Hand-written SVG line charts: a time axis (the history window, oldest left), a y axis from 0 to
// a rounded maximum, one polyline per series, a legend, and an aria-label with the latest values.

const NS = 'http://www.w3.org/2000/svg';
export const palette = ['#1f5fbf', '#1a7f37', '#b3261e', '#9a6700', '#8250df', '#0b7285', '#d9480f', '#495057'];

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

function formatValue(v) {
  return v >= 100 ? Math.round(v).toString() : v >= 10 ? v.toFixed(1) : v.toFixed(2).replace(/\.?0+$/, '') || '0';
}

/**
 * Draws into container. series: [{name, values: number[], dashed?}] aligned with times (Date ms, ascending);
 * windowMs: how much time the x axis spans, ending at the last sample (or now).
 */
export function lineChart(container, { title, series, times, windowMs, unit }) {
  const width = Math.max(260, container.clientWidth || 600);
  const height = 160;
  const left = 40, right = 8, top = 8, bottom = 20;
  const end = times.length ? times[times.length - 1] : Date.now();
  const start = end - windowMs;
  const max = niceMax(Math.max(0, ...series.flatMap(s => s.values)));
  const x = t => left + ((t - start) / windowMs) * (width - left - right);
  const y = v => top + (1 - v / max) * (height - top - bottom);

  const latest = series.map(s => `${s.name} ${formatValue(s.values.at(-1) ?? 0)}${unit ?? ''}`).join(', ');
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: ${times.length ? `latest ${latest}` : 'no samples yet'}` });
  root.append(svg('line', { class: 'axis', x1: left, y1: y(0), x2: width - right, y2: y(0) }));
  root.append(svg('line', { class: 'axis', x1: left, y1: y(max), x2: width - right, y2: y(max), 'stroke-dasharray': '3 3' }));
  root.append(svg('text', { class: 'tick', x: left - 4, y: y(max) + 4, 'text-anchor': 'end' }, formatValue(max)));
  root.append(svg('text', { class: 'tick', x: left - 4, y: y(0) + 4, 'text-anchor': 'end' }, '0'));
  const minutes = Math.round(windowMs / 60000);
  root.append(svg('text', { class: 'tick', x: left, y: height - 4 }, minutes >= 1 ? `−${minutes} min` : `−${Math.round(windowMs / 1000)} s`));
  root.append(svg('text', { class: 'tick', x: width - right, y: height - 4, 'text-anchor': 'end' }, 'now'));

  series.forEach((s, i) => {
    const points = s.values.map((v, j) => `${x(times[j]).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    if (s.values.length === 1) {
      root.append(svg('circle', { cx: x(times[0]), cy: y(s.values[0]), r: 2.5, fill: palette[i % palette.length] }));
    } else if (points) {
      root.append(svg('polyline', { points, fill: 'none', stroke: palette[i % palette.length], 'stroke-width': 2, 'stroke-linejoin': 'round', ...(s.dashed ? { 'stroke-dasharray': '5 4' } : {}) }));
    }
  });

  const legend = document.createElement('ul');
  legend.className = 'legend';
  series.forEach((s, i) => {
    const item = document.createElement('li');
    const swatch = document.createElement('i');
    swatch.style.background = palette[i % palette.length];
    item.append(swatch, `${s.name}: ${formatValue(s.values.at(-1) ?? 0)}${unit ?? ''}`);
    legend.append(item);
  });
  container.replaceChildren(root, legend);
}
