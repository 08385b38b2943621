// The delegation form: "Add member" appends a blank member from the <template>, numbered after the
// others; a member added by mistake can be taken away again before saving. No inline script, so the
// page keeps working under a strict Content-Security-Policy.
(function () {
  "use strict";

  // The legend's words come from the page (data-legend, translated), with __n__ where the number goes.
  function renumber(rows) {
    var legend = rows.dataset.legend || "Member __n__";
    rows.querySelectorAll("fieldset.member").forEach(function (fieldset, index) {
      fieldset.querySelector("legend").textContent = legend.replace("__n__", String(index + 1));
    });
  }

  function start() {
    var form = document.getElementById("members-form");
    var button = document.getElementById("add-member");
    var template = document.getElementById("member-template");
    if (!form || !button || !template) {
      return;
    }
    var rows = document.getElementById("member-rows");
    var total = form.querySelector("input[name$='-TOTAL_FORMS']");
    var max = form.querySelector("input[name$='-MAX_NUM_FORMS']");

    button.hidden = false;
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      if (max && index >= parseInt(max.value, 10)) {
        button.disabled = true;
        return;
      }
      // Django formsets number new forms from TOTAL_FORMS; "__prefix__" marks the number in the template.
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      renumber(rows);
      var added = rows.lastElementChild;
      var first = added.querySelector("select, input");
      if (first) {
        first.focus();
      }
    });

    // Taking an added member away again: the added rows after it move up one place, so the formset
    // receives forms numbered without a gap (a missing form would count as changed and fail).
    var initial = parseInt(form.querySelector("input[name$='-INITIAL_FORMS']").value, 10);
    rows.addEventListener("click", function (event) {
      var remove = event.target.closest(".remove-member");
      if (!remove) {
        return;
      }
      remove.closest("fieldset.member").remove();
      var added = Array.prototype.slice.call(rows.querySelectorAll("fieldset.member")).slice(initial);
      added.forEach(function (fieldset, offset) {
        var index = String(initial + offset);
        fieldset.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (element) {
          ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
            var value = element.getAttribute(attribute);
            if (value) {
              element.setAttribute(attribute, value.replace(/-\d+-/g, "-" + index + "-"));
            }
          });
        });
      });
      total.value = String(initial + added.length);
      button.disabled = false;
      renumber(rows);
      button.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
