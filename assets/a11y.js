// Accessible names and roles that Dash's components leave out (issue 13), applied to every
// control as it appears. Each patch below names the Dash version it was written against and the
// upstream report; when Dash fixes one, axe (tests/e2e/test_accessibility.py) still passes
// without it and the patch can go. Written against Dash 4.4.1 (dash-core-components bundled
// with it); "none found" means the plotly/dash tracker had no report when searched (2026-12).
(function () {
  "use strict";

  function say(key, english) {  // the page's language (assets/dashAgGridFunctions.js)
    return window.parityMessage ? window.parityMessage(key, english) : english;
  }

  function labelFor(element) {
    // the text of the <label for=id> of the element or of its nearest ancestor with an id
    var node = element;
    while (node && node !== document.body) {
      if (node.id) {
        var label = document.querySelector('label[for="' + CSS.escape(node.id) + '"]');
        if (label && label.textContent.trim()) { return label.textContent.trim(); }
      }
      node = node.parentElement;
    }
    return "";
  }

  function name(element, fallback) {
    if (element.getAttribute("aria-label") || element.getAttribute("aria-labelledby")) { return; }
    var text = labelFor(element) || fallback;
    if (text) { element.setAttribute("aria-label", text); }
  }

  function fix(root) {
    root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']").forEach(function (el) {
      // PATCH dropdown-tab-order (Dash 4.4.1 dcc.Dropdown; upstream plotly/dash#3673, "dcc.Dropdown
      // unreachable via tab key navigation"): the dropdown's button is the tab stop (it opens on
      // Enter, Space and the arrows); the hidden input it keeps for focus leaves the tab order
      var wrapper = el.closest(".dash-dropdown-wrapper") || el.parentElement;
      var button = wrapper && wrapper.querySelector("button.dash-dropdown");
      if (button && button.getAttribute("tabindex") !== "0") { button.setAttribute("tabindex", "0"); }
      if (el.getAttribute("tabindex") !== "-1") { el.setAttribute("tabindex", "-1"); }
    });
    // PATCH radio-roles (Dash 4.4.1 dcc.RadioItems renders role=listbox with role=option items
    // around native radios; upstream: none found): a radio group, named by its label
    root.querySelectorAll(".dash-radioitems[role='listbox']").forEach(function (group) {
      group.setAttribute("role", "radiogroup");
      name(group, "");
      group.querySelectorAll("[role='option']").forEach(function (option) {
        option.removeAttribute("role");
        option.removeAttribute("aria-selected");
      });
    });
    // PATCH slider-names (Dash 4.4.1 dcc.Slider: the thumb and the typed-value boxes carry no
    // accessible name, axe aria-input-field-name / label; upstream: none found)
    root.querySelectorAll("[role='slider']").forEach(function (thumb) { name(thumb, say("slider", "slider")); });
    root.querySelectorAll("input.dash-range-slider-input").forEach(function (box) {
      var max = box.classList.contains("dash-range-slider-max-input");
      var label = labelFor(box);
      if (!box.getAttribute("aria-label")) {
        box.setAttribute("aria-label", max
          ? say("typed_value", "{label} (type a value)").replace("{label}", label || say("value", "value"))
          : label || say("value", "value"));
      }
    });
    // PATCH upload-name (Dash 4.4.1 dcc.Upload: its file input has no name; upstream: none found)
    root.querySelectorAll("input[type='file']").forEach(function (input) {
      name(input, say("choose_file", "Choose a file to import"));
    });
    root.querySelectorAll("button.dash-dropdown").forEach(function (button) {
      // PATCH dropdown-name (Dash 4.4.1 dcc.Dropdown: the button is labelled by an element that
      // does not hold its visible choice, axe label-content-name-mismatch; upstream: none found):
      // the accessible name holds the visible text, kept up to date as the choice changes
      var visible = button.textContent.replace(/\s+/g, " ").trim();
      var label = labelFor(button);
      var wanted = (label ? label + ": " : "") + visible;
      if (button.hasAttribute("aria-labelledby")) { button.removeAttribute("aria-labelledby"); }
      if (visible && button.getAttribute("aria-label") !== wanted) {
        button.setAttribute("aria-label", wanted);
      }
    });
  }

  // On a phone the filter panel starts closed behind "Filters (n)", n the filters in use, so
  // that each page's heading is on the first screen.
  var FILTERS = ["year", "location", "entity", "country", "duty_station", "region", "grade",
    "category", "age_band", "contract_type", "personnel_type"];
  function filterSummary(root) {
    var summary = root.querySelector("#filters-panel > summary");
    if (!summary) { return; }
    var params = new URLSearchParams(window.location.search);
    var used = FILTERS.filter(function (key) { return params.getAll(key).some(Boolean); });
    var text = used.length
      ? say("filters_used", "Filters ({n})").replace("{n}", used.length)
      : say("filters", "Filters");
    if (summary.textContent !== text) { summary.textContent = text; }
  }
  var closedOnPhone = false;
  function closeOnPhone(root) {
    var panel = root.querySelector("#filters-panel");
    if (!panel || closedOnPhone) { return; }
    closedOnPhone = true;
    if (window.matchMedia("(max-width: 991px)").matches) { panel.open = false; }
  }

  var pending = false;
  var observer = new MutationObserver(function () {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      fix(document);
      filterSummary(document);
      closeOnPhone(document);
    });
  });
  function start() {
    fix(document);
    filterSummary(document);
    closeOnPhone(document);
    observer.observe(document.body, { childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ["role", "aria-hidden", "aria-labelledby", "tabindex"] });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
