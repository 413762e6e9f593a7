(function () {
  "use strict";
  // Filters findings by severity for the chosen perspective; state can come from the URL
  // fragment (#perspective=provider&sev=critical,high) so a filtered view can be shared.
  var form = document.getElementById("filters");
  if (!form) { return; }
  var select = form.querySelector("select[name=perspective]");
  var boxes = form.querySelectorAll("input[name=sev]");
  function each(list, f) { Array.prototype.forEach.call(list, f); }
  function fromHash() {
    var h = window.location.hash.replace(/^#/, "");
    if (!h) { return; }
    each(h.split("&"), function (kv) {
      var p = kv.split("="), k = p[0], v = decodeURIComponent(p[1] || "");
      if (k === "perspective" && (v === "client" || v === "provider")) { select.value = v; }
      if (k === "sev") {
        var on = v.split(",");
        each(boxes, function (b) { b.checked = on.indexOf(b.value) >= 0; });
      }
    });
  }
  function apply() {
    var p = select.value, on = {}, shown = 0;
    each(boxes, function (b) { on[b.value] = b.checked; });
    each(document.querySelectorAll(".finding"), function (f) {
      var s = f.getAttribute("data-sev-" + p) || "info";
      var badge = f.querySelector(".sev");
      badge.textContent = s;
      badge.className = "sev sev-" + s;
      f.hidden = !on[s];
      if (!f.hidden) { shown += 1; }
    });
    document.getElementById("shown").textContent = String(shown);
    document.body.setAttribute("data-perspective", p);
  }
  form.addEventListener("change", apply);
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  fromHash();
  apply();
  document.body.setAttribute("data-ready", "1");
})();
