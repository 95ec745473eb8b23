package io.auditgate.web.api;

import io.auditgate.controlplane.CertificateEvent;
import io.auditgate.controlplane.inventory.CertificateDetail;
import io.auditgate.controlplane.inventory.RenewalChange;
import io.auditgate.controlplane.inventory.SightingView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate's timeline as people read it: the event log ({@code certificate_events}: alerts
 * raised, acknowledged, resolved; issuance and revocation once those write there) merged with what
 * the inventory already records elsewhere — the validity period, each sighting's first and last
 * time, the renewal workflow's transitions and the revocation view's revocation — oldest first.
 * Nothing is stored twice: the merge happens at read time.
 *
 * <p>Thread-safety: stateless; pure function of its arguments.
 */
final class CertificateTimeline {
  private CertificateTimeline() {}

  /**
   * One entry.
   *
   * @param origin where it comes from: {@code event_log}, {@code certificate}, {@code sighting},
   *     {@code renewal} or {@code revocation}
   * @param id the event log's id, for entries from the log (empty for the others)
   */
  record Entry(
      Instant at,
      String kind,
      String origin,
      String summary,
      Optional<Long> id,
      Map<String, String> details) {
    Entry {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(origin, "origin");
      Objects.requireNonNull(summary, "summary");
      Objects.requireNonNull(id, "id");
      details = Map.copyOf(details);
    }
  }

  /** The merged timeline, oldest first; ties keep the order validity, log, sightings, renewal. */
  static List<Entry> merge(CertificateDetail detail, List<CertificateEvent> events) {
    List<Entry> out = new ArrayList<>();
    var s = detail.summary();
    out.add(
        new Entry(
            s.notBefore(),
            "valid_from",
            "certificate",
            "validity starts (not before)",
            Optional.empty(),
            Map.of()));
    out.add(
        new Entry(
            s.notAfter(),
            "valid_until",
            "certificate",
            "validity ends (not after)",
            Optional.empty(),
            Map.of()));
    boolean loggedRevocation = false;
    for (CertificateEvent e : events) {
      loggedRevocation |= e.kind().equals("revoked");
      out.add(
          new Entry(e.at(), e.kind(), "event_log", e.summary(), Optional.of(e.id()), e.details()));
    }
    for (SightingView v : detail.sightings()) {
      Map<String, String> d = new LinkedHashMap<>(v.details());
      d.put("source", v.source().label());
      d.put("location", v.location());
      v.deviceId().ifPresent(id -> d.put("device_id", id));
      d.put("count", Long.toString(v.count()));
      String where =
          v.source().label()
              + " at "
              + v.location()
              + v.deviceId().map(id -> " (device " + id + ")").orElse("");
      out.add(
          new Entry(
              v.firstSeenAt(),
              "first_seen",
              "sighting",
              "first seen: " + where,
              Optional.empty(),
              d));
      if (v.lastSeenAt().isAfter(v.firstSeenAt())) {
        out.add(
            new Entry(
                v.lastSeenAt(),
                "last_seen",
                "sighting",
                "last seen: " + where + ", " + v.count() + " times",
                Optional.empty(),
                d));
      }
    }
    for (RenewalChange c : detail.renewalHistory()) {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("from", c.from().label());
      d.put("to", c.to().label());
      d.put("actor", c.actor());
      c.reason().ifPresent(r -> d.put("reason", r));
      out.add(
          new Entry(
              c.at(),
              "renewal_" + c.to().label(),
              "renewal",
              "renewal "
                  + c.from().label().replace('_', ' ')
                  + " → "
                  + c.to().label().replace('_', ' ')
                  + " by "
                  + c.actor()
                  + c.reason().map(r -> ": " + r).orElse(""),
              Optional.empty(),
              d));
    }
    if (!loggedRevocation && detail.revocation().isPresent()) {
      var r = detail.revocation().get();
      out.add(
          new Entry(
              r.revokedAt(),
              "revoked",
              "revocation",
              "revoked (" + r.reason() + ")",
              Optional.empty(),
              Map.of("reason", r.reason())));
    }
    out.sort(Comparator.comparing(Entry::at)); // stable: ties keep insertion order
    return out;
  }
}
