// Fleet overview: counts, samples per gateway, gateways, certificate posture, devices with their
// latest readings. Each refresh is a fixed handful of requests whatever the fleet size: one page
// of devices and one latest-readings call for exactly that page (no request per device).
"use strict";

(() => {
  const PAGE = 50;
  // Column -> metric names it shows, first found wins: the seed's plain names and the reference
  // board's (HTS221/LPS22HB) names with units, as the simulator sends them.
  const READING_COLUMNS = {
    temperature: ["temperature", "temperature_c"],
    humidity: ["humidity", "humidity_pct"],
    pressure: ["pressure", "pressure_hpa"],
  };
  const READING_METRICS = Object.values(READING_COLUMNS).flat();
  const state = { window: "1h", offset: 0, filter: "", q: "" };

  function qs(params) {
    return Object.entries(params)
      .filter(([, v]) => v !== "" && v !== null && v !== undefined)
      .map(([k, v]) => encodeURIComponent(k) + "=" + encodeURIComponent(v))
      .join("&");
  }

  async function refreshSummary() {
    const s = await AG.api("/api/v1/summary?" + qs({ window: state.window }));
    AG.setText("gateways-up", AG.num(s.gateways.up, 0));
    AG.setText("gateways-total", AG.num(s.gateways.total, 0));
    const other = [];
    if (s.gateways.down) other.push(s.gateways.down + " down");
    if (s.gateways.restarted) other.push(s.gateways.restarted + " restarted");
    if (s.gateways.upstream_interrupted) other.push(s.gateways.upstream_interrupted + " upstream interrupted");
    AG.setText("gateways-sub", other.join(", "));
    AG.setText("devices-active", AG.num(s.devices.active, 0));
    AG.setText("devices-total", AG.num(s.devices.total, 0));
    AG.setText("devices-stale", AG.num(s.devices.stale, 0));
    AG.setText("devices-offline", AG.num(s.devices.offline, 0));
    AG.setText("devices-never-seen", AG.num(s.devices.never_seen, 0));
    AG.setText("samples-window", AG.num(s.samples_in_window, 0));
    AG.setText("samples-window-label", state.window);
  }

  async function refreshSamples() {
    const r = await AG.api("/api/v1/gateways/samples?" + qs({ window: state.window }));
    const step = AG.isoSeconds(r.bucket);
    const from = Math.floor(Date.parse(r.from) / 1000);
    const to = Math.floor(Date.parse(r.to) / 1000);
    const xs = [];
    for (let t = from; t < to; t += step) xs.push(t);
    const index = new Map(xs.map((t, i) => [t, i]));
    const series = r.gateways.map((g) => {
      const values = new Array(xs.length).fill(0);
      for (const b of g.buckets) {
        const i = index.get(Math.floor(Date.parse(b.time) / 1000));
        if (i !== undefined) values[i] = b.samples;
      }
      return { label: g.gateway_id, values };
    });
    const container = document.getElementById("samples-chart");
    document.getElementById("samples-empty").hidden = series.length > 0;
    container.dataset.series = String(series.length);
    container.dataset.total = String(r.gateways.reduce((n, g) => n + g.buckets.reduce((m, b) => m + b.samples, 0), 0));
    if (series.length > 0) AG.chart(container, null, xs, series, { height: 220 });
  }

  async function refreshGateways() {
    const page = await AG.api("/api/v1/gateways?limit=100");
    AG.replaceRows(
      document.getElementById("gateway-rows"),
      page.items.map((g) =>
        AG.el(
          "tr",
          { "data-testid": "gateway-row-" + g.id },
          AG.el("td", {}, AG.el("a", { href: "gateway.html?id=" + encodeURIComponent(g.id), text: g.name || g.id })),
          AG.el("td", {}, AG.badge(g.state)),
          AG.el("td", { class: "num", text: AG.num(g.devices, 0) }),
          AG.el("td", { class: "num", text: AG.num(g.backlog_records, 0) }),
          AG.el("td", { class: "num", text: AG.duration(g.oldest_unsent_age) }),
          AG.el("td", { text: AG.ago(g.last_heartbeat_at) })
        )
      )
    );
  }

  // The inventory's posture (GET /api/v1/certificates/summary) and the soonest to expire in
  // service: two requests whatever the number of certificates. Every count links to the inventory
  // page filtered to exactly the certificates it counts.
  async function refreshCertificates() {
    const [p, soonest] = await Promise.all([
      AG.api("/api/v1/certificates/summary"),
      AG.api("/api/v1/certificates/expiring?days=3650&limit=6"),
    ]);
    AG.setText("cert-total", AG.num(p.total, 0));
    AG.setText("cert-expiring", AG.num(p.expiring_within_days["30"] || 0, 0));
    AG.setText("cert-expired", AG.num(p.by_status.expired, 0));
    AG.setText("cert-revoked", AG.num(p.by_status.revoked, 0));
    AG.counts(
      document.getElementById("posture-status"),
      AG.CERT_STATUSES.map((s) => ({
        key: "status-" + s,
        label: s.replace("_", " "),
        value: p.by_status[s] || 0,
        href: "certificates.html?status=" + s,
        cls: p.by_status[s] > 0 ? AG.statusClass(s) : "",
      }))
    );
    AG.counts(
      document.getElementById("posture-windows"),
      Object.keys(p.expiring_within_days)
        .sort((a, b) => a - b)
        .map((d) => ({
          key: "expiring-" + d,
          label: "≤ " + d + " days",
          value: p.expiring_within_days[d],
          href: "certificates.html?expiring_within_days=" + d,
        }))
    );
    AG.counts(
      document.getElementById("posture-rules"),
      AG.POSTURE_RULES.map((r) => ({
        key: "rule-" + r.key,
        label: r.label,
        value: p[r.key],
        href: "certificates.html?condition=" + r.condition,
        cls: p[r.key] > 0 ? r.cls : "",
      }))
    );
    const now = Date.now();
    AG.replaceRows(
      document.getElementById("cert-rows"),
      soonest.items.map((c) => {
        const days = AG.daysLeft(c.not_after, now);
        return AG.el(
          "tr",
          { class: days <= 30 ? "row-warn" : "" },
          AG.el("td", {}, AG.el("a", { href: "certificate.html?sha256=" + c.sha256, text: c.subject, title: c.sha256 })),
          AG.el("td", { text: c.device_id || "—" }),
          AG.el("td", {}, AG.badge(c.status)),
          AG.el("td", { class: "num", text: AG.num(days, 0) })
        );
      })
    );
  }

  async function refreshDevices() {
    const page = await AG.api(
      "/api/v1/devices?" + qs({ limit: PAGE, offset: state.offset, state: state.filter, q: state.q })
    );
    const ids = page.items.map((d) => d.id);
    const readings = new Map();
    if (ids.length > 0) {
      const latest = await AG.api(
        "/api/v1/readings/latest?" + qs({ device: ids.join(","), metric: READING_METRICS.join(",") })
      );
      for (const r of latest.items) readings.set(r.device_id + "/" + r.metric, r);
    }
    const cell = (id, column, digits) => {
      const r = READING_COLUMNS[column].map((m) => readings.get(id + "/" + m)).find((x) => x);
      return AG.el("td", {
        class: "num",
        "data-metric": column,
        text: r ? AG.num(r.value, digits) : "—",
        title: r ? r.metric + " at " + r.time : "",
      });
    };
    AG.replaceRows(
      document.getElementById("device-rows"),
      page.items.map((d) =>
        AG.el(
          "tr",
          { "data-testid": "device-row-" + d.id, "data-device-id": d.id },
          AG.el("td", {}, AG.el("a", { href: "device.html?id=" + encodeURIComponent(d.id), text: d.name || d.id, "data-testid": "device-link-" + d.id })),
          AG.el("td", {}, AG.badge(d.state)),
          AG.el("td", { text: d.last_gateway_id || "—" }),
          AG.el("td", { text: AG.ago(d.last_telemetry_at), title: d.last_telemetry_at || "" }),
          cell(d.id, "temperature", 1),
          cell(d.id, "humidity", 1),
          cell(d.id, "pressure", 1)
        )
      )
    );
    const last = page.offset + page.items.length;
    AG.setText("page-info", page.total === 0 ? "no devices" : page.offset + 1 + "–" + last + " of " + page.total);
    document.getElementById("page-prev").disabled = page.offset === 0;
    document.getElementById("page-next").disabled = last >= page.total;
  }

  async function refresh() {
    await Promise.all([refreshSummary(), refreshSamples(), refreshGateways(), refreshCertificates(), refreshDevices()]);
  }

  document.getElementById("window-select").addEventListener("click", (ev) => {
    const w = ev.target.dataset.window;
    if (!w) return;
    state.window = w;
    for (const b of ev.currentTarget.querySelectorAll("button")) b.classList.toggle("active", b === ev.target);
    Promise.all([refreshSummary(), refreshSamples()]).catch(() => {});
  });
  document.getElementById("page-prev").addEventListener("click", () => {
    state.offset = Math.max(0, state.offset - PAGE);
    refreshDevices().catch(() => {});
  });
  document.getElementById("page-next").addEventListener("click", () => {
    state.offset += PAGE;
    refreshDevices().catch(() => {});
  });
  document.getElementById("device-state").addEventListener("change", (ev) => {
    state.filter = ev.target.value;
    state.offset = 0;
    refreshDevices().catch(() => {});
  });
  let typing;
  document.getElementById("device-search").addEventListener("input", (ev) => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.q = ev.target.value.trim();
      state.offset = 0;
      refreshDevices().catch(() => {});
    }, 300);
  });

  AG.start(refresh);
})();
