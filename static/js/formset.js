// « Ajouter une ligne » of every Django formset marked [data-formset]: copies the formset's empty form and
// announces it with a "formset:added" event. Without JavaScript each formset offers one blank row
// (save, then add more). Used by the staff actor form and the application form.
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
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var wrapper = document.createElement("div");
      wrapper.innerHTML = html;
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
      section.dispatchEvent(new CustomEvent("formset:added", { bubbles: true }));
    });
  });
})();
