// Offline reading for travellers (issue 15). Served at /sw.js by kb/offline.py, so its scope is
// the whole site; the version below changes whenever this file does, which updates it.
//
// What is kept, and only that: readers' guide pages (/<language>/guides/<slug>/, no query) that
// the server marked as public (Cache-Control: public; admin pages, previews and pages of a staff
// session never are), the site's static files, and each language's "saved guides" page. Every
// stored page carries the time it was saved (X-KB-Saved-At); a page answered from the store is
// marked so that offline.js shows "you are offline, this copy was saved on …".
"use strict";

const VERSION = "__VERSION__";
const SAVED = "kb-saved-v1"; // guides a reader chose to keep: never evicted
const OPENED = "kb-opened-v1"; // guides a reader opened: the most recent MAX_OPENED
const STATIC = "kb-static-v1"; // CSS, JavaScript, images, and the "saved guides" pages
const MAX_OPENED = 40;
const NETWORK_TIMEOUT_MS = 6000; // an airport's captive portal may never answer
const GUIDE_PATH = /^\/(zh-hans|zh-hant|en)\/guides\/[a-z0-9-]+\/$/;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  const kept = new Set([SAVED, OPENED, STATIC]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith("kb-") && !kept.has(n)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim())
  );
});

function isPublic(response) {
  const control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return (
    response.ok &&
    response.type === "basic" &&
    control.includes("public") &&
    !control.includes("private") &&
    !control.includes("no-store") &&
    (response.headers.get("Content-Type") || "").startsWith("text/html")
  );
}

function stamped(body, headers) {
  const copy = new Headers(headers);
  copy.set("X-KB-Saved-At", new Date().toISOString());
  return new Response(body, { status: 200, headers: copy });
}

async function keepOpened(request, response) {
  const body = await response.blob();
  const cache = await caches.open(OPENED);
  await cache.delete(request.url); // put back at the end: the most recently opened
  await cache.put(request.url, stamped(body, response.headers));
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_OPENED)).map((key) => cache.delete(key)));
  // A guide the reader saved is refreshed too, so it is as recent as their last visit.
  const saved = await caches.open(SAVED);
  if (await saved.match(request.url)) await saved.put(request.url, stamped(body, response.headers));
}

async function offlineCopy(url) {
  for (const name of [SAVED, OPENED, STATIC]) {
    const cache = await caches.open(name);
    const found = await cache.match(url);
    if (found) return found;
  }
  return null;
}

// The stored page, marked as the offline copy (offline.js reads the mark and shows the notice).
async function asOfflineCopy(response) {
  const savedAt = response.headers.get("X-KB-Saved-At") || "";
  const html = await response.text();
  const marked = html.replace("<html ", `<html data-offline-saved="${savedAt.replace(/[^0-9TZ:.-]/g, "")}" `);
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  headers.set("Cache-Control", "no-store");
  return new Response(marked, { status: 200, headers });
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); }
    );
  });
}

async function navigate(event, url) {
  const isGuide = GUIDE_PATH.test(url.pathname) && !url.search;
  const stored = await offlineCopy(url.href);
  try {
    const network = fetch(event.request);
    const response = stored ? await withTimeout(network, NETWORK_TIMEOUT_MS) : await network;
    if (isGuide && isPublic(response)) {
      event.waitUntil(keepOpened(event.request, response.clone()));
    }
    return response;
  } catch (error) {
    if (stored) return asOfflineCopy(stored);
    const language = url.pathname.split("/")[1];
    const fallback = await offlineCopy(`${self.location.origin}/${language}/offline/`);
    if (fallback) return asOfflineCopy(fallback);
    throw error;
  }
}

// Network first (the browser's own cache still applies), the stored copy when offline.
async function staticFile(event, request) {
  const cache = await caches.open(STATIC);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") event.waitUntil(cache.put(request, response.clone()));
    return response;
  } catch (error) {
    const found = await cache.match(request);
    if (found) return found;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.includes("/admin/")) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(event, request));
  }
});
