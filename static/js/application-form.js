// Application form (funding/views/applicant.py): the financing plan's totals follow what is typed (rows are
// added by formset.js). Without JavaScript the totals shown are those saved.
(function () {
  "use strict";

  var requestedCell = document.querySelector("[data-financing-requested]");
  var formatter = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

  function sum(side) {
    var result = 0;
    document.querySelectorAll("input[data-financing-amount='" + side + "']").forEach(function (input) {
      var row = input.closest("fieldset");
      var deleted = row && row.querySelector("input[type=checkbox][name$='-DELETE']");
      var value = parseFloat((input.value || "").replace(",", "."));
      if (!isNaN(value) && !(deleted && deleted.checked)) {
        result += value;
      }
    });
    return Math.round(result * 100) / 100;
  }

  function show(name, value) {
    var cell = document.querySelector("[data-financing-total='" + name + "']");
    if (cell) {
      cell.textContent = formatter.format(value);
    }
  }

  function updateTotals() {
    if (!requestedCell) {
      return;
    }
    var requested = parseFloat(requestedCell.getAttribute("data-financing-requested")) || 0;
    var expenses = sum("expense");
    var resources = sum("resource");
    show("expense", expenses);
    show("resource", resources);
    show("all", resources + requested);
    show("gap", Math.round((expenses - resources - requested) * 100) / 100);
  }

  if (requestedCell) {
    document.addEventListener("input", function (event) {
      if (event.target.matches("input[data-financing-amount], input[name$='-DELETE']")) {
        updateTotals();
      }
    });
    document.addEventListener("formset:added", updateTotals);
    document.addEventListener("change", function (event) {
      if (event.target.matches("input[name$='-DELETE']")) {
        updateTotals();
      }
    });
  }
})();
