// Device page: facts, one chart per metric with drag-zoom (re-queried with finer buckets),
// connectivity timeline, events.
"use strict";

(() => {
  const id = new URLSearchParams(window.location.search).get("id") || "";
  const WINDOWS = { "1h": 3600, "24h": 86400, "7d": 7 * 86400 };
  const view = { window: "24h", zoom: null }; // zoom: {from, to} in epoch seconds
  const enc = encodeURIComponent;
  AG.setText("device-title", id);
  document.title = "auditgate — " + id;

  function range() {
    if (view.zoom) return view.zoom;
    const to = Math.floor(Date.now() / 1000);
    return { from: to - WINDOWS[view.window], to };
  }

  const iso = (s) => new Date(s * 1000).toISOString();

  async function refreshFacts() {
    let d;
    try {
      d = await AG.api("/api/v1/devices/" + enc(id));
    } catch (e) {
      if (e.status === 404 || e.status === 400) {
        const n = document.getElementById("not-found");
        n.hidden = false;
        n.textContent = e.message;
      }
      throw e;
    }
    const reg = d.registration;
    AG.setText("device-title", reg.name ? reg.name + " (" + reg.id + ")" : reg.id);
    document.getElementById("device-state").replaceChildren(AG.badge(d.state));
    AG.setText("device-cause", (d.state_cause || "—") + (d.state_since ? " · since " + AG.ago(d.state_since) : ""));
    AG.setText("device-profile", d.profile.name + " (every " + AG.duration(d.profile.expected_interval) + ")");
    const gw = document.getElementById("device-gateway");
    gw.replaceChildren(d.last_gateway_id ? AG.el("a", { href: "gateway.html?id=" + enc(d.last_gateway_id), text: d.last_gateway_id }) : "—");
    AG.setText("device-last-telemetry", AG.ago(d.last_telemetry_at));
    AG.setText("device-last-connect", AG.ago(d.last_connect_at));
    AG.setText("device-last-disconnect", d.last_disconnect ? AG.ago(d.last_disconnect.at) + (d.last_disconnect.reason ? " (" + d.last_disconnect.reason + ")" : "") : "never");
    AG.setText("device-samples", AG.num(d.samples_in_window, 0));
    AG.setText("device-seq-gaps", AG.num(d.seq_gaps, 0));
    AG.setText("device-duplicates", AG.num(d.duplicates_discarded, 0));
    AG.setText("device-clock-skew", d.clock_skew ? AG.duration(d.clock_skew) : "—");
    AG.setText("device-firmware", reg.firmware_version || "—");
  }

  async function refreshCharts() {
    const r = range();
    const t = await AG.api("/api/v1/devices/" + enc(id) + "/telemetry?from=" + enc(iso(r.from)) + "&to=" + enc(iso(r.to)));
    AG.setText("bucket-info", "Bucket: " + AG.duration(t.bucket) + ".");
    const box = document.getElementById("charts");
    document.getElementById("charts-empty").hidden = t.series.some((s) => s.buckets.length > 0);
    const seen = new Set();
    for (const s of t.series) {
      seen.add(s.metric);
      let c = document.getElementById("chart-" + s.metric);
      if (!c) {
        c = AG.el("div", { id: "chart-" + s.metric, class: "chart", "data-testid": "chart-" + s.metric });
        box.append(c);
      }
      const xs = s.buckets.map((b) => Math.floor(Date.parse(b.time) / 1000));
      c.dataset.points = String(xs.length);
      AG.chart(
        c,
        s.metric,
        xs,
        [
          { label: "avg", values: s.buckets.map((b) => b.avg) },
          { label: "min", values: s.buckets.map((b) => b.min) },
          { label: "max", values: s.buckets.map((b) => b.max) },
        ],
        { height: 200, onZoom: (from, to) => zoom(from, to) }
      );
      // Keep the x scale on the requested range even where buckets are empty.
      c._plot.setScale("x", { min: r.from, max: r.to });
    }
    for (const c of [...box.children]) if (!seen.has(c.id.replace("chart-", ""))) c.remove();
  }

  async function refreshConnectivity() {
    const r = range();
    const c = await AG.api("/api/v1/devices/" + enc(id) + "/connectivity?from=" + enc(iso(r.from)) + "&to=" + enc(iso(r.to)));
    const span = r.to - r.from;
    const bar = document.getElementById("connectivity");
    bar.replaceChildren(
      ...c.spans.map((s) => {
        const from = Math.max(r.from, Date.parse(s.from) / 1000);
        const to = Math.min(r.to, s.to ? Date.parse(s.to) / 1000 : r.to);
        return AG.el("div", {
          class: "seg " + s.status,
          "data-testid": "span-" + s.status,
          title: s.status + " via " + s.gateway_id + " from " + s.from + (s.to ? " to " + s.to : " (open)") + (s.reason ? " — " + s.reason : ""),
          style: "left:" + ((100 * (from - r.from)) / span).toFixed(3) + "%;width:" + Math.max(0.2, (100 * (to - from)) / span).toFixed(3) + "%",
        });
      })
    );
    AG.setText("timeline-from", new Date(r.from * 1000).toLocaleString());
    AG.setText("timeline-to", new Date(r.to * 1000).toLocaleString());
  }

  async function refreshEvents() {
    const page = await AG.api("/api/v1/events?device=" + enc(id) + "&limit=50");
    AG.replaceRows(
      document.getElementById("event-rows"),
      page.items.map((e) =>
        AG.el(
          "tr",
          {},
          AG.el("td", { text: new Date(e.at).toLocaleString(), title: e.at }),
          AG.el("td", { text: e.kind.replace("_", " ") }),
          AG.el("td", { text: e.type + (e.from_state ? " (from " + e.from_state + ")" : "") }),
          AG.el("td", { text: e.cause || "" }),
          AG.el("td", { text: e.gateway_id || "" })
        )
      )
    );
  }

  function zoom(from, to) {
    view.zoom = { from: Math.floor(from), to: Math.ceil(to) };
    document.getElementById("zoom-reset").hidden = false;
    Promise.all([refreshCharts(), refreshConnectivity()]).catch(() => {});
  }

  document.getElementById("range-select").addEventListener("click", (ev) => {
    if (ev.target.id === "zoom-reset") {
      view.zoom = null;
      ev.target.hidden = true;
    } else if (ev.target.dataset.window) {
      view.window = ev.target.dataset.window;
      view.zoom = null;
      document.getElementById("zoom-reset").hidden = true;
      for (const b of ev.currentTarget.querySelectorAll("button[data-window]")) b.classList.toggle("active", b === ev.target);
    } else {
      return;
    }
    Promise.all([refreshCharts(), refreshConnectivity()]).catch(() => {});
  });

  AG.start(async () => {
    await refreshFacts();
    // A zoomed view is a fixed range: do not move it under the user's cursor every 5 s.
    const work = [refreshEvents()];
    if (!view.zoom) work.push(refreshCharts(), refreshConnectivity());
    await Promise.all(work);
  });
})();
