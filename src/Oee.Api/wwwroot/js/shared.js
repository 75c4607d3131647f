// State shown across views: the connection line in the header and the known queue names.
import { $, el } from './dom.js';

/** Shows why the service cannot be reached (or clears it with null). */
export function setConnection(error) {
  // A 401 or 403 is not an outage: a key is missing or refused, or a tenant's key may not read cluster-wide figures; the answer says so.
  $('#connection').textContent = !error ? ''
    : error.status === 401 ? error.message
    : error.status === 403 ? `Not shown to this API key: ${error.message}`
    : `Service unavailable: ${error.message}`;
}

/** Known queue names, offered by the queue inputs. */
export function rememberQueues(names) {
  const list = $('#queue-names');
  const known = new Set([...list.options].map(o => o.value));
  for (const name of names) if (!known.has(name)) list.append(el('option', { value: name }));
}
