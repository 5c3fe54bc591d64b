/* Plans and export (issue 19, items 4 and 5): save variants of the open
 * scenario, compare plans side by side with common random numbers, sweep a
 * staffing scale, and download a run's report, tables and workbook.
 *
 * Plain JavaScript, no library. It follows the page through the events
 * app.js dispatches on `document`: `wb:open` (detail.name: the scenario
 * opened; its text with the editor's changes is `WB.text`) and `wb:result`
 * (detail.id: a run that finished). */
(function () {
  'use strict';

  const state = { scenario: null, text: null, run: null, files: [], pools: [] };

  const el = (tag, attrs, ...children) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c !== null && c !== undefined) e.append(c.nodeType ? c : String(c));
    }
    return e;
  };
  const $ = (id) => document.getElementById(id);

  async function api(method, url, body) {
    const r = await fetch(url, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {
      const where = (data.errors || [])
        .map((e) => `${e.file}:${e.line}:${e.column}: ${e.field ? e.field + ': ' : ''}${e.message}`)
        .join('\n');
      throw new Error((data.error || r.statusText) + (where ? '\n' + where : ''));
    }
    return data;
  }

  function say(id, text, kind) {
    const box = $(id);
    box.textContent = text || '';
    box.className = 'plans-msg' + (kind ? ' ' + kind : '');
  }

  /* ------------------------------------------------------------ markup */

  const STYLE = `
.plans { margin-top: 1.5em; }
.plans-row { display: flex; flex-wrap: wrap; gap: .5em 1em; align-items: center; margin: .5em 0; }
.plans-row input[type=number] { width: 5.5em; }
.plans-row select { max-width: 100%; }
.plans-hint { color: #555; }
.plans-msg { white-space: pre-wrap; margin: .3em 0; min-height: 1.2em; }
.plans-msg.error { color: #b42318; } .plans-msg.ok { color: #1a7f37; }
.plans-table { border-collapse: collapse; margin: .5em 0; }
.plans-table th, .plans-table td { border: 1px solid #ddd; padding: .25em .6em; text-align: left; }
.plans-table td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.plans-table .up { color: #0b6e99; font-weight: bold; } .plans-table .down { color: #a3268f; font-weight: bold; }
.plans-chart svg { width: 100%; max-width: 900px; height: auto; display: block; }
.plans progress { width: 100%; max-width: 30em; }
#export-links a.button { display: inline-block; padding: .35em .8em; border: 1px solid #888; border-radius: 4px; text-decoration: none; color: inherit; background: #f6f6f6; }
.scroll { overflow-x: auto; max-width: 100%; }
`;

  function build() {
    document.head.append(el('style', {}, STYLE));
    const host = document.getElementById('plans-tab') || document.body;
    const numberInput = (id, value, step, label) =>
      el('label', {}, label, ' ', el('input', { id, type: 'number', value, step, min: step, inputmode: 'decimal' }));
    host.append(
      el('section', { id: 'plans', class: 'plans', 'aria-labelledby': 'plans-title' },
        el('h2', { id: 'plans-title' }, 'Plans'),
        el('p', { class: 'plans-hint' },
          'A variant is a copy of the open scenario, with your changes, saved beside it as ',
          el('code', {}, 'NAME.plan-VARIANT.toml'), '. Compare runs every plan with the same random numbers: ',
          'a difference marked * (and coloured) is beyond chance.'),
        el('div', { class: 'plans-row' },
          el('span', {}, 'Scenario: ', el('strong', { id: 'plans-scenario' }, '(open one)')),
        ),
        el('div', { class: 'plans-row' },
          el('label', {}, 'Variant name ', el('input', { id: 'plans-variant', placeholder: 'more-staff', pattern: '[A-Za-z0-9_-]+', size: 14 })),
          el('button', { id: 'plans-save', type: 'button', onclick: saveVariant }, 'Save as variant'),
        ),
        el('div', { id: 'plans-save-msg', class: 'plans-msg', role: 'status' }),
        el('h3', {}, 'Compare'),
        el('div', { class: 'plans-row' },
          el('label', {}, 'A (baseline) ', el('select', { id: 'plans-a' })),
          el('label', {}, 'B ', el('select', { id: 'plans-b' })),
          numberInput('plans-reps', '', '1', 'Replications'),
          el('button', { id: 'plans-compare', type: 'button', onclick: compare }, 'Compare'),
          el('button', { id: 'plans-compare-stop', type: 'button', class: 'plans-stop', hidden: true }, 'Stop'),
        ),
        el('progress', { id: 'plans-compare-progress', max: 1, value: 0, hidden: true }),
        el('div', { id: 'plans-compare-msg', class: 'plans-msg', role: 'status' }),
        el('div', { id: 'plans-compare-result' }),
        el('h3', {}, 'Sweep a staffing scale'),
        el('div', { class: 'plans-row' },
          el('label', {}, 'Pools ', el('select', { id: 'plans-pool' }, el('option', { value: '' }, 'all pools (scale.agents)'))),
          numberInput('plans-from', '0.8', '0.05', 'From'),
          numberInput('plans-to', '1.2', '0.05', 'To'),
          numberInput('plans-step', '0.1', '0.05', 'Step'),
          el('button', { id: 'plans-sweep', type: 'button', onclick: sweep }, 'Sweep'),
          el('button', { id: 'plans-sweep-stop', type: 'button', class: 'plans-stop', hidden: true }, 'Stop'),
        ),
        el('progress', { id: 'plans-sweep-progress', max: 1, value: 0, hidden: true }),
        el('div', { id: 'plans-sweep-msg', class: 'plans-msg', role: 'status' }),
        el('div', { id: 'plans-sweep-result' }),
      ),
      el('section', { id: 'export', class: 'plans', 'aria-labelledby': 'export-title' },
        el('h2', { id: 'export-title' }, 'Export'),
        el('p', { id: 'export-none', class: 'plans-hint' }, 'Run the scenario first: its report, tables and workbook are then ready to download.'),
        el('div', { id: 'export-links', class: 'plans-row', hidden: true }),
      ),
    );
  }

  /* ------------------------------------------------------------ scenario */

  async function open(name, text) {
    state.scenario = name;
    state.text = text || null;
    $('plans-scenario').textContent = name;
    await refresh();
  }

  async function refresh() {
    if (!state.scenario) return;
    try {
      const data = await api('GET', '/api/plans?scenario=' + encodeURIComponent(state.scenario));
      state.files = [data.scenario, ...data.variants.map((v) => v.file)];
      state.pools = data.pools || [];
      $('plans-save').disabled = !data.writable;
      if (!data.writable) say('plans-save-msg', 'The curated scenarios are read-only: start `ccsim serve FOLDER` on a folder of your own to save variants.');
      fill($('plans-a'), state.files, data.scenario);
      fill($('plans-b'), state.files, state.files[state.files.length - 1]);
      fill($('plans-pool'), ['', ...state.pools], '', 'all pools (scale.agents)');
    } catch (e) {
      say('plans-save-msg', e.message, 'error');
    }
  }

  function fill(select, values, chosen, emptyLabel) {
    select.replaceChildren(...values.map((v) =>
      el('option', { value: v, selected: v === chosen }, v === '' ? emptyLabel : v)));
  }

  async function saveVariant() {
    const variant = $('plans-variant').value.trim();
    if (!state.scenario) return say('plans-save-msg', 'Open a scenario first.', 'error');
    if (!variant) return say('plans-save-msg', 'Give the variant a name (letters, digits, - or _).', 'error');
    const body = { scenario: state.scenario, variant };
    const text = typeof state.text === 'function' ? state.text() : state.text;
    if (text) body.text = text;
    try {
      let saved;
      try {
        saved = await api('POST', '/api/plans', body);
      } catch (e) {
        if (!/exists/.test(e.message) || !confirm(e.message + '\nReplace it?')) throw e;
        saved = await api('POST', '/api/plans', { ...body, overwrite: true });
      }
      say('plans-save-msg', 'Saved ' + saved.file, 'ok');
      await refresh();
      $('plans-b').value = saved.file;
    } catch (e) {
      say('plans-save-msg', e.message, 'error');
    }
  }

  /* ------------------------------------------------------------ jobs */

  /** Polls a job until it ends; shows progress; Stop cancels it. */
  async function follow(job, prefix) {
    const bar = $(prefix + '-progress');
    const stop = $(prefix + '-stop');
    bar.hidden = false;
    bar.max = job.total;
    bar.value = 0;
    stop.hidden = false;
    stop.onclick = () => api('POST', `/api/jobs/${job.job}/cancel`).catch(() => {});
    try {
      for (;;) {
        const s = await api('GET', '/api/jobs/' + job.job);
        bar.value = s.done;
        say(prefix + '-msg', `${s.state}: ${s.done} of ${s.total} replications`);
        if (s.state !== 'running' && s.state !== 'queued') {
          if (s.state === 'done') return s;
          throw new Error(s.error || s.state);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      bar.hidden = true;
      stop.hidden = true;
    }
  }

  function replications() {
    const n = parseInt($('plans-reps').value, 10);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  }

  function downloads(job, files) {
    return el('p', { class: 'plans-downloads' }, 'Download: ',
      files.map((f, i) => [i ? ' · ' : '', el('a', { href: `/api/jobs/${job}/${f}`, download: '' }, f)]));
  }

  /* ------------------------------------------------------------ compare */

  async function compare() {
    const a = $('plans-a').value, b = $('plans-b').value;
    const out = $('plans-compare-result');
    if (!a || !b) return say('plans-compare-msg', 'Open a scenario and choose two plans.', 'error');
    if (a === b) return say('plans-compare-msg', 'Choose two different plans: save a variant first.', 'error');
    $('plans-compare').disabled = true;
    try {
      const job = await api('POST', '/api/compare', { plans: [a, b], replications: replications() });
      const done = await follow(job, 'plans-compare');
      say('plans-compare-msg', `Paired over ${done.result.replications} replications (seed ${done.result.seed}).`, 'ok');
      out.replaceChildren(compareTable(done.result), downloads(job.job, ['report.html', 'comparison.csv', 'comparison.json']));
    } catch (e) {
      say('plans-compare-msg', e.message, 'error');
    } finally {
      $('plans-compare').disabled = false;
    }
  }

  function compareTable(r) {
    const head = el('tr', {}, el('th', {}, 'figure'),
      r.plans.map((p) => el('th', {}, `${p.letter}: ${p.name}`)));
    const rows = r.figures.map((f) => el('tr', { 'data-metric': f.metric, 'data-scope': f.scope, 'data-channel': f.channel || '' },
      el('td', {}, f.label),
      f.cells.map((c) => el('td', { class: 'n' + (c.significant > 0 ? ' up' : c.significant < 0 ? ' down' : '') },
        c.text, c.difference_text ? [el('br'), c.difference_text] : null))));
    return el('div', { class: 'scroll' }, el('table', { id: 'plans-compare-table', class: 'plans-table' }, head, rows));
  }

  /* ------------------------------------------------------------ sweep */

  async function sweep() {
    if (!state.scenario) return say('plans-sweep-msg', 'Open a scenario first.', 'error');
    const num = (id) => parseFloat($(id).value);
    const body = {
      scenario: $('plans-a').value || state.scenario,
      pool: $('plans-pool').value || null,
      from: num('plans-from'), to: num('plans-to'), step: num('plans-step'),
      replications: replications(),
    };
    $('plans-sweep').disabled = true;
    try {
      const job = await api('POST', '/api/sweep', body);
      const done = await follow(job, 'plans-sweep');
      const r = done.result;
      say('plans-sweep-msg', `${r.points.length} points, ${r.replications} replications each, the same seed (${r.seed}) at every point.`, 'ok');
      const chart = el('figure', { class: 'plans-chart' });
      if (r.svg) chart.innerHTML = r.svg;
      out(r, chart, job.job);
    } catch (e) {
      say('plans-sweep-msg', e.message, 'error');
    } finally {
      $('plans-sweep').disabled = false;
    }
  }

  const pct = (e) => (e && e.mean != null ? (100 * e.mean).toFixed(1) + '%' : '–');
  const pctCi = (e) => (e && e.ci_low != null ? `${pct(e)} [${(100 * e.ci_low).toFixed(1)}, ${(100 * e.ci_high).toFixed(1)}]` : pct(e));

  function out(r, chart, job) {
    const channels = (r.points[0] && r.points[0].channels.map((c) => c.channel)) || [];
    const head = el('tr', {}, el('th', {}, el('code', {}, r.parameter)), el('th', {}, 'total reachability'),
      channels.map((c) => el('th', {}, c + ' reachability')), el('th', {}, 'cost'));
    const rows = r.points.map((p) => el('tr', {},
      el('td', { class: 'n' }, p.value), el('td', { class: 'n' }, pctCi(p.reachability)),
      p.channels.map((c) => el('td', { class: 'n' }, pctCi(c.reachability))),
      el('td', { class: 'n' }, p.cost && p.cost.mean != null ? '€ ' + Math.round(p.cost.mean).toLocaleString('en') : '–')));
    $('plans-sweep-result').replaceChildren(chart,
      el('div', { class: 'scroll' }, el('table', { id: 'plans-sweep-table', class: 'plans-table' }, head, rows)),
      downloads(job, ['report.html', 'sweep.csv', 'sweep.json']));
  }

  /* ------------------------------------------------------------ export */

  function exportRun(id) {
    state.run = id;
    const files = [
      ['workbook.xlsx', 'Excel workbook'],
      ['report.html', 'report.html'],
      ['days.csv', 'days.csv'],
      ['intervals.csv', 'intervals.csv'],
      ['summary.json', 'summary.json'],
    ];
    $('export-none').hidden = true;
    const links = $('export-links');
    links.hidden = false;
    links.replaceChildren(...files.map(([f, label]) =>
      el('a', { class: 'button', id: 'export-' + f.replace('.', '-'), href: `/api/export/${id}/${f}`, download: '' }, label)));
  }

  /* ------------------------------------------------------------ wiring */

  // The workbench's own events (app.js): a scenario opened, a run finished.
  document.addEventListener('wb:open', (e) => open(e.detail.name, () => (window.WB ? window.WB.text : null)));
  document.addEventListener('wb:result', (e) => exportRun(e.detail.id));
  document.addEventListener('ccsim:scenario', (e) => open(e.detail.name, e.detail.text));
  document.addEventListener('ccsim:run', (e) => exportRun(e.detail.id));
  window.ccsimPlans = { open, exportRun };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', build);
  else build();
})();
