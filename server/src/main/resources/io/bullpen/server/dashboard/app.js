// Bullpen dashboard: plain JavaScript, no build step, nothing fetched but this server's API.
// Every value shown is set as text (never as HTML), so job data cannot inject markup.
'use strict';

const STATES = ['waiting', 'prioritized', 'delayed', 'active', 'waiting-children', 'completed', 'failed'];
const PAGE = 20;
const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
let pollTimer = null;
const rates = {}; // queue -> [{t, done}] samples of completed+failed, for jobs per second

function key() { return sessionStorage.getItem('bullpen.key'); }

async function api(method, path, body) {
  const options = { method, headers: { 'X-API-Key': key() } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch('/api/v1' + path, options);
  if (response.status === 401) { signOut('The key was refused; sign in again.'); throw new Error('unauthorized'); }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) { throw new Error(json && json.error ? json.error.message : 'HTTP ' + response.status); }
  return json;
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === 'onclick') node.addEventListener('click', value);
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function show(...nodes) { $('view').replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined)); }
function enc(s) { return encodeURIComponent(s); }
function pretty(value) { return value === undefined ? '' : JSON.stringify(value, null, 2); }
function when(ms) { return ms ? new Date(ms).toLocaleString() : ''; }

// A button that asks before it acts: the first click shows "Really …? Yes / No".
function action(label, question, run, danger) {
  const holder = el('span', {});
  const button = el('button', { class: danger ? 'danger' : '', 'data-action': label, text: label });
  button.addEventListener('click', () => {
    const yes = el('button', { class: 'primary', 'data-confirm': label, text: 'Yes' });
    const no = el('button', { text: 'No' });
    const box = el('span', { class: 'confirm' }, question + ' ', yes, ' ', no);
    yes.addEventListener('click', async () => {
      try { await run(); } catch (e) { box.replaceChildren(el('span', { class: 'error', text: e.message })); return; }
      route();
    });
    no.addEventListener('click', () => holder.replaceChildren(button));
    holder.replaceChildren(box);
  });
  holder.append(button);
  return holder;
}

function spark(points) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('viewBox', '0 0 120 24');
  if (points.length > 1) {
    const max = Math.max(1, ...points);
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points.map((p, i) => (i * 120 / (points.length - 1)).toFixed(1) + ','
      + (23 - p * 22 / max).toFixed(1)).join(' '));
    svg.append(line);
  }
  return svg;
}

function throughput(queue) {
  const done = queue.counts.completed + queue.counts.failed;
  const samples = rates[queue.name] = (rates[queue.name] || []).concat([{ t: Date.now(), done }]).slice(-30);
  const perSecond = [];
  for (let i = 1; i < samples.length; i++) {
    perSecond.push(Math.max(0, (samples[i].done - samples[i - 1].done) * 1000 / (samples[i].t - samples[i - 1].t)));
  }
  return perSecond;
}

async function queuesView() {
  const { queues } = await api('GET', '/queues');
  const rows = queues.map((q) => {
    const perSecond = throughput(q);
    return el('tr', { class: 'queue-row', 'data-queue': q.name },
      el('td', {}, el('a', { href: '#/queue/' + enc(q.name) + '/waiting', text: q.name }),
        q.paused ? el('span', { class: 'paused', text: ' paused' }) : null),
      STATES.map((s) => el('td', { class: 'num', 'data-count': s, text: q.counts[s] })),
      el('td', { class: 'num', 'data-rate': '' }, (perSecond.length ? perSecond[perSecond.length - 1] : 0)
        .toFixed(1) + '/s ', spark(perSecond)));
  });
  show(el('h1', { text: 'Queues' }),
    el('table', { id: 'queues' }, el('tr', {}, el('th', { text: 'Queue' }),
      STATES.map((s) => el('th', { class: 'num', text: s })), el('th', { class: 'num', text: 'throughput' })), rows),
    queues.length ? null : el('p', { class: 'muted', text: 'No queues under this prefix (or none this key covers).' }));
}

async function queueView(name, state, params) {
  const start = Number(params.get('start') || 0);
  const query = new URLSearchParams({ state, start, size: PAGE });
  for (const p of ['id', 'field', 'value']) if (params.get(p)) query.set(p, params.get(p));
  const [queue, page, metrics, schedulers] = await Promise.all([
    api('GET', '/queues/' + enc(name)), api('GET', '/queues/' + enc(name) + '/jobs?' + query),
    api('GET', '/queues/' + enc(name) + '/metrics'), api('GET', '/queues/' + enc(name) + '/schedulers')]);
  const base = '#/queue/' + enc(name) + '/';
  const tabs = el('div', { class: 'tabs' }, STATES.map((s) => el('a', {
    href: base + s, class: s === state ? 'current' : '', 'data-state': s, text: s + ' (' + queue.counts[s] + ')' })));
  const idInput = el('input', { id: 'search-id', placeholder: 'job id', value: params.get('id') || '' });
  const fieldInput = el('input', { id: 'search-field', placeholder: 'data field, e.g. user.email',
    value: params.get('field') || '' });
  const valueInput = el('input', { id: 'search-value', placeholder: 'value', value: params.get('value') || '' });
  const search = el('form', { class: 'toolbar', id: 'search' }, idInput, fieldInput, valueInput,
    el('button', { type: 'submit', text: 'Search' }), el('a', { href: base + state, text: 'clear' }));
  search.addEventListener('submit', (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (idInput.value) p.set('id', idInput.value);
    if (fieldInput.value && valueInput.value) { p.set('field', fieldInput.value); p.set('value', valueInput.value); }
    location.hash = base + state + '?' + p;
  });
  const rows = page.jobs.map((j) => el('tr', { class: 'job-row', 'data-job': j.id },
    el('td', {}, el('a', { href: base + 'job/' + enc(j.id), text: j.id })), el('td', { text: j.name }),
    el('td', { text: j.state || state }), el('td', { text: when(j.timestamp) }), el('td', { class: 'num', text: j.attemptsMade }),
    el('td', { class: 'error', text: j.failedReason || '' })));
  const paging = el('div', { class: 'toolbar' },
    start > 0 ? el('a', { href: base + state + '?start=' + Math.max(0, start - PAGE), id: 'prev', text: '← newer' }) : null,
    el('span', { class: 'muted', text: (page.total ? (start + 1) + '–' + Math.min(start + PAGE, page.total) : 0) + ' of '
      + page.total + (page.truncated ? ' (searched the newest ' + page.searched + ')' : '') }),
    start + PAGE < page.total ? el('a', { href: base + state + '?start=' + (start + PAGE), id: 'next', text: 'older →' }) : null);
  const graceInput = el('input', { id: 'clean-grace', size: 6, value: '0' });
  const controls = el('div', { class: 'toolbar' },
    queue.paused ? action('Resume', 'Resume ' + name + '?', () => api('POST', '/queues/' + enc(name) + '/resume'))
      : action('Pause', 'Pause ' + name + '?', () => api('POST', '/queues/' + enc(name) + '/pause')),
    el('span', { class: 'muted', text: 'clean ' + state + ' older than (s)' }), graceInput,
    action('Clean', 'Delete ' + state + ' jobs?', () => api('POST', '/queues/' + enc(name) + '/clean',
      { state, graceMs: Number(graceInput.value || 0) * 1000 }), true),
    state === 'failed' ? action('Retry all failed', 'Retry every failed job on this page?', () => Promise.all(
      page.jobs.map((j) => api('POST', '/queues/' + enc(name) + '/jobs/' + enc(j.id) + '/retry')))) : null);
  const perMinute = metrics.completed.enabled ? el('p', {}, 'completed per minute (BullMQ metrics, newest right): ',
    spark(metrics.completed.perMinute.slice().reverse())) : null;
  const schedulerRows = schedulers.schedulers.map((s) => el('tr', { class: 'scheduler-row' },
    el('td', { text: s.id }), el('td', { text: s.pattern || (s.every + ' ms') }), el('td', { text: s.tz || '' }),
    el('td', { text: new Date(s.next).toLocaleString() }), el('td', { class: 'num', text: s.iterationCount })));
  show(el('h1', {}, name, queue.paused ? el('span', { class: 'paused', text: ' (paused)' }) : null),
    controls, perMinute, tabs, search,
    el('table', { id: 'jobs' }, el('tr', {}, ['id', 'name', 'state', 'added', 'attempts', 'failure']
      .map((h) => el('th', { text: h }))), rows), paging,
    el('h2', { text: 'Job schedulers' }), schedulerRows.length ? el('table', { id: 'schedulers' }, el('tr', {},
      ['id', 'pattern / every', 'tz', 'next run', 'runs'].map((h) => el('th', { text: h }))), schedulerRows)
      : el('p', { class: 'muted', text: 'none' }));
}

function childLink(fullKey, extra) {
  // Children are named by their full key <prefix>:<queue>:<id>.
  const parts = fullKey.split(':');
  const id = parts.pop(); const queue = parts.pop();
  return el('li', {}, el('a', { href: '#/queue/' + enc(queue) + '/job/' + enc(id), text: queue + ' / ' + id }),
    extra ? ' ' + extra : '');
}

async function jobView(name, id) {
  const q = '/queues/' + enc(name) + '/jobs/' + enc(id);
  const job = await api('GET', q);
  const progress = typeof job.progress === 'number' ? Math.max(0, Math.min(100, job.progress)) : null;
  const bar = el('div', { class: 'bar', id: 'progress-bar' });
  if (progress !== null) bar.style.width = progress + '%';
  const actions = el('div', { class: 'toolbar', id: 'job-actions' },
    ['failed', 'completed'].includes(job.state) ? action('Retry', 'Retry job ' + id + '?', () => api('POST', q + '/retry')) : null,
    job.state === 'delayed' ? action('Promote', 'Run job ' + id + ' now?', () => api('POST', q + '/promote')) : null,
    ['waiting', 'prioritized', 'delayed', 'active'].includes(job.state)
      ? action('Cancel', 'Cancel job ' + id + '?', () => api('POST', q + '/cancel', { reason: 'cancelled from the dashboard' }), true) : null,
    action('Remove', 'Remove job ' + id + ' (and its children)?', async () => {
      await api('DELETE', q); location.hash = '#/queue/' + enc(name) + '/' + job.state; }, true));
  const c = job.children;
  const tree = el('ul', { class: 'tree', id: 'children' },
    Object.entries(c.processed).map(([k, v]) => childLink(k, 'completed → ' + JSON.stringify(v))),
    c.pending.map((k) => childLink(k, 'pending')), c.failed.map((k) => childLink(k, 'failed')),
    Object.entries(c.ignored).map(([k, v]) => childLink(k, 'failed (ignored): ' + v)));
  show(el('h1', {}, el('a', { href: '#/queue/' + enc(name) + '/' + job.state, text: name }), ' / job ', id),
    el('p', {}, 'state ', el('strong', { id: 'job-state', text: job.state }), ' · name ', job.name,
      ' · attempts ', job.attemptsMade, ' · added ', when(job.timestamp),
      job.finishedOn ? ' · finished ' + when(job.finishedOn) : ''),
    actions,
    el('h2', { text: 'Progress' }), progress !== null
      ? el('div', {}, el('div', { class: 'progress' }, bar), el('span', { id: 'progress-text', text: progress + '%' }))
      : el('pre', { id: 'progress-text', text: pretty(job.progress) }),
    job.parent ? el('p', {}, 'parent: ', el('ul', { class: 'tree' }, childLink(job.parent.queue + ':' + job.parent.id))) : null,
    el('h2', { text: 'Children' }), tree.childElementCount ? tree : el('p', { class: 'muted', text: 'none' }),
    el('div', { class: 'grid' },
      el('div', {}, el('h2', { text: 'Data' }), el('pre', { id: 'job-data', text: pretty(job.data) })),
      el('div', {}, el('h2', { text: 'Options' }), el('pre', { id: 'job-options', text: pretty(job.options) }))),
    job.returnValue !== undefined ? el('div', {}, el('h2', { text: 'Result' }), el('pre', { id: 'job-result', text: pretty(job.returnValue) })) : null,
    job.failedReason ? el('div', {}, el('h2', { text: 'Failure' }), el('p', { class: 'error', id: 'failed-reason', text: job.failedReason }),
      el('pre', { id: 'stacktrace', text: job.stacktrace.join('\n\n') })) : null,
    el('h2', { text: 'Logs (' + job.logs.count + ')' }), el('pre', { id: 'job-logs', text: job.logs.lines.join('\n') }));
}

async function route() {
  clearTimeout(pollTimer);
  if (!key()) { $('sign-in-form').hidden = false; $('view').replaceChildren(); return; }
  $('sign-in-form').hidden = true;
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === 'queue' && parts[2] === 'job') await jobView(parts[1], parts[3]);
    else if (parts[0] === 'queue') await queueView(parts[1], parts[2] || 'waiting', params);
    else await queuesView();
  } catch (e) {
    if (e.message !== 'unauthorized') show(el('p', { class: 'error', id: 'view-error', text: e.message }));
    return;
  }
  // Live counts: the lists poll; a job's page and open confirmations are left alone.
  if (parts[2] !== 'job') pollTimer = setTimeout(() => { if (!document.querySelector('.confirm')) route(); else route.later(); }, POLL_MS);
}
route.later = () => { pollTimer = setTimeout(() => { if (!document.querySelector('.confirm')) route(); else route.later(); }, POLL_MS); };

function signOut(message) {
  sessionStorage.removeItem('bullpen.key');
  $('who').textContent = '';
  $('sign-out').hidden = true;
  $('sign-in-error').textContent = message || '';
  route();
}

async function signIn(text) {
  sessionStorage.setItem('bullpen.key', text);
  try {
    const me = await api('GET', '/whoami');
    $('who').textContent = 'signed in as ' + me.name + ' (' + me.scopes.join(', ') + ')';
    $('sign-out').hidden = false;
    $('sign-in-error').textContent = '';
    route();
  } catch (e) {
    if (e.message !== 'unauthorized') { sessionStorage.removeItem('bullpen.key'); $('sign-in-error').textContent = e.message; }
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', (e) => { e.preventDefault(); signIn($('key').value.trim()); });
  $('sign-out').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', route);
  if (key()) signIn(key()); else route();
});
