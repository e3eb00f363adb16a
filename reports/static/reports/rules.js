// Validation rules run as the person types: the rules come serialised into the page (json_script
// "report-rules") as the parsed trees of reports/validation.py, so this file evaluates the same
// tree the server does and needs no round trip. A rule with an empty figure is skipped, as on the
// server. The message appears under every figure the rule reads; the server decides on submit.
(function () {
  "use strict";
  var data = document.getElementById("report-rules");
  var form = document.getElementById("report-form");
  if (!data || !form) { return; }
  var rules = JSON.parse(data.textContent);
  var compare = {
    "<": function (a, b) { return a < b; },
    "<=": function (a, b) { return a <= b; },
    "==": function (a, b) { return Math.abs(a - b) < 1e-9; },
    ">=": function (a, b) { return a >= b; },
    ">": function (a, b) { return a > b; },
    "!=": function (a, b) { return Math.abs(a - b) >= 1e-9; }
  };

  function evaluate(tree, values) {
    var kind = tree[0];
    if (kind === "num") { return parseFloat(tree[1]); }
    if (kind === "code") { return Object.prototype.hasOwnProperty.call(values, tree[1]) ? values[tree[1]] : null; }
    var a = evaluate(tree[1], values), b = evaluate(tree[2], values);
    if (a === null || b === null) { return null; }
    if (kind === "+") { return a + b; }
    if (kind === "-") { return a - b; }
    if (kind === "*") { return a * b; }
    return b === 0 ? null : a / b;
  }

  function codes(tree, into) {
    if (tree[0] === "code") { into.push(tree[1]); } else if (tree[0] !== "num") { codes(tree[1], into); codes(tree[2], into); }
    return into;
  }

  // Units: "c12" for centre 12, "org" for the organisation; field names are "<unit>__<code>".
  function units() {
    var found = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      var match = /^(c\d+|org)__([\w-]+)$/.exec(field.name || "");
      if (!match) { return; }
      var unit = found[match[1]] = found[match[1]] || {};
      var raw = (field.value || "").trim();
      if (raw !== "" && !isNaN(Number(raw))) { unit[match[2]] = Number(raw); }
    });
    return found;
  }

  function format(number) { return String(Math.round(number * 100) / 100); }

  function run() {
    Array.prototype.forEach.call(form.querySelectorAll(".rule-hint"), function (hint) { hint.remove(); });
    var all = units();
    Object.keys(all).forEach(function (unit) {
      var scope = unit === "org" ? "organisation" : "centre";
      rules.forEach(function (rule) {
        if (rule.scope !== scope) { return; }
        var left = evaluate(rule.left, all[unit]), right = evaluate(rule.right, all[unit]);
        if (left === null || right === null || compare[rule.op](left, right)) { return; }
        var figures = "(" + format(left) + " " + rule.symbol + " " + format(right) + ")";
        // The whole message once, under the first figure involved; the others point to it briefly
        // (a phone screen would otherwise repeat a long message under every figure).
        var first = true;
        codes(rule.right, codes(rule.left, [])).filter(function (c, i, all) { return all.indexOf(c) === i; }).forEach(function (code) {
          var field = form.elements[unit + "__" + code];
          if (!field || !field.parentNode) { return; }
          var hint = document.createElement("div");
          hint.className = "rule-hint small " + (rule.error ? "text-danger" : "text-warning-emphasis");
          hint.setAttribute("data-rule", rule.id);
          hint.title = rule.message;
          hint.textContent = first ? rule.message + " " + figures : "⚠ " + figures;
          first = false;
          field.parentNode.appendChild(hint);
        });
      });
    });
  }

  form.addEventListener("input", run);
  window.setTimeout(run, 0);  // after the draft kept in this browser is restored
})();
