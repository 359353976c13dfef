// Page tools. On every page: 简体 / 繁體, the whole page — interface and text —
// converted in the browser with this site's OpenCC table (assets/zh-convert.js,
// loaded only when asked for), remembered across pages, the original always one
// click away. On a notice: 字号 大 中 小 (remembered), 打印, 关闭窗口; on a notice and a
// withdrawn notice's page, the print date for the printed copy. Without JavaScript every page reads as it is.
(function () {
  'use strict';
  var ASSETS = document.currentScript ? document.currentScript.src.replace(/[^/]*$/, '') : 'assets/';
  // The interface's words, in the site's script (assets/words.js, from the theme's
  // words.js). Each script's own name and note are written in that script.
  var W = window.gongkaiWords || {};
  var ZKEY = 'gongkai-script', SCRIPTS = { '': W.original, hans: '简体', hant: '繁體' };
  var NOTES = {
    hans: '本页文字由机器从原文转换为简体，仅供阅读，以原文为准。',
    hant: '本頁文字由機器從原文轉換為繁體，僅供閱讀，以原文為準。'
  };
  var originals = new Map(), attrs = [], tables = {}, observer = null, title = null;
  // The page's buttons and button groups, made one way.
  function button(text, data, onClick) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    if (data) b.setAttribute(data[0], data[1]);
    b.addEventListener('click', onClick);
    return b;
  }
  function group(className, label) {
    var g = document.createElement('div');
    g.className = className;
    g.setAttribute('role', 'group');
    g.setAttribute('aria-label', label);
    return g;
  }
  // Mark which button of a group is on (`data-<name>` equal to `value`).
  function press(selector, name, value) {
    document.querySelectorAll(selector + ' [data-' + name + ']').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-' + name) === value));
    });
  }
  function remember(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* storage off: not remembered */ }
  }
  function recall(key) {
    try { return localStorage.getItem(key); } catch (e) { return null; }
  }
  function table(name) {
    if (tables[name]) return tables[name];
    var t = window.gongkaiZh[name], chars = new Map(), phrases = new Map(), starts = new Set(), longest = 1;
    var c = Array.from(t.c);
    for (var i = 0; i + 1 < c.length; i += 2) chars.set(c[i], c[i + 1]);
    Object.keys(t.p).forEach(function (k) {
      var n = Array.from(k);
      phrases.set(k, t.p[k]);
      starts.add(n[0]);
      if (n.length > longest) longest = n.length;
    });
    return (tables[name] = { chars: chars, phrases: phrases, starts: starts, longest: longest });
  }
  // OpenCC's rule: at each place the longest phrase of the table, else the character.
  function convert(text, t) {
    var a = Array.from(text), out = '';
    for (var i = 0; i < a.length;) {
      var done = false;
      if (t.starts.has(a[i])) {
        for (var len = Math.min(t.longest, a.length - i); len > 1; len--) {
          var to = t.phrases.get(a.slice(i, i + len).join(''));
          if (to !== undefined) { out += to; i += len; done = true; break; }
        }
      }
      if (!done) { out += t.chars.get(a[i]) || a[i]; i++; }
    }
    return out;
  }
  function textNodes(root, each) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) { return n.parentElement && n.parentElement.closest('script, style, .script-switch') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
    });
    for (var n = walker.nextNode(); n; n = walker.nextNode()) each(n);
  }
  function apply(root, t) {
    textNodes(root, function (n) {
      if (!originals.has(n)) originals.set(n, n.nodeValue);
      n.nodeValue = convert(originals.get(n), t);
    });
    (root.querySelectorAll ? root : document).querySelectorAll('[placeholder], [aria-label], [title], [alt]').forEach(function (e) {
      ['placeholder', 'aria-label', 'title', 'alt'].forEach(function (a) {
        if (!e.hasAttribute(a)) return;
        var saved = attrs.find(function (s) { return s[0] === e && s[1] === a; });
        if (!saved) attrs.push(saved = [e, a, e.getAttribute(a)]);
        e.setAttribute(a, convert(saved[2], t));
      });
    });
  }
  function restore() {
    originals.forEach(function (v, n) { n.nodeValue = v; });
    attrs.forEach(function (s) { s[0].setAttribute(s[1], s[2]); });
  }
  function setScript(script) {
    if (observer) observer.disconnect();
    restore();
    var root = document.documentElement, note = document.getElementById('zh-note');
    if (!root.hasAttribute('data-lang')) root.setAttribute('data-lang', root.lang);
    root.lang = script ? (script === 'hant' ? 'zh-Hant' : 'zh-Hans') : root.getAttribute('data-lang');
    if (note) note.hidden = !script;
    if (script) {
      var t = table(script === 'hant' ? 's2t' : 't2s');
      if (title === null) title = document.title;
      apply(document.body, t);
      document.title = convert(title, t);
      if (note) note.firstChild.nodeValue = NOTES[script];
      // Search results and other text that arrives later are converted too.
      observer = new MutationObserver(function (changes) {
        observer.disconnect();
        changes.forEach(function (c) { c.addedNodes.forEach(function (n) { if (n.nodeType === 1 || n.nodeType === 3) apply(n.nodeType === 1 ? n : n.parentNode, t); }); });
        observer.observe(document.body, { childList: true, subtree: true });
      });
      observer.observe(document.body, { childList: true, subtree: true });
    } else if (title !== null) {
      document.title = title;
    }
    press('.script-switch', 'script', script);
  }
  function choose(script) {
    remember(ZKEY, script);
    if (!script || window.gongkaiZh) { setScript(script); return; }
    var s = document.createElement('script');
    s.src = ASSETS + 'zh-convert.js';
    s.onload = function () { setScript(script); };
    document.head.appendChild(s);
  }
  document.addEventListener('DOMContentLoaded', function () {
    var header = document.querySelector('.site-header .wrap');
    if (!header) return;
    var box = group('script-switch', W.switch);
    Object.keys(SCRIPTS).forEach(function (k) {
      box.appendChild(button(SCRIPTS[k], ['data-script', k], function () { choose(k); }));
    });
    header.appendChild(box);
    press('.script-switch', 'script', '');
    var note = document.createElement('p');
    note.id = 'zh-note';
    note.className = 'zh-note';
    note.setAttribute('role', 'note');
    note.hidden = true;
    note.appendChild(document.createTextNode(''));
    note.appendChild(button(W.view_original, null, function () { choose(''); }));
    var main = document.getElementById('main');
    if (main) main.insertBefore(note, main.firstChild);
    var saved = recall(ZKEY);
    if (saved && SCRIPTS[saved]) choose(saved);
  });
  var KEY = 'gongkai-font', SIZES = { l: W.large, m: W.medium, s: W.small };
  var root = document.documentElement;
  function setSize(size) {
    Object.keys(SIZES).forEach(function (k) { root.classList.toggle('font-' + k, k === size && k !== 'm'); });
    press('.page-tools', 'size', size);
  }
  var saved = recall(KEY);
  if (!SIZES[saved]) saved = 'm';
  setSize(saved);
  document.addEventListener('DOMContentLoaded', function () {
    // The printed copy says where it came from (written in the page, so it prints
    // without JavaScript too) and, from here, when it was printed: on a notice and
    // on a withdrawn notice's short page alike.
    var info = document.getElementById('printed-from');
    if (info) {
      var from = info.textContent;
      var fill = function () {
        var d = new Date();
        info.textContent = from + '　' + W.printed + d.getFullYear() + '年' + (d.getMonth() + 1) + '月' + d.getDate() + '日';
      };
      fill();
      window.addEventListener('beforeprint', fill);
    }
    var body = document.querySelector('article.notice .body');
    if (!body) return;
    var tools = group('page-tools', W.tools);
    var label = document.createElement('span');
    label.textContent = W.size;
    tools.appendChild(label);
    Object.keys(SIZES).forEach(function (k) {
      tools.appendChild(button(SIZES[k], ['data-size', k], function () { remember(KEY, k); setSize(k); }));
    });
    tools.appendChild(button(W.print, null, function () { window.print(); }));
    tools.appendChild(button(W.close, null, function () { window.close(); }));
    body.parentNode.insertBefore(tools, body);
    setSize(saved);
  });
})();
