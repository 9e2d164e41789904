package io.junction.provider.microsoft.internal.winrm;

import io.junction.api.AuthenticationException;
import io.junction.api.JunctionException;
import io.junction.api.ProviderException;
import io.junction.api.TlsTrustException;
import io.junction.api.UnreachableException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpResponse;
import org.apache.http.NoHttpResponseException;
import org.apache.http.auth.AuthSchemeProvider;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.NTCredentials;
import org.apache.http.client.CredentialsProvider;
import org.apache.http.client.config.AuthSchemes;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.config.SocketConfig;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.auth.BasicSchemeFactory;
import org.apache.http.impl.auth.NTLMSchemeFactory;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;

/**
 * A WS-Management client for one WinRM server and one account: HTTPS (or plain HTTP when the
 * connection says so), Basic or NTLM (NTLMv2, offered as {@code Negotiate} or {@code NTLM})
 * through Apache HttpClient, TLS verified against the connection's CA or the JDK's trust
 * store. Basic over plain HTTP only when the connection allows it ({@link WinRmTarget#basicAllowed()}). Thread-safe; each {@link WinRmShell} keeps its own HTTP context so that an NTLM-
 * authenticated connection is reused for the shell's requests.
 */
public final class WinRmClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WinRmClient.class);
    private static final ContentType SOAP = ContentType.create("application/soap+xml", StandardCharsets.UTF_8);
    private static final int MAX_ANSWER_BYTES = 4 * WsMan.MAX_ENVELOPE_SIZE;

    private final WinRmTarget target;
    private final String user;
    private final PoolingHttpClientConnectionManager pool;
    private final CloseableHttpClient http;

    /**
     * @param password the account's password; it is kept (as HttpClient keeps credentials) until {@link #close()}
     */
    public WinRmClient(WinRmTarget target, String user, char[] password) {
        this.target = target;
        this.user = user;
        Registry<ConnectionSocketFactory> sockets = RegistryBuilder.<ConnectionSocketFactory>create()
                .register("http", PlainConnectionSocketFactory.getSocketFactory())
                .register("https", tls(target))
                .build();
        this.pool = new PoolingHttpClientConnectionManager(sockets);
        pool.setMaxTotal(8);
        pool.setDefaultMaxPerRoute(8);
        int socketTimeout = millis(target.operationTimeout().plusSeconds(10));
        pool.setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(socketTimeout).setTcpNoDelay(true).build());
        // Basic over plain http would hand the password to anyone on the path: without the connection's
        // explicit allowance it is not even registered, so HttpClient cannot fall back to it.
        RegistryBuilder<AuthSchemeProvider> schemeRegistry = RegistryBuilder.<AuthSchemeProvider>create()
                .register(NegotiateNtlmScheme.NAME, context -> new NegotiateNtlmScheme())
                .register(AuthSchemes.NTLM, new NTLMSchemeFactory());
        if (target.basicAllowed()) {
            schemeRegistry.register(AuthSchemes.BASIC, new BasicSchemeFactory(StandardCharsets.UTF_8));
        }
        Registry<AuthSchemeProvider> schemes = schemeRegistry.build();
        CredentialsProvider credentials = new BasicCredentialsProvider();
        credentials.setCredentials(AuthScope.ANY, ntCredentials(user, password));
        RequestConfig config = RequestConfig.custom()
                .setConnectTimeout(millis(target.connectTimeout()))
                .setConnectionRequestTimeout(millis(target.connectTimeout()))
                .setSocketTimeout(socketTimeout)
                .setTargetPreferredAuthSchemes(target.basicAllowed()
                        ? List.of(NegotiateNtlmScheme.NAME, AuthSchemes.NTLM, AuthSchemes.BASIC)
                        : List.of(NegotiateNtlmScheme.NAME, AuthSchemes.NTLM))
                .setRedirectsEnabled(false)
                .setContentCompressionEnabled(false)
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultAuthSchemeRegistry(schemes)
                .setDefaultCredentialsProvider(credentials)
                .setDefaultRequestConfig(config)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent("Junction WinRM client")
                .build();
    }

    /** {@code DOMAIN\\user} names a domain account for NTLM; {@code user@domain} and a bare name go as given. */
    static NTCredentials ntCredentials(String user, char[] password) {
        int slash = user.indexOf('\\');
        String domain = slash > 0 ? user.substring(0, slash) : null;
        String name = slash > 0 ? user.substring(slash + 1) : user;
        return new NTCredentials(name, new String(password), null, domain);
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    static SSLConnectionSocketFactory tls(WinRmTarget target) {
        try {
            TrustManager[] trust;
            if (!target.verifyTls()) {
                trust = new TrustManager[]{new TrustEverything()};
            } else {
                KeyStore store = null;
                if (target.caCertificatePem() != null && !target.caCertificatePem().isBlank()) {
                    store = KeyStore.getInstance(KeyStore.getDefaultType());
                    store.load(null, null);
                    int i = 0;
                    for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(
                            new ByteArrayInputStream(target.caCertificatePem().getBytes(StandardCharsets.US_ASCII)))) {
                        store.setCertificateEntry("ca-" + i++, cert);
                    }
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                trust = factory.getTrustManagers();
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust, null);
            HostnameVerifier names = target.verifyTls() ? new DefaultHostnameVerifier() : NoopHostnameVerifier.INSTANCE;
            return new SSLConnectionSocketFactory(ssl, new String[]{"TLSv1.3", "TLSv1.2"}, null, names);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsTrustException("cannot use the CA certificate of " + target.address() + ": " + e.getMessage(), e);
        }
    }

    public WinRmTarget target() {
        return target;
    }

    /** Opens a remote shell; close it (which deletes it on the server) when done. */
    public WinRmShell openShell() {
        return new WinRmShell(this);
    }

    HttpClientContext newContext() {
        return HttpClientContext.create();
    }

    /**
     * Posts one envelope and returns the answer.
     *
     * @param timeoutIsEmpty whether a {@code w:TimedOut} fault is an empty answer (Receive) rather than an error
     * @return the answer, or {@code null} for a timed-out Receive
     */
    Document post(String envelope, HttpClientContext context, boolean timeoutIsEmpty) {
        HttpPost post = new HttpPost(target.url());
        post.setEntity(new ByteArrayEntity(envelope.getBytes(StandardCharsets.UTF_8), SOAP));
        try (CloseableHttpResponse response = http.execute(post, context)) {
            int status = response.getStatusLine().getStatusCode();
            byte[] body = read(response.getEntity());
            if (status == 401) {
                if (!target.basicAllowed() && offersOnlyBasic(response)) {
                    throw new AuthenticationException("WinRM at " + target.address() + " offers only Basic authentication,"
                            + " which would send the password unencrypted over http; nothing was sent. Use https, or allow it"
                            + " for this connection with ems:connect ... --scheme http --allow-basic-over-http");
                }
                throw new AuthenticationException("WinRM at " + target.address() + " refused the credential of user '" + user
                        + "' (HTTP 401); check the user name (DOMAIN\\user for a domain account) and the password");
            }
            Document doc = body.length == 0 ? null : parseQuietly(body, status);
            WsMan.Fault fault = doc == null ? null : WsMan.fault(doc);
            if (fault != null) {
                if (timeoutIsEmpty && fault.timedOut()) {
                    return null;
                }
                // The user's line carries Windows' own f:Message; the codes are for whoever reads the log.
                LOG.warn("WinRM at {} answered with fault {} (WSManFault code {}): {}", target.address(),
                        fault.subcode(), fault.wsmanCode(), fault.text());
                throw new ProviderException("WinRM at " + target.address() + " answered with a fault: "
                        + (fault.text().isEmpty() ? fault.subcode() : fault.text()));
            }
            if (status != 200 || doc == null) {
                throw new ProviderException("WinRM at " + target.address() + " answered HTTP " + status + " "
                        + response.getStatusLine().getReasonPhrase() + (status == 404 ? " (is the path " + target.path() + " right?)" : ""));
            }
            return doc;
        } catch (IOException e) {
            throw failure(e, target);
        }
    }

    /** Whether a 401 offers Basic and no scheme this client could use instead (NTLM, Negotiate). */
    private static boolean offersOnlyBasic(HttpResponse response) {
        boolean basic = false;
        for (Header h : response.getHeaders("WWW-Authenticate")) {
            String scheme = h.getValue().strip().split("\\s+", 2)[0];
            if (scheme.equalsIgnoreCase(AuthSchemes.BASIC)) {
                basic = true;
            } else if (scheme.equalsIgnoreCase(AuthSchemes.NTLM) || scheme.equalsIgnoreCase(NegotiateNtlmScheme.NAME)) {
                return false;
            }
        }
        return basic;
    }

    private static Document parseQuietly(byte[] body, int status) {
        try {
            return WsMan.parse(body);
        } catch (ProviderException e) {
            if (status == 200) {
                throw e;
            }
            return null;
        }
    }

    private static byte[] read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        if (entity.getContentLength() > MAX_ANSWER_BYTES) {
            EntityUtils.consumeQuietly(entity);
            throw new ProviderException("the WinRM answer is larger than " + MAX_ANSWER_BYTES + " bytes");
        }
        try (InputStream in = entity.getContent()) {
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new ProviderException("the WinRM answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** The typed error for an I/O failure talking to the target. */
    static JunctionException failure(IOException e, WinRmTarget target) {
        String at = target.address();
        if (e instanceof SSLPeerUnverifiedException) {
            return new TlsTrustException("the TLS certificate of " + at + " does not match the host name: " + e.getMessage()
                    + "; connect with the name in the certificate, or turn verification off", e);
        }
        if (e instanceof SSLHandshakeException) {
            if (hasCause(e, CertPathBuilderException.class) || hasCause(e, CertPathValidatorException.class)
                    || hasCause(e, CertificateException.class)) {
                return new TlsTrustException("the TLS certificate of " + at + " is not trusted (" + rootMessage(e)
                        + "); give the connection its CA certificate, or turn verification off", e);
            }
            return new UnreachableException("TLS handshake with " + at + " failed: " + rootMessage(e), e);
        }
        if (e instanceof SSLException) {
            return new UnreachableException("TLS with " + at + " failed: " + rootMessage(e)
                    + (target.https() ? " (does the port speak HTTPS?)" : ""), e);
        }
        if (e instanceof UnknownHostException) {
            return new UnreachableException("unknown host " + target.host(), e);
        }
        if (e instanceof ConnectTimeoutException || (e instanceof SocketTimeoutException && hasCause(e, ConnectException.class))) {
            return new UnreachableException("connecting to " + at + " timed out after " + target.connectTimeout().toMillis() + " ms", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new UnreachableException("WinRM at " + at + " did not answer within "
                    + target.operationTimeout().plusSeconds(10).toSeconds() + " s", e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return new UnreachableException("cannot connect to " + at + ": " + rootMessage(e), e);
        }
        if (e instanceof NoHttpResponseException) {
            return new UnreachableException("WinRM at " + at + " closed the connection without answering", e);
        }
        return new UnreachableException("talking to WinRM at " + at + " failed: " + rootMessage(e), e);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        return UnreachableException.reason(e);
    }

    /** Closes the pooled connections; an in-flight request fails. */
    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException ignored) {
            // closing sockets
        }
        pool.shutdown();
    }

    /** For {@code --no-verify-tls}: the operator chose to trust any certificate. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
