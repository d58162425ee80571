package com.github.gonode.neo4jlauncher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an embedded Neo4j (Community) DBMS with Bolt on 127.0.0.1 for the
 * repository's tools/neo4j command (see tools/neo4j/README.md).
 *
 * <p>Usage: {@code Launcher HOME PORT [PLUGINS_DIR]}. The password of user
 * {@code neo4j} is set on every start from {@code NEO4J_PASSWORD} (default
 * {@value #DEFAULT_PASSWORD}). Once Bolt accepts it, the file {@code HOME/ready}
 * is written. SIGTERM shuts the DBMS down cleanly.
 *
 * <p>It reaches Neo4j's embedding API (DatabaseManagementServiceBuilder,
 * DatabaseManagementService, GraphDatabaseService) by reflection and
 * configures it with a neo4j.conf of its own, so that it compiles without
 * Neo4j's jars: one javac 17 builds it ({@code --release 17}) for every Neo4j
 * line, 5.26 (Java 17 class files) as well as 2025.x and 2026.x (Java 21),
 * and the Java that runs Neo4j may be a runtime without a compiler.
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
        Path conf = home.resolve("neo4j.conf");
        Files.write(conf, settings(port, args.length == 3 ? Path.of(args[2]).toAbsolutePath() : null));

        // Registered before build() so that a SIGTERM during startup still
        // shuts down whatever has been started.
        AtomicReference<Object> dbms = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Object service = dbms.get();
            if (service != null) {
                log("shutting down");
                try {
                    call(service, "org.neo4j.dbms.api.DatabaseManagementService", "shutdown");
                } catch (Exception e) {
                    log("shutdown failed: " + e);
                }
                log("stopped");
            }
        }, "gonode-neo4j-shutdown"));

        log("starting Neo4j in " + home + " with Bolt on 127.0.0.1:" + port);
        Object builder = Class.forName("org.neo4j.dbms.api.DatabaseManagementServiceBuilder")
                .getConstructor(Path.class).newInstance(home);
        call(builder, "org.neo4j.dbms.api.DatabaseManagementServiceBuilder", "loadPropertiesFromFile", conf);
        dbms.set(call(builder, "org.neo4j.dbms.api.DatabaseManagementServiceBuilder", "build"));
        setPassword(dbms.get(), password);
        Files.writeString(ready, ProcessHandle.current().pid() + "\n");
        log("ready: bolt://127.0.0.1:" + port + " (user neo4j)");
        new CountDownLatch(1).await(); // until SIGTERM
    }

    /**
     * The lines of neo4j.conf: Bolt on 127.0.0.1 only, authentication on, a
     * 512 MiB page cache, no log preallocation, no usage reporting and, on
     * the lines that have it (2025.x and later), no fleet discovery (it
     * broadcasts on the local network); with plugins, APOC allowed.
     * Neo4j refuses a setting it does not know, so a renamed one fails the
     * start instead of being ignored.
     */
    static List<String> settings(int port, Path plugins) {
        List<String> lines = new ArrayList<>(List.of(
                "server.bolt.enabled=true",
                "server.bolt.listen_address=127.0.0.1:" + port,
                "dbms.security.auth_enabled=true",
                "server.memory.pagecache.size=512m",
                "db.tx_log.preallocate=false",
                "dbms.usage_report.enabled=false"));
        if (hasField("org.neo4j.configuration.connectors.BoltConnector", "enable_discovery")) {
            lines.add("server.fleet_discovery.enabled=false");
        }
        if (plugins != null) {
            lines.add("server.directories.plugins=" + plugins);
            lines.add("dbms.security.procedures.unrestricted=apoc.*");
            lines.add("dbms.security.procedures.allowlist=apoc.*");
        }
        return lines;
    }

    /** Sets the password of user neo4j through the system database. */
    private static void setPassword(Object dbms, String password) throws Exception {
        Object system = call(dbms, "org.neo4j.dbms.api.DatabaseManagementService", "database", "system");
        try {
            call(system, "org.neo4j.graphdb.GraphDatabaseService", "executeTransactionally",
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) { // QueryExecutionException
            // Neo4j refuses to "change" a password to the one it already has.
            if (e.getMessage() == null || !e.getMessage().contains("cannot be the same")) {
                throw e;
            }
        }
    }

    /**
     * Calls the public method name of the class or interface type on target
     * with args (String, Path or Map arguments), and throws what it throws.
     */
    private static Object call(Object target, String type, String name, Object... args) throws Exception {
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = args[i] instanceof Path ? Path.class : args[i] instanceof Map ? Map.class : args[i].getClass();
        }
        Method method = Class.forName(type).getMethod(name, types);
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static boolean hasField(String type, String name) {
        try {
            Class.forName(type).getField(name);
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " launcher: " + message);
    }
}
