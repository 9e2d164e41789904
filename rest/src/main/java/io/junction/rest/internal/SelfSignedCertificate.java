package io.junction.rest.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A self-signed X.509 v3 certificate for an EC key (SHA256withECDSA), written in DER with the JDK
 * alone. A certificate library would be the usual choice, but the only bundle one, Bouncy Castle,
 * changes Junction's SSH server as soon as it is installed (Apache SSHD picks it up as a security
 * provider), so the few fields of one certificate are encoded here: subject {@code CN=<name>},
 * subject alternative names, and the key usage of a TLS server.
 */
final class SelfSignedCertificate {
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {
    }

    static X509Certificate create(KeyPair pair, String commonName, List<String> dnsNames, List<InetAddress> addresses,
                                  Instant notBefore, Instant notAfter) throws GeneralSecurityException {
        byte[] algorithm = seq(oid(1, 2, 840, 10045, 4, 3, 2)); // ecdsa-with-SHA256
        byte[] name = seq(set(seq(oid(2, 5, 4, 3), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
        ByteArrayOutputStream san = new ByteArrayOutputStream();
        for (String dns : dnsNames) {
            san.writeBytes(tlv(0x82, dns.getBytes(StandardCharsets.US_ASCII)));
        }
        for (InetAddress ip : addresses) {
            san.writeBytes(tlv(0x87, ip.getAddress()));
        }
        byte[] extensions = seq(
                extension(oid(2, 5, 29, 17), false, tlv(0x30, san.toByteArray())),
                extension(oid(2, 5, 29, 19), true, seq()),                                   // basic constraints: not a CA
                extension(oid(2, 5, 29, 15), true, tlv(0x03, new byte[] {7, (byte) 0x80})),  // key usage: digitalSignature
                extension(oid(2, 5, 29, 37), false, seq(oid(1, 3, 6, 1, 5, 5, 7, 3, 1))));   // extended: serverAuth
        byte[] tbs = seq(
                tlv(0xa0, integer(BigInteger.TWO)),                                          // v3
                integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
                algorithm,
                name,
                seq(tlv(0x17, UTC_TIME.format(notBefore).getBytes(StandardCharsets.US_ASCII)),
                        tlv(0x17, UTC_TIME.format(notAfter).getBytes(StandardCharsets.US_ASCII))),
                name,
                pair.getPublic().getEncoded(),                                               // SubjectPublicKeyInfo, DER already
                tlv(0xa3, extensions));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(tbs);
        byte[] signature = signer.sign();
        byte[] bits = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bits, 1, signature.length);
        byte[] der = seq(tbs, algorithm, tlv(0x03, bits));
        // parsed back by the JDK: whatever it accepts, a TLS client will
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    private static byte[] extension(byte[] oid, boolean critical, byte[] value) {
        return critical ? seq(oid, tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, value)) : seq(oid, tlv(0x04, value));
    }

    private static byte[] integer(BigInteger value) {
        return tlv(0x02, value.toByteArray());
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int groups = 1;
            for (int v = arc >>> 7; v != 0; v >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                out.write(((arc >>> (7 * g)) & 0x7f) | (g == 0 ? 0 : 0x80));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
