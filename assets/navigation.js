// The navigation's links, "Reset filters" and "Copy link" on the current filters, written in
// the browser in the same step as the filter store changes: a click on a page's link right
// after a filter was chosen (a station on the map) keeps the choice, where a round trip to the
// server could still be on its way. The same rule as parity.web.language.with_language: the
// path, the filters' query and the page's language.
(function () {
  "use strict";

  function languageOf(href) {
    try {
      var code = new URL(href, window.location.href).searchParams.get("lang");
      return code && /^[a-z]{2}$/.test(code) ? code : null;
    } catch (e) {
      return null;
    }
  }

  function withLanguage(path, query, lang) {
    var parts = [];
    if (query) { parts.push(query); }
    if (lang) { parts.push("lang=" + encodeURIComponent(lang)); }
    return path + (parts.length ? "?" + parts.join("&") : "");
  }

  function navLinks(pathname, query, href, paths, unfiltered) {
    var path = pathname ? (pathname.replace(/\/+$/, "") || "/") : "/";
    var lang = languageOf(href || "");
    var base = (href || "").split("?")[0];
    var out = [];
    paths.forEach(function (p) { out.push(withLanguage(p, query || "", lang)); });
    paths.forEach(function (p) { out.push(p === path ? "nav-link active" : "nav-link"); });
    out.push(withLanguage(path, "", lang));
    out.push(withLanguage(base, query || "", lang));
    // a page the filters do not change (Rounds, Definitions) takes the whole width
    // (parity.web.shell.WITHOUT_FILTERS; the columns' classes otherwise)
    var without = unfiltered.paths.indexOf(path) >= 0;
    out.push(without ? "filters-col d-none" : unfiltered.columns[0]);
    out.push(without ? "col-12" : unfiltered.columns[1]);
    return out;
  }

  window.dash_clientside = window.dash_clientside || {};
  window.dash_clientside.parity = Object.assign(window.dash_clientside.parity || {}, {
    navLinks: navLinks,
  });
})();
