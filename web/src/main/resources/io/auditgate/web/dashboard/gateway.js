// Gateway page: state, WAL backlog per sink, throughput chart, events.
"use strict";

(() => {
  const id = new URLSearchParams(window.location.search).get("id") || "";
  const enc = encodeURIComponent;
  const view = { window: "1h" };
  AG.setText("gateway-title", id);
  document.title = "auditgate — gateway " + id;

  async function refreshDetail() {
    let g;
    try {
      g = await AG.api("/api/v1/gateways/" + enc(id));
    } catch (e) {
      if (e.status === 404 || e.status === 400) {
        const n = document.getElementById("not-found");
        n.hidden = false;
        n.textContent = e.message;
      }
      throw e;
    }
    const v = g.gateway;
    AG.setText("gateway-title", v.name ? v.name + " (" + v.id + ")" : v.id);
    document.getElementById("gateway-state").replaceChildren(AG.badge(v.state));
    AG.setText("gateway-cause", (g.state_cause || "—") + (v.state_since ? " · since " + AG.ago(v.state_since) : ""));
    AG.setText("gateway-heartbeat", AG.ago(v.last_heartbeat_at));
    AG.setText("gateway-devices", AG.num(v.devices, 0));
    AG.setText("gateway-wal", AG.num(g.wal_records, 0));
    AG.setText("gateway-backlog", AG.num(v.backlog_records, 0) + " records, " + AG.num(v.backlog_bytes / 1024, 1) + " KiB");
    AG.setText("gateway-oldest", AG.duration(v.oldest_unsent_age));
    AG.setText("gateway-throughput", AG.num(g.samples_per_second, 2) + " samples/s over " + AG.duration(g.throughput_window));
    AG.replaceRows(
      document.getElementById("sink-rows"),
      g.sinks.map((s) =>
        AG.el(
          "tr",
          { class: s.interrupted ? "row-bad" : "" },
          AG.el("td", { text: s.name }),
          AG.el("td", { class: "num", text: AG.num(s.backlog_records, 0) }),
          AG.el("td", { class: "num", text: AG.duration(s.oldest_unsent_age) }),
          AG.el("td", {}, AG.badge(s.interrupted ? "interrupted" : "up"))
        )
      )
    );
  }

  async function refreshThroughput() {
    const r = await AG.api("/api/v1/gateways/samples?window=" + view.window);
    const step = AG.isoSeconds(r.bucket);
    const from = Math.floor(Date.parse(r.from) / 1000);
    const to = Math.floor(Date.parse(r.to) / 1000);
    const xs = [];
    for (let t = from; t < to; t += step) xs.push(t);
    const values = new Array(xs.length).fill(0);
    const mine = r.gateways.find((g) => g.gateway_id === id);
    if (mine) {
      const index = new Map(xs.map((t, i) => [t, i]));
      for (const b of mine.buckets) {
        const i = index.get(Math.floor(Date.parse(b.time) / 1000));
        if (i !== undefined) values[i] = b.samples;
      }
    }
    AG.chart(document.getElementById("throughput-chart"), null, xs, [{ label: "samples", values }], { height: 220 });
  }

  async function refreshEvents() {
    const page = await AG.api("/api/v1/events?gateway=" + enc(id) + "&limit=50");
    AG.replaceRows(
      document.getElementById("event-rows"),
      page.items.map((e) =>
        AG.el(
          "tr",
          {},
          AG.el("td", { text: new Date(e.at).toLocaleString(), title: e.at }),
          AG.el("td", { text: e.kind.replace("_", " ") }),
          AG.el("td", { text: e.entity_kind === "device" ? e.type + " · " + e.entity_id : e.type }),
          AG.el("td", { text: e.cause || "" })
        )
      )
    );
  }

  document.getElementById("window-select").addEventListener("click", (ev) => {
    if (!ev.target.dataset.window) return;
    view.window = ev.target.dataset.window;
    for (const b of ev.currentTarget.querySelectorAll("button")) b.classList.toggle("active", b === ev.target);
    refreshThroughput().catch(() => {});
  });

  AG.start(async () => {
    await refreshDetail();
    await Promise.all([refreshThroughput(), refreshEvents()]);
  });
})();
