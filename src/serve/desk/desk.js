// The clerk's desk: the list of notices and one form per notice, over the
// desk's JSON API (src/serve/desk/api.rs). No framework; every check is the
// server's, which runs the checks `gongkai check` runs.
(function () {
  'use strict';
  var $ = function (id) { return document.getElementById(id); };
  var site = null, draft = null, lastCheck = null, checkTimer = null, previewTimer = null;
  // The relation and date fields, as the server names them (set with the site).
  var RELATIONS = [], DATES = [];
  var PICKERS = { issuer: 'issuer', genre: 'genre', form: 'form', validity: 'validity', disclosure: 'disclosure', category: 'category' };
  var DATA_KINDS = /\.(xlsx|xlsm|xls|ods|et|csv|ya?ml)$/i;

  function el(tag, attrs, kids) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'hidden' || k === 'checked' || k === 'required') e[k] = !!attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (kids || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function api(path, body, raw) {
    var opts = { method: body === undefined ? 'GET' : 'POST', credentials: 'same-origin', headers: {} };
    if (raw) { opts.body = body; opts.headers['Content-Type'] = 'application/octet-stream'; }
    else if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers['Content-Type'] = 'application/json'; }
    return fetch('/__desk/api/' + path, opts).then(function (r) {
      return r.json().then(function (j) { j.status = r.status; return j; });
    });
  }

  // ---- the list -------------------------------------------------------------
  function loadSite() {
    return api('site').then(function (s) {
      site = s;
      DATES = s.dates;
      RELATIONS = s.groups.filter(function (g) { return g.title === '关联文件'; })[0].fields;
      fillFilters(); showList();
    });
  }

  function fillFilters() {
    var issuers = {}, years = {};
    site.notices.forEach(function (n) {
      (n.issuers || []).forEach(function (i) { issuers[i] = 1; });
      if (n.year) years[n.year] = 1;
    });
    [['filter-issuer', Object.keys(issuers).sort()], ['filter-year', Object.keys(years).sort().reverse()]].forEach(function (p) {
      var sel = $(p[0]), keep = sel.value;
      while (sel.options.length > 1) sel.remove(1);
      p[1].forEach(function (v) { sel.appendChild(el('option', { value: v, text: v })); });
      sel.value = keep;
    });
  }

  function showList() {
    var issuer = $('filter-issuer').value, year = $('filter-year').value, q = $('filter-text').value.trim();
    var rows = site.notices.filter(function (n) {
      return (!issuer || (n.issuers || []).indexOf(issuer) >= 0) && (!year || String(n.year) === year) &&
        (!q || (n.title || '').indexOf(q) >= 0 || (n.doc_number || '').indexOf(q) >= 0 || n.file.indexOf(q) >= 0);
    });
    rows.sort(function (a, b) {
      return (b.errors - a.errors) || (b.warnings - a.warnings) || String(b.published || '').localeCompare(String(a.published || ''));
    });
    var body = $('notices').tBodies[0];
    body.textContent = '';
    // A site of 10,000 notices: the first rows, and more on request.
    var total = rows.length;
    rows = rows.slice(0, listShown);
    rows.forEach(function (n) {
      var problems = el('td');
      if (n.errors || n.warnings) {
        var list = el('ul', { 'class': 'problems' });
        n.diagnostics.forEach(function (d) {
          list.appendChild(el('li', { 'class': d.severity, text: (d.label ? d.label + '：' : '') + d.message + (d.hint ? '（' + d.hint + '）' : '') }));
        });
        problems.appendChild(list);
      } else problems.textContent = n.withheld ? '不公开（' + n.withheld + '）' : '无问题';
      var link = el('button', { type: 'button', 'class': 'link', text: n.title || n.file });
      link.addEventListener('click', function () { openForm(n.file); });
      body.appendChild(el('tr', {}, [el('td', { text: n.published || '' }), el('td', { text: n.doc_number || '' }),
        el('td', {}, [link]), problems]));
    });
    $('list-count').textContent = '共 ' + total + ' 件' + (total > rows.length ? '，显示前 ' + rows.length + ' 件' : '');
    $('list-more').hidden = total <= rows.length;
  }
  var LIST_PAGE = 200, listShown = LIST_PAGE;

  function view(which) {
    $('list-view').hidden = which !== 'list';
    $('form-view').hidden = which !== 'form';
  }

  // ---- the form -------------------------------------------------------------
  function field(name) { return site.fields.filter(function (f) { return f.name === name; })[0]; }

  function openForm(file) {
    api('draft', { file: file || null }).then(function (d) {
      if (d.error) { alert(d.error); return; }
      draft = d;
      buildForm(d.form || { fields: {}, body: '' });
      $('form-title').textContent = file ? '修改公文' : '新建公文';
      $('form-file').textContent = file ? '文件：' + file : '';
      $('in-folder').value = '';
      $('in-folder').disabled = !!file;
      $('conflict').hidden = true;
      $('import-report').hidden = true;
      $('save-status').textContent = '';
      showFiles(d.files, null);
      view('form');
      $('form-title').setAttribute('tabindex', '-1');
      $('form-title').focus();
      check();
    });
  }

  function buildForm(form) {
    var groups = $('groups');
    groups.textContent = '';
    var shown = {};
    site.groups.forEach(function (g) {
      if (g.title === '附件与数据') return;
      var set = el('fieldset', {}, [el('legend', { text: g.title })]);
      g.fields.forEach(function (name) {
        var f = field(name);
        if (!f) return;
        shown[name] = 1;
        set.appendChild(control(f, form.fields[name]));
      });
      groups.appendChild(set);
    });
    (draft.kept || []).forEach(function (name) {
      var box = $('field-' + name);
      if (box) { box.querySelectorAll('input,select,textarea').forEach(function (i) { i.disabled = true; });
        box.appendChild(el('p', { 'class': 'help', text: '此项在文件中写成了表单不能显示的结构，保存时原样保留；请在文本编辑器中修改。' })); }
    });
    $('in-body').value = form.body || '';
    state.attachments = listOf(form.fields.attachments);
    state.data = listOf(form.fields.data);
    preview();
  }
  var state = { attachments: [], data: [] };

  function listOf(v) { return v === undefined ? [] : (Array.isArray(v) ? v.slice() : [v]); }

  function control(f, value) {
    var id = 'in-' + f.name, help = 'help-' + f.name, err = 'err-' + f.name;
    var label = el('label', { 'for': id, text: f.label + (f.required ? '（必填）' : '') });
    var box = el('div', { 'class': 'field', id: 'field-' + f.name }, [label]);
    var described = help + ' ' + err, input;
    if (f.name === 'doc_number') {
      box.appendChild(docNumber(value, described));
    } else if (f.name === 'topics') {
      input = el('select', { id: id, multiple: 'multiple', 'aria-describedby': described, size: Math.min(6, site.vocab.topics.length) || 2 });
      site.vocab.topics.forEach(function (t) { input.appendChild(el('option', { value: t, text: t })); });
      listOf(value).forEach(function (v) { [].forEach.call(input.options, function (o) { if (o.value === v) o.selected = true; }); });
      box.appendChild(input);
    } else if (PICKERS[f.name] && !Array.isArray(value)) {
      input = el('select', { id: id, 'aria-describedby': described }, [el('option', { value: '', text: '（未填）' })]);
      var choices = site.vocab[PICKERS[f.name]].slice();
      if (value && choices.indexOf(value) < 0) choices.push(value);
      choices.forEach(function (c) { input.appendChild(el('option', { value: c, text: c })); });
      input.value = value || '';
      box.appendChild(input);
    } else if (RELATIONS.indexOf(f.name) >= 0 || f.list || Array.isArray(value)) {
      input = el('textarea', { id: id, rows: 2, 'aria-describedby': described });
      input.value = listOf(value).join('\n');
      box.appendChild(input);
      if (RELATIONS.indexOf(f.name) >= 0) box.appendChild(relationSearch(f, input));
    } else {
      input = el('input', { id: id, 'aria-describedby': described, value: value || '' });
      box.appendChild(input);
      if (DATES.indexOf(f.name) >= 0) {
        var pick = el('input', { type: 'date', 'aria-label': f.label + '：用日历选择', 'class': 'picker' });
        pick.addEventListener('change', function () { input.value = pick.value; check(); });
        box.appendChild(pick);
      }
      if (f.name === 'index_number') {
        var propose = el('button', { type: 'button', id: 'propose-index', text: '按本站格式建议' });
        propose.addEventListener('click', function () {
          if (lastCheck && lastCheck.proposals.index_number) { input.value = lastCheck.proposals.index_number; check(); }
        });
        box.appendChild(propose);
      }
    }
    var helpText = f.help + (f.example ? '。例：' + f.example : '');
    if (f.list || RELATIONS.indexOf(f.name) >= 0) helpText += '。每行一项';
    if (DATES.indexOf(f.name) >= 0) helpText += '。也可以写 二〇一八年八月十日';
    box.appendChild(el('p', { 'class': 'help', id: help, text: helpText }));
    box.appendChild(el('div', { 'class': 'field-errors', id: err }));
    return box;
  }

  // 文号 = 机关代字〔年份〕序号号, with the next free number for 代字 and year.
  function docNumber(value, described) {
    var m = /^(.*?)〔(\d{4})〕(\d+)号$/.exec(value || '') || ['', value || '', '', ''];
    var wrap = el('div', { 'class': 'docnum', role: 'group', 'aria-labelledby': 'docnum-legend' });
    wrap.appendChild(el('span', { id: 'docnum-legend', 'class': 'sr', text: '发文字号' }));
    var codes = el('datalist', { id: 'codes' });
    Object.keys(site.numbers).forEach(function (c) { codes.appendChild(el('option', { value: c })); });
    var code = el('input', { id: 'in-doc_number', list: 'codes', value: m[1], 'aria-label': '机关代字', 'aria-describedby': described, size: 8 });
    var year = el('input', { id: 'doc-year', inputmode: 'numeric', value: m[2], 'aria-label': '年份', size: 4 });
    var seq = el('input', { id: 'doc-seq', inputmode: 'numeric', value: m[3], 'aria-label': '序号', size: 4 });
    var next = el('button', { type: 'button', id: 'doc-next', text: '用下一个序号' });
    var shown = el('output', { id: 'doc-number-text', 'aria-live': 'polite' });
    function update() {
      var c = code.value.trim(), y = year.value.trim(), s = seq.value.trim();
      var used = (site.numbers[c] || {})[y] || [];
      next.textContent = c && /^\d{4}$/.test(y) ? '用下一个序号（' + (used.length ? Math.max.apply(null, used) + 1 : 1) + '）' : '用下一个序号';
      shown.value = c || y || s ? c + '〔' + y + '〕' + s + '号' : '';
    }
    next.addEventListener('click', function () {
      var used = (site.numbers[code.value.trim()] || {})[year.value.trim()] || [];
      seq.value = used.length ? Math.max.apply(null, used) + 1 : 1;
      update(); check();
    });
    [code, year, seq].forEach(function (i) { i.addEventListener('input', update); });
    wrap.appendChild(code); wrap.appendChild(el('span', { text: '〔', 'aria-hidden': 'true' })); wrap.appendChild(year);
    wrap.appendChild(el('span', { text: '〕', 'aria-hidden': 'true' })); wrap.appendChild(seq);
    wrap.appendChild(el('span', { text: '号', 'aria-hidden': 'true' })); wrap.appendChild(next); wrap.appendChild(shown);
    update();
    return wrap;
  }

  // Relations: search the site's notices by 文号 or title, add the 文号.
  function relationSearch(f, target) {
    var listId = 'rel-' + f.name;
    var options = el('datalist', { id: listId });
    site.notices.forEach(function (n) { if (n.doc_number) options.appendChild(el('option', { value: n.doc_number + ' ' + n.title })); });
    var search = el('input', { list: listId, 'aria-label': f.label + '：按文号或标题查找本站公文', placeholder: '按文号或标题查找' });
    var add = el('button', { type: 'button', text: '加入' });
    add.addEventListener('click', function () {
      var number = search.value.split(' ')[0].trim();
      if (!number) return;
      target.value = (target.value.trim() ? target.value.trim() + '\n' : '') + number;
      search.value = '';
      check();
    });
    return el('div', { 'class': 'relation' }, [options, search, add]);
  }

  function value(name) {
    if (name === 'doc_number') return $('doc-number-text') ? $('doc-number-text').value : '';
    if (name === 'attachments') return state.attachments.slice();
    if (name === 'data') return state.data.slice();
    var i = $('in-' + name);
    if (!i || i.disabled) return undefined;
    if (i.multiple) return [].filter.call(i.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
    if (i.tagName === 'TEXTAREA') return i.value.split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
    return i.value;
  }

  function currentForm() {
    var fields = {};
    site.fields.forEach(function (f) {
      if ((draft.kept || []).indexOf(f.name) >= 0) return;
      var v = value(f.name);
      if (v === undefined) return;
      if (Array.isArray(v) && v.length === 1 && !f.list && RELATIONS.indexOf(f.name) < 0) v = v[0];
      if (Array.isArray(v) ? v.length : v) fields[f.name] = v;
    });
    return { fields: fields, body: $('in-body').value };
  }

  function request(extra) {
    var r = { form: currentForm(), folder: $('in-folder').value || proposedFolder() };
    Object.keys(extra || {}).forEach(function (k) { r[k] = extra[k]; });
    return r;
  }

  function proposedFolder() {
    if (draft.file) return null;
    var f = currentForm().fields, m = /^(.*?)〔(\d{4})〕(\d+)号$/.exec(f.doc_number || '');
    var year = m ? m[2] : String(f.published || f.written || new Date().getFullYear()).slice(0, 4);
    var name = m ? (m[1] + m[2] + '-' + m[3]) : ('notice-' + draft.id);
    return 'notices/' + year + '/' + name.replace(/[^\w\u4e00-\u9fff-]/g, '');
  }

  function scheduleCheck() { clearTimeout(checkTimer); checkTimer = setTimeout(check, 300); }

  function check() {
    if (!draft) return Promise.resolve();
    return api('draft/' + draft.id + '/check', request()).then(function (r) {
      if (r.error) { showGeneral([{ message: r.error }]); return; }
      lastCheck = r;
      if (!draft.file) $('in-folder').placeholder = proposedFolder();
      // Dates typed in Chinese come back as ISO dates.
      DATES.forEach(function (d) {
        var i = $('in-' + d);
        if (i && document.activeElement !== i && r.form.fields[d] && i.value && i.value !== r.form.fields[d]) i.value = r.form.fields[d];
      });
      showDiagnostics(r.diagnostics);
    });
  }

  function showDiagnostics(diags) {
    document.querySelectorAll('.field-errors').forEach(function (e) { e.textContent = ''; });
    document.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
    var general = [];
    diags.forEach(function (d) {
      var box = d.field && $('err-' + d.field);
      if (!box) { general.push(d); return; }
      box.appendChild(el('p', { 'class': d.severity, text: (d.severity === 'error' ? '错误：' : '注意：') + d.message +
        (d.expected ? '；应为 ' + d.expected : '') + (d.hint ? '。' + d.hint : '') }));
      var input = $('in-' + d.field);
      if (input && d.severity === 'error') input.setAttribute('aria-invalid', 'true');
    });
    showGeneral(general);
  }

  function showGeneral(list) {
    var box = $('general-errors');
    box.textContent = '';
    if (!list.length) return;
    var ul = el('ul');
    list.forEach(function (d) { ul.appendChild(el('li', { 'class': d.severity || 'error', text: d.text || d.message })); });
    box.appendChild(el('p', { text: '整份公文的问题：' }));
    box.appendChild(ul);
  }

  function preview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () {
      api('preview', { body: $('in-body').value }).then(function (r) {
        $('preview').srcdoc = '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><title>预览</title>' +
          '<link rel="stylesheet" href="/assets/style.css"></head><body><main class="notice"><article class="body">' +
          (r.html || '') + '</article></main></body></html>';
      });
    }, 200);
  }

  // ---- files ----------------------------------------------------------------
  function upload(files, path) {
    return Array.prototype.reduce.call(files, function (p, file) {
      return p.then(function () {
        if (file.size > site.limits.file_mb * 1048576) { alert(file.name + '：超过 ' + site.limits.file_mb + ' MB'); return; }
        return api('draft/' + draft.id + '/' + path + '?name=' + encodeURIComponent(file.name), file, true);
      });
    }, Promise.resolve());
  }

  function addFiles(files) {
    upload(files, 'file').then(function (r) {
      if (!r) return;
      if (r.error) { $('save-status').textContent = r.error; return; }
      var name = r.name;
      if (DATA_KINDS.test(name)) { if (state.data.indexOf(name) < 0) state.data.push(name); }
      else if (state.attachments.indexOf(name) < 0) state.attachments.push(name);
      showFiles(r.files, r.sheets ? { name: name, sheets: r.sheets } : null);
      check();
    });
  }

  function showFiles(files, sheets) {
    var list = $('file-list');
    list.textContent = '';
    files.forEach(function (f) {
      var role = el('select', { 'aria-label': f.name + ' 的用途' }, [el('option', { value: '', text: '不列出' }),
        el('option', { value: 'attachments', text: '附件' }), el('option', { value: 'data', text: '进展数据' })]);
      role.value = state.data.indexOf(f.name) >= 0 ? 'data' : (state.attachments.indexOf(f.name) >= 0 ? 'attachments' : '');
      role.addEventListener('change', function () {
        state.attachments = state.attachments.filter(function (n) { return n !== f.name; });
        state.data = state.data.filter(function (n) { return n !== f.name; });
        if (role.value) state[role.value].push(f.name);
        check();
      });
      list.appendChild(el('li', {}, [el('span', { text: f.name + '（' + Math.ceil(f.size / 1024) + ' KB）' }), role]));
    });
    var box = $('sheets');
    if (!sheets) return;
    box.textContent = '';
    box.appendChild(el('h3', { text: sheets.name + '：读到的工作表' }));
    if (sheets.sheets.error) { box.appendChild(el('p', { 'class': 'error', text: sheets.sheets.error })); return; }
    sheets.sheets.forEach(function (s) {
      var table = el('table', {}, [el('caption', { text: '工作表「' + s.name + '」' + (s.more ? '（另有 ' + s.more + ' 行未显示）' : '') })]);
      var tb = el('tbody');
      s.rows.forEach(function (row) {
        var tr = el('tr', {}, [el('th', { scope: 'row', text: String(row.row) })]);
        row.cells.forEach(function (c) { tr.appendChild(el('td', { text: c })); });
        tb.appendChild(tr);
      });
      table.appendChild(tb);
      box.appendChild(table);
    });
  }

  function importDocument(file) {
    upload([file], 'import').then(function (r) {
      var box = $('import-report');
      box.hidden = false;
      box.textContent = '';
      if (r.error) { box.appendChild(el('p', { 'class': 'error', text: file.name + '：' + r.error })); box.focus(); return; }
      buildForm(r.form);
      showFiles(r.files, null);
      var rep = r.report;
      box.appendChild(el('h3', { text: '从 ' + file.name + ' 读到的内容（请核对后保存）' }));
      var lists = [['找到', rep.found.map(function (f) { return f.label + '：' + f.value; })],
        ['缺少', rep.missing.map(function (f) { return f.label; })],
        ['受损', rep.damaged.map(function (d) { return d.label + '：' + d.raw + '（' + d.why + '）'; })],
        ['未转入正文', rep.dropped.map(function (d) { return d.text + '（' + d.why + '）'; })]];
      lists.forEach(function (l) {
        if (!l[1].length) return;
        var ul = el('ul');
        l[1].forEach(function (t) { ul.appendChild(el('li', { text: t })); });
        box.appendChild(el('h4', { text: l[0] })); box.appendChild(ul);
      });
      box.focus();
      check();
    });
  }

  function dropZone(zone, input, take) {
    zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
    zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
    zone.addEventListener('drop', function (e) { e.preventDefault(); zone.classList.remove('over'); take(e.dataTransfer.files); });
    input.addEventListener('change', function () { take(input.files); input.value = ''; });
  }

  // ---- saving ---------------------------------------------------------------
  function save(force) {
    $('save-status').textContent = '正在保存…';
    return api('draft/' + draft.id + '/save', request({ force: !!force })).then(function (r) {
      if (r.status === 409) {
        $('conflict-disk').textContent = r.disk;
        $('conflict-mine').textContent = r.mine;
        $('conflict').hidden = false;
        $('save-status').textContent = '没有保存：文件已被他人修改，请选择保留哪一份。';
        $('conflict').focus();
        return;
      }
      if (r.error) {
        $('save-status').textContent = '没有保存：' + r.error;
        if (r.diagnostics) showDiagnostics(r.diagnostics);
        return;
      }
      draft.file = r.file;
      $('conflict').hidden = true;
      $('in-folder').disabled = true;
      $('form-file').textContent = '文件：' + r.file;
      var status = $('save-status');
      status.textContent = '已保存 ' + r.file + '。预览正在生成…';
      // The preview rebuilds on its own when the file changes; link the page once it is there.
      if (lastCheck && lastCheck.url) waitForPage('/' + lastCheck.url.replace(/^\//, ''), 0, status, r.file);
      api('site').then(function (s) { site = s; fillFilters(); showList(); });
    });
  }

  function waitForPage(url, tries, status, file) {
    fetch(url, { method: 'HEAD', cache: 'no-store' }).then(function (r) {
      if (r.ok) {
        status.textContent = '已保存 ' + file + '。';
        status.appendChild(el('a', { href: url, text: '查看发布的页面' }));
      } else if (tries < 100) setTimeout(function () { waitForPage(url, tries + 1, status, file); }, 200);
      else status.textContent = '已保存 ' + file + '，但预览没有生成这一页：请看 gongkai serve 的输出。';
    });
  }

  $('notice-form').addEventListener('input', function (e) {
    if (e.target.id === 'in-body') preview();
    scheduleCheck();
  });
  $('notice-form').addEventListener('change', scheduleCheck);
  $('notice-form').addEventListener('submit', function (e) { e.preventDefault(); check().then(function () { save(false); }); });
  $('take-mine').addEventListener('click', function () { save(true); });
  $('take-disk').addEventListener('click', function () { openForm(draft.file); });
  $('new-notice').addEventListener('click', function () { openForm(null); });
  $('show-list').addEventListener('click', function () { view('list'); });
  $('back').addEventListener('click', function () { view('list'); });
  ['filter-issuer', 'filter-year', 'filter-text'].forEach(function (id) {
    $(id).addEventListener('input', function () { listShown = LIST_PAGE; showList(); });
  });
  $('list-more').addEventListener('click', function () { listShown += LIST_PAGE; showList(); });
  dropZone($('file-drop'), $('file-input'), function (files) { [].forEach.call(files, function (f) { addFiles([f]); }); });
  dropZone($('import-drop'), $('import-input'), function (files) { if (files[0]) importDocument(files[0]); });
  loadSite().then(function () {
    $('file-limits').textContent = '每个文件不超过 ' + site.limits.file_mb + ' MB；可用类型：' + site.limits.types.join('、') + '。';
  });
})();
