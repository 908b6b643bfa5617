// Marks the language tabs of a guide's form that have missing, stale or unreviewed texts.
(function () {
  "use strict";
  function mark() {
    const data = document.getElementById("translation-needs");
    if (!data) return;
    const needs = JSON.parse(data.textContent || "{}");
    document.querySelectorAll(".ui-tabs-nav a").forEach(function (tab) {
      const code = tab.textContent.trim().toLowerCase();
      const counts = needs[code];
      if (!counts || tab.querySelector(".tab-needs")) return;
      const total = Object.values(counts).reduce(function (sum, n) { return sum + n; }, 0);
      if (!total) return;
      const badge = document.createElement("span");
      badge.className = "tab-needs";
      badge.textContent = String(total);
      badge.title = Object.entries(counts).map(function (entry) { return entry[0] + ": " + entry[1]; }).join(", ");
      tab.appendChild(badge);
    });
  }
  window.addEventListener("load", function () { mark(); setTimeout(mark, 300); });
})();
