package io.junction.rest.internal;

import io.junction.api.JunctionException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up the one HTTP server of Junction (Felix HTTP on Jetty 12) from PID {@code io.junction.http},
 * applied live: HTTPS only on {@code 127.0.0.1:8443} by default, with the configured key store or the
 * self-signed one made at first start. Felix HTTP itself is configured through its own PID
 * ({@code org.apache.felix.http}), which this component owns; until it is written, the framework
 * properties keep both connectors off, so nothing ever listens unencrypted by accident. The
 * configuration stays when this component stops (as Junction stops): the servlets that answer go
 * with this bundle anyway, and removing it would make Felix HTTP restart Jetty on the way down.
 */
@Component(immediate = true, configurationPid = HttpConfiguration.PID)
@Designate(ocd = HttpConfiguration.class)
public class HttpsServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpsServer.class);
    static final String FELIX_HTTP_PID = "org.apache.felix.http";

    private final ConfigurationAdmin configAdmin;
    private final Path home;

    @Activate
    public HttpsServer(@Reference ConfigurationAdmin configAdmin, BundleContext context, HttpConfiguration config) throws IOException {
        this.configAdmin = configAdmin;
        String h = context.getProperty("junction.home");
        if (h == null || h.isBlank()) {
            throw new JunctionException("the framework property junction.home is not set");
        }
        this.home = Path.of(h).toAbsolutePath().normalize();
        apply(config);
    }

    @Modified
    synchronized void apply(HttpConfiguration config) throws IOException {
        Hashtable<String, Object> wanted;
        try {
            wanted = felixProperties(config);
        } catch (JunctionException e) {
            // Stay active with the server off: the next change of etc/io.junction.http.cfg tries again.
            LOG.error("{}; HTTPS is off until etc/{}.cfg is fixed", e.getMessage(), HttpConfiguration.PID, e);
            felixConfiguration().delete();
            return;
        }
        Configuration felix = felixConfiguration();
        if (!same(felix.getProperties(), wanted)) {
            // Felix HTTP restarts Jetty on each update: only when something changed.
            felix.update(wanted);
        }
    }

    private Configuration felixConfiguration() throws IOException {
        return configAdmin.getConfiguration(FELIX_HTTP_PID, "?");
    }

    private Hashtable<String, Object> felixProperties(HttpConfiguration config) {
        String address = config.address().strip();
        checkPort("port", config.port());
        if (config.httpEnabled()) {
            checkPort("httpPort", config.httpPort());
        }
        ServerKeystore.Located keystore = config.keystore().isBlank()
                ? ServerKeystore.generated(home)
                : ServerKeystore.configured(home.resolve(config.keystore().strip()), config.keystorePassword());
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("org.apache.felix.http.host", address);
        p.put("org.apache.felix.https.enable", Boolean.TRUE);
        p.put("org.osgi.service.http.port.secure", config.port());
        p.put("org.apache.felix.https.keystore", keystore.file().toString());
        p.put("org.apache.felix.https.keystore.password", keystore.password());
        p.put("org.apache.felix.https.keystore.key.password", keystore.password());
        p.put("org.apache.felix.https.jetty.protocols.included", "TLSv1.3,TLSv1.2");
        p.put("org.apache.felix.http.enable", config.httpEnabled());
        p.put("org.osgi.service.http.port", config.httpPort());
        // No server banner, no version in error pages.
        p.put("org.apache.felix.http.jetty.sendServerHeader", Boolean.FALSE);
        p.put("org.apache.felix.http.name", "Junction");
        LOG.info("HTTPS on {}:{}, certificate SHA-256 {} ({}{}){}", address, config.port(), keystore.fingerprint(), keystore.file(),
                keystore.generated() ? ", self-signed" : "",
                config.httpEnabled() ? "; plain HTTP on port " + config.httpPort() + " too (httpEnabled=true)" : "");
        return p;
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new JunctionException("HTTPS: " + name + " " + port + " is not a TCP port (1-65535)");
        }
    }

    private static boolean same(Dictionary<String, Object> current, Map<String, Object> wanted) {
        if (current == null) {
            return false;
        }
        Map<String, Object> have = new TreeMap<>();
        for (Enumeration<String> keys = current.keys(); keys.hasMoreElements(); ) {
            String key = keys.nextElement();
            if (!key.startsWith("service.") && !key.startsWith("felix.")) {
                have.put(key, current.get(key));
            }
        }
        return have.size() == wanted.size() && wanted.entrySet().stream()
                .allMatch(e -> Objects.equals(String.valueOf(have.get(e.getKey())), String.valueOf(e.getValue())));
    }
}
