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

// "Copy link" on a step: the link still goes to the step's anchor; with a clipboard, the step's
// full address is copied too and the link says so for a moment (announced to screen readers).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".step-link").forEach((link) => {
    link.addEventListener("click", () => {
      if (!navigator.clipboard) return;
      const label = link.querySelector(".step-link-text");
      navigator.clipboard.writeText(link.href).then(() => {
        const before = label.textContent;
        label.textContent = link.dataset.copiedLabel;
        label.setAttribute("role", "status");
        link.classList.add("is-copied");
        setTimeout(() => {
          label.textContent = before;
          label.removeAttribute("role");
          link.classList.remove("is-copied");
        }, 2500);
      }, () => {});
    });
  });
});

// Panels collapsed on a phone (the guide list's filters, a guide's "at a glance") are open on a
// wide screen: site.css shows them there, and this opens them in browsers that cannot style a
// closed <details>.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(min-width: 52rem)").matches) return;
  document.querySelectorAll("details.open-when-wide").forEach((panel) => { panel.open = true; });
});
