package io.junction.provider.openstack.internal.http;

import io.junction.api.TlsTrustException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.SSLEngine;
import java.net.Socket;

/** The TLS context of one connection: its CA certificate (PEM) instead of the JDK trust store when set, or no checks when verification is off. */
public final class Tls {
    private Tls() {
    }

    /**
     * @param verify  whether the server's certificate is verified
     * @param caPem   PEM of the CA(s) to trust, or {@code null} for the JDK's trust store
     * @param address {@code host:port}, for the message
     */
    public static SSLContext context(boolean verify, String caPem, String address) {
        try {
            TrustManager[] trust;
            if (!verify) {
                trust = new TrustManager[]{new TrustEverything()};
            } else {
                KeyStore store = null;
                if (caPem != null && !caPem.isBlank()) {
                    store = KeyStore.getInstance(KeyStore.getDefaultType());
                    store.load(null, null);
                    int i = 0;
                    for (Certificate cert : CertificateFactory.getInstance("X.509")
                            .generateCertificates(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)))) {
                        store.setCertificateEntry("ca-" + i++, cert);
                    }
                }
                TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                trust = factory.getTrustManagers();
            }
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, trust, null);
            return ssl;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsTrustException("cannot use the CA certificate of " + address + ": " + e.getMessage(), e);
        }
    }

    /**
     * For {@code --no-verify-tls}: the operator chose to trust any certificate and name. An
     * extended trust manager, so that JSSE leaves the host name check to it (and it skips it).
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

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
