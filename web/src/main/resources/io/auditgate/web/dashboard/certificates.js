// Certificate inventory: one page of GET /api/v1/certificates with the API's own filters, sort and
// paging. The filters live in the address bar's query string, so that the overview's counts can
// link here filtered, and a filtered view can be bookmarked or reloaded (the token is never there).
"use strict";

(() => {
  const PAGE = 50;
  const FIELDS = ["status", "condition", "expiring_within_days", "device", "issuer", "key_type", "source", "sort", "order"];
  const DEFAULTS = { sort: "not_after", order: "asc" };
  const form = document.getElementById("cert-filters");
  const view = { offset: 0 };

  function fromAddress() {
    const q = new URLSearchParams(window.location.search);
    for (const f of FIELDS) {
      form.elements[f].value = q.get(f) || DEFAULTS[f] || "";
    }
    view.offset = Math.max(0, parseInt(q.get("offset") || "0", 10) || 0);
  }

  function params() {
    const out = new URLSearchParams();
    for (const f of FIELDS) {
      const v = form.elements[f].value.trim();
      if (v !== "" && v !== DEFAULTS[f]) out.set(f, v);
    }
    if (view.offset > 0) out.set("offset", String(view.offset));
    return out;
  }

  function toAddress() {
    const q = params().toString();
    history.replaceState(null, "", window.location.pathname + (q ? "?" + q : ""));
  }

  async function refresh() {
    const q = params();
    q.set("limit", String(PAGE));
    if (!q.has("sort")) q.set("sort", DEFAULTS.sort);
    let page;
    const error = document.getElementById("cert-error");
    try {
      page = await AG.api("/api/v1/certificates?" + q.toString());
      error.hidden = true;
    } catch (e) {
      if (e.status === 400) {
        // A filter the API refuses (say, a negative number of days): say which, keep the form.
        error.hidden = false;
        error.textContent = e.message;
        AG.replaceRows(document.getElementById("cert-table-rows"), []);
        AG.setText("cert-page-info", "");
        return;
      }
      throw e;
    }
    const now = Date.now();
    AG.replaceRows(
      document.getElementById("cert-table-rows"),
      page.items.map((c) => {
        const days = AG.daysLeft(c.not_after, now);
        const cls = AG.statusClass(c.status);
        return AG.el(
          "tr",
          { "data-testid": "cert-row-" + c.sha256, "data-sha256": c.sha256, class: cls ? "row-" + cls : "" },
          AG.el("td", { class: "clip" }, AG.el("a", { href: "certificate.html?sha256=" + c.sha256, text: c.subject, title: c.subject + "\n" + c.sha256, "data-testid": "cert-link-" + c.sha256 })),
          AG.el("td", { "data-field": "status" }, AG.badge(c.status)),
          AG.el("td", {}, c.device_id ? AG.el("a", { href: "device.html?id=" + encodeURIComponent(c.device_id), text: c.device_id }) : "—"),
          AG.el("td", { class: "clip", text: c.issuer, title: c.issuer }),
          AG.el("td", { text: c.key_type.toUpperCase() + " " + c.key_bits + (c.weaknesses.length ? " ⚠" : ""), title: c.weaknesses.join(", ") }),
          AG.el("td", { text: c.not_after.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC") }),
          AG.el("td", { class: "num", text: days < 0 ? "expired" : AG.num(days, 0) }),
          AG.el("td", { text: AG.ago(c.last_seen_at), title: c.last_seen_at })
        );
      })
    );
    const last = page.offset + page.items.length;
    AG.setText("cert-page-info", page.total === 0 ? "no certificates" : page.offset + 1 + "–" + last + " of " + page.total);
    document.getElementById("cert-page-prev").disabled = page.offset === 0;
    document.getElementById("cert-page-next").disabled = last >= page.total;
    const active = FIELDS.filter((f) => form.elements[f].value.trim() !== "" && !DEFAULTS[f]);
    AG.setText("cert-filter-info", active.length ? "filtered by " + active.join(", ").replace(/_/g, " ") : "all certificates");
  }

  const changed = () => {
    view.offset = 0;
    toAddress();
    refresh().catch(() => {});
  };
  let typing;
  form.addEventListener("change", changed);
  form.addEventListener("input", (ev) => {
    if (ev.target.tagName !== "INPUT") return;
    clearTimeout(typing);
    typing = setTimeout(changed, 300);
  });
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    changed();
  });
  document.getElementById("f-clear").addEventListener("click", () => {
    for (const f of FIELDS) form.elements[f].value = DEFAULTS[f] || "";
    changed();
  });
  document.getElementById("cert-page-prev").addEventListener("click", () => {
    view.offset = Math.max(0, view.offset - PAGE);
    toAddress();
    refresh().catch(() => {});
  });
  document.getElementById("cert-page-next").addEventListener("click", () => {
    view.offset += PAGE;
    toAddress();
    refresh().catch(() => {});
  });

  fromAddress();
  AG.start(refresh);
})();
