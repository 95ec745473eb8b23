package io.auditgate.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering the module names promise: {@code core} depends on nothing, each module's {@code
 * internal} package is its own business, only {@code app} wires modules together, and nothing but
 * the wiring reads the clock or the environment.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.auditgate");
  }

  @Test
  void coreDependsOnlyOnTheJdk() {
    classes()
        .that()
        .resideInAPackage("io.auditgate.core..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.auditgate.core..", "java..")
        .check(classes);
  }

  @Test
  void walDependsOnlyOnCoreAndLogging() {
    classes()
        .that()
        .resideInAPackage("io.auditgate.wal..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.auditgate.core..", "io.auditgate.wal..", "java..", "org.slf4j..")
        .check(classes);
  }

  @Test
  void internalPackagesStayInsideTheirModule() {
    for (String module :
        List.of(
            "wal", "certs", "ingest", "pipeline", "sim", "store", "fleet", "controlplane", "web")) {
      String home = "io.auditgate." + module + "..";
      // JMH micro-benchmarks measure internals on purpose; nothing else may reach them.
      noClasses()
          .that()
          .resideOutsideOfPackages(home, "io.auditgate.bench.jmh..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.auditgate." + module + ".internal..")
          .check(classes);
    }
  }

  @Test
  void coreAndTheLogKnowNothingOfTransportsOrCertificates() {
    noClasses()
        .that()
        .resideInAnyPackage("io.auditgate.core..", "io.auditgate.wal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.auditgate.ingest..", "io.auditgate.certs..", "io.auditgate.sim..")
        .check(classes);
  }

  @Test
  void theHistoryModulesKnowNothingOfDevicesOrEachOther() {
    // The dispatcher and the store meet only through core's TelemetrySink and the envelope bytes,
    // so either side can be deployed, replaced or scaled without the other.
    noClasses()
        .that()
        .resideInAnyPackage("io.auditgate.pipeline..", "io.auditgate.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.auditgate.ingest..", "io.auditgate.sim..", "io.auditgate.certs..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.auditgate.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.auditgate.store..")
        .check(classes);
    noClasses()
        .that()
        .resideInAPackage("io.auditgate.store..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.auditgate.pipeline..")
        .check(classes);
  }

  @Test
  void theWebServerKnowsTheFleetAndTheStoreButNoDevicePath() {
    // The control plane reads history through the fleet model; it never reaches into the
    // gateway's listeners, log or dispatcher, so it can run on a host of its own.
    noClasses()
        .that()
        .resideInAPackage("io.auditgate.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.auditgate.ingest..",
            "io.auditgate.wal..",
            "io.auditgate.pipeline..",
            "io.auditgate.sim..",
            "io.auditgate.certs..")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage("io.auditgate.store..", "io.auditgate.fleet..", "io.auditgate.ingest..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.auditgate.web..")
        .check(classes);
  }

  @Test
  void theFleetModelSitsOnTheStoresPublicApiAndNothingBelowItKnowsIt() {
    classes()
        .that()
        .resideInAPackage("io.auditgate.fleet..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.auditgate.core..",
            "io.auditgate.store",
            "io.auditgate.fleet..",
            "java..",
            "org.slf4j..",
            "com.fasterxml.jackson..",
            "com.zaxxer.hikari..")
        .check(classes);
    // The read model's pool is an implementation detail: no one else holds a HikariCP type.
    noClasses()
        .that()
        .resideOutsideOfPackage("io.auditgate.fleet.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("com.zaxxer.hikari..")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("io.auditgate.fleet..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.auditgate.fleet.internal..")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.auditgate.core..",
            "io.auditgate.wal..",
            "io.auditgate.ingest..",
            "io.auditgate.pipeline..",
            "io.auditgate.store..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.auditgate.fleet..")
        .check(classes);
  }

  @Test
  void theCertificateControlPlaneSitsOnCertsAndTheStoreAndNothingBelowItKnowsIt() {
    // The listeners learn about revocation through core's interfaces, wired by the app, so a
    // gateway never needs the control plane's database to check a certificate.
    classes()
        .that()
        .resideInAPackage("io.auditgate.controlplane..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "io.auditgate.core..",
            "io.auditgate.certs",
            "io.auditgate.certs.x509",
            "io.auditgate.store",
            "io.auditgate.fleet",
            "io.auditgate.controlplane..",
            "java..",
            "javax..",
            "org.slf4j..",
            "org.bouncycastle..",
            "com.fasterxml.jackson..")
        .check(classes);
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.auditgate.core..",
            "io.auditgate.wal..",
            "io.auditgate.certs..",
            "io.auditgate.ingest..",
            "io.auditgate.pipeline..",
            "io.auditgate.store..",
            "io.auditgate.fleet..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.auditgate.controlplane..")
        .check(classes);
  }

  @Test
  void onlyTheAppWiresModulesTogether() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.auditgate.app..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.auditgate.app..")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackages("io.auditgate.app..", "io.auditgate.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.auditgate.bench..")
        .check(classes);
  }

  @Test
  void metricsAndTracingLibrariesStayInTheirOwnPackages() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.auditgate.app.observability..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.prometheus..")
        .because("components expose snapshots; only the exposition knows Prometheus")
        .check(classes);
    noClasses()
        .that()
        .resideOutsideOfPackage("io.auditgate.app.tracing..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.opentelemetry..")
        .because("the data path calls core's StageTracer; only its implementation knows OTel")
        .check(classes);
  }

  @Test
  void timeIsInjectedOutsideTheWiring() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.auditgate.app..", "io.auditgate.bench..")
        .should()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(java.time.Clock.class, "systemUTC")
        .orShould()
        .callMethod(java.time.Clock.class, "systemDefaultZone")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .because("time is injected as a java.time.Clock so tests can control it")
        .check(classes);
  }

  @Test
  void onlyTheCommandLineReadsTheEnvironment() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.auditgate.app.cli..")
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .because("configuration is one typed tree; ConfigLoader gets the environment handed in")
        .check(classes);
  }
}
