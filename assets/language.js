// The language switch in the header (issue 13): reload the page in the other language with the
// same page, filters and scenario: the link's own href ("?lang=fr") would drop them.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".lang-switch a[hreflang]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) {
      return;
    }
    var url = new URL(window.location.href);
    url.searchParams.set("lang", link.getAttribute("hreflang"));
    event.preventDefault();
    window.location.assign(url.toString());
  });
})();
