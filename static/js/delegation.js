// The delegation form: "Add member" appends a blank member from the <template>, numbered after the
// others; a member added by mistake can be taken away again before saving. No inline script, so the
// page keeps working under a strict Content-Security-Policy.
(function () {
  "use strict";

  function renumber(rows) {
    rows.querySelectorAll("fieldset.member").forEach(function (fieldset, index) {
      fieldset.querySelector("legend").textContent = "Member " + (index + 1);
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

    // An added row that is removed leaves a gap in the numbering: the formset skips forms it does not receive.
    rows.addEventListener("click", function (event) {
      var remove = event.target.closest(".remove-member");
      if (!remove) {
        return;
      }
      remove.closest("fieldset.member").remove();
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
