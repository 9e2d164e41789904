package io.junction.simulators.winrm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * The server side of NTLM ([MS-NLMP]): reads NEGOTIATE and AUTHENTICATE messages, writes the
 * CHALLENGE message, and verifies an NTLMv2 response against the account's password.
 * NTLMv1 and anonymous responses are refused, as a hardened Windows server does.
 */
final class Ntlm {
    static final byte[] SIGNATURE = "NTLMSSP\0".getBytes(StandardCharsets.US_ASCII);

    static final int NEGOTIATE_UNICODE = 0x00000001;
    static final int REQUEST_TARGET = 0x00000004;
    static final int NEGOTIATE_SIGN = 0x00000010;
    static final int NEGOTIATE_SEAL = 0x00000020;
    static final int NEGOTIATE_NTLM = 0x00000200;
    static final int NEGOTIATE_ALWAYS_SIGN = 0x00008000;
    static final int TARGET_TYPE_DOMAIN = 0x00010000;
    static final int NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000;
    static final int NEGOTIATE_TARGET_INFO = 0x00800000;
    static final int NEGOTIATE_VERSION = 0x02000000;
    static final int NEGOTIATE_128 = 0x20000000;
    static final int NEGOTIATE_KEY_EXCH = 0x40000000;
    static final int NEGOTIATE_56 = 0x80000000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ntlm() {
    }

    /** The message type (1, 2 or 3) of a token, or -1 when it is not an NTLM message. */
    static int messageType(byte[] token) {
        if (token.length < 12 || !Arrays.equals(Arrays.copyOf(token, 8), SIGNATURE)) {
            return -1;
        }
        return le(token).getInt(8);
    }

    static int negotiateFlags(byte[] type1) {
        return type1.length >= 16 ? le(type1).getInt(12) : 0;
    }

    static byte[] newServerChallenge() {
        byte[] challenge = new byte[8];
        RANDOM.nextBytes(challenge);
        return challenge;
    }

    /** A CHALLENGE message (type 2) carrying {@code serverChallenge} and the target info NTLMv2 needs. */
    static byte[] challengeMessage(int clientFlags, byte[] serverChallenge, String netbiosDomain,
            String netbiosComputer, String dnsDomain, String dnsComputer, long fileTime) {
        int flags = NEGOTIATE_UNICODE | REQUEST_TARGET | NEGOTIATE_NTLM | NEGOTIATE_ALWAYS_SIGN
                | TARGET_TYPE_DOMAIN | NEGOTIATE_EXTENDED_SESSIONSECURITY | NEGOTIATE_TARGET_INFO
                | NEGOTIATE_VERSION | NEGOTIATE_128 | NEGOTIATE_56
                | (clientFlags & (NEGOTIATE_SIGN | NEGOTIATE_SEAL | NEGOTIATE_KEY_EXCH));
        byte[] targetName = utf16(netbiosDomain);
        ByteBuffer info = le(ByteBuffer.allocate(512));
        avPair(info, 2, utf16(netbiosDomain));
        avPair(info, 1, utf16(netbiosComputer));
        avPair(info, 4, utf16(dnsDomain));
        avPair(info, 3, utf16(dnsComputer));
        ByteBuffer time = le(ByteBuffer.allocate(8)).putLong(fileTime);
        avPair(info, 7, time.array());
        avPair(info, 0, new byte[0]);
        byte[] targetInfo = Arrays.copyOf(info.array(), info.position());

        int header = 56;
        ByteBuffer out = le(ByteBuffer.allocate(header + targetName.length + targetInfo.length));
        out.put(SIGNATURE).putInt(2);
        out.putShort((short) targetName.length).putShort((short) targetName.length).putInt(header);
        out.putInt(flags);
        out.put(serverChallenge);
        out.putLong(0);
        out.putShort((short) targetInfo.length).putShort((short) targetInfo.length)
                .putInt(header + targetName.length);
        // Version: Windows 10.0 build 17763 (Server 2019), NTLM revision 15
        out.put((byte) 10).put((byte) 0).putShort((short) 17763).put(new byte[] {0, 0, 0, 15});
        out.put(targetName).put(targetInfo);
        return out.array();
    }

    /** The fields of an AUTHENTICATE message (type 3) that verification needs. */
    record Authenticate(String domain, String user, String workstation, byte[] ntResponse) {
    }

    static Authenticate parseAuthenticate(byte[] msg) {
        if (messageType(msg) != 3 || msg.length < 64) {
            throw new IllegalArgumentException("not an NTLM AUTHENTICATE message");
        }
        ByteBuffer b = le(msg);
        int flags = b.getInt(60);
        boolean unicode = (flags & NEGOTIATE_UNICODE) != 0;
        byte[] nt = field(msg, 20);
        String domain = text(field(msg, 28), unicode);
        String user = text(field(msg, 36), unicode);
        String workstation = text(field(msg, 44), unicode);
        return new Authenticate(domain, user, workstation, nt);
    }

    /** NTOWFv2: HMAC-MD5 keyed with MD4(UTF-16LE(password)) over UTF-16LE(UPPER(user) + domain). */
    static byte[] ntowfv2(String password, String user, String domain) {
        byte[] passwordBytes = utf16(password);
        MD4Digest md4 = new MD4Digest();
        md4.update(passwordBytes, 0, passwordBytes.length);
        byte[] ntHash = new byte[16];
        md4.doFinal(ntHash, 0);
        return hmacMd5(ntHash, utf16(user.toUpperCase(Locale.ROOT) + domain));
    }

    /** NTProofStr = HMAC-MD5(NTOWFv2, ServerChallenge || temp), temp being the response after its first 16 bytes. */
    static byte[] ntProofStr(byte[] responseKeyNt, byte[] serverChallenge, byte[] temp) {
        byte[] data = new byte[serverChallenge.length + temp.length];
        System.arraycopy(serverChallenge, 0, data, 0, serverChallenge.length);
        System.arraycopy(temp, 0, data, serverChallenge.length, temp.length);
        return hmacMd5(responseKeyNt, data);
    }

    /**
     * Whether {@code ntResponse} is a valid NTLMv2 response to {@code serverChallenge} for the
     * account. An NTLMv1 response (24 bytes) or an empty one is refused.
     */
    static boolean verifyNtlmV2(byte[] ntResponse, byte[] serverChallenge, String user, String domain,
            String password) {
        if (ntResponse == null || ntResponse.length < 16 + 28 || ntResponse[16] != 1 || ntResponse[17] != 1) {
            return false;
        }
        byte[] proof = Arrays.copyOfRange(ntResponse, 0, 16);
        byte[] temp = Arrays.copyOfRange(ntResponse, 16, ntResponse.length);
        byte[] expected = ntProofStr(ntowfv2(password, user, domain), serverChallenge, temp);
        return MessageDigest.isEqual(proof, expected);
    }

    static byte[] hmacMd5(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key, "HmacMD5"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacMD5 is missing from this JDK", e);
        }
    }

    /** Windows FILETIME: 100 ns intervals since 1601-01-01. */
    static long fileTime(long epochMillis) {
        return (epochMillis + 11644473600000L) * 10000L;
    }

    static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16LE);
    }

    private static byte[] field(byte[] msg, int offset) {
        ByteBuffer b = le(msg);
        int len = Short.toUnsignedInt(b.getShort(offset));
        int at = b.getInt(offset + 4);
        if (len == 0) {
            return new byte[0];
        }
        if (at < 0 || at + len > msg.length) {
            throw new IllegalArgumentException("NTLM field out of bounds");
        }
        return Arrays.copyOfRange(msg, at, at + len);
    }

    private static String text(byte[] bytes, boolean unicode) {
        return new String(bytes, unicode ? StandardCharsets.UTF_16LE : StandardCharsets.ISO_8859_1);
    }

    private static void avPair(ByteBuffer b, int id, byte[] value) {
        b.putShort((short) id).putShort((short) value.length).put(value);
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer le(ByteBuffer b) {
        return b.order(ByteOrder.LITTLE_ENDIAN);
    }
}
