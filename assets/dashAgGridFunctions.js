// Cell formatters for the dashboard's tables (dash-ag-grid looks functions up here by name).
// A withheld cell has no value: it reads as the row's hidden_text ("fewer than 5", "not shown").
var dagfuncs = (window.dashAgGridFunctions = window.dashAgGridFunctions || {});

// The reason ("fewer than 5", "not shown") is written once per withheld row, in its Total
// column (or its first figure when the table has no total); the other figures read as a dash.
function withheld(params) {
  var data = params && params.data;
  if (!data || !data.hidden_text) { return "—"; }
  var field = params.colDef && params.colDef.field;
  var first = "total" in data ? "total" : null;
  return field === first || first === null ? data.hidden_text : "—";
}

// The page's words and number symbols, written by the server in its language (from the
// message catalogue) on the hidden #parity-messages element (parity.web.app.client_messages).
var parityMessages = null;
function message(key, english) {
  if (parityMessages === null) {
    var element = document.getElementById("parity-messages");
    if (!element) { return english; }  // not rendered yet: asked again later
    try {
      parityMessages = JSON.parse(element.getAttribute("data-messages"));
    } catch (error) {
      parityMessages = {};
    }
  }
  return parityMessages[key] || english;
}
window.parityMessage = message;

// A number written the English way ("1,234.5") in the page language's symbols.
function localised(text) {
  var point = message("decimal", "."), group = message("group", ",");
  return text.replace(/[.,]/g, function (c) { return c === "." ? point : group; });
}

// A whole number with thousands separators.
dagfuncs.parityCount = function (params) {
  var value = params.value;
  if (typeof value !== "number") { return value == null ? withheld(params) : value; }
  return localised(Math.round(value).toLocaleString("en-US"));
};

// Women's share, a fraction, as a percentage with one decimal.
dagfuncs.parityShare = function (params) {
  var value = params.value;
  if (typeof value !== "number") { return value == null ? withheld(params) : value; }
  return localised((100 * value).toFixed(1)) + message("percent", "%");
};

// Percentage points, signed.
dagfuncs.parityGap = function (params) {
  var value = params.value;
  if (typeof value !== "number") { return value == null ? withheld(params) : value; }
  return (value > 0 ? "+" : "") +
    localised(value.toFixed(value !== 0 && Math.abs(value) < 1 ? 2 : 1));
};

// A ratio with two decimals.
dagfuncs.parityRatio = function (params) {
  var value = params.value;
  if (typeof value !== "number") { return value == null ? "—" : value; }
  return localised(value.toFixed(2));
};

var STATUS_WORDS = {
  parity: "At parity",
  women_under: "Women under-represented",
  men_under: "Men under-represented",
};

dagfuncs.parityStatus = function (params) {
  var value = params.value;
  var row = params.data || {};
  var w = row.women, m = row.men, n = w + m;
  // at parity only by the closest whole split (1 woman of 3): say so (DOMAIN.md)
  if (value === "parity" && typeof w === "number" && typeof m === "number" && n > 0 &&
      Math.abs(w - m) <= 1 && (100 * w < 47 * n || 100 * w > 53 * n)) {
    return message("status_closest", "As close to parity as {n} people allow")
      .replace("{n}", n);
  }
  if (STATUS_WORDS[value]) { return message("status_" + value, STATUS_WORDS[value]); }
  return value == null ? withheld(params) : value;
};

// Text that may be missing.
dagfuncs.parityText = function (params) {
  return params.value == null || params.value === "" ? "—" : params.value;
};
