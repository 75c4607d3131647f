// Overview: task counts, charts of throughput and queue depth, and one card per queue with its
// backlog by priority, running tasks, limits, a pause/resume button and a concurrency setting.
import { api, ApiError } from './api.js';
import { $, el, every } from './dom.js';
import { lineChart } from './charts.js';
import { setConnection, rememberQueues } from './shared.js';

const statuses = ['queued', 'running', 'done', 'error', 'cancelled', 'waiting', 'scheduled'];
const maxDepthSeries = 6;
let lastHistory = null;

function renderCounts(counts) {
  $('#task-counts').replaceChildren(...statuses.map(s =>
    el('a', { class: 'count', href: `#/tasks?status=${s}`, 'aria-label': `${counts[s] ?? 0} ${s} tasks` },
      el('b', {}, (counts[s] ?? 0).toLocaleString()), el('span', {}, s))));
}

function limitsText(q) {
  const parts = [`max concurrency ${q.maxConcurrency}`];
  if (q.maxPending) parts.push(`max pending ${q.maxPending}`);
  if (q.startRate) parts.push(`start rate ${q.startRate}/s (burst ${q.startBurst})`);
  if (q.maxPerKey) parts.push(`max per key ${q.maxPerKey}`);
  if (q.agingInterval && q.agingInterval !== '00:00:00') parts.push(`aging every ${q.agingInterval}`);
  if (q.timeout) parts.push(`timeout ${q.timeout}`);
  return parts.join(' · ');
}

async function setPaused(q, paused, card) {
  const message = card.querySelector('.queue-message');
  try {
    const updated = await api.updateQueue(q.name, { paused });
    renderQueue(updated, card, true);
  } catch (e) {
    message.textContent = e instanceof ApiError ? e.message : String(e);
  }
}

async function setConcurrency(q, input, card) {
  const message = card.querySelector('.queue-message');
  const value = Number(input.value);
  if (!Number.isInteger(value) || value < 1) {
    message.textContent = 'Max concurrency must be a whole number of at least 1.';
    input.setAttribute('aria-invalid', 'true');
    return;
  }
  try {
    const updated = await api.updateQueue(q.name, { maxConcurrency: value });
    renderQueue(updated, card, true);
  } catch (e) {
    message.textContent = e instanceof ApiError ? (Object.values(e.fieldErrors).flat()[0] ?? e.message) : String(e);
  }
}

function renderQueue(q, card, force = false) {
  if (!force && card.contains(document.activeElement) && document.activeElement.tagName === 'INPUT') return;
  const priorities = Object.entries(q.pendingByPriority ?? {}).sort((a, b) => Number(b[0]) - Number(a[0]));
  const concurrency = el('input', { type: 'number', min: 1, step: 1, value: q.maxConcurrency, name: 'maxConcurrency', 'aria-label': `Max concurrency of queue ${q.name}` });
  const pauseButton = el('button', {
    type: 'button',
    class: q.paused ? '' : 'secondary',
    'aria-label': `${q.paused ? 'Resume' : 'Pause'} queue ${q.name}`,
    onclick: () => setPaused(q, !q.paused, card),
  }, q.paused ? 'Resume' : 'Pause');
  card.replaceChildren(...[
    el('h3', {}, el('a', { href: `#/tasks?queue=${encodeURIComponent(q.name)}` }, q.name),
      el('span', { class: `badge ${q.paused ? 'st-paused' : 'st-running'}`, 'aria-label': `Queue ${q.name} state` }, q.paused ? 'paused' : 'active')),
    el('dl', {},
      el('dt', {}, 'Pending'), el('dd', { 'data-field': 'pending' }, q.pending.toLocaleString()),
      el('dt', {}, 'Running'), el('dd', { 'data-field': 'running' }, `${q.running} of ${q.maxConcurrency}`),
      q.scheduled ? [el('dt', {}, 'Scheduled'), el('dd', {}, q.scheduled.toLocaleString())] : null,
      q.heldByKeyLimit ? [el('dt', {}, 'Held by key limit'), el('dd', {}, q.heldByKeyLimit.toLocaleString())] : null,
      el('dt', {}, 'Limits'), el('dd', {}, limitsText(q)),
      el('dt', {}, 'Started / finished'), el('dd', {}, `${q.started.toLocaleString()} / ${q.finished.toLocaleString()}`)),
    el('p', { class: 'note', id: `prio-${q.name}` }, priorities.length ? 'Pending by priority' : 'Nothing pending'),
    priorities.length
      ? el('ul', { class: 'prio', 'aria-labelledby': `prio-${q.name}` }, priorities.map(([p, n]) => el('li', {}, `p${p}: ${n.toLocaleString()}`)))
      : null,
    el('div', { class: 'queue-actions' },
      pauseButton,
      el('form', { onsubmit: (e) => { e.preventDefault(); setConcurrency(q, concurrency, card); } },
        concurrency, el('button', { type: 'submit', class: 'secondary', 'aria-label': `Save max concurrency of queue ${q.name}` }, 'Save'))),
    el('p', { class: 'message queue-message', role: 'status' }),
  ].filter(Boolean));
}

function renderQueues(queues) {
  const container = $('#queues');
  $('#queues-empty').hidden = queues.length > 0;
  const existing = new Map([...container.children].map(c => [c.dataset.queue, c]));
  const cards = queues.map(q => {
    const card = existing.get(q.name) ?? el('article', { class: 'queue', 'data-queue': q.name, 'aria-label': `Queue ${q.name}` });
    renderQueue(q, card);
    return card;
  });
  // Cards stay in place (a focused input keeps its focus); new ones are inserted, gone ones removed.
  cards.forEach((card, i) => {
    if (container.children[i] !== card) container.insertBefore(card, container.children[i] ?? null);
  });
  while (container.children.length > cards.length) container.lastElementChild.remove();
}

function renderCharts(history) {
  lastHistory = history;
  const times = history.samples.map(s => Date.parse(s.at));
  const windowMs = history.windowSeconds * 1000;
  lineChart($('#throughput-chart'), {
    title: 'Throughput',
    unit: '/s',
    times,
    windowMs,
    series: [
      { name: 'finished', values: history.samples.map(s => s.finishedPerSecond) },
      { name: 'started', values: history.samples.map(s => s.startedPerSecond), dashed: true },
    ],
  });
  const latest = history.samples.at(-1)?.queues ?? {};
  const busiest = Object.keys(latest).sort((a, b) => latest[b].pending - latest[a].pending || a.localeCompare(b)).slice(0, maxDepthSeries);
  lineChart($('#depth-chart'), {
    title: 'Queue depth',
    times,
    windowMs,
    series: [
      { name: 'all queues', values: history.samples.map(s => s.pending) },
      ...busiest.map(name => ({ name, values: history.samples.map(s => s.queues[name]?.pending ?? 0) })),
    ],
  });
}

async function refreshStatus() {
  try {
    const system = await api.system();
    renderCounts(system.taskCounts);
    renderQueues(system.queues);
    rememberQueues(system.queues.map(q => q.name));
    setConnection(null);
  } catch (e) {
    setConnection(e);
  }
}

async function refreshHistory() {
  try {
    renderCharts(await api.history());
  } catch (e) {
    setConnection(e);
  }
}

let stops = [];
const onResize = () => { if (lastHistory) renderCharts(lastHistory); };

export function showOverview() {
  refreshStatus();
  refreshHistory();
  stops = [every(3000, refreshStatus), every(5000, refreshHistory)];
  window.addEventListener('resize', onResize);
}

export function hideOverview() {
  stops.forEach(stop => stop());
  stops = [];
  window.removeEventListener('resize', onResize);
}
