package io.junction.api;

import java.io.ByteArrayInputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a caller asks for when adding or changing a connection. Values left {@code null} take
 * the role's defaults ({@link RoleSpec#defaultPort()}, {@link RoleSpec#defaultScheme()}).
 * The constructor checks every value it can check without knowing the provider type.
 *
 * @param role           the role, e.g. {@code scvmm}
 * @param host           host name, IPv4 address, or IPv6 address (brackets allowed)
 * @param port           1 to 65535, or {@code null} for the role's default
 * @param scheme         {@code null} for the role's default
 * @param path           {@code null} or a path starting with {@code /}
 * @param verifyTls      whether to verify the server certificate
 * @param caCertificate  PEM text of one or more X.509 certificates, or {@code null}
 * @param defaultForRole make this the default connection of its role
 * @param discovered     found through a catalog
 * @param allowBasicOverHttp whether the operator allows HTTP Basic authentication on a plain {@code http}
 *                       connection, which sends the password readable to anyone on the path; off by default,
 *                       as a Windows WinRM listener's {@code AllowUnencrypted=false}; only for scheme {@code http}
 * @param priority       the place among the role's connections, from 1 (tried first, the role's default), or
 *                       {@code null}: first when {@code defaultForRole}, else last for a new connection and
 *                       unchanged for an existing one; a place past the last means last
 */
public record ConnectionSpec(String role, String host, Integer port, String scheme, String path,
                             boolean verifyTls, String caCertificate, boolean defaultForRole, boolean discovered,
                             boolean allowBasicOverHttp, Integer priority) {

    /** The highest priority number a connection may be given: far more standbys than any service has. */
    public static final int MAX_PRIORITY = 99;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern IPV4_LIKE = Pattern.compile("[0-9.]+");
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");

    public ConnectionSpec {
        role = checkRole(role);
        host = checkHost(host);
        if (port != null) {
            checkPort(port);
        }
        if (scheme != null) {
            scheme = scheme.toLowerCase(Locale.ROOT);
            if (!SCHEME.matcher(scheme).matches()) {
                throw new InvalidInputException("malformed scheme " + ShownText.quote(scheme));
            }
        }
        ShownText.requireVisible("path", path);
        if (path != null && !path.isEmpty() && (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' '))) {
            throw new InvalidInputException("path must start with '/' and contain no blanks: " + ShownText.quote(path));
        }
        if (caCertificate != null) {
            checkPemCertificate(caCertificate);
        }
        if (priority != null) {
            checkPriority(priority);
        }
    }

    /** A connection placed by {@code defaultForRole} alone (first, or after the role's others). */
    public ConnectionSpec(String role, String host, Integer port, String scheme, String path,
                          boolean verifyTls, String caCertificate, boolean defaultForRole, boolean discovered,
                          boolean allowBasicOverHttp) {
        this(role, host, port, scheme, path, verifyTls, caCertificate, defaultForRole, discovered, allowBasicOverHttp, null);
    }

    /** A connection that does not allow HTTP Basic over plain {@code http}. */
    public ConnectionSpec(String role, String host, Integer port, String scheme, String path,
                          boolean verifyTls, String caCertificate, boolean defaultForRole, boolean discovered) {
        this(role, host, port, scheme, path, verifyTls, caCertificate, defaultForRole, discovered, false, null);
    }

    /** A connection with the role's default port and scheme, TLS verified. */
    public static ConnectionSpec of(String role, String host) {
        return new ConnectionSpec(role, host, null, null, null, true, null, false, false, false, null);
    }

    /** This spec with another priority. */
    public ConnectionSpec withPriority(Integer newPriority) {
        return new ConnectionSpec(role, host, port, scheme, path, verifyTls, caCertificate, defaultForRole, discovered,
                allowBasicOverHttp, newPriority);
    }

    /**
     * Parses a priority given as text.
     *
     * @throws InvalidInputException when it is not a whole number from 1 to {@link #MAX_PRIORITY}
     */
    public static int parsePriority(String text) {
        if (text == null || !text.strip().matches("[0-9]{1,9}")) {
            throw new InvalidInputException("priority must be a number from 1 (tried first) to " + MAX_PRIORITY + ", got "
                    + ShownText.quote(text));
        }
        return checkPriority(Integer.parseInt(text.strip()));
    }

    /**
     * Checks a priority.
     *
     * @throws InvalidInputException when it is not from 1 to {@link #MAX_PRIORITY}
     */
    public static int checkPriority(int priority) {
        if (priority < 1 || priority > MAX_PRIORITY) {
            throw new InvalidInputException("priority must be a number from 1 (tried first) to " + MAX_PRIORITY + ", got "
                    + ShownText.quote(priority));
        }
        return priority;
    }

    private static String checkRole(String role) {
        if (role == null || role.isBlank()) {
            throw new InvalidInputException("role must not be empty");
        }
        ShownText.requireVisible("role", role);
        return role.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks a host: a DNS name (RFC 1123 labels), a dotted IPv4 address, or an IPv6 literal
     * with or without brackets. Never resolves it. Control and format characters are refused
     * before IDNA would silently drop some of them (zero-width ones), so the stored host is
     * the one that was typed.
     *
     * @return the host, lower-cased, IPv6 without brackets
     * @throws InvalidInputException naming the problem
     */
    public static String checkHost(String host) {
        if (host == null || host.isBlank()) {
            throw new InvalidInputException("host must not be empty");
        }
        ShownText.requireVisible("host", host);
        String h = host.strip();
        if (h.startsWith("[") || h.indexOf(':') >= 0) {
            String literal = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
            if (!isIpv6(literal)) {
                throw new InvalidInputException("malformed host " + ShownText.quote(host) + ": not a valid IPv6 address");
            }
            return literal.toLowerCase(Locale.ROOT);
        }
        if (IPV4_LIKE.matcher(h).matches()) {
            if (!isIpv4(h)) {
                throw new InvalidInputException("malformed host " + ShownText.quote(host) + ": not a valid IPv4 address");
            }
            return h;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(h, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("malformed host " + ShownText.quote(host));
        }
        String name = ascii.endsWith(".") ? ascii.substring(0, ascii.length() - 1) : ascii;
        if (name.isEmpty() || name.length() > 253) {
            throw new InvalidInputException("malformed host " + ShownText.quote(host));
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidInputException("malformed host " + ShownText.quote(host) + ": " + ShownText.quote(label)
                        + " is not a valid name label (letters, digits and inner hyphens, at most 63)");
            }
        }
        return name.toLowerCase(Locale.ROOT);
    }

    private static boolean isIpv4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIpv6(String s) {
        int zone = s.indexOf('%');
        String addr = zone >= 0 ? s.substring(0, zone) : s;
        if (zone >= 0 && (zone == s.length() - 1 || !s.substring(zone + 1).matches("[A-Za-z0-9_.-]+"))) {
            return false;
        }
        String[] halves = addr.split("::", -1);
        if (halves.length > 2) {
            return false;
        }
        int groups = 0;
        for (int i = 0; i < halves.length; i++) {
            if (halves[i].isEmpty()) {
                continue;
            }
            String[] parts = halves[i].split(":", -1);
            for (int j = 0; j < parts.length; j++) {
                String p = parts[j];
                boolean last = i == halves.length - 1 && j == parts.length - 1;
                if (last && p.indexOf('.') >= 0) {
                    if (!isIpv4(p)) {
                        return false;
                    }
                    groups += 2;
                } else if (p.matches("[0-9A-Fa-f]{1,4}")) {
                    groups++;
                } else {
                    return false;
                }
            }
        }
        return halves.length == 2 ? groups < 8 : groups == 8;
    }

    /**
     * Parses a port given as text.
     *
     * @throws InvalidInputException when it is not a whole number from 1 to 65535
     */
    public static int parsePort(String text) {
        if (text == null || !text.strip().matches("[0-9]{1,5}")) {
            throw new InvalidInputException("port must be a number from 1 to 65535, got " + ShownText.quote(text));
        }
        return checkPort(Integer.parseInt(text.strip()));
    }

    private static int checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("port must be a number from 1 to 65535, got " + ShownText.quote(port));
        }
        return port;
    }

    /**
     * Checks that the text is PEM holding at least one X.509 certificate.
     *
     * @throws InvalidInputException when it is not
     */
    public static String checkPemCertificate(String pem) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new InvalidInputException("CA certificate is not PEM (no '-----BEGIN CERTIFICATE-----' block)");
        }
        try {
            var certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certificates.isEmpty()) {
                throw new InvalidInputException("CA certificate PEM holds no certificate");
            }
        } catch (CertificateException e) {
            throw new InvalidInputException("CA certificate PEM cannot be read: " + e.getMessage());
        }
        return pem;
    }
}
