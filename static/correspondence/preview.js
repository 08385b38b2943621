// The preview's addressee picker shows the chosen copy at once; the Show button stays for keyboards and no-JS.
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.getElementById("preview-to");
  if (picker) picker.addEventListener("change", () => picker.form.submit());
});
