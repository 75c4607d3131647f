// The dashboard's router: #/ overview, #/tasks?filters list, #/tasks/{id} one task, #/submit form.
import { $ } from './dom.js';
import { showOverview, hideOverview } from './overview.js';
import { setupTasks, showTasks, hideTasks } from './tasks.js';
import { setupTask, showTask, hideTask } from './task.js';
import { setupSubmit, showSubmit } from './submit.js';
import { apiKey, setApiKey } from './api.js';

const views = {
  overview: { section: '#view-overview', hide: hideOverview },
  tasks: { section: '#view-tasks', hide: hideTasks },
  task: { section: '#view-task', hide: hideTask },
  submit: { section: '#view-submit', hide: () => {} },
};
let active = null;

// A task id from the address; a malformed escape (a stray '%') is kept as written: no task has it, and the page says so.
function decodedId(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function route() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, queryText] = hash.split('?');
  const query = new URLSearchParams(queryText ?? '');
  let name = 'overview';
  let taskId = null;
  if (path === '/tasks') name = 'tasks';
  else if (path.startsWith('/tasks/')) { name = 'task'; taskId = decodedId(path.slice('/tasks/'.length)); }
  else if (path === '/submit') name = 'submit';

  active?.hide();
  for (const [key, view] of Object.entries(views)) $(view.section).hidden = key !== name;
  active = views[name];
  for (const link of document.querySelectorAll('[data-nav]')) {
    const current = link.dataset.nav === name || (name === 'task' && link.dataset.nav === 'tasks');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  const titles = { overview: 'Overview', tasks: 'Tasks', task: 'Task', submit: 'Submit a task' };
  document.title = `${titles[name]} · OEE`;

  if (name === 'overview') showOverview();
  else if (name === 'tasks') showTasks(query);
  else if (name === 'task') showTask(taskId);
  else showSubmit();
}

// The API key form: using or forgetting a key re-renders the current view with it.
function setupKey() {
  const input = $('#api-key');
  input.value = apiKey();
  $('#key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setApiKey(input.value.trim());
    route();
  });
  $('#key-forget').addEventListener('click', () => {
    input.value = '';
    setApiKey('');
    route();
  });
}

setupKey();
setupTasks();
setupTask();
setupSubmit();
window.addEventListener('hashchange', route);
route();
