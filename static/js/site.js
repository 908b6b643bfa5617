// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".toggle-all");
  if (!toggle) return;
  const steps = () => Array.from(document.querySelectorAll(".step details"));
  const refresh = () => {
    const allOpen = steps().every((d) => d.open);
    toggle.textContent = allOpen ? toggle.dataset.closeLabel : toggle.dataset.openLabel;
    toggle.setAttribute("aria-expanded", String(allOpen));
  };
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = !steps().every((d) => d.open);
    steps().forEach((d) => { d.open = open; });
    refresh();
  });
  steps().forEach((d) => d.addEventListener("toggle", refresh));
  refresh();
});
