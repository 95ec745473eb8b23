// Shared by every dashboard page: the token, API calls, formatting, charts, auto-refresh.
// Plain ES2017, no build step; uPlot comes from the WebJar the server serves under /webjars/.
"use strict";

const AG = (() => {
  const TOKEN_KEY = "auditgate.token";
  const REFRESH_MS = 5000;

  // The token travels in the URL fragment (#token=...), which browsers never send to servers or
  // write to access logs; it is kept in sessionStorage (gone when the tab closes) and the fragment
  // is removed from the address bar at once.
  function takeTokenFromFragment() {
    const m = /(?:^|[#&])token=([^&]+)/.exec(window.location.hash);
    if (m) {
      sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
      history.replaceState(null, "", window.location.pathname + window.location.search);
    }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  async function api(path) {
    const res = await fetch(path, {
      headers: { Authorization: "Bearer " + token(), Accept: "application/json" },
      cache: "no-store",
    });
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const err = body && body.error ? body.error : { code: "http_" + res.status, message: res.statusText };
      if (res.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        showTokenForm(err.message);
      }
      throw new ApiError(res.status, err.code, err.message);
    }
    return body;
  }

  function showTokenForm(reason) {
    const form = document.getElementById("token-form");
    const main = document.getElementById("main");
    if (main) main.hidden = true;
    form.hidden = false;
    const why = document.getElementById("token-reason");
    why.textContent = reason || "This dashboard needs an API token with the read scope.";
    form.onsubmit = (ev) => {
      ev.preventDefault();
      const value = document.getElementById("token-input").value.trim();
      if (value) {
        sessionStorage.setItem(TOKEN_KEY, value);
        window.location.reload();
      }
    };
  }

  /** Starts a page: token or form, then refresh() now and every 5 s without reloading. */
  function start(refresh) {
    takeTokenFromFragment();
    for (const a of document.querySelectorAll("a[data-keep-token]")) {
      a.href = a.getAttribute("href"); // links carry no token: sessionStorage has it
    }
    if (!token()) {
      showTokenForm();
      return;
    }
    document.getElementById("main").hidden = false;
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      const status = document.getElementById("refresh-status");
      try {
        await refresh();
        if (status) {
          status.textContent = "updated " + new Date().toLocaleTimeString();
          status.dataset.state = "ok";
        }
      } catch (e) {
        if (status) {
          status.textContent = "update failed: " + e.message;
          status.dataset.state = "error";
        }
      } finally {
        running = false;
      }
    };
    tick();
    setInterval(tick, REFRESH_MS);
  }

  // ---- DOM helpers ----
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined) continue;
      if (k === "text") e.textContent = v;
      else if (k === "class") e.className = v;
      else if (k.startsWith("data-")) e.setAttribute(k, v);
      else e[k] = v;
    }
    for (const c of children) {
      if (c !== null && c !== undefined) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function setText(id, value) {
    const e = document.getElementById(id);
    if (e) e.textContent = value;
  }

  function replaceRows(tbody, rows) {
    tbody.replaceChildren(...rows);
  }

  function badge(state) {
    return el("span", { class: "badge state-" + state, text: (state || "unknown").replace("_", " ") });
  }

  // ---- formatting ----
  function ago(iso) {
    if (!iso) return "never";
    const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
    if (s < 0) return "just now";
    if (s < 60) return s + " s ago";
    if (s < 3600) return Math.round(s / 60) + " min ago";
    if (s < 86400) return Math.round(s / 3600) + " h ago";
    return Math.round(s / 86400) + " d ago";
  }

  function num(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return "—";
    return Number(v).toLocaleString(undefined, { maximumFractionDigits: digits === undefined ? 1 : digits });
  }

  // ISO-8601 duration (PT1H2M3.5S) to seconds, for backlog ages.
  function isoSeconds(d) {
    if (!d) return null;
    const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?)?$/.exec(d);
    if (!m) return null;
    return (+(m[1] || 0)) * 86400 + (+(m[2] || 0)) * 3600 + (+(m[3] || 0)) * 60 + (+(m[4] || 0));
  }

  function duration(d) {
    const s = isoSeconds(d);
    if (s === null) return "—";
    if (s < 60) return num(s, 1) + " s";
    if (s < 3600) return num(s / 60, 1) + " min";
    if (s < 86400) return num(s / 3600, 1) + " h";
    return num(s / 86400, 1) + " d";
  }

  // ---- certificates ----
  const CERT_STATUSES = ["active", "expiring_soon", "expired", "revoked", "replaced", "untrusted"];
  // The posture summary's rule counts (in service: not expired, not revoked, except the revoked
  // one) and the inventory filter that lists exactly what each counts.
  const POSTURE_RULES = [
    { key: "unbound", label: "unbound", condition: "unbound", cls: "warn" },
    { key: "shared", label: "shared by devices", condition: "shared", cls: "bad" },
    { key: "revoked_still_connecting", label: "revoked, still seen", condition: "revoked_still_connecting", cls: "bad" },
    { key: "weak_keys", label: "weak keys", condition: "weak_key", cls: "warn" },
    { key: "sha1_signatures", label: "SHA-1 signatures", condition: "sha1_signature", cls: "warn" },
    { key: "untrusted", label: "untrusted chain", condition: "untrusted", cls: "bad" },
    { key: "older_than_max_age", label: "older than max age", condition: "older_than_max_age", cls: "warn" },
  ];

  function statusClass(status) {
    if (status === "expiring_soon") return "warn";
    if (status === "expired" || status === "revoked" || status === "untrusted") return "bad";
    return "";
  }

  /** Whole days from `now` (ms) to the ISO instant, rounded down; negative once past. */
  function daysLeft(iso, now) {
    return Math.floor((Date.parse(iso) - (now || Date.now())) / 86400000);
  }

  /**
   * Keeps a list of linked counts in `ul` up to date in place (items are created once and then
   * only their numbers change, so a click during a refresh never hits a replaced element).
   * Each item: {key, label, value, href, cls}; ids: `posture-{key}` on the number,
   * `posture-link-{key}` on the link.
   */
  function counts(ul, items) {
    for (const it of items) {
      let li = ul.querySelector('[data-key="' + it.key + '"]');
      if (!li) {
        li = el(
          "li",
          { "data-key": it.key },
          el("a", { href: it.href, id: "posture-link-" + it.key, "data-testid": "posture-link-" + it.key },
            el("span", { class: "what", text: it.label }),
            el("span", { class: "count", id: "posture-" + it.key, "data-testid": "posture-" + it.key }))
        );
        ul.append(li);
      }
      li.className = it.cls || "";
      li.querySelector(".count").textContent = num(it.value, 0);
    }
  }

  // ---- charts ----
  const COLORS = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

  /** Creates or updates a uPlot chart in `container`; keeps one instance per container. */
  function chart(container, title, xs, series, opts) {
    opts = opts || {};
    const width = Math.max(300, container.clientWidth || 600);
    const data = [xs, ...series.map((s) => s.values)];
    const key = series.map((s) => s.label).join("|");
    if (container._plot && container._key === key) {
      container._plot.setData(data);
      return container._plot;
    }
    if (container._plot) container._plot.destroy();
    const plot = new uPlot(
      {
        title: title,
        width: width,
        height: opts.height || 240,
        cursor: { drag: { x: true, y: false, setScale: !opts.onZoom } },
        scales: { x: { time: true } },
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, points: { show: xs.length < 60 } }))],
        axes: [{}, { size: 60 }],
        hooks: opts.onZoom
          ? {
              setSelect: [
                (u) => {
                  if (u.select.width < 5) return;
                  const from = u.posToVal(u.select.left, "x");
                  const to = u.posToVal(u.select.left + u.select.width, "x");
                  u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
                  opts.onZoom(from, to);
                },
              ],
            }
          : {},
      },
      data,
      container
    );
    container._plot = plot;
    container._key = key;
    return plot;
  }

  return {
    start, api, el, setText, replaceRows, badge, ago, num, duration, isoSeconds, chart, ApiError,
    CERT_STATUSES, POSTURE_RULES, statusClass, daysLeft, counts,
  };
})();
