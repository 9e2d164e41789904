package io.junction.security.internal;

import io.junction.api.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * One authorized public key in OpenSSH's {@code authorized_keys} form: {@code <type> <base64 blob> [comment]}.
 * Two keys are the same key when type and blob are equal; the comment is only a label.
 */
record AuthorizedKey(String type, String blob, String comment) {
    private static final Set<String> TYPES = Set.of("ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521");

    /** Parses a key line; a one-line error for anything that is not an OpenSSH public key of a known type. */
    static AuthorizedKey parse(String line) {
        String text = line == null ? "" : line.strip();
        String[] parts = text.split("\\s+", 3);
        if (parts.length < 2 || !TYPES.contains(parts[0])) {
            throw new InvalidInputException("not an OpenSSH public key (expected '<type> <base64> [comment]' with type one of "
                    + String.join(", ", TYPES.stream().sorted().toList()) + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("not an OpenSSH public key: its key data is not base64");
        }
        // The blob starts with its own type name as an SSH string; a mismatch means a damaged or spliced line.
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        String inner = null;
        if (blob.length >= 4) {
            int length = buffer.getInt();
            if (length > 0 && length <= buffer.remaining()) {
                byte[] name = new byte[length];
                buffer.get(name);
                inner = new String(name, StandardCharsets.US_ASCII);
            }
        }
        if (!parts[0].equals(inner) || buffer.remaining() == 0) {
            throw new InvalidInputException("not an OpenSSH public key: its key data does not hold a " + parts[0] + " key");
        }
        String comment = parts.length == 3 ? parts[2].replaceAll("[\\r\\n]", " ").strip() : "";
        return new AuthorizedKey(parts[0], parts[1], comment);
    }

    boolean sameKey(AuthorizedKey other) {
        return type.equals(other.type) && blob.equals(other.blob);
    }

    /** OpenSSH's fingerprint: {@code SHA256:} and the unpadded base64 of the blob's digest. */
    String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(blob));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How the key is shown: type, fingerprint and comment; never needed to be secret, but short. */
    String describe() {
        return type + " " + fingerprint() + (comment.isEmpty() ? "" : " " + comment);
    }

    String line() {
        return type + " " + blob + (comment.isEmpty() ? "" : " " + comment);
    }
}
