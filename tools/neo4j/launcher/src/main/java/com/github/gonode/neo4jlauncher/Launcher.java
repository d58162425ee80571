package com.github.gonode.neo4jlauncher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.QueryExecutionException;

/**
 * Runs an embedded Neo4j (Community) DBMS with Bolt on 127.0.0.1 for the
 * repository's tools/neo4j command (see tools/neo4j/README.md).
 *
 * <p>Usage: {@code Launcher HOME PORT [PLUGINS_DIR]}. The password of user
 * {@code neo4j} is set on every start from {@code NEO4J_PASSWORD} (default
 * {@value #DEFAULT_PASSWORD}). Once Bolt accepts it, the file {@code HOME/ready}
 * is written. SIGTERM shuts the DBMS down cleanly.
 */
public final class Launcher {
    static final String DEFAULT_PASSWORD = "gonode-local-pw";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: Launcher HOME PORT [PLUGINS_DIR]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            password = DEFAULT_PASSWORD;
        }
        Path ready = home.resolve("ready");
        Files.createDirectories(home);
        Files.deleteIfExists(ready);

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 512L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.udc_enabled, false);
        if (args.length == 3) {
            builder.setConfig(GraphDatabaseSettings.plugin_dir, Path.of(args[2]).toAbsolutePath())
                    .setConfig(GraphDatabaseSettings.procedure_unrestricted, List.of("apoc.*"))
                    .setConfig(GraphDatabaseSettings.procedure_allowlist, List.of("apoc.*"));
        }

        // Registered before build() so that a SIGTERM during startup still
        // shuts down whatever has been started.
        AtomicReference<DatabaseManagementService> dbms = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService service = dbms.get();
            if (service != null) {
                log("shutting down");
                service.shutdown();
                log("stopped");
            }
        }, "gonode-neo4j-shutdown"));

        log("starting Neo4j in " + home + " with Bolt on 127.0.0.1:" + port);
        dbms.set(builder.build());
        setPassword(dbms.get(), password);
        Files.writeString(ready, ProcessHandle.current().pid() + "\n");
        log("ready: bolt://127.0.0.1:" + port + " (user neo4j)");
        new CountDownLatch(1).await(); // until SIGTERM
    }

    /** Sets the password of user neo4j through the system database. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (QueryExecutionException e) {
            // Neo4j refuses to "change" a password to the one it already has.
            if (e.getMessage() == null || !e.getMessage().contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " launcher: " + message);
    }
}
