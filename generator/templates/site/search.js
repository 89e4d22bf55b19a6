/* wfgen site search: filters window.WFGEN_INDEX (search-index.js, written at build time) by
   id, label and description. No fetch, no modules: works from file:// and any static host.
   Each result names its page and module, shows the matching text with the match marked, and
   appears once; the status line says how many matched, or that nothing did. Keys: Down/Up
   move through the results, Escape clears the search. On a phone the menu starts closed. */
(function () {
  var menu = document.querySelector('details.menu');
  var phone = window.matchMedia && window.matchMedia('(max-width: 40rem)');
  if (menu && phone) {
    // Closed on a phone, open (and without its toggle, see site.css) on a wider screen.
    menu.open = !phone.matches;
    phone.addEventListener('change', function (e) { menu.open = !e.matches; });
  }
  var box = document.getElementById('q'), list = document.getElementById('hits');
  var panel = document.getElementById('results'), status = document.getElementById('hits-status');
  if (!box || !list || !panel || !status || !window.WFGEN_INDEX) return;
  var form = box.form;
  function norm(s) {
    return s.toLocaleLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  }
  // The normalised text, and for each of its characters the index of the original one, so
  // a match found without accents is marked in the text as written.
  function folded(s) {
    var out = '', at = [];
    for (var i = 0; i < s.length; i++) {
      var n = norm(s.charAt(i));
      for (var k = 0; k < n.length; k++) { out += n.charAt(k); at.push(i); }
    }
    return { text: out, at: at };
  }
  var seen = {}, entries = [];
  window.WFGEN_INDEX.forEach(function (e) {
    if (seen[e.id]) return;  // a workflow listed twice is one result
    seen[e.id] = true;
    entries.push({ e: e, id: folded(e.id), label: folded(e.label), text: folded(e.text) });
  });
  function say(key, count) {
    status.textContent = (form.getAttribute('data-' + key) || '').replace('{n}', count);
    var lang = form.getAttribute('data-' + key + '-lang');
    if (lang) status.setAttribute('lang', lang); else status.removeAttribute('lang');
  }
  function marked(parent, original, f, q, around) {
    var j = f.text.indexOf(q);
    if (j < 0) { parent.appendChild(document.createTextNode(original)); return; }
    var start = f.at[j], end = f.at[j + q.length - 1] + 1;
    var from = around ? Math.max(0, start - around) : 0;
    var to = around ? Math.min(original.length, end + around) : original.length;
    var m = document.createElement('mark');
    m.textContent = original.slice(start, end);
    parent.appendChild(document.createTextNode((from > 0 ? '\u2026' : '') + original.slice(from, start)));
    parent.appendChild(m);
    parent.appendChild(document.createTextNode(original.slice(end, to) + (to < original.length ? '\u2026' : '')));
  }
  function rank(x, q) {
    var id = x.id.text, label = x.label.text;
    if (id === q || label === q) return 0;
    if (id.indexOf(q) === 0 || label.indexOf(q) === 0) return 1;
    return (id.indexOf(q) >= 0 || label.indexOf(q) >= 0) ? 2 : 3;
  }
  function show() {
    var q = norm(box.value.trim());
    list.textContent = '';
    if (!q) { panel.hidden = true; status.textContent = ''; return; }
    panel.hidden = false;
    var hits = entries.filter(function (x) {
      return x.id.text.indexOf(q) >= 0 || x.label.text.indexOf(q) >= 0 || x.text.text.indexOf(q) >= 0;
    });
    // Exact id or label first, then starts-with, then anywhere in the label, then the text.
    hits.sort(function (a, b) { return rank(a, q) - rank(b, q); });
    say(hits.length ? 'found' : 'none', hits.length);
    hits.slice(0, 20).forEach(function (x) {
      var li = document.createElement('li'), a = document.createElement('a');
      var title = document.createElement('span'), c = document.createElement('code');
      var where = document.createElement('span');
      a.href = x.e.page + '.html#' + encodeURIComponent(x.e.id);
      title.className = 'hit-label';
      marked(title, x.e.label, x.label, q, 0);
      marked(c, x.e.id, x.id, q, 0);
      where.className = 'hit-page';
      where.textContent = x.e.module;
      a.appendChild(title);
      a.appendChild(document.createTextNode(' '));
      a.appendChild(c);
      li.appendChild(a);
      li.appendChild(where);
      if (x.label.text.indexOf(q) < 0 && x.id.text.indexOf(q) < 0) {
        var p = document.createElement('p');
        p.className = 'hit-text';
        marked(p, x.e.text, x.text, q, 40);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
  }
  box.addEventListener('input', show);
  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }
  form.addEventListener('keydown', function (ev) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (ev.key === 'ArrowDown' && all.length) {
      all[Math.min(at + 1, all.length - 1)].focus();
      ev.preventDefault();
    } else if (ev.key === 'ArrowUp' && at >= 0) {
      (at === 0 ? box : all[at - 1]).focus();
      ev.preventDefault();
    } else if (ev.key === 'Escape') {
      box.value = '';
      show();
      box.focus();
    }
  });
})();
