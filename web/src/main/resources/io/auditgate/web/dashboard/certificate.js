// Certificate detail: GET /api/v1/certificates/{sha256} (facts, chain, sightings, bindings,
// revocation, renewal) and GET .../events (the timeline). Two requests per refresh, plus one per
// chain member the first time it is shown (their subjects and statuses, kept for the page's life).
"use strict";

(() => {
  const sha = (new URLSearchParams(window.location.search).get("sha256") || "").toLowerCase();
  const chainFacts = new Map();
  const enc = encodeURIComponent;

  const when = (iso) => (iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC") : "—");
  const words = (s) => (s || "").replace(/_/g, " ");

  function why(s, d) {
    if (d.revocation) return "revoked " + when(d.revocation.revoked_at) + " (" + d.revocation.reason + ")";
    if (s.status === "expired") return "not after has passed";
    if (s.status === "untrusted") return "chain does not lead to a trust anchor: " + words(s.trust_reason);
    if (s.status === "replaced") return "a newer certificate names the same device";
    if (s.status === "expiring_soon") return "less than a third of its lifetime left";
    return "";
  }

  async function chainMember(fp) {
    if (fp === sha) return null;
    if (!chainFacts.has(fp)) {
      try {
        const c = await AG.api("/api/v1/certificates/" + fp);
        chainFacts.set(fp, c.summary);
      } catch (e) {
        if (e.status !== 404) throw e;
        chainFacts.set(fp, null); // presented but not in the inventory
      }
    }
    return chainFacts.get(fp);
  }

  async function refreshDetail() {
    let d;
    try {
      d = await AG.api("/api/v1/certificates/" + enc(sha));
    } catch (e) {
      if (e.status === 404 || e.status === 400) {
        const n = document.getElementById("not-found");
        n.hidden = false;
        n.textContent = e.message;
      }
      throw e;
    }
    const s = d.summary;
    AG.setText("cert-subject", s.subject);
    document.title = "auditgate — " + s.subject;
    document.getElementById("cert-status").replaceChildren(AG.badge(s.status));
    AG.setText("cert-status-why", why(s, d));
    AG.setText("cert-subject-dn", s.subject);
    AG.setText("cert-issuer", s.issuer);
    AG.setText("cert-serial", s.serial_hex);
    AG.setText("cert-sha256", s.sha256);
    AG.setText("cert-key", s.key_type.toUpperCase() + " " + s.key_bits + " bits" + (d.key_curve ? " (" + d.key_curve + ")" : ""));
    AG.setText("cert-signature", s.signature_algorithm);
    AG.setText("cert-not-before", when(s.not_before));
    AG.setText("cert-not-after", when(s.not_after));
    const now = Date.now();
    const days = AG.daysLeft(s.not_after, now);
    AG.setText("cert-days-left", days < 0 ? "expired " + AG.num(-days, 0) + " days ago" : AG.num(days, 0));
    const sans = [...d.dns_names.map((n) => "DNS:" + n), ...d.ip_addresses.map((n) => "IP:" + n), ...d.uris.map((n) => "URI:" + n), ...d.emails.map((n) => "email:" + n)];
    AG.setText("cert-sans", sans.length ? sans.join(", ") : "—");
    document.getElementById("cert-device").replaceChildren(s.device_id ? AG.el("a", { href: "device.html?id=" + enc(s.device_id), text: s.device_id }) : "—");
    AG.setText("cert-usage", [...d.key_usage, ...d.extended_key_usage].join(", ") || "—");
    AG.setText("cert-ca", s.ca ? "yes" + (d.path_length !== null && d.path_length !== undefined ? ", path length " + d.path_length : "") : d.self_signed ? "no (self-signed)" : "no");
    AG.setText("cert-trust", s.trusted ? "trusted (leads to a configured anchor)" : "untrusted: " + words(s.trust_reason));
    AG.setText("cert-weaknesses", s.weaknesses.length ? s.weaknesses.map(words).join(", ") : "none");
    document.getElementById("cert-replaced-by").replaceChildren(s.replaced_by ? AG.el("a", { href: "certificate.html?sha256=" + s.replaced_by, text: s.replaced_by.slice(0, 16) + "…", class: "mono" }) : "—");
    AG.setText("cert-revocation", d.revocation ? when(d.revocation.revoked_at) + ", " + d.revocation.reason : "not revoked");
    AG.setText("cert-seen", AG.ago(s.first_seen_at) + " / " + AG.ago(s.last_seen_at));
    const from = Date.parse(s.not_before);
    const to = Date.parse(s.not_after);
    const used = Math.min(1, Math.max(0, (now - from) / Math.max(1, to - from)));
    const bar = document.getElementById("cert-validity");
    bar.className = "validity " + AG.statusClass(s.status);
    bar.firstElementChild.style.width = (used * 100).toFixed(1) + "%";
    bar.dataset.used = used.toFixed(3);

    const chain = await Promise.all(d.chain.map(async (fp) => [fp, await chainMember(fp)]));
    AG.replaceRows(
      document.getElementById("chain-rows"),
      chain.map(([fp, c], i) =>
        AG.el(
          "tr",
          { "data-testid": "chain-" + i },
          AG.el("td", { text: String(i) }),
          AG.el("td", { text: fp === sha ? s.subject + " (this)" : c ? c.subject : "not in the inventory" }),
          AG.el("td", {}, fp === sha ? AG.badge(s.status) : c ? AG.badge(c.status) : "—"),
          AG.el("td", { class: "mono" }, fp === sha || !c ? fp.slice(0, 16) + "…" : AG.el("a", { href: "certificate.html?sha256=" + fp, text: fp.slice(0, 16) + "…", title: fp }))
        )
      )
    );
    AG.replaceRows(
      document.getElementById("binding-rows"),
      d.bindings.map((b) =>
        AG.el(
          "tr",
          {},
          AG.el("td", { text: b.kind }),
          AG.el("td", {}, b.kind === "device" ? AG.el("a", { href: "device.html?id=" + enc(b.target), text: b.target }) : b.kind === "gateway" ? AG.el("a", { href: "gateway.html?id=" + enc(b.target), text: b.target }) : b.target),
          AG.el("td", { text: b.bound_at ? when(b.bound_at) : "—" })
        )
      )
    );
    document.getElementById("bindings-empty").hidden = d.bindings.length > 0;
    AG.replaceRows(
      document.getElementById("sighting-rows"),
      d.sightings.map((v) =>
        AG.el(
          "tr",
          {},
          AG.el("td", { text: words(v.source) }),
          AG.el("td", { text: v.location }),
          AG.el("td", {}, v.device_id ? AG.el("a", { href: "device.html?id=" + enc(v.device_id), text: v.device_id }) : "—"),
          AG.el("td", { text: when(v.first_seen_at) }),
          AG.el("td", { text: AG.ago(v.last_seen_at), title: v.last_seen_at }),
          AG.el("td", { class: "num", text: AG.num(v.count, 0) })
        )
      )
    );
    const r = d.renewal;
    document.getElementById("renewal-state").replaceChildren(AG.badge(r.state));
    const info = [];
    if (r.reason) info.push("reason: " + r.reason);
    if (r.replacement_sha256) info.push("replacement " + r.replacement_sha256.slice(0, 16) + "…");
    if (r.updated_at) info.push("updated " + AG.ago(r.updated_at));
    AG.setText("renewal-info", info.join(" · ") || "No renewal started.");
    document.querySelector("[data-testid=renewal-history]").hidden = d.renewal_history.length === 0;
    AG.replaceRows(
      document.getElementById("renewal-rows"),
      d.renewal_history.map((h) =>
        AG.el("tr", {}, AG.el("td", { text: when(h.at) }), AG.el("td", {}, AG.badge(h.from)), AG.el("td", {}, AG.badge(h.to)), AG.el("td", { text: h.actor }), AG.el("td", { text: h.reason || "" }))
      )
    );
  }

  async function refreshTimeline() {
    const t = await AG.api("/api/v1/certificates/" + enc(sha) + "/events");
    document.getElementById("timeline-truncated").hidden = !t.truncated;
    AG.replaceRows(
      document.getElementById("cert-timeline"),
      t.items.map((e) =>
        AG.el(
          "li",
          { "data-kind": e.kind, "data-origin": e.origin },
          AG.el("span", { text: when(e.at) }),
          AG.el("span", {}, AG.el("strong", { text: words(e.kind) }), " ", AG.el("span", { class: "origin", text: words(e.origin) })),
          AG.el("span", { text: e.summary })
        )
      )
    );
  }

  AG.start(async () => {
    await Promise.all([refreshDetail(), refreshTimeline()]);
  });
})();
