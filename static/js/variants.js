// Device variants inside steps (issue 15, as Mozilla support's "show for"): the reader picks
// their phone once, remembered in this browser (localStorage), and each step shows only the
// sections for it. Without JavaScript every section shows, labelled with its phone.
(() => {
  "use strict";
  const KEY = "kb-device";
  // The sections a phone reads, most specific first: a Samsung reads "samsung" sections, and
  // the general "android" ones where a step has none for Samsung.
  const READS = {
    iphone: ["iphone"],
    samsung: ["samsung", "android"],
    pixel: ["pixel", "android"],
    android: ["android"],
    other: ["other"],
  };

  const remembered = () => {
    try {
      return localStorage.getItem(KEY) || "";
    } catch (error) {
      return "";
    }
  };
  const remember = (device) => {
    try {
      if (device) localStorage.setItem(KEY, device);
      else localStorage.removeItem(KEY);
    } catch (error) {
      // Storage refused (private mode): the choice holds for this page only.
    }
  };

  const start = () => {
    const variants = Array.from(document.querySelectorAll(".device-variant"));
    const picker = document.querySelector("[data-device-picker]");
    if (!variants.length || !picker) return;
    const buttons = Array.from(picker.querySelectorAll("button"));
    const groups = new Map();
    variants.forEach((variant) => {
      const list = groups.get(variant.parentElement) || [];
      list.push(variant);
      groups.set(variant.parentElement, list);
    });
    const devicesOf = (variant) => (variant.dataset.device || "").split(" ");

    const apply = (device) => {
      groups.forEach((list) => {
        let shown = list;
        if (READS[device]) {
          // The most specific sections this phone has in this step; all of them if none.
          for (const name of READS[device]) {
            const matching = list.filter((variant) => devicesOf(variant).includes(name));
            if (matching.length) {
              shown = matching;
              break;
            }
          }
        }
        list.forEach((variant) => {
          variant.hidden = !shown.includes(variant);
        });
      });
      buttons.forEach((button) => button.setAttribute("aria-pressed", String(button.value === device)));
      document.documentElement.dataset.device = device;
    };

    // Before the steps, where the choice matters.
    const steps = document.querySelector(".steps");
    if (steps) steps.insertBefore(picker, steps.children[1] || null);
    picker.hidden = false;
    buttons.forEach((button) =>
      button.addEventListener("click", () => {
        remember(button.value);
        apply(button.value);
      })
    );
    apply(READS[remembered()] ? remembered() : "");
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
