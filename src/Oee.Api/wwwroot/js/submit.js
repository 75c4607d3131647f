// The submit form: handlers from GET /api/handlers, the input parsed as JSON in the browser, the
// service's 400 field errors shown beside their fields; a created task opens its page.
import { api, ApiError } from './api.js';
import { $, el } from './dom.js';
import { rememberQueues } from './shared.js';

const fields = ['name', 'handler', 'queue', 'priority', 'tags', 'input', 'delay'];
const examples = { delay: '{"ms": 5000, "steps": 10}', fail: '{"message": "boom"}', echo: '{"hello": "world"}' };
let handlers = [];

function clearErrors(form) {
  for (const name of fields) {
    form.elements[name].removeAttribute('aria-invalid');
    $(`#err-${name}`).textContent = '';
  }
  $('#submit-message').textContent = '';
}

function showError(form, field, text) {
  const name = fields.find(f => f === field.split(/[.[]/)[0]) ?? null;
  if (name) {
    form.elements[name].setAttribute('aria-invalid', 'true');
    const target = $(`#err-${name}`);
    target.textContent = target.textContent ? `${target.textContent} ${text}` : text;
    return true;
  }
  return false;
}

function showHandlerShape() {
  const form = $('#submit-form');
  const handler = handlers.find(h => h.name === form.elements.handler.value);
  $('#handler-shape').textContent = handler?.inputShape ? `Input: ${handler.inputShape}` : 'Input: any JSON.';
  const input = form.elements.input;
  if (!input.value.trim() || input.dataset.example === input.value) {
    input.value = examples[handler?.name] ?? '';
    input.dataset.example = input.value;
  }
}

async function loadHandlers() {
  const select = $('#submit-form').elements.handler;
  try {
    handlers = await api.handlers();
    const chosen = select.value;
    select.replaceChildren(...handlers.map(h => el('option', { value: h.name }, h.name)));
    if (handlers.some(h => h.name === chosen)) select.value = chosen;
    showHandlerShape();
  } catch (e) {
    $('#submit-message').textContent = `Could not load the handlers: ${e.message}`;
  }
}

function readBody(form) {
  const body = { name: form.elements.name.value.trim(), handler: form.elements.handler.value };
  const queue = form.elements.queue.value.trim();
  if (queue) body.queue = queue;
  const priority = form.elements.priority.value.trim();
  if (priority) body.priority = Number(priority);
  const tags = form.elements.tags.value.split(',').map(t => t.trim()).filter(Boolean);
  if (tags.length) body.tags = tags;
  const delay = form.elements.delay.value.trim();
  if (delay) body.delay = delay;
  const input = form.elements.input.value.trim();
  if (input) {
    try {
      body.input = JSON.parse(input);
    } catch (e) {
      showError(form, 'input', `The input is not valid JSON: ${e.message}`);
      return null;
    }
  }
  if (!body.name) {
    showError(form, 'name', 'A task needs a name.');
    return null;
  }
  return body;
}

async function submit(event) {
  event.preventDefault();
  const form = event.target;
  clearErrors(form);
  const body = readBody(form);
  if (!body) {
    form.querySelector('[aria-invalid="true"]')?.focus();
    return;
  }
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  try {
    const task = await api.submit(body);
    location.hash = `#/tasks/${encodeURIComponent(task.id)}`;
  } catch (e) {
    if (e instanceof ApiError) {
      const unplaced = [];
      for (const [field, messages] of Object.entries(e.fieldErrors)) {
        for (const text of [messages].flat()) if (!showError(form, field, text)) unplaced.push(text);
      }
      $('#submit-message').textContent = e.status === 429
        ? `${e.message} Try again in ${e.problem.retryAfterSeconds ?? 1} s.`
        : [e.status === 400 ? 'The task was not submitted: fix the fields marked.' : e.message, ...unplaced].join(' ');
      form.querySelector('[aria-invalid="true"]')?.focus();
    } else {
      $('#submit-message').textContent = String(e);
    }
  } finally {
    button.disabled = false;
  }
}

export function setupSubmit() {
  const form = $('#submit-form');
  form.addEventListener('submit', submit);
  form.elements.handler.addEventListener('change', showHandlerShape);
}

export function showSubmit() {
  clearErrors($('#submit-form'));
  loadHandlers();
  api.queues().then(queues => rememberQueues(queues.map(q => q.name))).catch(() => {});
}
