// graphbackend's local Neo4j server: Neo4j Community (the jars in target/lib) with
// Bolt and Neo4j Browser on loopback. A single-file Java program, run as
//   java -Xmx1g -cp 'LIB/*' Launcher.java --home DIR [options]
// The Python side (graphbackend/server/local.py) builds the classpath and runs it, with
// umask 077 so that everything Neo4j writes (data, transaction logs, the system database,
// logs) is readable by its owner only.
//
// Options:
//   --home DIR          server home; the data lives in DIR/data (created if missing)
//   --bolt-port N       Bolt port on 127.0.0.1 (default 7687)
//   --http-port N       HTTP port on 127.0.0.1 for Neo4j Browser (default 7474)
//   --page-cache SIZE   page cache size, e.g. 512m (default 512m)
//   --no-auth           disable authentication
//   --bolt-keep-alive S Bolt keep-alive for every request, every S seconds (default 10): the
//                       server sends a NOOP chunk at least every S seconds while it works on a
//                       request, and tells clients (the hint connection.recv_timeout_seconds,
//                       3 * S) to give up on a connection silent for longer; 0 leaves
//                       Neo4j's defaults (keep-alive while streaming only, no hint)
//   --tls               Bolt over TLS only (server.bolt.tls_level=REQUIRED) and Neo4j Browser
//                       over HTTPS (on the --http-port, instead of HTTP), with the
//                       certificate in DIR/certificates/bolt (a self-signed one for
//                       127.0.0.1 and localhost is made with the JDK's keytool when missing)
// The initial password comes from the environment variable GRAPHBACKEND_NEO4J_PASSWORD
// (never the command line, where other users could read it); it is needed and set on the
// first start of a data directory only, so a password changed later is kept.
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
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
        boolean tls = false;
        int keepAlive = 10;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--home": home = Path.of(args[++i]).toAbsolutePath(); break;
                    case "--bolt-port": boltPort = Integer.parseInt(args[++i]); break;
                    case "--http-port": httpPort = Integer.parseInt(args[++i]); break;
                    case "--page-cache": pageCache = args[++i]; break;
                    case "--no-auth": auth = false; break;
                    case "--tls": tls = true; break;
                    case "--bolt-keep-alive": keepAlive = Integer.parseInt(args[++i]); break;
                    default: fail(2, "unknown argument " + args[i]);
                }
            }
        } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
            fail(2, "bad arguments: " + String.join(" ", args));
        }
        if (home == null) fail(2, "--home DIR is required");

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
        String password = System.getenv(PASSWORD_ENV);
        if (auth && firstStart && (password == null || password.length() < 8)) {
            fail(2, "set " + PASSWORD_ENV + " to the initial password (8 characters or more), or pass --no-auth");
        }
        Path certificates = home.resolve("certificates").resolve("bolt");
        if (tls) {
            try {
                ensureCertificate(certificates);
            } catch (IOException | GeneralSecurityException | InterruptedException e) {
                fail(2, "could not make a self-signed certificate in " + certificates + ": " + e.getMessage());
            }
        }

        Map<String, String> config = new HashMap<>();
        config.put("server.directories.data", data.toString());
        config.put("server.directories.logs", home.resolve("logs").toString());
        config.put("server.default_listen_address", "127.0.0.1");
        config.put("server.default_advertised_address", "127.0.0.1");
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", "127.0.0.1:" + boltPort);
        config.put("server.bolt.advertised_address", "127.0.0.1:" + boltPort);
        if (tls) {
            config.put("server.bolt.tls_level", "REQUIRED");
            config.put("dbms.ssl.policy.bolt.enabled", "true");
            config.put("dbms.ssl.policy.bolt.base_directory", certificates.toString());
            config.put("dbms.ssl.policy.bolt.private_key", "private.key");
            config.put("dbms.ssl.policy.bolt.public_certificate", "public.crt");
            config.put("dbms.ssl.policy.bolt.client_auth", "NONE");
            // Browser only offers TLS schemes (bolt+s://) to a page loaded over HTTPS.
            config.put("dbms.ssl.policy.https.enabled", "true");
            config.put("dbms.ssl.policy.https.base_directory", certificates.toString());
            config.put("dbms.ssl.policy.https.private_key", "private.key");
            config.put("dbms.ssl.policy.https.public_certificate", "public.crt");
            config.put("dbms.ssl.policy.https.client_auth", "NONE");
        } else {
            config.put("server.bolt.tls_level", "DISABLED");
        }
        String web = tls ? "https" : "http";
        config.put("server.http.enabled", Boolean.toString(!tls));
        config.put("server.https.enabled", Boolean.toString(tls));
        config.put("server." + web + ".listen_address", "127.0.0.1:" + httpPort);
        config.put("server." + web + ".advertised_address", "127.0.0.1:" + httpPort);
        config.put("server.http_enabled_modules", "BROWSER");
        // The HTTP port serves Neo4j Browser's static files only (no data API); its CORS
        // header names Browser's own origin instead of Neo4j's default "*". (Bolt's
        // WebSocket upgrade has no Origin check in Neo4j 5.26: the password guards it.)
        config.put("dbms.security.http_access_control_allow_origin", web + "://127.0.0.1:" + httpPort);
        config.put("dbms.security.auth_enabled", Boolean.toString(auth));
        config.put("server.memory.pagecache.size", pageCache);
        config.put("dbms.memory.transaction.total.max", "1g");
        config.put("dbms.usage_report.enabled", "false");
        if (keepAlive > 0) {
            // A bound on a running query when the server stalls (e.g. frozen, or a
            // stop-the-world pause): NOOPs on every request keep honest long queries
            // alive, and the hint (keep_alive * probes seconds) becomes the client's
            // socket read timeout (the Python driver honours it).
            config.put("server.bolt.connection_keep_alive_for_requests", "ALL");
            config.put("server.bolt.connection_keep_alive", keepAlive + "s");
            config.put("server.bolt.connection_keep_alive_probes", "3");
            config.put("server.bolt.connection_keep_alive_streaming_scheduling_interval",
                       Math.max(1, keepAlive / 2) + "s");
        }
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
        System.out.println("graphbackend-neo4j ready " + (tls ? "bolt+ssc" : "bolt") + "://127.0.0.1:" + boltPort
            + " " + web + "://127.0.0.1:" + httpPort + "/browser/");
        System.out.flush();
        stopped.await();
    }

    /** A self-signed certificate for 127.0.0.1 and localhost (PEM files), made with keytool once. */
    static void ensureCertificate(Path dir) throws IOException, GeneralSecurityException, InterruptedException {
        Path key = dir.resolve("private.key");
        Path cert = dir.resolve("public.crt");
        if (Files.exists(key) && Files.exists(cert)) return;
        Files.createDirectories(dir.resolve("trusted"));
        Files.createDirectories(dir.resolve("revoked"));
        Path store = dir.resolve("generated.p12");
        Files.deleteIfExists(store);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String storePassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> command = new ArrayList<>(List.of(
            keytool, "-genkeypair", "-noprompt", "-alias", "bolt", "-keyalg", "RSA", "-keysize", "2048",
            "-validity", "3650", "-dname", "CN=127.0.0.1, O=graphbackend local server",
            "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
            "-keystore", store.toString(), "-storepass:env", "GRAPHBACKEND_KEYSTORE_PASSWORD"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GRAPHBACKEND_KEYSTORE_PASSWORD", storePassword);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) throw new IOException("keytool failed: " + output.trim());
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                keyStore.load(in, storePassword.toCharArray());
            }
            var privateKey = keyStore.getKey("bolt", storePassword.toCharArray());
            Certificate certificate = keyStore.getCertificate("bolt");
            writePrivate(key, pem("PRIVATE KEY", privateKey.getEncoded()));
            writePrivate(cert, pem("CERTIFICATE", certificate.getEncoded()));
        } finally {
            Files.deleteIfExists(store);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    static void writePrivate(Path path, String text) throws IOException {
        Path partial = path.resolveSibling(path.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, text);
        Files.move(partial, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
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
