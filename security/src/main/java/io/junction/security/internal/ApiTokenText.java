package io.junction.security.internal;

import io.junction.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The text of an API token, {@code jct_<id>_<secret>}: a public id (12 hex digits, to find and revoke
 * it) and 256 random bits (base64url). The prefix lets secret scanners recognise a leaked token.
 */
record ApiTokenText(String id, String secret) {
    static final String PREFIX = "jct_";
    private static final Pattern FORM = Pattern.compile("jct_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    static final int MAX_LABEL = 64;

    static ApiTokenText create() {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiTokenText(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    /** The token in a client's text, or null when it does not have the form of one. */
    static ApiTokenText parse(String text) {
        if (text == null) {
            return null;
        }
        var m = FORM.matcher(text.strip());
        return m.matches() ? new ApiTokenText(m.group(1), m.group(2)) : null;
    }

    String text() {
        return PREFIX + id + "_" + secret;
    }

    /** What is stored: the SHA-256 of the secret part, base64url. */
    String hash() {
        return hash(secret);
    }

    boolean matches(String storedHash) {
        // constant time: the comparison must not tell how much of a guess was right
        return MessageDigest.isEqual(hash().getBytes(StandardCharsets.US_ASCII), storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    private static String hash(String secret) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A label as stored: printable, one line, at most 64 characters; empty when none. */
    static String checkLabel(String label) {
        String l = label == null ? "" : label.strip();
        if (l.length() > MAX_LABEL || !l.codePoints().allMatch(c -> !Character.isISOControl(c)
                && Character.getType(c) != Character.FORMAT)) {
            throw new InvalidInputException("invalid token label: use at most " + MAX_LABEL + " printable characters on one line");
        }
        return l;
    }

    @Override
    public String toString() {
        return "ApiTokenText[" + id + "]"; // never the secret
    }
}
