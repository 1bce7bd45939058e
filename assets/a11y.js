// Accessible names and roles that Dash 4's components leave out (issue 13), applied to every
// control as it appears: the dropdowns' hidden focus inputs leave the tab order (their button
// is the control), radio lists are radio groups (not listboxes of options holding radios), and
// sliders, their number boxes, radio groups and file inputs are named by their visible label.
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
      // the dropdown's button is the tab stop (it opens on Enter, Space and the arrows); the
      // hidden input it keeps for focus leaves the tab order
      var wrapper = el.closest(".dash-dropdown-wrapper") || el.parentElement;
      var button = wrapper && wrapper.querySelector("button.dash-dropdown");
      if (button && button.getAttribute("tabindex") !== "0") { button.setAttribute("tabindex", "0"); }
      if (el.getAttribute("tabindex") !== "-1") { el.setAttribute("tabindex", "-1"); }
    });
    root.querySelectorAll(".dash-radioitems[role='listbox']").forEach(function (group) {
      group.setAttribute("role", "radiogroup");
      name(group, "");
      group.querySelectorAll("[role='option']").forEach(function (option) {
        option.removeAttribute("role");
        option.removeAttribute("aria-selected");
      });
    });
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
    root.querySelectorAll("input[type='file']").forEach(function (input) {
      name(input, say("choose_file", "Choose a file to import"));
    });
    root.querySelectorAll("button.dash-dropdown").forEach(function (button) {
      // the accessible name holds the visible text, kept up to date as the choice changes
      // (label-content-name-mismatch)
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
