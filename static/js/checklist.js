// "What you need" (issue 15): the ticks of a guide's checklist are kept in this browser
// (localStorage, per guide, in every language), a "Print checklist" button prints only the
// checklist, and printing opens every question's answer. Without JavaScript the checklist
// works for the visit and printing prints the page as shown.
(() => {
  "use strict";

  const store = {
    get(key) {
      try {
        return JSON.parse(localStorage.getItem(key) || "null");
      } catch (error) {
        return null;
      }
    },
    set(key, value) {
      try {
        localStorage.setItem(key, JSON.stringify(value));
      } catch (error) {
        // Storage refused (private mode): ticks last for this visit.
      }
    },
  };

  const rememberTicks = (boxes) => {
    // The guide's address without its language: a tick made in English shows in Chinese.
    const slug = location.pathname.split("/").filter(Boolean).slice(1).join("/");
    const key = `kb-checklist:${slug}`;
    const saved = store.get(key);
    // A checklist that changed since (more or fewer items) starts again rather than mis-tick.
    if (saved && saved.count === boxes.length && Array.isArray(saved.ticked)) {
      saved.ticked.forEach((index) => {
        if (boxes[index]) boxes[index].checked = true;
      });
    }
    boxes.forEach((box) =>
      box.addEventListener("change", () => {
        const ticked = boxes.map((b, index) => (b.checked ? index : -1)).filter((index) => index >= 0);
        store.set(key, { count: boxes.length, ticked });
      })
    );
  };

  // Closed <details> print closed: open every one for printing, and close them again after.
  const openForPrint = () => {
    let opened = [];
    window.addEventListener("beforeprint", () => {
      opened = Array.from(document.querySelectorAll("details:not([open])"));
      opened.forEach((details) => {
        details.open = true;
      });
    });
    window.addEventListener("afterprint", () => {
      opened.forEach((details) => {
        details.open = false;
      });
      document.documentElement.classList.remove("print-checklist");
    });
  };

  const start = () => {
    openForPrint();
    const list = document.querySelector(".documents .checklist");
    if (!list) return;
    rememberTicks(Array.from(list.querySelectorAll("input[type=checkbox]")));
    const tools = document.querySelector("[data-checklist-tools]");
    if (!tools) return;
    list.after(tools);
    tools.hidden = false;
    tools.querySelector("[data-print-checklist]").addEventListener("click", () => {
      document.documentElement.classList.add("print-checklist");
      window.print();
    });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
