/* wfgen site search: filters window.WFGEN_INDEX (search-index.js, written at build time) by
   id, label and description. No fetch, no modules: works from file:// and any static host. */
(function () {
  var box = document.getElementById('q'), list = document.getElementById('hits');
  if (!box || !list || !window.WFGEN_INDEX) return;
  function norm(s) {
    return s.toLocaleLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  }
  var entries = window.WFGEN_INDEX.map(function (e) {
    return { e: e, id: norm(e.id), label: norm(e.label), all: norm(e.id + ' ' + e.label + ' ' + e.text) };
  });
  box.addEventListener('input', function () {
    var q = norm(box.value.trim());
    list.textContent = '';
    if (!q) return;
    // Exact id or label first, then starts-with, then anywhere in the text.
    var hits = entries.filter(function (x) { return x.all.indexOf(q) >= 0; });
    function rank(x) {
      if (x.id === q || x.label === q) return 0;
      if (x.id.indexOf(q) === 0 || x.label.indexOf(q) === 0) return 1;
      return (x.id.indexOf(q) >= 0 || x.label.indexOf(q) >= 0) ? 2 : 3;
    }
    hits.sort(function (a, b) { return rank(a) - rank(b); });
    hits.slice(0, 20).forEach(function (x) {
      var li = document.createElement('li'), a = document.createElement('a'), c = document.createElement('code');
      a.href = x.e.page + '.html#' + encodeURIComponent(x.e.id);
      a.textContent = x.e.label + ' ';
      c.textContent = x.e.id;
      a.appendChild(c);
      li.appendChild(a);
      list.appendChild(li);
    });
  });
})();
