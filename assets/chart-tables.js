// "Show as table" under each chart (issue 13): the figures behind the chart, as the server
// wrote them under the privacy rule, drawn as a table the first time the disclosure is opened
// (and again when the figures change), never before: a page with ten charts stays light.
(function () {
  "use strict";

  function node(type, props, children) {
    var all = Object.assign({}, props || {});
    if (children !== undefined) { all.children = children; }
    return { type: type, namespace: "dash_html_components", props: all };
  }

  function chartTable(clicks, table) {
    if (!clicks || !table || !table.columns) { return null; }
    if (!table.rows || !table.rows.length) {
      return node("P", { className: "chart-table-empty" },
        window.parityMessage ? window.parityMessage("no_figures", "No figures to show.")
          : "No figures to show.");
    }
    var head = node("Thead", {}, node("Tr", {}, table.columns.map(function (name, i) {
      return node("Th", { scope: "col", className: i ? "num" : "" }, name);
    })));
    var body = node("Tbody", {}, table.rows.map(function (row) {
      return node("Tr", {}, row.map(function (cell, i) {
        return i ? node("Td", { className: "num" }, cell) : node("Th", { scope: "row" }, cell);
      }));
    }));
    return node("Table", { className: "table table-sm chart-table" }, [
      node("Caption", {}, table.caption),
      head,
      body,
    ]);
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.parity = Object.assign({}, window.dash_clientside.parity, {
    chartTable: chartTable,
  });
})();
