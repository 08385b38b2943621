// The note form in the admin: choosing a template fills Subject and Body with its wording,
// and the placeholders beside the wording follow the office, meeting, language and form chosen.
// URLs come from data attributes on #wording-tools (templates/admin/correspondence/note/change_form.html).
(function () {
  "use strict";

  function field(name) {
    return document.getElementById("id_" + name);
  }

  // Answers can arrive out of order (a template chosen, then a meeting at once): only the latest request's
  // values are shown, in whichever panel is on the page when they arrive.
  let latestRequest = 0;

  function refreshPlaceholders(tools) {
    if (!document.getElementById("placeholders-panel")) return;
    const request = ++latestRequest;
    const query = new URLSearchParams();
    for (const name of ["office", "meeting", "treaty", "language", "form"]) {
      const input = field(name);
      if (input && input.value) query.set(name, input.value);
    }
    fetch(tools.dataset.placeholdersUrl + "?" + query.toString(), { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        if (request !== latestRequest) return;
        // The fragment is rendered (and escaped) by the portal's own template.
        const holder = document.createElement("div");
        holder.innerHTML = html;
        const fresh = holder.querySelector("#placeholders-panel");
        const panel = document.getElementById("placeholders-panel");
        if (fresh && panel) panel.replaceWith(fresh);
      })
      .catch(() => {});
  }

  function fillFromTemplate(tools, select) {
    const subject = field("subject");
    const body = field("body");
    const previous = select.dataset.previous || "";
    if (!select.value) {
      select.dataset.previous = "";
      return;
    }
    const url = tools.dataset.templateUrl.replace(/\/0\/wording\.json$/, "/" + encodeURIComponent(select.value) + "/wording.json");
    fetch(url, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((wording) => {
        const typed = subject.value.trim() || body.value.trim();
        const same = subject.value === wording.subject && body.value === wording.body;
        // The questions are the page's (data attributes, in the reader's language); {name} is the template's.
        if (typed && !same && !window.confirm(tools.dataset.confirmReplace.replace("{name}", wording.name))) {
          select.value = previous;
          return;
        }
        subject.value = wording.subject;
        body.value = wording.body;
        for (const name of ["form", "language"]) {
          const input = field(name);
          if (input) input.value = wording[name];
        }
        select.dataset.previous = select.value;
        refreshPlaceholders(tools);
        body.focus();
      })
      .catch(() => {
        window.alert(tools.dataset.loadFailed);
        select.value = previous;
      });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const tools = document.getElementById("wording-tools");
    if (!tools) return;
    const template = field("template");
    if (template && template.tagName === "SELECT") {
      template.dataset.previous = template.value;
      template.addEventListener("change", () => fillFromTemplate(tools, template));
    }
    for (const name of ["office", "meeting", "treaty", "language", "form"]) {
      const input = field(name);
      if (input) input.addEventListener("change", () => refreshPlaceholders(tools));
    }
    refreshPlaceholders(tools);
  });
})();
