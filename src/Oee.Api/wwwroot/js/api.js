// The REST API, as the dashboard uses it. Every call resolves to the parsed JSON body or throws an
// ApiError carrying the HTTP status and the problem details (title, detail, errors by field).

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** Messages by field name (a 400's "errors"), or an empty object. */
  get fieldErrors() {
    return this.problem.errors ?? {};
  }
}

// The API key this tab sends (X-Api-Key), kept in sessionStorage: gone when the tab closes. None is
// needed on the keyless default (loopback); with keys configured every call needs one.
const keyName = 'oee-api-key';

export function apiKey() {
  return sessionStorage.getItem(keyName) ?? '';
}

export function setApiKey(key) {
  if (key) sessionStorage.setItem(keyName, key); else sessionStorage.removeItem(keyName);
}

async function call(method, path, body) {
  const init = { method, headers: { accept: 'application/json' } };
  if (apiKey()) init.headers['x-api-key'] = apiKey();
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { title: 'The service cannot be reached', detail: String(e.message ?? e) });
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = { detail: text }; }
  }
  if (response.status === 401) {
    throw new ApiError(401, { title: 'API key needed', detail: apiKey() ? 'The API key was refused: enter a valid one under "API key".' : 'This service needs an API key: enter one under "API key".' });
  }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

const enc = encodeURIComponent;

export const api = {
  system: () => call('GET', '/api/system'),
  queues: () => call('GET', '/api/queues'),
  updateQueue: (name, settings) => call('PUT', `/api/queues/${enc(name)}`, settings),
  history: () => call('GET', '/api/dashboard/history'),
  handlers: () => call('GET', '/api/handlers'),
  task: (id) => call('GET', `/api/tasks/${enc(id)}`),
  submit: (body) => call('POST', '/api/tasks', body),
  cancel: (id) => call('POST', `/api/tasks/${enc(id)}/cancel`),
  retry: (id) => call('POST', `/api/tasks/${enc(id)}/retry`),
  /** One page: filters {status, queue, name, tag, limit, cursor}; empty ones are left out. */
  tasks: (filters) => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(filters)) {
      if (value !== undefined && value !== null && value !== '') query.set(key, value);
    }
    return call('GET', `/api/tasks?${query}`);
  },
};

export const finalStatuses = new Set(['done', 'error', 'cancelled']);
