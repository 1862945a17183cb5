package dev.seam.collector;

import dev.seam.collector.config.ConfigException;
import dev.seam.collector.config.ConfigLoader;
import dev.seam.collector.config.SeamConfig;
import dev.seam.collector.contract.CatalogFile;
import dev.seam.collector.contract.ContractSet;
import dev.seam.collector.contract.Contracts;
import dev.seam.collector.contract.InvalidContractException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/** The command line: {@code java -jar seam-collector.jar [--config seam.yaml]}. */
public final class SeamMain {

  private SeamMain() {}

  public static void main(String[] args) throws Exception {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
    }
    Path configFile = null;
    boolean checkOnly = false;
    boolean printOnly = false;
    Path contractsFile = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--check-config":
          checkOnly = true;
          break;
        case "--print-config":
          printOnly = true;
          break;
        case "--check-contracts":
          if (i + 1 >= args.length) {
            System.err.println("seam: --check-contracts needs a file name");
            System.exit(2);
          }
          contractsFile = Path.of(args[++i]);
          break;
        case "--config":
        case "-c":
          if (i + 1 >= args.length) {
            System.err.println("seam: --config needs a file name");
            System.exit(2);
          }
          configFile = Path.of(args[++i]);
          break;
        case "--help":
        case "-h":
          System.out.println(
              "usage: java -jar seam-collector.jar [--config seam.yaml] [--check-config |"
                  + " --print-config]");
          System.out.println(
              "       java -jar seam-collector.jar --check-contracts contracts.yaml");
          System.out.println(
              "--check-config validates the configuration (and the contract file it names) and"
                  + " exits (0: valid, 2: not).");
          System.out.println(
              "--check-contracts validates a contract file (docs/contracts.md) and exits (0: valid,"
                  + " 2: not).");
          System.out.println(
              "--print-config prints every key as Seam reads it (defaults filled in) and exits.");
          System.out.println(
              "Without --config, Seam runs on its embedded defaults (see docs/configuration.md).");
          return;
        default:
          System.err.println("seam: unknown argument '" + args[i] + "' (try --help)");
          System.exit(2);
      }
    }
    if (contractsFile != null) {
      try {
        ContractSet set = Contracts.check(contractsFile);
        System.out.println(
            "seam: contract file "
                + contractsFile
                + " is valid ("
                + set.declarations().size()
                + " boundaries)");
        return;
      } catch (InvalidContractException e) {
        System.err.println("seam: " + e.getMessage());
        System.exit(2);
        return;
      }
    }
    SeamConfig config;
    try {
      config = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      System.err.println("seam: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (printOnly) {
      System.out.print(ConfigLoader.toYaml(config));
      return;
    }
    if (checkOnly && config.contracts().enabled()) {
      try {
        Contracts.check(Path.of(config.contracts().file()));
        if (!config.contracts().catalogFile().isBlank()) {
          CatalogFile.read(Path.of(config.contracts().catalogFile()));
        }
      } catch (InvalidContractException e) {
        System.err.println("seam: " + e.getMessage());
        System.exit(2);
        return;
      }
    }
    if (checkOnly) {
      System.out.println(
          "seam: configuration "
              + (configFile == null ? "(embedded defaults)" : configFile)
              + " is valid");
      return;
    }

    Logger log = Logger.getLogger("seam");
    Vertx vertx = Vertx.vertx();
    Seam seam;
    try {
      seam = Seam.start(vertx, config).await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("seam: cannot start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    log.info(
        String.format(
            "Seam listening: OTLP/gRPC %s:%d, OTLP/HTTP %s:%d, metrics http://%s:%d/metrics",
            config.receivers().otlp().grpc().host(),
            seam.grpcPort(),
            config.receivers().otlp().http().host(),
            seam.httpPort(),
            config.metrics().host(),
            seam.metricsPort()));

    Path file = configFile;
    try {
      // SIGHUP: read the file again; apply what is safe, keep everything when it is invalid.
      sun.misc.Signal.handle(
          new sun.misc.Signal("HUP"),
          sig -> {
            if (file == null) {
              log.warning(
                  "SIGHUP: running on embedded defaults, there is no configuration file to reload");
              return;
            }
            try {
              List<String> restart = seam.reload(ConfigLoader.load(file));
              log.info(
                  "SIGHUP: reloaded "
                      + file
                      + " (auth tokens, limits.max-inflight-bytes, limits.heap-share, contracts)"
                      + (restart.isEmpty()
                          ? ""
                          : "; changes that need a restart: " + String.join(", ", restart)));
            } catch (ConfigException e) {
              log.warning(
                  "SIGHUP: kept the running configuration, "
                      + file
                      + " is invalid: "
                      + e.getMessage());
            }
          });
    } catch (IllegalArgumentException unsupported) {
      log.warning("SIGHUP reload is not available on this platform");
    }

    CountDownLatch stopped = new CountDownLatch(1);
    // Plain stderr here: java.util.logging resets its handlers in a shutdown hook of its own.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.err.println("seam: stopping: closing receivers, ending pending pairs");
                  try {
                    seam.stop()
                        .await(
                            config.limits().shutdownTimeout().toMillis() + 1000,
                            TimeUnit.MILLISECONDS);
                    vertx.close().await(5, TimeUnit.SECONDS);
                    System.err.println("seam: stopped");
                  } catch (Exception e) {
                    System.err.println("seam: stop did not finish cleanly: " + e);
                  }
                  stopped.countDown();
                },
                "seam-shutdown"));
    stopped.await();
  }
}
