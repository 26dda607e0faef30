// graphbackend's local Neo4j server: Neo4j Community (the jars in target/lib) with
// Bolt and Neo4j Browser on loopback. A single-file Java program, run as
//   java -Xmx1g -cp 'LIB/*' Launcher.java --home DIR [options]
// The Python side (graphbackend/_server.py) builds the classpath and runs it.
//
// Options:
//   --home DIR          server home; the data lives in DIR/data (created if missing)
//   --bolt-port N       Bolt port on 127.0.0.1 (default 7687)
//   --http-port N       HTTP port on 127.0.0.1 for Neo4j Browser (default 7474)
//   --page-cache SIZE   page cache size, e.g. 512m (default 512m)
//   --no-auth           disable authentication
// The initial password comes from the environment variable GRAPHBACKEND_NEO4J_PASSWORD
// (never the command line, where other users could read it); it is set on the first
// start of a data directory only, so a password changed later is kept.
//
// Prints "graphbackend-neo4j ready bolt://127.0.0.1:N http://127.0.0.1:M/browser/" when
// Bolt and HTTP listen; stops cleanly on SIGTERM / SIGINT (a JVM shutdown hook).
// Exit codes: 0 clean stop, 2 bad arguments or data directory, 3 port in use,
// 4 the server did not start (its log says why).

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.server.CommunityBootstrapper;

public class Launcher {
    static final String PASSWORD_ENV = "GRAPHBACKEND_NEO4J_PASSWORD";
    static final String PASSWORD_MARKER = ".graphbackend-password-set";

    public static void main(String[] args) throws Exception {
        Path home = null;
        int boltPort = 7687;
        int httpPort = 7474;
        String pageCache = "512m";
        boolean auth = true;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--home": home = Path.of(args[++i]).toAbsolutePath(); break;
                    case "--bolt-port": boltPort = Integer.parseInt(args[++i]); break;
                    case "--http-port": httpPort = Integer.parseInt(args[++i]); break;
                    case "--page-cache": pageCache = args[++i]; break;
                    case "--no-auth": auth = false; break;
                    default: fail(2, "unknown argument " + args[i]);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            fail(2, "bad arguments: " + String.join(" ", args));
        }
        if (home == null) fail(2, "--home DIR is required");
        String password = System.getenv(PASSWORD_ENV);
        if (auth && (password == null || password.length() < 8)) {
            fail(2, "set " + PASSWORD_ENV + " to the initial password (8 characters or more), or pass --no-auth");
        }

        Path data = home.resolve("data");
        try {
            Files.createDirectories(data);
            Files.createDirectories(home.resolve("logs"));
            Files.createDirectories(home.resolve("conf"));
            Path probe = Files.createTempFile(home, ".write-test", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            fail(2, "the data directory " + home + " is not usable: " + e);
        }
        requireFreePort(boltPort, "Bolt");
        requireFreePort(httpPort, "HTTP");
        boolean firstStart = !Files.exists(home.resolve(PASSWORD_MARKER));

        Map<String, String> config = new HashMap<>();
        config.put("server.directories.data", data.toString());
        config.put("server.directories.logs", home.resolve("logs").toString());
        config.put("server.default_listen_address", "127.0.0.1");
        config.put("server.default_advertised_address", "127.0.0.1");
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", "127.0.0.1:" + boltPort);
        config.put("server.bolt.advertised_address", "127.0.0.1:" + boltPort);
        config.put("server.bolt.tls_level", "DISABLED");
        config.put("server.http.enabled", "true");
        config.put("server.http.listen_address", "127.0.0.1:" + httpPort);
        config.put("server.http.advertised_address", "127.0.0.1:" + httpPort);
        config.put("server.https.enabled", "false");
        config.put("server.http_enabled_modules", "BROWSER");
        config.put("dbms.security.auth_enabled", Boolean.toString(auth));
        config.put("server.memory.pagecache.size", pageCache);
        config.put("dbms.memory.transaction.total.max", "1g");
        config.put("dbms.usage_report.enabled", "false");
        // browser.* settings (style, guide) are read from DIR/conf/neo4j.conf, which the
        // Python side writes: Neo4j accepts them only from the file.

        CommunityBootstrapper server = new CommunityBootstrapper();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (server.isRunning()) {
                System.out.println("graphbackend-neo4j stopping");
                server.stop();
            }
            stopped.countDown();
        }, "graphbackend-shutdown"));

        int status;
        try {
            status = server.start(home, home.resolve("conf").resolve("neo4j.conf"), config, false, false);
        } catch (RuntimeException e) {
            fail(4, "Neo4j did not start: " + e.getMessage());
            return;
        }
        if (status != 0 || !server.isRunning()) {
            fail(4, "Neo4j did not start (status " + status + "); see " + home.resolve("logs"));
        }
        if (auth && firstStart) {
            DatabaseManagementService dbms = server.getDatabaseManagementService();
            dbms.database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
            Files.writeString(home.resolve(PASSWORD_MARKER), "the initial password was set\n");
        }
        System.out.println("graphbackend-neo4j ready bolt://127.0.0.1:" + boltPort
            + " http://127.0.0.1:" + httpPort + "/browser/");
        System.out.flush();
        stopped.await();
    }

    static void requireFreePort(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            fail(3, what + " port 127.0.0.1:" + port + " is already in use (choose another with --"
                + what.toLowerCase() + "-port, or stop what listens there)");
        }
    }

    static void fail(int code, String message) {
        System.err.println("graphbackend-neo4j error: " + message);
        System.exit(code);
    }
}
