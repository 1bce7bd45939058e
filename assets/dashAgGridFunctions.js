// Cell formatters for the Data page's grid (dash-ag-grid looks functions up here by name).
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// Women's share, a fraction, as a percentage with one decimal; text ("fewer than 5") as is.
dagfuncs.parityShare = function (value) {
  if (typeof value !== "number") { return value == null ? "—" : value; }
  return (100 * value).toFixed(1) + "%";
};

// Parity gap in percentage points, signed.
dagfuncs.parityGap = function (value) {
  if (typeof value !== "number") { return value == null ? "—" : value; }
  return (value > 0 ? "+" : "") + value.toFixed(1);
};

var STATUS_WORDS = {
  parity: "At parity",
  women_under: "Women under-represented",
  men_under: "Men under-represented",
};

dagfuncs.parityStatus = function (value) {
  return STATUS_WORDS[value] || (value == null ? "—" : value);
};
