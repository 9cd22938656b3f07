/* Chi bộ số — the live meeting and the preparation page.
 *
 * 1. Autosave that survives a dropped connection: every textarea with data-autosave keeps what is typed
 *    in localStorage until the server has confirmed it (htmx posts it on typing). If a request fails,
 *    the text stays on the phone and is sent again when the connection comes back, on the next page
 *    load, or every 15 seconds. A reload shows the server's text, then re-applies anything still unsent.
 * 2. The per-turn timer: elements with data-started-at count minutes:seconds, corrected for the
 *    difference between the phone's clock and the server's.
 * 3. The meeting's elapsed minutes against the rule set's minimum (the duration partial).
 */
(function () {
  "use strict";
  var PREFIX = "chibo:unsent:";
  var live = document.getElementById("live") || document.body;
  var serverNow = Date.parse(live.getAttribute("data-server-now") || "");
  // Only a real clock difference is corrected: a few seconds are the page's own loading time.
  var skew = isNaN(serverNow) ? 0 : serverNow - Date.now();
  if (Math.abs(skew) < 10000) skew = 0;

  function keyOf(el) { return PREFIX + el.getAttribute("data-autosave"); }
  function stateOf(el) {
    var box = el.closest("form, li, section");
    return box ? box.querySelector(".saved") : null;
  }
  function say(el, text, cls) {
    var s = stateOf(el);
    if (s) { s.innerHTML = ""; var span = document.createElement("span"); span.className = "save-state " + cls; span.textContent = text; s.appendChild(span); }
  }
  function net(text) {
    var p = document.getElementById("netstatus");
    if (!p) return;
    p.hidden = !text;
    p.textContent = text || "";
  }
  function pending() {
    return Array.prototype.filter.call(document.querySelectorAll("[data-autosave]"), function (el) {
      return localStorage.getItem(keyOf(el)) !== null;
    });
  }
  function resend() {
    if (!navigator.onLine) return;
    pending().forEach(function (el) { htmx.trigger(el, "autosave"); });
  }

  document.addEventListener("input", function (e) {
    var el = e.target;
    if (el && el.hasAttribute && el.hasAttribute("data-autosave")) {
      localStorage.setItem(keyOf(el), el.value);
      say(el, "Đang lưu…", "busy");
    }
  });
  document.addEventListener("htmx:configRequest", function (e) {
    var el = e.detail.elt;
    if (el && el.hasAttribute("data-autosave")) el._chiboSent = el.value;
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var el = e.detail.elt;
    if (!el || !el.hasAttribute || !el.hasAttribute("data-autosave")) return;
    var refused = e.detail.xhr && /data-refused/.test(e.detail.xhr.responseText || "");
    if (e.detail.successful && !refused) {
      if (localStorage.getItem(keyOf(el)) === el._chiboSent) localStorage.removeItem(keyOf(el));
      if (!pending().length) net("");
    }
  });
  function offline(e) {
    var el = e.detail && e.detail.elt;
    net("Mất kết nối: nội dung vừa nhập được giữ trên máy và sẽ tự gửi lại khi có mạng.");
    if (el && el.hasAttribute && el.hasAttribute("data-autosave")) say(el, "Chưa gửi được — sẽ gửi lại", "unsent");
  }
  document.addEventListener("htmx:sendError", offline);
  document.addEventListener("htmx:timeout", offline);
  window.addEventListener("online", function () { net(""); resend(); });
  window.addEventListener("offline", function () { net("Mất kết nối: nội dung vừa nhập được giữ trên máy và sẽ tự gửi lại khi có mạng."); });
  setInterval(resend, 15000);

  // New content (first load or an htmx swap): put back text that never reached the server.
  htmx.onLoad(function (root) {
    var els = root.querySelectorAll ? root.querySelectorAll("[data-autosave]") : [];
    Array.prototype.forEach.call(els, function (el) {
      var kept = localStorage.getItem(keyOf(el));
      if (kept === null) return;
      if (kept === el.value) { localStorage.removeItem(keyOf(el)); return; }
      el.value = kept;
      say(el, "Khôi phục nội dung chưa gửi, đang gửi lại…", "busy");
      if (navigator.onLine) setTimeout(function () { htmx.trigger(el, "autosave"); }, 50);
    });
  });

  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("[data-started-at]").forEach(function (el) {
      var start = Date.parse(el.getAttribute("data-started-at"));
      if (isNaN(start)) return;
      var s = Math.max(0, Math.floor((now - start) / 1000));
      el.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    });
  }
  // 3. The meeting's elapsed minutes against its minimum (data-elapsed-since, data-min-minutes).
  function elapsed() {
    var now = Date.now() + skew;
    document.querySelectorAll("[data-elapsed-since]").forEach(function (el) {
      var start = Date.parse(el.getAttribute("data-elapsed-since"));
      var end = Date.parse(el.getAttribute("data-ended-at") || "");
      if (isNaN(start)) return;
      var minutes = Math.max(0, Math.floor(((isNaN(end) ? now : end) - start) / 60000));
      el.textContent = String(minutes);
      var met = minutes >= parseInt(el.getAttribute("data-min-minutes") || "0", 10);
      var box = el.closest(".duration");
      if (!box) return;
      box.classList.toggle("met", met);
      var ok = box.querySelector("[data-when-met]"), short = box.querySelector("[data-when-short]");
      if (ok) ok.hidden = !met;
      if (short) short.hidden = met;
    });
  }
  tick();
  elapsed();
  setInterval(tick, 1000);
  setInterval(elapsed, 15000);
})();

/* 3. The secretary's list of speakers follows the members' phones: every few seconds the list is fetched
 *    (#speakers[data-poll-url]) and swapped in only when it changed (data-version) and nobody is typing in it,
 *    so a member who asks for the floor appears without a reload and a summary being typed is never lost. */
(function () {
  "use strict";
  var EVERY = 5000;
  function typingIn(el) {
    var a = document.activeElement;
    return a && el.contains(a) && (a.tagName === "TEXTAREA" || a.tagName === "INPUT" || a.tagName === "SELECT");
  }
  function poll() {
    var box = document.getElementById("speakers");
    var url = box && box.getAttribute("data-poll-url");
    if (!url || document.visibilityState === "hidden" || !navigator.onLine || typingIn(box)) return;
    if (window.chiboLive && window.chiboLive.paused()) return;
    var asked = box.getAttribute("data-version");
    // The browser revalidates with the ETag it was given: an unchanged list costs the server a 304.
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) {
        if (r.status === 503 && window.chiboLive) window.chiboLive.pause(r.headers.get("Retry-After"));
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (!html) return;
        var current = document.getElementById("speakers");
        // Changed meanwhile by the secretary's own action: that answer is newer than this one.
        if (!current || typingIn(current) || current.getAttribute("data-version") !== asked) return;
        var tpl = document.createElement("template");
        tpl.innerHTML = html.trim();
        var fresh = tpl.content.querySelector("#speakers");
        if (!fresh || fresh.getAttribute("data-version") === current.getAttribute("data-version")) return;
        current.replaceWith(fresh);
        if (window.htmx) window.htmx.process(fresh);
      })
      .catch(function () { /* offline: the next round tries again */ });
  }
  setInterval(poll, EVERY);
})();

/* 4. A busy server (503 with Retry-After), a timeout or no network: polls pause, longer after each refusal
 *    (Retry-After × 2^n, at most 2 minutes, with some jitter so that a thousand phones do not come back
 *    together), and a secretary's action (a tap, a speaker, a vote) is never lost: it is kept in
 *    localStorage and sent again, in order, once the pause is over, even after a reload. Actions made while
 *    some are waiting join the end of the queue, so they reach the server in the order they were made. */
(function () {
  "use strict";
  var KEY = "chibo:outbox:" + location.pathname;
  var failures = 0, pausedUntil = 0, timer = null;

  function seconds(header) {
    var s = parseInt(header || "", 10);
    return isNaN(s) || s < 1 ? 5 : s;
  }
  function pause(header) {
    failures += 1;
    var wait = Math.min(120, seconds(header) * Math.pow(2, failures - 1)) * (1 + Math.random() * 0.25);
    pausedUntil = Date.now() + wait * 1000;
    return wait;
  }
  window.chiboLive = { paused: function () { return Date.now() < pausedUntil; }, pause: pause };

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function store(items) {
    if (items.length) localStorage.setItem(KEY, JSON.stringify(items)); else localStorage.removeItem(KEY);
  }
  function net(text) {
    var p = document.getElementById("netstatus");
    if (!p) return;
    p.hidden = !text;
    p.textContent = text || "";
  }
  function isAction(cfg) {
    return cfg && cfg.verb === "post" && cfg.elt && !(cfg.elt.hasAttribute && cfg.elt.hasAttribute("data-autosave"));
  }
  function keep(cfg) {
    var target = cfg.target && cfg.target.id ? "#" + cfg.target.id : null;
    var swapper = cfg.elt.closest ? cfg.elt.closest("[hx-swap]") : null;
    var items = load();
    items.push({
      path: cfg.path,
      body: new URLSearchParams(cfg.formData).toString(),
      target: target,
      swap: (swapper && swapper.getAttribute("hx-swap")) || "innerHTML"
    });
    store(items);
    net("Máy chủ đang bận: thao tác được giữ trên máy và sẽ tự gửi lại.");
  }
  function later(wait) {
    clearTimeout(timer);
    timer = setTimeout(flush, Math.max(wait, 0.05) * 1000);
  }
  function flush() {
    var items = load();
    if (!items.length) { net(""); return; }
    if (!navigator.onLine) { later(5); return; }
    if (Date.now() < pausedUntil) { later((pausedUntil - Date.now()) / 1000); return; }
    var item = items[0];
    fetch(item.path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
      body: item.body
    }).then(function (r) {
      if (r.status === 0 || r.status >= 500) { later(pause(r.headers.get("Retry-After"))); return null; }
      // Taken, or refused for good with the page's own message: either way it leaves the queue.
      failures = 0;
      var rest = load();
      rest.shift();
      store(rest);
      return r.text().then(function (html) {
        var target = item.target && document.querySelector(item.target);
        if (r.ok && target && window.htmx) window.htmx.swap(target, html, { swapStyle: item.swap });
        if (!r.ok) net("Một thao tác không được máy chủ nhận (" + r.status + "): hãy tải lại trang và làm lại.");
        flush();
      });
    }).catch(function () { later(pause("5")); });
  }

  document.addEventListener("htmx:beforeRequest", function (e) {
    var cfg = e.detail.requestConfig;
    if (cfg && cfg.verb === "get" && Date.now() < pausedUntil) { e.preventDefault(); return; }
    if (isAction(cfg) && load().length) {  // behind the actions still waiting, in order
      e.preventDefault();
      keep(cfg);
      later(0);
    }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    var cfg = e.detail.requestConfig, xhr = e.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (status !== 0 && status < 500) { if (e.detail.successful && !load().length) failures = 0; return; }
    var wait = pause(xhr && xhr.getResponseHeader ? xhr.getResponseHeader("Retry-After") : null);
    if (isAction(cfg)) { keep(cfg); later(wait); }
  });
  window.addEventListener("online", function () { later(0); });
  if (load().length) later(1);
})();
