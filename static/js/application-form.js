// Application form (funding/views/applicant.py): « Ajouter une ligne » copies a formset's empty form, and
// the financing plan's totals follow what is typed. Without JavaScript each formset offers one blank row
// (save, then add more) and the totals shown are those saved.
(function () {
  "use strict";

  document.querySelectorAll("[data-formset]").forEach(function (section) {
    var prefix = section.getAttribute("data-formset");
    var total = section.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var maxForms = section.querySelector("#id_" + prefix + "-MAX_NUM_FORMS");
    var template = section.querySelector("template[data-formset-empty]");
    var container = section.querySelector("[data-formset-forms]");
    var button = section.querySelector("[data-formset-add]");
    if (!total || !template || !container || !button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (maxForms && index >= parseInt(maxForms.value, 10)) {
        button.hidden = true;
        return;
      }
      var wrapper = document.createElement("div");
      wrapper.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var item = wrapper.firstElementChild;
      var legend = item.querySelector("legend");
      if (legend) {
        legend.textContent = legend.textContent.replace("(nouveau)", String(index + 1));
      }
      container.appendChild(item);
      total.value = String(index + 1);
      var first = item.querySelector("input:not([type=hidden]), select, textarea");
      if (first) {
        first.focus();
      }
      updateTotals();
    });
  });

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
    document.addEventListener("change", function (event) {
      if (event.target.matches("input[name$='-DELETE']")) {
        updateTotals();
      }
    });
  }
})();
