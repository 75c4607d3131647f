// One task: its fields, input, result or error, a progress bar, cancel and retry. Live through
// Server-Sent Events (GET /api/tasks/{id}/events) when the service offers them; otherwise (or when
// the stream drops) by polling the task every second until it is final.
import { api, ApiError, finalStatuses, apiKey } from './api.js';
import { $, el, formatTime, formatJson } from './dom.js';

// Each SSE message is `event: task` with the event JSON (README "Events, progress and webhooks");
// `reset` says a resume fell outside the service's window (a snapshot follows).
const eventTypes = ['task', 'reset'];
const maxLoggedEvents = 50;
let current = null;      // { id, task, source, poll, refreshTimer }

/** The task's progress in percent, or null when unknown. */
export function progressOf(task) {
  const reported = task?.progress;
  const percent = typeof reported === 'number' ? reported : reported?.percent;
  if (task?.status === 'done') return 100;
  return typeof percent === 'number' ? Math.max(0, Math.min(100, percent)) : null;
}

function progressMessage(task) {
  return typeof task?.progress === 'object' ? task.progress?.message ?? '' : '';
}

function renderProgress(task, percent = progressOf(task)) {
  const bar = $('#task-progress');
  const state = ['done', 'error', 'cancelled'].includes(task.status) ? task.status : percent === null ? 'unknown' : 'running';
  bar.dataset.state = state;
  if (percent === null) {
    bar.removeAttribute('aria-valuenow');
    bar.setAttribute('aria-valuetext', finalStatuses.has(task.status) ? task.status : 'no progress reported');
    $('#task-progress-fill').style.width = '';
    $('#task-progress-text').textContent = finalStatuses.has(task.status) ? '' : '…';
  } else {
    const rounded = Math.round(percent);
    const message = progressMessage(task);
    bar.setAttribute('aria-valuenow', String(rounded));
    bar.setAttribute('aria-valuetext', message ? `${rounded}% ${message}` : `${rounded}%`);
    $('#task-progress-fill').style.width = `${percent}%`;
    $('#task-progress-text').textContent = message ? `${rounded} % · ${message}` : `${rounded} %`;
  }
}

function field(name, value) {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
    ? []
    : [el('dt', {}, name), el('dd', {}, Array.isArray(value) ? value.join(', ') : String(value))];
}

function render(task) {
  current.task = task;
  $('#task-title').textContent = task.name;
  $('#task-id').textContent = task.id;
  const status = $('#task-status');
  status.textContent = task.status;
  status.className = `badge st-${task.status}`;
  $('#task-cancel').disabled = finalStatuses.has(task.status) || task.cancelRequested;
  $('#task-retry').disabled = !(task.status === 'error' || task.status === 'cancelled');
  renderProgress(task);
  $('#task-fields').replaceChildren(
    ...field('Handler', task.handler),
    ...field('Queue', task.queue),
    ...field('Priority', task.priority),
    ...field('Tags', task.tags),
    ...field('Attempt', `${task.attempt} (up to ${task.maxAttempts} per run)`),
    ...field('Created', formatTime(task.createdAt)),
    ...field('Started', formatTime(task.startedAt)),
    ...field('Completed', formatTime(task.completedAt)),
    ...field('Next run', formatTime(task.nextRunAt)),
    ...field('Cancel requested', task.cancelRequested ? 'yes' : null),
    ...field('Dead-lettered', task.deadLettered ? 'yes' : null),
    ...field('Timeout', task.timeout),
    ...field('Concurrency key', task.concurrencyKey),
    ...field('Depends on', task.dependsOn),
    ...field('Waiting for', task.pendingDependencies),
    ...field('Dependents', task.dependents),
    ...field('Silo', task.silo),
    ...field('Version', task.version));
  $('#task-input').textContent = formatJson(task.input);
  $('#task-result-block').hidden = task.status !== 'done';
  $('#task-result').textContent = formatJson(task.result);
  $('#task-error-block').hidden = !task.error;
  $('#task-error').textContent = task.error ? `${task.error.type}: ${task.error.message}` : '';
  if (finalStatuses.has(task.status)) stopLive('final');
}

async function refresh() {
  const id = current?.id;
  try {
    const task = await api.task(id);
    if (current?.id === id) render(task);
  } catch (e) {
    if (current?.id !== id) return;
    $('#task-message').textContent = e instanceof ApiError && e.status === 404 ? `No task has the id '${id}'.` : e.message;
    if (e instanceof ApiError && e.status === 404) stopLive('gone');
  }
}

function refreshSoon() {
  if (!current || current.refreshTimer) return;
  current.refreshTimer = setTimeout(() => { if (current) { current.refreshTimer = null; refresh(); } }, 250);
}

function startPolling(reason) {
  if (!current || current.poll) return;
  $('#task-live').textContent = reason;
  const tick = async () => {
    if (!current?.poll) return;
    await refresh();
    if (current?.poll) current.poll = setTimeout(tick, 1000);
  };
  current.poll = setTimeout(tick, 1000);
}

function logEvent(data) {
  if (!data?.status || data.kind === 'snapshot' || data.kind === 'progress') return;
  const change = data.oldStatus && data.oldStatus !== data.status ? `${data.oldStatus} → ${data.status}` : data.status;
  const log = $('#task-events');
  log.prepend(el('li', {},
    el('time', { datetime: data.at }, formatTime(data.at)), ' ',
    el('strong', {}, change ?? data.kind),
    data.reason ? ` (${data.reason}${data.attempt ? `, attempt ${data.attempt}` : ''})` : '',
    data.error ? ` — ${data.error.message}` : ''));
  while (log.children.length > maxLoggedEvents) log.lastElementChild.remove();
  $('#task-events-block').hidden = false;
}

function onEvent(event) {
  let data = null;
  try { data = JSON.parse(event.data); } catch { /* not JSON: just refresh */ }
  logEvent(data);
  if (data?.progress && current?.task && !finalStatuses.has(current.task.status)) {
    current.task = { ...current.task, progress: data.progress };
    renderProgress(current.task);
  }
  if (data?.status && finalStatuses.has(data.status)) {
    // The stream ends after a final event: read the task once more and stop listening.
    current?.source?.close();
    if (current) current.source = null;
    refresh();
    return;
  }
  refreshSoon();
}

function startLive(id) {
  if (typeof EventSource === 'undefined') {
    startPolling('Updates every second (this browser has no Server-Sent Events).');
    return;
  }
  if (apiKey()) {
    // EventSource cannot send a header, so a keyed session polls instead of streaming.
    startPolling('Updates every second (a live stream cannot carry the API key).');
    return;
  }
  const source = new EventSource(`/api/tasks/${encodeURIComponent(id)}/events`);
  current.source = source;
  let opened = false;
  source.addEventListener('open', () => {
    opened = true;
    $('#task-live').textContent = 'Live: updates as they happen.';
    if (current?.poll) { clearTimeout(current.poll); current.poll = null; }
    refreshSoon();
  });
  for (const type of eventTypes) source.addEventListener(type, onEvent);
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED || !opened) {
      // No stream here (an older service answers 404), or it failed for good: poll instead.
      source.close();
      if (current?.source === source) current.source = null;
      startPolling('Updates every second.');
    } else {
      // The browser reconnects by itself (with Last-Event-ID); poll meanwhile.
      startPolling('Reconnecting; updates every second meanwhile.');
    }
  });
}

function stopLive(reason) {
  if (!current) return;
  current.source?.close();
  current.source = null;
  if (current.poll) clearTimeout(current.poll);
  current.poll = null;
  if (reason === 'final') $('#task-live').textContent = '';
}

async function act(action, verb) {
  const id = current?.id;
  const message = $('#task-message');
  message.textContent = '';
  try {
    const task = await action(id);
    if (current?.id !== id) return;
    render(task);
    if (!finalStatuses.has(task.status) && !current.source && !current.poll) startLive(id);
  } catch (e) {
    message.textContent = e instanceof ApiError ? `Could not ${verb}: ${e.message}` : String(e);
  }
}

export function setupTask() {
  $('#task-cancel').addEventListener('click', () => act(api.cancel, 'cancel'));
  $('#task-retry').addEventListener('click', () => act(api.retry, 'retry'));
}

// Nothing of the task shown before stays while another loads (or fails to: a 404, a 401).
function clearTask() {
  const status = $('#task-status');
  status.textContent = '';
  status.className = 'badge';
  $('#task-cancel').disabled = true;
  $('#task-retry').disabled = true;
  const bar = $('#task-progress');
  delete bar.dataset.state;
  bar.removeAttribute('aria-valuenow');
  bar.removeAttribute('aria-valuetext');
  $('#task-progress-fill').style.width = '';
  $('#task-progress-text').textContent = '';
  $('#task-fields').replaceChildren();
  $('#task-input').textContent = '';
  $('#task-result-block').hidden = true;
  $('#task-result').textContent = '';
  $('#task-error-block').hidden = true;
  $('#task-error').textContent = '';
}

export async function showTask(id) {
  hideTask();
  current = { id, task: null, source: null, poll: null, refreshTimer: null };
  clearTask();
  $('#task-message').textContent = '';
  $('#task-live').textContent = '';
  $('#task-title').textContent = 'Task';
  $('#task-id').textContent = id;
  $('#task-events').replaceChildren();
  $('#task-events-block').hidden = true;
  await refresh();
  if (current?.id === id && current.task && !finalStatuses.has(current.task.status)) startLive(id);
}

export function hideTask() {
  if (!current) return;
  stopLive();
  clearTimeout(current.refreshTimer);
  current = null;
}
