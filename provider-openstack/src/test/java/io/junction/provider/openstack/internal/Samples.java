package io.junction.provider.openstack.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Recorded answers in src/test/resources. */
public final class Samples {
    private Samples() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
