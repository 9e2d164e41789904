package io.junction.simulators.winrm;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Lets a request through only for the listener's one account: HTTP Basic (when allowed), or
 * NTLMv2 — raw, or inside the Negotiate scheme — in the usual three legs on one connection.
 * NTLM authenticates the connection, so later requests on it need no Authorization header,
 * as with HTTP.sys.
 */
final class AccountGate {
    private static final long CONNECTION_IDLE_NANOS = Duration.ofMinutes(5).toNanos();

    private final String user;
    private final String password;
    private final boolean basicAllowed;
    private final boolean ntlmAllowed;
    private final Consumer<Authentication> journal;
    private final Consumer<String> schemesSeen;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();

    private static final class Connection {
        byte[] challenge;
        Authentication authenticated;
        long touched = System.nanoTime();
    }

    /**
     * @param schemesSeen told the scheme of every Authorization header received (never its value),
     *                    so a test can tell that a client sent no credentials at all
     */
    AccountGate(String user, String password, boolean basicAllowed, boolean ntlmAllowed, Consumer<Authentication> journal,
                Consumer<String> schemesSeen) {
        this.user = user;
        this.password = password;
        this.basicAllowed = basicAllowed;
        this.ntlmAllowed = ntlmAllowed;
        this.journal = journal;
        this.schemesSeen = schemesSeen;
    }

    /** The authenticated caller, or null once a 401 has been sent. The request body must have been read. */
    Authentication admit(HttpExchange exchange) throws IOException {
        expireIdle();
        String key = String.valueOf(exchange.getRemoteAddress());
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Connection connection = connections.get(key);
        if (header == null || header.isBlank()) {
            if (connection != null && connection.authenticated != null) {
                connection.touched = System.nanoTime();
                return connection.authenticated;
            }
            return refuse(exchange, key);
        }
        int space = header.indexOf(' ');
        String scheme = space < 0 ? header.trim() : header.substring(0, space);
        String token = space < 0 ? "" : header.substring(space + 1).trim();
        schemesSeen.accept(scheme);
        if (scheme.equalsIgnoreCase("Basic")) {
            return basic(exchange, key, token);
        }
        if (ntlmAllowed && (scheme.equalsIgnoreCase("NTLM") || scheme.equalsIgnoreCase("Negotiate"))) {
            return ntlm(exchange, key, scheme.equalsIgnoreCase("NTLM") ? "NTLM" : "Negotiate", token);
        }
        return refuse(exchange, key);
    }

    private Authentication basic(HttpExchange exchange, String key, String token) throws IOException {
        if (!basicAllowed) {
            return refuse(exchange, key);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return refuse(exchange, key);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return refuse(exchange, key);
        }
        String name = decoded.substring(0, colon);
        String domain = "";
        int backslash = name.indexOf('\\');
        if (backslash >= 0) {
            domain = name.substring(0, backslash);
            name = name.substring(backslash + 1);
        }
        boolean ok = name.equalsIgnoreCase(user) & MessageDigest.isEqual(
                decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
        if (!ok) {
            return refuse(exchange, key);
        }
        Authentication who = new Authentication("Basic", domain, name);
        journal.accept(who);
        return who;
    }

    private Authentication ntlm(HttpExchange exchange, String key, String scheme, String token) throws IOException {
        byte[] message;
        try {
            message = Base64.getDecoder().decode(token);
        } catch (IllegalArgumentException e) {
            return refuse(exchange, key);
        }
        int type = Ntlm.messageType(message);
        if (type == 1) {
            Connection connection = new Connection();
            connection.challenge = Ntlm.newServerChallenge();
            connections.put(key, connection);
            byte[] challenge = Ntlm.challengeMessage(Ntlm.negotiateFlags(message), connection.challenge,
                    "JUNCTION", "WINRM-SIM", "junction.test", "winrm-sim.junction.test",
                    Ntlm.fileTime(System.currentTimeMillis()));
            Headers headers = exchange.getResponseHeaders();
            headers.add("WWW-Authenticate", scheme + " " + Base64.getEncoder().encodeToString(challenge));
            send401(exchange);
            return null;
        }
        if (type == 3) {
            Connection connection = connections.get(key);
            if (connection == null || connection.challenge == null) {
                return refuse(exchange, key);
            }
            byte[] challenge = connection.challenge;
            connection.challenge = null;
            Ntlm.Authenticate auth;
            try {
                auth = Ntlm.parseAuthenticate(message);
            } catch (RuntimeException e) {
                return refuse(exchange, key);
            }
            if (!auth.user().equalsIgnoreCase(user)
                    || !Ntlm.verifyNtlmV2(auth.ntResponse(), challenge, auth.user(), auth.domain(), password)) {
                return refuse(exchange, key);
            }
            Authentication who = new Authentication(scheme, auth.domain(), auth.user());
            connection.authenticated = who;
            connection.touched = System.nanoTime();
            journal.accept(who);
            return who;
        }
        // Kerberos or SPNEGO-wrapped tokens: not offered by this listener
        return refuse(exchange, key);
    }

    private Authentication refuse(HttpExchange exchange, String key) throws IOException {
        connections.remove(key);
        Headers headers = exchange.getResponseHeaders();
        if (ntlmAllowed) {
            headers.add("WWW-Authenticate", "Negotiate");
            headers.add("WWW-Authenticate", "NTLM");
        }
        if (basicAllowed) {
            headers.add("WWW-Authenticate", "Basic realm=\"WSMAN\"");
        }
        send401(exchange);
        return null;
    }

    private static void send401(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Server", "Microsoft-HTTPAPI/2.0");
        exchange.sendResponseHeaders(401, -1);
        exchange.close();
    }

    private void expireIdle() {
        long now = System.nanoTime();
        connections.values().removeIf(c -> now - c.touched > CONNECTION_IDLE_NANOS);
    }
}
