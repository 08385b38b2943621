// The admin's export page: "Select all" ticks or clears every field. django-import-export wires it with an
// onchange attribute, which the Content-Security-Policy refuses; templates/admin/import_export/export.html
// drops the attribute and this file binds the package's own handler instead.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("select-all-toggle");
  if (toggle && typeof onSelectToggleChange === "function") toggle.addEventListener("change", onSelectToggleChange);
});
