// The task list: filters (status, queue, exact name, tag) kept in the address (#/tasks?...), one
// server-side page at a time (limit + the listing's cursor; never the whole list), newest first.
import { api, ApiError } from './api.js';
import { $, el, badge, formatTime, every } from './dom.js';

const filterNames = ['status', 'queue', 'name', 'tag', 'limit'];
let filters = {};
let cursors = [null];   // cursors[i] fetches page i; cursors[i + 1] is page i's nextCursor
let page = 0;
let stop = null;

function row(t) {
  return el('tr', {},
    el('td', {}, el('a', { href: `#/tasks/${encodeURIComponent(t.id)}`, title: t.id }, t.name)),
    el('td', {}, badge(t.status)),
    el('td', {}, t.queue),
    el('td', { class: 'num' }, t.priority),
    el('td', { class: 'wide' }, t.handler),
    el('td', { class: 'wide' }, formatTime(t.createdAt)),
    el('td', { class: 'num wide' }, t.attempt));
}

// Each load is numbered: an answer that comes after a later load began (the newest page's refresh overtaken by a
// click on Older, or by new filters) is dropped, so that rows, page label and cursors always belong together.
let loads = 0;

async function load() {
  const message = $('#tasks-message');
  const asked = { number: ++loads, page };
  try {
    const result = await api.tasks({ ...filters, cursor: cursors[asked.page] ?? undefined });
    if (asked.number !== loads) return;
    cursors[asked.page + 1] = result.nextCursor;
    cursors.length = asked.page + 2;
    $('#task-table tbody').replaceChildren(...result.items.map(row));
    message.textContent = result.items.length === 0 ? (asked.page === 0 ? 'No task matches these filters.' : 'No more tasks.') : '';
    $('#page-label').textContent = `Page ${asked.page + 1}`;
    $('#page-prev').disabled = asked.page === 0;
    $('#page-first').disabled = asked.page === 0;
    $('#page-next').disabled = !result.nextCursor;
  } catch (e) {
    if (asked.number !== loads) return;
    // No rows of an earlier listing stay under the error. The problem's detail already names each field.
    $('#task-table tbody').replaceChildren();
    $('#page-next').disabled = true;
    message.textContent = e instanceof ApiError
      ? e.message || Object.values(e.fieldErrors).flat().join(' ')
      : String(e);
  }
}

function readForm() {
  const data = new FormData($('#task-filters'));
  const values = {};
  for (const name of filterNames) {
    const value = String(data.get(name) ?? '').trim();
    if (value && !(name === 'limit' && value === '50')) values[name] = value;
  }
  return values;
}

function fillForm() {
  const form = $('#task-filters');
  for (const name of filterNames) form.elements[name].value = filters[name] ?? (name === 'limit' ? '50' : '');
}

export function setupTasks() {
  $('#task-filters').addEventListener('submit', (e) => {
    e.preventDefault();
    const hash = `#/tasks?${new URLSearchParams(readForm())}`;
    // The same filters again change no address (no hashchange): reload the listing from its first page here.
    if (location.hash === hash) { hideTasks(); showTasks(new URLSearchParams(readForm())); }
    else location.hash = hash;
  });
  $('#task-filters').addEventListener('reset', () => setTimeout(() => { location.hash = '#/tasks'; }));
  $('#page-next').addEventListener('click', () => { if (cursors[page + 1]) { page++; load(); } });
  $('#page-prev').addEventListener('click', () => { if (page > 0) { page--; load(); } });
  $('#page-first').addEventListener('click', () => { page = 0; load(); });
}

export function showTasks(query) {
  filters = {};
  for (const name of filterNames) {
    const value = query.get(name);
    if (value) filters[name] = value;
  }
  fillForm();
  cursors = [null];
  page = 0;
  load();
  // The newest page follows new tasks; older pages stay as they are until asked.
  stop = every(3000, () => (page === 0 ? load() : null));
}

export function hideTasks() {
  stop?.();
  stop = null;
}
