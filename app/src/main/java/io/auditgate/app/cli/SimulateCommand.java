package io.auditgate.app.cli;

import io.auditgate.app.config.Durations;
import io.auditgate.sim.FleetSimulator;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationPlan.Fault;
import io.auditgate.sim.SimulationPlan.Transport;
import io.auditgate.sim.SimulationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code auditgate simulate}: a fleet of simulated B-L475E-IOT01A boards publishing over MQTT or
 * posting over HTTPS.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate B-L475E-IOT01A boards (temperature, humidity, pressure, accelerometer, gyroscope,"
          + " magnetometer, distance) publishing telemetry over MQTT 5 or posting it to the HTTPS"
          + " ingest (POST /v1/ingest/ID), with fault scenarios on demand. Ends with what each"
          + " device sent and what was acknowledged (PUBACK, or 202 over HTTPS), so a run can be"
          + " reconciled exactly.",
      "Faults (repeatable --fault): stale:DEVICE:START:LENGTH, storm:START (MQTT only),"
          + " duplicate:DEVICE:START:COUNT, malformed:DEVICE:START:COUNT,"
          + " wrong-topic:DEVICE:START:COUNT (over HTTPS: posts to the next device's path),"
          + " skew:DEVICE:OFFSET (times like 5s, 1m)."
    })
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--host", description = "Gateway or broker host (default: ${DEFAULT-VALUE}).")
  String host = "localhost";

  @Option(
      names = "--transport",
      paramLabel = "mqtt|https",
      converter = TransportConverter.class,
      description = "mqtt or https (default: mqtt). HTTPS needs --ca.")
  Transport transport = Transport.MQTT;

  @Option(names = "--port", description = "Port (default: 8883 for mqtt, 8443 for https).")
  Integer port;

  @Option(
      names = "--ca",
      paramLabel = "FILE",
      description = "PEM CA the server certificate must chain to; enables TLS.")
  Path ca;

  @Option(
      names = "--certs",
      paramLabel = "DIR",
      description = "Directory with ID.crt and ID.key per device (mTLS identities).")
  Path certs;

  @Option(names = "--devices", description = "Number of boards (default: ${DEFAULT-VALUE}).")
  int devices = 3;

  @Option(
      names = "--rate",
      description = "Messages per second per board (default: ${DEFAULT-VALUE}).")
  double rate = 1;

  @Option(names = "--duration", description = "How long to publish (default: ${DEFAULT-VALUE}).")
  String duration = "10s";

  @Option(names = "--qos", description = "0 or 1 (default: ${DEFAULT-VALUE}).")
  int qos = 1;

  @Option(names = "--fault", paramLabel = "SPEC", description = "A fault scenario (see above).")
  List<String> faults = new ArrayList<>();

  @Option(names = "--json", description = "Print the report as JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    int chosenPort = port != null ? port : transport == Transport.HTTPS ? 8443 : 8883;
    Endpoint endpoint =
        ca == null
            ? Endpoint.plaintext(host, chosenPort)
            : Endpoint.tls(host, chosenPort, PemCredentials.trustManagerFactory(ca));
    SimulationPlan plan =
        new SimulationPlan(devices, rate, Durations.parse(duration), qos, endpoint)
            .withTransport(transport)
            .withFaults(faults.stream().map(SimulateCommand::fault).toList());
    if (certs != null) {
      plan = plan.withCredentials(new Credentials.ClientCertificates(certs));
    }
    PrintWriter err = spec.commandLine().getErr();
    SimulationReport report =
        new FleetSimulator(Clock.systemUTC())
            .run(
                plan,
                p -> {
                  err.printf(
                      "  %5.1fs  %d connected, %,d sent, %,d acknowledged, %,d failed%n",
                      p.elapsed().toMillis() / 1000.0,
                      p.connected(),
                      p.sent(),
                      p.acknowledged(),
                      p.failed());
                  err.flush();
                });
    PrintWriter out = spec.commandLine().getOut();
    out.println(json ? report.toJson() : report.toTable());
    out.flush();
    return report.totals().failed() == 0 ? 0 : 1;
  }

  static Fault fault(String spec) {
    String[] p = spec.split(":");
    try {
      return switch (p[0]) {
        case "stale" -> new Fault.Stale(p[1], Durations.parse(p[2]), Durations.parse(p[3]));
        case "storm" -> new Fault.ReconnectStorm(Durations.parse(p[1]));
        case "duplicate" ->
            new Fault.DuplicateResend(p[1], Durations.parse(p[2]), Integer.parseInt(p[3]));
        case "malformed" ->
            new Fault.Malformed(p[1], Durations.parse(p[2]), Integer.parseInt(p[3]));
        case "wrong-topic" ->
            new Fault.WrongTopic(p[1], Durations.parse(p[2]), Integer.parseInt(p[3]));
        case "skew" -> new Fault.ClockSkew(p[1], skew(p[2]));
        default -> throw new IllegalArgumentException("unknown fault '" + p[0] + "'");
      };
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("--fault " + spec + ": wrong form; see --help");
    }
  }

  /** {@code mqtt} or {@code https}, in any case. */
  static final class TransportConverter implements ITypeConverter<Transport> {
    @Override
    public Transport convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "mqtt" -> Transport.MQTT;
        case "https" -> Transport.HTTPS;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not a transport; use mqtt or https");
      };
    }
  }

  private static Duration skew(String text) {
    return text.startsWith("-")
        ? Durations.parse(text.substring(1)).negated()
        : Durations.parse(text);
  }
}
