// On a phone (issue 23), a table keeps what a reader needs without scrolling sideways: the
// row's name, women's share and status (the columns parity.web.components marks with
// context.phone); the other columns hide there, the names and statuses wrap. From 576 px on,
// every column is back. The grids are found as Dash draws them, and fitted again whenever a
// callback gives them new columns or the screen turns.
(function () {
  "use strict";

  var NARROW = window.matchMedia("(max-width: 575.98px)");
  var hooked = new WeakSet();
  var grids = [];

  function isPhoneColumn(def) { return !!(def.context && def.context.phone); }

  // The kept columns' widths, summing to the grid's: a share its own least width, the names
  // and the status the rest (a name twice a status's part), none under its least width. Set as
  // widths, not flex, so that the grid's own fitting to its width (columnSize) keeps them.
  function phoneWidths(defs, available) {
    var kept = defs.filter(isPhoneColumn);
    var parts = { name: 2, status: 1, text: 3 };
    var weight = function (d) { return parts[d.context.phone] || 1; };
    var fixed = 0, weights = 0;
    kept.forEach(function (d) {
      if (d.context.phone === "share") { fixed += d.context.phoneWidth; } else { weights += weight(d); }
    });
    var rest = Math.max(0, available - fixed);
    return kept.map(function (d) {
      var share = d.context.phone === "share";
      var width = share ? d.context.phoneWidth : Math.floor(rest * weight(d) / weights);
      return Math.max(d.context.phoneWidth, width);
    });
  }

  function phoneDef(def, width) {
    var keep = isPhoneColumn(def);
    var out = Object.assign({}, def, {
      hide: !keep,
      context: Object.assign({}, def.context, { phoneApplied: true, desktop: def }),
    });
    if (keep) {
      var share = def.context.phone === "share";
      out.minWidth = def.context.phoneWidth;
      out.width = width;
      out.flex = undefined;
      out.wrapText = !share;
      out.autoHeight = !share;
      out.suppressHeaderFilterButton = true;  // the header's words need its room
      out.cellClass = def.context.phone === "name" ? "phone-name" : def.cellClass;
    }
    return out;
  }

  function fit(grid) {
    var api = grid.api;
    if (!api || (api.isDestroyed && api.isDestroyed())) { return; }
    var defs = api.getGridOption("columnDefs") || [];
    var fitted = NARROW.matches && defs.some(isPhoneColumn);
    grid.element.classList.toggle("phone-fitted", fitted);  // (tests look for it)
    if (!defs.some(isPhoneColumn)) { return; }
    var applied = defs.some(function (d) { return d.context && d.context.phoneApplied; });
    if (NARROW.matches === applied) { return; }
    var widths = phoneWidths(defs, grid.element.clientWidth - 4);
    var i = 0;
    var next = NARROW.matches
      ? defs.map(function (d) { return phoneDef(d, isPhoneColumn(d) ? widths[i++] : null); })
      : defs.map(function (d) { return (d.context && d.context.desktop) || d; });
    api.setGridOption("columnDefs", next);
  }

  function hook(element) {
    if (hooked.has(element) || !element.id || !window.dash_ag_grid) { return; }
    hooked.add(element);
    window.dash_ag_grid.getApiAsync(element.id).then(function (api) {
      var grid = { api: api, element: element };
      grids.push(grid);
      api.addEventListener("newColumnsLoaded", function () { fit(grid); });
      fit(grid);
    });
  }

  function scan() {
    document.querySelectorAll(".parity-grid[id]").forEach(hook);
    grids = grids.filter(function (g) { return !(g.api.isDestroyed && g.api.isDestroyed()); });
  }

  NARROW.addEventListener("change", function () { grids.forEach(fit); });
  var queued = false;
  new MutationObserver(function () {
    if (queued) { return; }
    queued = true;
    window.requestAnimationFrame(function () { queued = false; scan(); });
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
