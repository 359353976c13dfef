// Page tools of a notice: 字号 大 中 小 (remembered across pages), 打印, 关闭窗口, and
// the page's address and print date for the printed copy. Without JavaScript the
// page reads as it is, at the default (readable) size.
(function () {
  'use strict';
  var KEY = 'gongkai-font', SIZES = { l: '大', m: '中', s: '小' };
  var root = document.documentElement;
  function setSize(size) {
    Object.keys(SIZES).forEach(function (k) { root.classList.toggle('font-' + k, k === size && k !== 'm'); });
    document.querySelectorAll('.page-tools [data-size]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-size') === size));
    });
  }
  var saved = null;
  try { saved = localStorage.getItem(KEY); } catch (e) { /* storage off: no memory */ }
  if (!SIZES[saved]) saved = 'm';
  setSize(saved);
  document.addEventListener('DOMContentLoaded', function () {
    var body = document.querySelector('article.notice .body');
    if (!body) return;
    var tools = document.createElement('div');
    tools.className = 'page-tools';
    tools.setAttribute('role', 'group');
    tools.setAttribute('aria-label', '页面工具');
    var label = document.createElement('span');
    label.textContent = '字号：';
    tools.appendChild(label);
    Object.keys(SIZES).forEach(function (k) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = SIZES[k];
      b.setAttribute('data-size', k);
      b.addEventListener('click', function () {
        try { localStorage.setItem(KEY, k); } catch (e) { /* not remembered */ }
        setSize(k);
      });
      tools.appendChild(b);
    });
    [['打印', function () { window.print(); }], ['关闭窗口', function () { window.close(); }]].forEach(function (t) {
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = t[0];
      b.addEventListener('click', t[1]);
      tools.appendChild(b);
    });
    body.parentNode.insertBefore(tools, body);
    setSize(saved);
    // The printed copy says where it came from (written in the page, so it prints
    // without JavaScript too) and, from here, when it was printed.
    var info = document.getElementById('printed-from');
    if (!info) return;
    var from = info.textContent;
    function fill() {
      var d = new Date();
      info.textContent = from + '　打印日期：' + d.getFullYear() + '年' + (d.getMonth() + 1) + '月' + d.getDate() + '日';
    }
    fill();
    window.addEventListener('beforeprint', fill);
  });
})();
