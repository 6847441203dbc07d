// The page's words, defined once for every script of Lode's: lodeSay(key,
// english, values) is the string `key` in the page's language (base.html's
// <body data-strings>: those of the site's i18n/<code>.toml that differ from
// Lode's English), else `english`, with each {name} filled from `values`.
// Lode writes this file first in lode.js and in front of each script it
// writes alone that says anything (search.js, graph.js, revise.js), so it is
// there whatever a page loads, and in whatever order; the first defines it.
window.lodeSay = window.lodeSay || (function () {
  "use strict";
  var texts = null;
  return function (key, english, values) {
    if (!texts) {
      try { texts = JSON.parse(document.body.dataset.strings || "{}"); } catch (e) { texts = {}; }
    }
    return (texts[key] || english).replace(/\{(\w+)\}/g, function (m, name) {
      return values && name in values ? values[name] : m;
    });
  };
})();
