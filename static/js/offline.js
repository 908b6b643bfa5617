// Offline reading (issue 15): registers the service worker (served at /sw.js), keeps the guide
// being read, offers "Save for offline", lists the guides kept on this device, and says clearly
// when the page shown is the copy kept on this device. Progressive enhancement: without
// JavaScript or service workers every page works as before, online.
(() => {
  "use strict";
  const SAVED = "kb-saved-v1";
  const OPENED = "kb-opened-v1";
  const STATIC = "kb-static-v1";
  const root = document.documentElement;

  const formatDate = (iso) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    try {
      return new Intl.DateTimeFormat(root.lang || undefined, { dateStyle: "long", timeStyle: "short" }).format(date);
    } catch (error) {
      return date.toLocaleString();
    }
  };

  const start = () => {
    const notice = document.getElementById("offline-notice");
    const list = document.querySelector("[data-saved-guides-list]");
    const offlineCopy = root.dataset.offlineSaved;
    if (offlineCopy !== undefined && notice) {
      if (list && !location.pathname.endsWith("/offline/")) {
        // Not kept on this device: the worker showed the list of guides that are.
        const only = document.querySelector("[data-offline-only]");
        if (only) only.hidden = false;
      } else {
        notice.querySelector("[data-offline-text]").textContent = notice.dataset.template.replace(
          "{date}",
          formatDate(offlineCopy)
        );
        notice.hidden = false;
      }
    }
    if (!("serviceWorker" in navigator) || !window.caches || !notice) return;
    navigator.serviceWorker.register(notice.dataset.serviceWorker, { scope: "/" }).catch(() => {});
    if (offlineCopy !== undefined) {
      if (list) showSaved(list);
      return;
    }
    keepForOffline(notice.dataset.savedGuides);
    const save = document.querySelector("[data-offline-guide]");
    if (save) offerSaving(save);
    if (list) showSaved(list);
  };

  // A fresh copy of this page as everyone gets it (no cookies), if the server lets it be kept.
  const publicCopy = async (url) => {
    const response = await fetch(url, { credentials: "omit", cache: "no-cache" });
    const control = (response.headers.get("Cache-Control") || "").toLowerCase();
    if (!response.ok || !control.includes("public") || control.includes("private") || control.includes("no-store")) {
      return null;
    }
    const headers = new Headers(response.headers);
    headers.set("X-KB-Saved-At", new Date().toISOString());
    return new Response(await response.blob(), { status: 200, headers });
  };

  // The first visit is not yet under the worker: keep this page's files, the saved-guides page,
  // and this guide, so they are there offline even if the reader never comes back online.
  const keepForOffline = async (savedGuidesUrl) => {
    try {
      const assets = Array.from(document.querySelectorAll("link[rel=stylesheet][href], script[src]"), (el) =>
        el.href || el.src
      ).filter((url) => new URL(url).origin === location.origin);
      const files = await caches.open(STATIC);
      await files.addAll(assets);
      const list = await publicCopy(savedGuidesUrl);
      if (list) await files.put(new URL(savedGuidesUrl, location.href).href, list);
      if (document.querySelector("[data-offline-guide]") && !navigator.serviceWorker.controller && !location.search) {
        const copy = await publicCopy(location.href);
        if (copy) await (await caches.open(OPENED)).put(location.href, copy);
      }
    } catch (error) {
      // Storage full or the network gone: reading online is unaffected.
    }
  };

  const offerSaving = async (box) => {
    const button = box.querySelector("button");
    const status = box.querySelector("[role=status]");
    const url = location.href.split("#")[0].split("?")[0];
    const show = (response) => {
      const savedAt = response && response.headers.get("X-KB-Saved-At");
      button.textContent = savedAt ? button.dataset.removeLabel : button.dataset.saveLabel;
      button.setAttribute("aria-pressed", String(Boolean(savedAt)));
      status.textContent = savedAt ? box.dataset.savedTemplate.replace("{date}", formatDate(savedAt)) : "";
    };
    const cache = await caches.open(SAVED);
    show(await cache.match(url));
    box.hidden = false;
    button.addEventListener("click", async () => {
      if (await cache.match(url)) {
        await cache.delete(url);
        show(null);
        return;
      }
      try {
        const copy = await publicCopy(url);
        if (!copy) throw new Error("not kept");
        await cache.put(url, copy.clone());
        show(copy);
      } catch (error) {
        status.textContent = box.dataset.failed;
      }
    });
  };

  const showSaved = async (list) => {
    const rows = [];
    for (const [name, label] of [[SAVED, list.dataset.savedLabel], [OPENED, list.dataset.openedLabel]]) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        if (rows.some((row) => row.url === request.url)) continue;
        const response = await cache.match(request);
        const html = await response.text();
        const page = new DOMParser().parseFromString(html, "text/html");
        const heading = page.querySelector("h1");
        rows.push({
          url: request.url,
          title: (heading && heading.textContent.trim()) || page.title || request.url,
          lang: page.documentElement.lang,
          label,
          savedAt: response.headers.get("X-KB-Saved-At"),
        });
      }
    }
    list.replaceChildren();
    if (!rows.length) {
      const item = document.createElement("li");
      item.textContent = list.dataset.empty;
      list.append(item);
      return;
    }
    for (const row of rows) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = row.url;
      link.textContent = row.title;
      if (row.lang) link.lang = row.lang;
      const meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = ` (${row.label}, ${formatDate(row.savedAt)})`;
      item.append(link, meta);
      list.append(item);
    }
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
