// The workbench page: plain JavaScript, no build step, nothing from the network.
// Every change goes to the server, which edits the scenario through ccsim's
// scenario editor (comments and layout kept) and validates it as the command
// line does.
'use strict';

const $ = (id) => document.getElementById(id);
const WB = {
  library: null, name: null, text: '', version: null, writable: false,
  dirty: false, form: null, summary: null, run: null, events: null,
};
window.WB = WB;

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  let data = null;
  try { data = await response.json(); } catch (_) { data = { error: response.statusText }; }
  if (!response.ok) {
    const e = new Error((data && data.error) || response.statusText);
    e.status = response.status;
    e.data = data;
    throw e;
  }
  return data;
}
WB.api = api;

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}
WB.el = el;

function say(text, error) {
  const m = $('message');
  m.textContent = text || '';
  m.className = error ? 'error' : '';
}
WB.say = say;

// ---- library ------------------------------------------------------------

async function loadLibrary() {
  WB.library = await api('GET', '/api/library');
  $('folder').textContent = WB.library.folder;
  const list = $('scenarios');
  list.replaceChildren();
  for (const s of WB.library.scenarios) {
    const b = el('button', { type: 'button', 'data-name': s.name, onclick: () => openScenario(s.name) },
      s.title || s.name, el('small', {}, s.name));
    list.append(el('li', {}, b));
  }
  $('save').disabled = !WB.library.writable;
  $('saveas').disabled = !WB.library.writable;
  if (!WB.library.writable) $('save').title = $('saveas').title =
    'The built-in scenarios are read-only: start `ccsim serve FOLDER` to save.';
}

async function openScenario(name) {
  if (WB.dirty && !confirm('Leave the unsaved changes of ' + WB.name + '?')) return;
  const s = await api('GET', '/api/scenarios/' + encodeURI(name));
  WB.name = s.name; WB.version = s.version; WB.writable = s.writable;
  for (const b of document.querySelectorAll('#scenarios button'))
    b.classList.toggle('open', b.dataset.name === name);
  $('welcome').hidden = true;
  $('workspace').hidden = false;
  $('results').hidden = true;
  $('filename').textContent = name;
  $('replications').value = ''; $('seed').value = '';
  setText(s.text, false);
  await refresh();
  history.replaceState(null, '', '#open=' + encodeURIComponent(name));
  document.dispatchEvent(new CustomEvent('wb:open', { detail: { name } }));
}
WB.openScenario = openScenario;

function setText(text, dirty) {
  WB.text = text;
  WB.dirty = dirty;
  $('dirty').hidden = !dirty;
  const area = $('text');
  if (area.value !== text) area.value = text;
}
WB.setText = setText;

// ---- validation and editors ------------------------------------------------

async function refresh() {
  const [v, form] = await Promise.all([
    api('POST', '/api/validate', { name: WB.name, text: WB.text }),
    api('POST', '/api/form', { name: WB.name, text: WB.text }).catch((e) => ({ error: e.message })),
  ]);
  showValidation(v);
  if (!form.error) { WB.form = form; renderEditors(); }
}

function showValidation(v) {
  const box = $('errors');
  box.replaceChildren();
  if (v.summary) {
    WB.summary = v.summary;
    $('title').textContent = v.summary.name;
    $('replications').placeholder = v.summary.replications || 100;
    $('seed').placeholder = v.summary.seed == null ? 1700 : v.summary.seed;
  }
  const items = [];
  for (const e of v.errors) items.push([e, '']);
  for (const e of v.notes || []) items.push([e, 'note']);
  if (!items.length) return;
  const ul = el('ul');
  for (const [e, kind] of items) {
    const li = el('li', { class: kind, title: 'Show it in the scenario file',
      onclick: () => goTo(e) }, (kind ? 'note: ' : '') + e.headline);
    ul.append(li);
  }
  box.append(ul);
}

// Selects the span of an error in the text tab.
function goTo(e) {
  showTab('text');
  if (!e.line) return;
  const area = $('text');
  const offset = (line, column) => {
    const lines = area.value.split('\n');
    let at = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
    return at + column - 1;
  };
  const start = offset(e.line, e.column);
  const end = Math.max(start + 1, offset(e.end_line, e.end_column));
  area.focus();
  area.setSelectionRange(start, end);
  const lineHeight = area.scrollHeight / Math.max(1, area.value.split('\n').length);
  area.scrollTop = Math.max(0, (e.line - 5) * lineHeight);
}
WB.goTo = goTo;

let typing = null;
$('text').addEventListener('input', () => {
  setText($('text').value, true);
  clearTimeout(typing);
  typing = setTimeout(refresh, 250);
});

// Applies edits on the server and takes the new text.
async function applyEdits(body) {
  try {
    const r = await api('POST', '/api/edit', Object.assign({ name: WB.name, text: WB.text }, body));
    setText(r.text, true);
    showValidation(r.validation);
    const form = await api('POST', '/api/form', { name: WB.name, text: WB.text });
    WB.form = form;
    renderEditors();
    say(r.validation.ok ? 'Changed; not saved yet.' : 'Changed, but the scenario now has errors (see above).', !r.validation.ok);
  } catch (e) {
    say(e.message, true);
    renderEditors();
  }
}
WB.applyEdits = applyEdits;

const LABELS = {
  volumes: 'Contacts per theme and channel (per day, week or month as the file says).',
  peaks: 'Peaks and mailing waves per theme: dates, factors and shapes.',
  handle_times: 'Handle time per theme and channel: distribution, mean and spread.',
  patience: 'How long callers wait before they hang up, per channel (and theme).',
  targets: 'Targets drawn on the charts, service-level thresholds and the promises of `ccsim check`.',
  pools: 'Agent pools: constant head counts, shrinkage, absenteeism, scale and price.',
};

function renderEditors() {
  const form = WB.form;
  if (!form) return;
  for (const group of Object.keys(LABELS)) {
    const panel = document.querySelector(`[data-panel="${group}"]`);
    panel.replaceChildren(el('p', { class: 'muted' }, LABELS[group]));
    const fields = form[group] || [];
    if (group === 'peaks') renderPeakList(panel, form);
    if (!fields.length) { if (group !== 'peaks') panel.append(el('p', {}, 'This scenario has none.')); continue; }
    const table = el('table', { class: 'fields' });
    table.append(el('tr', {}, el('th', {}, 'Field'), el('th', {}, 'Value')));
    for (const f of fields) table.append(fieldRow(f));
    panel.append(table);
  }
  renderStaffing(form.staffing || []);
}

// The peaks, theme by theme, each with a Remove button, and a form that
// adds one; their dates and factors are edited in the field table below.
function renderPeakList(panel, form) {
  const themes = form.themes || [];
  if (!themes.length) { panel.append(el('p', {}, 'This scenario has no themes.')); return; }
  const list = form.peak_list || [];
  const table = el('table', { class: 'peaks' }, el('tr', {}, el('th', {}, 'Theme'), el('th', {}, 'From'),
    el('th', {}, 'To'), el('th', {}, 'Factor'), el('th', {}, 'Shape'), el('th', {}, '')));
  const text = (v) => (v && typeof v === 'object' ? v.date : v == null ? '' : String(v));
  for (const p of list) {
    const remove = el('button', { 'data-remove-peak': `${p.theme}/${p.index}` }, 'Remove');
    remove.addEventListener('click', () => applyEdits({ peaks: [{ op: 'remove', theme: p.theme, index: p.index }] }));
    table.append(el('tr', {}, el('td', {}, p.theme), el('td', {}, text(p.from)), el('td', {}, text(p.to)),
      el('td', { class: 'n' }, text(p.factor)), el('td', {}, text(p.shape) || 'flat'), el('td', {}, remove)));
  }
  if (list.length) panel.append(table); else panel.append(el('p', {}, 'No peaks yet.'));
  const theme = el('select', { id: 'peak-theme', 'aria-label': 'theme of the new peak' },
    ...themes.map((t) => el('option', { value: t }, t)));
  const start = (WB.summary && WB.summary.start) || '';
  const from = el('input', { id: 'peak-from', type: 'date', value: start, 'aria-label': 'first day' });
  const to = el('input', { id: 'peak-to', type: 'date', value: start, 'aria-label': 'last day' });
  const factor = el('input', { id: 'peak-factor', value: '1.5', inputmode: 'decimal', size: 5, 'aria-label': 'factor' });
  const shape = el('select', { id: 'peak-shape', 'aria-label': 'shape' },
    ...['flat', 'ramp', 'decay'].map((t) => el('option', { value: t }, t)));
  const add = el('button', { id: 'peak-add' }, 'Add peak');
  add.addEventListener('click', () => {
    const f = Number(factor.value.replace(',', '.'));
    if (!Number.isFinite(f)) { say('The factor must be a number, e.g. 1.5', true); return; }
    applyEdits({ peaks: [{ op: 'add', theme: theme.value, from: from.value, to: to.value, factor: f, shape: shape.value }] });
  });
  panel.append(el('p', { class: 'peak-form' }, 'New peak: ', theme, ' from ', from, ' to ', to, ' × ', factor, ' ', shape, ' ', add));
}

function fieldRow(f) {
  let value = f.value;
  const isDate = value && typeof value === 'object' && !Array.isArray(value);
  const shown = isDate ? value.date : Array.isArray(value) ? value.join(', ') : String(value);
  const input = el('input', { value: shown, 'data-path': f.path, 'aria-label': f.path });
  input.addEventListener('change', () => {
    let v = input.value.trim();
    let out;
    if (isDate) out = { date: v };
    else if (Array.isArray(value)) out = v.split(/[,\s]+/).filter(Boolean).map((x) => (isNaN(Number(x)) ? x : Number(x)));
    else if (typeof value === 'number') out = Number(v.replace(',', '.'));
    else if (typeof value === 'boolean') out = v === 'true';
    else out = v;
    if (typeof value === 'number' && !Number.isFinite(out)) { say(f.path + ': give a number', true); return; }
    applyEdits({ edits: [{ path: f.path, value: out }] });
  });
  return el('tr', {}, el('td', { class: 'path' }, f.path), el('td', {}, input));
}

const DAYS = ['default', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function clock(start, minutes) {
  const [h, m] = (start || '00:00').split(':').map(Number);
  const t = h * 60 + m + minutes;
  return String(Math.floor(t / 60) % 24).padStart(2, '0') + ':' + String(t % 60).padStart(2, '0');
}

// A pool staffed by shifts or a file: the agents its schedule puts on
// duty over the first week, read-only (its shifts are edited in the file).
function onDutyGrid(pool, step) {
  const duty = pool.on_duty;
  if (!duty.dates.length) return el('p', { class: 'muted' }, 'Nobody on duty in the first week.');
  const width = Math.max(0, ...duty.dates.map((d) => d.values.length));
  const table = el('table', { class: 'grid readonly', 'data-pool': pool.pool });
  const head = el('tr', {}, el('th', { class: 'day' }, ''));
  for (let i = 0; i < width; i++) head.append(el('th', { class: 'time' }, clock(duty.start, i * step)));
  table.append(head);
  for (const d of duty.dates) {
    const tr = el('tr', { 'data-date': d.date }, el('th', { class: 'day' }, `${d.weekday} ${d.date.slice(5)}`));
    for (const v of d.values) tr.append(el('td', { class: 'n' }, String(v)));
    table.append(tr);
  }
  return el('div', {}, el('p', { class: 'muted' }, 'On duty (scheduled, before shrinkage) in the first week, from the schedule:'), table);
}

function renderStaffing(pools) {
  const panel = document.querySelector('[data-panel="staffing"]');
  panel.replaceChildren(el('p', { class: 'muted' },
    'Agents scheduled per weekday and interval. Grey rows follow "default"; typing in one gives that day its own row. Paste a block of cells from a spreadsheet into any cell.'));
  if (!pools.length) panel.append(el('p', {}, 'This scenario has no pools.'));
  const step = (WB.summary && WB.summary.interval_minutes) || 30;
  for (const pool of pools) {
    panel.append(el('h3', {}, 'Pool ' + pool.pool));
    if (pool.kind !== 'grid') {
      const why = pool.kind === 'agents'
        ? `A constant ${pool.agents} agents whenever its lines are open: change it in the Pools tab.`
        : pool.kind === 'shifts' ? 'Staffed by shifts: edit them in the scenario file tab.'
          : 'Staffed from a CSV file: edit that file.';
      panel.append(el('p', {}, why));
      if (pool.on_duty) panel.append(onDutyGrid(pool, step));
      continue;
    }
    const rows = pool.rows;
    const width = Math.max(0, ...DAYS.map((d) => (rows[d] ? rows[d].length : 0)));
    const table = el('table', { class: 'grid', 'data-pool': pool.pool });
    const head = el('tr', {}, el('th', { class: 'day' }, ''));
    for (let i = 0; i < width; i++) head.append(el('th', { class: 'time' }, clock(pool.start, i * step)));
    table.append(head);
    DAYS.forEach((day, r) => {
      const own = rows[day];
      if (!own && day === 'default') return;
      const values = own || rows.default || [];
      const tr = el('tr', { class: own ? '' : 'inherited', 'data-day': day }, el('th', { class: 'day' }, day));
      for (let c = 0; c < width; c++) {
        const input = el('input', { value: values[c] == null ? '' : values[c], inputmode: 'numeric',
          'data-row': r, 'data-col': c, 'aria-label': `${pool.pool} ${day} ${clock(pool.start, c * step)}` });
        input.addEventListener('change', () => sendRows(table, [day]));
        input.addEventListener('paste', (ev) => pasteBlock(ev, table, r, c));
        tr.append(el('td', {}, input));
      }
      table.append(tr);
    });
    panel.append(el('div', { class: 'scroll' }, table));
  }
}

function rowValues(table, day) {
  return [...table.querySelectorAll(`tr[data-day="${day}"] input`)]
    .map((i) => i.value.trim()).filter((v, i, all) => v !== '' || all.slice(i).some((x) => x.trim() !== ''))
    .map((v) => (v === '' ? 0 : Number(v)));
}

function sendRows(table, days) {
  for (const day of days) {
    const bad = rowValues(table, day).find((v) => !Number.isInteger(v) || v < 0);
    if (bad !== undefined) { say(`${day}: every cell must be a whole number of agents`, true); return; }
  }
  applyEdits({ staffing: days.map((day) => ({ pool: table.dataset.pool, day, values: rowValues(table, day) })) });
}

// A block of tab-separated cells (rows on lines) pasted from a spreadsheet.
function pasteBlock(ev, table, row, col) {
  const text = (ev.clipboardData || window.clipboardData).getData('text');
  if (!/[\t\n]/.test(text.trim())) return;
  ev.preventDefault();
  const lines = text.replace(/\r/g, '').replace(/\n$/, '').split('\n');
  const changed = new Set();
  lines.forEach((line, i) => {
    line.split('\t').forEach((cell, j) => {
      const input = table.querySelector(`input[data-row="${row + i}"][data-col="${col + j}"]`)
        || table.querySelector(`tr:nth-child(${row + i + 1}) input[data-col="${col + j}"]`);
      if (!input) return;
      input.value = cell.trim();
      changed.add(input.closest('tr').dataset.day);
    });
  });
  if (changed.size) sendRows(table, [...changed]);
}

// ---- tabs ----------------------------------------------------------------

function showTab(name) {
  for (const b of document.querySelectorAll('#tabs [data-tab]')) b.classList.toggle('active', b.dataset.tab === name);
  for (const p of document.querySelectorAll('#panels [data-panel]')) p.hidden = p.dataset.panel !== name;
}
WB.showTab = showTab;
document.getElementById('tabs').addEventListener('click', (ev) => {
  const b = ev.target.closest('[data-tab]');
  if (b) showTab(b.dataset.tab);
});

// ---- save ----------------------------------------------------------------

async function save(name, overwrite) {
  const sameFile = name === WB.name;
  try {
    const r = await api('PUT', '/api/scenarios/' + encodeURI(name),
      { text: WB.text, version: sameFile ? WB.version : null, overwrite: !!overwrite });
    WB.name = r.name; WB.version = r.version;
    setText(WB.text, false);
    $('filename').textContent = r.name;
    say('Saved ' + r.name + '.');
    if (!sameFile) { await loadLibrary(); openMark(r.name); }
  } catch (e) {
    if (e.status === 409 && confirm(e.message + '\n\nOverwrite it?')) return save(name, true);
    say(e.message, true);
  }
}
function openMark(name) {
  for (const b of document.querySelectorAll('#scenarios button')) b.classList.toggle('open', b.dataset.name === name);
}
$('save').addEventListener('click', () => save(WB.name, false));
$('saveas').addEventListener('click', () => {
  const name = prompt('Save as (a name ending in .toml, inside the folder):', WB.name.replace(/\.toml$/, '-copy.toml'));
  if (name) save(name, false);
});

// ---- run -----------------------------------------------------------------

function progress(p) {
  $('progress').hidden = false;
  const share = p.total ? p.done / p.total : 0;
  $('bar-fill').style.width = (100 * share).toFixed(1) + '%';
  let text;
  if (p.state === 'queued') text = p.queue_position
    ? `Waiting: ${p.queue_position} ahead in this scenario's queue (runs, comparisons, sweeps)`
    : 'Starting…';
  else if (p.state === 'running') text = `Replication ${p.done} of ${p.total}`;
  else if (p.state === 'done') text = p.cached ? `Done (from the cache: same scenario, replications and seed)` : `Done: ${p.total} replications in ${(p.seconds || 0).toFixed(p.seconds < 1 ? 2 : 1)} s`;
  else text = p.message || p.state;
  $('progress-text').textContent = text;
}

async function run() {
  const body = { name: WB.name, text: WB.text };
  if ($('replications').value) body.replications = Number($('replications').value);
  if ($('seed').value) body.seed = Number($('seed').value);
  say('');
  let started;
  try { started = await api('POST', '/api/runs', body); } catch (e) {
    say(e.message, true);
    if (e.data && e.data.errors) showValidation({ errors: e.data.errors, notes: [] });
    return;
  }
  WB.run = started.id;
  progress(started);
  if (started.state === 'done') { finished(started); return; }
  $('cancel').hidden = false;
  $('run').disabled = true;
  const source = new EventSource(`/api/runs/${started.id}/events`);
  WB.events = source;
  source.addEventListener('progress', (ev) => progress(JSON.parse(ev.data)));
  for (const kind of ['done', 'cancelled', 'failed']) {
    source.addEventListener(kind, (ev) => {
      source.close();
      const p = JSON.parse(ev.data);
      progress(p);
      $('cancel').hidden = true;
      $('run').disabled = false;
      if (kind === 'failed') say(p.message, true);
      if (p.key_figures) finished(p);
    });
  }
  source.onerror = () => { source.close(); $('cancel').hidden = true; $('run').disabled = false; };
}
$('run').addEventListener('click', run);
$('cancel').addEventListener('click', () => WB.run && api('POST', `/api/runs/${WB.run}/cancel`));

function pct(e) { return e && e.mean != null ? (100 * e.mean).toFixed(1) + '%' : '–'; }
function ci(e, scale, digits) {
  if (!e || e.ci_low == null) return '';
  return `[${(scale * e.ci_low).toFixed(digits)} – ${(scale * e.ci_high).toFixed(digits)}]`;
}

function finished(p) {
  const k = p.key_figures;
  $('results').hidden = false;
  $('result-note').textContent = `${k.replications} replications, seed ${k.seed}` + (p.cached ? ' · from the cache' : '') + (k.partial ? ' · PARTIAL' : '');
  const table = el('table', {}, el('tr', {}, el('th', {}, 'Channel'), el('th', {}, 'Reachability'), el('th', {}, '95% CI'),
    el('th', {}, 'Service level'), el('th', {}, '95% CI')));
  for (const c of k.channels) table.append(el('tr', {}, el('td', {}, c.channel),
    el('td', { class: 'n big' }, pct(c.reachability)), el('td', { class: 'n' }, ci(c.reachability, 100, 1) && ci(c.reachability, 100, 1) + ' %'),
    el('td', { class: 'n' }, pct(c.service_level)), el('td', { class: 'n' }, ci(c.service_level, 100, 1) && ci(c.service_level, 100, 1) + ' %')));
  const cost = k.cost.total && k.cost.total.mean != null ? k.cost.total : k.cost.handling;
  const box = el('div', {}, table);
  if (cost && cost.mean != null) box.append(el('p', {}, 'Cost: ', el('strong', {}, '€ ' + Math.round(cost.mean).toLocaleString()), ' ', ci(cost, 1, 0)));
  $('figures').replaceChildren(box);
  $('report').src = `/api/runs/${p.id}/report`;
  document.dispatchEvent(new CustomEvent('wb:result', { detail: p }));
}

window.addEventListener('beforeunload', (ev) => { if (WB.dirty) { ev.preventDefault(); ev.returnValue = ''; } });

// `#open=NAME` opens a scenario at once (a link to it, a bookmark); `&run` runs it too.
async function fromAddress() {
  const m = location.hash.match(/^#open=([^&]+)(&run)?$/);
  if (!m) return;
  await openScenario(decodeURIComponent(m[1]));
  if (m[2]) await run();
}

loadLibrary().then(fromAddress).catch((e) => say(e.message, true));
